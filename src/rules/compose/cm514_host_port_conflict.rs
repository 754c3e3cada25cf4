//! CM514 `host-port-conflict`: two services of a project claim one host port
//! or one container name, so the second fails to start.
use crate::knowledge::host::is_unspecified;
use crate::rules::prelude::*;

declare_rule! {
    /// Two services publishing the same host port, or sharing a `container_name`.
    pub HostPortConflict {
        code: "CM514", name: "host-port-conflict",
        category: Input, severity: Error, fix: FixKind::None, since: "0.2.0",
        dclint: ["no-duplicate-exported-ports", "no-duplicate-container-names"],
    }
}

/// One host port a service claims: IP (`None`: every interface), port,
/// protocol, and the entry it comes from.
struct Claim<'a> {
    service: &'a str,
    profiles: Vec<&'a str>,
    ip: Option<String>,
    port: u16,
    protocol: String,
    at: &'a Spanned<Value>,
}

/// Whether two services can run at once: one is behind no profile (it
/// always starts), or they share one. Services of disjoint profiles are
/// alternatives.
fn run_together(a: &[&str], b: &[&str]) -> bool {
    a.is_empty() || b.is_empty() || a.iter().any(|p| b.contains(p))
}

/// Whether two host IPs collide: the same, or one binds every interface.
fn same_interface(a: &Option<String>, b: &Option<String>) -> bool {
    let every = |ip: &Option<String>| ip.as_deref().is_none_or(is_unspecified);
    every(a) || every(b) || a == b
}

impl ComposeRule for HostPortConflict {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let mut claims: Vec<Claim<'_>> = Vec::new();
        let mut names: Vec<(&str, Vec<&str>, &str, &Spanned<Value>)> = Vec::new();
        for svc in project.services() {
            let profiles = svc.compose.profiles();
            if let Some((name, value)) = svc.compose.str("container_name") {
                if !value.is_unknown() {
                    names.push((svc.name(), profiles.clone(), name, value));
                }
            }
            // with the host's network, `ports` are ignored
            let host_network = svc.compose.host_network();
            for port in svc.compose.ports() {
                if port.source.is_unknown() || host_network {
                    continue;
                }
                let Some(published) = port.spec.published.as_deref() else {
                    continue;
                };
                let (start, end) = match published.split_once('-') {
                    Some((a, b)) => (a.parse::<u16>(), b.parse::<u16>()),
                    None => (published.parse::<u16>(), published.parse::<u16>()),
                };
                let (Ok(start), Ok(end)) = (start, end) else {
                    continue;
                };
                // a host range for one container port is a choice: Docker
                // takes a free port of it
                if port.spec.target_end.is_none() && end > start {
                    continue;
                }
                for p in start..=end {
                    claims.push(Claim {
                        service: svc.name(),
                        profiles: profiles.clone(),
                        ip: port.spec.host_ip.clone(),
                        port: p,
                        protocol: port.spec.protocol.clone(),
                        at: port.source,
                    });
                }
            }
        }
        // earlier claims of the same port and protocol, in order: only those
        // can collide (a scan of every earlier claim is quadratic in ports)
        let mut by_port: std::collections::HashMap<(u16, &str), Vec<usize>> =
            std::collections::HashMap::new();
        let mut reported = std::collections::BTreeSet::new();
        for (i, b) in claims.iter().enumerate() {
            let earlier = by_port.entry((b.port, b.protocol.as_str())).or_default();
            let found = earlier.iter().map(|&j| &claims[j]).find(|a| {
                a.service != b.service
                    && same_interface(&a.ip, &b.ip)
                    && run_together(&a.profiles, &b.profiles)
            });
            earlier.push(i);
            let Some(a) = found else {
                continue;
            };
            if !reported.insert((b.at.file, b.at.span)) {
                continue;
            }
            cx.push(
                self.at(
                    b.at.file,
                    b.at.span,
                    format!(
                        "service `{}` publishes host port {}/{} that `{}` publishes too",
                        b.service, b.port, b.protocol, a.service
                    ),
                )
                .with_primary_label("the second to start fails: the port is taken")
                .with_label(
                    a.at.file,
                    a.at.span,
                    format!("`{}` takes it here", a.service),
                )
                .with_provenance(b.at)
                .with_help("publish one of them on another host port, or on another host IP"),
            );
        }
        let mut by_name: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, (service, profiles, name, at)) in names.iter().enumerate() {
            let earlier = by_name.entry(name).or_default();
            let found = earlier
                .iter()
                .map(|&j| &names[j])
                .find(|(_, p, _, _)| run_together(p, profiles));
            earlier.push(i);
            let Some((first, _, _, first_at)) = found else {
                continue;
            };
            cx.push(
                self.at(
                    at.file,
                    at.span,
                    format!("service `{service}` has the `container_name` `{name}` of `{first}`"),
                )
                .with_primary_label("the second to start fails: the name is taken")
                .with_label(
                    first_at.file,
                    first_at.span,
                    format!("`{first}` is named so here"),
                )
                .with_provenance(at)
                .with_help("give each service its own `container_name`, or none"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const CONFLICT: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1.0\n    ports: [\"8080:8080\"]\n    container_name: app\n  admin:\n    image: ghcr.io/acme/admin:1.0\n    ports: [\"127.0.0.1:8080:80\", \"8081:80/udp\"]\n    container_name: app\n  worker:\n    image: ghcr.io/acme/worker:1.0\n    ports: [\"8081:80\"]\n";

    #[test]
    fn a_port_and_a_name_taken_twice() {
        let found = compose("CM514", CONFLICT);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].message.contains("8080/tcp"));
        assert!(found[1].message.contains("container_name"));
    }

    #[test]
    fn alternatives_behind_profiles_and_other_interfaces_do_not_collide() {
        let yaml = "services:\n  cpu:\n    image: ollama/ollama:0.5.7\n    profiles: [cpu]\n    ports: [\"11434:11434\"]\n  gpu:\n    image: ollama/ollama:0.5.7\n    profiles: [gpu]\n    ports: [\"11434:11434\"]\n  a:\n    image: ghcr.io/acme/a:1.0\n    ports: [\"10.0.0.1:80:80\"]\n  b:\n    image: ghcr.io/acme/b:1.0\n    ports: [\"10.0.0.2:80:80\", \"3000-3005:3000\"]\n  c:\n    image: ghcr.io/acme/c:1.0\n    ports: [\"3000-3005:3000\"]\n";
        assert!(compose("CM514", yaml).is_empty());
    }

    #[test]
    fn a_service_behind_a_profile_collides_with_one_that_always_starts() {
        let yaml = "services:\n  web:\n    image: ghcr.io/acme/web:1.0\n    ports: [\"8080:80\"]\n  debug:\n    image: ghcr.io/acme/web:1.0\n    profiles: [debug]\n    ports: [\"8080:80\"]\n";
        assert_eq!(compose("CM514", yaml).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM514", &[&[("compose.yaml", CONFLICT)]]));
    }
}
