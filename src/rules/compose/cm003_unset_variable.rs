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

    /// One variable used three times, once in a block scalar.
    const MANY: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: app:${TAG}\n    environment:\n      HOST: ${DOMAIN}\n    command:\n      - sh\n      - -c\n      - |\n        echo serving ${DOMAIN}\n        exec app --host \"${DOMAIN}\"\n",
    )];

    #[test]
    fn one_finding_per_variable_at_its_first_use_with_the_others_as_labels() {
        let found = findings("CM003", MANY);
        assert_eq!(found.len(), 2, "{found:?}");
        let domain = found.iter().find(|d| d.message.contains("DOMAIN")).unwrap();
        assert!(
            domain.message.ends_with("(and 2 more uses in this file)"),
            "{}",
            domain.message
        );
        assert_eq!(domain.labels.len(), 2);
        // inside the block scalar, each label is the `${DOMAIN}` itself
        let text = MANY[0].1;
        for l in &domain.labels {
            assert_eq!(&text[l.span.start..l.span.end], "${DOMAIN}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM003", &[BAD, MANY]));
    }
}
