//! Runs the checks over a set of paths and decides the outcome.
//!
//! Loads every project, links it to the Dockerfiles it builds, runs the load-time
//! checks and the rule registry, masks secrets, sorts and deduplicates.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::compose::{self, project, Environment, LoadOptions, ProjectOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, FileKind};
use crate::dockerfile::{self, BuildArgs};
use crate::project::link;
use crate::rules;
use crate::source::{read_text, SourceFile, SourceMap};

/// Options for one `check` run.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Env files replacing each project's `.env`.
    pub env_files: Vec<PathBuf>,
    /// Variables of the process environment.
    pub process_env: Environment,
    /// Loader options.
    pub load: LoadOptions,
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every file read, for rendering.
    pub sources: SourceMap,
    /// Findings, sorted by file, offset and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be read or walked (exit code 2).
    pub errors: Vec<String>,
    /// Number of files linted.
    pub files: usize,
    /// Codes of Dockerfile findings not reported because every service
    /// building the Dockerfile overrides them in compose.
    pub overridden: Vec<&'static str>,
}

/// Lints the compose files and Dockerfiles found under `paths`. Compose files
/// are loaded as projects: a default file with its override file, every other
/// compose file on its own, each with its `include`s and `extends`, linked to
/// the Dockerfiles their services build. A Dockerfile no project builds is
/// linted on its own.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Outcome {
    let mut out = Outcome::default();
    let (files, errors) = discover::files(paths);
    out.errors.extend(errors.into_iter().map(|e| e.to_string()));
    let mut projects: Vec<Vec<PathBuf>> = Vec::new();
    let mut dockerfiles = Vec::new();
    for (path, kind) in files {
        if kind == FileKind::Dockerfile {
            dockerfiles.push(path);
            continue;
        }
        out.files += 1;
        let dir = path.parent().unwrap_or(Path::new("."));
        let defaults = project::default_files(dir);
        let files = if defaults.contains(&path) {
            defaults
        } else {
            vec![path]
        };
        if !projects.contains(&files) {
            projects.push(files);
        }
    }
    // (files given, every file read, project), paths canonical.
    let mut loaded = Vec::new();
    for files in projects {
        let project_opts = ProjectOptions {
            files: files.clone(),
            env_files: opts.env_files.clone(),
            profiles: Vec::new(),
            process_env: opts.process_env.clone(),
            load: opts.load.clone(),
        };
        match compose::load_project(&mut out.sources, &project_opts) {
            Ok(p) => {
                let given: Vec<PathBuf> = files.iter().map(|f| canonical(f)).collect();
                let read: Vec<PathBuf> = p
                    .files
                    .iter()
                    .map(|f| canonical(out.sources.get(*f).path()))
                    .collect();
                loaded.push((given, read, p));
            }
            Err(e) => out.errors.push(e.to_string()),
        }
    }
    // A file another project includes or extends is checked as part of that
    // project, not again on its own (of two projects that include each other,
    // the first is kept).
    let part_of = |a: usize, b: usize| {
        let (given, _, _) = &loaded[a];
        let (_, read, _) = &loaded[b];
        a != b && given.iter().all(|f| read.contains(f))
    };
    let subsumed: Vec<bool> = (0..loaded.len())
        .map(|i| (0..loaded.len()).any(|j| part_of(i, j) && (!part_of(j, i) || j < i)))
        .collect();
    let mut built = BTreeSet::new();
    for ((_, _, mut compose), subsumed) in loaded.into_iter().zip(subsumed) {
        if subsumed {
            continue;
        }
        out.diagnostics.append(&mut compose.diagnostics);
        let mut linked = link(&mut out.sources, compose);
        out.diagnostics.append(&mut linked.diagnostics);
        let (diagnostics, overridden) = rules::check_project(&linked, &out.sources);
        out.diagnostics.extend(diagnostics);
        out.overridden.extend(overridden);
        for d in &linked.dockerfiles {
            built.insert(canonical(out.sources.get(d.dockerfile.file).path()));
        }
    }
    for path in dockerfiles {
        out.files += 1;
        if built.contains(&canonical(&path)) {
            continue;
        }
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                out.errors.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let id = out.sources.add(SourceFile::new(path, text));
        let loaded = dockerfile::load(&out.sources, id, &BuildArgs::new());
        out.diagnostics.extend(loaded.diagnostics);
        out.diagnostics
            .extend(rules::check_dockerfile(&loaded.dockerfile, &out.sources));
    }
    for d in &out.diagnostics {
        for (file, span) in &d.masks {
            out.sources.mask(*file, *span);
        }
    }
    let sources = &out.sources;
    let key = |d: &Diagnostic| {
        (
            sources.get(d.file).path().to_path_buf(),
            d.span.start,
            d.code,
            d.span.end,
            d.message.clone(),
        )
    };
    // A file shared by two projects (an included file) is reported once.
    out.diagnostics.sort_by_cached_key(key);
    out.diagnostics.dedup_by(|a, b| key(a) == key(b));
    out
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// Whether the findings fail the run at `threshold` (`None` = never).
pub fn fails(diagnostics: &[Diagnostic], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t))
}
