//! CM006 `env-file-not-in-checkout`. An env file the repository keeps out on
//! purpose (a template documents it, or `.gitignore` lists it), reported while
//! the project loads.
//!
//! The check itself runs in the loader (`crate::diagnostic::codes`); this
//! file declares the rule and tests what users see.

declare_rule! {
    /// An env file created at deploy time: a template documents it or `.gitignore` keeps it out.
    pub EnvFileNotInCheckout {
        code: "CM006", name: "env-file-not-in-checkout",
        category: Input, severity: Info, fix: FixKind::None, since: "0.2.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{all_findings, findings, rendered};

    const TEMPLATE: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  api:\n    image: example/api:2.1\n    env_file: .env.production\n  worker:\n    image: example/api:2.1\n    env_file: [.env.production]\n",
        ),
        (".env.production.example", "DATABASE_URL=postgres://db/app\n"),
    ];
    const IGNORED: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  api:\n    image: example/api:2.1\n    env_file: secrets/api.env\n",
        ),
        (".gitignore", "secrets/\n"),
    ];

    #[test]
    fn a_deploy_time_env_file_is_noted_once_not_an_error() {
        let all = all_findings(TEMPLATE);
        assert!(all.iter().all(|d| d.code != "CM002"), "{all:?}");
        let notes = findings("CM006", TEMPLATE);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].labels.len(), 1, "the second service as a label");
        assert_eq!(findings("CM006", IGNORED).len(), 1);
        assert!(all_findings(IGNORED).iter().all(|d| d.code != "CM002"));
    }

    #[test]
    fn a_missing_env_file_nothing_explains_stays_an_error() {
        let files = [(
            "compose.yaml",
            "services:\n  api:\n    image: example/api:2.1\n    env_file: api.env\n",
        )];
        assert_eq!(findings("CM002", &files).len(), 1);
        assert!(findings("CM006", &files).is_empty());
    }

    #[test]
    fn a_dotenv_template_documents_variables() {
        let files = [
            (
                "compose.yaml",
                "services:\n  api:\n    image: example/api:${API_TAG}\n    ports: [\"${API_PORT}:80\"]\n",
            ),
            (".env.example", "API_TAG=2.1\n"),
        ];
        let all = all_findings(&files);
        let unset: Vec<&str> = all
            .iter()
            .filter(|d| d.code == "CM003")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unset.len(), 1, "{unset:?}");
        assert!(unset[0].contains("API_PORT"));
        // the image tag is unknown, not empty: not judged as `latest`
        assert!(all.iter().all(|d| d.code != "CM403"), "{all:?}");
        assert_eq!(findings("CM006", &files).len(), 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM006", &[TEMPLATE, IGNORED]));
    }
}
