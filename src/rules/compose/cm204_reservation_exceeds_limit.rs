//! CM204 `reservation-exceeds-limit`: a reservation the limit can never allow.
use crate::rules::prelude::*;

declare_rule! {
    /// A memory or CPU reservation larger than the limit.
    pub ReservationExceedsLimit {
        code: "CM204", name: "reservation-exceeds-limit",
        category: Resources, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

/// How a value is written (`512m`, `0.5`), for messages.
fn shown(v: &Spanned<Value>) -> String {
    v.value.to_env_string().unwrap_or_default()
}

impl ComposeRule for ReservationExceedsLimit {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let c = &svc.compose;
            let memory = match (c.memory_reservation(), c.memory_limit()) {
                (Some((r, rv)), Some((l, lv))) => Some((r as f64, rv, l as f64, lv, "memory")),
                _ => None,
            };
            let cpus = match (c.cpu_reservation(), c.cpu_limit()) {
                (Some((r, rv)), Some((l, lv))) => Some((r, rv, l, lv, "CPUs")),
                _ => None,
            };
            for (reserved, rv, limit, lv, what) in memory.into_iter().chain(cpus) {
                // a limit of 0 means no limit (CM201/CM202 say so)
                if reserved <= limit || limit <= 0.0 {
                    continue;
                }
                cx.push(
                    self.at(
                        rv.file,
                        rv.span,
                        format!(
                            "service `{}` reserves `{}` {what}, more than its limit `{}`",
                            svc.name(),
                            shown(rv),
                            shown(lv)
                        ),
                    )
                    .with_primary_label("reserved here")
                    .with_label(lv.file, lv.span, "limited here")
                    .with_provenance(rv)
                    .with_help("lower the reservation to at most the limit, or raise the limit"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MEMORY: &str = "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits:\n          memory: 256M\n        reservations:\n          memory: 1G\n";
    const CPUS: &str = "services:\n  web:\n    image: nginx:1.27\n    cpus: 0.5\n    deploy:\n      resources:\n        reservations:\n          cpus: \"2\"\n";

    #[test]
    fn reports_reservations_above_limits() {
        assert_eq!(compose("CM204", MEMORY).len(), 1);
        assert_eq!(compose("CM204", CPUS).len(), 1);
        let legacy = "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 128m\n    mem_reservation: 256m\n";
        assert_eq!(compose("CM204", legacy).len(), 1);
    }

    #[test]
    fn reservations_within_limits_or_alone_pass() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 1g\n    mem_reservation: 1g\n",
            "services:\n  web:\n    image: nginx:1.27\n    mem_reservation: 1g\n",
            // 0 means no limit: nothing to exceed
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 0\n    mem_reservation: 1g\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits: {cpus: \"2\"}\n        reservations: {cpus: \"0.25\"}\n",
        ] {
            assert!(compose("CM204", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM204",
            &[&[("compose.yaml", MEMORY)], &[("compose.yaml", CPUS)]]
        ));
    }
}
