//! YM002 `duplicate-key`. A mapping key written twice, reported by the YAML loader with both places.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// A mapping key written twice, reported by the YAML loader with both places.
    pub DuplicateKey {
        code: "YM002", name: "duplicate-key",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    image: nginx:1.26\n",
    )];
    const GOOD: &[(&str, &str)] = &[("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n")];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("YM002", BAD).len(), 1);
        assert!(findings("YM002", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("YM002", &[BAD]));
    }
}
