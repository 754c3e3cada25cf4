//! The resolved project in the shape `docker compose config --format json`
//! prints: long syntax for ports, volumes, secrets and `depends_on`, absolute
//! paths, byte sizes in bytes, Go-style durations, `environment` with the
//! `env_file`s applied. Field-by-field differences are listed in
//! `docs/compose-project.md`.

use serde_json::{json, Map as JsonMap, Value as Json};

mod mounts;
mod values;

use super::normalize::port_entries;
use mounts::port_json;
use mounts::{device, mounts, volume};
use values::escape_dollars;
pub use values::{generic, go_duration, split_command};

use super::model::Service;
use super::project::Project;
use super::value::{Map, Spanned, Value};

/// The whole project: name, active services, networks, volumes, secrets, configs.
pub fn project_json(project: &Project) -> Json {
    let mut out = JsonMap::new();
    out.insert("name".into(), Json::String(project.name.clone()));
    let active = project.active_services();
    let mut services = JsonMap::new();
    let mut uses_default_network = false;
    for svc in project.model.services() {
        if !active.iter().any(|a| a == svc.name()) {
            continue;
        }
        let s = service_json(project, &svc);
        uses_default_network |= s.get("networks").and_then(|n| n.get("default")).is_some();
        services.insert(svc.name().to_string(), s);
    }
    let default_network = uses_default_network.then_some("default");
    for section in ["networks", "volumes", "secrets", "configs"] {
        let mut entries = resources(project, section);
        if let Some(d) = default_network.filter(|_| section == "networks") {
            entries.entry(d).or_insert_with(|| json!({}));
        }
        for (key, entry) in entries.iter_mut() {
            let Json::Object(o) = entry else { continue };
            let external = o.get("external").and_then(Json::as_bool) == Some(true);
            if !o.contains_key("name") {
                let name = if external {
                    key.clone()
                } else {
                    format!("{}_{key}", project.name)
                };
                o.insert("name".into(), Json::String(name));
            }
            if section == "networks" && !external {
                o.entry("ipam").or_insert_with(|| json!({}));
            }
        }
        if !entries.is_empty() {
            out.insert(section.into(), Json::Object(entries));
        }
    }
    out.insert("services".into(), Json::Object(services));
    for item in &project.model.top.items {
        if item.key.value.starts_with("x-") {
            out.insert(item.key.value.to_string(), generic(&item.value));
        }
    }
    let mut out = Json::Object(out);
    escape_dollars(&mut out);
    out
}

/// A top-level section with paths made absolute.
fn resources(project: &Project, section: &str) -> JsonMap<String, Json> {
    let mut out = JsonMap::new();
    for item in project.model.section(section) {
        let mut v = generic(&item.value);
        if let (Json::Object(o), Some(m)) = (&mut v, item.value.value.as_map()) {
            if let Some(f) = m.get("file") {
                if let Some(p) = f.value.as_str() {
                    let abs = project.resolve_path(f.file, p);
                    o.insert("file".into(), Json::String(abs.display().to_string()));
                }
            }
        }
        if v.is_null() {
            v = json!({});
        }
        out.insert(item.key.value.to_string(), v);
    }
    out
}

/// One service in Compose's normalised shape.
pub fn service_json(project: &Project, svc: &Service<'_>) -> Json {
    let mut out = JsonMap::new();
    for item in &svc.fields().items {
        let key = item.key.value.as_str();
        if key.starts_with("x-") {
            continue;
        }
        let v = &item.value;
        let value = match key {
            "command" | "entrypoint" => command(v),
            "environment" | "env_file" => continue,
            "build" => build(project, v),
            "healthcheck" => healthcheck(v),
            "ports" => Json::Array(
                as_items(v)
                    .iter()
                    .flat_map(|p| port_entries(p).into_iter().map(port_json))
                    .collect(),
            ),
            "volumes" => Json::Array(as_items(v).iter().map(|m| volume(project, m)).collect()),
            "depends_on" => depends_on(v),
            "networks" => names_map(v),
            "secrets" => mounts(v, "/run/secrets/"),
            "configs" => mounts(v, "/"),
            "labels" | "sysctls" | "annotations" => key_values(v, &|_| None),
            "logging" => logging(v),
            "devices" => Json::Array(as_items(v).iter().map(|d| device(d)).collect()),
            "extra_hosts" => extra_hosts(v),
            "deploy" => deploy(v),
            "dns" | "dns_search" | "dns_opt" | "tmpfs" | "expose" => Json::Array(
                as_items(v)
                    .iter()
                    .map(|i| generic(i))
                    .map(stringify)
                    .collect(),
            ),
            _ => generic(v),
        };
        out.insert(key.to_string(), value);
    }
    out.entry("command").or_insert(Json::Null);
    out.entry("entrypoint").or_insert(Json::Null);
    let env = environment(project, svc);
    if !env.is_empty() {
        out.insert("environment".into(), Json::Object(env));
    }
    if !out.contains_key("networks") && !out.contains_key("network_mode") {
        out.insert("networks".into(), json!({ "default": null }));
    }
    Json::Object(out)
}

fn stringify(v: Json) -> Json {
    match v {
        Json::Number(n) => Json::String(n.to_string()),
        other => other,
    }
}

pub(super) fn as_items(v: &Spanned<Value>) -> Vec<&Spanned<Value>> {
    match &v.value {
        Value::List(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        _ => vec![v],
    }
}

fn command(v: &Spanned<Value>) -> Json {
    match &v.value {
        Value::Str(s) => Json::Array(split_command(s).into_iter().map(Json::String).collect()),
        _ => generic(v),
    }
}

fn env_value(v: &Spanned<Value>) -> Option<String> {
    v.value.to_env_string()
}

/// A list-or-mapping of `KEY=VAL` as a JSON object; `fill` supplies values for
/// bare keys (`None` keeps `null`).
fn key_values(v: &Spanned<Value>, fill: &dyn Fn(&str) -> Option<Json>) -> Json {
    let mut out = JsonMap::new();
    for e in super::model::key_values(v) {
        let value = match e.value {
            Some(s) => Json::String(s),
            None => fill(&e.name).unwrap_or(Json::Null),
        };
        out.insert(e.name, value);
    }
    Json::Object(out)
}

/// Values for bare `KEY` entries: the project's variables.
fn from_env(project: &Project) -> impl Fn(&str) -> Option<Json> + '_ {
    |name| project.variable(name).map(|v| Json::String(v.to_string()))
}

/// `environment` after `env_file`s; bare names take the project's variables.
fn environment(project: &Project, svc: &Service<'_>) -> JsonMap<String, Json> {
    let mut out = JsonMap::new();
    for f in project
        .service_env_files
        .get(svc.name())
        .into_iter()
        .flatten()
        .filter(|f| !f.deploy_time)
    {
        for a in &f.assignments {
            out.insert(a.name.clone(), Json::String(a.value.clone()));
        }
    }
    if let Some(v) = svc.get("environment") {
        if let Json::Object(m) = key_values(v, &from_env(project)) {
            out.extend(m);
        }
    }
    out
}

fn build(project: &Project, v: &Spanned<Value>) -> Json {
    let mut out = JsonMap::new();
    let (context, file, fields) = match &v.value {
        Value::Str(s) => (s.as_str(), v.file, None),
        Value::Map(m) => match m.get("context") {
            Some(c) => (c.value.as_str().unwrap_or("."), c.file, Some(m)),
            None => (".", v.file, Some(m)),
        },
        _ => return generic(v),
    };
    let is_url = context.contains("://") || context.starts_with("git@");
    let context = if is_url {
        context.to_string()
    } else {
        project.resolve_path(file, context).display().to_string()
    };
    out.insert("context".into(), Json::String(context));
    let fields: Option<&Map> = fields;
    if fields.and_then(|m| m.get("dockerfile_inline")).is_none() {
        out.insert("dockerfile".into(), json!("Dockerfile"));
    }
    for item in fields.into_iter().flat_map(|m| &m.items) {
        let key = item.key.value.as_str();
        let value = match key {
            "context" => continue,
            "args" => {
                let Json::Object(mut m) = key_values(&item.value, &from_env(project)) else {
                    continue;
                };
                m.retain(|_, v| !v.is_null());
                Json::Object(m)
            }
            "labels" => key_values(&item.value, &|_| None),
            "extra_hosts" => extra_hosts(&item.value),
            _ if key.starts_with("x-") => continue,
            _ => generic(&item.value),
        };
        out.insert(key.to_string(), value);
    }
    Json::Object(out)
}

/// [`generic`], then `edit` on the object (other shapes are returned as they are).
pub(super) fn edit_object(
    v: &Spanned<Value>,
    edit: impl FnOnce(&mut JsonMap<String, Json>),
) -> Json {
    let mut out = generic(v);
    if let Json::Object(o) = &mut out {
        edit(o);
    }
    out
}

fn healthcheck(v: &Spanned<Value>) -> Json {
    edit_object(v, |out| {
        if let Some(Json::String(s)) = out.get("test").cloned() {
            out.insert("test".into(), json!(["CMD-SHELL", s]));
        }
    })
}

fn deploy(v: &Spanned<Value>) -> Json {
    edit_object(v, |out| {
        if let Some(Json::Object(res)) = out.get_mut("resources") {
            for part in ["limits", "reservations"] {
                if let Some(Json::Object(p)) = res.get_mut(part) {
                    resource_amounts(p);
                }
            }
        }
        out.entry("placement").or_insert_with(|| json!({}));
    })
}

/// A float as Go's JSON encoder prints it: whole numbers without a fraction
/// (`1`, not `1.0`).
fn go_float(f: f64) -> Option<Json> {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        // INVARIANT: a whole number under 1e15 fits an i64 exactly.
        return Some(Json::from(f as i64));
    }
    serde_json::Number::from_f64(f).map(Json::Number)
}

/// `deploy.resources.limits` or `.reservations`: `cpus` as a number, `count: all` as -1.
fn resource_amounts(p: &mut JsonMap<String, Json>) {
    if let Some(c) = p.get("cpus").cloned() {
        let n = match &c {
            Json::String(s) => s.parse::<f64>().ok(),
            other => other.as_f64(),
        };
        if let Some(n) = n.and_then(go_float) {
            p.insert("cpus".into(), n);
        }
    }
    if let Some(Json::Array(devices)) = p.get_mut("devices") {
        for d in devices.iter_mut().filter_map(Json::as_object_mut) {
            if d.get("count").and_then(Json::as_str) == Some("all") {
                d.insert("count".into(), json!(-1));
            }
        }
    }
}

fn extra_hosts(v: &Spanned<Value>) -> Json {
    let mut out = Vec::new();
    match &v.value {
        Value::Map(m) => {
            for item in &m.items {
                for ip in as_items(&item.value) {
                    if let Some(ip) = env_value(ip) {
                        out.push(Json::String(format!("{}={ip}", item.key.value)));
                    }
                }
            }
        }
        _ => {
            for i in as_items(v) {
                if let Some(s) = env_value(i) {
                    let s = if s.contains('=') {
                        s
                    } else {
                        s.replacen(':', "=", 1)
                    };
                    out.push(Json::String(s));
                }
            }
        }
    }
    Json::Array(out)
}

fn depends_on(v: &Spanned<Value>) -> Json {
    let mut out = JsonMap::new();
    match &v.value {
        Value::List(items) => {
            for i in items.iter().filter_map(|i| i.value.as_str()) {
                out.insert(
                    i.to_string(),
                    json!({"condition": "service_started", "required": true}),
                );
            }
        }
        Value::Map(m) => {
            for item in &m.items {
                let mut d = match generic(&item.value) {
                    Json::Object(o) => o,
                    _ => JsonMap::new(),
                };
                d.entry("condition").or_insert(json!("service_started"));
                d.entry("required").or_insert(json!(true));
                out.insert(item.key.value.to_string(), Json::Object(d));
            }
        }
        _ => {}
    }
    Json::Object(out)
}

fn logging(v: &Spanned<Value>) -> Json {
    edit_object(v, |out| {
        if let Some(Json::Object(options)) = out.get_mut("options") {
            for value in options.values_mut() {
                if !matches!(value, Json::Null | Json::String(_)) {
                    *value = Json::String(value.to_string());
                }
            }
        }
    })
}

fn names_map(v: &Spanned<Value>) -> Json {
    match &v.value {
        Value::List(items) => Json::Object(
            items
                .iter()
                .filter_map(|i| i.value.as_str())
                .map(|n| (n.to_string(), Json::Null))
                .collect(),
        ),
        _ => generic(v),
    }
}
