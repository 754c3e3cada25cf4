//! DF502 `apt-instead-of-apt-get`: the interactive front end in a script.
use crate::rules::prelude::*;

declare_rule! {
    /// `apt` in a `RUN`.
    pub AptInsteadOfAptGet {
        code: "DF502", name: "apt-instead-of-apt-get",
        category: Reliability, severity: Info, fix: FixKind::Unsafe, since: "0.2.0",
        hadolint: ["DL3027"],
    }
}

/// What `apt-get` does as `apt` does: the subcommands both have.
const SHARED: &[&str] = &[
    "update",
    "install",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "dist-upgrade",
];

/// Every `apt` of the instruction as `apt-get`, when each is written as a
/// plain word and runs a subcommand `apt-get` has (`apt search` is
/// `apt-cache`'s: then nothing is fixed).
fn to_apt_get(
    cx: &Context<'_>,
    df: &Dockerfile,
    commands: &[RunCommand],
    instruction: usize,
) -> Option<Fix> {
    let source = cx.sources.get(df.file);
    let mut edits = Vec::new();
    for c in commands
        .iter()
        .filter(|c| c.instruction == instruction && c.program() == "apt")
    {
        let name = c.name()?;
        let sub = c.args().first()?;
        if source.slice(name.span) != "apt" || !SHARED.contains(&sub.value.as_str()) {
            return None;
        }
        edits.push(Edit::replace(df.file, name.span, "apt-get"));
    }
    Some(Fix::risky("use `apt-get`", edits))
}

impl DockerfileRule for AptInsteadOfAptGet {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let mut reported = Vec::new();
        let commands = unit.commands(cx);
        for c in commands {
            if c.program() != "apt" || reported.contains(&c.instruction) {
                continue;
            }
            let Some(name) = c.name() else { continue };
            reported.push(c.instruction);
            let fix = to_apt_get(cx, df, commands, c.instruction);
            cx.push(
                self.at(
                    df.file,
                    name.span,
                    "`apt` is meant for people at a terminal, not for scripts",
                )
                .with_primary_label("its command line may change between releases")
                .with_help(
                    "use `apt-get` (and `apt-cache` to search): same packages, a stable \
                         interface, no warning in the build log",
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const APT: &str = "FROM debian:12\nRUN apt update && apt install -y curl\nRUN [\"apt\", \"upgrade\", \"-y\"]\n";

    #[test]
    fn apt_once_per_run() {
        assert_eq!(dockerfile("DF502", APT).len(), 2);
        let fine = "FROM debian:12\nRUN apt-get update && apt-cache policy curl && echo apt\n";
        assert!(dockerfile("DF502", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF502", &[&[("Dockerfile", APT)]]));
    }
}
