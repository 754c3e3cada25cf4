//! Spanned, typed Compose values with provenance.

use super::interpolate::VarUse;
use crate::source::{FileId, Span};
use crate::yaml::YamlVia;

/// How a value got where it is, beyond being written there.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Via {
    /// Through an alias or a merge key.
    Yaml(YamlVia),
    /// Through a variable substitution (span relative to the file); boxed,
    /// being twice the size of the other kinds.
    Variable(Box<VarUse>),
    /// Through the project: an override file, `extends` or `include`.
    Project(ProjectVia),
}

/// A place in some file of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// The span in it.
    pub span: Span,
}

/// How a value reached the merged project model from another file or service.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "via", rename_all = "kebab-case")]
pub enum ProjectVia {
    /// This value replaced one set earlier (in an earlier `-f` file, an earlier
    /// document, or the service it `extends`); `replaced` is where that was.
    Overrides {
        /// The replaced value.
        replaced: Origin,
    },
    /// A later file merged entries into this mapping; `by` is that mapping.
    MergedWith {
        /// The mapping merged in.
        by: Origin,
    },
    /// Inherited from the service named in `extends`; `at` is the `extends` value.
    Extends {
        /// The `extends` entry of the inheriting service.
        at: Origin,
    },
    /// Imported by a top-level `include` entry; `at` is that entry.
    Included {
        /// The `include` entry.
        at: Origin,
    },
}

/// A value with the file and byte span it was written at, and how it got there.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// File the value was written in.
    #[serde(skip)]
    pub file: FileId,
    /// Span of the value (for a mapping entry's value; keys have their own span).
    pub span: Span,
    /// Indirections: aliases, merge keys, variables.
    #[serde(skip_serializing_if = "Vias::is_empty")]
    pub via: Vias,
}

/// The indirections of a value ([`Via`]), in order. Most values have none,
/// so the list is one pointer (to a shared empty header when empty) and a
/// non-empty list is one allocation, length and items together: a large
/// project holds hundreds of thousands of values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vias(thin_vec::ThinVec<Via>);

impl Vias {
    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps only the indirections `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&Via) -> bool) {
        self.0.retain(|v| keep(v));
        if self.0.is_empty() {
            // give the allocation back
            self.0 = thin_vec::ThinVec::new();
        }
    }

    /// Appends one indirection.
    pub fn push(&mut self, via: Via) {
        self.0.push(via);
    }
}

impl std::ops::Deref for Vias {
    type Target = [Via];
    fn deref(&self) -> &[Via] {
        &self.0
    }
}

impl From<Vec<Via>> for Vias {
    fn from(vias: Vec<Via>) -> Self {
        Vias(thin_vec::ThinVec::from(vias))
    }
}

impl serde::Serialize for Vias {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<T> Spanned<T> {
    /// A value written directly at `span`.
    pub fn new(value: T, file: FileId, span: Span) -> Self {
        Spanned {
            value,
            file,
            span,
            via: Vias::default(),
        }
    }

    /// The same provenance around another value.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Spanned<U> {
        Spanned {
            value: f(&self.value),
            file: self.file,
            span: self.span,
            via: self.via.clone(),
        }
    }

    /// The merge key this value came through, if any: `(key span, source span)`.
    pub fn merged_from(&self) -> Option<(Span, Span)> {
        self.via.iter().find_map(|v| match v {
            Via::Yaml(YamlVia::Merge { key, source }) => Some((*key, *source)),
            _ => None,
        })
    }

    /// Where this value was written.
    pub fn origin(&self) -> Origin {
        Origin {
            file: self.file,
            span: self.span,
        }
    }

    /// The earlier values this one replaced, most recent first.
    pub fn replaced(&self) -> impl Iterator<Item = Origin> + '_ {
        self.via.iter().rev().filter_map(|v| match v {
            Via::Project(ProjectVia::Overrides { replaced }) => Some(*replaced),
            _ => None,
        })
    }

    /// Whether the value depends on a variable whose value lint time cannot
    /// know: one with no value and no default (Compose substitutes `""`), or
    /// one only a template documents (set where it is deployed).
    pub fn is_unknown(&self) -> bool {
        self.variables().any(VarUse::is_unknown)
    }

    /// The variables substituted into this value.
    pub fn variables(&self) -> impl Iterator<Item = &VarUse> {
        self.via.iter().filter_map(|v| match v {
            Via::Variable(u) => Some(&**u),
            _ => None,
        })
    }
}

pub use crate::source::Text;

/// A Go-style duration (`1m30s`): its text and length in nanoseconds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Duration {
    /// As written (after interpolation).
    pub text: Text,
    /// Length in nanoseconds (saturating).
    pub nanos: i128,
}

/// A Compose value after per-field conversion.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Value {
    /// Explicit null or an absent value.
    Null,
    /// A boolean (`true`, or `yes`/`on` where Compose accepts them).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(Text),
    /// A byte size (`512m`) in bytes, with the text it came from.
    Bytes(u64, Text),
    /// A duration.
    Duration(Box<Duration>),
    /// A sequence.
    List(Vec<Spanned<Value>>),
    /// A mapping, in source order with merge-key entries after explicit ones.
    Map(Map),
    /// A typed field (a boolean, number, byte size, duration, port, volume,
    /// one of a set of words) whose text comes from a variable lint time cannot
    /// know: unset without default, or set only where the project is deployed.
    /// It is not type-checked and no accessor reads it as its type; the text
    /// is what Compose would substitute without the variable.
    Unknown(Text),
}

/// One entry of a [`Map`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MapItem {
    /// The key, spanned at the key token.
    pub key: Spanned<Text>,
    /// The value.
    pub value: Spanned<Value>,
    /// A `!reset` or `!override` tag on the value: how it merges onto earlier files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<MergeTag>,
}

/// The YAML tags that change how a value merges onto earlier files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeTag {
    /// `!reset`: remove the earlier value.
    Reset,
    /// `!override`: replace the earlier value instead of merging.
    Override,
}

impl MapItem {
    /// An untagged entry.
    pub fn new(key: Spanned<Text>, value: Spanned<Value>) -> Self {
        MapItem {
            key,
            value,
            tag: None,
        }
    }
}

/// An ordered mapping with unique keys.
#[derive(Clone, Debug, PartialEq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Map {
    /// Entries in order.
    pub items: Vec<MapItem>,
}

impl Map {
    /// The entry for `key`.
    pub fn item(&self, key: &str) -> Option<&MapItem> {
        self.items.iter().find(|i| i.key.value == key)
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&Spanned<Value>> {
        self.item(key).map(|i| &i.value)
    }

    /// Follows a path of keys through nested mappings.
    pub fn path(&self, keys: &[&str]) -> Option<&Spanned<Value>> {
        let (first, rest) = keys.split_first()?;
        let v = self.get(first)?;
        if rest.is_empty() {
            return Some(v);
        }
        v.value.as_map()?.path(rest)
    }

    /// Whether the mapping has no entries.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl Value {
    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping, if this is one.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_list(&self) -> Option<&[Spanned<Value>]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number as `f64` (integers, floats, and byte sizes).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Bytes(b, _) => Some(*b as f64),
            _ => None,
        }
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as Compose prints a scalar in an environment or label map.
    pub fn to_env_string(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Str(s) => Some(s.to_string()),
            Value::Bytes(_, t) => Some(t.to_string()),
            Value::Duration(d) => Some(d.text.to_string()),
            Value::Unknown(t) => Some(t.to_string()),
            Value::List(_) | Value::Map(_) => None,
        }
    }
}

/// Formats a float the way Compose does for string fields: shortest form, no exponent.
pub fn format_float(f: f64) -> String {
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f.is_nan() {
        return "NaN".into();
    }
    format!("{f}")
}
