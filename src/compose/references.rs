//! References Compose resolves when it loads a project: a service's
//! `depends_on`, `networks`, named `volumes`, `secrets` and `configs` must name
//! something the project defines (CM002).

use std::collections::BTreeSet;

use super::model::{Compose, Service};
use super::value::{Spanned, Value};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::{FileId, Span};

/// What a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RefKind {
    /// A service (`depends_on`).
    Service,
    /// A top-level network.
    Network,
    /// A top-level named volume.
    Volume,
    /// A top-level secret.
    Secret,
    /// A top-level config.
    Config,
}

impl RefKind {
    /// The singular word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Service => "service",
            RefKind::Network => "network",
            RefKind::Volume => "volume",
            RefKind::Secret => "secret",
            RefKind::Config => "config",
        }
    }

    /// The top-level section defining it.
    fn section(self) -> &'static str {
        match self {
            RefKind::Service => "services",
            RefKind::Network => "networks",
            RefKind::Volume => "volumes",
            RefKind::Secret => "secrets",
            RefKind::Config => "configs",
        }
    }

    const ALL: [RefKind; 5] = [
        RefKind::Service,
        RefKind::Network,
        RefKind::Volume,
        RefKind::Secret,
        RefKind::Config,
    ];
}

/// A reference to something the project does not define.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dangling {
    /// What it names.
    pub kind: RefKind,
    /// The name.
    pub name: String,
    /// The service making it.
    pub service: String,
    /// Where it is written.
    pub file: FileId,
    /// The name's span.
    pub span: Span,
}

impl Dangling {
    /// The CM002 finding for it.
    pub fn diagnostic(&self) -> Diagnostic {
        let (what, name) = (self.kind.as_str(), &self.name);
        Diagnostic::new(
            codes::UNDEFINED_REFERENCE,
            self.file,
            self.span,
            format!(
                "service `{}` refers to the undefined {what} `{name}`",
                self.service
            ),
        )
        .with_primary_label("not defined in this project")
        .with_help(match self.kind {
            RefKind::Service => format!("define a service `{name}`, or fix the name"),
            _ => format!("declare `{name}` under the top-level `{what}s:`, or fix the name"),
        })
    }
}

/// The names a compose model defines, by kind.
#[derive(Debug, Default, Clone)]
pub struct Defined {
    names: BTreeSet<(RefKind, String)>,
}

impl Defined {
    /// What `compose` defines.
    pub fn of(compose: &Compose) -> Defined {
        let mut names = BTreeSet::new();
        for kind in RefKind::ALL {
            for item in compose.section(kind.section()) {
                names.insert((kind, item.key.value.to_string()));
            }
        }
        Defined { names }
    }

    /// Whether it defines `name` as a `kind`.
    pub fn has(&self, kind: RefKind, name: &str) -> bool {
        self.names.contains(&(kind, name.to_string()))
    }

    /// Forgets `name` as a `kind`.
    pub fn remove(&mut self, kind: RefKind, name: &str) {
        self.names.remove(&(kind, name.to_string()));
    }

    /// Adds what `other` defines.
    pub fn extend(&mut self, other: &Defined) {
        self.names.extend(other.names.iter().cloned());
    }
}

/// Findings for every dangling reference in `compose`.
pub fn check(compose: &Compose) -> Vec<Diagnostic> {
    dangling(compose).iter().map(Dangling::diagnostic).collect()
}

/// Every reference in `compose` to something it does not define (nothing for
/// a file cut short by a syntax error: what is missing may just be unread).
pub fn dangling(compose: &Compose) -> Vec<Dangling> {
    if !compose.complete {
        return Vec::new();
    }
    let defined = Defined::of(compose);
    let mut out = Vec::new();
    for svc in compose.services() {
        let mut report = |kind: RefKind, name: &str, at: &Spanned<Value>, span| {
            if !defined.has(kind, name) {
                out.push(Dangling {
                    kind,
                    name: name.to_string(),
                    service: svc.name().to_string(),
                    file: at.file,
                    span,
                });
            }
        };
        if let Some(deps) = svc.get("depends_on") {
            for dep in svc.depends_on() {
                if dep.required {
                    report(RefKind::Service, &dep.service, deps, dep.span);
                }
            }
        }
        for (name, at, span) in names(&svc, "networks") {
            if name != "default" {
                report(RefKind::Network, &name, at, span);
            }
        }
        for mount in svc.volumes() {
            if let (Some(source), "volume") = (&mount.source, mount.kind.as_str()) {
                report(
                    RefKind::Volume,
                    source,
                    mount.source_value,
                    mount.source_value.span,
                );
            }
        }
        for (kind, section) in [(RefKind::Secret, "secrets"), (RefKind::Config, "configs")] {
            for (name, at, span) in names(&svc, section) {
                report(kind, &name, at, span);
            }
        }
    }
    out
}

/// The names a service lists under `key`: list items (strings or `{source}`
/// mappings) or mapping keys, each with its node and span.
fn names<'a>(svc: &Service<'a>, key: &str) -> Vec<(String, &'a Spanned<Value>, Span)> {
    let Some(v) = svc.get(key) else {
        return Vec::new();
    };
    match &v.value {
        Value::List(items) => items
            .iter()
            .filter_map(|i| match &i.value {
                Value::Str(s) => Some((s.to_string(), i, i.span)),
                Value::Map(m) => {
                    let source = m.get("source")?;
                    Some((source.value.as_str()?.to_string(), source, source.span))
                }
                _ => None,
            })
            .collect(),
        Value::Map(m) => m
            .items
            .iter()
            .map(|i| (i.key.value.to_string(), v, i.key.span))
            .collect(),
        _ => Vec::new(),
    }
}
