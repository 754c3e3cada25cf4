//! CM511 `capabilities-not-dropped`: the default capabilities stay.
use crate::rules::hardening::{list_items, set_by_deployment};
use crate::rules::prelude::*;

declare_rule! {
    /// A service that does not drop every capability.
    pub CapabilitiesNotDropped {
        code: "CM511", name: "capabilities-not-dropped",
        category: Security, severity: Info, fix: FixKind::None, since: "0.2.0",
        opt_in: true,
        compose_lint: ["CL-0006"],
        security_severity: "3.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for CapabilitiesNotDropped {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let drops = list_items(&svc.compose, "cap_drop");
            if drops.iter().any(|(c, _)| c.eq_ignore_ascii_case("ALL"))
                || set_by_deployment(&svc.compose, "cap_drop")
                || svc.compose.is_privileged()
            {
                continue;
            }
            let d = match svc.compose.get("cap_drop") {
                Some(v) => self
                    .at(
                        v.file,
                        v.span,
                        format!(
                            "service `{}` keeps capabilities it does not drop",
                            svc.name()
                        ),
                    )
                    .with_primary_label("drops some, not `ALL`")
                    .with_provenance(v),
                None => at_service(
                    self,
                    &svc.compose,
                    format!(
                        "service `{}` keeps Docker's default capabilities",
                        svc.name()
                    ),
                )
                .with_primary_label("no `cap_drop: [ALL]`"),
            };
            cx.push(d.with_help(
                "set `cap_drop: [ALL]` and add back with `cap_add` only what it needs \
                 (`NET_BIND_SERVICE` to listen below port 1024, `CHOWN`, `SETUID`/`SETGID` to switch users)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MISSING: &str = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n";

    #[test]
    fn reported_unless_all_are_dropped() {
        assert_eq!(compose("CM511", MISSING).len(), 1);
        let some = format!("{MISSING}    cap_drop: [NET_RAW]\n");
        assert_eq!(compose("CM511", &some).len(), 1);
        let all = format!("{MISSING}    cap_drop: [all]\n    cap_add: [NET_BIND_SERVICE]\n");
        assert!(compose("CM511", &all).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM511", &[&[("compose.yaml", MISSING)]]));
    }
}
