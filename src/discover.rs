//! Finding the files to lint: explicit paths as given, directories walked
//! honouring `.gitignore`/`.ignore`, matched against the default patterns.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

/// File-name patterns of compose files.
pub const COMPOSE_PATTERNS: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "compose.*.yaml",
    "compose.*.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "docker-compose.*.yaml",
    "docker-compose.*.yml",
];

/// A path that could not be walked or read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DiscoverError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

fn compose_set() -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in COMPOSE_PATTERNS {
        // INVARIANT: the patterns above are valid globs.
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Whether `path`'s file name is a compose file name.
pub fn is_compose_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| compose_set().is_match(Path::new(n)))
}

/// Expands `paths` into compose files, sorted and deduplicated. Explicit files
/// are always included; directories contribute files matching the patterns.
pub fn compose_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<DiscoverError>) {
    let set = compose_set();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let walker = ignore::WalkBuilder::new(p)
                    .hidden(false)
                    .filter_entry(|e| e.file_name() != ".git")
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let is_file = e.file_type().is_some_and(|t| t.is_file());
                            if is_file && set.is_match(Path::new(e.file_name())) {
                                files.push(e.into_path());
                            }
                        }
                        Err(err) => errors.push(DiscoverError {
                            path: p.clone(),
                            message: err.to_string(),
                        }),
                    }
                }
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(DiscoverError {
                path: p.clone(),
                message: e.to_string(),
            }),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}
