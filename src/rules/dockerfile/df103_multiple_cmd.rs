//! DF103 `multiple-cmd`: an instruction that a later one silently replaces.
use crate::rules::prelude::*;

declare_rule! {
    /// More than one `CMD`, `ENTRYPOINT` or `HEALTHCHECK` in a stage.
    pub MultipleCmd {
        code: "DF103", name: "multiple-cmd",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.1.0",
        hadolint: ["DL4003", "DL4004", "DL3012"],
    }
}

impl DockerfileRule for MultipleCmd {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for stage in &df.stages {
            let instructions = df.stage_instructions(stage);
            let kinds: [fn(&Kind) -> bool; 3] = [
                |k| matches!(k, Kind::Cmd(_)),
                |k| matches!(k, Kind::Entrypoint(_)),
                |k| matches!(k, Kind::Healthcheck(_)),
            ];
            for is_kind in kinds {
                let all: Vec<&Instruction> =
                    instructions.iter().filter(|i| is_kind(&i.kind)).collect();
                let Some((last, earlier)) = all.split_last() else {
                    continue;
                };
                let keyword = &last.keyword.value;
                for instr in earlier {
                    cx.push(
                        self.at(
                            df.file,
                            instr.keyword.span,
                            format!("this `{keyword}` has no effect: a later `{keyword}` in the stage replaces it"),
                        )
                        .with_primary_label("ignored")
                        .with_label(df.file, last.keyword.span, "this one applies")
                        .with_help(format!("remove the earlier `{keyword}`, or merge the two")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const TWICE: &str = "FROM node:22\nCMD [\"node\", \"a.js\"]\nHEALTHCHECK NONE\nCMD [\"node\", \"b.js\"]\nHEALTHCHECK CMD [\"node\", \"check.js\"]\n";

    #[test]
    fn reports_every_replaced_instruction() {
        assert_eq!(dockerfile("DF103", TWICE).len(), 2);
        let entrypoints =
            "FROM alpine:3.20\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\nENTRYPOINT [\"c\"]\n";
        assert_eq!(dockerfile("DF103", entrypoints).len(), 2);
    }

    #[test]
    fn one_per_stage_passes() {
        let text = "FROM node:22 AS build\nCMD [\"npm\", \"test\"]\nFROM node:22-slim\nCMD [\"node\", \"server.js\"]\n";
        assert!(dockerfile("DF103", text).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF103", &[&[("Dockerfile", TWICE)]]));
    }
}
