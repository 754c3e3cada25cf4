//! DF401 `user-root`: the image runs its program as root.
use crate::dockerfile::RunsAs;
use crate::rules::prelude::*;

declare_rule! {
    /// The final stage sets no `USER`, or a root one.
    pub UserRoot {
        code: "DF401", name: "user-root",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.1.0",
        also: [Info],
        hadolint: ["DL3002"],
        security_severity: "7.0",
    }
}

/// Whether compose chooses the service's user, replacing the image's `USER`
/// (a root `user:` is CM401's finding, in compose where it is written).
fn compose_sets_user(svc: &ServiceView<'_>) -> bool {
    svc.compose
        .get("user")
        .and_then(|v| v.value.to_env_string())
        .is_some_and(|u| !u.is_empty())
}

impl DockerfileRule for UserRoot {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let Some(last) = df.final_stage() else { return };
        let (span, message, severity) = match df.runs_as(last.index) {
            RunsAs::Root(Some(user)) => (
                user.span,
                "the final stage runs as root".to_string(),
                self.meta().severity,
            ),
            RunsAs::Root(None) => (
                stage_from(df, last.index),
                "the final stage sets no `USER`, so it runs as root".to_string(),
                self.meta().severity,
            ),
            RunsAs::BaseDecides(image) => (
                stage_from(df, last.index),
                format!(
                    "the final stage sets no `USER`, so the base image `{}` decides who it runs as",
                    image.name()
                ),
                Severity::Info,
            ),
            RunsAs::User(_) | RunsAs::NonRootBase | RunsAs::Unknown => return,
        };
        if unit.final_stage_overridden(compose_sets_user) {
            cx.overridden(self.meta());
            return;
        }
        let (label, help) = if severity == Severity::Info {
            (
                "whatever user this base sets",
                "make it explicit: add `USER` with an unprivileged user (for example `USER 10001`) \
                 after the steps that need root, or set `user:` in every compose service that runs the image",
            )
        } else {
            (
                "root in the container",
                "add `USER` with an unprivileged user (for example `USER 10001`) after the steps \
                 that need root, or set `user:` in every compose service that runs the image",
            )
        };
        let mut d = self
            .at(df.file, span, message)
            .with_severity(severity)
            .with_primary_label(label)
            .with_help(help);
        let runs = if severity == Severity::Info {
            "runs this image"
        } else {
            "runs this image as root"
        };
        for svc in unit.services.iter().filter(|s| s.builds_final_stage()) {
            if !compose_sets_user(svc) {
                d = d.with_label(
                    svc.compose.key.file,
                    svc.compose.key.span,
                    format!("service `{}` {runs}", svc.name()),
                );
            }
        }
        cx.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, findings, rendered};

    const NO_USER: &str = "FROM node:22\nCMD [\"node\", \"server.js\"]\n";
    const ROOT: &str = "FROM node:22\nUSER node\nRUN npm ci\nUSER root\n";

    #[test]
    fn an_image_known_to_run_unprivileged_passes() {
        // `bitnami/redis` and Grafana set their own unprivileged `USER`
        for text in [
            "FROM bitnami/redis:7.4\nCOPY redis.conf /opt/bitnami/redis/etc/\n",
            "FROM grafana/grafana:11.2.0\nCOPY dashboards /etc/grafana/dashboards\n",
        ] {
            assert!(dockerfile("DF401", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_pulled_base_other_than_an_official_image_decides_the_user() {
        // an image whose own `USER` is not known: info
        for text in [
            "FROM mcr.microsoft.com/playwright:v1.48.0\nCOPY tests /tests\n",
            "FROM ghcr.io/acme/base:1.2 AS base\nFROM base\nCMD [\"app\"]\n",
        ] {
            let found = dockerfile("DF401", text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].severity, crate::diagnostic::Severity::Info);
            assert!(
                found[0].message.contains("decides who it runs as"),
                "{}",
                found[0].message
            );
        }
        // official images, scratch and an explicit root `USER` stay warnings
        for text in [
            "FROM redis:7.4\n",
            "FROM scratch\nCOPY app /app\n",
            "FROM bitnami/redis:7.4\nUSER root\n",
        ] {
            let found = dockerfile("DF401", text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(
                found[0].severity,
                crate::diagnostic::Severity::Warning,
                "{text}"
            );
        }
    }

    #[test]
    fn reports_a_final_stage_running_as_root() {
        assert_eq!(dockerfile("DF401", NO_USER).len(), 1);
        assert_eq!(dockerfile("DF401", ROOT).len(), 1);
        let arg = "FROM node:22\nARG APP_USER=0\nUSER ${APP_USER}\n";
        assert_eq!(dockerfile("DF401", arg).len(), 1);
    }

    #[test]
    fn unprivileged_users_builders_and_compose_overrides_pass() {
        for text in [
            "FROM node:22\nUSER node\n",
            "FROM node:22 AS build\nRUN npm ci\nFROM node:22-slim\nUSER 10001:10001\n",
            "FROM node:22 AS base\nUSER node\nFROM base\nCMD [\"node\", \"server.js\"]\n",
            "FROM gcr.io/distroless/nodejs22-debian12:nonroot\nCMD [\"server.js\"]\n",
            "FROM node:22\nARG APP_USER\nUSER ${APP_USER}\n",
        ] {
            assert!(dockerfile("DF401", text).is_empty(), "{text}");
        }
        let overridden = [
            (
                "compose.yaml",
                "services:\n  api:\n    build: .\n    user: \"1000\"\n",
            ),
            ("Dockerfile", NO_USER),
        ];
        assert!(findings("DF401", &overridden).is_empty());
    }

    const PROJECT: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  api:\n    build: .\n  worker:\n    build: .\n    user: \"1000\"\n",
        ),
        ("Dockerfile", NO_USER),
    ];

    #[test]
    fn a_service_running_the_image_as_root_is_labelled() {
        let found = findings("DF401", PROJECT);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].labels.len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "DF401",
            &[&[("Dockerfile", NO_USER)], &[("Dockerfile", ROOT)], PROJECT]
        ));
    }
}
