//! Reading one `.seaworthy.yaml`: serde-saphyr into spanned raw values, then
//! validation into a [`Config`], every problem with its span in the file.

use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Location, MessageFormatter, Spanned};

use super::{Config, Layer, Override, PathGlobs, Problem, ProjectSet};
use crate::diagnostic::Severity;
use crate::rules::options::NamePatterns;
use crate::rules::selection::{matching, UnknownSelector};
use crate::rules::Rule;
use crate::source::Span;

/// A mapping read in order, keys with their locations (serde-saphyr's
/// `Spanned` has no ordering, so it cannot key a map).
#[derive(Debug)]
struct SpannedMap<V>(Vec<(Spanned<String>, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = SpannedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(SpannedMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value()?));
                }
                Ok(SpannedMap(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawSeverity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawFailOn {
    Error,
    Warning,
    Info,
    Never,
}

// The top level, an override and the layer they share repeat the same rule
// keys on purpose: `#[serde(flatten)]` would lose every location (serde
// buffers flattened values) and the unknown-key check.
type Selectors = Vec<Spanned<String>>;
type RawOptions = SpannedMap<SpannedMap<Spanned<Vec<Spanned<String>>>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLayer {
    select: Option<Selectors>,
    #[serde(default)]
    extend_select: Selectors,
    #[serde(default)]
    ignore: Selectors,
    #[serde(default)]
    severity: SpannedMap<Spanned<RawSeverity>>,
    #[serde(default)]
    options: RawOptions,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Spanned<Vec<Spanned<String>>>,
    select: Option<Selectors>,
    #[serde(default)]
    extend_select: Selectors,
    #[serde(default)]
    ignore: Selectors,
    #[serde(default)]
    severity: SpannedMap<Spanned<RawSeverity>>,
    #[serde(default)]
    options: RawOptions,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Selectors>,
    #[serde(default)]
    extend_select: Selectors,
    #[serde(default)]
    ignore: Selectors,
    #[serde(default)]
    severity: SpannedMap<Spanned<RawSeverity>>,
    #[serde(default)]
    options: RawOptions,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    fail_on: Option<RawFailOn>,
    env_file: Option<Spanned<OneOrMany>>,
    profiles: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    projects: Vec<RawProject>,
    development: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    stacks: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProject {
    files: Spanned<Vec<Spanned<String>>>,
    env_file: Option<Spanned<OneOrMany>>,
    profiles: Option<Vec<String>>,
}

/// The byte span a serde-saphyr location covers (a point when it has no length).
fn span_of(loc: &Location) -> Span {
    let s = loc.span();
    let start = s.byte_offset().unwrap_or(0) as usize;
    let len = s.byte_len().unwrap_or(0) as usize;
    Span::new(start, start + len)
}

fn spanned<T>(s: &Spanned<T>) -> Span {
    span_of(&s.referenced)
}

/// Parses and validates the text of the configuration file at `path` (whose
/// directory anchors its globs and paths).
pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Problem>> {
    let mut problems = Vec::new();
    let raw: RawConfig = if text.trim().is_empty() || only_comments(text) {
        RawConfig::default()
    } else {
        match read_raw(text, &mut problems) {
            Some(raw) => raw,
            None => return Err(problems),
        }
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let base = layer(
        RawLayer {
            select: raw.select,
            extend_select: raw.extend_select,
            ignore: raw.ignore,
            severity: raw.severity,
            options: raw.options,
        },
        &mut problems,
    );
    let overrides = raw
        .overrides
        .into_iter()
        .map(|o| {
            if o.files.value.is_empty() {
                problems.push(Problem::at(
                    spanned(&o.files),
                    "`files` lists no pattern".into(),
                ));
            }
            let files = globs(&o.files.value, &mut problems);
            let layer = layer(
                RawLayer {
                    select: o.select,
                    extend_select: o.extend_select,
                    ignore: o.ignore,
                    severity: o.severity,
                    options: o.options,
                },
                &mut problems,
            );
            Override { files, layer }
        })
        .collect();
    let exclude = globs(&raw.exclude, &mut problems);
    let development = raw.development.as_ref().map(|d| globs(d, &mut problems));
    let stacks = globs(&raw.stacks, &mut problems);
    let fail_on = raw.fail_on.map(|f| match f {
        RawFailOn::Error => Some(Severity::Error),
        RawFailOn::Warning => Some(Severity::Warning),
        RawFailOn::Info => Some(Severity::Info),
        RawFailOn::Never => None,
    });
    let env_files = paths_of(raw.env_file, &dir);
    let projects = raw
        .projects
        .into_iter()
        .map(|p| project(p, &dir, &mut problems))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        path: path.to_path_buf(),
        dir,
        base,
        overrides,
        fail_on,
        env_files,
        profiles: raw.profiles,
        exclude,
        development,
        stacks,
        projects,
    })
}

/// Deserializes `text`, collecting every problem: each time the reader stops
/// at one (an unknown key, a value of the wrong kind), the mapping entry
/// holding it is blanked out (same length, lines kept, so later spans stay
/// true) and the text read again. `None` when it cannot be read at all.
fn read_raw(text: &str, problems: &mut Vec<Problem>) -> Option<RawConfig> {
    let mut text = text.to_string();
    // each round blanks one entry: never more rounds than entries
    for _ in 0..256 {
        let mut options = serde_saphyr::options::Options::default();
        options.with_snippet = false;
        let e = match serde_saphyr::from_str_with_options::<RawConfig>(&text, options) {
            Ok(raw) => return Some(raw),
            Err(e) => e,
        };
        let span = e.location().map(|l| span_of(&l)).unwrap_or_default();
        let message = serde_saphyr::DefaultMessageFormatter
            .format_message(&e)
            .into_owned();
        problems.push(plain_problem(span, &message));
        let mut entry = entry_around(&text, span.start)?;
        blank(&mut text, entry);
        // a mapping left without entries is blanked with its key, so that
        // `severity:` with nothing under it is not read as a wrong value
        while let Some(parent) = emptied_parent(&text, entry) {
            blank(&mut text, parent);
            entry = parent;
        }
    }
    None
}

/// What holds `blanked` (now spaces) and is left empty by it: the list
/// item (`- `) or the entry whose mapping it was the only entry of.
fn emptied_parent(text: &str, blanked: Span) -> Option<Span> {
    let before = text[..blanked.start].trim_end();
    // a list item with nothing left in it: its `-` marker
    if let Some(rest) = before.strip_suffix('-') {
        if rest.is_empty() || rest.ends_with(char::is_whitespace) {
            return Some(Span::new(rest.len(), blanked.end));
        }
    }
    // the key of the enclosing entry ends the text before it with `:`
    if !before.ends_with(':') {
        return None;
    }
    let after = &text[blanked.end..];
    let next = after.trim_start();
    // the next content is indented no deeper than the enclosing key
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let key_indent = text[line_start..].len() - text[line_start..].trim_start().len();
    let next_line = &after[..after.len() - next.len()];
    let next_indent = next_line.rsplit('\n').next().map_or(0, str::len);
    if !next.is_empty() && next_line.contains('\n') && next_indent > key_indent {
        return None;
    }
    let entry = entry_around(text, before.len() - 1)?;
    (entry.end <= blanked.start).then_some(Span::new(entry.start, blanked.end))
}

/// The items of an `expected one of a, b, c` list.
fn expected_list(rest: &str) -> Vec<&str> {
    rest.trim_start_matches(" one of ")
        .trim_start_matches(' ')
        .split(", ")
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect()
}

/// A reader's message in a user's words: `unknown key` with the closest
/// known one, a value that is not one of a set with the set spelt out.
fn plain_problem(span: Span, message: &str) -> Problem {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let field = field.trim_matches('`');
        let known = expected_list(expected);
        let mut p = Problem::at(span, format!("unknown key `{field}`"));
        p.help = Some(
            match crate::compose::from_tree::closest(field, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys here are {}", known.join(", ")),
            },
        );
        return p;
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
        let allowed = expected_list(expected);
        let list = match allowed.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, init)) => format!("{} or {last}", init.join(", ")),
            None => "one of the documented values".into(),
        };
        return Problem::at(span, format!("{value} is not allowed here: use {list}"));
    }
    let plain = match message {
        "expected mapping start" => "expected a mapping (`key: value` entries) here".to_string(),
        "expected sequence start" => "expected a list here".to_string(),
        m if m.starts_with("cannot deserialize null") => "a value is missing here".to_string(),
        m => m.to_string(),
    };
    Problem::at(span, plain)
}

/// The smallest mapping entry (key to the end of its value) holding
/// `offset`, in `text`; for an entry of a flow mapping, the comma after it
/// too.
fn entry_around(text: &str, offset: usize) -> Option<Span> {
    let tree = crate::yaml::Tree::parse(text);
    let mut best: Option<Span> = None;
    for node in &tree.nodes {
        let crate::yaml::NodeKind::Mapping { entries, flow } = &node.kind else {
            continue;
        };
        for e in entries {
            let start = tree.node(e.key).span().start;
            let mut end = tree
                .node(e.value)
                .span()
                .end
                .max(tree.node(e.key).span().end);
            if *flow {
                let after = text[end..].trim_start_matches([' ', '\t']);
                if after.starts_with(',') {
                    end = text.len() - after.len() + 1;
                }
            }
            let span = Span::new(start, end);
            if span.start <= offset
                && offset <= span.end
                && best.is_none_or(|b| span.len() < b.len())
            {
                best = Some(span);
            }
        }
    }
    best.filter(|b| !b.is_empty())
}

/// Overwrites `span` of `text` with spaces (one per byte, so offsets stay),
/// keeping line breaks.
fn blank(text: &mut String, span: Span) {
    let blanked: String = text[span.start..span.end]
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            _ => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(span.start..span.end, &blanked);
}

/// A path or a list of paths, relative to `dir`.
fn paths_of(value: Option<Spanned<OneOrMany>>, dir: &Path) -> Vec<std::path::PathBuf> {
    value
        .map(|e| {
            e.value
                .into_vec()
                .into_iter()
                .map(|f| dir.join(f))
                .collect()
        })
        .unwrap_or_default()
}

/// A `projects:` entry: its files must exist (relative to `dir`).
fn project(raw: RawProject, dir: &Path, problems: &mut Vec<Problem>) -> ProjectSet {
    if raw.files.value.is_empty() {
        problems.push(Problem::at(
            spanned(&raw.files),
            "`files` lists no compose file".into(),
        ));
    }
    let mut files = Vec::new();
    for f in &raw.files.value {
        let path = crate::compose::project::resolve_against(dir, &f.value);
        if !path.is_file() {
            let mut p = Problem::at(spanned(f), format!("`{}` is not a file", f.value));
            p.help = Some("paths are relative to the directory of this configuration file".into());
            problems.push(p);
        }
        files.push(path);
    }
    ProjectSet {
        files,
        env_files: paths_of(raw.env_file, dir),
        profiles: raw.profiles,
    }
}

/// Whether every line is blank or a comment (an empty YAML document).
fn only_comments(text: &str) -> bool {
    text.lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

fn selector_problem(s: &Spanned<String>, e: UnknownSelector) -> Problem {
    let mut p = Problem::at(spanned(s), format!("unknown rule `{}`", s.value));
    if let Some(suggestion) = e.suggestion {
        p.help = Some(format!("did you mean `{suggestion}`?"));
    }
    p
}

/// The rules `selectors` name; `enabling`: only those they turn on (a
/// prefix leaves opt-in rules off).
fn rules_of(
    selectors: &[Spanned<String>],
    enabling: bool,
    problems: &mut Vec<Problem>,
) -> Vec<&'static Rule> {
    let mut out = Vec::new();
    for s in selectors {
        let found = if enabling {
            crate::rules::selection::enabling(&s.value)
        } else {
            matching(&s.value)
        };
        match found {
            Ok(rules) => out.extend(rules),
            Err(e) => problems.push(selector_problem(s, e)),
        }
    }
    out
}

/// The one rule a `severity:` or `options:` key names (a code or a name;
/// prefixes name several rules and are refused there).
fn one_rule(key: &Spanned<String>, problems: &mut Vec<Problem>) -> Option<&'static Rule> {
    match crate::rules::find(key.value.trim()) {
        Some(r) => Some(r),
        None => {
            let p = match matching(&key.value) {
                Ok(_) => Problem::at(
                    spanned(key),
                    format!(
                        "`{}` names several rules; write one code or name",
                        key.value
                    ),
                ),
                Err(e) => selector_problem(key, e),
            };
            problems.push(p);
            None
        }
    }
}

fn layer(raw: RawLayer, problems: &mut Vec<Problem>) -> Layer {
    let mut layer = Layer {
        select: raw.select.as_deref().map(|s| rules_of(s, true, problems)),
        extend_select: rules_of(&raw.extend_select, true, problems),
        ignore: rules_of(&raw.ignore, false, problems),
        ..Layer::default()
    };
    for (key, sev) in raw.severity.0 {
        if let Some(rule) = one_rule(&key, problems) {
            let severity = match sev.value {
                RawSeverity::Error => Severity::Error,
                RawSeverity::Warning => Severity::Warning,
                RawSeverity::Info => Severity::Info,
            };
            layer.severity.push((rule.meta.code, severity));
        }
    }
    for (key, opts) in raw.options.0 {
        let Some(rule) = one_rule(&key, problems) else {
            continue;
        };
        for (name, values) in opts.0 {
            let Some(meta) = rule.meta.options.iter().find(|o| o.name == name.value) else {
                let known: Vec<&str> = rule.meta.options.iter().map(|o| o.name).collect();
                let mut p = Problem::at(
                    spanned(&name),
                    format!("rule `{}` has no option `{}`", rule.meta.code, name.value),
                );
                p.help = Some(if known.is_empty() {
                    format!("`{}` takes no options", rule.meta.code)
                } else {
                    format!("its options: {}", known.join(", "))
                });
                problems.push(p);
                continue;
            };
            let patterns: Vec<&str> = values.value.iter().map(|v| v.value.as_str()).collect();
            match NamePatterns::new(&patterns, meta.case_insensitive) {
                Ok(p) => layer.options.push((rule.meta.code, meta.name, p)),
                Err(e) => {
                    let at = values
                        .value
                        .iter()
                        .find(|v| v.value == e.pattern)
                        .map_or_else(|| spanned(&values), spanned);
                    problems.push(Problem::at(at, e.to_string()));
                }
            }
        }
    }
    layer
}

fn globs(patterns: &[Spanned<String>], problems: &mut Vec<Problem>) -> PathGlobs {
    let mut builder = PathGlobs::builder();
    for p in patterns {
        if let Err(reason) = builder.add(&p.value) {
            problems.push(Problem::at(
                spanned(p),
                format!("invalid glob `{}`: {reason}", p.value),
            ));
        }
    }
    builder.build()
}
