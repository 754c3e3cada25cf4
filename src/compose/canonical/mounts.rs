//! Ports, volumes, devices, secrets and configs in their long syntax.

use serde_json::{json, Map as JsonMap, Value as Json};

use super::super::normalize::{clean_container_path, PortEntry};
use super::super::project::Project;
use super::super::syntax;
use super::super::value::{Spanned, Value};
use super::{as_items, edit_object, generic};
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
        return Json::String(text.to_string());
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

/// A published port in `config` shape.
pub(super) fn port_json(p: PortEntry) -> Json {
    let mut o = JsonMap::new();
    if let Some(n) = p.name {
        o.insert("name".into(), json!(n));
    }
    o.insert("mode".into(), json!(p.mode));
    if let Some(ip) = p.host_ip {
        o.insert("host_ip".into(), json!(ip));
    }
    o.insert("target".into(), json!(p.target));
    if let Some(published) = p.published {
        o.insert("published".into(), json!(published));
    }
    o.insert("protocol".into(), json!(p.protocol));
    if let Some(a) = p.app_protocol {
        o.insert("app_protocol".into(), json!(a));
    }
    Json::Object(o)
}
