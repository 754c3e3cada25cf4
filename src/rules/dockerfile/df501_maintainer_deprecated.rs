//! DF501 `maintainer-deprecated`: `MAINTAINER` is kept only for old files.
use crate::rules::prelude::*;

declare_rule! {
    /// A `MAINTAINER` instruction.
    pub MaintainerDeprecated {
        code: "DF501", name: "maintainer-deprecated",
        category: Observability, severity: Info, fix: FixKind::Safe, since: "0.2.0",
        hadolint: ["DL4000"],
    }
}

/// `LABEL org.opencontainers.image.authors="…"` in place of the
/// instruction, its value escaped so `LABEL` (which expands variables,
/// unlike `MAINTAINER`) reads it as written.
fn label_fix(df: &Dockerfile, cx: &Context<'_>, instr: &Instruction, who: &Word) -> Option<Fix> {
    let source = cx.sources.get(df.file);
    let written = source.text().get(who.span.start..who.span.end)?;
    if written.contains('\n') || written.trim().is_empty() {
        return None;
    }
    // `MAINTAINER` keeps its text as written, quotes and all
    let escape = df.escape;
    let mut value = String::with_capacity(written.len() + 2);
    for c in written.trim_end().chars() {
        if c == '"' || c == '$' || c == escape {
            value.push(escape);
        }
        value.push(c);
    }
    Some(Fix::safe(
        "replace `MAINTAINER` with the `org.opencontainers.image.authors` label",
        vec![
            Edit::replace(
                df.file,
                instr.keyword.span,
                same_case(source.slice(instr.keyword.span), "LABEL"),
            ),
            Edit::replace(
                df.file,
                who.span,
                format!("org.opencontainers.image.authors=\"{value}\""),
            ),
        ],
    ))
}

impl DockerfileRule for MaintainerDeprecated {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for instr in &df.instructions {
            let Kind::Maintainer(who) = &instr.kind else {
                continue;
            };
            cx.push(
                self.at(df.file, instr.keyword.span, "`MAINTAINER` is deprecated")
                    .with_primary_label("not shown by the tools that read image labels")
                    .with_help(format!(
                        "use a label: `LABEL org.opencontainers.image.authors=\"{}\"`",
                        who.value.replace('"', "\\\"")
                    ))
                    .with_fix(label_fix(df, cx, instr, who)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const OLD: &str = "FROM alpine:3.20\nMAINTAINER Ops <ops@example.com>\n";

    #[test]
    fn maintainer_is_reported_and_the_label_passes() {
        assert_eq!(dockerfile("DF501", OLD).len(), 1);
        let label =
            "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"ops@example.com\"\n";
        assert!(dockerfile("DF501", label).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF501", &[&[("Dockerfile", OLD)]]));
    }
}
