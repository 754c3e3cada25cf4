//! Baselines: the findings a project accepts for now (`--write-baseline`),
//! so that a run with `--baseline` reports only new ones.
//!
//! A finding is recorded by its fingerprint ([`crate::fingerprint`]) with the
//! file named relative to the baseline's own directory, so neither lines moved
//! above it nor the working directory of the run change it. The code, path and
//! message are stored too, for people reviewing the file.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{canonical, relative_to};
use crate::diagnostic::Diagnostic;
use crate::fingerprint::fingerprints_naming;
use crate::source::SourceMap;

/// Version of the baseline file format.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    code: String,
    path: String,
    message: String,
}

/// A baseline read from disk.
#[derive(Debug)]
pub struct Baseline {
    dir: PathBuf,
    /// How many recorded findings carry each fingerprint (one, unless the
    /// file was edited by hand).
    fingerprints: HashMap<String, usize>,
}

/// What filtering by a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    /// Findings removed because the baseline records them.
    pub known: usize,
    /// Recorded findings no longer found (fixed, or changed).
    pub stale: usize,
}

/// The directory a baseline at `path` anchors file names to, canonical.
fn anchor(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    canonical(dir)
}

/// `path` named relative to `dir`, with `/` separators.
fn name_from(dir: &Path, path: &Path) -> String {
    relative_to(&canonical(path), dir)
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

fn prints(diagnostics: &[Diagnostic], sources: &SourceMap, dir: &Path) -> Vec<String> {
    // Called once per finding; paths repeat, so names are cached.
    let names: RefCell<HashMap<PathBuf, String>> = RefCell::default();
    let name = |p: &Path| -> String {
        names
            .borrow_mut()
            .entry(p.to_path_buf())
            .or_insert_with(|| name_from(dir, p))
            .clone()
    };
    fingerprints_naming(diagnostics, sources, &name)
}

/// The text of a baseline at `path` recording `diagnostics`.
pub fn render(path: &Path, diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let dir = anchor(path);
    let prints = prints(diagnostics, sources, &dir);
    let findings = diagnostics
        .iter()
        .zip(prints)
        .map(|(d, fingerprint)| Entry {
            fingerprint,
            code: d.code.to_string(),
            path: name_from(&dir, sources.get(d.file).path()),
            message: d.message.clone(),
        })
        .collect();
    let file = File {
        version: VERSION,
        findings,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads the baseline at `path`.
pub fn read(path: &Path) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read baseline `{}`: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a seaworthy baseline: {e}", path.display()))?;
    if file.version != VERSION {
        return Err(format!(
            "`{}` is a version {} baseline; this seaworthy reads version {VERSION}",
            path.display(),
            file.version
        ));
    }
    let mut fingerprints = HashMap::new();
    for e in file.findings {
        *fingerprints.entry(e.fingerprint).or_insert(0) += 1;
    }
    Ok(Baseline {
        dir: anchor(path),
        fingerprints,
    })
}

impl Baseline {
    /// Removes from `diagnostics` every finding the baseline records.
    pub fn filter(&self, diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) -> Filtered {
        let prints = prints(diagnostics, sources, &self.dir);
        let mut left = self.fingerprints.clone();
        let mut known = 0;
        let mut keep = prints.iter().map(|p| match left.get_mut(p) {
            Some(n) if *n > 0 => {
                *n -= 1;
                known += 1;
                false
            }
            _ => true,
        });
        diagnostics.retain(|_| keep.next().unwrap_or(true));
        Filtered {
            known,
            stale: left.values().sum(),
        }
    }
}
