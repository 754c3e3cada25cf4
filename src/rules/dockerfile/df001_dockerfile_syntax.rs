//! DF001 `dockerfile-syntax`. Dockerfiles BuildKit cannot parse, reported by the Dockerfile loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// Dockerfiles BuildKit cannot parse, reported by the Dockerfile loader.
    pub DockerfileSyntax {
        code: "DF001", name: "dockerfile-syntax",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
        also: [Warning],
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "Dockerfile",
        "FROM alpine:3.20\nRUN <<EOF\necho never closed\n",
    )];
    const GOOD: &[(&str, &str)] = &[(
        "Dockerfile",
        "FROM alpine:3.20\nRUN <<EOF\necho closed\nEOF\n",
    )];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("DF001", BAD).len(), 1);
        assert!(findings("DF001", GOOD).is_empty());
    }

    /// What BuildKit's parser says about each body (after `FROM alpine:3.20`):
    /// `None` when it accepts it.
    const BUILDKIT: &[(&str, Option<&str>)] = &[
        ("ENTRYPOINT []\nCMD []", None),
        ("CMD\nENTRYPOINT\nRUN", None),
        ("HEALTHCHECK --interval=0s --retries=0 CMD true", None),
        ("HEALTHCHECK --start-interval=2s CMD [\"true\"]", None),
        ("COPY --link --from=build --chmod=0755 a b", None),
        ("COPY --exclude=*.md --exclude=*.txt . /app", None),
        (
            "ADD --checksum=sha256:abc --keep-git-dir=true https://x/y /z",
            None,
        ),
        (
            "RUN --mount=type=cache,target=/root/.cache --network=none x",
            None,
        ),
        ("CMD [\"a\", ]", None),
        (
            "HEALTHCHECK CMD",
            Some("missing command after `HEALTHCHECK CMD`"),
        ),
        (
            "HEALTHCHECK CMD []",
            Some("missing command after `HEALTHCHECK CMD`"),
        ),
        (
            "HEALTHCHECK",
            Some("`HEALTHCHECK` requires at least one argument"),
        ),
        (
            "HEALTHCHECK FOO bar",
            Some("unknown type `FOO` in `HEALTHCHECK` (try `CMD`)"),
        ),
        (
            "HEALTHCHECK NONE x",
            Some("`HEALTHCHECK NONE` takes no arguments"),
        ),
        (
            "HEALTHCHECK --interval=500us CMD true",
            Some("`--interval` cannot be less than 1ms"),
        ),
        (
            "HEALTHCHECK --timeout=5 CMD true",
            Some("`--timeout`: missing unit"),
        ),
        (
            "HEALTHCHECK --retries=-1 CMD true",
            Some("`--retries` cannot be negative (-1)"),
        ),
        (
            "HEALTHCHECK --foo=1 CMD true",
            Some("unknown flag: `--foo`"),
        ),
        ("COPY --bogus a b", Some("unknown flag: `--bogus`")),
        (
            "COPY --from=a --from=b x y",
            Some("duplicate flag specified: `--from`"),
        ),
        (
            "COPY --link=yes a b",
            Some("expecting boolean value for flag `--link`, not: `yes`"),
        ),
        (
            "RUN --network=bridge x",
            Some("invalid network mode `bridge`"),
        ),
        ("ENV =x", Some("`ENV` names can not be blank")),
        ("ARG =x", Some("`ARG` names can not be blank")),
        ("VOLUME []", Some("`VOLUME` requires at least one argument")),
        (
            "VOLUME [\"\"]",
            Some("`VOLUME` specified can not be an empty string"),
        ),
        (
            "CMD [\"a\", 1]",
            Some("arrays must be comprised of strings only"),
        ),
        (
            "ONBUILD FROM x",
            Some("`FROM` isn't allowed as an `ONBUILD` trigger"),
        ),
        (
            "ONBUILD ONBUILD RUN x",
            Some("chaining `ONBUILD` via `ONBUILD ONBUILD` isn't allowed"),
        ),
        (
            "SHELL /bin/bash -c",
            Some("`SHELL` requires the arguments to be in JSON form"),
        ),
        (
            "FROM alpine:3.20 AS 1st",
            Some("invalid name for build stage: `1st`"),
        ),
        (
            "FROM alpine:3.20 as",
            Some("`FROM` requires either one or three arguments"),
        ),
    ];

    #[test]
    fn agrees_with_buildkit_on_what_it_refuses() {
        for (body, expected) in BUILDKIT {
            let text = format!("FROM alpine:3.20\n{body}\n");
            let found: Vec<String> = findings("DF001", &[("Dockerfile", &text)])
                .into_iter()
                .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                .map(|d| d.message)
                .collect();
            match expected {
                None => assert!(found.is_empty(), "{body:?}: {found:?}"),
                Some(m) => assert!(
                    found.len() == 1 && found[0].contains(m),
                    "{body:?}: expected {m:?}, got {found:?}"
                ),
            }
        }
    }

    #[test]
    fn a_repeated_stage_name_is_a_warning_and_a_refused_from_still_starts_a_stage() {
        let dup = findings(
            "DF001",
            &[(
                "Dockerfile",
                "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS a\n",
            )],
        );
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].severity, crate::diagnostic::Severity::Warning);
        let refused = findings("DF001", &[("Dockerfile", "FROM a b c d\nRUN make\n")]);
        assert_eq!(refused.len(), 1, "{refused:?}");
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF001", &[BAD]));
    }
}
