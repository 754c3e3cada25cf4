//! CM203 `pids-limit-missing`: nothing stops a fork bomb.
use crate::compose::model::PIDS_LIMIT;
use crate::rules::prelude::*;

declare_rule! {
    /// A service with no limit on its number of processes.
    pub PidsLimitMissing {
        code: "CM203", name: "pids-limit-missing",
        category: Resources, severity: Info, fix: FixKind::None, since: "0.1.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for PidsLimitMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let c = &svc.compose;
            if c.resource(&PIDS_LIMIT).is_some() {
                continue;
            }
            cx.push(
                at_service(
                    self,
                    c,
                    format!("service `{}` has no process limit", svc.name()),
                )
                .with_primary_label("may start processes until the host runs out")
                .with_help("set `deploy.resources.limits.pids` (for example `200`)"),
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
        assert_eq!(compose("CM203", MISSING).len(), 1);
    }

    #[test]
    fn either_spelling_of_the_limit_passes() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    pids_limit: 100\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          pids: 100\n",
        ] {
            assert!(compose("CM203", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM203", &[&[("compose.yaml", MISSING)]]));
    }
}
