//! DF106 `workdir-relative`: a working directory that depends on the one
//! before it.
use crate::rules::prelude::*;

declare_rule! {
    /// A relative `WORKDIR`.
    pub WorkdirRelative {
        code: "DF106", name: "workdir-relative",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3000"],
    }
}

/// Whether a `WORKDIR` path stands on its own: absolute (`/app`, `C:\app`)
/// or from a variable (what it holds is not known here).
fn stands_alone(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with(['/', '$', '\\'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

impl DockerfileRule for WorkdirRelative {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for instr in &df.instructions {
            let Kind::Workdir(path) = &instr.kind else {
                continue;
            };
            let raw = path.raw.trim_matches(['"', '\'']);
            if raw.is_empty() || stands_alone(raw) {
                continue;
            }
            cx.push(
                self.at(
                    df.file,
                    path.span,
                    format!("`WORKDIR {raw}` is relative to the working directory before it"),
                )
                .with_primary_label("depends on the base image's or an earlier `WORKDIR`")
                .with_help(format!(
                    "write the absolute path (`WORKDIR /{raw}` if it is meant from the root), so a \
                     new base image or a reordered stage cannot move it"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const RELATIVE: &str =
        "FROM node:22.11\nWORKDIR app\nUSER node\nCMD [\"node\", \"server.js\"]\n";

    #[test]
    fn relative_paths_are_reported_absolute_and_variables_pass() {
        assert_eq!(dockerfile("DF106", RELATIVE).len(), 1);
        assert_eq!(
            dockerfile("DF106", "FROM alpine:3.20\nWORKDIR \"src/app\"\n").len(),
            1
        );
        for ok in [
            "/app",
            "${APP_HOME}",
            "$HOME/app",
            "C:\\\\app",
            "C:/app",
            "\"/srv\"",
        ] {
            let text = format!("FROM alpine:3.20\nWORKDIR {ok}\n");
            assert!(dockerfile("DF106", &text).is_empty(), "{ok}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF106", &[&[("Dockerfile", RELATIVE)]]));
    }
}
