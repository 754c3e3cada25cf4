//! BuildKit's word processing: quotes, escapes and `$` substitution, with the
//! scoping of `ARG` and `ENV`. A value that depends on a variable we cannot
//! know (a build argument without default, the base image's environment) is
//! [`Expansion::Unknown`], never guessed.

use std::collections::HashMap;

use crate::source::Text;

use super::glob::glob_match;

/// What a variable is, as far as the linter can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Var {
    /// Set to this value.
    Known(String),
    /// Certainly not set (expands to nothing).
    Unset,
    /// Set or not at build time; we cannot tell.
    Unknown,
}

/// The result of processing a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expansion {
    /// The word's value.
    Known(String),
    /// It depends on a variable we cannot know.
    Unknown,
}

impl Expansion {
    /// The value, if known.
    pub fn known(&self) -> Option<&str> {
        match self {
            Expansion::Known(s) => Some(s),
            Expansion::Unknown => None,
        }
    }
}

/// Variables in scope: a lookup from name to [`Var`].
pub trait Scope {
    /// What `name` is here.
    fn get(&self, name: &str) -> Var;
}

impl<F: Fn(&str) -> Var> Scope for F {
    fn get(&self, name: &str) -> Var {
        self(name)
    }
}

/// Processes `word` as BuildKit does for `ENV`, `ARG`, `USER`, `FROM`…: removes
/// quotes, applies `escape` and substitutes variables from `scope`.
pub fn expand(word: &str, escape: char, scope: &dyn Scope) -> Expansion {
    if is_plain(word, escape) {
        return Expansion::Known(word.to_string());
    }
    let mut p = Processor {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        scope: Some(scope),
        unknown: false,
    };
    let out = p.word(&[]);
    if p.unknown {
        Expansion::Unknown
    } else {
        Expansion::Known(out)
    }
}

/// Removes quotes and escapes from `word` but leaves variables as written.
pub fn unquote(word: &str, escape: char) -> Text {
    if is_plain(word, escape) {
        return Text::from(word);
    }
    let mut p = Processor {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        scope: None,
        unknown: false,
    };
    Text::from(p.word(&[]))
}

/// Whether `word` has nothing to process (no quote, escape or `$`): it is
/// its own value, and most words are.
fn is_plain(word: &str, escape: char) -> bool {
    !word.contains(['\'', '"', '$', escape])
}

struct Processor<'s> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    /// `None`: keep `$…` verbatim.
    scope: Option<&'s dyn Scope>,
    unknown: bool,
}

impl Processor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += usize::from(c.is_some());
        c
    }

    /// Reads until one of `stop` (unquoted) or the end.
    fn word(&mut self, stop: &[char]) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if stop.contains(&c) {
                break;
            }
            self.pos += 1;
            match c {
                '\'' => {
                    while let Some(c) = self.next() {
                        if c == '\'' {
                            break;
                        }
                        out.push(c);
                    }
                }
                '"' => self.double_quoted(&mut out),
                '$' => self.dollar(&mut out),
                c if c == self.escape => {
                    if let Some(n) = self.next() {
                        out.push(n);
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    fn double_quoted(&mut self, out: &mut String) {
        while let Some(c) = self.next() {
            match c {
                '"' => return,
                '$' => self.dollar(out),
                c if c == self.escape => match self.peek() {
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        self.pos += 1;
                        out.push(n);
                    }
                    _ => out.push(c),
                },
                c => out.push(c),
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn dollar(&mut self, out: &mut String) {
        let start = self.pos - 1;
        let braced = self.peek() == Some('{');
        if braced {
            self.pos += 1;
        }
        let name = self.name();
        if name.is_empty() {
            if braced {
                // `${` without a name: BuildKit fails; keep the text.
                self.unknown |= self.scope.is_some();
            }
            out.push('$');
            if braced {
                out.push('{');
            }
            return;
        }
        let Some(scope) = self.scope else {
            // verbatim mode: copy the whole expression
            if braced {
                self.skip_braced();
            }
            out.extend(&self.chars[start..self.pos]);
            return;
        };
        let var = scope.get(&name);
        if !braced {
            self.push_var(out, &var);
            return;
        }
        let op: String = match self.peek() {
            Some('}') => {
                self.pos += 1;
                self.push_var(out, &var);
                return;
            }
            Some(':') => {
                self.pos += 1;
                match self.next() {
                    Some(c @ ('-' | '+' | '?')) => format!(":{c}"),
                    _ => {
                        self.unknown = true;
                        self.skip_braced();
                        return;
                    }
                }
            }
            Some(c @ ('-' | '+' | '?' | '#' | '%' | '/')) => {
                self.pos += 1;
                if matches!(c, '#' | '%' | '/') && self.peek() == Some(c) {
                    self.pos += 1;
                    format!("{c}{c}")
                } else {
                    c.to_string()
                }
            }
            _ => {
                self.unknown = true;
                self.skip_braced();
                return;
            }
        };
        let (arg, replacement) = if op.starts_with('/') {
            let pattern = self.word(&['/', '}']);
            let replacement = if self.peek() == Some('/') {
                self.pos += 1;
                self.word(&['}'])
            } else {
                String::new()
            };
            (pattern, replacement)
        } else {
            (self.word(&['}']), String::new())
        };
        self.pos += usize::from(self.peek() == Some('}'));
        let set = |v: &Var| matches!(v, Var::Known(_));
        let non_empty = |v: &Var| matches!(v, Var::Known(s) if !s.is_empty());
        let value = |v: &Var| match v {
            Var::Known(s) => s.clone(),
            _ => String::new(),
        };
        if var == Var::Unknown {
            self.unknown = true;
            return;
        }
        match op.as_str() {
            ":-" => out.push_str(&if non_empty(&var) { value(&var) } else { arg }),
            "-" => out.push_str(&if set(&var) { value(&var) } else { arg }),
            ":+" => out.push_str(if non_empty(&var) { &arg } else { "" }),
            "+" => out.push_str(if set(&var) { &arg } else { "" }),
            ":?" | "?" => {
                let ok = if op == ":?" {
                    non_empty(&var)
                } else {
                    set(&var)
                };
                if ok {
                    out.push_str(&value(&var));
                } else {
                    // the build fails here
                    self.unknown = true;
                }
            }
            "#" | "##" | "%" | "%%" | "/" | "//" if value(&var).len() > MAX_PATTERN_VALUE => {
                self.unknown = true;
            }
            "#" | "##" => out.push_str(trim(&value(&var), &arg, true, op == "##")),
            "%" | "%%" => out.push_str(trim(&value(&var), &arg, false, op == "%%")),
            _ => out.push_str(&replace(&value(&var), &arg, &replacement, op == "//")),
        }
    }

    fn push_var(&mut self, out: &mut String, var: &Var) {
        match var {
            Var::Known(s) => out.push_str(s),
            Var::Unset => {}
            Var::Unknown => self.unknown = true,
        }
    }

    fn skip_braced(&mut self) {
        let mut depth = 1;
        while let Some(c) = self.next() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

/// Pattern operators on values longer than this are not evaluated (unknown).
const MAX_PATTERN_VALUE: usize = 4096;

/// `${v#p}`/`${v##p}` (`prefix`) and `${v%p}`/`${v%%p}`: removes the shortest
/// (or `longest`) match of the glob `pattern` at the start or the end.
fn trim<'v>(value: &'v str, pattern: &str, prefix: bool, longest: bool) -> &'v str {
    let p: Vec<char> = pattern.chars().collect();
    let mut cuts: Vec<usize> = value
        .char_indices()
        .map(|(i, _)| i)
        .chain([value.len()])
        .collect();
    // try the shortest piece first unless asked for the longest
    if prefix == longest {
        cuts.reverse();
    }
    for cut in cuts {
        let (piece, rest) = if prefix {
            (&value[..cut], &value[cut..])
        } else {
            (&value[cut..], &value[..cut])
        };
        if glob_match(&p, &piece.chars().collect::<Vec<_>>()) {
            return rest;
        }
    }
    value
}

/// `${v/p/r}` (first match) and `${v//p/r}` (all): the longest match at the
/// leftmost position, as shells do.
fn replace(value: &str, pattern: &str, replacement: &str, all: bool) -> String {
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    if p.is_empty() {
        return value.to_string();
    }
    let mut out = String::new();
    let mut i = 0;
    let mut replaced = false;
    while i < v.len() {
        if !replaced || all {
            if let Some(len) = (1..=v.len() - i)
                .rev()
                .find(|&len| glob_match(&p, &v[i..i + len]))
            {
                out.push_str(replacement);
                i += len;
                replaced = true;
                continue;
            }
        }
        out.push(v[i]);
        i += 1;
    }
    out
}

/// Variables declared so far in one scope, newest last.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    entries: Vec<(String, Var)>,
    index: HashMap<String, usize>,
}

impl Vars {
    /// Sets `name`; a later set replaces an earlier one.
    pub fn set(&mut self, name: &str, var: Var) {
        match self.index.get(name) {
            Some(&i) => self.entries[i].1 = var,
            None => {
                self.index.insert(name.to_string(), self.entries.len());
                self.entries.push((name.to_string(), var));
            }
        }
    }

    /// The variable, if declared.
    pub fn lookup(&self, name: &str) -> Option<&Var> {
        self.index.get(name).map(|&i| &self.entries[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(name: &str) -> Var {
        match name {
            "A" => Var::Known("alpha".into()),
            "E" => Var::Known(String::new()),
            "P" => Var::Known("/usr/local/bin/app.tar.gz".into()),
            "U" => Var::Unknown,
            _ => Var::Unset,
        }
    }

    fn x(word: &str) -> Option<String> {
        expand(word, '\\', &scope).known().map(str::to_string)
    }

    #[test]
    fn every_buildkit_form() {
        assert_eq!(x("$A ${A}").as_deref(), Some("alpha alpha"));
        assert_eq!(x("${E:-d}|${E-d}|${N-d}").as_deref(), Some("d||d"));
        assert_eq!(x("${A:+r}|${E:+r}|${E+r}|${N+r}").as_deref(), Some("r||r|"));
        assert_eq!(x("${A:?m}").as_deref(), Some("alpha"));
        assert_eq!(x("${N:?m}"), None);
        assert_eq!(
            x("${P#*/}|${P##*/}").as_deref(),
            Some("usr/local/bin/app.tar.gz|app.tar.gz")
        );
        assert_eq!(
            x("${P%.*}|${P%%.*}").as_deref(),
            Some("/usr/local/bin/app.tar|/usr/local/bin/app")
        );
        assert_eq!(x("${A/a/A}|${A//a/A}").as_deref(), Some("Alpha|AlphA"));
        assert_eq!(x("${N:-${A:-x}}").as_deref(), Some("alpha"));
    }

    #[test]
    fn quotes_escapes_and_unknowns() {
        assert_eq!(
            x(r#""two words" '$A' \$A "a\"b""#).as_deref(),
            Some("two words $A $A a\"b")
        );
        assert_eq!(x("$U"), None);
        assert_eq!(x("${U:-x}"), None);
        assert_eq!(x("$N-suffix").as_deref(), Some("-suffix"));
        assert_eq!(expand("c:`$A", '`', &scope).known(), Some("c:$A"));
        assert_eq!(unquote("\"${A:-x}\" b", '\\'), "${A:-x} b");
    }
}
