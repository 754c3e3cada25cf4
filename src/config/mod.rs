//! `.seaworthy.yaml`: which rules run, at what severity, with what options,
//! for which files; and the settings each linted file ends up with.
//!
//! Settings are built in layers, each applied over the one before:
//! built-in defaults, the configuration's top level, every `overrides` entry
//! whose `files` match the file (in order), then the command line. A layer with
//! `select` replaces the set of rules; `extend-select` adds; `ignore` removes.
//! `severity` and `options` entries replace earlier values for their rule.

pub mod development;
mod file;

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::compose::project::absolute;
use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleOptions, Selection};
use crate::source::{read_bytes, CanonicalPaths, Span};

/// Names of the configuration file, in order of preference.
pub const FILE_NAMES: &[&str] = &[".seaworthy.yaml", ".seaworthy.yml"];

/// The lowest severity that fails a run; `None`: never.
pub type Threshold = Option<Severity>;

/// Which findings fail a run: each at the threshold `cli` when given, else
/// at its file's configured `fail-on`, else at warnings.
#[derive(Clone, Copy, Debug, Default)]
pub struct FailPolicy<'a> {
    /// `--fail-on` (`--exit-zero`: `Some(None)`).
    pub cli: Option<Threshold>,
    /// The configured `fail-on` of each file, by [`crate::source::FileId`].
    pub configured: &'a [Option<Threshold>],
}

impl FailPolicy<'_> {
    /// Whether `d` fails the run.
    pub fn fails(&self, d: &crate::diagnostic::Diagnostic) -> bool {
        let configured = self.configured.get(d.file.0 as usize).copied().flatten();
        let threshold = self.cli.or(configured).unwrap_or(Some(Severity::Warning));
        threshold.is_some_and(|t| d.severity >= t)
    }
}

/// Rule selection, severities and options: one layer of settings.
#[derive(Debug, Default, Clone)]
pub struct Layer {
    /// Replaces the set of rules when given.
    pub select: Option<Vec<&'static Rule>>,
    /// Added to the set.
    pub extend_select: Vec<&'static Rule>,
    /// Removed from the set.
    pub ignore: Vec<&'static Rule>,
    /// Severity by rule code.
    pub severity: Vec<(&'static str, Severity)>,
    /// Option values by rule code and option name.
    pub options: Vec<(&'static str, &'static str, crate::rules::NamePatterns)>,
}

impl Layer {
    /// The layer of `--select`, `--extend-select` and `--ignore` (or the
    /// language server's `initializationOptions` of the same names): codes,
    /// names, prefixes or `ALL`.
    pub fn from_selectors(
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
    ) -> Result<Layer, String> {
        use crate::rules::selection::{resolve, resolve_enabling, UnknownSelector};
        let err = |e: UnknownSelector| e.to_string();
        Ok(Layer {
            select: select.map(resolve_enabling).transpose().map_err(err)?,
            extend_select: resolve_enabling(extend_select).map_err(err)?,
            ignore: resolve(ignore).map_err(err)?,
            ..Layer::default()
        })
    }
}

/// An `overrides` entry: a layer for the files its globs match.
#[derive(Debug)]
pub struct Override {
    /// Which files (relative to the configuration's directory).
    pub files: PathGlobs,
    /// What changes for them.
    pub layer: Layer,
}

/// A validated configuration file.
#[derive(Debug)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its directory: globs and relative paths are anchored here.
    pub dir: PathBuf,
    /// The top-level layer.
    pub base: Layer,
    /// Per-path layers, in file order.
    pub overrides: Vec<Override>,
    /// `fail-on`.
    pub fail_on: Option<Threshold>,
    /// `env-file`, absolute.
    pub env_files: Vec<PathBuf>,
    /// `profiles`.
    pub profiles: Option<Vec<String>>,
    /// `exclude`.
    pub exclude: PathGlobs,
    /// `development`: the development files, replacing the defaults; `None`
    /// when the key is absent.
    pub development: Option<PathGlobs>,
    /// `stacks`: compose files deployed as Swarm stacks (`docker stack deploy`).
    pub stacks: PathGlobs,
    /// `projects`: the file sets checked as merged projects.
    pub projects: Vec<ProjectSet>,
}

/// A `projects:` entry: compose files checked as one merged project, as
/// `docker compose -f a -f b` loads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSet {
    /// The files in merge order, absolute.
    pub files: Vec<PathBuf>,
    /// `env-file`: replaces the project's `.env`.
    pub env_files: Vec<PathBuf>,
    /// `profiles`: lint only the services these run.
    pub profiles: Option<Vec<String>>,
}

/// Path globs relative to a configuration's directory: `*` stays within one
/// directory, `**` crosses any number; a pattern without `/` matches a name at
/// any depth; a pattern matching a directory matches everything under it.
#[derive(Debug, Clone)]
pub struct PathGlobs {
    set: GlobSet,
}

/// Builds [`PathGlobs`].
pub struct PathGlobsBuilder {
    builder: GlobSetBuilder,
}

impl PathGlobs {
    /// An empty builder.
    pub fn builder() -> PathGlobsBuilder {
        PathGlobsBuilder {
            builder: GlobSetBuilder::new(),
        }
    }

    /// Whether `relative` (a path relative to the configuration's directory)
    /// or a directory above it matches.
    pub fn matches(&self, relative: &Path) -> bool {
        if self.set.is_empty() {
            return false;
        }
        relative
            .ancestors()
            .any(|p| !p.as_os_str().is_empty() && self.set.is_match(p))
    }
}

impl PathGlobsBuilder {
    /// Adds `pattern`; the reason when it is not a valid glob.
    pub fn add(&mut self, pattern: &str) -> Result<(), String> {
        let p = pattern.trim();
        let p = p.strip_prefix("./").unwrap_or(p).trim_end_matches('/');
        if p.is_empty() {
            return Err("empty pattern".into());
        }
        let p = if p.contains('/') {
            p.trim_start_matches('/').to_string()
        } else {
            format!("**/{p}")
        };
        let glob = GlobBuilder::new(&p)
            .literal_separator(true)
            .build()
            .map_err(|e| e.kind().to_string())?;
        self.builder.add(glob);
        Ok(())
    }

    /// The compiled set.
    pub fn build(self) -> PathGlobs {
        PathGlobs {
            set: self.builder.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }
}

/// A problem in a configuration file, at a span of it when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where, in the file's text.
    pub span: Option<Span>,
    /// What is wrong.
    pub message: String,
    /// What to do, when known.
    pub help: Option<String>,
}

impl Problem {
    fn at(span: Span, message: String) -> Problem {
        Problem {
            span: Some(span),
            message,
            help: None,
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// Its text, when it could be read.
    pub text: Option<String>,
    /// Everything wrong with it.
    pub problems: Vec<Problem>,
}

/// Reads and validates the configuration file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let fail = |text: Option<String>, problems| ConfigError {
        path: path.to_path_buf(),
        text,
        problems,
    };
    let unreadable = |message: String| {
        fail(
            None,
            vec![Problem {
                span: None,
                message,
                help: None,
            }],
        )
    };
    let bytes = read_bytes(path).map_err(|e| unreadable(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        unreadable(format!("not valid UTF-8 (byte {at})"))
    })?;
    file::parse(&canonical(path), &text).map_err(|problems| fail(Some(text), problems))
}

/// Where configuration comes from.
#[derive(Debug, Default, Clone)]
pub enum ConfigSource {
    /// None (`--no-config`, and the library's default).
    #[default]
    Disabled,
    /// The nearest `.seaworthy.yaml` above each file.
    Discover,
    /// One file for every path (`--config`).
    File(Arc<Config>),
}

/// What applies to one file.
#[derive(Debug)]
pub struct Settings {
    /// The rules that run.
    pub selection: Selection,
    /// Severities set by configuration, by rule code.
    pub severity: Vec<(&'static str, Severity)>,
    /// Rule options.
    pub options: Arc<RuleOptions>,
    /// `fail-on` of the configuration, if it sets one.
    pub fail_on: Option<Threshold>,
    /// The configuration that applies, if any.
    pub config: Option<Arc<Config>>,
    /// Why the file is a development file (production-readiness rules do
    /// not judge it), or `None`.
    pub development: Option<String>,
    /// Whether the file belongs to a Swarm stack (`stacks:`).
    pub stack: bool,
}

impl Settings {
    /// Whether findings of the rule `code` are kept for the file: the rule is
    /// selected, and it is not a production-readiness rule (`1xx`–`3xx`) on a
    /// development file.
    pub fn judges(&self, code: &str) -> bool {
        self.selection.enables(code)
            && !(self.development.is_some()
                && crate::rules::find(code)
                    .is_some_and(|r| r.meta.category.is_production_readiness()))
    }

    /// The configured severity of `code`, if any.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        self.severity
            .iter()
            .rev()
            .find(|(c, _)| *c == code)
            .map(|(_, s)| *s)
    }

    fn apply(&mut self, layer: &Layer, options: &mut RuleOptions) {
        self.selection
            .apply(layer.select.as_deref(), &layer.extend_select, &layer.ignore);
        self.severity.extend(layer.severity.iter().copied());
        for (code, name, patterns) in &layer.options {
            options.set(code, name, patterns.clone());
        }
    }
}

/// Finds, reads and caches configuration files; resolves each file's
/// [`Settings`]. Shared by the parallel parts of a run.
#[derive(Debug, Default)]
pub struct Configs {
    source: ConfigSource,
    cli: Layer,
    /// Nearest configuration of each directory seen.
    // (the caches are keyed by the paths' bytes: hashing a `Path` walks its
    // components, and these paths are canonical)
    dirs: Mutex<FxHashMap<OsString, Option<Arc<Config>>>>,
    settings: Mutex<FxHashMap<OsString, Arc<Settings>>>,
    /// The settings every production file under one configuration shares
    /// when none of its `overrides` can tell files apart, by the
    /// configuration (its address: each lives as long as `dirs`; 0 for
    /// none) and whether the file is in a stack: a run of thousands of files
    /// builds them a few times, not once a file.
    shared: Mutex<FxHashMap<(usize, bool), Arc<Settings>>>,
    errors: Mutex<Vec<ConfigError>>,
    paths: std::sync::Arc<CanonicalPaths>,
    /// `--production`: no file is a development file.
    production: bool,
    /// The paths the run starts from, as given.
    starts: Vec<PathBuf>,
    /// The directories the run starts from (canonical): a development file's
    /// path is read below the shallowest one holding it, when no
    /// configuration or repository says where the project starts. Resolved
    /// on first use: most runs never ask (a path without a development word,
    /// or one inside a repository, needs no root).
    roots: std::sync::OnceLock<FxHashSet<PathBuf>>,
    /// The repository root above each directory seen (the nearest `.git`).
    repositories: Mutex<FxHashMap<OsString, Option<PathBuf>>>,
    /// Dockerfiles (canonical) that only development compose files build,
    /// with why: set once the projects are loaded, before any is checked.
    built_for_development: Mutex<FxHashMap<PathBuf, String>>,
}

impl Configs {
    /// Configuration from `source`, with the command line's `cli` layer on top.
    pub fn new(source: ConfigSource, cli: Layer) -> Self {
        Configs {
            source,
            cli,
            ..Configs::default()
        }
    }

    /// With `--production`: every file judged as production.
    pub fn production(mut self, production: bool) -> Self {
        self.production = production;
        self
    }

    /// The paths the run starts from (directories, or files whose directory
    /// counts).
    pub fn roots(mut self, paths: &[PathBuf]) -> Self {
        self.starts = paths.to_vec();
        self
    }

    /// The canonical directories of [`Configs::roots`], resolved once.
    fn root_dirs(&self) -> &FxHashSet<PathBuf> {
        self.roots.get_or_init(|| {
            use rayon::prelude::*;
            // in parallel: a run given thousands of files by name resolves each
            let roots: Vec<PathBuf> = self
                .starts
                .par_iter()
                .map(|p| self.canonical(p))
                .map(|p| {
                    if p.is_dir() {
                        p
                    } else {
                        p.parent().map(Path::to_path_buf).unwrap_or(p)
                    }
                })
                .collect();
            roots.into_iter().collect()
        })
    }

    /// The canonical paths of this run, computed once each, and the
    /// directories it listed (shared with the projects it loads).
    pub fn paths(&self) -> &std::sync::Arc<CanonicalPaths> {
        &self.paths
    }

    /// [`canonical`], through the run's cache.
    fn canonical(&self, path: &Path) -> PathBuf {
        self.paths.get(path).unwrap_or_else(|| absolute(path))
    }

    /// The configuration that applies to `path` (the directory it really
    /// lives in, when it is a symbolic link).
    pub fn config_for(&self, path: &Path) -> Option<Arc<Config>> {
        self.config_of(self.canonical(path).parent()?)
    }

    /// The configuration that applies to the files of directory `dir`; only
    /// discovery needs the directory, so only discovery resolves it.
    pub fn config_of(&self, dir: &Path) -> Option<Arc<Config>> {
        match &self.source {
            ConfigSource::Disabled => None,
            ConfigSource::File(c) => Some(c.clone()),
            ConfigSource::Discover => self.nearest(&self.canonical(dir)),
        }
    }

    fn nearest(&self, dir: &Path) -> Option<Arc<Config>> {
        if let Some(found) = lock(&self.dirs).get(dir.as_os_str()) {
            return found.clone();
        }
        let here = FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        let found = match here {
            Some(path) => match load(&path) {
                Ok(c) => Some(Arc::new(c)),
                Err(e) => {
                    lock(&self.errors).push(e);
                    None
                }
            },
            None => dir.parent().and_then(|p| self.nearest(p)),
        };
        lock(&self.dirs).insert(dir.as_os_str().to_owned(), found.clone());
        found
    }

    /// The settings of the file at `path`.
    pub fn settings(&self, path: &Path) -> Arc<Settings> {
        let key = self.canonical(path);
        if let Some(s) = lock(&self.settings).get(key.as_os_str()) {
            return s.clone();
        }
        let config = self.config_for(&key);
        let development = self.development(&key, config.as_deref());
        let stack = config
            .as_ref()
            .is_some_and(|c| c.stacks.matches(&relative_to(&key, &c.dir)));
        let shared = (development.is_none()
            && config.as_ref().is_none_or(|c| c.overrides.is_empty()))
        .then(|| {
            (
                config.as_ref().map_or(0, |c| Arc::as_ptr(c) as usize),
                stack,
            )
        });
        let known = shared.and_then(|k| lock(&self.shared).get(&k).cloned());
        let settings = known.unwrap_or_else(|| {
            let settings = Arc::new(self.build_settings(&key, config, development, stack));
            if let Some(k) = shared {
                lock(&self.shared).insert(k, settings.clone());
            }
            settings
        });
        lock(&self.settings).insert(key.into_os_string(), settings.clone());
        settings
    }

    /// The settings of the file at `key` (canonical) under `config`.
    fn build_settings(
        &self,
        key: &Path,
        config: Option<Arc<Config>>,
        development: Option<String>,
        stack: bool,
    ) -> Settings {
        let mut settings = Settings {
            selection: Selection::default(),
            severity: Vec::new(),
            options: Arc::default(),
            fail_on: config.as_ref().and_then(|c| c.fail_on),
            config: config.clone(),
            development,
            stack,
        };
        let mut options = RuleOptions::default();
        if let Some(c) = &config {
            settings.apply(&c.base, &mut options);
            let rel = relative_to(key, &c.dir);
            for o in c.overrides.iter().filter(|o| o.files.matches(&rel)) {
                settings.apply(&o.layer, &mut options);
            }
        }
        settings.apply(&self.cli, &mut options);
        settings.options = Arc::new(options);
        settings
    }

    /// Records the Dockerfiles (canonical paths) that only development
    /// compose files build, with why: they are development files too, unless
    /// the configuration lists development files itself. Call before the
    /// settings of any of them are asked for.
    pub fn built_for_development(&self, dockerfiles: FxHashMap<PathBuf, String>) {
        *lock(&self.built_for_development) = dockerfiles;
    }

    /// Why the file at `path` (canonical) is a development file, if it is:
    /// the configuration's `development:` globs when it sets them, else the
    /// defaults ([`development::by_default`]) below the project root, else
    /// because only development compose files build it.
    fn development(&self, path: &Path, config: Option<&Config>) -> Option<String> {
        if self.production {
            return None;
        }
        if let Some(c) = config {
            if let Some(globs) = &c.development {
                let name = c.path.file_name().map(|n| n.to_string_lossy().into_owned());
                return globs.matches(&relative_to(path, &c.dir)).then(|| {
                    format!("listed under `development` in {}", name.unwrap_or_default())
                });
            }
        }
        let dir = path.parent()?;
        let built = || lock(&self.built_for_development).get(path).cloned();
        // the root only takes leading components away: a path with no
        // development word anywhere is not a development file below any root,
        // and needs no search for the repository's root
        if development::by_default(path, dir).is_none() {
            return built();
        }
        let root = config
            .map(|c| c.dir.clone())
            .or_else(|| self.repository(dir))
            // the shallowest root holding it: one lookup per ancestor, not a
            // scan of every root (a run given 1 400 files has as many roots)
            .or_else(|| {
                let roots = self.root_dirs();
                path.ancestors()
                    .filter(|a| roots.contains(*a))
                    .last()
                    .map(Path::to_path_buf)
            })
            .or_else(|| {
                let cwd = std::env::current_dir().ok()?;
                let cwd = self.canonical(&cwd);
                path.starts_with(&cwd).then_some(cwd)
            })
            .unwrap_or_else(|| dir.to_path_buf());
        development::by_default(&relative_to(path, &root), dir).or_else(built)
    }

    /// The root of the repository `dir` lies in: the nearest directory at or
    /// above it that holds `.git`.
    fn repository(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = lock(&self.repositories).get(dir.as_os_str()) {
            return known.clone();
        }
        let found = if dir.join(".git").exists() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|p| self.repository(p))
        };
        lock(&self.repositories).insert(dir.as_os_str().to_owned(), found.clone());
        found
    }

    /// Whether a walked file or directory is excluded by the configuration
    /// that applies to it.
    pub fn excluded(&self, path: &Path) -> bool {
        if matches!(self.source, ConfigSource::Disabled) {
            return false;
        }
        let path = self.canonical(path);
        // A directory's own configuration applies to it.
        let config = if path.is_dir() {
            self.config_of(&path)
        } else {
            path.parent().and_then(|dir| self.config_of(dir))
        };
        config.is_some_and(|c| c.exclude.matches(&relative_to(&path, &c.dir)))
    }

    /// The configuration files that could not be used.
    pub fn errors(&self) -> Vec<ConfigError> {
        let mut errors = lock(&self.errors).clone();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        errors.dedup_by(|a, b| a.path == b.path);
        errors
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// `p` canonical, or made absolute when it cannot be (it does not exist).
pub fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| absolute(p))
}

/// `path` relative to `base` (both absolute), with `..` where it lies outside.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
