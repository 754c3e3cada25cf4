//! Merging a later compose file (or document) onto earlier ones, with Compose's
//! rules: mappings merge, scalars and `command`/`entrypoint`/`healthcheck.test`
//! are replaced, key-value lists merge as mappings, some sequences are appended
//! without duplicates and mounts, ports, secrets and configs are unique by
//! target. `!reset` removes an earlier value, `!override` replaces it.
//!
//! Every replaced value records where the value it replaced was
//! ([`ProjectVia::Overrides`]); every mapping that received entries records the
//! mapping they came from ([`ProjectVia::MergedWith`]).

use super::syntax;
use super::value::{Map, MapItem, MergeTag, Origin, ProjectVia, Spanned, Value, Via};
use crate::source::Span;

/// Two values Compose cannot merge: a mapping or sequence overridden by a value
/// of another shape.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeConflict {
    /// Dotted path of the value, e.g. `services.web.x-extra`.
    pub path: String,
    /// The earlier value.
    pub base: Origin,
    /// The later value, which is kept.
    pub over: Origin,
}

/// How values at one path merge.
#[derive(Debug, Clone, Copy, PartialEq)]
enum How {
    /// Mappings merge, sequences append, anything else is replaced.
    Default,
    /// The later value replaces the earlier one.
    Replace,
    /// `KEY=VAL` lists and mappings, merged as mappings.
    KeyValue,
    /// Lists of names and mappings keyed by name (`depends_on`, `networks`).
    Names,
    /// Sequences appended, keeping one entry per key.
    Unique(Index),
    /// `logging`: replaced when the driver changes, else merged.
    Logging,
    /// `build`: the string form is `{context: …}`.
    Build,
    /// `ulimits.NAME`: a number replaces a mapping and the other way round.
    Ulimit,
}

/// What makes two sequence entries the same.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Index {
    /// The scalar text.
    Scalar,
    /// An `env_file` path.
    EnvFile,
    /// A port mapping (host IP, published, target, protocol).
    Port,
    /// A volume's container path.
    Volume,
    /// A device's container path.
    Device,
    /// A secret or config's target, with the default directory for short names.
    Mount(&'static str),
}

fn service_rule(rest: &[&str]) -> How {
    match rest {
        ["command"] | ["entrypoint"] | ["healthcheck", "test"] => How::Replace,
        ["environment"]
        | ["labels"]
        | ["annotations"]
        | ["sysctls"]
        | ["extra_hosts"]
        | ["build", "args"]
        | ["build", "labels"]
        | ["build", "additional_contexts"]
        | ["build", "extra_hosts"]
        | ["deploy", "labels"] => How::KeyValue,
        ["dns"]
        | ["dns_opt"]
        | ["dns_search"]
        | ["tmpfs"]
        | ["cap_add"]
        | ["cap_drop"]
        | ["expose"]
        | ["profiles"]
        | ["links"]
        | ["label_file"]
        | ["build", "tags"]
        | ["build", "platforms"]
        | ["networks", _, "aliases"]
        | ["networks", _, "link_local_ips"] => How::Unique(Index::Scalar),
        ["env_file"] => How::Unique(Index::EnvFile),
        ["ports"] => How::Unique(Index::Port),
        ["volumes"] => How::Unique(Index::Volume),
        ["devices"] => How::Unique(Index::Device),
        ["secrets"] => How::Unique(Index::Mount("/run/secrets/")),
        ["configs"] => How::Unique(Index::Mount("/")),
        ["depends_on"] | ["networks"] => How::Names,
        ["logging"] => How::Logging,
        ["build"] => How::Build,
        ["ulimits", _] => How::Ulimit,
        _ => How::Default,
    }
}

fn rule(path: &[String]) -> How {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p.as_slice() {
        ["services", _, rest @ ..] => service_rule(rest),
        ["networks", _, "labels"] | ["volumes", _, "labels"] => How::KeyValue,
        _ => How::Default,
    }
}

/// Merges the top-level mapping `over` onto `base`. Tags in `over` are applied
/// and do not survive in `base`.
pub fn merge_top(base: &mut Map, over: Map, conflicts: &mut Vec<MergeConflict>) {
    let mut path = Vec::new();
    merge_map(base, over, &mut path, conflicts);
}

/// Removes `!reset` entries and `!override` tags from a value that is not merged
/// onto anything (the first file, or an entry new to the project).
pub fn strip_tags(v: &mut Spanned<Value>) {
    match &mut v.value {
        Value::Map(m) => strip_map_tags(m),
        Value::List(items) => items.iter_mut().for_each(strip_tags),
        _ => {}
    }
}

fn strip_map_tags(m: &mut Map) {
    m.items.retain(|i| i.tag != Some(MergeTag::Reset));
    for item in &mut m.items {
        item.tag = None;
        strip_tags(&mut item.value);
    }
}

fn merge_map(base: &mut Map, over: Map, path: &mut Vec<String>, out: &mut Vec<MergeConflict>) {
    for MapItem { key, value, tag } in over.items {
        let existing = base.items.iter().position(|i| i.key.value == key.value);
        match (existing, tag) {
            (Some(i), Some(MergeTag::Reset)) => {
                base.items.remove(i);
            }
            (None, Some(MergeTag::Reset)) => {}
            (Some(i), Some(MergeTag::Override)) => {
                let mut value = value;
                strip_tags(&mut value);
                replace(&mut base.items[i].value, value);
                base.items[i].key = key;
            }
            (Some(i), None) => {
                path.push(key.value.to_string());
                merge_value(&mut base.items[i].value, value, path, out);
                path.pop();
            }
            (None, _) => {
                let mut value = value;
                strip_tags(&mut value);
                base.items.push(MapItem::new(key, value));
            }
        }
    }
}

/// Replaces `base` by `over`, remembering where `base` was.
fn replace(base: &mut Spanned<Value>, mut over: Spanned<Value>) {
    strip_tags(&mut over);
    over.via.push(Via::Project(ProjectVia::Overrides {
        replaced: base.origin(),
    }));
    *base = over;
}

fn merged_with(base: &mut Spanned<Value>, over: &Spanned<Value>) {
    base.via
        .push(Via::Project(ProjectVia::MergedWith { by: over.origin() }));
}

fn merge_value(
    base: &mut Spanned<Value>,
    over: Spanned<Value>,
    path: &mut Vec<String>,
    out: &mut Vec<MergeConflict>,
) {
    match rule(path) {
        How::Replace => replace(base, over),
        how @ (How::KeyValue | How::Names) => {
            let as_map = if how == How::KeyValue {
                key_value_map
            } else {
                names_map
            };
            if let (Some(b), Some(o)) = (as_map(base), as_map(&over)) {
                base.value = Value::Map(b);
                merged_with(base, &over);
                merge_map(base_map(base), o, path, out);
            } else {
                replace(base, over);
            }
        }
        How::Unique(index) => merge_unique(base, over, index),
        How::Logging => {
            let driver = |v: &Spanned<Value>| {
                v.value
                    .as_map()
                    .and_then(|m| m.get("driver"))
                    .and_then(|d| d.value.as_str().map(str::to_string))
            };
            match (driver(base), driver(&over)) {
                (Some(a), Some(b)) if a != b => replace(base, over),
                _ => merge_default(base, over, path, out),
            }
        }
        How::Build => {
            let as_map = |v: &Spanned<Value>| -> Spanned<Value> {
                match &v.value {
                    Value::Str(_) => v.map(|_| {
                        Value::Map(Map {
                            items: vec![MapItem::new(
                                Spanned::new("context".into(), v.file, v.span),
                                v.clone(),
                            )],
                        })
                    }),
                    _ => v.clone(),
                }
            };
            *base = as_map(base);
            merge_default(base, as_map(&over), path, out);
        }
        How::Ulimit => match (&base.value, &over.value) {
            (Value::Map(_), Value::Map(_)) => merge_default(base, over, path, out),
            _ => replace(base, over),
        },
        How::Default => merge_default(base, over, path, out),
    }
}

fn base_map(v: &mut Spanned<Value>) -> &mut Map {
    if !matches!(v.value, Value::Map(_)) {
        v.value = Value::Map(Map::default());
    }
    match &mut v.value {
        Value::Map(m) => m,
        // INVARIANT: set to a mapping just above.
        _ => unreachable!("value was just made a mapping"),
    }
}

fn merge_default(
    base: &mut Spanned<Value>,
    over: Spanned<Value>,
    path: &mut Vec<String>,
    out: &mut Vec<MergeConflict>,
) {
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) | (Value::List(_), Value::List(_)) => {}
        (Value::Map(_) | Value::List(_), _) => {
            out.push(MergeConflict {
                path: path.join("."),
                base: base.origin(),
                over: over.origin(),
            });
            return replace(base, over);
        }
        _ => return replace(base, over),
    }
    merged_with(base, &over);
    match (&mut base.value, over.value) {
        (Value::Map(b), Value::Map(o)) => merge_map(b, o, path, out),
        (Value::List(b), Value::List(o)) => b.extend(o.into_iter().map(|mut i| {
            strip_tags(&mut i);
            i
        })),
        _ => {}
    }
}

/// A mapping as is, or a list read as a mapping whose entries `entry` makes
/// from each item: (name, name span, value, value span). `None` for other shapes.
fn list_as_map(
    v: &Spanned<Value>,
    entry: impl Fn(&Spanned<Value>) -> Option<(String, Span, Value, Span)>,
) -> Option<Map> {
    match &v.value {
        Value::Map(m) => Some(m.clone()),
        Value::List(items) => Some(Map {
            items: items
                .iter()
                .filter_map(|item| {
                    let (name, name_span, value, value_span) = entry(item)?;
                    Some(MapItem::new(
                        Spanned::new(name.into(), item.file, name_span),
                        Spanned {
                            value,
                            file: item.file,
                            span: value_span,
                            via: item.via.clone(),
                        },
                    ))
                })
                .collect(),
        }),
        Value::Null => Some(Map::default()),
        _ => None,
    }
}

/// A `KEY=VAL` (or `HOST:IP`) list or a mapping as a mapping.
fn key_value_map(v: &Spanned<Value>) -> Option<Map> {
    list_as_map(v, |item| {
        let text = item.value.to_env_string()?;
        let cut = text.find('=').or_else(|| text.find(':'));
        let (name, value) = match cut {
            Some(at) => (&text[..at], Value::Str(text[at + 1..].into())),
            None => (text.as_str(), Value::Null),
        };
        let (name_span, value_span) = super::model::entry_spans(item, &text, name);
        Some((name.to_string(), name_span, value, value_span))
    })
}

/// A list of names or a mapping keyed by name as a mapping.
fn names_map(v: &Spanned<Value>) -> Option<Map> {
    list_as_map(v, |item| {
        let name = item.value.as_str()?;
        Some((name.to_string(), item.span, Value::Null, item.span))
    })
}

fn as_list(v: &Spanned<Value>) -> Vec<Spanned<Value>> {
    match &v.value {
        Value::List(items) => items.clone(),
        Value::Null => Vec::new(),
        _ => vec![v.clone()],
    }
}

fn merge_unique(base: &mut Spanned<Value>, over: Spanned<Value>, index: Index) {
    let mut items = as_list(base);
    let mut keys: Vec<Vec<String>> = items.iter().map(|i| keys_of(i, index)).collect();
    merged_with(base, &over);
    for mut item in as_list(&over) {
        strip_tags(&mut item);
        let k = keys_of(&item, index);
        if k.is_empty() {
            items.push(item);
            keys.push(k);
            continue;
        }
        if let Some(i) = keys.iter().position(|b| *b == k) {
            replace(&mut items[i], item);
        } else if k.iter().all(|one| keys.iter().flatten().any(|b| b == one)) {
            // Every port of a range is already published by earlier entries.
        } else {
            items.push(item);
            keys.push(k);
        }
    }
    base.value = Value::List(items);
}

/// The identity of a sequence entry; empty when it has none (never deduplicated).
fn keys_of(item: &Spanned<Value>, index: Index) -> Vec<String> {
    let map_str = |key: &str| {
        item.value
            .as_map()
            .and_then(|m| m.get(key))
            .and_then(|v| v.value.to_env_string())
    };
    let one = |s: Option<String>| s.into_iter().collect::<Vec<_>>();
    match index {
        Index::Scalar => one(item.value.to_env_string()),
        Index::EnvFile => one(item.value.to_env_string().or_else(|| map_str("path"))),
        Index::Volume => one(match &item.value {
            Value::Str(s) => syntax::parse_volume(s).ok().map(|v| v.target),
            _ => map_str("target"),
        }
        .map(|t| super::normalize::clean_container_path(&t))),
        Index::Device => one(match &item.value {
            Value::Str(s) => {
                let mut parts = s.split(':');
                let source = parts.next().map(str::to_string);
                parts.next().map(str::to_string).or(source)
            }
            _ => map_str("target").or_else(|| map_str("source")),
        }),
        Index::Mount(dir) => one(match &item.value {
            Value::Str(s) => Some(format!("{dir}{s}")),
            _ => match map_str("target") {
                Some(t) if t.starts_with('/') || t.contains(':') => Some(t),
                Some(t) => Some(format!("{dir}{t}")),
                None => map_str("source").map(|s| format!("{dir}{s}")),
            },
        }),
        Index::Port => super::normalize::port_entries(item)
            .into_iter()
            .map(|p| {
                format!(
                    "{}|{}|{}|{}",
                    p.host_ip.unwrap_or_default(),
                    p.published.unwrap_or_default(),
                    p.target,
                    p.protocol
                )
            })
            .collect(),
    }
}
