//! CM201 `memory-limit-missing`: one leak can take the host down.
use crate::compose::model::MEMORY_LIMIT;
use crate::rules::prelude::*;

declare_rule! {
    /// A service with no memory limit.
    pub MemoryLimitMissing {
        code: "CM201", name: "memory-limit-missing",
        category: Resources, severity: Warning, fix: FixKind::None, since: "0.1.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for MemoryLimitMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let c = &svc.compose;
            if c.resource(&MEMORY_LIMIT).is_some() {
                continue;
            }
            cx.push(
                at_service(
                    self,
                    c,
                    format!("service `{}` has no memory limit", svc.name()),
                )
                .with_primary_label("may use all the memory of the host")
                .with_help(
                    "set `deploy.resources.limits.memory` (for example `512M`) \
                         to what the service needs with some headroom",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MISSING: &str = "services:\n  web:\n    image: nginx:1.27\n";

    #[test]
    fn reports_a_service_without_limit() {
        assert_eq!(compose("CM201", MISSING).len(), 1);
    }

    #[test]
    fn either_spelling_of_the_limit_passes() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 256m\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n",
        ] {
            assert!(compose("CM201", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM201", &[&[("compose.yaml", MISSING)]]));
    }
}
