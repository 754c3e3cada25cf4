//! A Compose project: the default file and its override, or the `-f` files in
//! order, each with its `include`s and `extends` applied, merged into one model
//! whose values remember the file and span they came from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::deploy_env;
use super::env_file::{self, Assignment, EnvFileRead};
pub use super::files::{default_files, DEFAULT_FILES, OVERRIDE_FILES};
use super::from_tree::LiteralDefault;
use super::interpolate::Environment;
use super::merge::{self, MergeConflict};
use super::model::Compose;
use super::references::Dangling;
use super::value::{Map, Origin, Spanned, Value};
use super::{load_file_unchecked, project_environment, LoadOptions};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::{read_source, Buffers, CanonicalPaths, FileId, SourceMap, StdinFile};

/// How to load a project.
#[derive(Debug, Clone, Default)]
pub struct ProjectOptions {
    /// Compose files in merge order; the first one's directory is the project directory.
    pub files: Vec<PathBuf>,
    /// Env files replacing the project's `.env`.
    pub env_files: Vec<PathBuf>,
    /// Profiles to enable (`--profile`); `COMPOSE_PROFILES` is used when empty.
    pub profiles: Vec<String>,
    /// The process environment.
    pub process_env: Environment,
    /// Parser options.
    pub load: LoadOptions,
    /// Text from standard input standing for one of the files.
    pub stdin: Option<StdinFile>,
    /// Texts read instead of their files.
    pub buffers: Buffers,
    /// The run's canonical paths and directory listings: `.env`, its
    /// templates and the override files are looked up there.
    pub paths: Arc<CanonicalPaths>,
    /// The directory whose `.env` set `COMPOSE_FILE`: Compose reads that
    /// `.env` first, so its variables win over the project directory's.
    pub dotenv_dir: Option<PathBuf>,
    /// The project directory (`--project-directory`); default: the first
    /// file's directory.
    pub project_dir: Option<PathBuf>,
}

/// A project file that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {error}", path.display())]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub error: std::io::Error,
}

/// The entries of one `env_file` of a service.
#[derive(Debug, Clone)]
pub struct ServiceEnvFile {
    /// The env file as loaded (its template, when `deploy_time`).
    pub file: FileId,
    /// Its assignments, in order.
    pub assignments: Vec<Assignment>,
    /// The file is created at deploy time: `file` is the template that
    /// documents it, whose values are examples, not what the service gets.
    pub deploy_time: bool,
}

/// A loaded project.
#[derive(Debug)]
pub struct Project {
    /// The project name (`name:`, `COMPOSE_PROJECT_NAME`, or the directory name).
    pub name: String,
    /// The project directory.
    pub dir: PathBuf,
    /// The merged model. `file` is the first compose file.
    pub model: Compose,
    /// Every compose file read, in load order.
    pub files: Vec<FileId>,
    /// The variables used for interpolation.
    pub env: Environment,
    /// Enabled profiles (`*` enables all).
    pub profiles: Vec<String>,
    /// `env_file` contents per service.
    pub service_env_files: BTreeMap<String, Vec<ServiceEnvFile>>,
    /// Findings in any file of the project, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// References to what the project does not define (each also a CM002
    /// finding in `diagnostics`).
    pub dangling: Vec<Dangling>,
    /// The env files read for variables (`.env`, `--env-file`, templates).
    pub env_files: Vec<EnvFileRead>,
    /// Literal defaults written in the files (`${VAR:-literal}`).
    pub defaults: Vec<LiteralDefault>,
    /// Services of a fragment linted without its base that define neither
    /// `image` nor `build`: they are judged on what they set, not on what
    /// they lack (the base may set it). Empty for a project that stands alone.
    pub overlays: BTreeSet<String>,
    base_dirs: BTreeMap<FileId, PathBuf>,
}

impl Project {
    /// A project of the one file `loaded`, read with `env`, whose relative
    /// paths resolve against `dir`: what a fuzzer or an in-memory check lints.
    pub fn of_file(loaded: super::LoadedFile, dir: PathBuf, env: Environment) -> Project {
        let name = project_name(&loaded.compose, &env, &dir);
        Project {
            name,
            dir,
            files: vec![loaded.file],
            model: loaded.compose,
            env,
            profiles: Vec::new(),
            service_env_files: BTreeMap::new(),
            diagnostics: loaded.diagnostics,
            dangling: Vec::new(),
            overlays: BTreeSet::new(),
            env_files: Vec::new(),
            defaults: loaded.defaults,
            base_dirs: BTreeMap::new(),
        }
    }

    /// The directory relative paths written in `file` resolve against: the project
    /// directory for `-f` files, the included project's for included files, the
    /// file's own for files reached through `extends`.
    pub fn base_dir(&self, file: FileId) -> &Path {
        self.base_dirs.get(&file).unwrap_or(&self.dir)
    }

    /// Resolves a path value written in `file` the way Compose does (`~` is the home directory).
    pub fn resolve_path(&self, file: FileId, path: &str) -> PathBuf {
        resolve_against(self.base_dir(file), path)
    }

    /// The value of the project variable `name` (what a bare `NAME` entry of
    /// `environment` or `build.args` takes), when known at lint time.
    pub fn variable(&self, name: &str) -> Option<&str> {
        self.env
            .get(name)
            .filter(|e| e.is_known())
            .map(|e| e.value.as_str())
    }

    /// Whether the service named `name` is active with the enabled profiles.
    pub fn is_active(&self, name: &str) -> bool {
        self.model
            .service(name)
            .is_some_and(|s| self.profiles_enable(&s.profiles()))
    }

    fn profiles_enable(&self, service_profiles: &[&str]) -> bool {
        service_profiles.is_empty()
            || self
                .profiles
                .iter()
                .any(|p| p == "*" || service_profiles.contains(&p.as_str()))
    }

    /// Drops the services the enabled profiles leave inactive, as Compose does
    /// when it runs the project (`check --profile`).
    pub fn retain_active_services(&mut self) {
        let active: Vec<String> = self
            .model
            .services()
            .filter(|s| self.is_active(s.name()))
            .map(|s| s.name().to_string())
            .collect();
        let services = self
            .model
            .top
            .items
            .iter_mut()
            .find(|i| i.key.value == "services");
        if let Some(Value::Map(map)) = services.map(|i| &mut i.value.value) {
            map.items
                .retain(|i| active.iter().any(|a| *a == i.key.value));
        }
    }

    /// Names of the services `config` shows: the active ones, plus, when no
    /// profile is enabled, the inactive services an active one depends on.
    pub fn active_services(&self) -> Vec<String> {
        let mut active: Vec<String> = self
            .model
            .services()
            .filter(|s| self.is_active(s.name()))
            .map(|s| s.name().to_string())
            .collect();
        if self.profiles.is_empty() {
            let mut i = 0;
            while i < active.len() {
                if let Some(svc) = self.model.service(&active[i]) {
                    for dep in svc.depends_on() {
                        if self.model.service(&dep.service).is_some()
                            && !active.contains(&dep.service)
                        {
                            active.push(dep.service);
                        }
                    }
                }
                i += 1;
            }
        }
        active
    }
}

/// Resolves `path` against `dir`, expanding a leading `~`.
pub fn resolve_against(dir: &Path, path: &str) -> PathBuf {
    if let Some(rest) = path.strip_prefix("~/").or((path == "~").then_some("")) {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    let p = Path::new(path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    normalize(&dir.join(p))
}

/// Removes `.` and resolves `..` lexically, as Go's `filepath.Clean` does.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Loads the project made of `opts.files`.
pub fn load_project(sources: &mut SourceMap, opts: &ProjectOptions) -> Result<Project, ReadError> {
    let Some(first) = opts.files.first() else {
        return Err(ReadError {
            path: PathBuf::from("."),
            error: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no compose file given or found",
            ),
        });
    };
    // the run's current directory, asked of the system once
    let cwd = opts.paths.current_dir();
    let absolute = |p: &Path| absolute_from(p, cwd);
    let dir = match &opts.project_dir {
        Some(d) => absolute(d),
        None => absolute(first)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    let mut process = opts.process_env.clone();
    let mut env_diags = Vec::new();
    let mut env_reads = Vec::new();
    if let Some(dotenv_dir) = opts.dotenv_dir.as_ref().map(|d| absolute(d)) {
        if dotenv_dir != dir && opts.env_files.is_empty() {
            let (env, diags) = project_environment(
                sources,
                &dotenv_dir,
                &[],
                process,
                &mut env_reads,
                &opts.buffers,
                &opts.paths,
            );
            process = env;
            env_diags = diags;
        }
    }
    let (mut env, more) = project_environment(
        sources,
        &dir,
        &opts.env_files,
        process,
        &mut env_reads,
        &opts.buffers,
        &opts.paths,
    );
    env_diags.extend(more);
    let mut loader = Loader {
        sources,
        opts: &opts.load,
        stdin: opts.stdin.as_ref(),
        buffers: &opts.buffers,
        paths: &opts.paths,
        diagnostics: env_diags,
        base_dirs: BTreeMap::new(),
        files: Vec::new(),
        include_stack: Vec::new(),
        conflicts: Vec::new(),
        extended: BTreeMap::new(),
        cycles: Vec::new(),
        referenced_reads: 0,
        extends_too_deep: false,
        required: Vec::new(),
        env_reads,
        defaults: Vec::new(),
    };
    let mut ids = Vec::new();
    for path in &opts.files {
        ids.push(loader.read(&absolute(path), None)?);
    }
    set_project_name_variable(loader.sources, &ids, &mut env, &dir);
    let mut top = Map::default();
    let mut complete = true;
    for &id in &ids {
        complete &= loader.load_into(&mut top, id, &dir, &env);
    }
    let Loader {
        mut diagnostics,
        base_dirs,
        files,
        conflicts,
        required,
        env_reads,
        mut defaults,
        ..
    } = loader;
    defaults.sort_by_key(|d| (d.file, d.span.start));
    defaults.dedup_by_key(|d| (d.file, d.span));
    defaults.shrink_to_fit();
    super::drop_documented(&mut diagnostics, sources, &required);
    diagnostics.extend(conflicts.iter().map(conflict_diagnostic));
    let model = Compose {
        // INVARIANT: `opts.files` is not empty, so one file was read.
        file: ids.first().copied().unwrap_or(FileId(0)),
        complete,
        top,
        more_documents: Vec::new(),
    };
    diagnostics.extend(super::consistency::check(&model));
    let dangling = super::references::dangling(&model);
    diagnostics.extend(dangling.iter().map(Dangling::diagnostic));
    let name = project_name(&model, &env, &dir);
    let profiles = if opts.profiles.is_empty() {
        env.get("COMPOSE_PROFILES")
            .map(|v| {
                v.value
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        opts.profiles.clone()
    };
    let mut project = Project {
        name,
        dir,
        model,
        files,
        env,
        profiles,
        service_env_files: BTreeMap::new(),
        diagnostics,
        dangling,
        overlays: BTreeSet::new(),
        env_files: env_reads,
        defaults,
        base_dirs,
    };
    load_env_files(sources, &mut project, &opts.buffers, &opts.paths);
    check_profile_dependencies(&mut project);
    super::dedup(&mut project.diagnostics);
    Ok(project)
}

/// `p` made absolute against the current directory, `.` and `..` resolved lexically.
pub fn absolute(p: &Path) -> PathBuf {
    absolute_from(p, std::env::current_dir().ok().as_deref())
}

/// `p` made absolute against `cwd` (as given when there is none), `.` and
/// `..` resolved lexically.
fn absolute_from(p: &Path, cwd: Option<&Path>) -> PathBuf {
    match cwd {
        _ if p.is_absolute() => normalize(p),
        Some(d) => normalize(&d.join(p)),
        None => p.to_path_buf(),
    }
}

/// Compose exposes the project name to interpolation as
/// `COMPOSE_PROJECT_NAME` when the environment does not set it: the last
/// top-level `name:` of the files (as written, interpolated), else the
/// directory name. Only looked for when some file mentions the variable.
fn set_project_name_variable(
    sources: &SourceMap,
    ids: &[FileId],
    env: &mut Environment,
    dir: &Path,
) {
    const VAR: &str = "COMPOSE_PROJECT_NAME";
    if env.get(VAR).is_some_and(|v| !v.value.is_empty())
        || !ids.iter().any(|id| sources.get(*id).text().contains(VAR))
    {
        return;
    }
    let written = ids
        .iter()
        .rev()
        .filter_map(|id| top_level_name(sources.get(*id).text()))
        .map(|n| super::interpolate::interpolate(&n, env).value)
        .find(|n| !n.is_empty());
    let name = valid_project_name(&written.unwrap_or_else(|| dir_name(dir)));
    env.set(VAR, name, super::interpolate::VarOrigin::ProjectName);
}

/// The value of a top-level `name:` line, unquoted and without comment.
fn top_level_name(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.starts_with("name:"))?;
    let value = line["name:".len()..].trim();
    let value = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
        _ => value.split(" #").next().unwrap_or("").trim(),
    };
    Some(value.to_string())
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `name` as a valid project name: lowercase letters, digits, `_` and `-`,
/// starting with a letter or digit.
fn valid_project_name(name: &str) -> String {
    let cleaned: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    cleaned
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string()
}

/// `COMPOSE_PROJECT_NAME`, else `name:` or the directory name made valid
/// (lowercase letters, digits, `_` and `-`, starting with a letter or digit).
fn project_name(model: &Compose, env: &Environment, dir: &Path) -> String {
    if let Some(v) = env
        .get("COMPOSE_PROJECT_NAME")
        .filter(|v| !v.value.is_empty())
    {
        return v.value.clone();
    }
    match model.name().filter(|n| !n.is_empty()) {
        Some(n) => valid_project_name(n),
        None => valid_project_name(&dir_name(dir)),
    }
}

fn conflict_diagnostic(c: &MergeConflict) -> Diagnostic {
    Diagnostic::new(
        codes::INVALID_COMPOSE,
        c.over.file,
        c.over.span,
        format!(
            "`{}` cannot be merged onto an earlier value of another shape",
            c.path
        ),
    )
    .with_primary_label("a mapping or list cannot be overridden by this")
    .with_label(c.base.file, c.base.span, "earlier value")
    .with_help("write the same shape in both files, or tag this value `!override`")
}

/// Reads the `env_file`s of every service.
fn load_env_files(
    sources: &mut SourceMap,
    project: &mut Project,
    buffers: &Buffers,
    paths: &CanonicalPaths,
) {
    let mut out: BTreeMap<String, Vec<ServiceEnvFile>> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    // env files created at deploy time: one CM006 per file, every entry naming it
    let mut deploy_time: BTreeMap<PathBuf, Diagnostic> = BTreeMap::new();
    let mut templates: BTreeMap<PathBuf, Option<(FileId, Vec<Assignment>)>> = BTreeMap::new();
    for svc in project.model.services() {
        let Some(v) = svc.get("env_file") else {
            continue;
        };
        let entries: Vec<&Spanned<Value>> = match &v.value {
            Value::List(items) => items.iter().collect(),
            _ => vec![v],
        };
        for entry in entries {
            let (path, required) = match &entry.value {
                Value::Str(s) => (s.to_string(), true),
                Value::Map(m) => {
                    let Some(p) = m.get("path").and_then(|p| p.value.as_str()) else {
                        continue;
                    };
                    let required = m.get("required").and_then(|r| r.value.as_bool());
                    (p.to_string(), required.unwrap_or(true))
                }
                _ => continue,
            };
            let full = project.resolve_path(entry.file, &path);
            let source = match buffers.read(&full) {
                Ok(source) => source,
                Err(_) if !required => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    let Some(why) = deploy_env::deploy_time(&full, paths) else {
                        diagnostics.push(missing_env_file(
                            &path,
                            svc.name(),
                            entry,
                            "does not exist",
                        ));
                        continue;
                    };
                    if let Some(d) = deploy_time.get_mut(&full) {
                        d.labels.push(crate::diagnostic::Label {
                            file: entry.file,
                            span: entry.span,
                            message: format!("also loaded by `{}`", svc.name()),
                        });
                    } else {
                        deploy_time.insert(
                            full.clone(),
                            deploy_time_note(&path, svc.name(), entry, &why),
                        );
                    }
                    if let deploy_env::DeployTime::Template(t) = &why {
                        let loaded = templates.entry(t.clone()).or_insert_with(|| {
                            let source = buffers.read(t).ok()?;
                            let (assignments, _) = env_file::parse(source.text(), &project.env);
                            Some((sources.add(source), assignments))
                        });
                        if let Some((id, assignments)) = loaded {
                            out.entry(svc.name().to_string())
                                .or_default()
                                .push(ServiceEnvFile {
                                    file: *id,
                                    assignments: assignments.clone(),
                                    deploy_time: true,
                                });
                        }
                    }
                    continue;
                }
                Err(e) => {
                    diagnostics.push(missing_env_file(
                        &path,
                        svc.name(),
                        entry,
                        &format!("cannot be read: {e}"),
                    ));
                    continue;
                }
            };
            let (assignments, errors) = env_file::parse(source.text(), &project.env);
            let id = sources.add(source);
            for e in errors {
                diagnostics.push(Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    id,
                    e.span,
                    format!("invalid env file line: {}", e.message),
                ));
            }
            out.entry(svc.name().to_string())
                .or_default()
                .push(ServiceEnvFile {
                    file: id,
                    assignments,
                    deploy_time: false,
                });
        }
    }
    // The `.env` note at its template is said once: at the entries, if any.
    let noted: Vec<&Path> = deploy_time.keys().map(PathBuf::as_path).collect();
    let project_dotenv = project.dir.join(".env");
    if noted.contains(&project_dotenv.as_path()) {
        project.diagnostics.retain(|d| {
            !(d.code == codes::ENV_FILE_NOT_IN_CHECKOUT.code
                && deploy_env::template_for(&project_dotenv, paths).as_deref()
                    == Some(sources.get(d.file).path()))
        });
    }
    project.service_env_files = out;
    project.diagnostics.extend(diagnostics);
    project.diagnostics.extend(deploy_time.into_values());
}

/// CM002 for an env file a service requires that cannot be read.
fn missing_env_file(path: &str, service: &str, entry: &Spanned<Value>, why: &str) -> Diagnostic {
    Diagnostic::new(
        codes::UNDEFINED_REFERENCE,
        entry.file,
        entry.span,
        format!("env file `{path}` of service `{service}` {why}"),
    )
    .with_primary_label("not found")
    .with_help("create the file, fix the path, or write `required: false`")
}

/// CM006 for an env file the checkout does not hold on purpose.
fn deploy_time_note(
    path: &str,
    service: &str,
    entry: &Spanned<Value>,
    why: &deploy_env::DeployTime,
) -> Diagnostic {
    let how = match why {
        deploy_env::DeployTime::Template(t) => format!(
            "it is created at deploy time from `{}`",
            t.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ),
        deploy_env::DeployTime::Ignored => {
            "`.gitignore` keeps it out, so it is created at deploy time".to_string()
        }
    };
    Diagnostic::new(
        codes::ENV_FILE_NOT_IN_CHECKOUT,
        entry.file,
        entry.span,
        format!("env file `{path}` of service `{service}` is not in the checkout: {how}"),
    )
    .with_primary_label("created at deploy time")
    .with_help(
        "the variables it sets are not judged; lint with the real file in place to judge them",
    )
}

/// With profiles enabled, an active service may not depend on an inactive one.
fn check_profile_dependencies(project: &mut Project) {
    if project.profiles.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for svc in project.model.services() {
        if !project.is_active(svc.name()) {
            continue;
        }
        for dep in svc.depends_on() {
            if dep.required
                && project.model.service(&dep.service).is_some()
                && !project.is_active(&dep.service)
            {
                found.push(
                    Diagnostic::new(
                        codes::UNDEFINED_REFERENCE,
                        svc.key.file,
                        dep.span,
                        format!(
                            "service `{}` depends on `{}`, which no enabled profile activates",
                            svc.name(),
                            dep.service
                        ),
                    )
                    .with_primary_label("inactive with these profiles")
                    .with_help(
                        "enable the service's profile, or mark the dependency `required: false`",
                    ),
                );
            }
        }
    }
    project.diagnostics.extend(found);
}

/// Reads and merges files, following `include` and `extends`.
pub(super) struct Loader<'a> {
    pub(super) sources: &'a mut SourceMap,
    pub(super) opts: &'a LoadOptions,
    /// Text from standard input, read instead of its file.
    pub(super) stdin: Option<&'a StdinFile>,
    /// Texts read instead of their files.
    pub(super) buffers: &'a Buffers,
    /// The run's canonical paths and directory listings.
    pub(super) paths: &'a CanonicalPaths,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) base_dirs: BTreeMap<FileId, PathBuf>,
    pub(super) files: Vec<FileId>,
    /// Files being included, outermost first (cycle detection).
    pub(super) include_stack: Vec<PathBuf>,
    pub(super) conflicts: Vec<MergeConflict>,
    /// Files read for `extends`, by path: their id and merged services.
    pub(super) extended: BTreeMap<PathBuf, Option<(FileId, Map)>>,
    /// `extends` cycles already reported, as sorted service names.
    pub(super) cycles: Vec<Vec<String>>,
    /// Files read because another file named them (`include`, `extends`).
    referenced_reads: usize,
    /// Whether an `extends` chain past [`MAX_EXTENDS_DEPTH`] was reported.
    pub(super) extends_too_deep: bool,
    /// Variables some file declares required (`${VAR:?message}`).
    pub(super) required: Vec<String>,
    /// Env files read for variables (those of included projects too).
    pub(super) env_reads: Vec<EnvFileRead>,
    /// Literal defaults of every file read.
    pub(super) defaults: Vec<LiteralDefault>,
}

/// `include` nests at most this many files deep.
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// An `extends` chain has at most this many links.
pub const MAX_EXTENDS_DEPTH: usize = 32;
/// A project reads at most this many files through `include` and `extends`
/// (a file included twice counts twice), so diamonds cannot multiply.
pub const MAX_REFERENCED_FILES: usize = 1000;

impl Loader<'_> {
    /// Reads `path` into the source map. `site` is where a referring file named
    /// it: a failure there is a finding; without a site it is an error.
    pub(super) fn read(&mut self, path: &Path, site: Option<Origin>) -> Result<FileId, ReadError> {
        if let Some(site) = site {
            self.referenced_reads += 1;
            if self.referenced_reads > MAX_REFERENCED_FILES {
                if self.referenced_reads == MAX_REFERENCED_FILES + 1 {
                    self.diagnostics.push(
                        Diagnostic::new(
                            codes::INVALID_COMPOSE,
                            site.file,
                            site.span,
                            format!("the project reads more than {MAX_REFERENCED_FILES} files through `include` and `extends`"),
                        )
                        .with_primary_label("this file and the rest were not read")
                        .with_help("include each file once; files included from several places are read each time"),
                    );
                }
                return Err(ReadError {
                    path: path.to_path_buf(),
                    error: std::io::Error::other("over the project's file budget"),
                });
            }
        }
        match read_source(path, self.stdin, self.buffers) {
            Ok(source) => Ok(self.sources.add(source)),
            Err(error) => {
                if let Some(site) = site {
                    let referrer = self.sources.get(site.file).path();
                    let shown = referrer
                        .parent()
                        .and_then(|d| path.strip_prefix(d).ok())
                        .unwrap_or(path);
                    self.diagnostics.push(
                        Diagnostic::new(
                            codes::UNDEFINED_REFERENCE,
                            site.file,
                            site.span,
                            if error.kind() == std::io::ErrorKind::NotFound {
                                format!("`{}` does not exist", shown.display())
                            } else {
                                format!("cannot read `{}`: {error}", shown.display())
                            },
                        )
                        .with_primary_label("referenced here"),
                    );
                }
                Err(ReadError {
                    path: path.to_path_buf(),
                    error,
                })
            }
        }
    }

    /// Converts file `id`, applies its includes and extends document by
    /// document, and merges each onto `top`. Returns whether the file was read whole.
    pub(super) fn load_into(
        &mut self,
        top: &mut Map,
        id: FileId,
        project_dir: &Path,
        env: &Environment,
    ) -> bool {
        self.base_dirs
            .entry(id)
            .or_insert_with(|| project_dir.to_path_buf());
        if !self.files.contains(&id) {
            self.files.push(id);
        }
        let compose = self.convert(id, env);
        self.include_stack
            .push(self.sources.get(id).path().to_path_buf());
        for mut doc in std::iter::once(compose.top).chain(compose.more_documents) {
            self.apply_includes(&mut doc, id, env);
            self.apply_extends(&mut doc, id, env);
            merge::merge_top(top, doc, &mut self.conflicts);
        }
        self.include_stack.pop();
        compose.complete
    }

    /// Converts file `id` and keeps what it found; the model is returned,
    /// the YAML tree is dropped here, before the model is merged.
    pub(super) fn convert(&mut self, id: FileId, env: &Environment) -> super::Compose {
        let loaded = load_file_unchecked(self.sources, id, env, self.opts);
        drop(loaded.tree);
        self.diagnostics.extend(loaded.diagnostics);
        self.required.extend(loaded.required);
        if self.defaults.is_empty() {
            self.defaults = loaded.defaults;
        } else {
            self.defaults.extend(loaded.defaults);
        }
        loaded.compose
    }

    /// The directory relative paths of `file` resolve against.
    pub(super) fn dir_of(&self, file: FileId) -> PathBuf {
        self.base_dirs.get(&file).cloned().unwrap_or_else(|| {
            self.sources
                .get(file)
                .path()
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_absolute_against_the_run_s_directory() {
        let cwd = Path::new("/srv/app");
        assert_eq!(
            absolute_from(Path::new("./deploy/../compose.yaml"), Some(cwd)),
            PathBuf::from("/srv/app/compose.yaml")
        );
        assert_eq!(
            absolute_from(Path::new("/etc/./x/../compose.yaml"), Some(cwd)),
            PathBuf::from("/etc/compose.yaml")
        );
        // no current directory: as given
        assert_eq!(
            absolute_from(Path::new("compose.yaml"), None),
            PathBuf::from("compose.yaml")
        );
        let paths = CanonicalPaths::default();
        assert_eq!(paths.current_dir(), std::env::current_dir().ok().as_deref());
    }
}
