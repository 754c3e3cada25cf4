//! Runs the checks over a set of paths and decides the outcome.
//!
//! Loads every project, links it to the Dockerfiles it builds, runs the load-time
//! checks and the selected rules, masks secrets, sorts and deduplicates.
//! Projects and lone Dockerfiles are checked in parallel, each into its own
//! [`SourceMap`]; the parts are then joined in input order, so the output does
//! not depend on scheduling.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::compose::{self, project, Environment, LoadOptions, ProjectOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, FileKind};
use crate::dockerfile::{self, BuildArgs};
use crate::project::link;
use crate::rules::{self, Selection};
use crate::source::{read_source, FileId, SourceFile, SourceMap, StdinFile};

/// Options for one `check` run.
#[derive(Debug, Default)]
pub struct CheckOptions {
    /// Compose files merged, in order, into one project (`-f`).
    pub compose_files: Vec<PathBuf>,
    /// Env files replacing each project's `.env`.
    pub env_files: Vec<PathBuf>,
    /// Profiles (`--profile`): when any is given, only the services they
    /// enable are linted; otherwise every service is.
    pub profiles: Vec<String>,
    /// Variables of the process environment.
    pub process_env: Environment,
    /// Loader options.
    pub load: LoadOptions,
    /// The rules to run.
    pub selection: Selection,
    /// Text read from standard input, linted as the file it names.
    pub stdin: Option<StdinFile>,
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
    /// Every compose file and Dockerfile linted, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Codes of Dockerfile findings not reported because every service
    /// building the Dockerfile overrides them in compose.
    pub overridden: Vec<&'static str>,
}

/// What checking one project or one Dockerfile produced, over its own sources.
#[derive(Default)]
struct Part {
    sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    overridden: Vec<&'static str>,
    /// Files linted.
    files: Vec<FileId>,
    errors: Vec<String>,
}

/// A project as loaded, before linking.
struct Loaded {
    sources: SourceMap,
    /// The files it was asked to load, canonical.
    given: Vec<PathBuf>,
    /// Every file it read, canonical.
    read: Vec<PathBuf>,
    project: project::Project,
}

/// Lints the compose files and Dockerfiles found under `paths` (and the `-f`
/// project and standard input, when given). Compose files are loaded as
/// projects: a default file with its override file, every other compose file
/// on its own, each with its `include`s and `extends`, linked to the
/// Dockerfiles their services build. A Dockerfile no project builds is linted
/// on its own.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Outcome {
    let mut out = Outcome::default();
    let (inputs, errors) = discover::files(paths);
    out.errors.extend(errors.into_iter().map(|e| e.to_string()));
    let mut projects: Vec<Vec<PathBuf>> = Vec::new();
    if !opts.compose_files.is_empty() {
        projects.push(opts.compose_files.clone());
    }
    let mut dockerfiles = Vec::new();
    // Standard input stands alone: an override file beside the file it names
    // is not merged into it.
    if let Some(stdin) = &opts.stdin {
        match discover::kind_of(&stdin.path) {
            Some(FileKind::Dockerfile) => dockerfiles.push(stdin.path.clone()),
            _ => projects.push(vec![stdin.path.clone()]),
        }
    }
    for (path, kind) in inputs {
        if kind == FileKind::Dockerfile {
            dockerfiles.push(path);
            continue;
        }
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

    let loaded: Vec<Result<Loaded, String>> =
        projects.par_iter().map(|files| load(files, opts)).collect();
    let mut parts = Vec::new();
    let mut ok = Vec::new();
    for l in loaded {
        match l {
            Ok(l) => ok.push(l),
            Err(e) => out.errors.push(e),
        }
    }
    let subsumed = subsumed(&ok);
    let checked: Vec<(Part, Vec<PathBuf>)> = ok
        .into_par_iter()
        .zip(subsumed)
        .filter(|(_, subsumed)| !subsumed)
        .map(|(l, _)| check_project(l, &opts.selection))
        .collect();
    let mut built = BTreeSet::new();
    for (part, dockerfiles) in checked {
        built.extend(dockerfiles);
        parts.push(part);
    }
    let stdin_path = opts.stdin.as_ref().map(|s| s.path.as_path());
    let lone: Vec<Part> = dockerfiles
        .par_iter()
        .filter(|p| Some(p.as_path()) == stdin_path || !built.contains(&canonical(p)))
        .map(|p| check_dockerfile(p, opts))
        .collect();
    parts.extend(lone);

    for part in parts {
        join(&mut out, part);
    }
    finish(&mut out);
    out
}

/// Loads the project made of `files`; an unreadable file is an error.
fn load(files: &[PathBuf], opts: &CheckOptions) -> Result<Loaded, String> {
    let mut sources = SourceMap::new();
    let project_opts = ProjectOptions {
        files: files.to_vec(),
        env_files: opts.env_files.clone(),
        profiles: opts.profiles.clone(),
        process_env: opts.process_env.clone(),
        load: opts.load.clone(),
        stdin: opts.stdin.clone(),
    };
    let mut project =
        compose::load_project(&mut sources, &project_opts).map_err(|e| e.to_string())?;
    if !opts.profiles.is_empty() {
        project.retain_active_services();
    }
    let given = files.iter().map(|f| canonical(f)).collect();
    let read = project
        .files
        .iter()
        .map(|f| canonical(sources.get(*f).path()))
        .collect();
    Ok(Loaded {
        sources,
        given,
        read,
        project,
    })
}

/// Which projects another one includes or extends entirely: those are checked
/// as part of it, not again on their own (of two projects that include each
/// other, the first is kept).
fn subsumed(loaded: &[Loaded]) -> Vec<bool> {
    let part_of =
        |a: usize, b: usize| a != b && loaded[a].given.iter().all(|f| loaded[b].read.contains(f));
    (0..loaded.len())
        .map(|i| (0..loaded.len()).any(|j| part_of(i, j) && (!part_of(j, i) || j < i)))
        .collect()
}

/// Links a loaded project and runs the rules; also returns the canonical
/// paths of the Dockerfiles it built.
fn check_project(loaded: Loaded, selection: &Selection) -> (Part, Vec<PathBuf>) {
    let Loaded {
        mut sources,
        mut project,
        ..
    } = loaded;
    let mut part = Part::default();
    part.diagnostics.append(&mut project.diagnostics);
    part.files.extend(project.files.iter().copied());
    let mut linked = link(&mut sources, project);
    part.diagnostics.append(&mut linked.diagnostics);
    let (diagnostics, overridden) = rules::check_project(&linked, &sources, selection);
    part.diagnostics.extend(diagnostics);
    part.overridden = overridden;
    part.diagnostics.retain(|d| selection.enables(d.code));
    let mut built = Vec::new();
    for d in &linked.dockerfiles {
        if d.inline.is_none() {
            part.files.push(d.dockerfile.file);
        }
        built.push(canonical(sources.get(d.dockerfile.file).path()));
    }
    part.sources = sources;
    (part, built)
}

/// Lints a Dockerfile no project builds.
fn check_dockerfile(path: &Path, opts: &CheckOptions) -> Part {
    let mut part = Part::default();
    let text = match read_source(path, opts.stdin.as_ref()) {
        Ok(t) => t,
        Err(e) => {
            part.errors.push(format!("{}: {e}", path.display()));
            return part;
        }
    };
    let id = part.sources.add(SourceFile::new(path, text));
    part.files.push(id);
    let loaded = dockerfile::load(&part.sources, id, &BuildArgs::new());
    part.diagnostics.extend(loaded.diagnostics);
    part.diagnostics.extend(rules::check_dockerfile(
        &loaded.dockerfile,
        &part.sources,
        &opts.selection,
    ));
    part.diagnostics.retain(|d| opts.selection.enables(d.code));
    part
}

/// Moves `part` into `out`, renumbering its files.
fn join(out: &mut Outcome, part: Part) {
    let base = out.sources.append(part.sources);
    for mut d in part.diagnostics {
        d.rebase(base);
        out.diagnostics.push(d);
    }
    for f in part.files {
        out.files.push(
            out.sources
                .get(FileId(f.0.saturating_add(base)))
                .path()
                .to_path_buf(),
        );
    }
    out.overridden.extend(part.overridden);
    out.errors.extend(part.errors);
}

/// Masks secrets, drops findings of rules not selected, sorts by canonical
/// path, offset and code, and reports a file shared by two projects (an
/// included file) once.
fn finish(out: &mut Outcome) {
    for d in &out.diagnostics {
        for (file, span) in &d.masks {
            out.sources.mask(*file, *span);
        }
    }
    let canon: Vec<PathBuf> = out
        .sources
        .iter()
        .map(|(_, f)| canonical(f.path()))
        .collect();
    let key = |d: &Diagnostic| {
        (
            canon[d.file.0 as usize].clone(),
            d.span.start,
            d.code,
            d.span.end,
            d.message.clone(),
        )
    };
    out.diagnostics.sort_by_cached_key(key);
    out.diagnostics.dedup_by(|a, b| key(a) == key(b));
    let mut files: Vec<(PathBuf, PathBuf)> = std::mem::take(&mut out.files)
        .into_iter()
        .map(|p| (canonical(&p), p))
        .collect();
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    out.files = files.into_iter().map(|(_, p)| p).collect();
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// Whether the findings fail the run at `threshold` (`None` = never).
pub fn fails(diagnostics: &[Diagnostic], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t))
}
