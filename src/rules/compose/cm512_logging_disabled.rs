//! CM512 `logging-disabled`: nothing to investigate an incident with.
use crate::rules::prelude::*;

declare_rule! {
    /// A service whose logging driver is `none`.
    pub LoggingDisabled {
        code: "CM512", name: "logging-disabled",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0014"],
        security_severity: "3.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for LoggingDisabled {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let Some((driver, value)) = svc.compose.logging_driver() else {
                continue;
            };
            if driver != "none" || value.is_unknown() {
                continue;
            }
            cx.push(
                self.at(
                    value.file,
                    value.span,
                    format!("service `{}` discards its logs", svc.name()),
                )
                .with_primary_label("no record of what it did")
                .with_provenance(value)
                .with_help(
                    "log with a driver that rotates (`driver: local`) or ships the logs \
                     (`fluentd`, `gelf`, `syslog`); a service too chatty to log can be exempted \
                     with the option `exempt-services`",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const NONE: &str =
        "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    logging:\n      driver: none\n";

    #[test]
    fn the_none_driver_is_reported() {
        assert_eq!(compose("CM512", NONE).len(), 1);
        let local = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    logging:\n      driver: local\n";
        assert!(compose("CM512", local).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM512", &[&[("compose.yaml", NONE)]]));
    }
}
