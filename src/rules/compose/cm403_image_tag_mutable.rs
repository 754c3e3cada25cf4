//! CM403 `image-tag-mutable`: deploys that change without a commit.
use crate::knowledge::images::is_floating_tag;
use crate::rules::prelude::*;

declare_rule! {
    /// An `image:` without a tag, or tagged `latest`, and no digest.
    pub ImageTagMutable {
        code: "CM403", name: "image-tag-mutable",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.1.0",
        security_severity: "4.0",
    }
}

impl ComposeRule for ImageTagMutable {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let Some((image, value, reference)) = pulled_image(&svc.compose) else {
                continue;
            };
            if reference.digest.is_some() {
                continue;
            }
            let name = &image[reference.name_range.clone()];
            let (span, message) = match (&reference.tag, &reference.tag_range) {
                (None, _) => (
                    value.span,
                    format!(
                        "service `{}` uses `{name}` without a tag, which means `latest`",
                        svc.name()
                    ),
                ),
                (Some(tag), Some(range)) if is_floating_tag(tag) => (
                    within(cx, value, image, Span::new(range.start, range.end)),
                    format!("service `{}` uses the mutable tag `{tag}`", svc.name()),
                ),
                _ => continue,
            };
            cx.push(
                self.at(value.file, span, message)
                    .with_primary_label("changes whenever the image is pushed again")
                    .with_provenance(value)
                    .with_help(format!(
                        "pin a version (`{name}:<version>`), or a digest (`{name}:<version>@sha256:…`) \
                         for fully reproducible deploys"
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const LATEST: &str = "services:\n  web:\n    image: nginx:latest\n";
    const UNTAGGED: &str = "services:\n  web:\n    image: \"ghcr.io/acme/web\"\n";
    const DEFAULT: &str = "services:\n  web:\n    image: nginx:${NGINX_TAG:-latest}\n";

    #[test]
    fn reports_latest_and_missing_tags_after_interpolation() {
        for yaml in [LATEST, UNTAGGED, DEFAULT] {
            assert_eq!(compose("CM403", yaml).len(), 1, "{yaml}");
        }
    }

    #[test]
    fn named_floating_tags_are_mutable_too() {
        for tag in [
            "nightly",
            "edge",
            "stable",
            "lts",
            "mainline",
            "latest-alpine",
            "alpine-latest",
        ] {
            let yaml = format!("services:\n  web:\n    image: nginx:{tag}\n");
            let found = compose("CM403", &yaml);
            assert_eq!(found.len(), 1, "{tag}");
            assert!(
                found[0].message.contains(&format!("`{tag}`")),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn versions_digests_builds_and_unknown_values_pass() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27-alpine\n",
            "services:\n  web:\n    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            "services:\n  web:\n    image: acme/web\n    build: .\n",
            "services:\n  web:\n    image: nginx:${NGINX_TAG}\n",
        ] {
            assert!(compose("CM403", yaml).is_empty(), "{yaml}");
        }
    }

    /// The value is shown where it is written, with how it reached the service.
    const MERGED: &str =
        "x-base: &base\n  image: redis:latest\nservices:\n  cache:\n    <<: *base\n";
    const EXTENDED: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  web:\n    extends:\n      file: base.yaml\n      service: web\n",
        ),
        ("base.yaml", "services:\n  web:\n    image: nginx\n"),
    ];

    #[test]
    fn provenance_through_merge_keys_and_extends() {
        let merged = compose("CM403", MERGED);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].labels.len(), 1);
        let extended = crate::rules::testing::findings("CM403", EXTENDED);
        assert_eq!(extended.len(), 1);
        assert_eq!(extended[0].labels.len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM403",
            &[
                &[("compose.yaml", LATEST)],
                &[("compose.yaml", UNTAGGED)],
                &[("compose.yaml", DEFAULT)],
                &[("compose.yaml", MERGED)],
                EXTENDED,
            ]
        ));
    }
}
