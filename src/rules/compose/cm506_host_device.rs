//! CM506 `host-device`: raw disks, memory and the kernel log in a container.
use crate::knowledge::host::dangerous_device;
use crate::rules::hardening::list_items;
use crate::rules::prelude::*;

declare_rule! {
    /// A service given a host device that exposes the host.
    pub HostDevice {
        code: "CM506", name: "host-device",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0016"],
        security_severity: "7.0",
    }
}

impl ComposeRule for HostDevice {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let devices = svc.compose.get("devices").and_then(|v| v.value.as_list());
            for item in devices.unwrap_or_default() {
                if item.is_unknown() {
                    continue;
                }
                // short `HOST[:CONTAINER[:PERMISSIONS]]`, or long `{source: …}`
                let (host, at) = match &item.value {
                    Value::Str(s) => (s.split(':').next().unwrap_or(s).to_string(), item),
                    Value::Map(m) => match m.get("source") {
                        Some(src) => (src.value.as_str().unwrap_or("").to_string(), src),
                        None => continue,
                    },
                    _ => continue,
                };
                let Some(what) = dangerous_device(&host) else {
                    continue;
                };
                cx.push(
                    self.at(
                        at.file,
                        at.span,
                        format!("service `{}` is given the host device `{host}`", svc.name()),
                    )
                    .with_primary_label(what)
                    .with_provenance(at)
                    .with_help(if what.starts_with("a raw disk") {
                        "mount the file system it holds (a volume or a bind mount of a \
                         directory) instead of the device"
                    } else {
                        "remove the device: no service needs the host's memory, CPU registers \
                         or kernel log; ship the kernel log with the host's own log collector"
                    }),
                );
            }
            for (rule, value) in list_items(&svc.compose, "device_cgroup_rules") {
                // `a` (every type), or `b`/`c` with every major, opens all
                let parts: Vec<&str> = rule.split_whitespace().collect();
                let every = match parts.first() {
                    Some(&"a") if parts.get(1).is_none_or(|n| n.starts_with("*:")) => "device",
                    Some(&"b") if parts.get(1).is_some_and(|n| n.starts_with("*:")) => {
                        "block device (every disk)"
                    }
                    Some(&"c") if parts.get(1).is_some_and(|n| n.starts_with("*:")) => {
                        "character device (`/dev/mem` among them)"
                    }
                    _ => continue,
                };
                cx.push(
                    self.at(
                        value.file,
                        value.span,
                        format!(
                            "service `{}` may create and use every {every} of the host",
                            svc.name()
                        ),
                    )
                    .with_primary_label("every major number of the device type")
                    .with_provenance(value)
                    .with_help(
                        "allow only the device it needs: `c 189:* rmw` for USB, for example",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const DEVICES: &str = "services:\n  backup:\n    image: ghcr.io/acme/backup:1.0\n    devices:\n      - /dev/sda:/dev/sda\n      - /dev/net/tun\n      - source: /dev/kmsg\n        target: /dev/kmsg\n        permissions: r\n    device_cgroup_rules:\n      - 'a *:* rwm'\n      - 'c 189:* rmw'\n      - 'b *:* rwm'\n      - 'a 7:* rmw'\n";

    #[test]
    fn disks_memory_and_all_devices_are_reported() {
        let found = compose("CM506", DEVICES);
        assert_eq!(found.len(), 4, "{found:?}");
        let gpu = "services:\n  ml:\n    image: ghcr.io/acme/ml:1.0\n    devices: [\"/dev/dri:/dev/dri\", \"/dev/ttyUSB0\"]\n";
        assert!(compose("CM506", gpu).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM506", &[&[("compose.yaml", DEVICES)]]));
    }
}
