//! Go to definition: a service's references (`depends_on`, `networks`,
//! `volumes`, `secrets`, `configs`) to where the name is defined in the
//! project (an override or included file too), `extends` to the service in
//! the same file, and a Dockerfile's stage references (`COPY --from=`,
//! `FROM stage`) to the stage's name.

use std::path::Path;

use crate::compose::value::{Spanned, Value};
use crate::compose::{self, Environment, LoadOptions};
use crate::discover::{kind_of, FileKind};
use crate::dockerfile::{self, BuildArgs, Kind};
use crate::source::{SourceFile, SourceMap, Span};

/// Where the name at `offset` of the file `path` (holding `text`) is
/// defined: the file and the span there.
pub fn definition(
    path: &Path,
    text: &str,
    offset: usize,
    buffers: &crate::source::Buffers,
) -> Option<(std::path::PathBuf, Span)> {
    if kind_of(path) != Some(FileKind::Dockerfile) {
        if let Some(found) = super::model::load(path, buffers).and_then(|l| in_project(&l, offset))
        {
            return Some(found);
        }
    }
    in_file(path, text, offset).map(|s| (path.to_path_buf(), s))
}

/// A reference at `offset` of the loaded file, resolved in its project.
fn in_project(loaded: &super::model::Loaded, offset: usize) -> Option<(std::path::PathBuf, Span)> {
    let model = &loaded.project.model;
    let file = loaded.file;
    let at = |f: crate::source::FileId, s: Span| f == file && s.start <= offset && offset <= s.end;
    let place = |f: crate::source::FileId, s: Span| (loaded.sources.get(f).path().to_path_buf(), s);
    for svc in model.services() {
        if let Some(deps) = svc.get("depends_on") {
            let name = match &deps.value {
                Value::List(items) => items
                    .iter()
                    .find(|i| at(i.file, i.span))
                    .and_then(|i| i.value.as_str()),
                Value::Map(m) => m
                    .items
                    .iter()
                    .find(|i| at(i.key.file, i.key.span))
                    .map(|i| i.key.value.as_str()),
                _ => None,
            };
            if let Some(target) = name.and_then(|n| model.service(n)) {
                return Some(place(target.key.file, target.key.span));
            }
        }
        for section in ["networks", "secrets", "configs", "volumes"] {
            let Some(refs) = svc.get(section).filter(|r| r.file == file) else {
                continue;
            };
            if let Some(name) = reference_at(section, refs, offset) {
                let item = model.section(section).find(|i| i.key.value == name)?;
                return Some(place(item.key.file, item.key.span));
            }
        }
    }
    None
}

/// Where the name at `offset` is defined, in the file alone.
fn in_file(path: &Path, text: &str, offset: usize) -> Option<Span> {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(path, text.to_string()));
    if kind_of(path) == Some(FileKind::Dockerfile) {
        return stage(&sources, id, offset);
    }
    let loaded = compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
    let c = &loaded.compose;
    let at = |s: Span| s.start <= offset && offset <= s.end;
    let top = |section: &str, name: &str| {
        c.section(section)
            .find(|i| i.key.value == name)
            .map(|i| i.key.span)
    };
    for svc in c.services() {
        for d in svc.depends_on() {
            if at(d.span) {
                return c.service(&d.service).map(|s| s.key.span);
            }
        }
        if let Some(ext) = svc.get("extends") {
            let named = match &ext.value {
                Value::Str(_) => Some(ext),
                Value::Map(m) if m.get("file").is_none() => m.get("service"),
                _ => None,
            };
            if let Some(v) = named.filter(|v| at(v.span)) {
                return c.service(v.value.as_str()?).map(|s| s.key.span);
            }
        }
        for section in ["networks", "secrets", "configs", "volumes"] {
            let Some(refs) = svc.get(section) else {
                continue;
            };
            if let Some(name) = reference_at(section, refs, offset) {
                return top(section, &name);
            }
        }
    }
    None
}

/// The name a service's `section` entry at `offset` refers to.
fn reference_at(section: &str, refs: &Spanned<Value>, offset: usize) -> Option<String> {
    let at = |s: Span| s.start <= offset && offset <= s.end;
    match &refs.value {
        Value::List(items) => items
            .iter()
            .filter(|i| at(i.span))
            .find_map(|i| match &i.value {
                // `volumes: ["data:/var/lib/x"]` names the volume before `:`
                Value::Str(s) if section == "volumes" => {
                    let name = s.split(':').next()?;
                    let local = name.starts_with(['.', '/', '~', '$']) || !s.contains(':');
                    (!local).then(|| name.to_string())
                }
                Value::Str(s) => Some(s.to_string()),
                Value::Map(m) => m
                    .get("source")
                    .and_then(|v| v.value.as_str())
                    .map(str::to_string),
                _ => None,
            }),
        Value::Map(m) if section == "networks" => m
            .items
            .iter()
            .find(|i| at(i.key.span))
            .map(|i| i.key.value.to_string()),
        _ => None,
    }
}

/// The stage a Dockerfile's `COPY --from=` or `FROM` at `offset` names.
fn stage(sources: &SourceMap, id: crate::source::FileId, offset: usize) -> Option<Span> {
    let df = dockerfile::load(sources, id, &BuildArgs::new()).dockerfile;
    let at = |s: Span| s.start <= offset && offset <= s.end;
    let named = |name: &str, before: usize| {
        df.stages
            .iter()
            .filter(|s| s.from < before)
            .filter_map(|s| s.name.as_ref())
            .rfind(|n| n.value.eq_ignore_ascii_case(name))
            .map(|n| n.span)
    };
    for (i, instr) in df.instructions.iter().enumerate() {
        if let Some(from) = instr.flag("from").and_then(|f| f.value.as_ref()) {
            if at(from.span) {
                return named(&from.value, i);
            }
        }
        if let Kind::From { image, .. } = &instr.kind {
            if at(image.span) {
                return named(&image.value, i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goes(path: &str, text: &str, from: &str, to: &str) {
        let offset = text.find(from).unwrap() + 1;
        let span = in_file(Path::new(path), text, offset).unwrap_or_else(|| panic!("{from}"));
        assert_eq!(&text[span.start..span.end], to, "{from}");
        // the definition, not the reference: at a line's start
        assert!(text[..span.start].ends_with("  ") || text[..span.start].ends_with('\n'));
    }

    #[test]
    fn compose_references_lead_to_their_definitions() {
        let text = "services:\n  web:\n    image: x\n    depends_on: [db]\n    networks: [front]\n    volumes: [\"data:/srv\", \"./here:/x\"]\n    secrets: [token]\n  db:\n    image: y\n  worker:\n    extends: web\nnetworks:\n  front:\nvolumes:\n  data:\nsecrets:\n  token:\n    file: t\n";
        goes("compose.yaml", text, "[db]", "db");
        goes("compose.yaml", text, "[front]", "front");
        goes("compose.yaml", text, "\"data:/srv", "data");
        goes("compose.yaml", text, "[token]", "token");
        goes("compose.yaml", text, "web\nnetworks", "web");
        let offset = text.find("./here").unwrap();
        assert_eq!(in_file(Path::new("compose.yaml"), text, offset), None);
    }

    #[test]
    fn stage_references_lead_to_the_stage() {
        let text = "FROM golang:1.23 AS build\nRUN go build\nFROM build AS test\nFROM alpine:3.20\nCOPY --from=build /out /app\n";
        let offset = text.find("--from=build").unwrap() + 8;
        let span = in_file(Path::new("Dockerfile"), text, offset).unwrap();
        assert_eq!(span.start, text.find("AS build").unwrap() + 3);
        let offset = text.find("FROM build").unwrap() + 6;
        assert_eq!(in_file(Path::new("Dockerfile"), text, offset), Some(span));
    }
}
