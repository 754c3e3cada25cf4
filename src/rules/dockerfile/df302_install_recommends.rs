//! DF302 `install-recommends`: packages nobody asked for.
use crate::knowledge::packages::Manager;
use crate::rules::prelude::*;

declare_rule! {
    /// `apt-get install` without `--no-install-recommends`.
    pub InstallRecommends {
        code: "DF302", name: "install-recommends",
        category: Resources, severity: Info, fix: FixKind::Unsafe, since: "0.2.0",
        hadolint: ["DL3015"],
    }
}

/// Whether an APT setting `key=value` turns recommends off.
fn recommends_off(setting: &str) -> bool {
    let lower = setting.to_ascii_lowercase();
    lower.split_once('=').is_some_and(|(k, v)| {
        k.trim() == "apt::install-recommends"
            && ["false", "0", "no", "off"].contains(&v.trim().trim_matches('"'))
    })
}

impl DockerfileRule for InstallRecommends {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let image = unit.image_stages();
        let cmds = unit.commands(cx);
        for (i, c) in cmds.iter().enumerate() {
            if !image.contains(&c.stage) {
                continue;
            }
            let Some(p) = PackageCommand::parse(&c.command) else {
                continue;
            };
            if p.manager() != Manager::Apt || !p.installs() || p.operands.is_empty() {
                continue;
            }
            let off = p.has_option(&["--no-install-recommends"])
                || p.options.iter().any(|(o, v)| {
                    recommends_off(
                        v.map_or(
                            o.value
                                .trim_start_matches("--option=")
                                .trim_start_matches("-o"),
                            |v| &v.value,
                        ),
                    )
                });
            // an apt.conf snippet written by an earlier `RUN` of the image:
            // `echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/…`
            let configured = cmds[..i].iter().any(|d| {
                df.stage_chain(c.stage).contains(&d.stage)
                    && d.command.words.iter().any(|w| {
                        let lower = w.value.to_ascii_lowercase();
                        lower
                            .split_once("apt::install-recommends")
                            .is_some_and(|(_, v)| {
                                let v = v.trim_start_matches([' ', '=', '"']);
                                v.starts_with('0') || v.starts_with("false") || v.starts_with("no")
                            })
                    })
            });
            if off || configured {
                continue;
            }
            let Some(action) = p.action else { continue };
            // after the subcommand, when it is written as a plain word
            let text = cx.sources.get(df.file).text();
            let fix = (text.get(action.span.start..action.span.end) == Some(action.value.as_str()))
                .then(|| {
                    Fix::risky(
                        "add `--no-install-recommends`",
                        vec![Edit::insert(
                            df.file,
                            action.span.end,
                            " --no-install-recommends",
                        )],
                    )
                });
            cx.push(
                self.at(
                    df.file,
                    p.program.span.cover(action.span),
                    format!(
                        "`{} install` also installs the packages recommended by those it names",
                        p.display()
                    ),
                )
                .with_primary_label("often as much again, none of it asked for")
                .with_help(
                    "add `--no-install-recommends`, and name what the image needs explicitly",
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const RECOMMENDS: &str = "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n";

    #[test]
    fn recommends_installed() {
        assert_eq!(dockerfile("DF302", RECOMMENDS).len(), 1);
        let fine = [
            "FROM ubuntu:24.04\nRUN apt-get install -y --no-install-recommends curl\n",
            "FROM ubuntu:24.04\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n",
            "FROM ubuntu:24.04\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/01norecommends\nRUN apt-get install -y curl\n",
            "FROM ubuntu:24.04 AS build\nRUN apt-get install -y build-essential\nFROM scratch\nCOPY --from=build /out /\n",
        ];
        let on = "FROM ubuntu:24.04\nRUN echo 'APT::Install-Recommends \"true\";' > /etc/apt/apt.conf.d/01r\nRUN apt-get install -y curl\n";
        assert_eq!(dockerfile("DF302", on).len(), 1);
        for text in fine {
            assert!(dockerfile("DF302", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF302", &[&[("Dockerfile", RECOMMENDS)]]));
    }
}
