//! CM202 `cpu-limit-missing`: one busy loop can starve its neighbours.
use crate::compose::model::CPU_LIMIT;
use crate::rules::prelude::*;

declare_rule! {
    /// A service with no CPU limit.
    pub CpuLimitMissing {
        code: "CM202", name: "cpu-limit-missing",
        category: Resources, severity: Warning, fix: FixKind::None, since: "0.1.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for CpuLimitMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let found = limit_finding(
                self,
                &svc.compose,
                &CPU_LIMIT,
                "CPU limit",
                "may use every CPU of the host",
                "set `deploy.resources.limits.cpus` (for example `\"0.5\"`)",
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
        assert_eq!(compose("CM202", MISSING).len(), 1);
    }

    #[test]
    fn either_spelling_of_the_limit_passes() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    cpus: 0.5\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          cpus: \"1.5\"\n",
        ] {
            assert!(compose("CM202", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn zero_cpus_counts_as_missing() {
        let yaml = "services:\n  web:\n    image: nginx:1.27\n    cpus: 0\n";
        let found = compose("CM202", yaml);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`0`, which means no limit"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM202", &[&[("compose.yaml", MISSING)]]));
    }
}
