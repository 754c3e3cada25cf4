//! Agreement with Docker Compose v2 on which files are valid.
//!
//! For every compose file in `fixtures/`, `examples/` and the shared corpus
//! (`$SEAWORTHY_CORPUS/corpus`), `docker-compose
//! config -q` (the reference loader, installed from PyPI by `.ci/run`) and
//! seaworthy must agree: a file Compose accepts gets no error-level load finding
//! from us, and a file Compose rejects gets at least one. Multi-file projects
//! (`fixtures/projects/`) are compared as projects by `tests/config_parity.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use seaworthy::diagnostic::Severity;

/// Compose files by name, plus every `.yaml` of the YAML and parity fixtures.
fn is_compared(p: &Path) -> bool {
    let dir = p.parent().unwrap_or(Path::new(""));
    let in_projects = p.components().any(|c| c.as_os_str() == "projects");
    (seaworthy::discover::is_compose_file(p) && !in_projects)
        || ((dir.ends_with("fixtures/yaml") || dir.ends_with("fixtures/parity"))
            && p.extension().is_some_and(|x| x == "yaml"))
}

/// What Docker Compose says: `None` if it accepts the file, else its message.
fn compose_verdict(bin: &Path, file: &Path) -> Option<String> {
    let dir = file.parent().unwrap();
    let out = Command::new(bin)
        .arg("-f")
        .arg(file.file_name().unwrap())
        .args(["config", "-q"])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("COMPOSE_PROJECT_NAME", "parity")
        .output()
        .expect("run docker-compose");
    if out.status.success() {
        None
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Some(
            err.lines()
                .filter(|l| !l.contains("level=warning"))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

/// What seaworthy says: the error-level load findings.
fn our_errors(file: &Path) -> Vec<String> {
    let (_, _, diagnostics) = common::load_compose(file);
    diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// Whether Compose refuses the file only because a variable it declares
/// required (`${VAR:?message}`) has no value: seaworthy takes the
/// declaration to mean the deployment sets it, and reports nothing (CM003).
fn refused_for_a_declared_variable(message: &str, file: &Path) -> bool {
    let Some(rest) = message.split("required variable ").nth(1) else {
        return false;
    };
    let name = rest.split_whitespace().next().unwrap_or("");
    let text = std::fs::read_to_string(file).unwrap_or_default();
    !name.is_empty()
        && (text.contains(&format!("${{{name}:?")) || text.contains(&format!("${{{name}?")))
}

#[test]
fn seaworthy_and_docker_compose_agree_on_validity() {
    let Some(bin) = common::require_docker_compose() else {
        return;
    };
    let mut dirs = vec![PathBuf::from("fixtures"), PathBuf::from("examples")];
    let corpus = common::shared_corpus("corpus");
    // the fixtures alone, or with the shared corpus: at least this many valid files
    let min_accepted = if corpus.is_some() { 70 } else { 35 };
    dirs.extend(corpus);
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| common::files_under(d, &is_compared))
        .collect();
    files.sort();
    let mut mismatches = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for file in &files {
        let theirs = compose_verdict(&bin, file);
        let ours = our_errors(file);
        match (&theirs, ours.is_empty()) {
            (None, true) => accepted += 1,
            (Some(_), false) => rejected += 1,
            (None, false) => mismatches.push(format!(
                "{}: Compose accepts, we report {ours:?}",
                file.display()
            )),
            (Some(msg), true) if refused_for_a_declared_variable(msg, file) => rejected += 1,
            (Some(msg), true) => mismatches.push(format!(
                "{}: Compose rejects ({msg}), we report nothing",
                file.display()
            )),
        }
    }
    eprintln!(
        "{} files: {accepted} accepted by both, {rejected} rejected by both",
        files.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        accepted >= min_accepted,
        "too few valid files compared: {accepted}"
    );
    assert!(rejected >= 10, "too few invalid files compared: {rejected}");
}
