//! DF204 `remote-script-piped`: a downloaded script run unseen.
use crate::knowledge::programs::is_posix_shell;
use crate::rules::prelude::*;

declare_rule! {
    /// `curl … | sh`.
    pub RemoteScriptPiped {
        code: "DF204", name: "remote-script-piped",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        security_severity: "6.0",
    }
}

/// Programs that download.
const DOWNLOADERS: &[&str] = &["curl", "wget"];

/// Whether `program` runs the script it reads: a shell or a scripting language.
fn interpreter(program: &str) -> bool {
    is_posix_shell(program)
        || crate::knowledge::packages::is_python(program)
        || ["perl", "ruby", "node", "php"].contains(&program)
}

/// The interpreter `c` runs (through `sudo` and `env`), if it runs the
/// script it reads: `sh`, `bash -s -- x`, `python3 -`; not `python3 -c
/// '…'`, `perl -ne '…'` or `bash script.sh`, which read the pipe as data.
fn interpreter_of(c: &RunCommand) -> Option<&ShellWord> {
    if !interpreter(c.program()) {
        return None;
    }
    let shell = is_posix_shell(c.program());
    let mut stdin_script = false;
    for a in c.args() {
        let a = a.value.as_str();
        match a {
            "-" | "--" => return c.name(),
            "-s" => stdin_script = true,
            _ if a.starts_with("--") => {}
            // code on the command line: `sh -c`, `python3 -c`/`-m`, `perl -e`, `node -p`
            _ if a.starts_with('-') => {
                let inline: &[char] = if shell {
                    &['c']
                } else {
                    &['c', 'e', 'E', 'm', 'p']
                };
                if a.contains(inline) {
                    return None;
                }
            }
            _ => return stdin_script.then(|| c.name()).flatten(),
        }
    }
    c.name()
}

/// Whether command `i` of `cmds` downloads a script and pipes it into an
/// interpreter (`curl … | sh`): this rule's finding, which DF104 leaves
/// alone (downloading to a file and checking it removes the pipe).
pub fn pipes_remote_script(cmds: &[RunCommand], i: usize) -> bool {
    DOWNLOADERS.contains(&cmds[i].program())
        && piped_into(cmds, i).is_some_and(|n| interpreter_of(&cmds[n]).is_some())
}

impl DockerfileRule for RemoteScriptPiped {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let cmds = unit.commands(cx);
        for (i, c) in cmds.iter().enumerate() {
            let program = c.program();
            // `curl … | sh`
            if DOWNLOADERS.contains(&program) {
                let Some(runner) = piped_into(cmds, i).and_then(|n| interpreter_of(&cmds[n]))
                else {
                    continue;
                };
                let Some(span) = c.span() else { continue };
                cx.push(self.finding(df.file, span, program, runner));
                continue;
            }
            // `sh -c "$(curl …)"`
            if !is_posix_shell(program) || c.exec {
                continue;
            }
            let Some(name) = c.name() else { continue };
            let script_arg = c.args().windows(2).find(|w| {
                w[0].value.starts_with('-')
                    && w[0].value.ends_with('c')
                    && !w[0].value.starts_with("--")
            });
            let Some([_, script]) = script_arg else {
                continue;
            };
            // the script is the download itself: `"$(curl …)"`, not
            // `"V=$(curl …/version) && …"`
            let whole = script.value.starts_with("$(")
                && script.value.ends_with(')')
                && crate::dockerfile::shell::commands(
                    &script.value,
                    Span::new(0, script.value.len()),
                    b'\\',
                )
                .iter()
                .filter(|d| d.span().is_some_and(|s| s.start == 2))
                .count()
                    == 1;
            let fetched = cmds.iter().find(|d| {
                whole
                    && d.same_script(c)
                    && DOWNLOADERS.contains(&d.program())
                    && d.span().is_some_and(|s| script.span.contains(s))
            });
            if let (Some(d), Some(span)) = (fetched, fetched.and_then(|d| d.span())) {
                cx.push(self.finding(df.file, span, d.program(), name));
            }
        }
    }
}

impl RemoteScriptPiped {
    fn finding(&self, file: FileId, span: Span, program: &str, runner: &ShellWord) -> Diagnostic {
        self.at(
            file,
            span,
            format!(
                "`{program}` downloads a script that `{}` runs without checking it",
                runner.value
            ),
        )
        .with_primary_label("whatever the server sends at build time")
        .with_label(file, runner.span, "runs it")
        .with_help(
            "download to a file, check it against a known digest (`echo \"<sha256>  \
             install.sh\" | sha256sum -c`), then run it; or install from a package with a \
             pinned version",
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const PIPED: &str = "FROM debian:12\nRUN curl -fsSL https://get.example.com | sh\nRUN wget -qO- https://example.com/install | sudo -E bash -ex -\nRUN sh -c \"$(curl -fsSL https://example.com/install.sh)\" && curl -sSL https://install.python-poetry.org | python3 -\n";

    #[test]
    fn scripts_run_as_downloaded() {
        assert_eq!(dockerfile("DF204", PIPED).len(), 4);
        let fine = "FROM debian:12\nRUN sh -c \"V=$(curl -fsS https://example.com/latest.txt) && echo $V\"\nRUN curl -fsS https://example.com/v.json | python3 -c 'import json,sys; print(json.load(sys.stdin))' && wget -qO- https://example.com/l | bash process.sh\nRUN curl -fsSL https://example.com/a.tgz | tar -xz\nRUN curl -fsSL https://example.com/key | gpg --dearmor -o /k.gpg\nRUN curl -fsSLo install.sh https://example.com/i && echo \"abc  install.sh\" | sha256sum -c && sh install.sh\n";
        assert!(dockerfile("DF204", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF204", &[&[("Dockerfile", PIPED)]]));
    }
}
