//! SW001 `unused-suppression`. Found while applying inline suppressions
//! (`crate::suppress`); this file declares the rule and tests what users see.

declare_rule! {
    /// An inline suppression that suppresses nothing.
    pub UnusedSuppression {
        code: "SW001", name: "unused-suppression",
        category: Input, severity: Warning, fix: FixKind::Safe, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const STALE: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27  # seaworthy: ignore[CM403] pinned upstream\n",
    )];
    const USED: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:latest  # seaworthy: ignore[CM403] pinned upstream\n",
    )];
    const PARTLY: &[(&str, &str)] = &[(
        "Dockerfile",
        "FROM alpine:3.20\n# seaworthy: ignore[DF401, shell-form-cmd]\nUSER root\n",
    )];
    const MISPLACED: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  # seaworthy: ignore[CM403]\n\n  web:\n    image: nginx\n",
    )];

    #[test]
    fn reports_suppressions_with_nothing_to_suppress() {
        assert_eq!(findings("SW001", STALE).len(), 1);
        assert!(findings("SW001", USED).is_empty());
        assert!(findings("CM403", USED).is_empty());
        let partly = findings("SW001", PARTLY);
        assert_eq!(partly.len(), 1);
        assert!(partly[0].message.contains("shell-form-cmd"), "{partly:?}");
        // A blank line detaches the comment from the line below.
        assert_eq!(findings("SW001", MISPLACED).len(), 1);
        assert_eq!(findings("CM403", MISPLACED).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("SW001", &[STALE, PARTLY, MISPLACED]));
    }
}
