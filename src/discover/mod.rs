//! Finding the files to lint: explicit paths as given, directories walked
//! honouring `.gitignore`/`.ignore`. A file is a Dockerfile or a compose file
//! by its name, else a YAML file is a compose file by its content
//! ([`sniff`]): a top-level `services:` mapping, whatever the file is called.

pub mod sniff;

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
    "Dockerfile-*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
];

/// Extensions of YAML files, which are compose files when their content says so.
const YAML_EXTENSIONS: &[&str] = &["yaml", "yml"];

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// A compose file.
    Compose,
    /// A Dockerfile.
    Dockerfile,
}

impl FileKind {
    /// Lowercase name, as `--show-files` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Compose => "compose",
            FileKind::Dockerfile => "dockerfile",
        }
    }
}

/// Why a file is linted as what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// Its name matches a default pattern.
    Name,
    /// Its content: a YAML file with a top-level `services:` mapping, or a
    /// named file whose first instruction is `FROM`/`ARG`.
    Content,
    /// Named on the command line, with nothing saying otherwise: read as a
    /// compose file.
    Named,
}

impl Reason {
    /// Lowercase words, as `--show-files` prints them.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Name => "by name",
            Reason::Content => "by content",
            Reason::Named => "as named",
        }
    }
}

/// A file to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Found {
    /// The path, as given or as walked.
    pub path: PathBuf,
    /// What it is.
    pub kind: FileKind,
    /// Why.
    pub reason: Reason,
    /// Whether the path is a symbolic link (only a path given by name can
    /// be: a walk does not follow them).
    pub link: bool,
}

/// A path that could not be walked or read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {message}", path.display())]
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
        if self.dockerfile.is_match(name) && name.extension().is_none_or(|e| e != "dockerignore") {
            Some(FileKind::Dockerfile)
        } else if self.compose.is_match(name) {
            Some(FileKind::Compose)
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

/// Whether `path` has a YAML extension.
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| YAML_EXTENSIONS.contains(&e))
}

/// What a file met while walking is, by name, else by content for YAML
/// files; `None` for anything else.
pub fn classify_walked(path: &Path) -> Option<(FileKind, Reason)> {
    match kind_of(path) {
        Some(kind) => Some((kind, Reason::Name)),
        None if is_yaml(path) && sniff::is_compose(path) => {
            Some((FileKind::Compose, Reason::Content))
        }
        None => None,
    }
}

/// What a file named on the command line is: as a walked file, else a file
/// whose content reads as a Dockerfile is one, else it is read as a compose
/// file (the user asked for it). With `strict` (`--force-exclude`), a named
/// file is linted only when a walk would lint it.
pub fn classify_named(path: &Path, strict: bool) -> Option<(FileKind, Reason)> {
    if let Some(found) = classify_walked(path) {
        return Some(found);
    }
    if strict {
        return None;
    }
    let dockerfile = !is_yaml(path)
        && crate::source::read_bytes(path)
            .is_ok_and(|b| sniff::looks_like_dockerfile(&String::from_utf8_lossy(&b)));
    Some(if dockerfile {
        (FileKind::Dockerfile, Reason::Content)
    } else {
        (FileKind::Compose, Reason::Named)
    })
}

/// Says whether a path met while walking (a file or a directory) is left out.
pub type Exclude = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// Expands `paths` into compose files and Dockerfiles, sorted and
/// deduplicated. Explicit files are always included ([`classify_named`])
/// unless `force_exclude` (then they are filtered as a walk filters);
/// directories contribute the files [`classify_walked`] accepts and `exclude`
/// does not leave out.
pub fn files(
    paths: &[PathBuf],
    exclude: Option<&Exclude>,
    force_exclude: bool,
) -> (Vec<Found>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    /// What a path given by name turned out to be.
    enum Named {
        Dir,
        File(Option<Found>),
    }
    // a shell glob can name thousands of files: ask for them in parallel
    use rayon::prelude::*;
    let named: Vec<std::io::Result<Named>> = paths
        .par_iter()
        .map(|p| {
            // the link itself first: a file that is not one needs no look-up
            // of its own when its canonical path is asked for
            let meta = std::fs::symlink_metadata(p)?;
            let link = meta.file_type().is_symlink();
            let meta = if link { std::fs::metadata(p)? } else { meta };
            if meta.is_dir() {
                return Ok(Named::Dir);
            }
            if force_exclude && exclude.is_some_and(|x| x(p)) {
                return Ok(Named::File(None));
            }
            let found = classify_named(p, force_exclude).map(|(kind, reason)| Found {
                path: p.clone(),
                kind,
                reason,
                link,
            });
            Ok(Named::File(found))
        })
        .collect();
    for (p, named) in paths.iter().zip(named) {
        match named {
            Ok(Named::Dir) => walk(p, exclude, &mut files, &mut errors),
            Ok(Named::File(found)) => files.extend(found),
            Err(e) => errors.push(DiscoverError {
                path: p.clone(),
                message: crate::source::io_message(&e),
            }),
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

fn walk(
    root: &Path,
    exclude: Option<&Exclude>,
    files: &mut Vec<Found>,
    errors: &mut Vec<DiscoverError>,
) {
    let exclude = exclude.cloned();
    let walker = ignore::WalkBuilder::new(root)
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
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let Some((kind, reason)) = classify_walked(e.path()) else {
                    continue;
                };
                // `.` walks as `./x`: name files as people write them.
                let path = e.into_path();
                let path = match path.strip_prefix(".") {
                    Ok(rest) if root == Path::new(".") => rest.to_path_buf(),
                    _ => path,
                };
                // a walk does not follow links: what it lists is no link
                files.push(Found {
                    path,
                    kind,
                    reason,
                    link: false,
                });
            }
            Err(err) => errors.push(DiscoverError {
                path: root.to_path_buf(),
                message: err.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_named_link_is_marked_and_a_walked_file_is_not() {
        let tmp =
            crate::rules::testing::TempDir::with_files(&[("app/Dockerfile", "FROM scratch\n")]);
        let dir = &tmp.0;
        std::os::unix::fs::symlink("app/Dockerfile", dir.join("Dockerfile")).unwrap();
        let named = [dir.join("Dockerfile"), dir.join("app/Dockerfile")];
        let (found, errors) = files(&named, None, false);
        assert!(errors.is_empty(), "{errors:?}");
        let links: Vec<(PathBuf, bool)> = found.into_iter().map(|f| (f.path, f.link)).collect();
        assert_eq!(links, [(named[0].clone(), true), (named[1].clone(), false)]);
        let (walked, _) = files(&[dir.join("app")], None, false);
        assert_eq!(walked.len(), 1);
        assert!(!walked[0].link);
    }
}
