//! The typed Compose model: a validated, spanned value tree per file with typed
//! views over the parts rules read (services, health checks, ports, mounts…).
//!
//! Storage is the converted [`Value`] tree, so every key of the specification is
//! kept with its span; the views below interpret it without copying.

use std::collections::HashMap;

use super::syntax::{self, PortSpec};
use super::value::{Map, MapItem, ProjectVia, Spanned, Text, Value, Via};
use crate::source::{FileId, SourceMap, Span};
use crate::yaml::YamlVia;

/// One compose file, converted.
#[derive(Debug, Clone)]
pub struct Compose {
    /// The file it was read from.
    pub file: FileId,
    /// `false` when a syntax error cut the file short: what is here is real, but
    /// something may be missing only because it was not read.
    pub complete: bool,
    /// The top-level mapping of the first document.
    pub top: Map,
    /// Top-level mappings of further documents (`---`). Compose merges them onto
    /// the first like override files; that merge is applied with override files.
    pub more_documents: Vec<Map>,
}

impl Compose {
    /// The top-level `version:` entry, if written.
    pub fn version(&self) -> Option<&MapItem> {
        self.top.item("version")
    }

    /// The project name, if set in the file.
    pub fn name(&self) -> Option<&str> {
        self.top.get("name").and_then(|v| v.value.as_str())
    }

    /// Services in the order written.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> {
        self.section("services").filter_map(Service::from_item)
    }

    /// The service called `name`.
    pub fn service(&self, name: &str) -> Option<Service<'_>> {
        self.services().find(|s| s.name() == name)
    }

    /// Where each service is written in `services:` (the first of two with
    /// one name), for [`Compose::service_at`]: lookups without a scan.
    pub fn service_positions(&self) -> HashMap<String, usize> {
        let mut positions = HashMap::new();
        for (i, item) in self.section("services").enumerate() {
            if Service::from_item(item).is_some() {
                positions.entry(item.key.value.to_string()).or_insert(i);
            }
        }
        positions
    }

    /// The service written at `position` of `services:`.
    pub fn service_at(&self, position: usize) -> Option<Service<'_>> {
        let services = self.top.get("services")?.value.as_map()?;
        services.items.get(position).and_then(Service::from_item)
    }

    /// Entries of a top-level section (`networks`, `volumes`, `secrets`, `configs`, `models`).
    pub fn section(&self, key: &str) -> impl Iterator<Item = &MapItem> {
        self.top
            .get(key)
            .and_then(|v| v.value.as_map())
            .map(|m| m.items.iter())
            .into_iter()
            .flatten()
    }

    /// A line per leaf value: `path = value @line:col-line:col (via …)`. For tests
    /// and debugging: shows every value with its span; positions in another file
    /// than this one are prefixed with that file's name.
    pub fn outline(&self, sources: &SourceMap) -> String {
        let o = Outliner {
            sources,
            home: self.file,
        };
        let mut out = String::new();
        o.map(&self.top, "", &mut out);
        for (i, doc) in self.more_documents.iter().enumerate() {
            out.push_str(&format!("--- document {}\n", i + 2));
            o.map(doc, "", &mut out);
        }
        out
    }
}

struct Outliner<'a> {
    sources: &'a SourceMap,
    home: FileId,
}

impl Outliner<'_> {
    fn at(&self, file: FileId, span: Span) -> String {
        let src = self.sources.get(file);
        let a = src.line_col(span.start);
        let b = src.line_col(span.end);
        let name = if file == self.home {
            String::new()
        } else {
            let home = self.sources.get(self.home).path();
            let dir = home.parent().unwrap_or(home);
            let path = src.path().strip_prefix(dir).unwrap_or(src.path());
            format!("{}:", path.display())
        };
        format!("{name}{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    }

    fn map(&self, map: &Map, prefix: &str, out: &mut String) {
        for item in &map.items {
            let path = if prefix.is_empty() {
                item.key.value.to_string()
            } else {
                format!("{prefix}.{}", item.key.value)
            };
            if let Some(tag) = item.tag {
                out.push_str(&format!("{path} tagged {tag:?}\n"));
            }
            self.value(&item.value, &path, out);
        }
    }

    fn value(&self, v: &Spanned<Value>, path: &str, out: &mut String) {
        let via = if v.via.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = v
                .via
                .iter()
                .map(|x| match x {
                    Via::Yaml(YamlVia::Alias { name, .. }) => format!("alias *{name}"),
                    Via::Yaml(YamlVia::Merge { key, .. }) => {
                        format!("merge <<@{}", self.at(v.file, *key))
                    }
                    Via::Variable(u) => format!("var {} ({:?})", u.name, u.resolution),
                    Via::Project(p) => match p {
                        ProjectVia::Overrides { replaced: o } => {
                            format!("overrides @{}", self.at(o.file, o.span))
                        }
                        ProjectVia::MergedWith { by: o } => {
                            format!("merged with @{}", self.at(o.file, o.span))
                        }
                        ProjectVia::Extends { at: o } => {
                            format!("extends @{}", self.at(o.file, o.span))
                        }
                        ProjectVia::Included { at: o } => {
                            format!("included @{}", self.at(o.file, o.span))
                        }
                    },
                })
                .collect();
            format!(" via {}", parts.join(", "))
        };
        let at = self.at(v.file, v.span);
        match &v.value {
            Value::Map(m) if !m.items.is_empty() => {
                if v.via.iter().any(|x| matches!(x, Via::Project(_))) {
                    out.push_str(&format!("{path} = {{…}} @{at}{via}\n"));
                }
                self.map(m, path, out)
            }
            Value::List(items) if !items.is_empty() => {
                if v.via.iter().any(|x| matches!(x, Via::Project(_))) {
                    out.push_str(&format!("{path} = […] @{at}{via}\n"));
                }
                for (i, item) in items.iter().enumerate() {
                    self.value(item, &format!("{path}[{i}]"), out);
                }
            }
            other => {
                let shown = match other {
                    Value::Null => "null".to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => format!("{f:?}"),
                    Value::Str(s) => format!("{s:?}"),
                    Value::Bytes(b, t) => format!("{b} bytes ({t:?})"),
                    Value::Duration(d) => format!("{}ns ({:?})", d.nanos, d.text),
                    Value::Unknown(t) => format!("unknown ({t:?})"),
                    Value::Map(_) => "{}".to_string(),
                    Value::List(_) => "[]".to_string(),
                };
                out.push_str(&format!("{path} = {shown} @{at}{via}\n"));
            }
        }
    }
}

/// A resource setting Compose accepts under `deploy.resources` and, for most,
/// as a legacy service key too (Compose refuses the two with different values).
#[derive(Debug, Clone, Copy)]
pub struct ResourceSetting {
    /// The legacy key (`mem_limit`), if there is one.
    pub legacy: Option<&'static str>,
    /// The `deploy` path.
    pub deploy: &'static [&'static str],
}

/// `deploy.resources.limits.memory` / `mem_limit`.
pub const MEMORY_LIMIT: ResourceSetting = ResourceSetting {
    legacy: Some("mem_limit"),
    deploy: &["deploy", "resources", "limits", "memory"],
};
/// `deploy.resources.reservations.memory` / `mem_reservation`.
pub const MEMORY_RESERVATION: ResourceSetting = ResourceSetting {
    legacy: Some("mem_reservation"),
    deploy: &["deploy", "resources", "reservations", "memory"],
};
/// `deploy.resources.limits.cpus` / `cpus`.
pub const CPU_LIMIT: ResourceSetting = ResourceSetting {
    legacy: Some("cpus"),
    deploy: &["deploy", "resources", "limits", "cpus"],
};
/// `deploy.resources.reservations.cpus` (no legacy key).
pub const CPU_RESERVATION: ResourceSetting = ResourceSetting {
    legacy: None,
    deploy: &["deploy", "resources", "reservations", "cpus"],
};
/// `deploy.resources.limits.pids` / `pids_limit`.
pub const PIDS_LIMIT: ResourceSetting = ResourceSetting {
    legacy: Some("pids_limit"),
    deploy: &["deploy", "resources", "limits", "pids"],
};

/// What a service's limit setting says.
#[derive(Debug, Clone, Copy)]
pub enum Limit<'a> {
    /// Not set anywhere.
    Missing,
    /// Set to a value that means "no limit": `0` for memory and CPUs, `0`
    /// or a negative number (`-1`) for memory and processes.
    Unlimited(&'a Spanned<Value>),
    /// Set from a variable lint time cannot know: the deployment decides.
    Unknown(&'a Spanned<Value>),
    /// A real limit.
    Set(&'a Spanned<Value>),
}

/// A service definition: its name (spanned at the key) and fields.
#[derive(Debug, Clone, Copy)]
pub struct Service<'a> {
    /// The `web:` key.
    pub key: &'a Spanned<Text>,
    /// The definition.
    pub def: &'a Spanned<Value>,
    fields: &'a Map,
}

/// `environment`, `labels` or `build.args` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar<'a> {
    /// Variable name.
    pub name: String,
    /// Span of the name.
    pub name_span: Span,
    /// Value; `None` for `KEY` alone or `KEY:` with null (taken from the environment).
    pub value: Option<String>,
    /// Span of the value (the whole entry when the value is not separately written).
    pub value_span: Span,
    /// The value node it came from.
    pub source: &'a Spanned<Value>,
}

/// How a health check test runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthTest {
    /// `["NONE"]`: disabled.
    None,
    /// `["CMD", args…]`: exec form.
    Exec(Vec<String>),
    /// A string or `["CMD-SHELL", cmd]`: run by `/bin/sh -c`.
    Shell(String),
    /// An empty list: inherit the image's.
    Inherit,
}

/// A service's `healthcheck`.
#[derive(Debug, Clone, Copy)]
pub struct Healthcheck<'a> {
    /// The `healthcheck:` value.
    pub def: &'a Spanned<Value>,
    fields: &'a Map,
}

impl<'a> Healthcheck<'a> {
    /// The test, if written.
    pub fn test(&self) -> Option<(HealthTest, &'a Spanned<Value>)> {
        let v = self.fields.get("test")?;
        let strings = |items: &[Spanned<Value>]| -> Vec<String> {
            items
                .iter()
                .filter_map(|i| i.value.as_str().map(str::to_string))
                .collect()
        };
        let test = match &v.value {
            Value::Str(s) => HealthTest::Shell(s.to_string()),
            Value::List(items) => {
                let parts = strings(items);
                match parts.split_first() {
                    None => HealthTest::Inherit,
                    Some((first, rest)) => match first.as_str() {
                        "NONE" => HealthTest::None,
                        "CMD" => HealthTest::Exec(rest.to_vec()),
                        "CMD-SHELL" => HealthTest::Shell(rest.join(" ")),
                        _ => HealthTest::Exec(parts.clone()),
                    },
                }
            }
            _ => return None,
        };
        Some((test, v))
    }

    /// Whether the check is turned off (`disable: true` or test `NONE`).
    pub fn is_disabled(&self) -> bool {
        self.fields.get("disable").and_then(|v| v.value.as_bool()) == Some(true)
            || matches!(self.test(), Some((HealthTest::None, _)))
    }

    /// A timing field (`interval`, `timeout`, `start_period`, `start_interval`).
    pub fn duration(&self, key: &str) -> Option<&'a Spanned<Value>> {
        self.fields.get(key)
    }
}

/// A `depends_on` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// The service depended on.
    pub service: String,
    /// Span of the name.
    pub span: Span,
    /// `service_started`, `service_healthy` or `service_completed_successfully`.
    pub condition: String,
    /// Span of the condition value, when written.
    pub condition_span: Option<Span>,
    /// Whether written in the short (list) form.
    pub short_form: bool,
    /// `required:` (default true).
    pub required: bool,
}

/// A published or exposed port.
#[derive(Debug, Clone, PartialEq)]
pub struct Port<'a> {
    /// Parsed mapping.
    pub spec: PortSpec,
    /// The entry it came from.
    pub source: &'a Spanned<Value>,
}

/// A volume mount.
#[derive(Debug, Clone, PartialEq)]
pub struct Mount<'a> {
    /// `bind`, `volume`, `tmpfs`, …
    pub kind: String,
    /// Host path or volume name.
    pub source: Option<String>,
    /// Path in the container.
    pub target: String,
    /// Mounted read-only.
    pub read_only: bool,
    /// Bind propagation (`rshared`, `shared`, `slave`, …), short syntax's
    /// mode or long syntax's `bind.propagation`.
    pub propagation: Option<String>,
    /// The entry it came from.
    pub source_value: &'a Spanned<Value>,
    /// The value of `source:` in long syntax (the entry itself in short).
    pub source_field: Option<&'a Spanned<Value>>,
}

/// Bind propagation modes a short-syntax mode can name.
const PROPAGATIONS: &[&str] = &[
    "shared", "rshared", "slave", "rslave", "private", "rprivate",
];

impl<'a> Service<'a> {
    fn from_item(item: &'a MapItem) -> Option<Service<'a>> {
        let fields = item.value.value.as_map()?;
        Some(Service {
            key: &item.key,
            def: &item.value,
            fields,
        })
    }

    /// The service name.
    pub fn name(&self) -> &'a str {
        &self.key.value
    }

    /// All fields as written.
    pub fn fields(&self) -> &'a Map {
        self.fields
    }

    /// A field by key.
    pub fn get(&self, key: &str) -> Option<&'a Spanned<Value>> {
        self.fields.get(key)
    }

    /// The entry for `key`, with its key's span.
    pub fn item(&self, key: &str) -> Option<&'a MapItem> {
        self.fields.item(key)
    }

    /// A nested field by path, e.g. `["deploy", "resources", "limits", "memory"]`.
    pub fn path(&self, keys: &[&str]) -> Option<&'a Spanned<Value>> {
        self.fields.path(keys)
    }

    /// A string field.
    pub fn str(&self, key: &str) -> Option<(&'a str, &'a Spanned<Value>)> {
        let v = self.get(key)?;
        Some((v.value.as_str()?, v))
    }

    /// `image:`.
    pub fn image(&self) -> Option<(&'a str, &'a Spanned<Value>)> {
        self.str("image")
    }

    /// `user:`.
    pub fn user(&self) -> Option<(&'a str, &'a Spanned<Value>)> {
        self.str("user")
    }

    /// `restart:`.
    pub fn restart(&self) -> Option<(&'a str, &'a Spanned<Value>)> {
        self.str("restart")
    }

    /// Whether it runs with `privileged: true`.
    pub fn is_privileged(&self) -> bool {
        self.get("privileged").and_then(|v| v.value.as_bool()) == Some(true)
    }

    /// Whether it uses the host's network (`network_mode: host`): its
    /// `ports` are then ignored.
    pub fn host_network(&self) -> bool {
        self.str("network_mode").is_some_and(|(m, _)| m == "host")
    }

    /// Whether its restart policy says it runs to completion: never
    /// restarted (`restart: "no"`, `deploy.restart_policy.condition: none`).
    /// `on-failure` is not enough: servers use it too.
    pub fn runs_to_completion(&self) -> bool {
        let job = |p: &str| p == "no" || p == "none";
        self.restart().is_some_and(|(p, _)| job(p))
            || self
                .path(&["deploy", "restart_policy", "condition"])
                .and_then(|v| v.value.as_str())
                .is_some_and(job)
    }

    /// `healthcheck:`.
    pub fn healthcheck(&self) -> Option<Healthcheck<'a>> {
        let def = self.get("healthcheck")?;
        Some(Healthcheck {
            def,
            fields: def.value.as_map()?,
        })
    }

    /// The build context (`build: ctx` or `build.context`, default `.`) when the service builds.
    pub fn build_context(&self) -> Option<(&'a str, &'a Spanned<Value>)> {
        let b = self.get("build")?;
        match &b.value {
            Value::Str(s) => Some((s, b)),
            Value::Map(m) => match m.get("context") {
                Some(c) => c.value.as_str().map(|s| (s, c)),
                None => Some((".", b)),
            },
            _ => None,
        }
    }

    /// A `build` sub-field (`dockerfile`, `target`, `dockerfile_inline`, …).
    pub fn build_field(&self, key: &str) -> Option<&'a Spanned<Value>> {
        self.path(&["build", key])
    }

    /// The value of a resource setting: its `deploy.resources` path, else its legacy key.
    pub fn resource(&self, setting: &ResourceSetting) -> Option<&'a Spanned<Value>> {
        self.path(setting.deploy)
            .or_else(|| setting.legacy.and_then(|k| self.get(k)))
    }

    /// What the limit `setting` says: missing, unlimited, unknown or set.
    pub fn limit(&self, setting: &ResourceSetting) -> Limit<'a> {
        let Some(v) = self.resource(setting) else {
            return Limit::Missing;
        };
        let number = match &v.value {
            Value::Unknown(_) => return Limit::Unknown(v),
            Value::Str(s) => s.trim().parse::<f64>().ok(),
            other => other.as_f64(),
        };
        match number {
            Some(n) if n <= 0.0 => Limit::Unlimited(v),
            _ => Limit::Set(v),
        }
    }

    /// Memory limit in bytes: `deploy.resources.limits.memory`, else `mem_limit`.
    pub fn memory_limit(&self) -> Option<(u64, &'a Spanned<Value>)> {
        self.bytes(&MEMORY_LIMIT)
    }

    /// Memory reservation in bytes: `deploy.resources.reservations.memory`, else `mem_reservation`.
    pub fn memory_reservation(&self) -> Option<(u64, &'a Spanned<Value>)> {
        self.bytes(&MEMORY_RESERVATION)
    }

    /// A byte size from either place of `setting` (the first that is one).
    fn bytes(&self, setting: &ResourceSetting) -> Option<(u64, &'a Spanned<Value>)> {
        let places = [
            Some(self.path(setting.deploy)),
            setting.legacy.map(|k| self.get(k)),
        ];
        places
            .into_iter()
            .flatten()
            .flatten()
            .find_map(|v| match v.value {
                Value::Bytes(b, _) => Some((b, v)),
                _ => None,
            })
    }

    fn number(&self, setting: &ResourceSetting) -> Option<(f64, &'a Spanned<Value>)> {
        let v = self.resource(setting)?;
        Some((v.value.as_f64()?, v))
    }

    /// CPU limit: `deploy.resources.limits.cpus`, else `cpus`.
    pub fn cpu_limit(&self) -> Option<(f64, &'a Spanned<Value>)> {
        self.number(&CPU_LIMIT)
    }

    /// CPU reservation: `deploy.resources.reservations.cpus`.
    pub fn cpu_reservation(&self) -> Option<(f64, &'a Spanned<Value>)> {
        self.number(&CPU_RESERVATION)
    }

    /// PIDs limit: `deploy.resources.limits.pids`, else `pids_limit`.
    pub fn pids_limit(&self) -> Option<(f64, &'a Spanned<Value>)> {
        self.number(&PIDS_LIMIT)
    }

    /// `logging.driver`, if set.
    pub fn logging_driver(&self) -> Option<(&'a str, &'a Spanned<Value>)> {
        let v = self.path(&["logging", "driver"])?;
        Some((v.value.as_str()?, v))
    }

    /// A `logging.options` entry.
    pub fn logging_option(&self, key: &str) -> Option<&'a Spanned<Value>> {
        self.path(&["logging", "options", key])
    }

    /// `profiles:`; empty when the service is always active.
    pub fn profiles(&self) -> Vec<&'a str> {
        self.get("profiles")
            .and_then(|v| v.value.as_list())
            .map(|l| l.iter().filter_map(|i| i.value.as_str()).collect())
            .unwrap_or_default()
    }

    /// `environment:` entries, list or mapping form.
    pub fn environment(&self) -> Vec<EnvVar<'a>> {
        self.get("environment").map(key_values).unwrap_or_default()
    }

    /// `labels:` entries.
    pub fn labels(&self) -> Vec<EnvVar<'a>> {
        self.get("labels").map(key_values).unwrap_or_default()
    }

    /// `build.args` entries.
    pub fn build_args(&self) -> Vec<EnvVar<'a>> {
        self.build_field("args").map(key_values).unwrap_or_default()
    }

    /// `depends_on:` entries in either form.
    pub fn depends_on(&self) -> Vec<Dependency> {
        let Some(v) = self.get("depends_on") else {
            return Vec::new();
        };
        match &v.value {
            Value::List(items) => items
                .iter()
                .filter_map(|i| {
                    Some(Dependency {
                        service: i.value.as_str()?.to_string(),
                        span: i.span,
                        condition: "service_started".into(),
                        condition_span: None,
                        short_form: true,
                        required: true,
                    })
                })
                .collect(),
            Value::Map(m) => m
                .items
                .iter()
                .map(|item| {
                    let cond = item.value.value.as_map().and_then(|d| d.get("condition"));
                    let required = item
                        .value
                        .value
                        .as_map()
                        .and_then(|d| d.get("required"))
                        .and_then(|r| r.value.as_bool());
                    Dependency {
                        service: item.key.value.to_string(),
                        span: item.key.span,
                        condition: cond
                            .and_then(|c| c.value.as_str())
                            .unwrap_or("service_started")
                            .to_string(),
                        condition_span: cond.map(|c| c.span),
                        short_form: false,
                        required: required.unwrap_or(true),
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `ports:` entries, short and long syntax.
    pub fn ports(&self) -> Vec<Port<'a>> {
        let Some(items) = self.get("ports").and_then(|v| v.value.as_list()) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|i| {
                let spec = match &i.value {
                    Value::Int(n) => syntax::parse_port(&n.to_string()).ok()?,
                    Value::Str(s) => syntax::parse_port(s).ok()?,
                    Value::Map(m) => {
                        let target = m.get("target")?.value.as_f64()? as u16;
                        PortSpec {
                            host_ip: m
                                .get("host_ip")
                                .and_then(|v| v.value.as_str())
                                .map(str::to_string),
                            published: m.get("published").and_then(|v| v.value.to_env_string()),
                            target,
                            target_end: None,
                            protocol: m
                                .get("protocol")
                                .and_then(|v| v.value.as_str())
                                .unwrap_or("tcp")
                                .to_string(),
                        }
                    }
                    _ => return None,
                };
                Some(Port { spec, source: i })
            })
            .collect()
    }

    /// `volumes:` mounts, short and long syntax.
    pub fn volumes(&self) -> Vec<Mount<'a>> {
        self.mounts(false)
    }

    /// [`Self::volumes`], and also the short-syntax entries whose text comes
    /// from a variable lint time cannot know, parsed from the text Compose
    /// would use without it (`${XDG_RUNTIME_DIR}/docker.sock:/x` as
    /// `/docker.sock:/x`): for rules that judge what such a path is below.
    pub fn volumes_with_unknown(&self) -> Vec<Mount<'a>> {
        self.mounts(true)
    }

    fn mounts(&self, unknown: bool) -> Vec<Mount<'a>> {
        let Some(items) = self.get("volumes").and_then(|v| v.value.as_list()) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|i| match &i.value {
                Value::Str(s) | Value::Unknown(s)
                    if unknown || matches!(i.value, Value::Str(_)) =>
                {
                    let v = syntax::parse_volume(s).ok()?;
                    Some(Mount {
                        kind: v.kind().to_string(),
                        read_only: v.read_only(),
                        propagation: v
                            .mode
                            .iter()
                            .find(|m| PROPAGATIONS.contains(&m.as_str()))
                            .cloned(),
                        source: v.source,
                        target: v.target,
                        source_value: i,
                        source_field: None,
                    })
                }
                Value::Map(m) => Some(Mount {
                    kind: m.get("type")?.value.as_str()?.to_string(),
                    source: m
                        .get("source")
                        .and_then(|v| v.value.as_str())
                        .map(str::to_string),
                    target: m.get("target")?.value.as_str()?.to_string(),
                    read_only: m.get("read_only").and_then(|v| v.value.as_bool()) == Some(true),
                    propagation: m
                        .get("bind")
                        .and_then(|b| b.value.as_map())
                        .and_then(|b| b.get("propagation"))
                        .and_then(|p| p.value.as_str())
                        .map(str::to_string),
                    source_value: i,
                    source_field: m.get("source"),
                }),
                _ => None,
            })
            .collect()
    }
}

/// Reads a list-or-dict value (`environment`, `labels`, `args`) into entries.
pub fn key_values(v: &Spanned<Value>) -> Vec<EnvVar<'_>> {
    match &v.value {
        Value::Map(m) => m
            .items
            .iter()
            .map(|item| EnvVar {
                name: item.key.value.to_string(),
                name_span: item.key.span,
                value: item.value.value.to_env_string(),
                value_span: item.value.span,
                source: &item.value,
            })
            .collect(),
        Value::List(items) => items
            .iter()
            .filter_map(|i| {
                let s = i.value.as_str()?;
                let (name, value) = match s.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (s, None),
                };
                let (name_span, value_span) = entry_spans(i, s, name);
                Some(EnvVar {
                    name: name.to_string(),
                    name_span,
                    value,
                    value_span,
                    source: i,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Spans of the name and the value of a `NAME=value` list entry whose text is
/// `text` and whose name is the first `name.len()` bytes. Sub-spans are exact
/// when the entry is written without quotes or escapes; else both are the entry.
pub fn entry_spans(item: &Spanned<Value>, text: &str, name: &str) -> (Span, Span) {
    let exact = item.span.len() == text.len();
    let quoted = item.span.len() == text.len() + 2;
    let start = item.span.start + usize::from(quoted);
    if exact || quoted {
        (
            Span::new(start, start + name.len()),
            Span::new(
                (start + name.len() + 1).min(start + text.len()),
                start + text.len(),
            ),
        )
    } else {
        (item.span, item.span)
    }
}
