//! Normal forms Compose compares values in, shared by merging (which entries
//! of two files are the same) and by `config` (how they print): container
//! paths cleaned as Go's `path.Clean` does, published ports with ranges
//! expanded.

use super::syntax;
use super::value::{Spanned, Value};

/// Cleans a container path as Go's `path.Clean` does: no trailing or doubled
/// `/`, no `.`, `..` resolved.
pub fn clean_container_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
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

/// The ports a `ports` entry publishes, short-syntax ranges expanded one by one.
pub fn port_entries(v: &Spanned<Value>) -> Vec<PortEntry> {
    let text = match &v.value {
        Value::Int(n) => n.to_string(),
        Value::Str(s) => s.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_paths_are_cleaned() {
        assert_eq!(clean_container_path("/data/"), "/data");
        assert_eq!(clean_container_path("/a//b/./c/../d"), "/a/b/d");
        assert_eq!(clean_container_path("/.."), "/");
        assert_eq!(clean_container_path("rel/../.."), "..");
    }
}
