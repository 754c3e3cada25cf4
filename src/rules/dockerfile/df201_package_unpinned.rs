//! DF201 `package-unpinned`: packages installed at whatever version is newest.
use crate::knowledge::packages::Manager;
use crate::rules::prelude::*;

declare_rule! {
    /// Packages installed without a version.
    pub PackageUnpinned {
        code: "DF201", name: "package-unpinned",
        category: Security, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3008", "DL3018", "DL3033", "DL3041", "DL3037", "DL3013", "DL3016", "DL3028", "DL3062"],
        security_severity: "2.0",
    }
}

/// How a manager's packages name a version.
fn how_to_pin(manager: Manager) -> &'static str {
    match manager {
        Manager::Apt => "`name=version` (`apt-cache policy name` lists the versions)",
        Manager::Apk => "`name=version`, or `name~major.minor` for its patch releases",
        Manager::Rpm => "`name-version` (`dnf list --showduplicates name` lists them)",
        Manager::Zypper => "`name=version`",
        Manager::Pip => "`name==version`, or a requirements file with versions (and hashes)",
        Manager::Npm | Manager::Yarn | Manager::Pnpm => {
            "`name@version`, or a `package.json` with a lockfile"
        }
        Manager::Gem => "`name:version` or `-v version`",
        Manager::Go => "`path@vX.Y.Z`",
    }
}

impl DockerfileRule for PackageUnpinned {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let cmds = unit.commands(cx);
        for c in cmds {
            let Some(p) = PackageCommand::parse(&c.command) else {
                continue;
            };
            let unpinned: Vec<&ShellWord> = p
                .packages()
                .into_iter()
                .filter(|(_, pinned)| !pinned)
                .map(|(w, _)| w)
                .collect();
            let Some(first) = unpinned.first() else {
                continue;
            };
            let action = p.action.map_or("", |a| a.value.as_str());
            // `pip wheel` and `pip download` fetch what a later install installs
            let verb = if matches!(action, "wheel" | "download") {
                "fetches"
            } else {
                "installs"
            };
            let named: Vec<String> = unpinned
                .iter()
                .take(3)
                .map(|w| format!("`{}`", w.value))
                .collect();
            let more = match unpinned.len() {
                n if n > 3 => format!(" and {} more", n - 3),
                _ => String::new(),
            };
            let span = first.span.cover(unpinned[unpinned.len() - 1].span);
            // one line at most: a long list over continuation lines underlines its first
            let span = if cx.sources.get(df.file).slice(span).contains('\n') {
                first.span
            } else {
                span
            };
            let d = self
                .at(
                    df.file,
                    span,
                    format!(
                        "`{} {action}` {verb} {}{more} without a fixed version",
                        p.display(),
                        named.join(", ")
                    ),
                )
                .with_primary_label("whatever version is newest when the image is built")
                .with_help(format!(
                    "pin each package with {}, so a rebuild installs what was tested",
                    how_to_pin(p.manager())
                ));
            cx.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const UNPINNED: &str = "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 git ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask gunicorn==23.0.0 && npm install -g typescript\nRUN go install golang.org/x/tools/gopls@latest\n";

    #[test]
    fn unpinned_packages_by_manager() {
        assert_eq!(dockerfile("DF201", UNPINNED).len(), 4);
        let fine = "FROM alpine:3.20\nRUN apk add --no-cache curl=8.11.1-r0 git~2.45\nRUN pip install -r requirements.txt . && npm ci && npm install\nRUN gem install bundler -v 2.5.22 && go install ./cmd/app && go install golang.org/x/tools/gopls@v0.16.2\nRUN apt-get install -y ./app.deb $EXTRA\n";
        assert!(dockerfile("DF201", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF201", &[&[("Dockerfile", UNPINNED)]]));
    }
}
