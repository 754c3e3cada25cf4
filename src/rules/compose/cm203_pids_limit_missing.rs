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
            let found = limit_finding(
                self,
                &svc.compose,
                &PIDS_LIMIT,
                "process limit",
                "may start processes until the host runs out",
                "set `deploy.resources.limits.pids` (for example `200`)",
            );
            cx.extend(found);
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

    /// `-1` and `0` mean no limit, in either place.
    const UNLIMITED: &str = "services:\n  web:\n    image: nginx:1.27\n    pids_limit: -1\n  api:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          pids: 0\n";

    #[test]
    fn a_limit_switched_off_counts_as_missing() {
        let found = compose("CM203", UNLIMITED);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found
            .iter()
            .all(|d| d.message.contains("which means no limit")));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM203",
            &[&[("compose.yaml", MISSING)], &[("compose.yaml", UNLIMITED)]]
        ));
    }
}
