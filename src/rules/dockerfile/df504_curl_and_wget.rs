//! DF504 `curl-and-wget`: two download tools in one image.
use crate::rules::prelude::*;

declare_rule! {
    /// Both `curl` and `wget` run in the stages of an image.
    pub CurlAndWget {
        code: "DF504", name: "curl-and-wget",
        category: Resources, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL4001"],
    }
}

impl DockerfileRule for CurlAndWget {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let cmds = unit.commands(cx);
        let mut reported = Vec::new();
        // each image on its own: two services may build two targets
        for run in unit.run_stages() {
            let image = df.image_stages(&[run]);
            let first = |tool: &str| {
                cmds.iter()
                    .filter(|c| image.contains(&c.stage) && c.program() == tool)
                    .find_map(|c| c.name())
            };
            let (Some(curl), Some(wget)) = (first("curl"), first("wget")) else {
                continue;
            };
            let (earlier, later) = if curl.span.start < wget.span.start {
                (curl, wget)
            } else {
                (wget, curl)
            };
            if reported.contains(&later.span) {
                continue;
            }
            reported.push(later.span);
            cx.push(
                self.at(
                    df.file,
                    later.span,
                    format!(
                        "the image uses `{}` here and `{}` before: two tools for one job",
                        later.value, earlier.value
                    ),
                )
                .with_primary_label("a second download tool to install and patch")
                .with_label(df.file, earlier.span, "first used here")
                .with_help("use one of them throughout (or `ADD --checksum` for plain downloads)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, findings, rendered};

    const BOTH: &str = "FROM debian:12\nRUN curl -fsSLo /a https://example.com/a\nRUN wget -q https://example.com/b\n";

    #[test]
    fn both_tools_in_the_image() {
        assert_eq!(dockerfile("DF504", BOTH).len(), 1);
        let fine = "FROM debian:12 AS fetch\nRUN wget -q https://example.com/b\nFROM debian:12\nCOPY --from=fetch /b /b\nRUN curl -fsS https://example.com/a\n";
        assert!(dockerfile("DF504", fine).is_empty());
        // two services, two images, one tool each
        let two = "FROM debian:12 AS api\nRUN curl -fsSO https://example.com/a\nFROM debian:12 AS worker\nRUN sudo wget -q https://example.com/b\n";
        let compose = "services:\n  api:\n    build:\n      context: .\n      target: api\n  worker:\n    build:\n      context: .\n      target: worker\n";
        assert!(findings("DF504", &[("compose.yaml", compose), ("Dockerfile", two)]).is_empty());
        assert_eq!(
            dockerfile(
                "DF504",
                &two.replace("AS worker", "AS worker\nCOPY --from=api / /")
            )
            .len(),
            1
        );
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF504", &[&[("Dockerfile", BOTH)]]));
    }
}
