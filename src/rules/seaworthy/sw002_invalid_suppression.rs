//! SW002 `invalid-suppression`. Found while reading inline suppressions
//! (`crate::suppress`); this file declares the rule and tests what users see.

declare_rule! {
    /// An inline suppression that cannot be read.
    pub InvalidSuppression {
        code: "SW002", name: "invalid-suppression",
        category: Input, severity: Warning, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:  # seaworthy: ignore[CM101, healthcheck-mising]\n    image: nginx:1.27\n    restart: always  # seaworthy: ingore[CM103]\n  db:  # seaworthy: ignore CM101\n    image: postgres:17\n",
    )];
    const GOOD: &[(&str, &str)] = &[(
        "compose.yaml",
        "# seaworthy: the production stack\nservices:\n  web:  # seaworthy: ignore[CM101] behind a load balancer that checks it\n    image: nginx:1.27\n",
    )];

    #[test]
    fn reports_suppressions_that_cannot_be_read() {
        let found = findings("SW002", BAD);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(findings("SW002", GOOD).is_empty());
        // The valid part of a partly invalid list still works.
        assert!(findings("CM101", BAD)
            .iter()
            .all(|d| d.message.contains("`db`")));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("SW002", &[BAD]));
    }
}
