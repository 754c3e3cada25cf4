//! CM504 `dangerous-capability`: capabilities that break out of the container.
use crate::knowledge::host::dangerous_capability;
use crate::rules::hardening::list_items;
use crate::rules::options::ALLOWED_CAPABILITIES;
use crate::rules::prelude::*;

declare_rule! {
    /// A service adding a capability that breaks the container's isolation.
    pub DangerousCapability {
        code: "CM504", name: "dangerous-capability",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        also: [Error],
        compose_lint: ["CL-0011", "CL-0024", "CL-0027", "CL-0028"],
        kics: ["Container Capabilities Unrestricted"],
        security_severity: "7.0",
        options: [ALLOWED_CAPABILITIES],
    }
}

impl ComposeRule for DangerousCapability {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let allowed = cx.option(self, ALLOWED_CAPABILITIES.name, svc.compose.key.file);
            let found: Vec<Diagnostic> = list_items(&svc.compose, "cap_add")
                .into_iter()
                .filter_map(|(name, value)| {
                    let (cap, root) = dangerous_capability(name)?;
                    if allowed.matches(cap) || allowed.matches(&format!("CAP_{cap}")) {
                        return None;
                    }
                    let d = self
                        .at(
                            value.file,
                            value.span,
                            format!("service `{}` adds the capability `{cap}`", svc.name()),
                        )
                        .with_provenance(value);
                    Some(if root {
                        d.with_severity(Severity::Error)
                            .with_primary_label("as good as root on the host")
                            .with_help(
                                "add only the narrow capabilities the service needs \
                                 (`NET_BIND_SERVICE`, `CHOWN`, …); `ALL`, `SYS_ADMIN`, \
                                 `SYS_MODULE` and `SYS_RAWIO` each let it take over the host",
                            )
                    } else {
                        d.with_primary_label("breaks the container's isolation")
                            .with_help(format!(
                                "remove `{cap}` unless the service cannot work without it; \
                                 if it must stay, allow it on purpose with the option \
                                 `allowed-capabilities: [{cap}]`"
                            ))
                    })
                })
                .collect();
            cx.extend(found);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{compose, configured, rendered};

    const CAPS: &str = "services:\n  vpn:\n    image: ghcr.io/acme/vpn:1.0\n    cap_add: [NET_ADMIN, SYS_ADMIN, NET_BIND_SERVICE, cap_sys_ptrace]\n";

    #[test]
    fn dangerous_ones_are_reported_root_ones_as_errors() {
        let found = compose("CM504", CAPS);
        let got: Vec<(&str, Severity)> = found
            .iter()
            .map(|d| (d.message.rsplit('`').nth(1).unwrap(), d.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("NET_ADMIN", Severity::Warning),
                ("SYS_ADMIN", Severity::Error),
                ("SYS_PTRACE", Severity::Warning)
            ]
        );
    }

    #[test]
    fn a_capability_allowed_in_the_configuration_passes() {
        let config = "options:\n  CM504:\n    allowed-capabilities: [NET_ADMIN]\n";
        let found = configured(
            "CM504",
            &[("compose.yaml", CAPS), (".seaworthy.yaml", config)],
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM504", &[&[("compose.yaml", CAPS)]]));
    }
}
