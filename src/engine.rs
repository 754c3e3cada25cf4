//! Runs the checks over a set of paths and decides the outcome.
//!
//! Today the checks are the load-time ones (YAML, schema, interpolation,
//! Dockerfile syntax); the rule registry plugs in here.

use std::path::{Path, PathBuf};

use crate::compose::{self, Environment, LoadOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{self, FileKind};
use crate::dockerfile::{self, BuildArgs};
use crate::source::{SourceFile, SourceMap};

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

/// Files larger than this are not parsed; a finding says so.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Lints the compose files and Dockerfiles found under `paths`.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Outcome {
    let mut out = Outcome::default();
    let (files, errors) = discover::files(paths);
    out.errors.extend(errors.into_iter().map(|e| e.to_string()));
    for (path, kind) in files {
        let text = match read_text(&path) {
            Ok(t) => t,
            Err(e) => {
                out.errors.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        out.files += 1;
        if kind == FileKind::Dockerfile {
            let id = out.sources.add(SourceFile::new(path, text));
            out.diagnostics
                .extend(dockerfile::load(&out.sources, id, &BuildArgs::new()).diagnostics);
            continue;
        }
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let (env, env_diags) = compose::project_environment(
            &mut out.sources,
            &dir,
            &opts.env_files,
            opts.process_env.clone(),
        );
        out.diagnostics.extend(env_diags);
        let id = out.sources.add(SourceFile::new(path, text));
        let loaded = compose::load_file(&out.sources, id, &env, &opts.load);
        out.diagnostics.extend(loaded.diagnostics);
    }
    let sources = &out.sources;
    out.diagnostics.sort_by(|a, b| {
        (sources.get(a.file).path(), a.span.start, a.code).cmp(&(
            sources.get(b.file).path(),
            b.span.start,
            b.code,
        ))
    });
    out
}

/// Reads a file as UTF-8 text, refusing files over [`MAX_FILE_BYTES`]; invalid
/// UTF-8 is replaced so the rest of the file can still be checked.
fn read_text(path: &Path) -> std::io::Result<String> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "file is {len} bytes, over the {MAX_FILE_BYTES}-byte limit"
        )));
    }
    let bytes = std::fs::read(path)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Whether the findings fail the run at `threshold` (`None` = never).
pub fn fails(diagnostics: &[Diagnostic], threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t))
}
