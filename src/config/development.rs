//! Development files: compose files and Dockerfiles a project keeps for
//! development, tests, examples and demos. Validity and security rules judge
//! them; production-readiness rules (health, limits, logging) do not.
//!
//! By default a file is one when a word of its name, or of a directory
//! between it and the project root, says so (`docker-compose.dev.yml`,
//! `devenv/`, `compose.local.yaml`, `tests/`, `examples/`, `demo/`,
//! `docs/`…), and `compose.override.yaml` is one when the directory also
//! holds a production file (`compose.prod.yaml`). The root is the directory of
//! the configuration that applies, else the repository (the nearest `.git`),
//! else the current directory, else the file's own directory. A
//! configuration's `development:` globs replace these defaults.

use std::path::Path;

/// Words (of file and directory names split at `.`, `-`, `_` and spaces)
/// that mark development files.
pub const DEVELOPMENT_WORDS: &[&str] = &[
    "dev",
    "devel",
    "develop",
    "development",
    "devenv",
    "local",
    "test",
    "tests",
    "testing",
    "example",
    "examples",
    "sample",
    "samples",
    "demo",
    "demos",
    "sandbox",
    "playground",
    "docs",
];

/// Words that mark a production compose file (`compose.prod.yaml`,
/// `docker-compose.production.yml`, `compose.deploy.yml`: the file layered
/// on the base for a deployment, where the override is for the laptop).
const PRODUCTION_WORDS: &[&str] = &["prod", "production", "deploy"];

/// The words of a name, as written.
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['.', '-', '_', ' ']).filter(|w| !w.is_empty())
}

/// The entry of `list` (lower case) that a word of `name` is, in any case.
fn listed_word(name: &str, list: &[&'static str]) -> Option<&'static str> {
    words(name).find_map(|w| list.iter().copied().find(|l| l.eq_ignore_ascii_case(w)))
}

/// Why the file at `relative` (its path below the project root; `dir` is
/// its directory on disk) is a development file by default, or `None`.
pub fn by_default(relative: &Path, dir: &Path) -> Option<String> {
    // from the file's name up through its directories, nearest first
    let mut names = relative.components().rev().filter_map(|c| match c {
        std::path::Component::Normal(s) => Some(s.to_string_lossy()),
        _ => None,
    });
    let file = names.next()?;
    if let Some(w) = listed_word(&file, DEVELOPMENT_WORDS) {
        return Some(format!("`{w}` in its name"));
    }
    if let Some(d) = names.find(|d| listed_word(d, DEVELOPMENT_WORDS).is_some()) {
        return Some(format!("in `{d}/`"));
    }
    if is_override_file(&file) {
        if let Some(prod) = production_file_in(dir) {
            return Some(format!("an override beside the production file `{prod}`"));
        }
    }
    None
}

/// `compose.override.yaml` and its variants.
fn is_override_file(name: &str) -> bool {
    matches!(
        name,
        "compose.override.yaml"
            | "compose.override.yml"
            | "docker-compose.override.yml"
            | "docker-compose.override.yaml"
    )
}

/// The name of a production compose file in `dir`, if there is one.
fn production_file_in(dir: &Path) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| {
            (name.ends_with(".yml") || name.ends_with(".yaml"))
                && listed_word(name, &["compose"]).is_some()
                && listed_word(name, PRODUCTION_WORDS).is_some()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(relative: &str) -> Option<String> {
        by_default(Path::new(relative), Path::new("/nonexistent"))
    }

    #[test]
    fn names_and_folders_that_say_development() {
        for path in [
            "docker-compose.dev.yml",
            "compose.dev-redis.yaml",
            "devenv/compose.yaml",
            "compose.local.yaml",
            "tests/e2e/compose.yaml",
            "examples/basic/compose.yaml",
            "docs/guide/basic-example/docker-compose.yml",
            "demo/Dockerfile",
            "Dockerfile.dev",
            "sandbox/compose.yml",
            "playground/compose.yml",
            "docker-compose.test.yml",
        ] {
            assert!(dev(path).is_some(), "{path}");
        }
        for word in DEVELOPMENT_WORDS {
            assert!(dev(&format!("compose.{word}.yaml")).is_some(), "{word}");
            assert!(dev(&format!("{word}/compose.yaml")).is_some(), "{word}");
        }
        for path in [
            "compose.yaml",
            "deploy/compose.prod.yaml",
            "devices/compose.yaml",
            "latest/compose.yaml",
            "docker-compose.override.yml",
            "Dockerfile",
        ] {
            assert!(dev(path).is_none(), "{path}");
        }
    }

    #[test]
    fn an_override_is_development_beside_a_production_file() {
        let dir = std::env::temp_dir().join(format!("seaworthy-dev-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let over = Path::new("compose.override.yaml");
        assert!(by_default(over, &dir).is_none());
        std::fs::write(dir.join("compose.prod.yaml"), "services: {}\n").unwrap();
        let why = by_default(over, &dir).unwrap();
        assert!(why.contains("compose.prod.yaml"), "{why}");
        std::fs::remove_file(dir.join("compose.prod.yaml")).unwrap();
        std::fs::write(dir.join("compose.deploy.yml"), "services: {}\n").unwrap();
        let why = by_default(over, &dir).unwrap();
        assert!(why.contains("compose.deploy.yml"), "{why}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
