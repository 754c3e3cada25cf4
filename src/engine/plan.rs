//! Which projects a run checks. Compose files are grouped the way their
//! authors run them — the `-f` files, a directory's default file with its
//! override file, `COMPOSE_FILE`, the `projects:` of the configuration — and
//! every other compose file stands alone. A file another project already
//! loads is judged only there. See docs/compose-project.md.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use crate::compose::files::{
    compose_file_setting, default_files, ComposeFileSetting, SettingSource,
};
use crate::config::{Configs, ProjectSet};
use crate::discover::{FileKind, Found};

use super::CheckOptions;

/// How a project's files were put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Formed {
    /// `-f` on the command line.
    CommandLine,
    /// Standard input, standing alone.
    Stdin,
    /// A directory's default file and its override file.
    Default,
    /// The files `COMPOSE_FILE` lists.
    ComposeFile(SettingSource),
    /// A `projects:` entry of this configuration file.
    Config(PathBuf),
    /// A compose file on its own.
    Alone,
    /// A fragment merged on the files it completes: a base, then the
    /// fragments beside it that define what the base lacks.
    FragmentOnBase(Vec<PathBuf>),
    /// A fragment no base completes, judged on what it sets.
    Fragment,
}

impl Formed {
    /// How `--show-files` describes it.
    pub fn describe(&self) -> String {
        let shown = |p: &Path| crate::source::display_path(p);
        match self {
            Formed::CommandLine => "the -f files".into(),
            Formed::Stdin => "standard input".into(),
            Formed::Default => "default files".into(),
            Formed::ComposeFile(SettingSource::Process) => {
                "COMPOSE_FILE from the environment".into()
            }
            Formed::ComposeFile(SettingSource::DotEnv(p)) => {
                format!("COMPOSE_FILE in {}", shown(p))
            }
            Formed::Config(p) => format!("projects: in {}", shown(p)),
            Formed::Alone => "alone".into(),
            Formed::FragmentOnBase(chain) => {
                let files: Vec<String> = chain.iter().map(|p| shown(p)).collect();
                format!("fragment merged on {}", files.join(" + "))
            }
            Formed::Fragment => "fragment, no base".into(),
        }
    }
}

/// A set of compose files to load as one project.
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The files, in merge order.
    pub files: Vec<PathBuf>,
    /// Env files replacing the project's `.env` (`projects:` entries).
    pub env_files: Vec<PathBuf>,
    /// Profiles to lint (`projects:` entries).
    pub profiles: Option<Vec<String>>,
    /// The directory whose `.env` set `COMPOSE_FILE`.
    pub dotenv_dir: Option<PathBuf>,
    /// The project directory, when not the first file's.
    pub project_dir: Option<PathBuf>,
    /// How the set was formed.
    pub formed: Formed,
}

impl Wanted {
    /// `files` as the run names them, formed as said.
    pub fn of(files: Vec<PathBuf>, formed: Formed) -> Wanted {
        Wanted {
            files,
            env_files: Vec::new(),
            profiles: None,
            dotenv_dir: None,
            project_dir: None,
            formed,
        }
    }

    fn from_set(set: &ProjectSet, config: &Path) -> Wanted {
        Wanted {
            files: set.files.clone(),
            env_files: set.env_files.clone(),
            profiles: set.profiles.clone(),
            dotenv_dir: None,
            project_dir: None,
            formed: Formed::Config(config.to_path_buf()),
        }
    }
}

/// The projects to load for the compose files `found` (plus `-f` and
/// standard input), in a deterministic order, each set of files once.
pub fn wanted(found: &[Found], opts: &CheckOptions, configs: &Configs) -> Vec<Wanted> {
    let mut out = Vec::new();
    if !opts.compose_files.is_empty() {
        out.push(Wanted::of(opts.compose_files.clone(), Formed::CommandLine));
    }
    // Standard input stands alone: an override file beside the file it names
    // is not merged into it.
    if let Some(stdin) = &opts.stdin {
        if crate::discover::kind_of(&stdin.path) != Some(FileKind::Dockerfile) {
            out.push(Wanted::of(vec![stdin.path.clone()], Formed::Stdin));
        }
    }
    let canonical = |p: &Path| super::canonical(configs, p);
    let compose: Vec<&Path> = found
        .iter()
        .filter(|f| f.kind == FileKind::Compose)
        .map(|f| f.path.as_path())
        .collect();
    // resolved on the pool: a new directory costs a look-up of its own
    let found_canonical: Vec<PathBuf> = compose.par_iter().map(|p| canonical(p)).collect();
    let found_canonical: FxHashSet<PathBuf> = found_canonical.into_iter().collect();
    // `projects:` of every configuration that governs a found file, once
    // each, when one of its files was found.
    let mut configs_seen = BTreeSet::new();
    for path in &compose {
        let Some(config) = configs.config_for(path) else {
            continue;
        };
        if !configs_seen.insert(config.path.clone()) {
            continue;
        }
        for set in &config.projects {
            if set
                .files
                .iter()
                .any(|f| found_canonical.contains(&canonical(f)))
            {
                out.push(Wanted::from_set(set, &config.path));
            }
        }
    }
    let cwd = configs.paths().current_dir().map(canonical);
    let mut by_dir: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for path in &compose {
        by_dir
            .entry(path.parent().unwrap_or(Path::new("")))
            .or_default()
            .push(path);
    }
    // each directory is asked for its `COMPOSE_FILE` and default files on
    // its own (a few `stat`s each): in parallel, kept in directory order
    let by_dir: Vec<(&Path, Vec<&Path>)> = by_dir.into_iter().collect();
    let per_dir: Vec<Vec<Wanted>> = by_dir
        .par_iter()
        .map(|(dir, paths)| {
            let mut out = Vec::new();
            let shown_dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let here = cwd.as_ref() == Some(&canonical(shown_dir));
            // `COMPOSE_FILE` replaces the default files (unless `-f` is given);
            // the files it lists are subsumed by its project, others stand alone.
            let grouped =
                match compose_file_setting(shown_dir, &opts.process_env, here, configs.paths()) {
                    Some(ComposeFileSetting { files, source }) if opts.compose_files.is_empty() => {
                        let mut w = Wanted::of(files, Formed::ComposeFile(source.clone()));
                        if let SettingSource::DotEnv(_) = source {
                            w.dotenv_dir = Some(shown_dir.to_path_buf());
                        }
                        out.push(w);
                        Vec::new()
                    }
                    // as found (`dir` may be empty for files walked from `.`)
                    _ => default_files(dir, configs.paths()),
                };
            let defaults_found = paths.iter().any(|p| grouped.iter().any(|g| g == p));
            if defaults_found {
                out.push(Wanted::of(grouped.clone(), Formed::Default));
            }
            for path in paths {
                if !grouped.iter().any(|g| g == path) {
                    out.push(Wanted::of(vec![path.to_path_buf()], Formed::Alone));
                }
            }
            out
        })
        .collect();
    out.extend(per_dir.into_iter().flatten());
    let mut seen = FxHashSet::default();
    out.retain(|w| seen.insert(w.files.iter().map(|f| canonical(f)).collect::<Vec<_>>()));
    out
}
