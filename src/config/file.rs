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
    let mut options = serde_saphyr::options::Options::default();
    options.with_snippet = false;
    let raw: RawConfig = if text.trim().is_empty() || only_comments(text) {
        RawConfig::default()
    } else {
        serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let message = serde_saphyr::DefaultMessageFormatter
                .format_message(&e)
                .into_owned();
            let span = e.location().map(|l| span_of(&l)).unwrap_or_default();
            vec![Problem::at(span, message)]
        })?
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut problems = Vec::new();
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
