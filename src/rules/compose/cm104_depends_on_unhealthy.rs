//! CM104 `depends-on-unhealthy`: waiting on a health check that does not exist,
//! or not waiting on one that does.
use crate::image_ref::ImageRef;
use crate::knowledge::images;
use crate::rules::prelude::*;

declare_rule! {
    /// `depends_on` whose condition does not match the dependency's health check.
    pub DependsOnUnhealthy {
        code: "CM104", name: "depends-on-unhealthy",
        category: Reliability, severity: Error, fix: FixKind::None, since: "0.1.0",
        also: [Info],
    }
}

/// Whether a service has a health check, as far as the project shows.
enum Health {
    /// Yes: compose or the built image defines one.
    Checked,
    /// No, and this is where that is decided (`disable: true`, `HEALTHCHECK
    /// NONE`, the built stage's `FROM`, a Docker Official Image), and why.
    Unchecked(FileId, Span, &'static str),
    /// A pulled image other than an official one (it may have one), or a
    /// fragment's overlay (its base may give it one).
    Unknown,
}

fn health(svc: &ServiceView<'_>) -> Health {
    if let Some(hc) = svc.compose.healthcheck() {
        return if hc.is_disabled() {
            Health::Unchecked(hc.def.file, hc.def.span, "its health check is switched off")
        } else {
            Health::Checked
        };
    }
    if let (Some(instr), Some((df, _))) = (svc.image_healthcheck(), svc.build) {
        return match instr.kind {
            Kind::Healthcheck(None) => {
                Health::Unchecked(df.file, instr.span, "`HEALTHCHECK NONE` in its image")
            }
            _ => Health::Checked,
        };
    }
    if let Some((df, stage)) = svc.build {
        return Health::Unchecked(
            df.file,
            stage_from(df, stage),
            "its image has no `HEALTHCHECK`",
        );
    }
    // Docker Official Images define no `HEALTHCHECK`, by policy.
    match svc.compose.image() {
        Some((image, value)) if !value.is_unknown() && svc.compose.get("build").is_none() => {
            match ImageRef::parse(image) {
                Ok(r) if images::is_official(&r) => Health::Unchecked(
                    value.file,
                    value.span,
                    "a Docker Official Image, which defines no `HEALTHCHECK`",
                ),
                _ => Health::Unknown,
            }
        }
        _ => Health::Unknown,
    }
}

impl ComposeRule for DependsOnUnhealthy {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let Some(list) = svc.compose.get("depends_on") else {
                continue;
            };
            let mut advice: Vec<(String, Span)> = Vec::new();
            for dep in svc.compose.depends_on() {
                let Some(target) = project.service(&dep.service) else {
                    continue;
                };
                let target_health = if project.compose.overlays.contains(&dep.service) {
                    Health::Unknown
                } else {
                    health(&target)
                };
                let at = dep.condition_span.unwrap_or(dep.span);
                match (dep.condition.as_str(), target_health) {
                    ("service_healthy", Health::Unchecked(file, span, why)) => cx.push(
                        self.at(
                            list.file,
                            at,
                            format!(
                                "service `{}` waits for `{}` to be healthy, but `{}` has no health check",
                                svc.name(),
                                dep.service,
                                dep.service
                            ),
                        )
                        .with_severity(Severity::Error)
                        .with_primary_label("the project fails to start here")
                        .with_label(file, span, format!("`{}`: {why}", dep.service))
                        .with_help(
                            if project.is_one_shot(&dep.service) {
                                // a job is waited for until it exits
                                format!(
                                    "`{}` is a job that runs to completion: wait with `condition: service_completed_successfully`",
                                    dep.service
                                )
                            } else {
                                format!(
                                    "add a `healthcheck:` to `{}`, or wait with `condition: service_started`",
                                    dep.service
                                )
                            },
                        ),
                    ),
                    ("service_started", Health::Checked) => advice.push((dep.service, at)),
                    _ => {}
                }
            }
            // advice once per `depends_on`, every dependency it concerns a label
            if let Some(((first, at), rest)) = advice.split_first() {
                let names: Vec<String> = advice.iter().map(|(n, _)| format!("`{n}`")).collect();
                let (they, have, it) = if advice.len() == 1 {
                    (names[0].clone(), "has", "it is")
                } else {
                    (names.join(", "), "have", "they are")
                };
                let mut d = self
                    .at(
                        list.file,
                        *at,
                        format!(
                            "service `{}` starts once {they} {have} started, not once {it} healthy",
                            svc.name()
                        ),
                    )
                    .with_severity(Severity::Info)
                    .with_primary_label(format!("`{first}` has a health check it does not wait for"))
                    .with_help(format!(
                        "consider `condition: service_healthy`, if {they} can become healthy without `{}`",
                        svc.name()
                    ));
                for (name, span) in rest {
                    d = d.with_label(list.file, *span, format!("`{name}` has one too"));
                }
                cx.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{compose, findings, rendered};

    const UNHEALTHY: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      api:\n        condition: service_healthy\n  api:\n    build: .\n",
        ),
        ("Dockerfile", "FROM node:22\nCMD [\"node\", \"server.js\"]\n"),
    ];
    const SHORT: &str = "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n  db:\n    image: postgres:17\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n";

    #[test]
    fn waiting_for_a_missing_health_check_is_an_error() {
        let found = findings("CM104", UNHEALTHY);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        let disabled = "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    image: postgres:17\n    healthcheck: {disable: true}\n";
        assert_eq!(compose("CM104", disabled).len(), 1);
    }

    /// Docker Official Images define no `HEALTHCHECK`: Compose never sees
    /// `db` healthy.
    const OFFICIAL: &str = "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    image: postgres:17\n";

    #[test]
    fn waiting_for_an_official_image_without_a_compose_health_check_is_an_error() {
        let found = compose("CM104", OFFICIAL);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].labels[0].message.contains("Docker Official Image"));
    }

    #[test]
    fn a_job_is_waited_for_until_it_completes_not_until_it_is_healthy() {
        let job = "services:\n  api:\n    image: ghcr.io/acme/api:1.0\n    depends_on:\n      migrate: {condition: service_healthy}\n  migrate:\n    build: .\n    restart: \"no\"\n";
        let files = [
            ("compose.yaml", job),
            (
                "Dockerfile",
                "FROM node:22\nCMD [\"node\", \"migrate.js\"]\n",
            ),
        ];
        let found = findings("CM104", &files);
        assert_eq!(found.len(), 1);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("service_completed_successfully"), "{help}");
        assert!(!help.contains("healthcheck"), "{help}");
        // a long-running dependency is still told to get a health check
        let found = findings("CM104", UNHEALTHY);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("add a `healthcheck:`"), "{help}");
    }

    #[test]
    fn not_waiting_for_an_existing_health_check_is_advice() {
        let found = compose("CM104", SHORT);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        // once per `depends_on`, the other dependencies as labels
        let two = "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db, cache]\n  db:\n    image: postgres:17\n    healthcheck: {test: [\"CMD\", \"pg_isready\"]}\n  cache:\n    image: redis:7.4\n    healthcheck: {test: [\"CMD\", \"redis-cli\", \"ping\"]}\n";
        let found = compose("CM104", two);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("`db`, `cache` have started"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].labels.len(), 1);
    }

    #[test]
    fn matching_conditions_and_pulled_images_pass() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    image: postgres:17\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
            // a pulled image other than an official one may carry its own
            // HEALTHCHECK: not guessed
            "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    image: bitnami/postgresql:17\n",
            "services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      db: {condition: service_healthy}\n  db:\n    image: ${DB_IMAGE}\n",
            "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n  db:\n    image: postgres:17\n",
        ] {
            assert!(compose("CM104", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM104",
            &[
                UNHEALTHY,
                &[("compose.yaml", SHORT)],
                &[("compose.yaml", OFFICIAL)]
            ]
        ));
    }
}
