//! CM405 `secret-in-default`: the sample secret a deployment runs with when
//! nobody sets the variable.
use crate::rules::prelude::*;

declare_rule! {
    /// A literal secret as the default of a variable (`${DB_PASSWORD:-changeme}`).
    pub SecretInDefault {
        code: "CM405", name: "secret-in-default",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        also: [Info],
        security_severity: "7.5",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

impl ComposeRule for SecretInDefault {
    fn check(&self, _project: &Linked, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for f in cx.secrets.iter().filter(|f| f.place == Place::Default) {
            if !reports_secret(cx, self, f) {
                continue;
            }
            let var = &f.name;
            let message = match f.why {
                Why::Placeholder => format!(
                    "the default of `${{{var}}}` is a placeholder secret, which ships when nobody sets `{var}`"
                ),
                Why::UrlPassword => format!(
                    "the default of `${{{var}}}` holds a password in a URL, which the deployment runs with when nobody sets `{var}`"
                ),
                why => format!(
                    "the default of `${{{var}}}` is {}, which the deployment runs with when nobody sets `{var}`",
                    why.describe()
                ),
            };
            let help = format!(
                "drop the default so the deployment must set it: `${{{var}:?what it is}}`; \
                 or read it from a `secrets:` file"
            );
            found.push(secret_at(self, f, message).with_help(help));
        }
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const DEFAULTS: &str = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-hunter2hunter2}\n      DATABASE_URL: ${DATABASE_URL:-postgres://app:hunter2@db/app}\n  cache:\n    image: redis:7.4\n    command: redis-server --requirepass ${REDIS_AUTH:-changeme}\n";

    #[test]
    fn literal_defaults_anywhere_are_reported() {
        let found = compose("CM405", DEFAULTS);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[2].message.contains("placeholder"),
            "{}",
            found[2].message
        );
    }

    #[test]
    fn a_comment_asking_to_change_it_makes_it_a_placeholder() {
        let yaml = "services:\n  web:\n    image: example/web:1.0\n    environment:\n      SALT: ${SALT:-k3b9x7Qp2mZr} # CHANGEME\n      PEPPER_SECRET: ${PEPPER_SECRET:-k3b9x7Qp2mZr}\n";
        let found = compose("CM405", yaml);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].message.contains("placeholder"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.contains("literal"), "{}", found[1].message);
    }

    #[test]
    fn defaults_that_are_not_secrets_pass() {
        for value in [
            "${DB_PASSWORD:?set the password}",
            "${DB_PASSWORD}",
            "${DB_PASSWORD_FILE:-/run/secrets/db}",
            "${LOG_LEVEL:-info}",
            "${DB_PASSWORD:-${FALLBACK_PASSWORD}}",
        ] {
            let yaml = format!(
                "services:\n  db:\n    image: postgres:17\n    environment:\n      X: {value}\n"
            );
            assert!(compose("CM405", &yaml).is_empty(), "{value}");
        }
    }

    #[test]
    fn the_secret_is_never_rendered() {
        let out = rendered("CM405", &[&[("compose.yaml", DEFAULTS)]]);
        assert!(
            !out.contains("hunter2") && !out.contains("changeme"),
            "{out}"
        );
        insta::assert_snapshot!(out);
    }
}
