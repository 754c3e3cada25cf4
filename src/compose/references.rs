//! References Compose resolves when it loads a project: a service's
//! `depends_on`, `networks`, named `volumes`, `secrets` and `configs` must name
//! something the project defines (CM002).

use super::model::{Compose, Service};
use super::value::{Spanned, Value};
use crate::diagnostic::{codes, Diagnostic};

/// Findings for every dangling reference in `compose`.
pub fn check(compose: &Compose) -> Vec<Diagnostic> {
    if !compose.complete {
        return Vec::new();
    }
    let defined = |section: &str, name: &str| compose.section(section).any(|i| i.key.value == name);
    let services = compose.service_positions();
    let mut out = Vec::new();
    for svc in compose.services() {
        let mut report = |what: &str, name: &str, at: &Spanned<Value>, span| {
            out.push(
                Diagnostic::new(
                    codes::UNDEFINED_REFERENCE,
                    at.file,
                    span,
                    format!(
                        "service `{}` refers to the undefined {what} `{name}`",
                        svc.name()
                    ),
                )
                .with_primary_label("not defined in this project")
                .with_help(match what {
                    "service" => format!("define a service `{name}`, or fix the name"),
                    _ => {
                        format!("declare `{name}` under the top-level `{what}s:`, or fix the name")
                    }
                }),
            );
        };
        if let Some(deps) = svc.get("depends_on") {
            for dep in svc.depends_on() {
                if dep.required && !services.contains_key(&dep.service) {
                    report("service", &dep.service, deps, dep.span);
                }
            }
        }
        for (name, at, span) in names(&svc, "networks") {
            if name != "default" && !defined("networks", &name) {
                report("network", &name, at, span);
            }
        }
        for mount in svc.volumes() {
            let Some(source) = &mount.source else {
                continue;
            };
            if mount.kind == "volume" && !defined("volumes", source) {
                report(
                    "volume",
                    source,
                    mount.source_value,
                    mount.source_value.span,
                );
            }
        }
        for section in ["secrets", "configs"] {
            for (name, at, span) in names(&svc, section) {
                if !defined(section, &name) {
                    report(&section[..section.len() - 1], &name, at, span);
                }
            }
        }
    }
    out
}

/// The names a service lists under `key`: list items (strings or `{source}`
/// mappings) or mapping keys, each with its node and span.
fn names<'a>(
    svc: &Service<'a>,
    key: &str,
) -> Vec<(String, &'a Spanned<Value>, crate::source::Span)> {
    let Some(v) = svc.get(key) else {
        return Vec::new();
    };
    match &v.value {
        Value::List(items) => items
            .iter()
            .filter_map(|i| match &i.value {
                Value::Str(s) => Some((s.clone(), i, i.span)),
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
            .map(|i| (i.key.value.clone(), v, i.key.span))
            .collect(),
        _ => Vec::new(),
    }
}
