//! Finding the files to lint: explicit paths as given, directories walked
//! honouring `.gitignore`/`.ignore`, matched against the default patterns.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// File-name patterns of Dockerfiles (`Dockerfile.dockerignore` files are not
/// Dockerfiles and are skipped).
pub const DOCKERFILE_PATTERNS: &[&str] = &[
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
];

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A compose file.
    Compose,
    /// A Dockerfile.
    Dockerfile,
}

/// A path that could not be walked or read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DiscoverError {
    /// The path.
    pub path: PathBuf,
    /// Why.
    pub message: String,
}

fn glob_set(patterns: &[&str]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // INVARIANT: the patterns above are valid globs.
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// The compiled default patterns.
struct Patterns {
    compose: GlobSet,
    dockerfile: GlobSet,
}

impl Patterns {
    /// The default patterns, compiled once.
    fn get() -> &'static Patterns {
        static PATTERNS: OnceLock<Patterns> = OnceLock::new();
        PATTERNS.get_or_init(|| Patterns {
            compose: glob_set(COMPOSE_PATTERNS),
            dockerfile: glob_set(DOCKERFILE_PATTERNS),
        })
    }

    /// What the file name says the file is, if it matches a default pattern.
    fn kind(&self, name: &Path) -> Option<FileKind> {
        if self.compose.is_match(name) {
            Some(FileKind::Compose)
        } else if self.dockerfile.is_match(name)
            && name.extension().is_none_or(|e| e != "dockerignore")
        {
            Some(FileKind::Dockerfile)
        } else {
            None
        }
    }
}

/// What `path`'s file name says it is, if it matches a default pattern.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    path.file_name()
        .and_then(|n| Patterns::get().kind(Path::new(n)))
}

/// Whether `path`'s file name is a compose file name.
pub fn is_compose_file(path: &Path) -> bool {
    kind_of(path) == Some(FileKind::Compose)
}

/// Says whether a path met while walking (a file or a directory) is left out.
pub type Exclude = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// Expands `paths` into compose files and Dockerfiles, sorted and
/// deduplicated. Explicit files are always included (as Dockerfiles if their
/// name says so, else as compose files) unless `force_exclude`; directories
/// contribute files matching the patterns that `exclude` does not leave out.
pub fn files(
    paths: &[PathBuf],
    exclude: Option<&Exclude>,
    force_exclude: bool,
) -> (Vec<(PathBuf, FileKind)>, Vec<DiscoverError>) {
    let patterns = Patterns::get();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let exclude = exclude.cloned();
                let walker = ignore::WalkBuilder::new(p)
                    .hidden(false)
                    .require_git(false)
                    .filter_entry(move |e| {
                        e.file_name() != ".git"
                            && !(e.depth() > 0 && exclude.as_ref().is_some_and(|x| x(e.path())))
                    })
                    .build();
                for entry in walker {
                    match entry {
                        Ok(e) => {
                            let is_file = e.file_type().is_some_and(|t| t.is_file());
                            if let Some(kind) = is_file
                                .then(|| patterns.kind(Path::new(e.file_name())))
                                .flatten()
                            {
                                // `.` walks as `./x`: name files as people write them.
                                let path = e.into_path();
                                let path = match path.strip_prefix(".") {
                                    Ok(rest) if p == Path::new(".") => rest.to_path_buf(),
                                    _ => path,
                                };
                                files.push((path, kind));
                            }
                        }
                        Err(err) => errors.push(DiscoverError {
                            path: p.clone(),
                            message: err.to_string(),
                        }),
                    }
                }
            }
            Ok(_) if force_exclude && exclude.is_some_and(|x| x(p)) => {}
            Ok(_) => {
                files.push((p.clone(), kind_of(p).unwrap_or(FileKind::Compose)));
            }
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
