//! CM501 `privileged`: a container with every capability and device of the host.
use crate::rules::prelude::*;

declare_rule! {
    /// A service with `privileged: true`.
    pub Privileged {
        code: "CM501", name: "privileged",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0002"],
        kics: ["Privileged Containers Enabled"],
        security_severity: "9.0",
    }
}

impl ComposeRule for Privileged {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let Some(value) = svc.compose.get("privileged") else {
                continue;
            };
            if value.is_unknown() || value.value.as_bool() != Some(true) {
                continue;
            }
            cx.push(
                self.at(
                    value.file,
                    value.span,
                    format!("service `{}` runs privileged", svc.name()),
                )
                .with_primary_label("every capability and device of the host")
                .with_provenance(value)
                .with_help(
                    "remove `privileged: true` and grant only what the service needs: a capability \
                     (`cap_add`), a device (`devices`)",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const PRIVILEGED: &str =
        "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    privileged: true\n";

    #[test]
    fn privileged_is_reported_and_false_is_not() {
        assert_eq!(compose("CM501", PRIVILEGED).len(), 1);
        for yaml in [
            "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    privileged: false\n",
            "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n",
            "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    privileged: ${PRIV:-false}\n",
        ] {
            assert!(compose("CM501", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn an_anchor_setting_it_is_one_finding() {
        let yaml = "x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: ghcr.io/acme/a:1.0\n  b:\n    <<: *base\n    image: ghcr.io/acme/b:1.0\n";
        assert_eq!(compose("CM501", yaml).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM501", &[&[("compose.yaml", PRIVILEGED)]]));
    }
}
