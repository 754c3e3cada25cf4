//! Compose files that stand alone in a run although they are written to be
//! merged on a base (`-f compose.yaml -f this.yaml`): merged on the base that
//! completes them, or judged on what they set (see docs/compose-project.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::compose::files::DEFAULT_FILES;
use crate::compose::fragment::{base_candidates, completes, overlay_services};
use crate::compose::references::{Dangling, Defined, RefKind};
use crate::compose::{self, Environment, LoadOptions};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::{display_path, read_file, CanonicalPaths, SourceMap};

use super::plan::Formed;
use super::Loaded;

/// What a project standing alone turns out to be.
pub enum Verdict {
    /// A project of its own.
    Whole,
    /// A fragment these files complete, in merge order (a base, then the
    /// fragments beside it that define what the base lacks): check them
    /// merged, the fragment last.
    OnBase(Vec<PathBuf>),
    /// A fragment nothing around it completes.
    Alone {
        /// Its services with neither `image` nor `build`.
        overlays: Vec<String>,
        /// The references some compose file around it defines.
        resolved: Vec<Dangling>,
        /// The nearest default file, for the help line.
        nearest_base: Option<PathBuf>,
    },
}

/// The names compose files define, each file parsed once per run.
#[derive(Default)]
pub struct Names {
    cache: HashMap<PathBuf, Option<Defined>>,
}

impl Names {
    /// What the compose file at `path` defines (`None` if it cannot be read).
    fn of(&mut self, path: &Path) -> Option<&Defined> {
        self.cache
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let source = read_file(path).ok()?;
                let mut sources = SourceMap::new();
                let id = sources.add(source);
                let loaded = compose::load_file(
                    &sources,
                    id,
                    &Environment::empty(),
                    &LoadOptions::default(),
                );
                // a service only counts as defined with an image or a build:
                // another fragment completing it does not define it
                let mut defined = Defined::of(&loaded.compose);
                for overlay in overlay_services(&loaded.compose) {
                    defined.remove(RefKind::Service, &overlay);
                }
                Some(defined)
            })
            .as_ref()
    }
}

/// Whether a project may be a fragment: one file standing alone that is not
/// named as a base (`compose.yaml`, `docker-compose.yml`, …).
fn may_be_fragment(loaded: &Loaded) -> bool {
    let [file] = loaded.given.as_slice() else {
        return false;
    };
    let base_name = file
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| DEFAULT_FILES.contains(&n));
    matches!(
        loaded.formed,
        Formed::Alone | Formed::Default | Formed::Stdin | Formed::Fragment
    ) && !base_name
}

/// Whether `loaded` is plainly a whole project: it cannot be a fragment, or
/// nothing in it needs another file (each service has an image or a build,
/// each name it refers to is its own). [`classify`] says [`Verdict::Whole`]
/// of it without looking at any other file.
pub fn plainly_whole(loaded: &Loaded) -> bool {
    !may_be_fragment(loaded)
        || (loaded.project.dangling.is_empty()
            && overlay_services(&loaded.project.model).is_empty())
}

/// Judges `loaded`; `siblings` are the other compose files found in its
/// directory, whose names a fragment may also use.
pub fn classify(
    loaded: &Loaded,
    siblings: &[PathBuf],
    names: &mut Names,
    paths: &CanonicalPaths,
) -> Verdict {
    if !may_be_fragment(loaded) {
        return Verdict::Whole;
    }
    let project = &loaded.project;
    let overlays = overlay_services(&project.model);
    if overlays.is_empty() && project.dangling.is_empty() {
        return Verdict::Whole;
    }
    // INVARIANT: `may_be_fragment` checked there is one given file.
    let file = &loaded.given[0];
    let dir = file.parent().unwrap_or(Path::new("/"));
    let candidates = base_candidates(dir, file, paths);
    for base in &candidates {
        if names
            .of(base)
            .is_some_and(|d| completes(d, &overlays, &project.dangling))
        {
            return Verdict::OnBase(vec![base.clone()]);
        }
    }
    let others: Vec<&PathBuf> = siblings.iter().filter(|s| *s != file).collect();
    if let Some(chain) = candidates
        .first()
        .and_then(|base| chain(base, file, &others, &overlays, &project.dangling, names))
    {
        return Verdict::OnBase(chain);
    }
    let mut around = Defined::default();
    for path in candidates.iter().chain(others.iter().copied()) {
        if let Some(d) = names.of(path) {
            around.extend(d);
        }
    }
    let resolved: Vec<Dangling> = project
        .dangling
        .iter()
        .filter(|d| around.has(d.kind, &d.name))
        .cloned()
        .collect();
    if overlays.is_empty() && resolved.len() < project.dangling.len() {
        return Verdict::Whole;
    }
    // Say first what keeps it from its nearest base: a name that base lacks.
    let nearest = candidates.first().and_then(|b| names.of(b)).cloned();
    let (mut overlays, mut resolved) = (overlays, resolved);
    if let Some(base) = nearest {
        overlays.sort_by_key(|s| base.has(RefKind::Service, s));
        resolved.sort_by_key(|d| base.has(d.kind, &d.name));
    }
    Verdict::Alone {
        overlays,
        resolved,
        nearest_base: candidates.into_iter().next(),
    }
}

/// The base, then the files beside the fragment that define what the base
/// lacks — as `-f base -f other -f fragment` would load them — when such
/// files exist for every name. Of several files defining one name, the one
/// whose name shares the longest beginning with the fragment's is taken
/// (`compose.mariadb-secrets.yaml` completes `compose.mariadb.yaml`).
fn chain(
    base: &Path,
    fragment: &Path,
    others: &[&PathBuf],
    overlays: &[String],
    dangling: &[Dangling],
    names: &mut Names,
) -> Option<Vec<PathBuf>> {
    let base_names = names.of(base)?.clone();
    let missing: Vec<(RefKind, &str)> = overlays
        .iter()
        .map(|s| (RefKind::Service, s.as_str()))
        .chain(dangling.iter().map(|d| (d.kind, d.name.as_str())))
        .filter(|(kind, name)| !base_names.has(*kind, name))
        .collect();
    let stem = fragment.file_name()?.to_string_lossy().into_owned();
    let shared = |p: &Path| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.chars()
            .zip(stem.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut files: Vec<PathBuf> = vec![base.to_path_buf()];
    for (kind, name) in missing {
        let mut definers: Vec<&PathBuf> = others
            .iter()
            .copied()
            .filter(|o| names.of(o).is_some_and(|d| d.has(kind, name)))
            .collect();
        definers.sort_by_key(|p| std::cmp::Reverse(shared(p)));
        let best = definers.first()?;
        if !files.contains(best) {
            files.push((*best).clone());
        }
    }
    (files.len() > 1).then_some(files)
}

/// Marks `loaded` as a fragment judged alone: its overlay services are judged
/// on what they set, references a file around it defines are not findings,
/// and one CM005 says how to lint it with its base.
pub fn mark_alone(
    loaded: &mut Loaded,
    overlays: Vec<String>,
    resolved: &[Dangling],
    nearest_base: Option<&Path>,
) {
    let project = &mut loaded.project;
    project.diagnostics.retain(|d| {
        !(d.code == codes::UNDEFINED_REFERENCE.code
            && resolved
                .iter()
                .any(|r| r.file == d.file && r.span == d.span))
    });
    let model = &project.model;
    let (why, at, label) = match overlays.first() {
        Some(name) => (
            format!(
                "service `{name}` has neither `image` nor `build`, and no compose file beside or above this one defines it"
            ),
            model.service(name).map(|s| (s.key.file, s.key.span)),
            "checked for what it sets, not for what it lacks",
        ),
        None => {
            // INVARIANT: a fragment without overlays has resolved references.
            let r = &resolved[0];
            (
                format!(
                    "it refers to the {} `{}`, which only other files define",
                    r.kind.as_str(),
                    r.name
                ),
                Some((r.file, r.span)),
                "defined elsewhere",
            )
        }
    };
    let (file, span) = at.unwrap_or((model.file, crate::source::Span::point(0)));
    let path = project_path(loaded);
    let fragment = path
        .file_name()
        .map_or_else(|| display_path(&path), |n| n.to_string_lossy().into_owned());
    let command = match nearest_base {
        Some(base) => format!(
            "`seaworthy check -f {} -f FILE… -f …/{fragment}`, with the files that define it",
            display_path(base)
        ),
        None => format!("`seaworthy check -f BASE -f …/{fragment}`"),
    };
    let note = Diagnostic::new(
        codes::FRAGMENT_WITHOUT_BASE,
        file,
        span,
        format!("fragment without a base: {why}"),
    )
    .with_primary_label(label)
    .with_help(format!(
        "lint it merged with the files it completes: {command}, or list them under `projects:` in .seaworthy.yaml (or in `COMPOSE_FILE`)"
    ));
    loaded.project.diagnostics.push(note);
    loaded.project.overlays = overlays.into_iter().collect();
    loaded.formed = Formed::Fragment;
}

/// The path of a one-file project, as given.
fn project_path(loaded: &Loaded) -> PathBuf {
    loaded
        .shown
        .first()
        .cloned()
        .unwrap_or_else(|| loaded.given[0].clone())
}

/// CM001 for each service of a whole project with neither `image` nor
/// `build`: Compose refuses to start it.
pub fn missing_image(loaded: &mut Loaded) {
    let project = &mut loaded.project;
    let found: Vec<Diagnostic> = overlay_services(&project.model)
        .into_iter()
        .filter_map(|name| project.model.service(&name).map(|s| (name, s.key)))
        .map(|(name, key)| {
            Diagnostic::new(
                codes::INVALID_COMPOSE,
                key.file,
                key.span,
                format!("service `{name}` has neither `image` nor `build`"),
            )
            .with_primary_label("Compose refuses to start this service")
            .with_help("add `image:` or `build:`; if this file completes another, lint the two together (`-f base -f this`)")
        })
        .collect();
    project.diagnostics.extend(found);
}
