//! CM110 `rolling-update-unsafe`: a Swarm service whose failed update stays
//! deployed, or whose update stops it before its replacement runs.
use crate::rules::prelude::*;

declare_rule! {
    /// A Swarm service without `update_config.failure_action: rollback`, or a
    /// stateless one without `order: start-first`.
    pub RollingUpdateUnsafe {
        code: "CM110", name: "rolling-update-unsafe",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.2.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for RollingUpdateUnsafe {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) || !project.is_swarm_service(&svc.compose) {
                continue;
            }
            let deploy = svc.compose.get("deploy");
            let update = svc.compose.path(&["deploy", "update_config"]);
            let setting = |key: &str| svc.compose.path(&["deploy", "update_config", key]);
            let failure_action = setting("failure_action").and_then(|v| v.value.as_str());
            let rollback_config = svc.compose.path(&["deploy", "rollback_config"]);
            let global = svc
                .compose
                .path(&["deploy", "mode"])
                .and_then(|v| v.value.as_str())
                == Some("global");
            let order = setting("order").and_then(|v| v.value.as_str());
            let mut missing = Vec::new();
            let mut why = Vec::new();
            if failure_action != Some("rollback") {
                missing.push("`failure_action: rollback`");
                why.push(if rollback_config.is_some() {
                    "`rollback_config` only says how to roll back: without `failure_action: \
                     rollback` a failed update pauses half-way"
                } else {
                    "by default a failed update pauses half-way, old and new tasks side by side"
                });
            }
            if !global && !svc.is_stateful() && order != Some("start-first") {
                missing.push("`order: start-first`");
                why.push("by default a task stops before its replacement is up");
            }
            if missing.is_empty() {
                continue;
            }
            let message = format!(
                "service `{}` is updated without {}",
                svc.name(),
                missing.join(" and ")
            );
            let d = match (setting("failure_action"), update, deploy) {
                (Some(v), _, _) if failure_action != Some("rollback") => {
                    at_site(self, Site::Compose(v), message)
                        .with_primary_label("does not roll back")
                }
                (_, Some(v), _) => {
                    at_site(self, Site::Compose(v), message).with_primary_label("`update_config`")
                }
                (_, None, Some(v)) => at_site(self, Site::Compose(v), message)
                    .with_primary_label("no `update_config`"),
                // a stack the configuration names, with no `deploy:` at all
                (_, None, None) => at_service(self, &svc.compose, message)
                    .with_primary_label("no `deploy.update_config`"),
            };
            cx.push(d.with_help(format!(
                "{}; under `deploy.update_config:` set `failure_action: rollback` (with \
                     `monitor:` long enough to see a release fail) and, for a stateless service, \
                     `order: start-first`",
                why.join("; ")
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const NO_UPDATE: &str =
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      replicas: 3\n";

    #[test]
    fn a_swarm_service_without_a_safe_update_is_reported() {
        assert_eq!(compose("CM110", NO_UPDATE).len(), 1);
        let pause = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      replicas: 3\n      update_config:\n        order: start-first\n      rollback_config:\n        parallelism: 1\n";
        let found = compose("CM110", pause);
        assert_eq!(found.len(), 1);
        let help = found[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("`rollback_config` only says how"), "{help}");
    }

    #[test]
    fn safe_updates_stateful_services_and_plain_compose_pass() {
        for yaml in [
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      replicas: 3\n      update_config:\n        failure_action: rollback\n        order: start-first\n",
            // a database is not started twice over its data
            "services:\n  db:\n    image: postgres:17\n    deploy:\n      replicas: 1\n      update_config:\n        failure_action: rollback\n",
            "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    deploy:\n      mode: global\n      update_config:\n        failure_action: rollback\n",
            // no Swarm keys: `docker compose up`
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      resources:\n        limits:\n          memory: 256m\n",
        ] {
            assert!(compose("CM110", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM110", &[&[("compose.yaml", NO_UPDATE)]]));
    }
}
