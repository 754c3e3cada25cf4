//! CM111 `single-replica`: a stateless Swarm service that one failure takes
//! down.
use crate::rules::prelude::*;

declare_rule! {
    /// A stateless replicated Swarm service with one replica.
    pub SingleReplica {
        code: "CM111", name: "single-replica",
        category: Reliability, severity: Info, fix: FixKind::None, since: "0.2.0",
        opt_in: true,
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for SingleReplica {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc)
                || !project.is_swarm_service(&svc.compose)
                || svc.is_stateful()
                || project.is_one_shot(svc.name())
            {
                continue;
            }
            let mode = svc
                .compose
                .path(&["deploy", "mode"])
                .and_then(|v| v.value.as_str());
            if mode.is_some_and(|m| m != "replicated") {
                continue;
            }
            let replicas = svc.compose.path(&["deploy", "replicas"]);
            let d = match replicas {
                Some(v) if v.value.as_f64() == Some(1.0) => at_site(
                    self,
                    Site::Compose(v),
                    format!("service `{}` runs a single replica", svc.name()),
                )
                .with_primary_label("one task"),
                Some(_) => continue,
                None => at_service(
                    self,
                    &svc.compose,
                    format!(
                        "service `{}` runs a single replica (the default)",
                        svc.name()
                    ),
                )
                .with_primary_label("no `deploy.replicas`"),
            };
            cx.push(d.with_help(
                "run `replicas: 2` or more on different nodes (`placement.max_replicas_per_node: 1`) \
                 so a node failure or an update does not take the service down",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const ONE: &str =
        "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      replicas: 1\n";

    #[test]
    fn one_replica_of_a_stateless_swarm_service_is_reported() {
        assert_eq!(compose("CM111", ONE).len(), 1);
        let default = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    deploy:\n      update_config:\n        failure_action: rollback\n";
        assert_eq!(compose("CM111", default).len(), 1);
    }

    #[test]
    fn several_replicas_global_stateful_or_plain_compose_pass() {
        for yaml in [
            ONE.replace("replicas: 1", "replicas: 3"),
            ONE.replace("replicas: 1", "mode: global"),
            ONE.replace("ghcr.io/acme/api:1.4.2", "postgres:17"),
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n".to_string(),
        ] {
            assert!(compose("CM111", &yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM111", &[&[("compose.yaml", ONE)]]));
    }
}
