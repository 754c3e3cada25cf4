//! `extends`: a service starts from another service (of the same document, or
//! of another file relative to the declaring file) and its own keys merge on
//! top with the override rules. Chains are followed; cycles are findings.

use std::path::{Path, PathBuf};

use super::interpolate::Environment;
use super::merge;
use super::project::{resolve_against, Loader, MAX_EXTENDS_DEPTH};
use super::value::{Map, MapItem, Origin, ProjectVia, Spanned, Value, Via};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::FileId;

/// Where a service definition lives: its file and that file's services.
#[derive(Clone, Copy)]
struct Scope<'m> {
    file: FileId,
    services: &'m Map,
}

impl Loader<'_> {
    /// Replaces every service of `doc` (written in `file`) that uses `extends`
    /// by the merged result.
    pub(super) fn apply_extends(&mut self, doc: &mut Map, file: FileId, env: &Environment) {
        let Some(services) = doc.get("services").and_then(|s| s.value.as_map()) else {
            return;
        };
        if !services.items.iter().any(|i| has_extends(&i.value)) {
            return;
        }
        let original = services.clone();
        let scope = Scope {
            file,
            services: &original,
        };
        let mut resolved = Vec::new();
        for item in &original.items {
            let mut stack = Vec::new();
            resolved.push(self.resolve(scope, &item.key.value, env, &mut stack));
        }
        if let Some(Value::Map(m)) = doc
            .items
            .iter_mut()
            .find(|i| i.key.value == "services")
            .map(|i| &mut i.value.value)
        {
            for (item, def) in m.items.iter_mut().zip(resolved) {
                if let Some(def) = def {
                    item.value = def;
                }
            }
        }
    }

    /// The definition of service `name` in `scope` with its `extends` applied.
    fn resolve(
        &mut self,
        scope: Scope<'_>,
        name: &str,
        env: &Environment,
        stack: &mut Vec<(PathBuf, String)>,
    ) -> Option<Spanned<Value>> {
        let item = scope.services.item(name)?;
        let def = &item.value;
        let Some(ext) = def.value.as_map().and_then(|m| m.get("extends")) else {
            return Some(def.clone());
        };
        let here = (self.path_of(scope.file), name.to_string());
        if let Some(start) = stack.iter().position(|s| *s == here) {
            let chain: Vec<&str> = stack[start..]
                .iter()
                .map(|(_, n)| n.as_str())
                .chain([name])
                .collect();
            let mut members: Vec<String> = chain.iter().map(|n| n.to_string()).collect();
            members.sort();
            members.dedup();
            if self.cycles.contains(&members) {
                return None;
            }
            self.cycles.push(members);
            self.diagnostics.push(
                Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    ext.file,
                    ext.span,
                    format!("`extends` cycle: {}", chain.join(" → ")),
                )
                .with_primary_label("leads back to a service already being extended")
                .with_help("break the cycle: one of these services must not extend the others"),
            );
            return None;
        }
        let (base_name, other_file) = match &ext.value {
            Value::Str(s) => (s.to_string(), None),
            Value::Map(m) => {
                let service = m.get("service").and_then(|v| v.value.as_str())?;
                (service.to_string(), m.get("file"))
            }
            _ => return Some(def.clone()),
        };
        if stack.len() >= MAX_EXTENDS_DEPTH {
            if !self.extends_too_deep {
                self.extends_too_deep = true;
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::INVALID_COMPOSE,
                        ext.file,
                        ext.span,
                        format!("`extends` chain longer than {MAX_EXTENDS_DEPTH} services"),
                    )
                    .with_primary_label("not followed from here")
                    .with_help("let services extend a common base instead of each other"),
                );
            }
            return Some(without_extends(def));
        }
        stack.push(here);
        let base = match other_file {
            None => self.resolve_base(scope, &base_name, ext, env, stack),
            Some(f) => {
                let declaring_dir = self
                    .path_of(f.file)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                let path = resolve_against(&declaring_dir, f.value.as_str().unwrap_or_default());
                match self.extended_file(&path, f.origin(), env) {
                    Some((other, services)) => {
                        let other_scope = Scope {
                            file: other,
                            services: &services,
                        };
                        self.resolve_base(other_scope, &base_name, ext, env, stack)
                    }
                    None => None,
                }
            }
        };
        stack.pop();
        let own = without_extends(def);
        let Some(mut base) = base else {
            return Some(own);
        };
        let site = ext.origin();
        if let Value::Map(m) = &mut base.value {
            for field in &mut m.items {
                field
                    .value
                    .via
                    .push(Via::Project(ProjectVia::Extends { at: site }));
            }
        }
        // The inheriting service keeps its own key and span.
        base.file = own.file;
        base.span = own.span;
        let wrap = |def: Spanned<Value>| Map {
            items: vec![MapItem::new(
                Spanned::new("services".into(), def.file, def.span),
                Spanned::new(
                    Value::Map(Map {
                        items: vec![MapItem::new(item.key.clone(), def.clone())],
                    }),
                    def.file,
                    def.span,
                ),
            )],
        };
        let mut merged = wrap(base);
        merge::merge_top(&mut merged, wrap(own), &mut self.conflicts);
        merged.path(&["services", name]).cloned().map(|mut v| {
            // Merging the service onto its base is not an override of the file.
            v.via
                .retain(|x| !matches!(x, Via::Project(ProjectVia::MergedWith { .. })));
            v
        })
    }

    fn resolve_base(
        &mut self,
        scope: Scope<'_>,
        base_name: &str,
        ext: &Spanned<Value>,
        env: &Environment,
        stack: &mut Vec<(PathBuf, String)>,
    ) -> Option<Spanned<Value>> {
        if scope.services.item(base_name).is_none() {
            let file = self.path_of(scope.file);
            self.diagnostics.push(
                Diagnostic::new(
                    codes::UNDEFINED_REFERENCE,
                    ext.file,
                    ext.span,
                    format!(
                        "`extends` names service `{base_name}`, which `{}` does not define",
                        file.file_name().unwrap_or_default().to_string_lossy()
                    ),
                )
                .with_primary_label("no such service"),
            );
            return None;
        }
        self.resolve(scope, base_name, env, stack)
    }

    fn path_of(&self, file: FileId) -> PathBuf {
        self.sources.get(file).path().to_path_buf()
    }

    /// Reads a file named by `extends.file` once; its documents are merged.
    fn extended_file(
        &mut self,
        path: &Path,
        site: Origin,
        env: &Environment,
    ) -> Option<(FileId, Map)> {
        if let Some(cached) = self.extended.get(path) {
            return cached.clone();
        }
        let loaded = match self.read(path, Some(site)) {
            Ok(id) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                self.base_dirs.entry(id).or_insert(dir);
                if !self.files.contains(&id) {
                    self.files.push(id);
                }
                let compose = self.convert(id, env);
                let mut top = Map::default();
                for doc in std::iter::once(compose.top).chain(compose.more_documents) {
                    merge::merge_top(&mut top, doc, &mut self.conflicts);
                }
                let services = match top.get("services").map(|s| &s.value) {
                    Some(Value::Map(m)) => m.clone(),
                    _ => Map::default(),
                };
                Some((id, services))
            }
            Err(_) => None,
        };
        self.extended.insert(path.to_path_buf(), loaded.clone());
        loaded
    }
}

/// A service definition with its `extends` key removed.
fn without_extends(def: &Spanned<Value>) -> Spanned<Value> {
    let mut own = def.clone();
    if let Value::Map(m) = &mut own.value {
        m.items.retain(|i| i.key.value != "extends");
    }
    own
}

fn has_extends(v: &Spanned<Value>) -> bool {
    v.value.as_map().is_some_and(|m| m.get("extends").is_some())
}
