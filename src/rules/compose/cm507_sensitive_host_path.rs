//! CM507 `sensitive-host-path`: the host's system or credentials mounted
//! into a container.
use crate::knowledge::host::{is_runtime_socket, normalize, sensitive_path, Sensitive};
use crate::rules::hardening::{host_mounts, with_device};
use crate::rules::options::EXTRA_PATHS;
use crate::rules::prelude::*;

declare_rule! {
    /// A bind mount of a host system directory or of credentials.
    pub SensitiveHostPath {
        code: "CM507", name: "sensitive-host-path",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        also: [Warning],
        compose_lint: ["CL-0013", "CL-0025"],
        kics: ["Volume Has Sensitive Host Directory"],
        security_severity: "8.0",
        options: [EXTRA_PATHS],
    }
}

impl ComposeRule for SensitiveHostPath {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let extra = cx
                .option(self, EXTRA_PATHS.name, svc.compose.key.file)
                .clone();
            for mount in host_mounts(project, &svc) {
                // the runtime's socket and the directories holding it (`/`
                // included) are CM502's
                if is_runtime_socket(&mount.path) {
                    continue;
                }
                let kind = sensitive_path(&mount.path).or_else(|| {
                    extra
                        .matches(&normalize(&mount.path))
                        .then_some(Sensitive::System)
                });
                let (severity, label) = match (kind, mount.read_only) {
                    (None, _) | (Some(Sensitive::WritableOnly), true) => continue,
                    (Some(Sensitive::Credentials), false) => {
                        (Severity::Error, "credentials, writable from the container")
                    }
                    (Some(Sensitive::Credentials), true) => (
                        Severity::Warning,
                        "credentials, readable from the container",
                    ),
                    (Some(Sensitive::WritableOnly), false) => (
                        Severity::Error,
                        "controls the host or its other containers, writable from the container",
                    ),
                    (Some(_), false) => (
                        Severity::Error,
                        "the host's system, writable from the container",
                    ),
                    (Some(_), true) => (
                        Severity::Warning,
                        "the host's system, readable from the container",
                    ),
                };
                let (file, span) = mount.span(cx);
                let how = if mount.read_only {
                    "read-only"
                } else {
                    "writable"
                };
                let d = self
                    .at(
                        file,
                        span,
                        format!(
                            "service `{}` mounts the host path `{}` {how}",
                            svc.name(),
                            mount.path
                        ),
                    )
                    .with_severity(severity)
                    .with_primary_label(label)
                    .with_provenance(mount.mount.source_value)
                    .with_help(if mount.read_only {
                        "mount only the files the service reads (a file, not the directory), \
                         or copy them into the image"
                    } else {
                        "mount only what the service needs, read-only (`:ro`), or a named volume"
                    });
                cx.push(with_device(d, &mount));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{compose, configured, findings, rendered};

    const MOUNTS: &str = "services:\n  exporter:\n    image: prom/node-exporter:v1.8.2\n    volumes:\n      - /etc:/host/etc:ro\n      - /proc:/host/proc\n      - /etc/localtime:/etc/localtime:ro\n      - ~/.ssh:/root/.ssh:ro\n      - /sys/fs/cgroup:/sys/fs/cgroup:ro\n      - /var/lib/docker/volumes:/volumes\n      - ./data:/data\n";

    #[test]
    fn writable_is_an_error_read_only_a_warning() {
        let found = compose("CM507", MOUNTS);
        let got: Vec<(String, Severity)> = found
            .iter()
            .map(|d| (d.message.split('`').nth(3).unwrap().to_string(), d.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("/etc".to_string(), Severity::Warning),
                ("/proc".to_string(), Severity::Error),
                ("~/.ssh".to_string(), Severity::Warning),
                ("/var/lib/docker/volumes".to_string(), Severity::Error),
            ]
        );
    }

    #[test]
    fn extra_paths_come_from_the_configuration() {
        let yaml = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    volumes: [\"/srv/secrets:/secrets\"]\n";
        let config = "options:\n  CM507:\n    extra-paths: [\"/srv/secrets\"]\n";
        assert!(findings("CM507", &[("compose.yaml", yaml)]).is_empty());
        let found = configured(
            "CM507",
            &[("compose.yaml", yaml), (".seaworthy.yaml", config)],
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM507", &[&[("compose.yaml", MOUNTS)]]));
    }
}
