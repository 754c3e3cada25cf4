//! CM402 `secret-in-environment`: a password committed in the compose file.
use crate::compose::model::EnvVar;
use crate::rules::prelude::*;
use crate::secret::{is_not_a_secret_value, url_password};

declare_rule! {
    /// A literal secret in `environment` or `build.args`.
    pub SecretInEnvironment {
        code: "CM402", name: "secret-in-environment",
        category: Security, severity: Error, fix: FixKind::None, since: "0.1.0",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

const HELP: &str = "move it to a `secrets:` entry (read from `/run/secrets/<name>`), \
                    or write `${VARIABLE}` and supply the value at deploy time";

impl SecretInEnvironment {
    fn entry(&self, svc: &str, section: &str, e: &EnvVar<'_>, cx: &mut Context<'_>) {
        let Some(value) = &e.value else { return };
        // `${X}` comes from the deploy environment: the right way.
        if e.source.variables().next().is_some() {
            return;
        }
        let file = e.source.file;
        let Some(secret_name) = secret_name(cx, self, file, &e.name) else {
            return;
        };
        let (span, message) = if secret_name && !is_not_a_secret_value(value) {
            (
                e.value_span,
                format!(
                    "service `{svc}` sets the secret `{}` to a literal value in `{section}`",
                    e.name
                ),
            )
        } else if let Some(password) = url_password(value) {
            let written = cx.sources.get(file).slice(e.value_span);
            (
                e.value_span.part(written, value, password),
                format!(
                    "service `{svc}` puts a password in the URL `{}` of `{section}`",
                    e.name
                ),
            )
        } else {
            return;
        };
        cx.push(
            self.at(file, span, message)
                .with_primary_label("secret value (masked)")
                .with_mask(file, span)
                .with_provenance(e.source)
                .with_help(HELP),
        );
    }
}

impl ComposeRule for SecretInEnvironment {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            for e in svc.compose.environment() {
                self.entry(svc.name(), "environment", &e, cx);
            }
            for e in svc.compose.build_args() {
                self.entry(svc.name(), "build.args", &e, cx);
            }
        }
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
