//! DF108 `copy-from-unknown-stage`: `COPY --from` naming nothing BuildKit can use.
use crate::rules::prelude::*;

declare_rule! {
    /// `COPY --from` a stage that does not exist.
    pub CopyFromUnknownStage {
        code: "DF108", name: "copy-from-unknown-stage",
        category: Input, severity: Error, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3022"],
    }
}

impl DockerfileRule for CopyFromUnknownStage {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let count = df.stages.len();
        for stage in &df.stages {
            for instr in df.stage_instructions(stage) {
                if !matches!(instr.kind, Kind::Copy { add: false, .. }) {
                    continue;
                }
                let Some(value) = instr.flag("from").and_then(|f| f.value.as_ref()) else {
                    continue;
                };
                let reference = value.value.as_str();
                if reference.is_empty() {
                    continue;
                }
                let target = match reference.parse::<usize>() {
                    Ok(index) => Some(index),
                    Err(_) => df.stage_named(reference).map(|s| s.index),
                };
                let finding = if reference.contains('$') {
                    Some((
                        format!("`COPY --from={reference}` uses a variable, which BuildKit does not expand there"),
                        "the build stops here".to_string(),
                    ))
                } else if let Some(index) = target {
                    if index >= count {
                        Some((
                            format!(
                                "`COPY --from={index}` names stage {index}, but the Dockerfile has {count} (numbered from 0)"
                            ),
                            "no such stage".to_string(),
                        ))
                    } else if index == stage.index {
                        Some((
                            format!("`COPY --from={reference}` copies from the stage it is in"),
                            "a stage cannot copy from itself".to_string(),
                        ))
                    } else if index > stage.index {
                        Some((
                            format!("`COPY --from={reference}` copies from a stage defined after this one"),
                            "BuildKit needs the stage defined before it is copied from".to_string(),
                        ))
                    } else {
                        None
                    }
                } else if crate::image_ref::ImageRef::parse(reference).is_err() {
                    Some((
                        format!("`COPY --from={reference}` names neither a stage nor an image"),
                        "not a stage name, and not a valid image reference".to_string(),
                    ))
                } else {
                    // any other name is an image BuildKit pulls (`--from=busybox`)
                    None
                };
                let Some((message, label)) = finding else {
                    continue;
                };
                let names: Vec<String> = df.stages[..stage.index]
                    .iter()
                    .map(|s| match &s.name {
                        Some(n) => format!("`{}`", n.value),
                        None => s.index.to_string(),
                    })
                    .collect();
                let d = self
                    .at(df.file, value.span, message)
                    .with_primary_label(label)
                    .with_help(format!(
                        "copy from an earlier stage{}, or from an image by its reference; to \
                         choose a stage by a build argument, define `FROM ${{ARG}} AS name` and \
                         copy from `name`",
                        if names.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", names.join(", "))
                        }
                    ));
                cx.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const BAD: &str = "FROM golang:1.23.4 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=2 /app /app\nCOPY --from=Not_An_Image /x /x\nFROM alpine:3.20 AS last\nCOPY --from=last /x /x\nCOPY --from=${BASE} /y /y\n";

    #[test]
    fn unknown_stages() {
        assert_eq!(dockerfile("DF108", BAD).len(), 4);
        // a name that is not a stage is an image, near a stage name or not
        let images = "FROM python:3.12-slim AS base\nFROM base AS worker\nCOPY --from=docker /usr/local/bin/docker /d\nCOPY --from=bash /usr/local/bin/bash /b\n";
        assert!(dockerfile("DF108", images).is_empty());
        let fine = "FROM alpine:3.20 AS a\nCOPY --from=nginx:1.27 /etc/nginx /n\nCOPY --from=busybox /bin/sh /sh\nFROM alpine:3.20 AS later\nCOPY --from=0 /a /a\nCOPY --from=A /a /a\n";
        assert!(dockerfile("DF108", fine).is_empty());
        let forward = "FROM alpine:3.20 AS a\nCOPY --from=later /x /x\nFROM alpine:3.20 AS later\n";
        assert_eq!(dockerfile("DF108", forward).len(), 1);
        assert!(dockerfile("DF108", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF108", &[&[("Dockerfile", BAD)]]));
    }
}
