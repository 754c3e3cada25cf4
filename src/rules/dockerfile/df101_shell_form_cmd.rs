//! DF101 `shell-form-cmd`: PID 1 is a shell that swallows `SIGTERM`.
use crate::dockerfile::shell;
use crate::dockerfile::Word;
use crate::knowledge::programs;
use crate::rules::prelude::*;

declare_rule! {
    /// `CMD`/`ENTRYPOINT` in shell form in the final stage.
    pub ShellFormCmd {
        code: "DF101", name: "shell-form-cmd",
        category: Reliability, severity: Warning, fix: FixKind::Unsafe, since: "0.1.0",
        hadolint: ["DL3025"],
    }
}

/// The exec form of a shell-form command, when it is one plain command,
/// and the fix writing it: each word becomes a JSON string in place, so
/// continuation lines and comments between them stay where they are.
fn exec_form(df: &Dockerfile, cx: &Context<'_>, word: &Word) -> Option<(String, Fix)> {
    let text = cx.sources.get(df.file).text();
    let words = shell::plain_command(text, word.span, df.escape as u8)?;
    let quoted: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(&w.value).unwrap_or_default())
        .collect();
    let last = words.len() - 1;
    let edits = words
        .iter()
        .zip(&quoted)
        .enumerate()
        .map(|(i, (w, q))| {
            let open = if i == 0 { "[" } else { "" };
            let close = if i == last { "]" } else { "," };
            Edit::replace(df.file, w.span, format!("{open}{q}{close}"))
        })
        .collect();
    let fix = Fix::risky("use the exec form", edits);
    Some((format!("[{}]", quoted.join(", ")), fix))
}

impl DockerfileRule for ShellFormCmd {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let Some(last) = df.final_stage() else { return };
        let entrypoint = df.inherited(last.index, |k| matches!(k, Kind::Entrypoint(_)));
        let cmd = df.inherited(last.index, |k| matches!(k, Kind::Cmd(_)));
        // An exec-form ENTRYPOINT that is not a shell (an init such as
        // `tini`, or the program itself) is PID 1; CMD is only its arguments.
        let program_entrypoint = entrypoint.is_some_and(|e| match &e.kind {
            Kind::Entrypoint(Command::Exec { args, .. }) => {
                args.first().is_some_and(|p| !programs::is_shell(&p.value))
            }
            _ => false,
        });
        for (instr, key) in [(entrypoint, "entrypoint"), (cmd, "command")] {
            let Some(instr) = instr else { continue };
            if key == "command" && program_entrypoint {
                continue;
            }
            let (Kind::Cmd(Command::Shell(word)) | Kind::Entrypoint(Command::Shell(word))) =
                &instr.kind
            else {
                continue;
            };
            // `CMD exec server` replaces the shell: the server is PID 1.
            if word.value.trim_start().starts_with("exec ") {
                continue;
            }
            if unit.final_stage_overridden(|s| s.compose.get(key).is_some()) {
                cx.overridden(self.meta());
                continue;
            }
            let keyword = &instr.keyword.value;
            let (help, fix) = match exec_form(df, cx, word) {
                Some((exec, fix)) => (format!("use the exec form: `{keyword} {exec}`"), Some(fix)),
                None => (
                    format!(
                        "use the exec form (`{keyword} [\"program\", \"arg\"]`), or start the command with `exec` \
                         so it replaces the shell"
                    ),
                    None,
                ),
            };
            cx.push(
                self.at(
                    df.file,
                    word.span,
                    format!("`{keyword}` uses the shell form, so PID 1 is `/bin/sh` and `SIGTERM` never reaches the program"),
                )
                .with_primary_label("run as `/bin/sh -c …`")
                .with_help(help)
                .with_fix(fix),
            );
            // A shell-form ENTRYPOINT ignores CMD altogether.
            if matches!(instr.kind, Kind::Entrypoint(_)) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, findings, rendered};

    const SHELL: &str = "FROM node:22\nUSER node\nCMD node server.js\n";

    #[test]
    fn reports_the_effective_shell_form_command() {
        assert_eq!(dockerfile("DF101", SHELL).len(), 1);
        let inherited = "FROM node:22 AS base\nCMD npm start\n\nFROM base\nUSER node\n";
        assert_eq!(dockerfile("DF101", inherited).len(), 1);
        let entrypoint = "FROM alpine:3.20\nENTRYPOINT ./run.sh\nCMD [\"--serve\"]\n";
        assert_eq!(dockerfile("DF101", entrypoint).len(), 1);
        // an exec-form shell as ENTRYPOINT is still a shell as PID 1
        let shell = "FROM alpine:3.20\nENTRYPOINT [\"/bin/sh\", \"-c\"]\nCMD ./serve\n";
        assert_eq!(dockerfile("DF101", shell).len(), 1);
        // `ENTRYPOINT []` resets the entrypoint: CMD runs through the shell
        let reset = "FROM node:22\nENTRYPOINT []\nCMD node server.js\n";
        assert_eq!(dockerfile("DF101", reset).len(), 1);
    }

    #[test]
    fn cmd_is_only_arguments_to_an_exec_form_program_or_init() {
        for text in [
            "FROM node:22\nENTRYPOINT [\"tini\", \"--\"]\nCMD node server.js\n",
            "FROM alpine:3.20\nENTRYPOINT [\"/usr/bin/dumb-init\", \"--\"]\nCMD ./serve\n",
            "FROM alpine:3.20\nENTRYPOINT [\"/init\"]\nCMD ./serve\n",
            "FROM alpine:3.20\nENTRYPOINT [\"/usr/local/bin/app\"]\nCMD --port 8080\n",
        ] {
            assert!(dockerfile("DF101", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn exec_form_exec_builders_and_compose_overrides_pass() {
        for text in [
            "FROM node:22\nCMD [\"node\", \"server.js\"]\n",
            "FROM node:22\nCMD exec node server.js\n",
            "FROM node:22 AS build\nCMD npm run build\nFROM node:22-slim\nCMD [\"node\", \"dist/server.js\"]\n",
        ] {
            assert!(dockerfile("DF101", text).is_empty(), "{text}");
        }
        let overridden = [
            (
                "compose.yaml",
                "services:\n  api:\n    build: .\n    command: [\"node\", \"server.js\"]\n",
            ),
            ("Dockerfile", SHELL),
        ];
        assert!(findings("DF101", &overridden).is_empty());
    }

    #[test]
    fn snapshot() {
        let complex = "FROM alpine:3.20\nCMD ./migrate && ./serve > /var/log/app.log\n";
        insta::assert_snapshot!(rendered(
            "DF101",
            &[&[("Dockerfile", SHELL)], &[("Dockerfile", complex)]]
        ));
    }
}
