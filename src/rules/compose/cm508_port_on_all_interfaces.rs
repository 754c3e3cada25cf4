//! CM508 `port-on-all-interfaces`: a published port without a host IP
//! faces every network the host is on, past its firewall.
use crate::knowledge::host::{
    is_ip, is_loopback, is_private_network, is_unspecified, private_port_of, PUBLIC_WEB_PORTS,
};
use crate::rules::options::{ALLOWED_INTERFACES, DATASTORE_PORTS};
use crate::rules::prelude::*;

declare_rule! {
    /// A port published on every interface of the host.
    pub PortOnAllInterfaces {
        code: "CM508", name: "port-on-all-interfaces",
        category: Security, severity: Warning, fix: FixKind::Unsafe, since: "0.2.0",
        also: [Info],
        compose_lint: ["CL-0005"],
        kics: ["Container Traffic Not Bound To Host Interface"],
        dclint: ["no-unbound-port-interfaces"],
        security_severity: "6.0",
        options: [DATASTORE_PORTS, ALLOWED_INTERFACES],
    }
}

impl ComposeRule for PortOnAllInterfaces {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            // with the host's network, `ports` are ignored (CM503 reports it)
            if svc.compose.host_network() {
                continue;
            }
            let file = svc.compose.key.file;
            let extra = cx.option(self, DATASTORE_PORTS.name, file).clone();
            let allowed = cx.option(self, ALLOWED_INTERFACES.name, file).clone();
            let image = svc.runs_image();
            let repository = image.as_ref().map(|i| i.repository.as_str());
            for port in svc.compose.ports() {
                if port.source.is_unknown() {
                    continue;
                }
                let spec = &port.spec;
                // one interface: fine, unless a datastore faces a public address
                let public_ip = match spec.host_ip.as_deref() {
                    Some(ip) if is_loopback(ip) || allowed.matches(ip) => continue,
                    Some(ip) if !is_unspecified(ip) => {
                        // a host name is resolved where it runs: not judged
                        if is_private_network(ip) || !is_ip(ip) {
                            continue;
                        }
                        Some(ip)
                    }
                    _ => None,
                };
                let end = spec.target_end.unwrap_or(spec.target);
                let private = (spec.target..=end).find_map(|p| {
                    private_port_of(repository, p)
                        .map(|what| (p, what.to_string()))
                        .or_else(|| {
                            extra
                                .matches(&p.to_string())
                                .then(|| (p, "a port listed in `datastore-ports`".to_string()))
                        })
                });
                let host_port = spec
                    .published
                    .as_deref()
                    .and_then(|p| p.split('-').next()?.parse::<u16>().ok());
                let host_last = spec
                    .published
                    .as_deref()
                    .and_then(|p| p.rsplit('-').next()?.parse::<u16>().ok());
                let web = |p: Option<u16>| p.is_some_and(|p| PUBLIC_WEB_PORTS.contains(&p));
                let shown = match &spec.published {
                    Some(p) => p.to_string(),
                    None => "a random host port".to_string(),
                };
                // long syntax: at what publishes it
                let at = match &port.source.value {
                    Value::Map(m) => m
                        .get("host_ip")
                        .or_else(|| m.get("published"))
                        .or_else(|| m.get("target"))
                        .unwrap_or(port.source),
                    _ => port.source,
                };
                let d = match (private, public_ip) {
                    (Some((p, what)), Some(ip)) => self
                        .at(
                            at.file,
                            at.span,
                            format!(
                                "service `{}` publishes {what} (container port {p}) on the public address {ip}",
                                svc.name(),
                            ),
                        )
                        .with_primary_label(format!("{shown}, reachable from the internet unless a firewall outside Docker stops it"))
                        .with_help(format!(
                            "bind the host's loopback (`127.0.0.1:{}:{p}`) or a private address; if this address is firewalled, allow it with the option `allowed-interfaces`",
                            host_port.unwrap_or(p)
                        )),
                    (None, Some(_)) => continue,
                    (Some((p, what)), None) => self
                        .at(
                            at.file,
                            at.span,
                            format!(
                                "service `{}` publishes {what} (container port {p}) on every interface of the host",
                                svc.name()
                            ),
                        )
                        .with_primary_label(format!("{shown}, reachable from any network the host is on"))
                        .with_help(format!(
                            "let the services that use it reach it over the project network (no `ports:`), or bind the host's loopback: `127.0.0.1:{}:{p}`",
                            host_port.unwrap_or(p)
                        )),
                    (None, None)
                        if (web(host_port) && web(host_last))
                            || (host_port.is_none() && web(Some(spec.target))) =>
                    {
                        continue
                    }
                    (None, None) => self
                        .at(
                            at.file,
                            at.span,
                            format!(
                                "service `{}` publishes container port {} on every interface of the host",
                                svc.name(),
                                spec.target
                            ),
                        )
                        .with_severity(Severity::Info)
                        .with_primary_label(format!("{shown}, and Docker's rules bypass the host firewall"))
                        .with_help(
                            "bind the interface it is meant for (`127.0.0.1:…` behind a reverse proxy on the same host)",
                        ),
                };
                // short syntax with no address: bind the loopback
                let fix = match spec.host_ip {
                    None => literal_start(cx, port.source).map(|at| {
                        let bind = if spec.published.is_some() {
                            "127.0.0.1:"
                        } else {
                            "127.0.0.1::"
                        };
                        Fix::risky(
                            "publish on the host's loopback only (`127.0.0.1`)",
                            vec![Edit::insert(port.source.file, at, bind)],
                        )
                    }),
                    Some(_) => None,
                };
                cx.push(d.with_provenance(at).with_fix(fix));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{compose, configured, rendered};

    const PORTS: &str = "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"\n      - \"127.0.0.1:5433:5432\"\n      - \"[::1]:5434:5432\"\n      - target: 5432\n        published: \"5435\"\n        host_ip: 0.0.0.0\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\", \"443:443\", \"8080:8080\", \"9000-9001:9000-9001\"]\n  cache:\n    image: redis:7.4\n    ports: [\"6379\"]\n";

    #[test]
    fn datastores_are_warnings_other_ports_info_web_ports_fine() {
        let found = compose("CM508", PORTS);
        let got: Vec<(usize, Severity)> = found
            .iter()
            .map(|d| (PORTS[..d.span.start].lines().count(), d.severity))
            .collect();
        assert_eq!(
            got,
            [
                (5, Severity::Warning),
                (10, Severity::Warning),
                (13, Severity::Info),
                (13, Severity::Info),
                (16, Severity::Warning)
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn options_add_ports_and_allow_interfaces() {
        let yaml = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    ports: [\"8123:8123\", \"203.0.113.7:9042:9042\"]\n";
        let config = "options:\n  CM508:\n    datastore-ports: [\"8123\"]\n    allowed-interfaces: [\"203.0.113.*\"]\n";
        let found = configured(
            "CM508",
            &[("compose.yaml", yaml), (".seaworthy.yaml", config)],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn one_interface_is_judged_by_what_it_is() {
        let yaml = "services:\n  db:\n    image: postgres:17\n    ports: [\"10.0.0.5:5432:5432\", \"203.0.113.7:5433:5432\", \"::1:5434:5432\", \"[::]:5435:5432\"]\n  web:\n    image: ghcr.io/acme/web:1.0\n    ports: [\"203.0.113.7:8080:8080\"]\n";
        let found = compose("CM508", yaml);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(
            found[0].message.contains("public address 203.0.113.7"),
            "{}",
            found[0].message
        );
        assert!(
            found[1].message.contains("every interface"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn the_host_network_has_no_ports_to_judge() {
        let yaml = "services:\n  db:\n    image: postgres:17\n    network_mode: host\n    ports: [\"5432:5432\"]\n";
        assert!(compose("CM508", yaml).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM508", &[&[("compose.yaml", PORTS)]]));
    }
}
