//! CM510 `root-filesystem-writable`: an intruder can change the program it runs.
use crate::rules::prelude::*;

declare_rule! {
    /// A service whose root file system is writable.
    pub RootFilesystemWritable {
        code: "CM510", name: "root-filesystem-writable",
        category: Security, severity: Info, fix: FixKind::None, since: "0.2.0",
        opt_in: true,
        compose_lint: ["CL-0007"],
        security_severity: "3.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for RootFilesystemWritable {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            // a privileged service is CM501's: hardening it further is moot
            if exempt(cx, self, &svc) || svc.compose.is_privileged() {
                continue;
            }
            let message = format!("service `{}` has a writable root file system", svc.name());
            let d = match svc.compose.get("read_only") {
                Some(v) if v.is_unknown() || v.value.as_bool() == Some(true) => continue,
                Some(v) => self
                    .at(v.file, v.span, message)
                    .with_primary_label("the image's files can be changed at run time")
                    .with_provenance(v),
                None => at_service(self, &svc.compose, message)
                    .with_primary_label("no `read_only: true`"),
            };
            cx.push(
                d.with_help("set `read_only: true`, with `tmpfs:` or volumes for what it writes"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MISSING: &str = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n";

    #[test]
    fn reported_unless_read_only() {
        assert_eq!(compose("CM510", MISSING).len(), 1);
        let off = format!("{MISSING}    read_only: false\n");
        assert_eq!(compose("CM510", &off).len(), 1);
        let on = format!("{MISSING}    read_only: true\n    tmpfs: [/tmp]\n");
        assert!(compose("CM510", &on).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM510", &[&[("compose.yaml", MISSING)]]));
    }
}
