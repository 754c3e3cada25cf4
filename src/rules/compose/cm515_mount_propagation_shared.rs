//! CM515 `mount-propagation-shared`: mounts made in the container appear on
//! the host.
use crate::rules::prelude::*;

declare_rule! {
    /// A bind mount with `shared` or `rshared` propagation.
    pub MountPropagationShared {
        code: "CM515", name: "mount-propagation-shared",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0017"],
        security_severity: "6.0",
    }
}

impl ComposeRule for MountPropagationShared {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            for mount in svc.compose.volumes() {
                let Some(mode) = mount.propagation.as_deref() else {
                    continue;
                };
                if !matches!(mode, "shared" | "rshared") || mount.source_value.is_unknown() {
                    continue;
                }
                // long syntax: at `propagation:` itself
                let v = match &mount.source_value.value {
                    Value::Map(m) => m
                        .path(&["bind", "propagation"])
                        .unwrap_or(mount.source_value),
                    _ => mount.source_value,
                };
                cx.push(
                    self.at(
                        v.file,
                        v.span,
                        format!(
                            "service `{}` mounts `{}` with `{mode}` propagation",
                            svc.name(),
                            mount.target
                        ),
                    )
                    .with_primary_label("mounts made in the container reach the host")
                    .with_provenance(v)
                    .with_help(
                        "use the default `rprivate` propagation, or `rslave` to see the host's \
                         mounts without sending any back",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const SHARED: &str = "services:\n  csi:\n    image: ghcr.io/acme/csi:1.0\n    volumes:\n      - /mnt/data:/data:rshared\n      - type: bind\n        source: /srv\n        target: /srv\n        bind:\n          propagation: shared\n      - /mnt/ro:/ro:ro,rslave\n";

    #[test]
    fn shared_propagation_in_both_syntaxes() {
        assert_eq!(compose("CM515", SHARED).len(), 2);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM515", &[&[("compose.yaml", SHARED)]]));
    }
}
