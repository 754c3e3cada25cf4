//! YM003 `undefined-alias`. An alias whose anchor is not defined, reported by the YAML loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// An alias whose anchor is not defined, reported by the YAML loader.
    pub UndefinedAlias {
        code: "YM003", name: "undefined-alias",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    logging: *logging\n",
    )];
    const GOOD: &[(&str, &str)] = &[("compose.yaml", "x-logging: &logging\n  driver: local\nservices:\n  web:\n    image: nginx:1.27\n    logging: *logging\n")];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("YM003", BAD).len(), 1);
        assert!(findings("YM003", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("YM003", &[BAD]));
    }
}
