//! What the editor is told about a compose file from its project's model:
//! the files it names (document links), where its `${VAR}`s come from
//! (hover, go to definition, inlay hints) and what an override file makes
//! of its values (inlay hints). The project is loaded as Compose loads it
//! for that file: a default file with its override file, any other file
//! alone, the open documents read instead of the disk.

use std::path::{Path, PathBuf};

use crate::compose::interpolate::{Resolution, VarOrigin, VarUse};
use crate::compose::value::{ProjectVia, Spanned, Value, Via};
use crate::compose::{self, Environment, Project, ProjectOptions};
use crate::source::{Buffers, FileId, SourceMap, Span};

/// A compose file's project, loaded for the editor.
pub struct Loaded {
    /// Every file read.
    pub sources: SourceMap,
    /// The project.
    pub project: Project,
    /// The file asked about.
    pub file: FileId,
}

/// Loads the project `path` belongs to; `None` for a file that is not a
/// compose file or cannot be read.
pub fn load(path: &Path, buffers: &Buffers) -> Option<Loaded> {
    let dir = path.parent()?;
    // what this load learns of the file system is kept for this load only:
    // the editor changes files between loads
    let paths = std::sync::Arc::new(crate::source::CanonicalPaths::default());
    let files = if compose::files::is_default_name(path) {
        let mut files = compose::files::default_files(dir, &paths);
        if !files.iter().any(|f| f == path) {
            files = vec![path.to_path_buf()];
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let opts = ProjectOptions {
        files,
        process_env: Environment::from_process(),
        buffers: buffers.clone(),
        paths,
        ..Default::default()
    };
    let mut sources = SourceMap::new();
    let project = compose::load_project(&mut sources, &opts).ok()?;
    let file = sources
        .iter()
        .find(|(_, f)| f.path() == path)
        .map(|(id, _)| id)?;
    Some(Loaded {
        sources,
        project,
        file,
    })
}

/// `value` with every secret in it (as every output masks them) replaced by
/// `********`; `name` is the variable or key it is stored under.
pub fn masked(name: Option<&str>, value: &str) -> String {
    let mut ranges = crate::secret::masks(name, value, &crate::secret::Convention);
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > value.len() {
            continue;
        }
        out.push_str(&value[at..r.start]);
        out.push_str("********");
        at = r.end;
    }
    out.push_str(&value[at..]);
    out
}

/// Every value below `value`, itself first.
fn walk<'m>(value: &'m Spanned<Value>, out: &mut Vec<&'m Spanned<Value>>) {
    out.push(value);
    match &value.value {
        Value::List(items) => items.iter().for_each(|i| walk(i, out)),
        Value::Map(m) => m.items.iter().for_each(|i| walk(&i.value, out)),
        _ => {}
    }
}

impl Loaded {
    fn values(&self) -> Vec<&Spanned<Value>> {
        let mut out = Vec::new();
        for item in &self.project.model.top.items {
            walk(&item.value, &mut out);
        }
        out
    }

    /// Every `${VAR}` written in the file, with the value it is part of.
    pub fn variables(&self) -> Vec<(&VarUse, &Spanned<Value>)> {
        let mut out: Vec<(&VarUse, &Spanned<Value>)> = Vec::new();
        for v in self.values().into_iter().filter(|v| v.file == self.file) {
            for via in v.via.iter() {
                if let Via::Variable(u) = via {
                    if !out.iter().any(|(o, _)| o.span == u.span) {
                        out.push((&**u, v));
                    }
                }
            }
        }
        out
    }

    /// The `${VAR}` written at `offset` of the file.
    pub fn variable_at(&self, offset: usize) -> Option<(&VarUse, &Spanned<Value>)> {
        self.variables()
            .into_iter()
            .find(|(u, _)| u.span.start <= offset && offset <= u.span.end)
    }

    /// Values of the file an override file replaces: where, and the value
    /// that wins.
    pub fn overridden(&self) -> Vec<(Span, &Spanned<Value>)> {
        let mut out = Vec::new();
        for v in self.values() {
            for via in v.via.iter() {
                if let Via::Project(ProjectVia::Overrides { replaced }) = via {
                    if replaced.file == self.file {
                        out.push((replaced.span, v));
                    }
                }
            }
        }
        out
    }

    /// Where `${VAR}`'s value was set, when an env file set it: the file
    /// and the value's span there.
    pub fn set_at(&self, u: &VarUse) -> Option<(PathBuf, Span)> {
        match &u.resolution {
            Resolution::Value {
                origin: VarOrigin::EnvFile { file, span, .. },
            }
            | Resolution::Unknown {
                origin: VarOrigin::Template { file, span, .. },
            } => Some((self.sources.get(*file).path().to_path_buf(), *span)),
            _ => None,
        }
    }

    /// `${VAR}` explained: its value (unless it looks secret) and where it
    /// came from.
    pub fn describe(&self, u: &VarUse) -> String {
        let value = |v: &str| format!("`{}`", masked(Some(&u.name), v).replace('`', "'"));
        let origin = |o: &VarOrigin| match o {
            VarOrigin::Process => "the environment seaworthy runs in".to_string(),
            VarOrigin::ProjectName => "the project name".to_string(),
            VarOrigin::Session => "every login session (set where it is deployed)".to_string(),
            VarOrigin::Template { file, line, .. } => format!(
                "a template, `{}` line {line}, of a file created where it is deployed",
                self.sources.get(*file).path().display()
            ),
            VarOrigin::EnvFile { file, line, .. } => {
                format!("`{}` line {line}", self.sources.get(*file).path().display())
            }
        };
        let name = &u.name;
        match &u.resolution {
            Resolution::Value { origin: o } => {
                let v = self
                    .project
                    .env
                    .get(name)
                    .map_or_else(String::new, |e| e.value.clone());
                format!("`{name}` is {}, from {}", value(&v), origin(o))
            }
            Resolution::Default => {
                format!("`{name}` is not set: the default written here applies")
            }
            Resolution::Unset => format!("`{name}` is not set: it is replaced by nothing"),
            Resolution::Unknown { origin: o } => {
                format!(
                    "`{name}` is set where the project is deployed ({})",
                    origin(o)
                )
            }
            Resolution::Required { message } => {
                format!("`{name}` is not set, and Compose refuses to start without it: {message}")
            }
        }
    }

    /// The files the file names, and where it names them: `build` contexts
    /// and Dockerfiles, `env_file`, `extends.file`, `include`, and the
    /// `file` of secrets and configs.
    pub fn links(&self) -> Vec<(Span, PathBuf)> {
        let mut out = Vec::new();
        let model = &self.project.model;
        let mut link = |v: &Spanned<Value>, relative_to: Option<&Path>| {
            if v.file != self.file || !v.via.is_empty() {
                return;
            }
            let Some(name) = v.value.as_str() else { return };
            let base = relative_to.map_or_else(
                || self.project.resolve_path(v.file, name),
                |dir| compose::project::resolve_against(dir, name),
            );
            if base.exists() {
                out.push((v.span, base));
            }
        };
        for svc in model.services() {
            if let Some(build) = svc.get("build") {
                match &build.value {
                    Value::Str(_) => link(build, None),
                    Value::Map(m) => {
                        let context = m.get("context");
                        if let Some(c) = context {
                            link(c, None);
                        }
                        if let Some(d) = m.get("dockerfile") {
                            let dir = context
                                .and_then(|c| c.value.as_str())
                                .map(|c| self.project.resolve_path(d.file, c));
                            link(d, dir.as_deref());
                        }
                    }
                    _ => {}
                }
            }
            for key in ["env_file", "label_file"] {
                match svc.get(key).map(|v| &v.value) {
                    Some(Value::List(items)) => {
                        for i in items {
                            match &i.value {
                                Value::Map(m) => {
                                    m.get("path").into_iter().for_each(|p| link(p, None))
                                }
                                _ => link(i, None),
                            }
                        }
                    }
                    Some(_) => link(svc.get(key).unwrap_or(svc.def), None),
                    None => {}
                }
            }
            if let Some(f) = svc.path(&["extends", "file"]) {
                link(f, None);
            }
        }
        for section in ["secrets", "configs"] {
            for item in model.section(section) {
                if let Some(f) = item.value.value.as_map().and_then(|m| m.get("file")) {
                    link(f, None);
                }
            }
        }
        if let Some(Value::List(items)) = model.top.get("include").map(|v| &v.value) {
            for i in items {
                match &i.value {
                    Value::Map(m) => m.get("path").into_iter().for_each(|p| link(p, None)),
                    _ => link(i, None),
                }
            }
        }
        out
    }
}
