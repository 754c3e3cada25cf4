//! CM401 `runs-as-root`: a container escape starts as root.
use crate::dockerfile::{is_root_user, RunsAs};
use crate::rules::prelude::*;

declare_rule! {
    /// A service whose effective user is root.
    pub RunsAsRoot {
        code: "CM401", name: "runs-as-root",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.1.0",
        also: [Error, Info],
        security_severity: "7.0",
    }
}

const HELP: &str = "run as an unprivileged user: `user: \"10001:10001\"` in compose, \
                    or `USER` in the Dockerfile, owning only what it must write";

impl ComposeRule for RunsAsRoot {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if let Some(value) = svc.compose.get("user") {
                let user = value.value.to_env_string().unwrap_or_default();
                if is_root_user(&user) && !value.is_unknown() {
                    // changing who owns a volume is what root is for
                    let job = ownership_job(&svc);
                    let message = match job {
                        Some(program) => format!(
                            "service `{}` runs as `{user}` to change file ownership (`{program}`)",
                            svc.name()
                        ),
                        None => format!("service `{}` runs as `{user}`", svc.name()),
                    };
                    let d = self
                        .at(value.file, value.span, message)
                        .with_primary_label("root in the container")
                        .with_provenance(value);
                    cx.push(match job {
                        Some(_) => d.with_severity(Severity::Info).with_help(
                            "keep this job to fixing ownership, and the services that use \
                             the files unprivileged",
                        ),
                        None => d.with_severity(Severity::Error).with_help(HELP),
                    });
                }
                continue;
            }
            // A pulled image is opaque; the final stage is judged at the
            // Dockerfile (DF401), where the fix belongs.
            let Some((df, stage)) = svc.build else {
                continue;
            };
            if svc.builds_final_stage() {
                continue;
            }
            let stage_name = df.stages[stage]
                .name
                .as_ref()
                .map_or_else(|| stage.to_string(), |n| n.value.to_string());
            let at = svc
                .compose
                .build_field("target")
                .map_or((svc.compose.key.file, svc.compose.key.span), |t| {
                    (t.file, t.span)
                });
            let (label_span, label) = match df.runs_as(stage) {
                RunsAs::Root(Some(user)) => (user.span, "sets root here"),
                RunsAs::Root(None) => (
                    stage_from(df, stage),
                    "no `USER` in this stage or its bases",
                ),
                RunsAs::User(_)
                | RunsAs::NonRootBase
                | RunsAs::BaseDecides(_)
                | RunsAs::Unknown => continue,
            };
            cx.push(
                self.at(
                    at.0,
                    at.1,
                    format!(
                        "service `{}` runs stage `{stage_name}` as root and sets no `user:`",
                        svc.name()
                    ),
                )
                .with_primary_label("builds this stage")
                .with_label(df.file, label_span, label)
                .with_help(HELP),
            );
        }
    }
}

/// The program changing file ownership that the service's own command line
/// runs (`chown`, `chgrp`, also inside `sh -c '…'`): a job that prepares a
/// volume for an unprivileged service, which needs root to do it.
fn ownership_job(svc: &ServiceView<'_>) -> Option<&'static str> {
    let pid1 = svc.pid1().filter(|p| p.from_compose)?;
    let programs = pid1.programs();
    ["chown", "chgrp"]
        .into_iter()
        .find(|p| programs.iter().any(|run| run == p))
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{compose, findings, rendered};

    const ROOT: &str = "services:\n  web:\n    image: nginx:1.27\n    user: root\n";
    const DEV_STAGE: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  api:\n    build:\n      context: .\n      target: dev\n",
        ),
        (
            "Dockerfile",
            "FROM node:22 AS dev\nCMD [\"npm\", \"run\", \"dev\"]\n\nFROM node:22-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n",
        ),
    ];

    #[test]
    fn an_explicit_root_user_is_an_error() {
        for user in ["root", "\"0\"", "\"0:0\"", "root:staff"] {
            let yaml = ROOT.replace("user: root", &format!("user: {user}"));
            let found = compose("CM401", &yaml);
            assert_eq!(found.len(), 1, "{user}");
            assert_eq!(found[0].severity, Severity::Error);
        }
    }

    #[test]
    fn a_job_changing_ownership_as_root_is_info() {
        for command in [
            "entrypoint: chown -R 1001 /data",
            "entrypoint: [\"/bin/sh\", \"-ec\", \"if [ -d /data ]; then chown -R 1001 /data; fi\"]",
            "command: sh -xc 'chgrp -R app /data'",
        ] {
            let yaml = ROOT.replace("user: root", &format!("user: root\n    {command}"));
            let found = compose("CM401", &yaml);
            assert_eq!(found.len(), 1, "{command}");
            assert_eq!(found[0].severity, Severity::Info, "{command}");
            assert!(
                found[0].message.contains("to change file ownership"),
                "{command}"
            );
        }
        // a script that does more than that, or mentions chown in an argument, is not such a job
        for command in [
            "entrypoint: [\"nginx\", \"-g\", \"chown\"]",
            "command: echo chown",
        ] {
            let yaml = ROOT.replace("user: root", &format!("user: root\n    {command}"));
            assert_eq!(
                compose("CM401", &yaml)[0].severity,
                Severity::Error,
                "{command}"
            );
        }
    }

    #[test]
    fn a_built_non_final_stage_without_user_is_reported_at_the_target() {
        let found = findings("CM401", DEV_STAGE);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn non_root_users_pulled_images_and_final_stages_pass() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    user: \"1000:1000\"\n",
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    user: ${APP_UID}\n",
        ] {
            assert!(compose("CM401", yaml).is_empty(), "{yaml}");
        }
        // the final stage is judged at the Dockerfile (DF401)
        let final_stage = [
            ("compose.yaml", "services:\n  api:\n    build: .\n"),
            (
                "Dockerfile",
                "FROM node:22\nCMD [\"node\", \"server.js\"]\n",
            ),
        ];
        assert!(findings("CM401", &final_stage).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM401", &[&[("compose.yaml", ROOT)], DEV_STAGE]));
    }
}
