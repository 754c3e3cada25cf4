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
            let found = limit_finding(
                self,
                &svc.compose,
                &MEMORY_LIMIT,
                "memory limit",
                "may use all the memory of the host",
                "set `deploy.resources.limits.memory` (for example `512M`) \
                         to what the service needs with some headroom",
            );
            let limited = found.is_none();
            cx.extend(found);
            // a memory limit with unlimited swap does not bound the memory
            let swap = svc.compose.get("memswap_limit");
            if let Some(v) = swap.filter(|v| limited && v.value == Value::Int(-1)) {
                cx.push(
                    self.at(
                        v.file,
                        v.span,
                        format!(
                            "service `{}` limits its memory, but `memswap_limit: -1` lets it swap without limit",
                            svc.name()
                        ),
                    )
                    .with_primary_label("unlimited swap")
                    .with_provenance(v)
                    .with_help("remove `memswap_limit` (swap is then limited to the memory limit), or set it to a size"),
                );
            }
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

    /// Settings that switch the limit off.
    const UNLIMITED: &str = "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 0\n  api:\n    image: nginx:1.27\n    mem_limit: 512m\n    memswap_limit: -1\n";

    #[test]
    fn a_limit_switched_off_counts_as_missing() {
        let found = compose("CM201", UNLIMITED);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].message.contains("`0`, which means no limit"));
        assert!(found[1].message.contains("`memswap_limit: -1`"));
        // a limit from a variable the deployment sets is not judged
        let unknown = "services:\n  web:\n    image: nginx:1.27\n    mem_limit: ${WEB_MEMORY}\n";
        assert!(compose("CM201", unknown).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM201",
            &[&[("compose.yaml", MISSING)], &[("compose.yaml", UNLIMITED)]]
        ));
    }
}
