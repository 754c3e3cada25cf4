//! CM107 `init-missing`: a shell or script as PID 1, with nothing to reap
//! zombies and forward signals.
use crate::rules::prelude::*;

declare_rule! {
    /// PID 1 is a shell or a script and there is no init.
    pub InitMissing {
        code: "CM107", name: "init-missing",
        category: Reliability, severity: Info, fix: FixKind::Unsafe, since: "0.2.0",
        opt_in: true,
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for InitMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let mut adds = AddToServices::new("add `init: true`", "init: true");
        for svc in project.services() {
            // a job (other services wait for it to complete, or it is not
            // restarted once done) exits on its own
            if exempt(cx, self, &svc)
                || svc.compose.get("init").and_then(|v| v.value.as_bool()) == Some(true)
                || project.is_one_shot(svc.name())
            {
                continue;
            }
            let Some(pid1) = svc.pid1() else { continue };
            // a shell-form `CMD` the image alone decides is DF101's
            let image_shell_form = !pid1.from_compose
                && pid1.argv.len() == 3
                && pid1.argv[0] == "/bin/sh"
                && pid1.argv[1] == "-c";
            if pid1.is_init() || !pid1.is_shell_or_script() || image_shell_form {
                continue;
            }
            let program = pid1.argv[0].clone();
            let what = if program.ends_with(".sh") {
                format!("the script `{program}`")
            } else {
                format!("the shell `{program}`")
            };
            adds.push(
                at_site(
                    self,
                    pid1.site,
                    format!("service `{}` runs {what} as PID 1 with no init", svc.name()),
                )
                .with_primary_label("PID 1: does not reap zombies or forward `SIGTERM`")
                .with_help(
                    "add `init: true` (Docker runs its init as PID 1), start the script's last \
                     command with `exec`, or use an init such as `tini` as the entrypoint",
                ),
                svc.compose,
            );
        }
        adds.finish(project, cx);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, findings, rendered};

    fn service(lines: &str) -> String {
        format!("services:\n  worker:\n    image: ghcr.io/acme/worker:1.4.2\n{lines}")
    }

    #[test]
    fn a_shell_or_script_as_pid_1_is_reported() {
        for lines in [
            "    entrypoint: [\"sh\", \"-c\", \"node worker.js\"]\n",
            "    entrypoint: /app/start.sh\n",
            "    entrypoint: [\"bash\", \"-c\"]\n    command: [\"node worker.js\"]\n",
        ] {
            assert_eq!(compose("CM107", &service(lines)).len(), 1, "{lines}");
        }
        // a one-shot job other services wait for is not judged
        let job = "services:\n  migrate:\n    image: ghcr.io/acme/api:1.0\n    entrypoint: [\"sh\", \"-c\", \"./migrate\"]\n  api:\n    image: ghcr.io/acme/api:1.0\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n";
        assert!(compose("CM107", job).is_empty());
        for restart in [
            "    restart: \"no\"\n",
            "    deploy:\n      restart_policy:\n        condition: none\n",
        ] {
            let lines = format!("    entrypoint: [\"sh\", \"-c\", \"./migrate\"]\n{restart}");
            assert!(compose("CM107", &service(&lines)).is_empty(), "{restart}");
        }
        // an official image's entrypoint execs the command
        let official = "services:\n  db:\n    image: postgres:17\n    command: sh -c \"postgres -c fsync=off\"\n";
        assert_eq!(compose("CM107", official).len(), 1);
    }

    #[test]
    fn an_init_exec_or_an_unknown_entrypoint_passes() {
        for lines in [
            "    entrypoint: [\"sh\", \"-c\", \"exec node worker.js\"]\n",
            "    entrypoint: [\"sh\", \"-c\", \"node worker.js\"]\n    init: true\n",
            "    entrypoint: [\"tini\", \"--\", \"/app/start.sh\"]\n",
            "    entrypoint: [\"node\", \"worker.js\"]\n",
            // the entrypoint's arguments are the command: a script that execs
            "    entrypoint: sh\n    command: [\"-c\", \"wait-for db && exec node worker.js\"]\n",
            // the pulled image's entrypoint may be an init
            "    command: sh -c \"node worker.js\"\n",
        ] {
            assert!(compose("CM107", &service(lines)).is_empty(), "{lines}");
        }
        // the image's own shell-form CMD is DF101's
        let project = [
            ("compose.yaml", "services:\n  api:\n    build: .\n"),
            ("Dockerfile", "FROM node:22\nCMD node server.js\n"),
        ];
        assert!(findings("CM107", &project).is_empty());
    }

    #[test]
    fn the_image_entrypoint_counts() {
        let project = [
            ("compose.yaml", "services:\n  api:\n    build: .\n"),
            (
                "Dockerfile",
                "FROM node:22\nCOPY start.sh /start.sh\nENTRYPOINT [\"/start.sh\"]\n",
            ),
        ];
        assert_eq!(findings("CM107", &project).len(), 1);
    }

    #[test]
    fn snapshot() {
        let yaml = service("    entrypoint: [\"sh\", \"-c\", \"node worker.js\"]\n");
        insta::assert_snapshot!(rendered("CM107", &[&[("compose.yaml", &yaml)]]));
    }
}
