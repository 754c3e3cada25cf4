//! CM513 `image-not-digest-pinned`: a tag can be pushed again.
use crate::knowledge::images::is_floating_tag;
use crate::rules::prelude::*;

declare_rule! {
    /// A pulled `image:` without a digest.
    pub ImageNotDigestPinned {
        code: "CM513", name: "image-not-digest-pinned",
        category: Security, severity: Info, fix: FixKind::None, since: "0.2.0",
        opt_in: true,
        compose_lint: ["CL-0019"],
        security_severity: "3.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for ImageNotDigestPinned {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let Some((image, value, reference)) = pulled_image(&svc.compose) else {
                continue;
            };
            // a missing or moving tag is CM403's
            let tagged = reference
                .tag
                .as_deref()
                .is_some_and(|t| !is_floating_tag(t));
            if reference.digest.is_some() || !tagged {
                continue;
            }
            cx.push(
                self.at(
                    value.file,
                    value.span,
                    format!("service `{}` pulls `{image}` by tag, not by digest", svc.name()),
                )
                .with_primary_label("the tag can be pushed again with other contents")
                .with_provenance(value)
                .with_help(format!(
                    "pin the digest too: `{image}@sha256:…` (`docker buildx imagetools inspect {image}` prints it), \
                     and let a bot such as Renovate update it"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const TAG: &str = "services:\n  db:\n    image: postgres:17.2\n";

    #[test]
    fn a_tag_without_digest_is_reported() {
        assert_eq!(compose("CM513", TAG).len(), 1);
        let pinned = "services:\n  db:\n    image: postgres:17.2@sha256:0000000000000000000000000000000000000000000000000000000000000000\n";
        assert!(compose("CM513", pinned).is_empty());
        let built = "services:\n  app:\n    image: acme/app:1.0\n    build: .\n";
        // a moving or missing tag is CM403's alone
        assert!(compose("CM513", "services:\n  db:\n    image: postgres:latest\n").is_empty());
        assert!(compose("CM513", "services:\n  db:\n    image: postgres\n").is_empty());
        assert!(compose("CM513", built).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM513", &[&[("compose.yaml", TAG)]]));
    }
}
