//! Fragments: compose files written to be merged on a base file
//! (`docker compose -f compose.yaml -f fragment.yaml`), which Compose refuses
//! on their own. A fragment is judged on what it sets, never on what it lacks.

use std::path::{Path, PathBuf};

use super::files::default_file;
use super::model::Compose;
use super::references::{Dangling, Defined, RefKind};
use crate::source::CanonicalPaths;

/// Services of `model` that define neither `image` nor `build` (after
/// `extends`): Compose cannot run them, so they complete a base's service.
pub fn overlay_services(model: &Compose) -> Vec<String> {
    model
        .services()
        .filter(|s| s.get("image").is_none() && s.get("build").is_none())
        .map(|s| s.name().to_string())
        .collect()
}

/// The default compose files a fragment in `dir` may be merged on, nearest
/// first: those of `dir` and of each directory above it, up to the first
/// holding `.git` (the repository's root). `fragment` itself is left out.
/// `paths` holds the run's directory listings.
pub fn base_candidates(dir: &Path, fragment: &Path, paths: &CanonicalPaths) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dir.ancestors() {
        if let Some(base) = default_file(d, paths).filter(|b| b != fragment) {
            out.push(base);
        }
        if d.join(".git").exists() {
            break;
        }
    }
    out
}

/// Whether a base defining `defined` completes the fragment: it defines
/// every overlay service and every name the fragment leaves dangling.
pub fn completes(defined: &Defined, overlays: &[String], dangling: &[Dangling]) -> bool {
    overlays.iter().all(|s| defined.has(RefKind::Service, s))
        && dangling.iter().all(|d| defined.has(d.kind, &d.name))
}
