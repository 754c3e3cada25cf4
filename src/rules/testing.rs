//! Test helpers: lint a small project written to a temporary directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::compose::Environment;
use crate::diagnostic::Diagnostic;
use crate::engine::{self, CheckOptions, Outcome};
use crate::report::human::{self, HumanOptions};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory holding `files` (`(relative path, text)`).
    pub fn with_files(files: &[(&str, &str)]) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "seaworthy-rule-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lints the directory with every rule (opt-in ones too), with an empty
/// process environment.
pub fn lint_dir(dir: &Path) -> Outcome {
    lint_dir_with(dir, crate::config::ConfigSource::Disabled)
}

fn lint_dir_with(dir: &Path, config: crate::config::ConfigSource) -> Outcome {
    let opts = CheckOptions {
        process_env: Environment::empty(),
        cli: crate::config::Layer {
            select: Some(crate::rules::RULES.iter().collect()),
            ..Default::default()
        },
        config,
        ..Default::default()
    };
    engine::check(&[dir.to_path_buf()], &opts)
}

/// The findings of rule `code` for a project made of `files`, one of which
/// is the `.seaworthy.yaml` that configures it (rule options).
pub fn configured(code: &str, files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let dir = TempDir::with_files(files);
    let outcome = lint_dir_with(&dir.0, crate::config::ConfigSource::Discover);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(
        outcome.config_errors.is_empty(),
        "{:?}",
        outcome.config_errors
    );
    outcome
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The findings of rule `code` for a project made of `files`.
pub fn findings(code: &str, files: &[(&str, &str)]) -> Vec<Diagnostic> {
    all_findings(files)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Every finding for a project made of `files`.
pub fn all_findings(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let dir = TempDir::with_files(files);
    let outcome = lint_dir(&dir.0);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    // a finding's default severity is one its rule declares (`rules` and the
    // manuals show those)
    for d in &outcome.diagnostics {
        if let Some(rule) = crate::rules::find(d.code) {
            let m = rule.meta;
            assert!(
                d.severity == m.severity || m.also.contains(&d.severity),
                "{} reported as {} but declares {}",
                d.code,
                d.severity.as_str(),
                m.severities_shown()
            );
        }
    }
    outcome.diagnostics
}

/// A compose file alone.
pub fn compose(code: &str, yaml: &str) -> Vec<Diagnostic> {
    findings(code, &[("compose.yaml", yaml)])
}

/// A Dockerfile alone.
pub fn dockerfile(code: &str, text: &str) -> Vec<Diagnostic> {
    findings(code, &[("Dockerfile", text)])
}

/// The rendered findings of rule `code` for each project, one after the other,
/// with the temporary directory removed from paths: what a rule's snapshot shows.
pub fn rendered(code: &str, cases: &[&[(&str, &str)]]) -> String {
    let mut out = String::new();
    for (i, files) in cases.iter().enumerate() {
        let dir = TempDir::with_files(files);
        let outcome = lint_dir(&dir.0);
        let own: Vec<Diagnostic> = outcome
            .diagnostics
            .into_iter()
            .filter(|d| d.code == code)
            .collect();
        out.push_str(&format!("── case {} ──\n", i + 1));
        let text = human::render(&own, &outcome.sources, &HumanOptions::default());
        let prefix = format!("{}/", dir.0.display());
        out.push_str(&text.replace(&prefix, ""));
    }
    out
}
