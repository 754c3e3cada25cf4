//! Ports, volumes, devices, secrets and configs in their long syntax.

use serde_json::{json, Map as JsonMap, Value as Json};

use super::super::project::Project;
use super::super::syntax;
use super::super::value::{Spanned, Value};
use super::{as_items, clean_container_path, edit_object, generic};
use crate::source::FileId;

/// `devices` entries: `SOURCE[:TARGET[:PERMISSIONS]]` in long form.
pub(super) fn device(v: &Spanned<Value>) -> Json {
    let Value::Str(s) = &v.value else {
        return generic(v);
    };
    let mut parts = s.splitn(3, ':');
    let source = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or(source);
    let permissions = parts.next().unwrap_or("rwm");
    json!({"source": source, "target": target, "permissions": permissions})
}

pub(super) fn mounts(v: &Spanned<Value>, dir: &str) -> Json {
    Json::Array(
        as_items(v)
            .into_iter()
            .map(|i| match &i.value {
                Value::Str(s) => json!({"source": s, "target": format!("{dir}{s}")}),
                _ => {
                    let mut out = generic(i);
                    // A file mode prints in octal, as written in the specification.
                    if let Some(mode) = out.get("mode").and_then(Json::as_i64) {
                        out["mode"] = Json::String(format!("0{mode:o}"));
                    }
                    out
                }
            })
            .collect(),
    )
}

pub(super) fn volume(project: &Project, v: &Spanned<Value>) -> Json {
    let Value::Str(text) = &v.value else {
        return edit_object(v, |out| {
            let bind = out.get("type").and_then(Json::as_str) == Some("bind");
            if let (true, Some(Json::String(src))) = (bind, out.get("source").cloned()) {
                let abs = project.resolve_path(source_file(v), &src);
                out.insert("source".into(), Json::String(abs.display().to_string()));
            }
            if let Some(Json::Object(b)) = out.get_mut("bind") {
                if b.get("create_host_path") == Some(&Json::Bool(false)) {
                    b.remove("create_host_path");
                }
            }
            if let Some(Json::String(t)) = out.get("target") {
                let cleaned = clean_container_path(t);
                out.insert("target".into(), Json::String(cleaned));
            }
            if out.get("read_only") == Some(&Json::Bool(false)) {
                out.remove("read_only");
            }
        });
    };
    let Ok(spec) = syntax::parse_volume(text) else {
        return Json::String(text.clone());
    };
    let kind = spec.kind();
    let mut out = JsonMap::new();
    out.insert("type".into(), json!(kind));
    if let Some(src) = &spec.source {
        let src = if kind == "bind" {
            project.resolve_path(v.file, src).display().to_string()
        } else {
            src.clone()
        };
        out.insert("source".into(), json!(src));
    }
    out.insert("target".into(), json!(clean_container_path(&spec.target)));
    if spec.read_only() {
        out.insert("read_only".into(), json!(true));
    }
    let mut extra = JsonMap::new();
    if kind == "bind" {
        for m in &spec.mode {
            match m.as_str() {
                "z" | "Z" => {
                    extra.insert("selinux".into(), json!(m));
                }
                "shared" | "rshared" | "slave" | "rslave" | "private" | "rprivate" => {
                    extra.insert("propagation".into(), json!(m));
                }
                _ => {}
            }
        }
        extra.insert("create_host_path".into(), json!(true));
        out.insert("bind".into(), Json::Object(extra));
    } else {
        if spec.mode.iter().any(|m| m == "nocopy") {
            extra.insert("nocopy".into(), json!(true));
        }
        out.insert("volume".into(), Json::Object(extra));
    }
    Json::Object(out)
}

/// The file a long-syntax mount's `source` was written in.
fn source_file(v: &Spanned<Value>) -> FileId {
    v.value
        .as_map()
        .and_then(|m| m.get("source"))
        .map_or(v.file, |s| s.file)
}

/// One published port, ranges expanded.
#[derive(Debug, Clone, PartialEq)]
pub struct PortEntry {
    /// `host_ip`.
    pub host_ip: Option<String>,
    /// Published port or range, as text.
    pub published: Option<String>,
    /// Container port.
    pub target: u32,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
    /// `ingress` or `host`.
    pub mode: String,
    /// Long syntax `name`.
    pub name: Option<String>,
    /// Long syntax `app_protocol`.
    pub app_protocol: Option<String>,
}

impl PortEntry {
    pub(super) fn into_json(self) -> Json {
        let mut o = JsonMap::new();
        if let Some(n) = self.name {
            o.insert("name".into(), json!(n));
        }
        o.insert("mode".into(), json!(self.mode));
        if let Some(ip) = self.host_ip {
            o.insert("host_ip".into(), json!(ip));
        }
        o.insert("target".into(), json!(self.target));
        if let Some(p) = self.published {
            o.insert("published".into(), json!(p));
        }
        o.insert("protocol".into(), json!(self.protocol));
        if let Some(a) = self.app_protocol {
            o.insert("app_protocol".into(), json!(a));
        }
        Json::Object(o)
    }
}

/// The ports a `ports` entry publishes, short-syntax ranges expanded one by one.
pub fn port_entries(v: &Spanned<Value>) -> Vec<PortEntry> {
    let text = match &v.value {
        Value::Int(n) => n.to_string(),
        Value::Str(s) => s.clone(),
        Value::Map(m) => {
            let s = |k: &str| m.get(k).and_then(|x| x.value.to_env_string());
            let Some(target) = m.get("target").and_then(|t| t.value.as_f64()) else {
                return Vec::new();
            };
            return vec![PortEntry {
                host_ip: s("host_ip"),
                published: s("published"),
                target: target as u32,
                protocol: s("protocol").unwrap_or_else(|| "tcp".into()),
                mode: s("mode").unwrap_or_else(|| "ingress".into()),
                name: s("name"),
                app_protocol: s("app_protocol"),
            }];
        }
        _ => return Vec::new(),
    };
    let Ok(spec) = syntax::parse_port(&text) else {
        return Vec::new();
    };
    let first = u32::from(spec.target);
    let last = u32::from(spec.target_end.unwrap_or(spec.target));
    let published: Option<(u32, u32)> = spec.published.as_deref().and_then(|p| {
        let (a, b) = p.split_once('-').unwrap_or((p, p));
        Some((a.parse().ok()?, b.parse().ok()?))
    });
    let count = last - first + 1;
    (0..count)
        .map(|i| {
            let published = match (published, &spec.published) {
                (Some((a, b)), _) if b - a + 1 == count => Some((a + i).to_string()),
                (_, p) => p.clone(),
            };
            PortEntry {
                host_ip: spec.host_ip.clone(),
                published,
                target: first + i,
                protocol: spec.protocol.clone(),
                mode: "ingress".into(),
                name: None,
                app_protocol: None,
            }
        })
        .collect()
}
