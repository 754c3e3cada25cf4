//! CM101 `healthcheck-missing`: a service nobody can tell is working.
use crate::rules::prelude::*;

declare_rule! {
    /// A service with no health check in compose and none in the image it builds.
    pub HealthcheckMissing {
        code: "CM101", name: "healthcheck-missing",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.1.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for HealthcheckMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            // A `healthcheck:` is a decision, even `disable: true`; so is a
            // `HEALTHCHECK` (or `HEALTHCHECK NONE`) in the built image.
            if svc.compose.get("healthcheck").is_some() || svc.image_healthcheck().is_some() {
                continue;
            }
            // A job other services wait to *complete* is meant to exit.
            if project.is_one_shot(svc.name()) {
                continue;
            }
            let mut d = at_service(
                self,
                &svc.compose,
                format!("service `{}` has no health check", svc.name()),
            )
            .with_primary_label("no `healthcheck:` here");
            if let Some((df, stage)) = svc.build {
                d = d.with_label(
                    df.file,
                    stage_from(df, stage),
                    "and the image built from here has no `HEALTHCHECK`",
                );
            }
            cx.push(d.with_help(
                "add a `healthcheck:` whose `test` fails when the service cannot do its job, \
                 or `disable: true` to opt out on purpose",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, findings, rendered};

    const NONE: &str = "services:\n  web:\n    image: nginx:1.27\n";
    const BUILT: &[(&str, &str)] = &[
        ("compose.yaml", "services:\n  api:\n    build: .\n"),
        (
            "Dockerfile",
            "FROM node:22\nCMD [\"node\", \"server.js\"]\n",
        ),
    ];

    #[test]
    fn reports_services_without_any_health_check() {
        assert_eq!(compose("CM101", NONE).len(), 1);
        assert_eq!(findings("CM101", BUILT).len(), 1);
    }

    #[test]
    fn a_compose_or_image_health_check_or_a_deliberate_opt_out_is_enough() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      disable: true\n",
        ] {
            assert!(compose("CM101", yaml).is_empty(), "{yaml}");
        }
        let image_has_one = [
            ("compose.yaml", "services:\n  api:\n    build: .\n"),
            (
                "Dockerfile",
                "FROM node:22\nHEALTHCHECK CMD [\"node\", \"check.js\"]\nCMD [\"node\", \"server.js\"]\n",
            ),
        ];
        assert!(findings("CM101", &image_has_one).is_empty());
    }

    #[test]
    fn one_shot_jobs_are_not_expected_to_have_one() {
        let yaml = "services:\n  migrate:\n    image: app:1.0\n    healthcheck: {disable: true}\n  \
                    app:\n    image: app:1.0\n    healthcheck: {test: [\"CMD\", \"true\"]}\n    \
                    depends_on:\n      migrate:\n        condition: service_completed_successfully\n";
        let yaml = yaml.replace("    healthcheck: {disable: true}\n", "");
        assert!(compose("CM101", &yaml).is_empty());
        // a service never restarted says it runs to completion
        for policy in [
            "restart: \"no\"",
            "deploy:\n      restart_policy:\n        condition: none",
        ] {
            let yaml = format!("services:\n  init:\n    image: app:1.0\n    {policy}\n");
            assert!(compose("CM101", &yaml).is_empty(), "{policy}");
        }
        let on_failure = "services:\n  init:\n    image: app:1.0\n    restart: on-failure\n";
        assert_eq!(compose("CM101", on_failure).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM101", &[&[("compose.yaml", NONE)], BUILT]));
    }
}
