//! CM001 `invalid-compose`. Wrong types, unknown keys and bad value syntax, reported by the Compose loader.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// Wrong types, unknown keys and bad value syntax, reported by the Compose loader.
    pub InvalidCompose {
        code: "CM001", name: "invalid-compose",
        category: Input, severity: Error, fix: FixKind::Safe, since: "0.1.0",
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

    /// Typed values built from variables: unknown ones are not checked,
    /// defaults and set values are.
    const TYPED: &str = "services:\n  db:\n    image: postgres:17\n    read_only: ${READONLY}\n    ports: [\"${PORT}:5432\", \"${ADMIN_PORT:?the admin port}:8080\"]\n    volumes: [\"${DATA_PATH}:/var/lib/postgresql/data\"]\n    mem_limit: ${DB_MEMORY}\n    stop_grace_period: ${GRACE}\n";

    #[test]
    fn values_from_unknown_variables_are_not_type_checked() {
        assert!(findings("CM001", &[("compose.yaml", TYPED)]).is_empty());
        // documented by a template: unknown too
        let documented = [
            (
                "compose.yaml",
                "services:\n  db:\n    image: postgres:17\n    read_only: ${READONLY}\n",
            ),
            (".env.example", "READONLY=true\n"),
        ];
        assert!(findings("CM001", &documented).is_empty());
        // a default is checked as written
        let default = "services:\n  db:\n    image: postgres:17\n    read_only: ${READONLY:-maybe}\n    stop_grace_period: ${GRACE:-soon}\n";
        assert_eq!(findings("CM001", &[("compose.yaml", default)]).len(), 2);
    }

    #[test]
    fn a_base_file_service_without_image_or_build_is_refused() {
        let yaml = "services:\n  web:\n    restart: always\n";
        let found = findings("CM001", &[("compose.yaml", yaml)]);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("neither `image` nor `build`"));
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM001", &[BAD]));
    }
}
