//! DF403 `from-tag-mutable`: builds that change without a commit.
use crate::dockerfile::Base;
use crate::rules::prelude::*;

declare_rule! {
    /// `FROM` an image with no tag, or `latest`, and no digest.
    pub FromTagMutable {
        code: "DF403", name: "from-tag-mutable",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.1.0",
        hadolint: ["DL3006", "DL3007"],
    }
}

impl DockerfileRule for FromTagMutable {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for stage in &df.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.digest.is_some() {
                continue;
            }
            let Kind::From { image: word, .. } = &df.instructions[stage.from].kind else {
                continue;
            };
            let resolved = stage.resolved_image.as_deref().unwrap_or_default();
            let name = &resolved[image.name_range.clone()];
            let (span, message) = match (&image.tag, &image.tag_range) {
                (None, _) => (
                    word.span,
                    format!("`FROM {name}` has no tag, so it builds on whatever `latest` is"),
                ),
                (Some(tag), Some(range)) if tag == "latest" => (
                    word.span.part(&word.raw, resolved, range.clone()),
                    format!("`FROM {name}:latest` uses the mutable tag `latest`"),
                ),
                _ => continue,
            };
            cx.push(
                self.at(df.file, span, message)
                    .with_primary_label("changes whenever the image is pushed again")
                    .with_help(format!(
                        "pin a version (`FROM {name}:<version>`), or a digest for fully reproducible builds"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, findings, rendered};

    const LATEST: &str = "FROM node:latest AS build\nRUN npm ci\nFROM nginx\nCOPY --from=build /app /usr/share/nginx/html\n";

    #[test]
    fn reports_every_stage_on_a_mutable_tag() {
        assert_eq!(dockerfile("DF403", LATEST).len(), 2);
        let arg = "ARG TAG=latest\nFROM node:${TAG}\n";
        assert_eq!(dockerfile("DF403", arg).len(), 1);
    }

    #[test]
    fn versions_digests_stages_scratch_and_unknowns_pass() {
        for text in [
            "FROM node:22-alpine\n",
            "FROM node@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            "FROM node:22 AS base\nFROM base\n",
            "FROM scratch\n",
            "ARG TAG\nFROM node:${TAG}\n",
        ] {
            assert!(dockerfile("DF403", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn compose_build_args_resolve_the_tag() {
        let project = [
            (
                "compose.yaml",
                "services:\n  api:\n    build:\n      context: .\n      args:\n        TAG: \"22\"\n",
            ),
            ("Dockerfile", "ARG TAG=latest\nFROM node:${TAG}\n"),
        ];
        assert!(findings("DF403", &project).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF403", &[&[("Dockerfile", LATEST)]]));
    }
}
