//! CM503 `host-namespace`: a namespace shared with the host is isolation
//! switched off.
use crate::rules::prelude::*;

declare_rule! {
    /// A service sharing a namespace of the host (`network_mode: host`, `pid: host`, …).
    pub HostNamespace {
        code: "CM503", name: "host-namespace",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0008", "CL-0010"],
        kics: ["Host Namespace is Shared", "Shared Host IPC Namespace", "Shared Host Network Namespace", "Shared Host User Namespace"],
        security_severity: "7.0",
    }
}

/// The settings naming a namespace, and what the host's gives the container.
const NAMESPACES: &[(&str, &str)] = &[
    (
        "network_mode",
        "the host's network: every port of the host, no network isolation",
    ),
    ("pid", "every process of the host, visible and signalable"),
    ("ipc", "the host's shared memory and semaphores"),
    (
        "userns_mode",
        "no user namespace: root in the container is root on the host",
    ),
    ("uts", "the host's hostname, which it can change"),
    ("cgroup", "the host's cgroup tree"),
];

/// Follows `service:NAME` (and `container:NAME`) to the service whose
/// namespace `key` is shared; returns the service whose own setting says
/// `host`, with that setting.
fn host_setting<'a>(
    project: &'a Linked,
    svc: &Service<'a>,
    key: &str,
) -> Option<(String, &'a Spanned<Value>)> {
    let mut current = *svc;
    for _ in 0..8 {
        let (value, spanned) = current.str(key)?;
        if spanned.is_unknown() {
            return None;
        }
        if value == "host" {
            return Some((current.name().to_string(), spanned));
        }
        current = if let Some(name) = value.strip_prefix("service:") {
            project.service(name)?.compose
        } else {
            // `container:NAME` names a container: a service's `container_name`
            let name = value.strip_prefix("container:")?;
            project
                .services()
                .find(|s| {
                    s.compose
                        .str("container_name")
                        .is_some_and(|(n, _)| n == name)
                })?
                .compose
        };
    }
    None
}

impl ComposeRule for HostNamespace {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            for (key, what) in NAMESPACES {
                let Some((_, own)) = svc.compose.str(key) else {
                    continue;
                };
                let Some((owner, host)) = host_setting(project, &svc.compose, key) else {
                    continue;
                };
                let mut d = self
                    .at(
                        own.file,
                        own.span,
                        if owner == svc.name() {
                            format!("service `{}` shares the host's `{key}` namespace", svc.name())
                        } else {
                            format!(
                                "service `{}` shares the host's `{key}` namespace through `{owner}`",
                                svc.name()
                            )
                        },
                    )
                    .with_primary_label(*what)
                    .with_provenance(own)
                    .with_help(format!(
                        "remove `{key}: host`; publish ports, share a volume or join a network instead"
                    ));
                if owner != svc.name() {
                    d = d.with_label(host.file, host.span, format!("`{owner}` uses the host's"));
                }
                cx.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const HOST: &str = "services:\n  exporter:\n    image: prom/node-exporter:v1.8.2\n    network_mode: host\n    pid: host\n";
    const THROUGH: &str = "services:\n  vpn:\n    image: ghcr.io/acme/vpn:1.0\n    network_mode: host\n  app:\n    image: ghcr.io/acme/app:1.0\n    network_mode: service:vpn\n";

    #[test]
    fn each_host_namespace_is_one_finding() {
        assert_eq!(compose("CM503", HOST).len(), 2);
        for key in ["ipc", "userns_mode", "uts", "cgroup"] {
            let yaml = format!("services:\n  a:\n    image: ghcr.io/acme/a:1.0\n    {key}: host\n");
            assert_eq!(compose("CM503", &yaml).len(), 1, "{key}");
        }
    }

    #[test]
    fn a_namespace_shared_with_a_service_is_judged_by_that_service() {
        let found = compose("CM503", THROUGH);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[1].message.contains("through `vpn`"),
            "{}",
            found[1].message
        );
        let fine = "services:\n  vpn:\n    image: ghcr.io/acme/vpn:1.0\n  app:\n    image: ghcr.io/acme/app:1.0\n    network_mode: service:vpn\n    pid: service:vpn\n    ipc: shareable\n  b:\n    image: ghcr.io/acme/b:1.0\n    network_mode: bridge\n";
        assert!(compose("CM503", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM503",
            &[&[("compose.yaml", HOST)], &[("compose.yaml", THROUGH)]]
        ));
    }
}
