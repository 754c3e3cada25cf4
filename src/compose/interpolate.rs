//! Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
//! `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+r}`, `${VAR+r}`, nested defaults and `$$`.
//!
//! Every substitution is recorded ([`VarUse`]) with where the value came from, so a
//! diagnostic on an interpolated value can name the variable and its `.env` line.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::source::{FileId, Span};

/// Where a variable's value was defined.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum VarOrigin {
    /// The process environment.
    Process,
    /// The project name, which Compose sets as `COMPOSE_PROJECT_NAME` when
    /// nothing else does.
    ProjectName,
    /// A variable every login session sets (`HOME`, `USER`, …), absent from
    /// the environment seaworthy runs in: set where the project is deployed,
    /// value unknown.
    Session,
    /// A line of a template (`.env.example`) of an env file that is
    /// created at deploy time: the variable is set there, its value unknown.
    Template {
        /// The template.
        #[serde(skip)]
        file: FileId,
        /// 1-based line of the assignment.
        line: usize,
        /// Byte span of the name in that file.
        span: Span,
    },
    /// A line of an env file (`.env` or `--env-file`).
    EnvFile {
        /// The env file.
        #[serde(skip)]
        file: FileId,
        /// 1-based line of the assignment.
        line: usize,
        /// Byte span of the value in that file.
        span: Span,
    },
}

/// A variable's value and origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvValue {
    /// The value.
    pub value: String,
    /// Where it was defined.
    pub origin: VarOrigin,
}

impl EnvValue {
    /// Whether the value is known at lint time (not only documented by a
    /// template).
    pub fn is_known(&self) -> bool {
        !matches!(self.origin, VarOrigin::Template { .. } | VarOrigin::Session)
    }
}

/// The variables available to interpolation: process environment over env file.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    /// The process environment, shared by every clone: each project starts
    /// from it, and a run loads thousands of projects.
    process: Arc<BTreeMap<String, EnvValue>>,
    /// Variables set on top of it (they win over `process`).
    vars: BTreeMap<String, EnvValue>,
    /// Whether the login session's variables ([`SESSION_VARIABLES`]) the
    /// process lacks count as set, values unknown (see
    /// [`Environment::with_session`]): one flag, not an entry per variable in
    /// each of a run's thousands of projects.
    ///
    /// [`SESSION_VARIABLES`]: crate::knowledge::SESSION_VARIABLES
    session: bool,
}

/// What a login session's variable holds where no file sets it.
static SET_BY_SESSION: EnvValue = EnvValue {
    value: String::new(),
    origin: VarOrigin::Session,
};

impl Environment {
    /// An environment with no variables.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The current process's environment.
    pub fn from_process() -> Self {
        let mut env = Self::default();
        for (k, v) in std::env::vars_os() {
            if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                env.set(k, v, VarOrigin::Process);
            }
        }
        Environment {
            process: Arc::new(env.vars),
            vars: BTreeMap::new(),
            session: false,
        }
    }

    /// From now on, the login session's variables (`HOME`, `USER`, …) that
    /// are not set count as set with unknown values ([`VarOrigin::Session`]):
    /// they are set where the project is deployed. Like the process
    /// environment, they win over what env files read later set.
    pub fn with_session(&mut self) {
        self.session = true;
    }

    /// Whether `name` is a login session's variable that counts as set.
    fn session_sets(&self, name: &str) -> bool {
        self.session && crate::knowledge::SESSION_VARIABLES.contains(&name)
    }

    /// Sets `name`, replacing any previous value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, origin: VarOrigin) {
        self.vars.insert(
            name.into(),
            EnvValue {
                value: value.into(),
                origin,
            },
        );
    }

    /// Adds `name` only if it is not set yet (the process environment wins over files).
    pub fn set_default(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        origin: VarOrigin,
    ) {
        let name = name.into();
        if !self.process.contains_key(&name) && !self.session_sets(&name) {
            self.vars.entry(name).or_insert(EnvValue {
                value: value.into(),
                origin,
            });
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&EnvValue> {
        self.vars
            .get(name)
            .or_else(|| self.process.get(name))
            .or_else(|| self.session_sets(name).then_some(&SET_BY_SESSION))
    }
}

/// How a substitution got its text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Resolution {
    /// The variable's own value.
    Value {
        /// Where the variable was defined.
        origin: VarOrigin,
    },
    /// The default or replacement written in the expression.
    Default,
    /// Unset and no default: replaced by `""`.
    Unset,
    /// Set where it is deployed (a template documents it), value unknown:
    /// the text is what Compose gives without it, and rules do not judge it.
    Unknown {
        /// Where it is documented.
        origin: VarOrigin,
    },
    /// `${VAR:?msg}` / `${VAR?msg}` with the variable unset (or empty, for `:?`).
    Required {
        /// The message written after `?`.
        message: String,
    },
}

/// One variable reference and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VarUse {
    /// The variable name.
    pub name: String,
    /// Byte range of the whole expression (`$X` or `${…}`) within the input text.
    pub span: Span,
    /// How the value was obtained.
    pub resolution: Resolution,
}

impl VarUse {
    /// Whether lint time cannot know the value it gave: unset without a
    /// default, required and unset, or only documented by a template.
    pub fn is_unknown(&self) -> bool {
        matches!(
            self.resolution,
            Resolution::Unset | Resolution::Required { .. } | Resolution::Unknown { .. }
        )
    }
}

/// The result of interpolating one string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated {
    /// The text with every expression replaced and `$$` turned into `$`.
    pub value: String,
    /// Every variable consulted, in order (nested defaults included).
    pub uses: Vec<VarUse>,
    /// A malformed expression: its span within the input and a description.
    pub error: Option<(Span, String)>,
}

impl Interpolated {
    /// Whether any variable was substituted.
    pub fn is_interpolated(&self) -> bool {
        !self.uses.is_empty()
    }
}

/// The literal defaults written in `text` (`${NAME:-literal}`,
/// `${NAME-literal}`, nested ones included): the variable's name and the
/// default's byte range. A default holding a variable is not a literal.
pub fn literal_defaults(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    // one pass with a stack of open `${`, so deep nesting stays linear: each
    // entry holds the name and the default's start when it has a default,
    // and whether a `$` was seen inside it
    struct Open {
        default: Option<(usize, usize, usize)>,
        dollar: bool,
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' => {
                if let Some(top) = open.last_mut() {
                    top.dollar = true;
                }
                match bytes.get(i + 1) {
                    Some(b'$') => i += 2,
                    Some(b'{') => {
                        let start = i + 2;
                        let mut j = start;
                        while j < bytes.len() && is_name_char(bytes[j]) {
                            j += 1;
                        }
                        let op_len = match (bytes.get(j), bytes.get(j + 1)) {
                            (Some(b':'), Some(b'-')) => 2,
                            (Some(b'-'), _) => 1,
                            _ => 0,
                        };
                        let named = j > start && is_name_start(bytes[start]);
                        let default = (op_len > 0 && named).then_some((start, j, j + op_len));
                        open.push(Open {
                            default,
                            dollar: false,
                        });
                        i = default.map_or(start, |(_, _, from)| from);
                    }
                    _ => i += 1,
                }
            }
            b'}' => {
                if let Some(closed) = open.pop() {
                    if let Some((start, end, from)) = closed.default {
                        if !closed.dollar && from < i {
                            out.push((text[start..end].to_string(), from..i));
                        }
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.sort_by_key(|(_, range)| range.start);
    out
}

/// Whether `text` contains anything interpolation would change.
pub fn needs_interpolation(text: &str) -> bool {
    text.contains('$')
}

/// Interpolates `text` against `env`.
pub fn interpolate(text: &str, env: &Environment) -> Interpolated {
    let mut p = Interp {
        text,
        env,
        uses: Vec::new(),
        error: None,
        depth: 0,
    };
    let value = p.run(0, text.len());
    Interpolated {
        value,
        uses: p.uses,
        error: p.error,
    }
}

struct Interp<'a> {
    text: &'a str,
    env: &'a Environment,
    uses: Vec<VarUse>,
    error: Option<(Span, String)>,
    /// How many `run`s are under way: defaults nest inside defaults.
    depth: usize,
}

/// Defaults and replacements nest at most this deep (`${A:-${B:-…}}`).
pub const MAX_NESTING: usize = 32;

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Interp<'_> {
    /// Expands `text[start..end]`, unless it is nested too deep.
    fn run(&mut self, start: usize, end: usize) -> String {
        if self.depth > MAX_NESTING {
            self.fail(
                Span::new(start, end),
                &format!("interpolation nests deeper than {MAX_NESTING} levels"),
            );
            return String::new();
        }
        self.depth += 1;
        let value = self.expand(start, end);
        self.depth -= 1;
        value
    }

    fn expand(&mut self, start: usize, end: usize) -> String {
        let bytes = self.text.as_bytes();
        let mut out = String::with_capacity(end - start);
        let mut i = start;
        let mut lit = start;
        while i < end {
            if bytes[i] != b'$' {
                i += 1;
                continue;
            }
            out.push_str(&self.text[lit..i]);
            match bytes.get(i + 1).copied().filter(|_| i + 1 < end) {
                Some(b'$') => {
                    out.push('$');
                    i += 2;
                }
                Some(b'{') => {
                    let close = self.find_close(i + 2, end);
                    match close {
                        Some(c) => {
                            out.push_str(&self.braced(i, i + 2, c));
                            i = c + 1;
                        }
                        None => {
                            self.fail(Span::new(i, end), "unterminated `${` expression");
                            out.push_str(&self.text[i..end]);
                            i = end;
                        }
                    }
                }
                Some(b) if is_name_start(b) => {
                    let mut j = i + 1;
                    while j < end && is_name_char(bytes[j]) {
                        j += 1;
                    }
                    let name = &self.text[i + 1..j];
                    out.push_str(&self.lookup(name, Span::new(i, j)));
                    i = j;
                }
                _ => {
                    // A lone `$` (end of text or before a non-name character) stays literal.
                    out.push('$');
                    i += 1;
                }
            }
            lit = i;
        }
        out.push_str(&self.text[lit..i.min(end)]);
        out
    }

    /// Finds the `}` closing a `${` whose content starts at `from`, skipping nested `${…}`.
    fn find_close(&self, from: usize, end: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = from;
        while i < end {
            match bytes[i] {
                b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    depth += 1;
                    i += 1;
                }
                b'}' if depth == 0 => return Some(i),
                b'}' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    fn fail(&mut self, span: Span, message: &str) {
        if self.error.is_none() {
            self.error = Some((span, message.to_string()));
        }
    }

    fn lookup(&mut self, name: &str, span: Span) -> String {
        match self.env.get(name) {
            Some(v) if !v.is_known() => {
                self.uses.push(VarUse {
                    name: name.to_string(),
                    span,
                    resolution: Resolution::Unknown {
                        origin: v.origin.clone(),
                    },
                });
                String::new()
            }
            Some(v) => {
                self.uses.push(VarUse {
                    name: name.to_string(),
                    span,
                    resolution: Resolution::Value {
                        origin: v.origin.clone(),
                    },
                });
                v.value.clone()
            }
            None => {
                self.uses.push(VarUse {
                    name: name.to_string(),
                    span,
                    resolution: Resolution::Unset,
                });
                String::new()
            }
        }
    }

    /// Expands `${…}` whose `$` is at `dollar`, content `content..close`.
    fn braced(&mut self, dollar: usize, content: usize, close: usize) -> String {
        let bytes = self.text.as_bytes();
        let span = Span::new(dollar, close + 1);
        let mut j = content;
        while j < close && is_name_char(bytes[j]) {
            j += 1;
        }
        let name = &self.text[content..j];
        if name.is_empty() || !is_name_start(bytes[content]) {
            self.fail(span, "invalid variable name in `${…}`");
            return String::new();
        }
        if j == close {
            return self.lookup(name, span);
        }
        let (colon, op_at) = if bytes[j] == b':' {
            (true, j + 1)
        } else {
            (false, j)
        };
        let op = bytes.get(op_at).copied().filter(|_| op_at < close);
        let arg_start = op_at + 1;
        let documented = self.env.get(name).filter(|v| !v.is_known()).cloned();
        let var = self.env.get(name).filter(|v| v.is_known()).cloned();
        let set = var.is_some();
        let non_empty = var.as_ref().is_some_and(|v| !v.value.is_empty());
        let usable = if colon { non_empty } else { set };
        let value_use = |var: &Option<EnvValue>| Resolution::Value {
            origin: var
                .as_ref()
                .map_or(VarOrigin::Process, |v| v.origin.clone()),
        };
        // A variable only a template documents: the text is Compose's without
        // it (default, replacement or nothing), the use says "unknown".
        if let (Some(doc), Some(b'-' | b'+' | b'?')) = (&documented, op) {
            self.uses.push(VarUse {
                name: name.to_string(),
                span,
                resolution: Resolution::Unknown {
                    origin: doc.origin.clone(),
                },
            });
            return match op {
                Some(b'-') => self.run(arg_start, close),
                _ => String::new(),
            };
        }
        match op {
            Some(b'-') => {
                if usable {
                    self.uses.push(VarUse {
                        name: name.to_string(),
                        span,
                        resolution: value_use(&var),
                    });
                    var.map(|v| v.value).unwrap_or_default()
                } else {
                    self.uses.push(VarUse {
                        name: name.to_string(),
                        span,
                        resolution: Resolution::Default,
                    });
                    self.run(arg_start, close)
                }
            }
            Some(b'+') => {
                self.uses.push(VarUse {
                    name: name.to_string(),
                    span,
                    resolution: if usable {
                        Resolution::Default
                    } else {
                        value_use(&var)
                    },
                });
                if usable {
                    self.run(arg_start, close)
                } else {
                    String::new()
                }
            }
            Some(b'?') => {
                if usable {
                    self.uses.push(VarUse {
                        name: name.to_string(),
                        span,
                        resolution: value_use(&var),
                    });
                    var.map(|v| v.value).unwrap_or_default()
                } else {
                    let message = self.run(arg_start, close);
                    self.uses.push(VarUse {
                        name: name.to_string(),
                        span,
                        resolution: Resolution::Required { message },
                    });
                    String::new()
                }
            }
            _ => {
                self.fail(span, "invalid interpolation format: expected `:-`, `-`, `:?`, `?`, `:+` or `+` after the name");
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        let mut e = Environment::empty();
        e.set("SET", "v", VarOrigin::Process);
        e.set("EMPTY", "", VarOrigin::Process);
        e
    }

    fn i(s: &str) -> String {
        interpolate(s, &env()).value
    }

    #[test]
    fn every_form_follows_compose() {
        assert_eq!(i("$SET-${SET}"), "v-v");
        assert_eq!(i("${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}"), "d d  d");
        assert_eq!(i("${SET:+r} ${EMPTY:+r} ${EMPTY+r} ${UNSET+r}"), "r  r ");
        assert_eq!(i("${UNSET:-${ALSO:-${SET}}}"), "v");
        assert_eq!(i("$$SET $${SET} $"), "$SET ${SET} $");
        assert_eq!(i("a$1b"), "a$1b");
        assert_eq!(i("${SET?m} ${EMPTY?m}"), "v ");
    }

    #[test]
    fn session_variables_count_as_set_once_asked_for_and_files_read_first_win() {
        let mut e = Environment::empty();
        e.set_default(
            "USER",
            "from-dotenv",
            VarOrigin::EnvFile {
                file: FileId(0),
                line: 1,
                span: Span::point(0),
            },
        );
        assert!(e.get("HOME").is_none());
        e.with_session();
        let home = e.get("HOME").expect("a session sets HOME");
        assert_eq!((home.value.as_str(), home.is_known()), ("", false));
        assert_eq!(e.get("USER").unwrap().value, "from-dotenv");
        assert!(e.get("NOT_A_SESSION_VARIABLE").is_none());
        // an env file read later (an included project's) does not replace it
        e.set_default(
            "HOME",
            "/srv",
            VarOrigin::EnvFile {
                file: FileId(1),
                line: 1,
                span: Span::point(0),
            },
        );
        assert_eq!(e.get("HOME").unwrap().origin, VarOrigin::Session);
        // the process environment and explicit settings still win
        let mut p = Environment::from_process();
        p.with_session();
        if let Ok(path) = std::env::var("PATH") {
            assert_eq!(p.get("PATH").unwrap().value, path);
        }
        e.set("HOME", "/root", VarOrigin::Process);
        assert_eq!(e.get("HOME").unwrap().value, "/root");
    }

    #[test]
    fn required_and_unset_are_recorded() {
        let r = interpolate("${A:?need a}${B}", &env());
        assert_eq!(r.value, "");
        assert_eq!(
            r.uses[0].resolution,
            Resolution::Required {
                message: "need a".into()
            }
        );
        assert_eq!(r.uses[1].resolution, Resolution::Unset);
        assert_eq!(r.uses[1].span, Span::new(12, 16));
        let e = interpolate("${EMPTY:?x}", &env());
        assert!(matches!(e.uses[0].resolution, Resolution::Required { .. }));
    }

    #[test]
    fn literal_defaults_are_found_nested_ones_too() {
        let text = "x ${A:-one} ${B-two} ${C:-${D:-three}} ${E:?no} ${F:-$G} $${H:-not}";
        let found: Vec<(String, &str)> = literal_defaults(text)
            .into_iter()
            .map(|(n, r)| (n, &text[r]))
            .collect();
        assert_eq!(
            found,
            [
                ("A".to_string(), "one"),
                ("B".to_string(), "two"),
                ("D".to_string(), "three"),
            ]
        );
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let nested = |d: usize| format!("{}x{}", "${A:-".repeat(d), "}".repeat(d));
        let ok = interpolate(&nested(MAX_NESTING), &env());
        assert_eq!((ok.value.as_str(), ok.error), ("x", None));
        let deep = interpolate(&nested(100_000), &env());
        let (span, message) = deep.error.expect("too deep");
        assert!(message.contains("deeper than 32"), "{message}");
        assert_eq!(span.start, 5 * (MAX_NESTING + 1));
    }

    #[test]
    fn malformed_expressions_are_errors_not_panics() {
        for bad in ["${", "${1A}", "${A*b}", "${}", "${A:}", "${A:-${B}"] {
            let r = interpolate(bad, &env());
            assert!(r.error.is_some(), "{bad}");
        }
    }
}
