//! DF104 `pipefail-missing`: a pipe whose first commands may fail unseen.
use crate::knowledge::programs::{command_name, is_posix_shell};
use crate::rules::prelude::*;

declare_rule! {
    /// A `RUN` pipe under a shell without `pipefail`.
    pub PipefailMissing {
        code: "DF104", name: "pipefail-missing",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL4006"],
    }
}

/// Commands whose failure in a pipe means nothing: they print what they
/// are given.
const CANNOT_FAIL: &[&str] = &["echo", "printf", "yes", "true"];

/// Whether a command reading a pipe may stop reading early (`head`, `grep
/// -q`): `pipefail` would then fail the `RUN` at random, when the writer
/// gets `SIGPIPE`.
fn stops_early(c: &RunCommand) -> bool {
    let args = || c.args().iter().map(|a| a.value.as_str());
    match c.program() {
        "head" => true,
        "grep" | "egrep" | "fgrep" => {
            crate::dockerfile::shell::has_option(
                args(),
                Some('q'),
                &["quiet", "silent"],
                "efmABCdD",
            ) || crate::dockerfile::shell::has_option(args(), Some('m'), &["max-count"], "efmABCdD")
        }
        _ => false,
    }
}

/// Whether `set` (or a shell) given `args` turns `pipefail` on: `-o
/// pipefail`, `-euo pipefail`.
fn sets_pipefail(args: impl IntoIterator<Item = impl AsRef<str>>) -> bool {
    let args: Vec<_> = args.into_iter().collect();
    args.windows(2).any(|w| {
        let flag = w[0].as_ref();
        flag.starts_with('-')
            && !flag.starts_with("--")
            && flag.ends_with('o')
            && w[1].as_ref() == "pipefail"
    })
}

/// Whether the base images of `df` are Windows ones (their shell is `cmd`).
fn windows(df: &Dockerfile) -> bool {
    const WINDOWS: &[&str] = &[
        "windows",
        "nanoserver",
        "servercore",
        "mcr.microsoft.com/dotnet/framework/",
        "mcr.microsoft.com/iis",
    ];
    df.escape == '`'
        || df.stages.iter().any(|s| {
            s.resolved_image.as_deref().is_some_and(|i| {
                let i = i.to_ascii_lowercase();
                WINDOWS.iter().any(|w| i.contains(w))
            })
        })
}

/// Whether the script holding `c` is a `RUN <<EOF` body with a `#!` line:
/// BuildKit runs it with that interpreter, not with the `SHELL`.
fn shebang_script(df: &Dockerfile, c: &RunCommand) -> bool {
    let Kind::Run { heredocs, .. } = &df.instructions[c.instruction].kind else {
        return false;
    };
    let script = df.instructions[c.instruction].shell_scripts();
    heredocs
        .iter()
        .any(|h| h.content.starts_with("#!") && script.get(c.script).is_some_and(|s| *s == h.body))
}

impl DockerfileRule for PipefailMissing {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        if windows(df) {
            return;
        }
        let cmds = unit.commands(cx);
        let mut reported = Vec::new();
        for (i, c) in cmds.iter().enumerate() {
            if c.exec || reported.contains(&c.instruction) || CANNOT_FAIL.contains(&c.program()) {
                continue;
            }
            // `curl … | sh` is DF204's, whose fix removes the pipe
            if super::df204_remote_script_piped::pipes_remote_script(cmds, i) {
                continue;
            }
            let Some(next) = piped_into(cmds, i).filter(|&n| !stops_early(&cmds[n])) else {
                continue;
            };
            // a pipe in the `$(…)` of another command's argument: that command's
            // status is the step's, whatever `pipefail` says
            let span = c.span().unwrap_or_default();
            let in_argument = cmds.iter().any(|p| {
                p.same_script(c)
                    && p.command.name().is_some()
                    && p.span().is_some_and(|s| s.contains(span) && s != span)
            });
            if in_argument {
                continue;
            }
            let shell = df
                .shell_at(c.instruction)
                .filter(|_| !shebang_script(df, c));
            if let Some(words) = shell {
                // `SHELL ["/usr/bin/env", "bash", "-c"]`
                let words = match words.first() {
                    Some(w) if command_name(&w.value) == "env" => &words[1..],
                    _ => words,
                };
                let program = words.first().map_or("", |w| w.value.as_str());
                if !is_posix_shell(program) || sets_pipefail(words.iter().map(|w| &w.value)) {
                    continue;
                }
            }
            let set_before = cmds[..i].iter().any(|p| {
                p.same_script(c)
                    && p.program() == "set"
                    && sets_pipefail(p.args().iter().map(|a| &a.value))
            });
            // the pipe's status is its last command's
            let mut last = next;
            while let Some(n) = piped_into(cmds, last) {
                last = n;
            }
            let (Some(span), Some(into), Some(end)) =
                (c.span(), cmds[next].name(), cmds[last].name())
            else {
                continue;
            };
            if set_before {
                continue;
            }
            reported.push(c.instruction);
            let shell_name = shell
                .and_then(|w| w.first())
                .map_or("/bin/sh".to_string(), |w| w.value.to_string());
            let program = c.program();
            let d = self
                .at(
                    df.file,
                    span,
                    format!(
                        "`{program}` pipes into `{}` under `{shell_name}` without `pipefail`: \
                         a failure of `{program}` does not fail the pipe",
                        into.value
                    ),
                )
                .with_primary_label("a failure here is lost")
                .with_label(df.file, end.span, "only this command's status counts")
                .with_help(
                    "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the `RUN` \
                     (on images with bash), or start the script with `set -o pipefail &&` \
                     where `/bin/sh` knows it (Alpine's ash, bash; not the dash of Debian \
                     and Ubuntu images)",
                );
            cx.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    #[test]
    fn a_script_piped_into_a_shell_is_left_to_df204() {
        let text = "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | bash\nRUN curl -fsSL https://example.com/install.sh | bash -s -- --yes && wget -qO- https://example.com/a.tgz | tar -xz\n";
        let found = dockerfile("DF104", text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.starts_with("`wget` pipes into `tar`"),
            "{}",
            found[0].message
        );
    }

    const PIPES: &str = "FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt\nRUN <<EOF\nwget -qO- https://example.com/key | gpg --dearmor > /k.gpg\nEOF\n";

    #[test]
    fn pipes_without_pipefail() {
        assert_eq!(dockerfile("DF104", PIPES).len(), 2);
        let fine = [
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/a | tar -xz\n",
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-euxo\", \"pipefail\", \"-c\"]\nFROM base\nRUN curl -fsSL https://example.com/a | tar -xz\n",
            "FROM alpine:3.20\nRUN set -eo pipefail; curl -fsSL https://example.com/a | tar -xz\n",
            "FROM alpine:3.20\nRUN echo 'app:x' | chpasswd && printf 'y\\n' | apk add x\n",
            "FROM alpine:3.20\nRUN [\"sh\", \"-c\", \"curl https://example.com | tar -x\"]\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
            "FROM debian:12\nSHELL [\"pwsh\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
            "FROM debian:12\nRUN curl -fsS https://example.com/a || true\n",
            "FROM debian:12\nSHELL [\"/usr/bin/env\", \"bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN ls | wc -l\n",
            "FROM debian:12\nRUN d=\"$(find / -name x | head -n 1)\" && ps | grep -q app\n",
            "FROM debian:12\nRUN apt-get install -y $(grep -v '^#' /pkgs | tr '\\n' ' ') && go build -ldflags=\"-X m.v=$(git describe | sed s/v//)\"\n",
            "FROM nginx:1.27-alpine\nRUN case \"$(apk --print-arch)\" in x86_64|aarch64) echo ok ;; *) exit 1 ;; esac\n",
            "FROM mcr.microsoft.com/dotnet/framework/sdk:4.8\nRUN dir | findstr x\n",
        ];
        for text in fine {
            assert!(dockerfile("DF104", text).is_empty(), "{text}");
        }
        // a bash SHELL without the option, and a pipe in a second stage that has none
        let bash = "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN ps aux | grep app\nFROM debian:12\nRUN ls | wc -l\n";
        assert_eq!(dockerfile("DF104", bash).len(), 2);
        // a `#!` heredoc does not run under the `SHELL`, and an assignment takes
        // its substitution's status
        let shebang = "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\n#!/bin/bash\ncurl -fsS https://example.com | tar -x\nEOF\n";
        assert_eq!(dockerfile("DF104", shebang).len(), 1);
        let assigned =
            "FROM debian:12\nRUN V=$(curl -fsS https://example.com/v | cut -c1-5) && echo $V\n";
        assert_eq!(dockerfile("DF104", assigned).len(), 1);
        // the label is at the command whose status the pipe returns
        let three = "FROM debian:12\nRUN rpm -qpR /a.rpm | grep -v rpmlib | xargs dnf install -y\n";
        let found = dockerfile("DF104", three);
        assert_eq!(found[0].labels[0].span.start, three.find("xargs").unwrap());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF104", &[&[("Dockerfile", PIPES)]]));
    }
}
