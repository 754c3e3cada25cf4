//! CM003 `unset-variable`. Variables used without a value or default, reported by interpolation.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// Variables used without a value or default, reported by interpolation.
    pub UnsetVariable {
        code: "CM003", name: "unset-variable",
        category: Input, severity: Info, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:${NGINX_TAG}\n",
    )];
    const GOOD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:${NGINX_TAG:-1.27}\n",
    )];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("CM003", BAD).len(), 1);
        assert!(findings("CM003", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM003", &[BAD]));
    }
}
