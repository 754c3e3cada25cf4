//! `.env` files as Compose reads them: `KEY=VAL`, `export KEY=VAL`, `#` comments,
//! single quotes literal, double quotes with escapes and interpolation, unquoted
//! values interpolated with ` #` starting an inline comment, quoted values that
//! span lines.

use super::interpolate::{interpolate, Environment, VarOrigin};
use crate::source::{FileId, Span};

/// One `KEY=VALUE` line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    /// Variable name.
    pub name: String,
    /// Value after unquoting, escapes and interpolation.
    pub value: String,
    /// 1-based line of the name.
    pub line: usize,
    /// Span of the name.
    pub name_span: Span,
    /// Span of the value as written (quotes included).
    pub value_span: Span,
}

/// An env file read for a project's variables: `.env`, an `--env-file`, or
/// a template (`.env.example`) documenting what the deployment sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFileRead {
    /// The file.
    pub file: FileId,
    /// Its assignments, in order.
    pub assignments: Vec<Assignment>,
    /// Whether it is a template: its values are examples.
    pub template: bool,
}

/// A line that is not an assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFileError {
    /// Where.
    pub span: Span,
    /// What.
    pub message: String,
}

/// Parses `text`. `lookup` provides variables for interpolation inside values
/// (earlier lines of the same file are consulted first).
pub fn parse(text: &str, lookup: &Environment) -> (Vec<Assignment>, Vec<EnvFileError>) {
    let bytes = text.as_bytes();
    let mut out: Vec<Assignment> = Vec::new();
    let mut errors = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // `line` is the 1-based line of `counted`; advanced lazily so the scan stays linear.
    let mut line = 1;
    let mut counted = 0;
    while i < bytes.len() {
        line += text[counted..i].matches('\n').count();
        counted = i;
        let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n);
        // skip leading blanks
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let content = text[i..line_end].trim_end_matches('\r');
        if content.trim().is_empty() || content.starts_with('#') {
            i = line_end + 1;
            continue;
        }
        if let Some(rest) = content.strip_prefix("export ") {
            i += content.len() - rest.len();
            while i < line_end && matches!(bytes[i], b' ' | b'\t') {
                i += 1;
            }
        }
        let name_start = i;
        while i < line_end
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'-'))
        {
            i += 1;
        }
        let name = &text[name_start..i];
        let name_span = Span::new(name_start, i);
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let at_eol = i >= line_end || text[i..line_end].trim_end_matches('\r').is_empty();
        if name.is_empty() || (!at_eol && bytes[i] != b'=') {
            let bad = if name.is_empty() { name_start } else { i };
            let ch_len = text[bad..].chars().next().map_or(0, char::len_utf8);
            errors.push(EnvFileError {
                span: Span::new(bad, (bad + ch_len).min(line_end.max(bad))),
                message: if name.is_empty() {
                    "expected a variable name".to_string()
                } else {
                    format!("unexpected character after variable name `{name}`; expected `=`")
                },
            });
            i = line_end + 1;
            continue;
        }
        if at_eol {
            // `KEY` alone takes its value from the environment, if set.
            if let Some(v) = lookup.get(name) {
                out.push(Assignment {
                    name: name.to_string(),
                    value: v.value.clone(),
                    line,
                    name_span,
                    value_span: Span::point(i.min(line_end)),
                });
            }
            i = line_end + 1;
            continue;
        }
        i += 1; // '='
        while i < line_end && matches!(bytes[i], b' ' | b'\t') {
            i += 1;
        }
        let value_start = i;
        let scope = scope_for(lookup, &out);
        let (value, value_end, next) = match bytes.get(i) {
            Some(&q @ (b'\'' | b'"')) => match find_quote(bytes, i + 1, q) {
                Some(close) => {
                    let raw = &text[i + 1..close];
                    let value = if q == b'\'' {
                        raw.to_string()
                    } else {
                        interpolate(&unescape(raw), &scope).value
                    };
                    let after = text[close + 1..]
                        .find('\n')
                        .map_or(text.len(), |n| close + 1 + n);
                    (value, close + 1, after)
                }
                None => {
                    errors.push(EnvFileError {
                        span: Span::new(i, line_end),
                        message: "unterminated quoted value".to_string(),
                    });
                    (String::new(), line_end, line_end)
                }
            },
            _ => {
                let raw = text[i..line_end].trim_end_matches('\r');
                let raw = match raw.find(" #").or_else(|| raw.find("\t#")) {
                    Some(n) => &raw[..n],
                    None => raw,
                };
                let raw = raw.trim_end();
                (interpolate(raw, &scope).value, i + raw.len(), line_end)
            }
        };
        out.retain(|a| a.name != name);
        out.push(Assignment {
            name: name.to_string(),
            value,
            line,
            name_span,
            value_span: Span::new(value_start, value_end),
        });
        i = next + 1;
    }
    (out, errors)
}

/// Variables visible while interpolating a value: earlier assignments, then `lookup`.
fn scope_for(lookup: &Environment, earlier: &[Assignment]) -> Environment {
    let mut scope = lookup.clone();
    for a in earlier {
        scope.set(a.name.clone(), a.value.clone(), VarOrigin::Process);
    }
    scope
}

fn find_quote(bytes: &[u8], from: usize, q: u8) -> Option<usize> {
    let mut i = from;
    while i < bytes.len() {
        if q == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == q {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            // `\$` keeps a literal dollar through interpolation.
            Some('$') => out.push_str("$$"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Adds the assignments of the env file at `path` to `env`, never overriding
/// variables already set (the process environment wins).
pub fn apply(env: &mut Environment, file: FileId, assignments: &[Assignment]) {
    for a in assignments {
        env.set_default(
            a.name.clone(),
            a.value.clone(),
            VarOrigin::EnvFile {
                file,
                line: a.line,
                span: a.value_span,
            },
        );
    }
}

/// Adds the variables a template (`.env.example`) lists to `env` as set
/// where the project is deployed, with unknown values; never overriding
/// variables already set.
pub fn apply_documented(env: &mut Environment, file: FileId, assignments: &[Assignment]) {
    for a in assignments {
        env.set_default(
            a.name.clone(),
            String::new(),
            VarOrigin::Template {
                file,
                line: a.line,
                span: a.name_span,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(String, String, usize)> {
        let (a, e) = parse(text, &Environment::empty());
        assert!(e.is_empty(), "{e:?}");
        a.into_iter().map(|a| (a.name, a.value, a.line)).collect()
    }

    #[test]
    fn full_syntax() {
        let text = "# c\nA=1\nexport B = two words # note\nC='lit $A #x'\nD=\"x\\ny ${A}\"\nE=${A}-$B\nF=\"multi\nline\"\nG=\nH=a#b\n";
        assert_eq!(
            values(text),
            vec![
                ("A".into(), "1".into(), 2),
                ("B".into(), "two words".into(), 3),
                ("C".into(), "lit $A #x".into(), 4),
                ("D".into(), "x\ny 1".into(), 5),
                ("E".into(), "1-two words".into(), 6),
                ("F".into(), "multi\nline".into(), 7),
                ("G".into(), "".into(), 9),
                ("H".into(), "a#b".into(), 10),
            ]
        );
    }

    #[test]
    fn bad_lines_are_errors_with_spans() {
        let (a, e) = parse("GOOD=1\nnot valid\n=x\n", &Environment::empty());
        assert_eq!(a.len(), 1);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].span, Span::new(11, 12));
    }
}
