//! `check --fix`, `--unsafe-fixes` and `--diff`: fixes applied in passes.
//!
//! Each pass lints, chooses the fixes that can apply together (in finding
//! order; one that overlaps an earlier one waits), applies them to the
//! files' texts in memory and lints again, until no fix is left or
//! [`MAX_PASSES`] passes ran. Nothing is written here: the fixed texts are
//! [`Buffers`] the next pass reads instead of the disk, and the caller
//! writes them (`--fix`) or prints their diff (`--diff`).
//!
//! A fix is applied only to a file this run lints, under the paths named,
//! read as valid UTF-8 (fixes touching a secret were dropped when it was
//! masked), and only if the file reads as well as before
//! ([`fix::apply_checked`]): fixes that clash wait for the next pass, and
//! one that breaks the file even alone is dropped and counted.

use std::path::PathBuf;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{check, CheckOptions, Outcome};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::fix::{self, Fix, Safety};
use crate::source::{read_source, Decoding, FileId, SourceFile};

/// Passes after which fixes that keep finding more to fix are given up.
pub const MAX_PASSES: usize = 6;

/// One file the fixes changed.
#[derive(Debug, Clone)]
pub struct Changed {
    /// The file, as the run reached it.
    pub path: PathBuf,
    /// Its text before the first fix.
    pub before: String,
    /// Its text after the last.
    pub after: Arc<str>,
}

/// What a fixing run did.
#[derive(Debug, Default)]
pub struct Fixed {
    /// The lint of the fixed files: what remains.
    pub outcome: Outcome,
    /// The files changed, in the order first fixed.
    pub changed: Vec<Changed>,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes dropped because, even alone, the file would no longer have
    /// read as well (a rule's bug).
    pub broke: usize,
    /// Whether fixes were still found after the last pass.
    pub unconverged: bool,
}

/// Lints `paths`, applies the fixes of `safety` or safer, and lints again,
/// until nothing is left to fix. `prepare` runs on every pass's outcome
/// before fixes are chosen (the baseline filter: a finding it hides is not
/// fixed).
pub fn run(
    paths: &[PathBuf],
    opts: &CheckOptions,
    safety: Safety,
    prepare: &mut dyn FnMut(&mut Outcome),
) -> Fixed {
    let mut opts = opts.clone();
    let mut fixed = Fixed::default();
    let roots = roots(paths, &opts);
    let mut first: FxHashMap<PathBuf, usize> = FxHashMap::default();
    for pass in 0..=MAX_PASSES {
        let mut outcome = check(paths, &opts);
        prepare(&mut outcome);
        if !outcome.config_errors.is_empty() {
            fixed.outcome = outcome;
            return fixed;
        }
        let applicable: Vec<&Fix> = outcome
            .diagnostics
            .iter()
            .filter_map(|d| applicable(d, &outcome, safety, &roots))
            .collect();
        let chosen = fix::choose(applicable);
        if chosen.is_empty() || pass == MAX_PASSES {
            fixed.unconverged = !chosen.is_empty();
            fixed.outcome = outcome;
            return fixed;
        }
        let mut by_file: FxHashMap<FileId, Vec<&Fix>> = FxHashMap::default();
        for f in chosen {
            // every edit of a fix is in one file
            by_file.entry(f.edits[0].file).or_default().push(f);
        }
        let mut files: Vec<(FileId, Vec<&Fix>)> = by_file.into_iter().collect();
        files.sort_by_key(|(id, _)| *id);
        let mut progressed = false;
        for (id, fixes) in files {
            let source = outcome.sources.get(id);
            let path = source.path().to_path_buf();
            // the text as read, not as masked for output
            let Some(before) = current_text(&opts, source) else {
                continue;
            };
            let kind = kind_of(&outcome, id).unwrap_or(FileKind::Compose);
            let checked = fix::apply_checked(kind, &before, &fixes);
            fixed.broke += checked.broken;
            let (after, applied) = (checked.text, checked.applied);
            if applied == 0 {
                continue;
            }
            progressed = true;
            fixed.applied += applied;
            match first.get(&path) {
                Some(&i) => fixed.changed[i].after = after.clone().into(),
                None => {
                    first.insert(path.clone(), fixed.changed.len());
                    fixed.changed.push(Changed {
                        path: path.clone(),
                        before: before.to_string(),
                        after: after.clone().into(),
                    });
                }
            }
            opts.buffers.insert(&path, after.into());
        }
        if !progressed {
            fixed.outcome = outcome;
            return fixed;
        }
    }
    fixed
}

/// The directories fixes may write in, canonical: those named, and those of
/// the files named. A file a project includes from elsewhere is not fixed.
fn roots(paths: &[PathBuf], opts: &CheckOptions) -> Vec<PathBuf> {
    let named = paths
        .iter()
        .chain(&opts.compose_files)
        .chain(opts.stdin.as_ref().map(|s| &s.path));
    named
        .filter_map(|p| {
            let p = p
                .canonicalize()
                .unwrap_or_else(|_| std::path::absolute(p).unwrap_or_default());
            if p.is_dir() {
                Some(p)
            } else {
                p.parent().map(|d| d.to_path_buf())
            }
        })
        .collect()
}

/// The fix of `d` when this run may apply it: of `safety` or safer, every
/// edit in one linted, valid UTF-8 file under `roots` (fixes touching a
/// secret were dropped with the masking).
fn applicable<'a>(
    d: &'a Diagnostic,
    outcome: &Outcome,
    safety: Safety,
    roots: &[PathBuf],
) -> Option<&'a Fix> {
    let fix = d.fix.as_deref()?;
    if fix.safety > safety {
        return None;
    }
    let file = fix.edits.first()?.file;
    if fix.edits.iter().any(|e| e.file != file) || kind_of(outcome, file).is_none() {
        return None;
    }
    let source = outcome.sources.get(file);
    if source.decoding() != Decoding::Utf8 {
        return None;
    }
    let path = source.path();
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if !roots.iter().any(|r| path.starts_with(r)) {
        return None;
    }
    let text = source.text();
    let whole = fix.edits.iter().all(|e| {
        e.span.end <= text.len()
            && text.is_char_boundary(e.span.start)
            && text.is_char_boundary(e.span.end)
    });
    whole.then_some(fix)
}

/// What the run linted file `id` as; `None` when it only read it.
fn kind_of(outcome: &Outcome, id: FileId) -> Option<FileKind> {
    outcome
        .linted
        .iter()
        .find(|(f, _)| *f == id)
        .map(|(_, kind)| *kind)
}

/// The text of `source` as the run read it (its buffer, standard input or
/// the disk): the source map's own text has its secrets masked. `None` when
/// the file changed since it was read.
fn current_text(opts: &CheckOptions, source: &SourceFile) -> Option<Arc<str>> {
    let path = source.path();
    let text: Arc<str> = match opts.buffers.get(path) {
        Some(text) => text.clone(),
        None => read_source(path, opts.stdin.as_ref(), &opts.buffers)
            .ok()?
            .text()
            .into(),
    };
    (text.len() == source.text().len()).then_some(text)
}
