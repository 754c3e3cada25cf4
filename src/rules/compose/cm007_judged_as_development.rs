//! CM007 `judged-as-development`. Every file of a run is a development file,
//! so production-readiness rules did not run: said once, at the first file,
//! so the silence is not mistaken for a clean bill of health.
//!
//! The note is added by the engine (`crate::engine`); this file declares the
//! rule and tests what users see.

declare_rule! {
    /// Every file linted is a development file: production-readiness rules did not run.
    pub JudgedAsDevelopment {
        code: "CM007", name: "judged-as-development",
        category: Input, severity: Info, fix: FixKind::None, since: "0.2.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{all_findings, findings, rendered};

    const DEV: &[(&str, &str)] = &[(
        "docker-compose.dev.yml",
        "services:\n  api:\n    image: ghcr.io/acme/api:1.0\n",
    )];

    #[test]
    fn a_run_of_development_files_only_is_noted_once() {
        // opt-in hardening advice (security) still judges development files
        let all: Vec<_> = all_findings(DEV)
            .into_iter()
            .filter(|d| !crate::rules::find(d.code).is_some_and(|r| r.meta.opt_in))
            .collect();
        assert_eq!(
            all.iter().map(|d| d.code).collect::<Vec<_>>(),
            ["CM007"],
            "{all:?}"
        );
        let two = [DEV[0], ("tests/compose.yaml", DEV[0].1)];
        assert_eq!(findings("CM007", &two).len(), 1);
    }

    #[test]
    fn a_production_file_in_the_run_means_no_note() {
        let mixed = [DEV[0], ("compose.yaml", DEV[0].1)];
        assert!(findings("CM007", &mixed).is_empty());
        // and the production file is judged
        assert!(findings("CM101", &mixed).len() == 1);
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM007", &[DEV]));
    }
}
