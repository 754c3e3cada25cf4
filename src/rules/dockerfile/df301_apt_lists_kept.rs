//! DF301 `apt-lists-kept`: package lists shipped in the image.
use crate::dockerfile::run::path_within;
use crate::knowledge::packages::Manager;
use crate::rules::prelude::*;

declare_rule! {
    /// `apt-get update` without removing `/var/lib/apt/lists` in the same `RUN`.
    pub AptListsKept {
        code: "DF301", name: "apt-lists-kept",
        category: Resources, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3009"],
    }
}

const LISTS: &str = "/var/lib/apt/lists";

/// Whether `c` removes what lies in `dir`: `rm -rf dir/*`, `rm -r dir` or a
/// directory above it, `find dir -delete`.
fn removes(c: &RunCommand, dir: &str) -> bool {
    c.deleted_paths().iter().any(|p| {
        let path = p.trim_end_matches('*').trim_end_matches('/');
        path.starts_with('/') && path_within(dir, path) && path.len() > 1
    })
}

impl DockerfileRule for AptListsKept {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let image = unit.image_stages();
        let cmds = unit.commands(cx);
        let mut reported = Vec::new();
        for (i, c) in cmds.iter().enumerate() {
            if !image.contains(&c.stage) || reported.contains(&c.instruction) {
                continue;
            }
            let Some(p) = PackageCommand::parse(&c.command) else {
                continue;
            };
            if p.manager() != Manager::Apt || !p.is("update") {
                continue;
            }
            let instr = &df.instructions[c.instruction];
            let run = crate::dockerfile::run::instruction_range(cmds, c.instruction);
            let cleaned = instr.mounted(LISTS)
                || cmds[i + 1..run.end].iter().any(|d| {
                    removes(d, LISTS)
                        || PackageCommand::parse(&d.command).is_some_and(|q| {
                            q.manager() == Manager::Apt && (q.is("distclean") || q.is("dist-clean"))
                        })
                });
            if cleaned {
                continue;
            }
            reported.push(c.instruction);
            let Some(action) = p.action else { continue };
            cx.push(
                self.at(df.file, p.program.span.cover(action.span), format!(
                    "`{} update` downloads package lists that stay in the image",
                    p.display()
                ))
                .with_primary_label("tens of megabytes of lists in this layer")
                .with_help(
                    "end the same `RUN` with `&& rm -rf /var/lib/apt/lists/*`, or mount them as a cache \
                     (`RUN --mount=type=cache,target=/var/lib/apt/lists …`)",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const KEPT: &str =
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n";

    #[test]
    fn lists_removed_or_mounted() {
        assert_eq!(dockerfile("DF301", KEPT).len(), 1);
        let fine = [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt,sharing=locked apt-get update && apt-get install -y curl\n",
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /usr/bin/gcc /usr/bin/\n",
            "FROM debian:12\nRUN apt-get install -y ./local.deb\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt\n",
        ];
        for text in fine {
            assert!(dockerfile("DF301", text).is_empty(), "{text}");
        }
        // a builder whose whole file system is copied into the image
        let late = "FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && rm -f /var/lib/apt/lists/lock\n";
        assert_eq!(dockerfile("DF301", late).len(), 1);
        let whole = "FROM debian:12 AS root\nRUN apt-get update && apt-get install -y curl\nFROM scratch\nCOPY --from=root / /\n";
        assert_eq!(dockerfile("DF301", whole).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF301", &[&[("Dockerfile", KEPT)]]));
    }
}
