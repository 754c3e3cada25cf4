//! CM002 `undefined-reference`. References to services, resources, files and stages that do not exist, reported while loading and linking the project.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// References to services, resources, files and stages that do not exist, reported while loading and linking the project.
    pub UndefinedReference {
        code: "CM002", name: "undefined-reference",
        category: Input, severity: Error, fix: FixKind::None, since: "0.1.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const BAD: &[(&str, &str)] = &[(
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n",
    )];
    const GOOD: &[(&str, &str)] = &[("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    depends_on: [db]\n  db:\n    image: postgres:17\n")];

    #[test]
    fn reports_the_broken_input() {
        assert_eq!(findings("CM002", BAD).len(), 1);
        assert!(findings("CM002", GOOD).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM002", &[BAD]));
    }
}
