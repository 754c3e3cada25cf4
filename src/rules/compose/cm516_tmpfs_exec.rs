//! CM516 `tmpfs-exec`: a writable scratch space programs can run from.
use crate::rules::prelude::*;

declare_rule! {
    /// A `tmpfs` mounted with `exec`, `suid` or `dev`.
    pub TmpfsExec {
        code: "CM516", name: "tmpfs-exec",
        category: Security, severity: Info, fix: FixKind::None, since: "0.2.0",
        compose_lint: ["CL-0022"],
        security_severity: "2.0",
    }
}

impl ComposeRule for TmpfsExec {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let Some(tmpfs) = svc.compose.get("tmpfs") else {
                continue;
            };
            let items: Vec<&Spanned<Value>> = match &tmpfs.value {
                Value::List(items) => items.iter().collect(),
                Value::Str(_) => vec![tmpfs],
                _ => continue,
            };
            for item in items {
                let Some(text) = item.value.as_str() else {
                    continue;
                };
                if item.is_unknown() {
                    continue;
                }
                let (path, options) = text.split_once(':').unwrap_or((text, ""));
                // the last of `exec`/`noexec` (and the others) wins
                let risky: Vec<&str> = ["exec", "suid", "dev"]
                    .into_iter()
                    .filter(|flag| {
                        options
                            .split(',')
                            .map(str::trim)
                            .rfind(|o| *o == *flag || o.strip_prefix("no") == Some(flag))
                            == Some(flag)
                    })
                    .collect();
                if risky.is_empty() {
                    continue;
                }
                cx.push(
                    self.at(
                        item.file,
                        item.span,
                        format!(
                            "service `{}` mounts `{path}` as tmpfs with `{}`",
                            svc.name(),
                            risky.join("`, `")
                        ),
                    )
                    .with_primary_label(
                        "writable, and what is written there can run or act as a device",
                    )
                    .with_provenance(item)
                    .with_help(format!(
                        "leave Docker's default `noexec,nosuid,nodev` (`{path}:size=64m`), unless \
                         the service really runs what it writes there"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const EXEC: &str = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    tmpfs:\n      - /tmp:exec,size=64m\n      - /run:noexec,nosuid\n";

    #[test]
    fn exec_and_suid_are_reported() {
        assert_eq!(compose("CM516", EXEC).len(), 1);
        let one = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    tmpfs: /cache:suid\n";
        assert_eq!(compose("CM516", one).len(), 1);
        let fine = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    tmpfs: [/tmp, \"/run:exec,noexec\"]\n";
        assert!(compose("CM516", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM516", &[&[("compose.yaml", EXEC)]]));
    }
}
