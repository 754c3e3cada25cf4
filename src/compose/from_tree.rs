//! Converts a YAML tree into Compose [`Value`]s, field by field, following the
//! schema table. Every problem becomes a diagnostic with a span; the rest of the
//! file is still converted (a bad field is left out, its siblings are kept).

use super::interpolate::{interpolate, Environment, Resolution, VarUse};
use super::schema::{Field, Ty};
use super::syntax::{self, Plain};
use super::value::{Duration, Map, MapItem, MergeTag, Spanned, Text, Value, Via};
use crate::diagnostic::{codes, Diagnostic};
use crate::source::{FileId, Span};
use crate::yaml::{NodeId, NodeKind, Resolver, ScalarStyle, YamlVia};

/// A scalar after interpolation and plain-scalar resolution.
enum Sc {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Text),
}

impl Sc {
    fn describe(&self) -> &'static str {
        match self {
            Sc::Null => "null",
            Sc::Bool(_) => "a boolean",
            Sc::Int(_) => "an integer",
            Sc::Float(_) => "a number",
            Sc::Str(_) => "a string",
        }
    }

    fn into_value(self) -> Value {
        match self {
            Sc::Null => Value::Null,
            Sc::Bool(b) => Value::Bool(b),
            Sc::Int(i) => Value::Int(i),
            Sc::Float(f) => Value::Float(f),
            Sc::Str(s) => Value::Str(s),
        }
    }
}

/// Walks one file's tree.
pub struct Converter<'a> {
    r: &'a Resolver<'a>,
    file: FileId,
    text: &'a str,
    env: &'a Environment,
    path: Vec<Text>,
    depth: usize,
    too_deep: bool,
    diagnostics: Vec<Diagnostic>,
    /// Uses of variables without a value, in file order of first use: one
    /// CM003 per variable.
    unset: Vec<(String, Vec<VarUse>)>,
    /// Variables the file declares required somewhere (`${VAR:?message}`):
    /// documented, so none of their uses is reported.
    required: Vec<String>,
    /// Literal defaults written in the file (`${VAR:-literal}`).
    defaults: Vec<LiteralDefault>,
}

/// A literal written as a variable's default: `${DB_PASSWORD:-changeme}`. It
/// is what the deployment runs with when nobody sets the variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralDefault {
    /// The variable.
    pub variable: Text,
    /// The key the value is written under (`POSTGRES_PASSWORD`), if any.
    pub key: Option<Text>,
    /// The file.
    pub file: FileId,
    /// Where the default is written.
    pub span: Span,
    /// The default.
    pub text: Text,
}

/// Values nested deeper than this (only reachable through chains of aliases) are
/// not converted.
pub const MAX_DEPTH: usize = 128;

impl<'a> Converter<'a> {
    /// A converter for the tree behind `r`, written in `file` with this `text`.
    pub fn new(r: &'a Resolver<'a>, file: FileId, text: &'a str, env: &'a Environment) -> Self {
        Converter {
            r,
            file,
            text,
            env,
            path: Vec::new(),
            depth: 0,
            too_deep: false,
            diagnostics: Vec::new(),
            unset: Vec::new(),
            required: Vec::new(),
            defaults: Vec::new(),
        }
    }

    /// The literal defaults of the file, each once; taken, not copied.
    pub fn take_defaults(&mut self) -> Vec<LiteralDefault> {
        let mut out = std::mem::take(&mut self.defaults);
        // converted in file order unless aliases took it back: sorting what
        // is sorted would only cost a buffer as large
        if !out.is_sorted_by_key(|d| (d.span.start, d.span.end)) {
            out.sort_by_key(|d| (d.span.start, d.span.end));
        }
        out.dedup_by_key(|d| d.span);
        out
    }

    /// The variables the file declares required (`${VAR:?message}`).
    pub fn required(&self) -> &[String] {
        &self.required
    }

    /// The diagnostics found so far; one CM003 per unset variable, at its
    /// first use, the others as labels.
    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        for (name, mut uses) in std::mem::take(&mut self.unset) {
            if self.required.contains(&name) {
                continue;
            }
            uses.sort_by_key(|u| (u.span.start, u.span.end));
            uses.dedup_by_key(|u| u.span);
            self.diagnostics.push(unset_variable(self.file, &uses));
        }
        self.diagnostics
    }

    fn span(&self, id: NodeId) -> Span {
        self.r.tree().node(id).span()
    }

    fn path_text(&self) -> String {
        let mut out = String::new();
        for part in &self.path {
            if part.starts_with('[') || out.is_empty() {
                out.push_str(part);
            } else {
                out.push('.');
                out.push_str(part);
            }
        }
        out
    }

    fn invalid(&mut self, span: Span, message: String) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(
            codes::INVALID_COMPOSE,
            self.file,
            span,
            message,
        ));
        // INVARIANT: just pushed.
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Converts a top-level document against `fields`.
    pub fn document(&mut self, root: NodeId, fields: &'static [Field]) -> Option<Map> {
        let mut via = Vec::new();
        let root = self.r.deref(root, &mut via)?;
        match &self.r.tree().node(root).kind {
            NodeKind::Mapping { .. } => Some(self.object(root, fields)),
            NodeKind::Scalar { value, .. } if value.is_empty() => None,
            _ => {
                let span = self.span(root);
                self.invalid(
                    span,
                    "a compose file must be a mapping at the top level".into(),
                )
                .help = Some("start with `services:` and one key per service".into());
                None
            }
        }
    }

    /// Converts the node `id` (already dereferenced) as `ty`.
    fn convert(&mut self, id: NodeId, ty: &'static Ty, via: Vec<Via>) -> Option<Spanned<Value>> {
        if !self.enter(id) {
            return None;
        }
        let v = self.convert_inner(id, ty, via);
        self.depth -= 1;
        v
    }

    /// Counts one level of nesting; `false` (reported once) past [`MAX_DEPTH`].
    fn enter(&mut self, id: NodeId) -> bool {
        if self.depth >= MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                let span = self.span(id);
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::YAML_SYNTAX,
                        self.file,
                        span,
                        format!("values nest deeper than {MAX_DEPTH} levels"),
                    )
                    .with_help("the values below this point were not checked"),
                );
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn convert_inner(
        &mut self,
        id: NodeId,
        ty: &'static Ty,
        via: Vec<Via>,
    ) -> Option<Spanned<Value>> {
        let node = self.r.tree().node(id);
        let span = node.span();
        let file = self.file;
        let wrap = move |value: Value, via: Vec<Via>| Spanned {
            value,
            file,
            span,
            via: via.into(),
        };
        match ty {
            Ty::Nullable(inner) => {
                if self.is_null(id) {
                    return Some(wrap(Value::Null, via));
                }
                self.convert(id, inner, via)
            }
            Ty::Alt(alt) => {
                let chosen = match &node.kind {
                    NodeKind::Scalar { .. } => alt.scalar,
                    NodeKind::Sequence { .. } => alt.seq,
                    NodeKind::Mapping { .. } => alt.map,
                    NodeKind::Alias { .. } => return None,
                };
                match chosen {
                    Some(t) => self.convert(id, t, via),
                    None => {
                        let msg = format!("`{}` must be {}", self.path_text(), alt.expected);
                        self.invalid(span, msg);
                        None
                    }
                }
            }
            Ty::List(inner) => {
                if !matches!(node.kind, NodeKind::Sequence { .. }) {
                    let msg = format!("`{}` must be a list", self.path_text());
                    self.invalid(span, msg);
                    return None;
                }
                let listed = self.r.items(id);
                let mut items = Vec::with_capacity(listed.len());
                for (index, (item, item_via)) in listed.into_iter().enumerate() {
                    self.path.push(compact_str::format_compact!("[{index}]"));
                    let v = self.convert(item, inner, yaml_via(item_via));
                    self.path.pop();
                    items.extend(v);
                }
                Some(wrap(Value::List(items), via))
            }
            Ty::Dict(inner) | Ty::Named(_, inner) => {
                if !matches!(node.kind, NodeKind::Mapping { .. }) {
                    let msg = format!("`{}` must be a mapping", self.path_text());
                    self.invalid(span, msg);
                    return None;
                }
                let entries = self.r.entries(id);
                let mut map = Map {
                    items: Vec::with_capacity(entries.len()),
                };
                for e in entries {
                    let Some(key) = self.key(e.key) else { continue };
                    if let Ty::Named(kind, _) = ty {
                        if !super::schema::is_valid_name(&key.value) {
                            let msg = format!("{kind} name `{}` is not valid", key.value);
                            self.invalid(key.span, msg).help = Some(
                                "names may only use letters a-z and A-Z, digits, `.`, `_` and `-`"
                                    .into(),
                            );
                        }
                    }
                    map.items.extend(self.entry(key, e.value, inner, e.via));
                }
                Some(wrap(Value::Map(map), via))
            }
            Ty::Object(fields) => {
                if !matches!(node.kind, NodeKind::Mapping { .. }) {
                    let msg = format!("`{}` must be a mapping", self.path_text());
                    self.invalid(span, msg);
                    return None;
                }
                Some(wrap(Value::Map(self.object(id, fields)), via))
            }
            Ty::Any => Some(self.any(id, via)),
            _ => self.scalar_field(id, ty, via),
        }
    }

    fn object(&mut self, id: NodeId, fields: &'static [Field]) -> Map {
        let mut entries = self.r.entries(id);
        let mut map = Map {
            items: Vec::with_capacity(entries.len()),
        };
        for i in 0..entries.len() {
            let e = &entries[i];
            let Some(key) = self.key(e.key) else { continue };
            let field_ty = if key.value.starts_with("x-") {
                Some(&Ty::Any)
            } else {
                fields.iter().find(|f| f.name == key.value).map(|f| &f.ty)
            };
            let Some(ty) = field_ty else {
                let tree = self.r.tree();
                let present: Vec<String> = entries
                    .iter()
                    .filter_map(|x| match &tree.node(x.key).kind {
                        NodeKind::Scalar { value, .. } => Some(value.to_string()),
                        _ => None,
                    })
                    .collect();
                self.unknown_key(&key, fields, &e.via, &present);
                continue;
            };
            let (value, via) = (e.value, std::mem::take(&mut entries[i].via));
            map.items.extend(self.entry(key, value, ty, via));
        }
        map
    }

    /// Converts the value of one mapping entry, reading its `!reset`/`!override`
    /// tag. A reset value is not converted: Compose drops it before validation.
    fn entry(
        &mut self,
        key: Spanned<Text>,
        value: NodeId,
        ty: &'static Ty,
        via: Vec<YamlVia>,
    ) -> Option<MapItem> {
        let tag = match self.r.tree().node(value).tag() {
            Some("!reset") => Some(MergeTag::Reset),
            Some("!override") => Some(MergeTag::Override),
            _ => None,
        };
        if tag == Some(MergeTag::Reset) {
            let span = self.span(value);
            return Some(MapItem {
                key,
                value: Spanned::new(Value::Null, self.file, span),
                tag,
            });
        }
        self.path.push(key.value.clone());
        let v = self.convert(value, ty, yaml_via(via));
        self.path.pop();
        Some(MapItem {
            key,
            value: v?,
            tag,
        })
    }

    /// `present` are the keys of the mapping holding `key`.
    fn unknown_key(
        &mut self,
        key: &Spanned<Text>,
        fields: &'static [Field],
        via: &[YamlVia],
        present: &[String],
    ) {
        let place = if self.path.is_empty() {
            "at the top level".to_string()
        } else {
            format!("in `{}`", self.path_text())
        };
        let suggestion = closest(&key.value, fields.iter().map(|f| f.name));
        // the fix renames only to the one key nearest to it
        let nearest = |s: &str| {
            let d = levenshtein(&key.value, s);
            fields
                .iter()
                .filter(|f| levenshtein(&key.value, f.name) <= d)
                .count()
                == 1
        };
        let file = self.file;
        // a misspelt key written plainly becomes the one it was meant to be,
        // unless the mapping has that one too; Compose refuses the file as
        // it is, so nothing that runs changes
        let fix = suggestion
            .filter(|s| {
                nearest(s)
                    && via.is_empty()
                    && !present.iter().any(|p| p == s)
                    && self.text.get(key.span.start..key.span.end) == Some(key.value.as_str())
            })
            .map(|s| {
                crate::fix::Fix::safe(
                    format!("rename `{}` to `{s}`", key.value),
                    vec![crate::fix::Edit::replace(file, key.span, s)],
                )
            });
        let d = self.invalid(key.span, format!("unknown key `{}` {place}", key.value));
        d.fix = fix.map(Box::new);
        d.primary_label = Some("not a Compose key".into());
        d.help = Some(match suggestion {
            Some(s) => format!("did you mean `{s}`?").into(),
            None => "remove it, or prefix it with `x-` to keep it as an extension".into(),
        });
        if let Some(YamlVia::Merge { key: site, .. }) = via.first() {
            d.labels.push(crate::diagnostic::Label {
                file,
                span: *site,
                message: "merged in here".into(),
            });
        }
    }

    /// A mapping key as a string (keys are never interpolated).
    fn key(&mut self, id: NodeId) -> Option<Spanned<Text>> {
        let node = self.r.tree().node(id);
        match &node.kind {
            NodeKind::Scalar { value, .. } => {
                Some(Spanned::new(Text::from(&**value), self.file, node.span()))
            }
            _ => {
                let msg = format!("a key in `{}` must be a string", self.path_text());
                self.invalid(node.span(), msg);
                None
            }
        }
    }

    fn is_null(&self, id: NodeId) -> bool {
        match &self.r.tree().node(id).kind {
            NodeKind::Scalar { value, style } => {
                *style == ScalarStyle::Plain && matches!(syntax::resolve_plain(value), Plain::Null)
            }
            _ => false,
        }
    }

    /// Converts any node without schema (extensions, driver options).
    fn any(&mut self, id: NodeId, via: Vec<Via>) -> Spanned<Value> {
        if !self.enter(id) {
            return Spanned::new(Value::Null, self.file, self.span(id));
        }
        let v = self.any_inner(id, via);
        self.depth -= 1;
        v
    }

    fn any_inner(&mut self, id: NodeId, via: Vec<Via>) -> Spanned<Value> {
        let node = self.r.tree().node(id);
        let span = node.span();
        let value = match &node.kind {
            NodeKind::Scalar { .. } => {
                let (sc, vars) = self.scalar(id);
                return Spanned {
                    value: sc.into_value(),
                    file: self.file,
                    span,
                    via: with_vars(via, vars).into(),
                };
            }
            NodeKind::Sequence { .. } => Value::List(
                self.r
                    .items(id)
                    .into_iter()
                    .map(|(i, v)| self.any(i, yaml_via(v)))
                    .collect(),
            ),
            NodeKind::Mapping { .. } => {
                let entries = self.r.entries(id);
                let mut map = Map {
                    items: Vec::with_capacity(entries.len()),
                };
                for e in entries {
                    if let Some(key) = self.key(e.key) {
                        let value = self.any(e.value, yaml_via(e.via));
                        map.items.push(MapItem::new(key, value));
                    }
                }
                Value::Map(map)
            }
            NodeKind::Alias { .. } => Value::Null,
        };
        Spanned {
            value,
            file: self.file,
            span,
            via: via.into(),
        }
    }

    /// Interpolates and resolves a scalar node.
    fn scalar(&mut self, id: NodeId) -> (Sc, Vec<VarUse>) {
        let node = self.r.tree().node(id);
        let NodeKind::Scalar { value, style } = &node.kind else {
            return (Sc::Null, Vec::new());
        };
        let span = node.span();
        if value.contains('$') {
            let result = interpolate(value, self.env);
            let offset = self.value_offset(span, value, *style);
            let raw = self.text.get(span.start..span.end).unwrap_or("");
            let to_file = |s: Span| match offset {
                Some(o) => s.shifted(o),
                None => crate::source::locate(raw, value, s.start..s.end).map_or(span, |at| {
                    Span::new(span.start + at.start, span.start + at.end)
                }),
            };
            if let Some((at, message)) = &result.error {
                let msg = format!("invalid interpolation in `{}`: {message}", self.path_text());
                self.invalid(to_file(*at), msg).help = Some("write `$$` for a literal `$`".into());
            }
            let uses: Vec<VarUse> = result
                .uses
                .into_iter()
                .map(|u| VarUse {
                    span: to_file(u.span),
                    ..u
                })
                .collect();
            let key = match self.path.last() {
                Some(k) if !k.starts_with('[') => Some(k.clone()),
                _ => value
                    .split_once('=')
                    .filter(|(k, _)| !k.contains('$'))
                    .map(|(k, _)| Text::from(k)),
            };
            for (variable, range) in super::interpolate::literal_defaults(value) {
                let span = to_file(Span::new(range.start, range.end));
                self.defaults.push(LiteralDefault {
                    variable: variable.into(),
                    key: key.clone(),
                    file: self.file,
                    span,
                    text: Text::from(&value[range]),
                });
            }
            for u in &uses {
                self.report_unset(u);
            }
            return (Sc::Str(Text::from(result.value)), uses);
        }
        let sc = if *style == ScalarStyle::Plain && node.tag().is_none() {
            match syntax::resolve_plain(value) {
                Plain::Null => Sc::Null,
                Plain::Bool(b) => Sc::Bool(b),
                Plain::Int(i) => Sc::Int(i),
                Plain::Float(f) => Sc::Float(f),
                Plain::Str => Sc::Str(Text::from(&**value)),
            }
        } else {
            Sc::Str(Text::from(&**value))
        };
        (sc, Vec::new())
    }

    /// Where the processed value's first byte sits in the file, when the value is
    /// the written text itself (plain, or quoted without escapes); `None` otherwise.
    fn value_offset(&self, span: Span, value: &str, style: ScalarStyle) -> Option<usize> {
        let raw = self.text.get(span.start..span.end)?;
        match style {
            ScalarStyle::Plain if raw == value => Some(span.start),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
                if raw.len() >= 2 && &raw[1..raw.len() - 1] == value =>
            {
                Some(span.start + 1)
            }
            _ => None,
        }
    }

    /// Records a use of a variable with no value and no default. A
    /// `${VAR:?message}` declares that the deployment sets the variable,
    /// which is all a reader needs to know: no use of it in the file is
    /// reported.
    fn report_unset(&mut self, u: &VarUse) {
        if let Resolution::Required { .. } = u.resolution {
            if !self.required.contains(&u.name) {
                self.required.push(u.name.clone());
            }
        }
        if u.resolution != Resolution::Unset {
            return;
        }
        match self.unset.iter_mut().find(|(name, _)| *name == u.name) {
            Some((_, uses)) => uses.push(u.clone()),
            None => self.unset.push((u.name.clone(), vec![u.clone()])),
        }
    }

    fn scalar_field(
        &mut self,
        id: NodeId,
        ty: &'static Ty,
        via: Vec<Via>,
    ) -> Option<Spanned<Value>> {
        let node = self.r.tree().node(id);
        let span = node.span();
        if !matches!(node.kind, NodeKind::Scalar { .. }) {
            let msg = format!("`{}` must be {}", self.path_text(), expected(ty));
            self.invalid(span, msg);
            return None;
        }
        let text = self.text;
        let raw = text.get(span.start..span.end).unwrap_or("");
        let (sc, vars) = self.scalar(id);
        // A typed value built from a variable lint time cannot know is not
        // type-checked: the deployment sets it (see `Value::Unknown`).
        if vars.iter().any(VarUse::is_unknown) && !matches!(ty, Ty::Str | Ty::Scalar) {
            if let Sc::Str(text) = sc {
                return Some(Spanned {
                    value: Value::Unknown(text),
                    file: self.file,
                    span,
                    via: with_vars(via, vars).into(),
                });
            }
        }
        let converted: Result<Value, String> = match (ty, sc) {
            (Ty::Scalar, sc) => Ok(sc.into_value()),
            (Ty::Str, Sc::Str(s)) => Ok(Value::Str(s)),
            (Ty::StrEnum(allowed), Sc::Str(s)) => {
                if allowed.contains(&s.as_str()) {
                    Ok(Value::Str(s))
                } else {
                    Err(format!(
                        "`{}` must be one of {}, not `{s}`",
                        self.path_text(),
                        allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
            (Ty::Bool | Ty::BoolStrict, Sc::Bool(b)) => Ok(Value::Bool(b)),
            (Ty::Bool, Sc::Str(s)) => syntax::parse_bool(&s)
                .map(Value::Bool)
                .ok_or_else(|| format!("`{}` must be a boolean, not `{s}`", self.path_text())),
            (Ty::Int | Ty::IntStrict | Ty::DeviceCount, Sc::Int(i)) => Ok(Value::Int(i)),
            (Ty::DeviceCount, Sc::Str(s)) if s == "all" => Ok(Value::Str(s)),
            (Ty::Int | Ty::DeviceCount, Sc::Str(s)) => s
                .trim()
                .parse::<i64>()
                .map(Value::Int)
                .map_err(|_| format!("`{}` must be an integer, not `{s}`", self.path_text())),
            (Ty::Number | Ty::NumberStrict, Sc::Int(i)) => Ok(Value::Int(i)),
            (Ty::Number | Ty::NumberStrict, Sc::Float(f)) => Ok(Value::Float(f)),
            (Ty::Number, Sc::Str(s)) => match s.trim().parse::<i64>() {
                Ok(i) => Ok(Value::Int(i)),
                Err(_) => s
                    .trim()
                    .parse::<f64>()
                    .map(Value::Float)
                    .map_err(|_| format!("`{}` must be a number, not `{s}`", self.path_text())),
            },
            (Ty::Bytes, Sc::Int(i)) if i >= 0 => Ok(Value::Bytes(
                i as u64,
                compact_str::ToCompactString::to_compact_string(&i),
            )),
            // `-1` means unlimited (`memswap_limit: -1`).
            (Ty::Bytes, Sc::Int(i)) => Ok(Value::Int(i)),
            (Ty::Bytes, Sc::Float(f)) if f >= 0.0 => Ok(Value::Bytes(f as u64, Text::from(raw))),
            (Ty::Bytes | Ty::BytesStr, Sc::Str(s)) => syntax::parse_bytes(&s)
                .map(|b| Value::Bytes(b, s.clone()))
                .map_err(|e| format!("`{}` is not a valid byte size: {e}", self.path_text())),
            (Ty::Duration, Sc::Str(s)) => syntax::parse_duration(&s)
                .map(|nanos| {
                    Value::Duration(Box::new(Duration {
                        text: s.clone(),
                        nanos,
                    }))
                })
                .map_err(|e| format!("`{}` is not a valid duration: {e}", self.path_text())),
            (Ty::PortShort, Sc::Int(i)) if (0..=65535).contains(&i) => Ok(Value::Int(i)),
            (Ty::PortShort, Sc::Str(s)) => syntax::parse_port(&s)
                .map(|_| Value::Str(s.clone()))
                .map_err(|e| format!("`{}` is not a valid port: {e}", self.path_text())),
            (Ty::VolumeShort, Sc::Str(s)) => syntax::parse_volume(&s)
                .map(|_| Value::Str(s.clone()))
                .map_err(|e| format!("`{}` is not a valid volume: {e}", self.path_text())),
            (ty, sc) => {
                let found = sc.describe();
                let d = self.invalid(
                    span,
                    format!("`{}` must be {}", self.path_text(), expected(ty)),
                );
                d.primary_label = Some(format!("YAML reads this as {found}").into());
                if matches!(ty, Ty::Str | Ty::Duration | Ty::BytesStr | Ty::StrEnum(_))
                    && !matches!(sc, Sc::Null)
                {
                    d.help = Some(format!("quote it: `\"{raw}\"`").into());
                }
                return None;
            }
        };
        match converted {
            Ok(value) => Some(Spanned {
                value,
                file: self.file,
                span,
                via: with_vars(via, vars).into(),
            }),
            Err(message) => {
                self.invalid(span, message);
                None
            }
        }
    }
}

/// The CM003 for one variable of `file` and all its uses (sorted, at least
/// one): at the first use, naming how many more there are.
fn unset_variable(file: FileId, uses: &[VarUse]) -> Diagnostic {
    let first = &uses[0];
    let name = &first.name;
    let mut message = format!("variable `{name}` is not set; Compose substitutes an empty string");
    let more = uses.len() - 1;
    if more > 0 {
        message.push_str(&format!(
            " (and {more} more use{} in this file)",
            if more == 1 { "" } else { "s" }
        ));
    }
    let mut d = Diagnostic::new(codes::UNSET_VARIABLE, file, first.span, message)
        .with_primary_label("no value at lint time")
        .with_help(format!(
            "set `{name}` in the environment or `.env`, list it in `.env.example`, give a default \
             (`${{{name}:-value}}`), or mark it required (`${{{name}:?what it is}}`)"
        ));
    for u in &uses[1..] {
        d = d.with_label(file, u.span, "also used here");
    }
    d
}

fn expected(ty: &Ty) -> &'static str {
    match ty {
        Ty::Str | Ty::StrEnum(_) => "a string",
        Ty::Bool | Ty::BoolStrict => "a boolean",
        Ty::Int | Ty::IntStrict => "an integer",
        Ty::DeviceCount => "an integer or `all`",
        Ty::Number | Ty::NumberStrict => "a number",
        Ty::Bytes => "a byte size such as `512m`",
        Ty::BytesStr => "a byte size string such as `\"512m\"`",
        Ty::Duration => "a duration string such as `\"30s\"`",
        Ty::Scalar => "a string, number or boolean",
        Ty::PortShort => "a port",
        Ty::VolumeShort => "a volume string",
        Ty::List(_) => "a list",
        Ty::Dict(_) | Ty::Named(..) | Ty::Object(_) => "a mapping",
        Ty::Alt(a) => a.expected,
        Ty::Nullable(inner) => expected(inner),
        Ty::Any => "a value",
    }
}

fn yaml_via(v: Vec<YamlVia>) -> Vec<Via> {
    v.into_iter().map(Via::Yaml).collect()
}

fn with_vars(mut via: Vec<Via>, vars: Vec<VarUse>) -> Vec<Via> {
    via.extend(vars.into_iter().map(|u| Via::Variable(Box::new(u))));
    via
}

/// The candidate closest to `key` by edit distance (case and `-`/`_` ignored first).
pub fn closest<'c>(key: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let k = norm(key);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if norm(c) == k { 0 } else { levenshtein(&k, c) };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (key.chars().count() / 3).max(1);
    best.filter(|&(d, _)| d <= limit).map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggestions() {
        let keys = ["image", "healthcheck", "depends_on", "environment"];
        assert_eq!(closest("imag", keys.into_iter()), Some("image"));
        assert_eq!(
            closest("healthCheck", keys.into_iter()),
            Some("healthcheck")
        );
        assert_eq!(closest("depends-on", keys.into_iter()), Some("depends_on"));
        assert_eq!(closest("enviroment", keys.into_iter()), Some("environment"));
        assert_eq!(closest("zzz", keys.into_iter()), None);
    }
}
