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
use crate::source::{display_path, read_file, SourceMap};

use super::plan::Formed;
use super::Loaded;

/// What a project standing alone turns out to be.
pub enum Verdict {
    /// A project of its own.
    Whole,
    /// A fragment the base at this path completes: check the two merged.
    OnBase(PathBuf),
    /// A fragment no base completes.
    Alone {
        /// Its services with neither `image` nor `build`.
        overlays: Vec<String>,
        /// The references some compose file around defines.
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
                Some(Defined::of(&loaded.compose))
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

/// Judges `loaded`; `siblings` are the other compose files found in its
/// directory, whose names a fragment may also use.
pub fn classify(loaded: &Loaded, siblings: &[PathBuf], names: &mut Names) -> Verdict {
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
    let candidates = base_candidates(dir, file);
    for base in &candidates {
        if names
            .of(base)
            .is_some_and(|d| completes(d, &overlays, &project.dangling))
        {
            return Verdict::OnBase(base.clone());
        }
    }
    let mut around = Defined::default();
    for path in candidates
        .iter()
        .chain(siblings.iter().filter(|s| *s != file))
    {
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
    let why = match overlays.first() {
        Some(name) => format!(
            "service `{name}` has neither `image` nor `build`, and no base file beside or above this one defines it"
        ),
        None => {
            // INVARIANT: a fragment without overlays has resolved references.
            let r = &resolved[0];
            format!(
                "it refers to the {} `{}`, which only another file beside it defines",
                r.kind.as_str(),
                r.name
            )
        }
    };
    let (file, span) = match model.services().next() {
        Some(s) => (s.key.file, s.key.span),
        None => (model.file, crate::source::Span::point(0)),
    };
    let fragment = display_path(&project_path(loaded));
    let base = nearest_base.map_or_else(|| "BASE".to_string(), display_path);
    let note = Diagnostic::new(
        codes::FRAGMENT_WITHOUT_BASE,
        file,
        span,
        format!("fragment without a base: {why}"),
    )
    .with_primary_label("checked for what it sets, not for what it lacks")
    .with_help(format!(
        "lint it with its base: `seaworthy check -f {base} -f {fragment}`, or list both files under `projects:` in .seaworthy.yaml (or in `COMPOSE_FILE`)"
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
