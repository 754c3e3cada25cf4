//! CM001 `invalid-compose`. Wrong types, unknown keys and bad value syntax, reported by the Compose loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// Wrong types, unknown keys and bad value syntax, reported by the Compose loader.
    pub InvalidCompose {
        code: "CM001", name: "invalid-compose",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    restrat: always\n",
    )];
    const GOOD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    restart: always\n",
    )];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("CM001", BAD).len(), 1);
        assert!(findings("CM001", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM001", &[BAD]));
    }
}
