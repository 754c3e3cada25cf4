//! YM001 `yaml-syntax`. YAML that cannot be parsed, reported by the YAML loader at the error.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// YAML that cannot be parsed, reported by the YAML loader at the error.
    pub YamlSyntax {
        code: "YM001", name: "yaml-syntax",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    ports: [80:80\n",
    )];
    const GOOD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    ports: [\"80:80\"]\n",
    )];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("YM001", BAD).len(), 1);
        assert!(findings("YM001", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("YM001", &[BAD]));
    }
}
