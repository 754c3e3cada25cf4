//! CM402 `secret-in-environment`: a password committed in the compose file.
use crate::rules::prelude::*;

declare_rule! {
    /// A literal secret in `environment` or `build.args`.
    pub SecretInEnvironment {
        code: "CM402", name: "secret-in-environment",
        category: Security, severity: Error, fix: FixKind::None, since: "0.1.0",
        also: [Info],
        security_severity: "8.0",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

const HELP: &str = "move it to a `secrets:` entry (read from `/run/secrets/<name>`), \
                    or write `${VARIABLE}` and supply the value at deploy time";

impl ComposeRule for SecretInEnvironment {
    fn check(&self, _project: &Linked, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for f in cx.secrets {
            let (service, section) = match &f.place {
                Place::Environment { service } => (service, "environment"),
                Place::BuildArg { service } => (service, "build.args"),
                _ => continue,
            };
            if !reports_secret(cx, self, f) {
                continue;
            }
            let place = format!("in `{section}`");
            let message = secret_message(&format!("service `{service}`"), &f.name, f.why, &place);
            found.push(secret_at(self, f, message).with_help(HELP));
        }
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const LITERAL: &str = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: hunter2\n";
    const URL: &str = "services:\n  api:\n    image: app:1.0\n    environment:\n      - DATABASE_URL=postgres://app:hunter2@db:5432/app\n";

    #[test]
    fn reports_literal_secrets_and_credential_urls() {
        assert_eq!(compose("CM402", LITERAL).len(), 1);
        assert_eq!(compose("CM402", URL).len(), 1);
        let build_arg = "services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: abc123\n";
        assert_eq!(compose("CM402", build_arg).len(), 1);
    }

    #[test]
    fn a_literal_beside_a_variable_is_still_literal() {
        let host = LITERAL.replace(
            "POSTGRES_PASSWORD: hunter2",
            "DATABASE_URL: postgres://app:hunter2hunter2@${DB_HOST}/app",
        );
        let found = compose("CM402", &host);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("password in the URL"));
    }

    #[test]
    fn variables_files_and_switches_pass() {
        for env in [
            "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}",
            "POSTGRES_PASSWORD_FILE: /run/secrets/db_password",
            "MYSQL_ALLOW_EMPTY_PASSWORD: \"yes\"",
            "DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app",
            "API_KEY: \"\"",
            "SSH_PUBLIC_KEY: ssh-ed25519 AAAA",
            "PASSWORD:",
        ] {
            let yaml = LITERAL.replace("POSTGRES_PASSWORD: hunter2", env);
            assert!(compose("CM402", &yaml).is_empty(), "{env}");
        }
    }

    #[test]
    fn the_secret_is_never_rendered() {
        let out = rendered(
            "CM402",
            &[&[("compose.yaml", LITERAL)], &[("compose.yaml", URL)]],
        );
        assert!(!out.contains("hunter2"), "{out}");
        insta::assert_snapshot!(out);
    }
}
