//! DF501 `maintainer-deprecated`: `MAINTAINER` is kept only for old files.
use crate::rules::prelude::*;

declare_rule! {
    /// A `MAINTAINER` instruction.
    pub MaintainerDeprecated {
        code: "DF501", name: "maintainer-deprecated",
        category: Observability, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL4000"],
    }
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
                    )),
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
