//! CM004 `obsolete-version`. The obsolete top-level `version:`, reported by the Compose loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// The obsolete top-level `version:`, reported by the Compose loader.
    pub ObsoleteVersion {
        code: "CM004", name: "obsolete-version",
        category: Input, severity: Info, fix: FixKind::Safe, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n",
    )];
    const GOOD: &[(&str, &str)] = &[("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n")];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("CM004", BAD).len(), 1);
        assert!(findings("CM004", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM004", &[BAD]));
    }
}
