//! Runs the checks over a set of paths and decides the outcome.
//!
//! Loads every project, links it to the Dockerfiles it builds, runs the load-time
//! checks and the rules each file's settings select (`crate::config`), masks
//! secrets, sorts, deduplicates and applies inline suppressions.
//! Projects and lone Dockerfiles are checked in parallel, each into its own
//! [`SourceMap`]; the parts are then joined in input order, so the output does
//! not depend on scheduling.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub mod fix;
mod fragments;
pub mod plan;
pub mod show;

use crate::compose::{self, project, Environment, LoadOptions, ProjectOptions};
use crate::config::{ConfigError, ConfigSource, Configs, Layer, Settings, Threshold};
use crate::diagnostic::{codes, Diagnostic};
use crate::discover::{self, FileKind, Found};
use crate::dockerfile::{self, BuildArgs};
use crate::project::{built_dockerfile, link};
use crate::rules::{self, OptionsByFile, Selection};
use crate::secret;
use crate::source::{read_source, Buffers, FileId, SourceMap, Span, StdinFile};
use crate::suppress;
use plan::{Formed, Wanted};

/// Options for one `check` run.
#[derive(Debug, Default, Clone)]
pub struct CheckOptions {
    /// Compose files merged, in order, into one project (`-f`).
    pub compose_files: Vec<PathBuf>,
    /// Env files replacing each project's `.env` (and the configuration's
    /// `env-file`).
    pub env_files: Vec<PathBuf>,
    /// Profiles (`--profile`, else the configuration's `profiles`): when any
    /// is given, only the services they enable are linted; otherwise every
    /// service is.
    pub profiles: Vec<String>,
    /// Variables of the process environment.
    pub process_env: Environment,
    /// Loader options.
    pub load: LoadOptions,
    /// Where configuration comes from (none by default).
    pub config: ConfigSource,
    /// The command line's rule selection, applied over the configuration.
    pub cli: Layer,
    /// Ignore inline suppressions (and do not report unused ones).
    pub disable_suppressions: bool,
    /// Apply `exclude` to files named explicitly too.
    pub force_exclude: bool,
    /// Text read from standard input, linted as the file it names.
    pub stdin: Option<StdinFile>,
    /// `--production`: judge every file as production, none as development.
    pub production: bool,
    /// Texts read instead of their files (fixes not yet written).
    pub buffers: Buffers,
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
    /// The files linted among [`Outcome::sources`], with what each was
    /// linted as (a file two projects share is here under each id).
    pub linted: Vec<(FileId, FileKind)>,
    /// Codes of Dockerfile findings not reported because every service
    /// building the Dockerfile overrides them in compose.
    pub overridden: Vec<&'static str>,
    /// Findings removed by inline suppressions.
    pub suppressed: usize,
    /// Configuration files that could not be used: when any, nothing was
    /// linted (exit code 2).
    pub config_errors: Vec<ConfigError>,
    /// The `fail-on` configured for each file, by [`FileId`].
    fail_on: Vec<Option<Threshold>>,
    /// Every secret written in the files read, masked before any output.
    masks: Vec<(FileId, Span)>,
    /// The linted files judged as development (production-readiness rules
    /// spared them), as given, sorted.
    pub development: Vec<PathBuf>,
}

impl Outcome {
    /// Which findings fail the run, `--fail-on` being `cli`.
    pub fn fail_policy(&self, cli: Option<Threshold>) -> crate::config::FailPolicy<'_> {
        crate::config::FailPolicy {
            cli,
            configured: &self.fail_on,
        }
    }

    /// Whether the findings fail the run: each at the threshold `cli` when
    /// given, else at its file's configured `fail-on`, else at warnings.
    pub fn fails(&self, cli: Option<Threshold>) -> bool {
        let policy = self.fail_policy(cli);
        self.diagnostics.iter().any(|d| policy.fails(d))
    }
}

/// What checking one project or one Dockerfile produced, over its own sources.
#[derive(Default)]
struct Part {
    sources: SourceMap,
    diagnostics: Vec<Diagnostic>,
    overridden: Vec<&'static str>,
    /// Files linted.
    files: Vec<(FileId, FileKind)>,
    errors: Vec<String>,
    /// For a fragment merged on its base: what the merged project says
    /// about the base's services (see [`Filled`]).
    filled: Option<Filled>,
    /// Every secret written in its files: masked in every output.
    masks: Vec<(FileId, Span)>,
}

/// What a fragment merged on its base says about the base's services: the
/// spans of their keys, and the findings at those keys in the merged
/// project (canonical path, span, code). A finding the base reports at one
/// of those keys that the merged project does not have is something the
/// fragment sets — how the project is deployed — and is not reported.
#[derive(Default)]
struct Filled {
    keys: BTreeSet<(PathBuf, Span)>,
    present: BTreeSet<(PathBuf, Span, &'static str)>,
}

/// A project as loaded, before linking.
pub(crate) struct Loaded {
    sources: SourceMap,
    /// The files it was asked to load, canonical.
    given: Vec<PathBuf>,
    /// The same files as the run names them.
    shown: Vec<PathBuf>,
    /// Every file it read, canonical.
    read: Vec<PathBuf>,
    /// How its files were put together.
    formed: Formed,
    project: project::Project,
}

/// The projects and Dockerfiles a run checks, before any rule runs.
struct Planned {
    projects: Vec<Loaded>,
    dockerfiles: Vec<PathBuf>,
    /// Every file found, as what and why.
    found: Vec<Found>,
}

/// Finds the files under `paths`, reads the configuration that governs
/// them, and loads the projects to check (see [`plan`]). `Err` holds the
/// configuration errors that stop the run.
fn plan_run(
    paths: &[PathBuf],
    opts: &CheckOptions,
    configs: &Arc<Configs>,
    out: &mut Outcome,
) -> Result<Planned, Vec<ConfigError>> {
    let exclude: discover::Exclude = {
        let configs = configs.clone();
        Arc::new(move |p: &Path| configs.excluded(p))
    };
    let (found, errors) = discover::files(paths, Some(&exclude), opts.force_exclude);
    configs
        .paths()
        .not_links(found.iter().filter(|f| !f.link).map(|f| f.path.as_path()));
    out.errors.extend(errors.into_iter().map(|e| e.to_string()));
    let mut dockerfiles: Vec<PathBuf> = found
        .iter()
        .filter(|f| f.kind == FileKind::Dockerfile)
        .map(|f| f.path.clone())
        .collect();
    if let Some(stdin) = &opts.stdin {
        if discover::kind_of(&stdin.path) == Some(FileKind::Dockerfile) {
            dockerfiles.insert(0, stdin.path.clone());
        }
    }
    // A broken configuration stops the run before any work. Configurations
    // apply by directory: each directory is looked at once, not each file,
    // on the pool (the errors come back sorted, whatever the order).
    let mut dirs: Vec<&Path> = found
        .iter()
        .map(|f| f.path.as_path())
        .chain(opts.compose_files.iter().map(PathBuf::as_path))
        .chain(opts.stdin.as_ref().map(|s| s.path.as_path()))
        .filter_map(|p| p.parent())
        .collect();
    // by their bytes: comparing paths component by component costs more
    dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    dirs.dedup();
    dirs.par_iter().for_each(|dir| {
        configs.config_of(dir);
    });
    let config_errors = configs.errors();
    if !config_errors.is_empty() {
        return Err(config_errors);
    }
    let wanted = plan::wanted(&found, opts, configs);
    let loaded = load_all(&wanted, opts, configs, out);
    let subsumed = subsumed(&loaded);
    let mut projects: Vec<Loaded> = loaded
        .into_iter()
        .zip(subsumed)
        .filter(|(_, subsumed)| !subsumed)
        .map(|(l, _)| l)
        .collect();
    judge_fragments(&mut projects, &found, opts, configs, out);
    configs.built_for_development(built_for_development(&projects, configs));
    Ok(Planned {
        projects,
        dockerfiles,
        found,
    })
}

/// The Dockerfiles (canonical) that only development compose files build,
/// each with why: a Dockerfile kept for the laptop stack is one too.
fn built_for_development(projects: &[Loaded], configs: &Configs) -> FxHashMap<PathBuf, String> {
    // each project's builds, found in parallel (resolving a Dockerfile's
    // path and a compose file's settings touches the file system once each)
    let builds: Vec<Vec<(PathBuf, &Path, bool)>> = projects
        .par_iter()
        .map(|loaded| {
            loaded
                .project
                .model
                .services()
                .filter_map(|svc| {
                    let (path, at) = built_dockerfile(&loaded.project, &svc)?;
                    let compose = loaded.sources.get(at.file).path();
                    let development = configs.settings(compose).development.is_some();
                    Some((canonical(configs, &path), compose, development))
                })
                .collect()
        })
        .collect();
    // per Dockerfile, in project order: a development file building it, or
    // `None` once a production one does
    let mut builders: FxHashMap<PathBuf, Option<PathBuf>> = FxHashMap::default();
    for (dockerfile, compose, development) in builds.into_iter().flatten() {
        let entry = builders
            .entry(dockerfile)
            .or_insert_with(|| Some(compose.to_path_buf()));
        if !development {
            *entry = None;
        }
    }
    builders
        .into_iter()
        .filter_map(|(dockerfile, by)| {
            let by = by?;
            let name = by.file_name()?.to_string_lossy().into_owned();
            Some((
                dockerfile,
                format!("built only by `{name}`, a development file"),
            ))
        })
        .collect()
}

/// Loads every wanted project in parallel; an unreadable file is an error of
/// the run.
fn load_all(
    wanted: &[Wanted],
    opts: &CheckOptions,
    configs: &Configs,
    out: &mut Outcome,
) -> Vec<Loaded> {
    let loaded: Vec<Result<Loaded, String>> =
        wanted.par_iter().map(|w| load(w, opts, configs)).collect();
    let mut ok = Vec::new();
    for l in loaded {
        match l {
            Ok(l) => ok.push(l),
            Err(e) => out.errors.push(e),
        }
    }
    ok
}

/// Decides which lone files are fragments: merged on the base that completes
/// them, or marked to be judged on what they set. Whole projects with a
/// service Compose cannot run (no `image`, no `build`) get CM001.
fn judge_fragments(
    projects: &mut [Loaded],
    found: &[Found],
    opts: &CheckOptions,
    configs: &Configs,
    out: &mut Outcome,
) {
    let mut names = fragments::Names::default();
    // keyed by the canonical directory's bytes (hashing a `Path` walks its
    // components)
    let mut by_dir: FxHashMap<std::ffi::OsString, Vec<PathBuf>> = FxHashMap::default();
    for f in found.iter().filter(|f| f.kind == FileKind::Compose) {
        let path = canonical(configs, &f.path);
        if let Some(dir) = path.parent() {
            by_dir
                .entry(dir.as_os_str().to_owned())
                .or_default()
                .push(path);
        }
    }
    let siblings_of = |l: &Loaded| {
        l.given
            .first()
            .and_then(|g| g.parent())
            .and_then(|d| by_dir.get(d.as_os_str()))
            .map_or(&[][..], Vec::as_slice)
    };
    // Projects to load again: a fragment on its base, or a fragment alone
    // whose relative paths resolve against its nearest base's directory.
    let mut again = Vec::new();
    // most projects are plainly whole: those are judged on the pool, the
    // others one by one (what they name is read once for all)
    let whole: Vec<bool> = projects
        .par_iter_mut()
        .map(|loaded| {
            let whole = fragments::plainly_whole(loaded);
            if whole {
                fragments::missing_image(loaded);
            }
            whole
        })
        .collect();
    for (i, loaded) in projects.iter_mut().enumerate() {
        if whole[i] {
            continue;
        }
        match fragments::classify(loaded, siblings_of(loaded), &mut names, configs.paths()) {
            fragments::Verdict::Whole => fragments::missing_image(loaded),
            fragments::Verdict::OnBase(chain) => {
                let mut files = chain.clone();
                files.extend(loaded.shown.iter().cloned());
                again.push((i, Wanted::of(files, Formed::FragmentOnBase(chain))));
            }
            fragments::Verdict::Alone {
                overlays,
                resolved,
                nearest_base,
            } => {
                let base_dir = nearest_base.as_deref().and_then(Path::parent);
                let own_dir = loaded.given.first().and_then(|g| g.parent());
                match base_dir {
                    Some(d) if Some(d) != own_dir => {
                        let mut w = Wanted::of(loaded.shown.clone(), Formed::Fragment);
                        w.project_dir = Some(d.to_path_buf());
                        again.push((i, w));
                    }
                    _ => {
                        fragments::mark_alone(loaded, overlays, &resolved, nearest_base.as_deref())
                    }
                }
            }
        }
    }
    let wanted: Vec<Wanted> = again.iter().map(|(_, w)| w.clone()).collect();
    let reloaded = wanted
        .par_iter()
        .map(|w| load(w, opts, configs))
        .collect::<Vec<_>>();
    for ((i, _), reloaded) in again.into_iter().zip(reloaded) {
        match reloaded {
            Ok(mut l) => {
                if l.formed == Formed::Fragment {
                    if let fragments::Verdict::Alone {
                        overlays,
                        resolved,
                        nearest_base,
                    } = fragments::classify(&l, siblings_of(&l), &mut names, configs.paths())
                    {
                        fragments::mark_alone(&mut l, overlays, &resolved, nearest_base.as_deref());
                    }
                }
                projects[i] = l;
            }
            Err(e) => out.errors.push(e),
        }
    }
}

/// Lints the compose files and Dockerfiles found under `paths` (and the `-f`
/// project and standard input, when given). Compose files are loaded as
/// projects (see [`plan`]), each with its `include`s and `extends`, linked to
/// the Dockerfiles their services build. A Dockerfile no project builds is
/// linted on its own.
pub fn check(paths: &[PathBuf], opts: &CheckOptions) -> Outcome {
    let mut out = Outcome::default();
    let configs = Arc::new(
        Configs::new(opts.config.clone(), opts.cli.clone())
            .production(opts.production)
            .roots(paths),
    );
    let planned = match plan_run(paths, opts, &configs, &mut out) {
        Ok(p) => p,
        Err(errors) => {
            out.config_errors = errors;
            return out;
        }
    };
    let mut linted = Vec::new();
    let mut built = rustc_hash::FxHashSet::default();
    let mut filled = Vec::new();
    in_order(
        planned.projects,
        |l| check_project(l, &configs, &opts.buffers),
        |(mut part, dockerfiles)| {
            built.extend(dockerfiles);
            filled.extend(part.filled.take());
            linted.extend(join(&mut out, part));
        },
    );
    drop_what_fragments_fill(&mut out, &filled, &configs);
    let stdin_path = opts.stdin.as_ref().map(|s| s.path.as_path());
    // each is small: checked all at once, which costs less than handing
    // each on in order
    let lone: Vec<Part> = planned
        .dockerfiles
        .par_iter()
        .filter(|p| Some(p.as_path()) == stdin_path || !built.contains(&canonical(&configs, p)))
        .map(|p| check_dockerfile(p, opts, &configs))
        .collect();
    for part in lone {
        linted.extend(join(&mut out, part));
    }
    finish(&mut out, &linted, &configs, !opts.disable_suppressions);
    out.linted = linted;
    out.config_errors = configs.errors();
    // what the run learnt of each path (thousands of small allocations, made
    // on the pool's threads) is freed there, while the report is written
    rayon::spawn(move || drop((configs, planned.found, built)));
    out
}

/// Checks `items` on the thread pool and hands each result to `take` in
/// input order as soon as the results before it are in. A thread takes the
/// next item whenever it is free, so items finish nearly in order and few
/// results wait: the findings of a run then exist once, in the run's list,
/// rather than also in thousands of per-project lists joined at the end.
fn in_order<T: Send, R: Send>(
    items: Vec<T>,
    check: impl Fn(T) -> R + Sync,
    take: impl FnMut(R) + Send,
) {
    struct Taker<F> {
        next: usize,
        take: F,
    }
    fn lock<X>(m: &Mutex<X>) -> std::sync::MutexGuard<'_, X> {
        m.lock().unwrap_or_else(|e| e.into_inner())
    }
    let items = Mutex::new(items.into_iter().enumerate());
    let waiting: Mutex<BTreeMap<usize, R>> = Mutex::new(BTreeMap::new());
    let taker = Mutex::new(Taker { next: 0, take });
    // Whoever finds the taker free hands on what is ready; the others go on
    // checking instead of waiting for it.
    let hand_on = || {
        while let Ok(mut t) = taker.try_lock() {
            loop {
                let next = t.next;
                let Some(result) = lock(&waiting).remove(&next) else {
                    break;
                };
                (t.take)(result);
                t.next += 1;
            }
            let next = t.next;
            drop(t);
            // a result that came in while the taker was busy: its thread
            // found the taker taken and left it to be handed on here
            if !lock(&waiting).contains_key(&next) {
                return;
            }
        }
    };
    let work = || loop {
        let Some((i, item)) = lock(&items).next() else {
            return;
        };
        let result = check(item);
        lock(&waiting).insert(i, result);
        hand_on();
    };
    rayon::scope(|s| {
        for _ in 0..rayon::current_num_threads() {
            s.spawn(|_| work());
        }
    });
    // every result is handed on by now; this only makes sure of it
    let mut t = taker.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut waiting = waiting.into_inner().unwrap_or_else(|e| e.into_inner());
    while let Some(result) = waiting.remove(&t.next) {
        (t.take)(result);
        t.next += 1;
    }
}

/// Loads the wanted project; an unreadable file is an error. The env files
/// and profiles come from the command line, else from its `projects:` entry,
/// else from the configuration of the first file.
fn load(wanted: &Wanted, opts: &CheckOptions, configs: &Configs) -> Result<Loaded, String> {
    let files = &wanted.files;
    let mut sources = SourceMap::new();
    let config = files.first().and_then(|f| configs.config_for(f));
    let env_files = if !opts.env_files.is_empty() {
        opts.env_files.clone()
    } else if !wanted.env_files.is_empty() {
        wanted.env_files.clone()
    } else {
        config
            .as_ref()
            .map(|c| c.env_files.clone())
            .unwrap_or_default()
    };
    let profiles = if !opts.profiles.is_empty() {
        opts.profiles.clone()
    } else if let Some(p) = &wanted.profiles {
        p.clone()
    } else {
        config
            .as_ref()
            .and_then(|c| c.profiles.clone())
            .unwrap_or_default()
    };
    let project_opts = ProjectOptions {
        files: files.to_vec(),
        env_files,
        profiles: profiles.clone(),
        process_env: opts.process_env.clone(),
        load: opts.load.clone(),
        stdin: opts.stdin.clone(),
        buffers: opts.buffers.clone(),
        paths: configs.paths().clone(),
        dotenv_dir: wanted.dotenv_dir.clone(),
        project_dir: wanted.project_dir.clone(),
    };
    let mut project =
        compose::load_project(&mut sources, &project_opts).map_err(|e| e.to_string())?;
    if !profiles.is_empty() {
        project.retain_active_services();
    }
    let given = files.iter().map(|f| canonical(configs, f)).collect();
    let read = project
        .files
        .iter()
        .map(|f| canonical(configs, sources.get(*f).path()))
        .collect();
    Ok(Loaded {
        sources,
        given,
        shown: files.clone(),
        read,
        formed: wanted.formed.clone(),
        project,
    })
}

/// Which projects another one includes or extends entirely: those are checked
/// as part of it, not again on their own (of two projects that include each
/// other, the first is kept).
fn subsumed(loaded: &[Loaded]) -> Vec<bool> {
    // which projects read each file: only those can contain a project given it
    // keyed by the paths' bytes (canonical): hashing a `Path` walks its
    // components
    let mut readers: FxHashMap<&std::ffi::OsStr, Vec<usize>> = FxHashMap::default();
    for (j, l) in loaded.iter().enumerate() {
        for f in &l.read {
            readers.entry(f.as_os_str()).or_default().push(j);
        }
    }
    let reads = |b: usize, f: &PathBuf| readers.get(f.as_os_str()).is_some_and(|r| r.contains(&b));
    let part_of = |a: usize, b: usize| a != b && loaded[a].given.iter().all(|f| reads(b, f));
    (0..loaded.len())
        .map(|i| {
            let Some(first) = loaded[i].given.first() else {
                return false;
            };
            let candidates = readers
                .get(first.as_os_str())
                .map_or(&[][..], Vec::as_slice);
            candidates
                .iter()
                .any(|&j| part_of(i, j) && (!part_of(j, i) || j < i))
        })
        .collect()
}

/// The settings of every file of `sources`, by [`FileId`].
fn settings_of(sources: &SourceMap, configs: &Configs) -> Vec<Arc<Settings>> {
    sources
        .iter()
        .map(|(_, f)| configs.settings(f.path()))
        .collect()
}

/// The rule options of every file, as rules read them.
fn options_of(settings: &[Arc<Settings>]) -> OptionsByFile {
    OptionsByFile::new(settings.iter().map(|s| s.options.clone()).collect())
}

/// Every rule some linted file selects: those run; each finding is then kept
/// only if its own file selects its rule.
fn rules_to_run(files: &[(FileId, FileKind)], settings: &[Arc<Settings>]) -> Selection {
    files.iter().fold(Selection::none(), |sel, (f, _)| {
        sel.union(&settings[f.0 as usize].selection)
    })
}

/// Keeps the findings whose file selects their rule, at the severity
/// configured for that file (else the one it takes in a development file).
fn apply_settings(diagnostics: &mut Vec<Diagnostic>, settings: &[Arc<Settings>]) {
    diagnostics.retain_mut(|d| {
        let Some(s) = settings.get(d.file.0 as usize) else {
            return true;
        };
        if let (Some(_), Some(sev)) = (&s.development, d.in_development) {
            d.severity = sev;
        }
        if let Some(sev) = s.severity_of(d.code) {
            d.severity = sev;
        }
        s.judges(d.code)
    });
}

/// Links a loaded project and runs the rules; also returns the canonical
/// paths of the Dockerfiles it built.
fn check_project(loaded: Loaded, configs: &Configs, buffers: &Buffers) -> (Part, Vec<PathBuf>) {
    let Loaded {
        mut sources,
        mut project,
        formed,
        given,
        ..
    } = loaded;
    let mut part = Part::default();
    part.diagnostics.append(&mut project.diagnostics);
    part.files
        .extend(project.files.iter().map(|f| (*f, FileKind::Compose)));
    let mut linked = link(&mut sources, project, buffers);
    part.diagnostics.append(&mut linked.diagnostics);
    let mut built = Vec::new();
    for d in &linked.dockerfiles {
        if d.inline.is_none() {
            part.files.push((d.dockerfile.file, FileKind::Dockerfile));
        }
        built.push(canonical(configs, sources.get(d.dockerfile.file).path()));
    }
    let settings = settings_of(&sources, configs);
    let options = options_of(&settings);
    let selection = rules_to_run(&part.files, &settings);
    linked.stack = part
        .files
        .iter()
        .any(|(f, kind)| *kind == FileKind::Compose && settings[f.0 as usize].stack);
    let secrets = secret::scan::project(&linked, &sources, &masking_names(&options));
    part.masks = secrets.iter().map(|f| (f.file, f.span)).collect();
    let (diagnostics, overridden) =
        rules::check_project(&linked, &sources, &selection, &options, &secrets);
    part.diagnostics.extend(diagnostics);
    part.overridden = overridden;
    apply_settings(&mut part.diagnostics, &settings);
    if let Formed::FragmentOnBase(_) = formed {
        let fragment = given.last().map(|f| canonical(configs, f));
        let owned = owned_by_fragment(&linked, &sources, |p| {
            Some(canonical(configs, p)) == fragment
        });
        let path = |f: FileId| canonical(configs, sources.get(f).path());
        let mut filled = Filled::default();
        for svc in linked.compose.model.services() {
            if !owned.contains(&svc.key.file) {
                filled.keys.insert((path(svc.key.file), svc.key.span));
            }
        }
        for d in part.diagnostics.iter().filter(|d| !owned.contains(&d.file)) {
            filled.present.insert((path(d.file), d.span, d.code));
        }
        part.filled = Some(filled);
        part.diagnostics.retain(|d| owned.contains(&d.file));
        part.files.retain(|(f, _)| owned.contains(f));
    }
    part.sources = sources;
    (part, built)
}

/// The files of a fragment merged on its base that the base alone does not
/// bring: the fragment (`is_fragment`), the files read after it (its
/// `include`s and `extends`), and the Dockerfiles its own services build.
/// The base's findings are the base project's to report.
fn owned_by_fragment(
    linked: &crate::project::Linked,
    sources: &SourceMap,
    is_fragment: impl Fn(&Path) -> bool,
) -> BTreeSet<FileId> {
    let files = &linked.compose.files;
    let from = files
        .iter()
        .position(|f| is_fragment(sources.get(*f).path()))
        .unwrap_or(files.len());
    let mut owned: BTreeSet<FileId> = files[from..].iter().copied().collect();
    for d in &linked.dockerfiles {
        let own = d.services.iter().any(|name| {
            linked
                .service(name)
                .is_some_and(|s| owned.contains(&s.compose.key.file))
        });
        if own {
            owned.insert(d.dockerfile.file);
        }
    }
    owned
}

/// Drops findings at a base service's key that a fragment merged on that
/// base does not have: the fragment sets what the base lacks (see [`Filled`]).
fn drop_what_fragments_fill(out: &mut Outcome, filled: &[Filled], configs: &Configs) {
    if filled.is_empty() {
        return;
    }
    let sources = &out.sources;
    out.diagnostics.retain(|d| {
        let path = canonical(configs, sources.get(d.file).path());
        !filled.iter().any(|f| {
            f.keys.contains(&(path.clone(), d.span))
                && !f.present.contains(&(path.clone(), d.span, d.code))
        })
    });
}

/// Lints a Dockerfile no project builds.
fn check_dockerfile(path: &Path, opts: &CheckOptions, configs: &Configs) -> Part {
    let mut part = Part::default();
    let source = match read_source(path, opts.stdin.as_ref(), &opts.buffers) {
        Ok(source) => source,
        Err(e) => {
            part.errors.push(format!(
                "cannot read `{}`: {}",
                path.display(),
                crate::source::io_message(&e)
            ));
            return part;
        }
    };
    let id = part.sources.add(source);
    part.files.push((id, FileKind::Dockerfile));
    let settings = settings_of(&part.sources, configs);
    let options = options_of(&settings);
    let loaded = dockerfile::load(&part.sources, id, &BuildArgs::new());
    part.diagnostics.extend(loaded.diagnostics);
    let secrets =
        secret::scan::dockerfile(&loaded.dockerfile, &part.sources, &masking_names(&options));
    part.masks = secrets.iter().map(|f| (f.file, f.span)).collect();
    // built, by convention, from its own directory
    let from_stdin = opts.stdin.as_ref().is_some_and(|s| s.path == path);
    let contexts: Vec<crate::project::BuildContext> = match (from_stdin, path.parent()) {
        (false, Some(dir)) => vec![crate::project::BuildContext::new(
            if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.to_path_buf()
            },
            Some(path),
            None,
        )],
        _ => Vec::new(),
    };
    part.diagnostics.extend(rules::check_dockerfile(
        &loaded.dockerfile,
        &contexts,
        &part.sources,
        &settings[id.0 as usize].selection,
        &options,
        &secrets,
    ));
    apply_settings(&mut part.diagnostics, &settings);
    part
}

/// Which names hold secrets, for masking: the convention, and the
/// `secret-names` any rule is configured with for the file. Masking ignores
/// `allowed-names`: hiding a value too many is harmless.
fn masking_names(options: &OptionsByFile) -> impl Fn(FileId, &str) -> Option<bool> + '_ {
    move |file, name| {
        Some(
            secret::is_secret_name(name)
                || options
                    .get(file)
                    .any_matches(rules::options::SECRET_NAMES.name, name),
        )
    }
}

/// Moves `part` into `out`, renumbering its files; returns its linted files.
fn join(out: &mut Outcome, part: Part) -> Vec<(FileId, FileKind)> {
    let base = out.sources.append(part.sources);
    for (file, span) in part.masks {
        out.masks.push((FileId(file.0.saturating_add(base)), span));
    }
    for mut d in part.diagnostics {
        d.rebase(base);
        out.diagnostics.push(d);
    }
    // `out.files` is derived from these by `finish`
    let linted = part
        .files
        .into_iter()
        .map(|(f, kind)| (FileId(f.0.saturating_add(base)), kind))
        .collect();
    out.overridden.extend(part.overridden);
    out.errors.extend(part.errors);
    linted
}

/// Masks secrets, sorts by canonical path, offset and code, reports a file
/// shared by two projects (an included file) once, and applies inline
/// suppressions (`suppressions`) over the linted files.
fn finish(out: &mut Outcome, linted: &[(FileId, FileKind)], configs: &Configs, suppressions: bool) {
    // Secrets are masked whatever rules ran: those the scan found, and any a
    // finding marks.
    let found = out.diagnostics.iter().flat_map(|d| d.masks.iter().copied());
    for (file, span) in out.masks.iter().copied().chain(found).collect::<Vec<_>>() {
        out.sources.mask(file, span);
    }
    // a fix that rewrites or lands inside a secret would print it
    for d in &mut out.diagnostics {
        let touches_secret =
            d.fix.as_ref().is_some_and(|fix| {
                fix.edits.iter().any(|e| {
                    out.sources.get(e.file).masks().iter().any(|m| {
                        m.overlaps(e.span) || (m.start < e.span.start && e.span.start < m.end)
                    })
                })
            });
        if touches_secret {
            d.fix = None;
        }
    }
    // looked up on the pool: a large run has thousands of files
    let paths: Vec<&Path> = out.sources.iter().map(|(_, f)| f.path()).collect();
    let canon: Vec<PathBuf> = paths.par_iter().map(|p| canonical(configs, p)).collect();
    let settings: Vec<Arc<Settings>> = paths.par_iter().map(|p| configs.settings(p)).collect();
    drop(paths);
    // each file's place in the order of canonical paths: sorting thousands of
    // findings or files compares two numbers, not two paths component by
    // component
    let rank: Vec<usize> = {
        let mut order: Vec<usize> = (0..canon.len()).collect();
        order.par_sort_by(|&a, &b| canon[a].cmp(&canon[b]));
        let mut rank = vec![0; canon.len()];
        for (i, &f) in order.iter().enumerate() {
            rank[f] = match i.checked_sub(1).map(|p| order[p]) {
                Some(prev) if canon[prev] == canon[f] => rank[prev],
                Some(prev) => rank[prev] + 1,
                None => 0,
            };
        }
        rank
    };
    out.fail_on = settings.iter().map(|s| s.fail_on).collect();
    // a file YAML cannot parse is reported for that alone: what was modelled
    // of it is a fragment of what its author wrote, not the document
    let broken: BTreeSet<FileId> = out
        .diagnostics
        .iter()
        .filter(|d| {
            d.code == codes::YAML_SYNTAX.code
                && d.message.starts_with(crate::yaml::tree::SYNTAX_ERROR)
        })
        .map(|d| d.file)
        .collect();
    out.diagnostics
        .retain(|d| !broken.contains(&d.file) || d.code.starts_with("YM"));
    note_development(out, linted, &rank, &settings);
    let key = |d: &Diagnostic| (rank[d.file.0 as usize], d.span.start, d.code, d.span.end);
    // the message breaks ties, compared in place rather than cloned per finding
    let order = |a: &Diagnostic, b: &Diagnostic| {
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    };
    let same = |a: &Diagnostic, b: &Diagnostic| {
        rank[a.file.0 as usize] == rank[b.file.0 as usize]
            && a.span == b.span
            && a.code == b.code
            && a.message == b.message
    };
    sort_by(&mut out.diagnostics, order);
    out.diagnostics.dedup_by(|a, b| same(a, b));
    if suppressions {
        let ran = |f: FileId, code: &str| settings[f.0 as usize].judges(code);
        let applied = suppress::apply(&mut out.diagnostics, &out.sources, linted, &canon, &ran);
        out.suppressed = applied.suppressed;
        let mut found = applied.findings;
        apply_settings(&mut found, &settings);
        if !found.is_empty() {
            out.diagnostics.extend(found);
            sort_by(&mut out.diagnostics, order);
        }
    }
    // the linted files in the order of their canonical paths, each once
    let path = |f: FileId| out.sources.get(f).path();
    let mut files: Vec<FileId> = linted.iter().map(|(f, _)| *f).collect();
    files.sort_by(|&a, &b| {
        rank[a.0 as usize]
            .cmp(&rank[b.0 as usize])
            .then_with(|| path(a).cmp(path(b)))
    });
    files.dedup_by_key(|f| rank[f.0 as usize]);
    out.files = files.iter().map(|&f| path(f).to_path_buf()).collect();
}

/// Sorts `items` stably by `order`. The sort moves indices, not items, and
/// then puts each item in its place by swaps: a stable sort of the items
/// themselves needs scratch space for half of them, megabytes for the
/// findings of a large run.
fn sort_by<T: Sync>(items: &mut [T], order: impl Fn(&T, &T) -> std::cmp::Ordering + Sync) {
    let mut from: Vec<usize> = (0..items.len()).collect();
    from.par_sort_by(|&a, &b| order(&items[a], &items[b]));
    // `items[i]` is to become the item now at `from[i]`: follow each cycle
    for start in 0..from.len() {
        let mut at = start;
        while from[at] != usize::MAX {
            let next = from[at];
            from[at] = usize::MAX;
            if next == start {
                break;
            }
            items.swap(at, next);
            at = next;
        }
    }
}

/// Records the linted files judged as development; when every one is, says
/// so once (CM007), at the first of them, so a run on a development project
/// does not look like a clean bill of health.
fn note_development(
    out: &mut Outcome,
    linted: &[(FileId, FileKind)],
    rank: &[usize],
    settings: &[Arc<Settings>],
) {
    let mut files: Vec<(usize, FileId)> = linted
        .iter()
        .map(|(f, _)| (rank[f.0 as usize], *f))
        .collect();
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let development: Vec<(usize, FileId)> = files
        .iter()
        .copied()
        .filter(|(_, f)| settings[f.0 as usize].development.is_some())
        .collect();
    out.development = development
        .iter()
        .map(|(_, f)| out.sources.get(*f).path().to_path_buf())
        .collect();
    let Some(&(_, first)) = development.first() else {
        return;
    };
    if development.len() != files.len() {
        return;
    }
    let why = settings[first.0 as usize]
        .development
        .clone()
        .unwrap_or_default();
    let text = out.sources.get(first).text();
    let line_end = text.find('\n').unwrap_or(text.len());
    let count = development.len();
    let message = if count == 1 {
        format!(
            "this file is judged as development ({why}): production-readiness rules did not run"
        )
    } else {
        format!(
            "all {count} files are judged as development (this one: {why}): production-readiness rules did not run"
        )
    };
    let note = Diagnostic::new(
        codes::JUDGED_AS_DEVELOPMENT,
        first,
        Span::new(0, line_end),
        message,
    )
    .with_help(
        "health-check, resource-limit, restart and logging rules skip development files; \
         run with `--production`, or list the development files under `development:` in \
         .seaworthy.yaml, to judge it as production",
    );
    let mut note = vec![note];
    apply_settings(&mut note, settings);
    out.diagnostics.extend(note);
}

/// `p` canonical (through the run's cache), or as given when it cannot be.
fn canonical(configs: &Configs, p: &Path) -> PathBuf {
    configs.paths().get(p).unwrap_or_else(|| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_are_handed_on_in_input_order_once_each() {
        // items of very different cost finish out of order on the pool
        for n in [0, 1, 2, 7, 300] {
            let mut taken = Vec::new();
            super::in_order(
                (0..n).collect(),
                |i: usize| {
                    let spin = if i.is_multiple_of(5) { 20_000 } else { i % 3 };
                    (0..spin).fold(i, |a, b| std::hint::black_box(a ^ b));
                    i * 2
                },
                |r| taken.push(r),
            );
            assert_eq!(taken, (0..n).map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn sorting_by_index_is_a_stable_sort() {
        // every order of five items with repeated keys, compared with the
        // standard library's stable sort
        let items = [(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        let mut orders = vec![vec![]];
        for _ in 0..items.len() {
            orders = orders
                .into_iter()
                .flat_map(|o: Vec<usize>| {
                    (0..items.len())
                        .filter(|i| !o.contains(i))
                        .map(|i| [o.clone(), vec![i]].concat())
                        .collect::<Vec<_>>()
                })
                .collect();
        }
        assert_eq!(orders.len(), 120);
        for order in orders {
            let mut ours: Vec<_> = order.iter().map(|&i| items[i]).collect();
            let mut std = ours.clone();
            super::sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "{order:?}");
        }
    }
}
