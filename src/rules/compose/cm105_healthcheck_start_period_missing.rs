//! CM105 `healthcheck-start-period-missing`: a slow start counts as failed
//! health checks.
use crate::knowledge::images;
use crate::rules::prelude::*;

declare_rule! {
    /// A health check with no `start_period` (or `start_interval`) on a
    /// service running an application image.
    pub HealthcheckStartPeriodMissing {
        code: "CM105", name: "healthcheck-start-period-missing",
        category: Reliability, severity: Info, fix: FixKind::None, since: "0.2.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for HealthcheckStartPeriodMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let Some(health) = svc.health() else { continue };
            // an application: built here, or pulled from anywhere but the
            // Docker Official Images (generic servers with quick starts)
            let application =
                svc.build.is_some() || !svc.runs_image().is_some_and(|i| images::is_official(&i));
            if !application
                || health.timing(HealthField::StartPeriod).is_some()
                || health.timing(HealthField::StartInterval).is_some()
            {
                continue;
            }
            let site = health.site();
            let what = if site.in_image() {
                "the image's `HEALTHCHECK`"
            } else {
                "its health check"
            };
            cx.push(
                at_site(
                    self,
                    site,
                    format!("service `{}` sets no `start_period` for {what}", svc.name()),
                )
                .with_primary_label("failures while it starts count against it")
                .with_help(
                    "add `start_period:` with the time the service needs to start (failures then \
                     do not count), and `start_interval:` to check often while it starts",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, findings, rendered};

    const NO_START: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    healthcheck:\n      test: [\"CMD\", \"/app/healthcheck\"]\n      interval: 10s\n";
    const IMAGE: &[(&str, &str)] = &[
        ("compose.yaml", "services:\n  api:\n    build: .\n"),
        (
            "Dockerfile",
            "FROM node:22\nHEALTHCHECK --interval=10s CMD [\"node\", \"check.js\"]\nCMD [\"node\", \"server.js\"]\n",
        ),
    ];

    #[test]
    fn a_check_without_a_start_period_is_reported_in_compose_or_the_image() {
        assert_eq!(compose("CM105", NO_START).len(), 1);
        assert_eq!(findings("CM105", IMAGE).len(), 1);
    }

    #[test]
    fn a_start_period_anywhere_an_official_image_or_no_check_passes() {
        for yaml in [
            NO_START.replace("interval: 10s", "start_period: 30s"),
            NO_START.replace("interval: 10s", "start_interval: 2s"),
            NO_START.replace("ghcr.io/acme/api:1.4.2", "postgres:17"),
            NO_START.replace("[\"CMD\", \"/app/healthcheck\"]", "[\"NONE\"]"),
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n".to_string(),
        ] {
            assert!(compose("CM105", &yaml).is_empty(), "{yaml}");
        }
        let image = [
            IMAGE[0],
            (
                "Dockerfile",
                "FROM node:22\nHEALTHCHECK --start-period=20s CMD [\"node\", \"check.js\"]\n",
            ),
        ];
        assert!(findings("CM105", &image).is_empty());
        // compose sets it for the image's check
        let compose_sets = [
            (
                "compose.yaml",
                "services:\n  api:\n    build: .\n    healthcheck:\n      start_period: 20s\n",
            ),
            IMAGE[1],
        ];
        assert!(findings("CM105", &compose_sets).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM105", &[&[("compose.yaml", NO_START)], IMAGE]));
    }
}
