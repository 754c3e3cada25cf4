//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::diagnostic::Diagnostic;
use seaworthy::discover::{kind_of, FileKind};
use seaworthy::source::{SourceFile, SourceMap};

/// Every file below `dir` that `keep` accepts, sorted; nothing if `dir` is missing.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, keep, out);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, keep, &mut out);
    out.sort();
    out
}

/// Whether discovery would lint `path` as a Dockerfile.
#[allow(dead_code)] // not every test crate reads Dockerfiles
pub fn is_dockerfile(path: &Path) -> bool {
    kind_of(path) == Some(FileKind::Dockerfile)
}

/// Loads `path` as a compose file of the project in its directory, with an empty
/// process environment so results do not depend on the machine: the sources,
/// the loaded file, and the findings of its `.env` and of the file.
#[allow(dead_code)] // not every test crate loads compose files
pub fn load_compose(path: &Path) -> (SourceMap, compose::LoadedFile, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    let (env, mut diagnostics) =
        compose::project_environment(&mut sources, dir, &[], Environment::empty());
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let id = sources.add(SourceFile::new(path.to_path_buf(), text));
    let loaded = compose::load_file(&sources, id, &env, &LoadOptions::default());
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    (sources, loaded, diagnostics)
}
