//! Runs the checks over a set of paths and decides the outcome.
//!
//! Today the checks are the load-time ones (YAML, schema, interpolation,
//! Dockerfile syntax); the rule registry plugs in here.

use std::path::{Path, PathBuf};

use crate::compose::{self, project, Environment, LoadOptions, ProjectOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, FileKind};
use crate::dockerfile::{self, BuildArgs};
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
}

/// Lints the compose files and Dockerfiles found under `paths`. Compose files
/// are loaded as projects: a default file with its override file, every other
/// compose file on its own, each with its `include`s and `extends`.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Outcome {
    let mut out = Outcome::default();
    let (files, errors) = discover::files(paths);
    out.errors.extend(errors.into_iter().map(|e| e.to_string()));
    let mut projects: Vec<Vec<PathBuf>> = Vec::new();
    for (path, kind) in files {
        if kind == FileKind::Dockerfile {
            let text = match read_text(&path) {
                Ok(t) => t,
                Err(e) => {
                    out.errors.push(format!("{}: {e}", path.display()));
                    continue;
                }
            };
            out.files += 1;
            let id = out.sources.add(SourceFile::new(path, text));
            out.diagnostics
                .extend(dockerfile::load(&out.sources, id, &BuildArgs::new()).diagnostics);
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
    // (files given, every file read, findings) per project, paths canonical.
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
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
                loaded.push((given, read, p.diagnostics));
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
    for i in 0..loaded.len() {
        let subsumed = (0..loaded.len()).any(|j| part_of(i, j) && (!part_of(j, i) || j < i));
        if !subsumed {
            out.diagnostics.extend(loaded[i].2.iter().cloned());
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

/// Whether the findings fail the run at `threshold` (`None` = never).
pub fn fails(diagnostics: &[Diagnostic], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t))
}
