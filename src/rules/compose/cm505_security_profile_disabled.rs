//! CM505 `security-profile-disabled`: seccomp, AppArmor or SELinux switched off.
use crate::rules::hardening::list_items;
use crate::rules::prelude::*;

declare_rule! {
    /// A service whose `security_opt` switches off a kernel security profile.
    pub SecurityProfileDisabled {
        code: "CM505", name: "security-profile-disabled",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0009"],
        kics: ["Default Seccomp Profile Disabled"],
        security_severity: "8.0",
    }
}

/// What a `security_opt` entry switches off, if it switches one off.
fn disabled(option: &str) -> Option<&'static str> {
    let (key, value) = option.split_once([':', '='])?;
    match (key.trim(), value.trim()) {
        ("seccomp", "unconfined") => {
            Some("seccomp, which blocks the system calls containers never need")
        }
        ("apparmor", "unconfined") => Some("the AppArmor profile that confines the container"),
        ("label", "disable") => Some("SELinux labelling, which confines the container"),
        ("systempaths", "unconfined") => Some("the masking of `/proc` and `/sys` paths"),
        ("label", "type:spc_t") => Some("SELinux confinement (`spc_t` is the unconfined type)"),
        _ => None,
    }
}

impl ComposeRule for SecurityProfileDisabled {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            for (option, value) in list_items(&svc.compose, "security_opt") {
                let Some(what) = disabled(option) else {
                    continue;
                };
                cx.push(
                    self.at(
                        value.file,
                        value.span,
                        format!("service `{}` switches off {what}", svc.name()),
                    )
                    .with_primary_label("the kernel no longer confines the container")
                    .with_provenance(value)
                    .with_help(
                        "remove it; if one system call or path is missing, give a custom profile \
                         that adds just that (`seccomp:./seccomp.json`)",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const OFF: &str = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    security_opt:\n      - seccomp:unconfined\n      - apparmor=unconfined\n      - label:disable\n      - no-new-privileges:true\n";

    #[test]
    fn each_profile_switched_off_is_reported() {
        assert_eq!(compose("CM505", OFF).len(), 3);
        let fine = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    security_opt: [\"seccomp:./profile.json\", \"apparmor:docker-default\", \"label:type:svirt_apache_t\"]\n";
        assert!(compose("CM505", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM505", &[&[("compose.yaml", OFF)]]));
    }
}
