//! DF001 `dockerfile-syntax`. Dockerfiles BuildKit cannot parse, reported by the Dockerfile loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// Dockerfiles BuildKit cannot parse, reported by the Dockerfile loader.
    pub DockerfileSyntax {
        code: "DF001", name: "dockerfile-syntax",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
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

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF001", &[BAD]));
    }
}
