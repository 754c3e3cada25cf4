//! Top-level `include`: each entry is loaded as a project of its own (its
//! directory, its `.env` under the including project's variables) and its
//! services, networks, volumes, secrets, configs and models are imported.

use std::path::{Path, PathBuf};

use super::interpolate::Environment;
use super::project::{resolve_against, Loader, MAX_INCLUDE_DEPTH};
use super::project_environment;
use super::value::{Map, MapItem, Origin, ProjectVia, Spanned, Value, Via};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::FileId;

/// The sections an included project contributes.
const IMPORTED: [&str; 6] = [
    "services", "networks", "volumes", "secrets", "configs", "models",
];

/// One `include` entry, read.
struct Entry {
    site: Origin,
    paths: Vec<PathBuf>,
    project_dir: PathBuf,
    env_files: Vec<PathBuf>,
}

fn strings(v: &Spanned<Value>) -> Vec<&str> {
    match &v.value {
        Value::Str(s) => vec![s.as_str()],
        Value::List(items) => items.iter().filter_map(|i| i.value.as_str()).collect(),
        _ => Vec::new(),
    }
}

impl Loader<'_> {
    /// Loads the `include` entries of `doc` (written in `file`) and imports what
    /// they define; the `include` key itself is removed.
    pub(super) fn apply_includes(&mut self, doc: &mut Map, file: FileId, env: &Environment) {
        let Some(pos) = doc.items.iter().position(|i| i.key.value == "include") else {
            return;
        };
        let item = doc.items.remove(pos);
        let Some(entries) = item.value.value.as_list() else {
            return;
        };
        let base = self.dir_of(file);
        for entry in entries {
            let site = entry.origin();
            let (paths, dir, env_files) = match &entry.value {
                Value::Str(s) => (vec![s.as_str()], None, Vec::new()),
                Value::Map(m) => (
                    m.get("path").map(strings).unwrap_or_default(),
                    m.get("project_directory").and_then(|d| d.value.as_str()),
                    m.get("env_file").map(strings).unwrap_or_default(),
                ),
                _ => continue,
            };
            let paths: Vec<PathBuf> = paths.iter().map(|p| resolve_against(&base, p)).collect();
            let Some(first) = paths.first() else {
                continue;
            };
            let project_dir = match dir {
                Some(d) => resolve_against(&base, d),
                None => first.parent().map(PathBuf::from).unwrap_or_default(),
            };
            let env_files = env_files
                .iter()
                .map(|p| resolve_against(&base, p))
                .collect();
            let entry = Entry {
                site,
                paths,
                project_dir,
                env_files,
            };
            if let Some(imported) = self.load_included(&entry, env) {
                import(doc, imported, entry.site, &mut self.diagnostics);
            }
        }
    }

    fn load_included(&mut self, entry: &Entry, parent_env: &Environment) -> Option<Map> {
        if let Some(p) = entry.paths.iter().find(|p| self.include_stack.contains(p)) {
            let root = self.include_stack[0].parent().unwrap_or(Path::new("/"));
            let chain: Vec<String> = self
                .include_stack
                .iter()
                .chain(std::iter::once(p))
                .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
                .collect();
            self.diagnostics.push(
                Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    entry.site.file,
                    entry.site.span,
                    format!("`include` cycle: {}", chain.join(" → ")),
                )
                .with_primary_label("includes a file that is already being loaded")
                .with_help("remove one of the `include` entries that form the cycle"),
            );
            return None;
        }
        if self.include_stack.len() >= MAX_INCLUDE_DEPTH {
            self.diagnostics.push(
                Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    entry.site.file,
                    entry.site.span,
                    format!("`include` nests more than {MAX_INCLUDE_DEPTH} files deep"),
                )
                .with_primary_label("not loaded")
                .with_help("include the files from a shallower level"),
            );
            return None;
        }
        // The including project's variables win over the included project's env files.
        let (env, env_diags) = project_environment(
            self.sources,
            &entry.project_dir,
            &entry.env_files,
            parent_env.clone(),
            &mut self.env_reads,
            self.buffers,
            self.paths,
        );
        self.diagnostics.extend(env_diags);
        let mut sub = Map::default();
        for path in &entry.paths {
            let Ok(id) = self.read(path, Some(entry.site)) else {
                continue;
            };
            self.base_dirs.insert(id, entry.project_dir.clone());
            self.load_into(&mut sub, id, &entry.project_dir, &env);
        }
        Some(sub)
    }
}

/// Adds the resources of an included project to `doc`; a name `doc` defines
/// too is a conflict (Compose refuses the project).
fn import(doc: &mut Map, mut included: Map, site: Origin, out: &mut Vec<Diagnostic>) {
    for section in IMPORTED {
        let Some(pos) = included.items.iter().position(|i| i.key.value == section) else {
            continue;
        };
        let Value::Map(entries) = included.items.remove(pos).value.value else {
            continue;
        };
        let target = match doc.items.iter().position(|i| i.key.value == section) {
            Some(i) => i,
            None => {
                doc.items.push(MapItem::new(
                    Spanned::new(section.into(), site.file, site.span),
                    Spanned::new(Value::Map(Map::default()), site.file, site.span),
                ));
                doc.items.len() - 1
            }
        };
        let Value::Map(existing) = &mut doc.items[target].value.value else {
            continue;
        };
        for mut item in entries.items {
            if let Some(mine) = existing.item(&item.key.value) {
                out.push(
                    Diagnostic::new(
                        codes::INVALID_COMPOSE,
                        mine.key.file,
                        mine.key.span,
                        format!(
                            "{} `{}` is also defined by an included file",
                            singular(section),
                            item.key.value
                        ),
                    )
                    .with_primary_label("defined here")
                    .with_label(item.key.file, item.key.span, "and imported from here")
                    .with_label(site.file, site.span, "by this `include`")
                    .with_help("rename one of them, or use `extends` to build on the included one"),
                );
                continue;
            }
            item.value
                .via
                .push(Via::Project(ProjectVia::Included { at: site }));
            existing.items.push(item);
        }
    }
}

fn singular(section: &str) -> &str {
    section.strip_suffix('s').unwrap_or(section)
}
