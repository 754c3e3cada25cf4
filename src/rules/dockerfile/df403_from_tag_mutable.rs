//! DF403 `from-tag-mutable`: builds that change without a commit.
use crate::dockerfile::Base;
use crate::knowledge::images::is_floating_tag;
use crate::rules::prelude::*;

declare_rule! {
    /// `FROM` an image with no tag, or `latest`, and no digest.
    pub FromTagMutable {
        code: "DF403", name: "from-tag-mutable",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.1.0",
        hadolint: ["DL3006", "DL3007"],
        security_severity: "4.0",
    }
}

/// The global `ARG` default a `FROM` word takes its tag from, when the
/// tag is written there: the span of the tag in that default.
fn tag_in_arg_default(df: &Dockerfile, word: &crate::dockerfile::Word, tag: &str) -> Option<Span> {
    if !word.raw.contains('$') {
        return None;
    }
    let first_from = df.stages.first()?.from;
    df.instructions[..first_from]
        .iter()
        .filter_map(|i| match &i.kind {
            Kind::Arg(decls) => Some(decls),
            _ => None,
        })
        .flatten()
        .filter(|d| word.raw.contains(d.name.value.as_str()))
        .filter_map(|d| d.default.as_ref())
        .find_map(|default| {
            let at = default.value.rfind(&format!(":{tag}"))? + 1;
            Some(
                default
                    .span
                    .part(&default.raw, &default.value, at..at + tag.len()),
            )
        })
}

impl DockerfileRule for FromTagMutable {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        // one finding per place to fix: `FROM`s sharing an `ARG` default are labels
        let mut found: Vec<Diagnostic> = Vec::new();
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
                (Some(tag), Some(range)) if is_floating_tag(tag) => (
                    tag_in_arg_default(df, word, tag)
                        .unwrap_or_else(|| word.span.part(&word.raw, resolved, range.clone())),
                    format!("`FROM {name}:{tag}` uses the mutable tag `{tag}`"),
                ),
                _ => continue,
            };
            if let Some(d) = found.iter_mut().find(|d| d.span == span) {
                d.labels.push(crate::diagnostic::Label {
                    file: df.file,
                    span: word.span,
                    message: "also builds on it".into(),
                });
                continue;
            }
            let mut d = self
                .at(df.file, span, message)
                .with_primary_label("changes whenever the image is pushed again")
                .with_help(format!(
                    "pin a version (`FROM {name}:<version>`), or a digest for fully reproducible builds"
                ));
            if span != word.span && !word.span.contains(span) {
                d = d.with_label(df.file, word.span, "this `FROM` builds on it");
            }
            found.push(d);
        }
        cx.extend(found);
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
        // one place to fix: the `ARG` default two stages build on
        let shared = "ARG BASE=kong:latest\nFROM ${BASE} AS build\nRUN make\nFROM ${BASE}\nCOPY --from=build /a /a\n";
        let found = dockerfile("DF403", shared);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&shared[found[0].span.start..found[0].span.end], "latest");
        assert_eq!(found[0].labels.len(), 2);
        for tag in ["lts", "current", "edge", "nightly", "latest-slim"] {
            let text = format!("FROM node:{tag}\n");
            assert_eq!(dockerfile("DF403", &text).len(), 1, "{tag}");
        }
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
