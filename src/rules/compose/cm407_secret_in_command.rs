//! CM407 `secret-in-command`: a password on a command line, visible in
//! `docker inspect` and in the process list.
use crate::rules::prelude::*;

declare_rule! {
    /// A literal secret in `command`, `entrypoint` or `healthcheck.test`.
    pub SecretInCommand {
        code: "CM407", name: "secret-in-command",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        also: [Info],
        security_severity: "8.0",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

impl ComposeRule for SecretInCommand {
    fn check(&self, _project: &Linked, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for f in cx.secrets {
            let Place::Command { service, key } = &f.place else {
                continue;
            };
            if !reports_secret(cx, self, f) {
                continue;
            }
            let message = format!(
                "service `{service}` passes {} to {} in `{key}`",
                f.why.describe(),
                flag_name(&f.name)
            );
            found.push(secret_at(self, f, message).with_help(
                "read it from a file the service gets through `secrets:` (most servers take \
                     `--…-file`), or from an environment variable set at deploy time",
            ));
        }
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const COMMANDS: &str = "services:\n  cache:\n    image: redis:7.4\n    command: redis-server --requirepass hunter2hunter2\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"-a\", \"hunter2hunter2\", \"ping\"]\n  site:\n    image: example/erp:1.0\n    entrypoint: [\"sh\", \"-c\", \"bench new-site --admin-password=hunter2hunter2 site\"]\n";

    #[test]
    fn secrets_on_command_lines_are_reported() {
        let found = compose("CM407", COMMANDS);
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn variables_and_files_pass() {
        for command in [
            "redis-server --requirepass $$REDIS_PASSWORD",
            "redis-server --requirepass ${REDIS_PASSWORD}",
            "[\"mysqld\", \"--password-file=/run/secrets/db\"]",
            "[\"pg_isready\", \"-U\", \"postgres\"]",
        ] {
            let yaml =
                format!("services:\n  s:\n    image: example/s:1.0\n    command: {command}\n");
            assert!(compose("CM407", &yaml).is_empty(), "{command}");
        }
    }

    #[test]
    fn entrypoint_sh_c_makes_the_command_a_script() {
        let yaml = "services:\n  job:\n    image: example/erp:1.0\n    entrypoint: [bash, -c]\n    command:\n      - >\n        wait-for-it db:3306;\n        bench new-site --admin-password=hunter2hunter2 --db-root-password=hunter2hunter2 site\n";
        assert_eq!(compose("CM407", yaml).len(), 2);
    }

    #[test]
    fn the_secret_is_never_rendered() {
        let out = rendered("CM407", &[&[("compose.yaml", COMMANDS)]]);
        assert!(!out.contains("hunter2"), "{out}");
        insta::assert_snapshot!(out);
    }
}
