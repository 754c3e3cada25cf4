//! CM502 `runtime-socket-mounted`: the container runtime's socket hands the
//! host to whoever can write to it.
use crate::knowledge::host::{is_runtime_socket, is_socket_directory, normalize};
use crate::rules::hardening::{host_mounts, with_device};
use crate::rules::prelude::*;

declare_rule! {
    /// A service that mounts the Docker (or containerd, Podman) socket.
    pub RuntimeSocketMounted {
        code: "CM502", name: "runtime-socket-mounted",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0001"],
        kics: ["Docker Socket Mounted In Container"],
        security_severity: "9.0",
    }
}

impl ComposeRule for RuntimeSocketMounted {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            for mount in host_mounts(project, &svc) {
                if !is_runtime_socket(&mount.path) {
                    continue;
                }
                let (file, span) = mount.span(cx);
                let read_only = if mount.read_only {
                    ", read-only or not"
                } else {
                    ""
                };
                let message = if normalize(&mount.path) == "/" {
                    format!(
                        "service `{}` mounts `/`, the host's whole file system with the container runtime's socket in it",
                        svc.name()
                    )
                } else if is_socket_directory(&mount.path) {
                    format!(
                        "service `{}` mounts `{}`, which holds the container runtime's socket",
                        svc.name(),
                        mount.path
                    )
                } else {
                    format!(
                        "service `{}` mounts the container runtime's socket `{}`",
                        svc.name(),
                        mount.path
                    )
                };
                let d = self
                    .at(file, span, message)
                    .with_primary_label(format!("root on the host for the container{read_only}"))
                    .with_provenance(mount.mount.source_value)
                    .with_help(
                        "give the service a socket proxy that allows only the API calls it needs \
                         (for example `tecnativa/docker-socket-proxy` with `CONTAINERS=1`), or \
                         drop the mount; `:ro` does not help: the API is used over the socket, \
                         not by writing the file",
                    );
                cx.push(with_device(d, &mount));
            }
            // `use_api_socket: true` mounts the socket under another name
            if let Some(v) = svc.compose.get("use_api_socket") {
                if !v.is_unknown() && v.value.as_bool() == Some(true) {
                    cx.push(
                        self.at(
                            v.file,
                            v.span,
                            format!(
                                "service `{}` is given the container runtime's API socket",
                                svc.name()
                            ),
                        )
                        .with_primary_label("root on the host for the container, and the deployer's registry credentials")
                        .with_provenance(v)
                        .with_help("remove `use_api_socket`; give the service a socket proxy that allows only the API calls it needs"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const SOCKET: &str = "services:\n  proxy:\n    image: traefik:v3.1\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n";
    const LONG: &str = "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    volumes:\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n";
    const NAMED: &str = "services:\n  agent:\n    image: ghcr.io/acme/agent:1.0\n    volumes:\n      - sock:/var/run/docker.sock\nvolumes:\n  sock:\n    driver: local\n    driver_opts:\n      type: none\n      o: bind\n      device: /var/run/docker.sock\n";

    #[test]
    fn the_socket_in_every_syntax_read_only_included() {
        for yaml in [SOCKET, LONG, NAMED] {
            assert_eq!(compose("CM502", yaml).len(), 1, "{yaml}");
        }
        let dir = "services:\n  exporter:\n    image: ghcr.io/acme/exporter:1.0\n    volumes:\n      - /var/run:/var/run:rw\n      - /:/rootfs:ro\n";
        let found = compose("CM502", dir);
        assert_eq!(found.len(), 2);
        assert!(
            found[1]
                .message
                .contains("`/`, the host's whole file system"),
            "{}",
            found[1].message
        );
        let api = "services:\n  builder:\n    image: ghcr.io/acme/builder:1.0\n    use_api_socket: true\n";
        assert_eq!(compose("CM502", api).len(), 1);
        let fine = "services:\n  db:\n    image: postgres:17\n    volumes:\n      - ./docker.sock:/tmp/docker.sock\n      - data:/var/lib/postgresql/data\n      - /var/run/postgresql:/var/run/postgresql\nvolumes:\n  data: {}\n";
        assert!(compose("CM502", fine).is_empty());
    }

    #[test]
    fn the_finding_points_at_the_host_path() {
        let found = compose("CM502", SOCKET);
        let start = SOCKET.find("/var/run/docker.sock").unwrap();
        assert_eq!(found[0].span.start, start);
        assert_eq!(found[0].span.len(), "/var/run/docker.sock".len());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM502",
            &[&[("compose.yaml", SOCKET)], &[("compose.yaml", NAMED)]]
        ));
    }
}
