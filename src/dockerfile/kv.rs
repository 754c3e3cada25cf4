//! `ENV`, `LABEL` and `ARG` arguments split into keys and values with their
//! own spans, following BuildKit's word splitting (quotes keep spaces; the
//! escape character protects the next character).

use crate::source::Text;

use super::expand::unquote;
use super::lines::Logical;
use super::model::{ArgDecl, KeyValue, Word};

/// A whitespace-separated word of the logical text, as a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RawWord {
    start: usize,
    end: usize,
}

/// BuildKit's `parseWords`: splits on unquoted whitespace.
fn words(text: &str, escape: char) -> Vec<RawWord> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut quote: Option<char> = None;
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            end = i + c.len_utf8();
            match quote {
                Some(q) if c == q => quote = None,
                Some('\'') => {}
                _ if c == escape => {
                    if let Some((j, n)) = chars.next() {
                        end = j + n.len_utf8();
                    }
                }
                None if c == '\'' || c == '"' => quote = Some(c),
                _ => {}
            }
        }
        out.push(RawWord { start, end });
    }
    out
}

pub(super) fn word(logical: &Logical, start: usize, end: usize, escape: char) -> Word {
    let raw = &logical.text[start..end];
    Word {
        span: logical.span(start, end),
        raw: Text::from(raw),
        value: unquote(raw, escape),
    }
}

/// `ENV`/`LABEL` pairs; `Err` with a message and the offending logical range
/// when a word has no `=` (BuildKit refuses it).
pub fn key_values(
    logical: &Logical,
    escape: char,
) -> Result<Vec<KeyValue>, (String, usize, usize)> {
    let text = &logical.text;
    let ws = words(text, escape);
    let Some(first) = ws.first() else {
        return Ok(Vec::new());
    };
    if text[first.start..first.end].find('=').is_none() {
        // Legacy `ENV key value with spaces`.
        let value_start = text[first.end..]
            .char_indices()
            .find(|(_, c)| !c.is_whitespace())
            .map(|(i, _)| first.end + i);
        let Some(value_start) = value_start else {
            return Err((
                "needs a value: `KEY=value` or `KEY value`".into(),
                first.start,
                first.end,
            ));
        };
        let value_end = text.trim_end().len();
        return Ok(vec![KeyValue {
            key: word(logical, first.start, first.end, escape),
            value: word(logical, value_start, value_end, escape),
        }]);
    }
    let mut out = Vec::new();
    for w in &ws {
        let raw = &text[w.start..w.end];
        let Some(eq) = raw.find('=') else {
            return Err((
                format!("`{raw}` is not of the form `KEY=value`"),
                w.start,
                w.end,
            ));
        };
        let eq = w.start + eq;
        out.push(KeyValue {
            key: word(logical, w.start, eq, escape),
            value: word(logical, eq + 1, w.end, escape),
        });
    }
    Ok(out)
}

/// `ARG` declarations: `NAME` or `NAME=default`, several per instruction.
pub fn arg_decls(logical: &Logical, escape: char) -> Vec<ArgDecl> {
    let text = &logical.text;
    words(text, escape)
        .into_iter()
        .map(|w| {
            let raw = &text[w.start..w.end];
            match raw.find('=') {
                Some(eq) => {
                    let eq = w.start + eq;
                    ArgDecl {
                        name: word(logical, w.start, eq, escape),
                        default: Some(word(logical, eq + 1, w.end, escape)),
                    }
                }
                None => ArgDecl {
                    name: word(logical, w.start, w.end, escape),
                    default: None,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn logical(text: &str) -> Logical {
        Logical::new(text, Span::new(0, text.len()), b'\\')
    }

    #[test]
    fn pairs_with_quotes_and_continuations() {
        let text = "A=1 B=\"two words\" \\\n  # c\n  C='x y'";
        let kv = key_values(&logical(text), '\\').unwrap();
        let got: Vec<_> = kv
            .iter()
            .map(|p| {
                (
                    p.key.value.as_str(),
                    p.value.value.as_str(),
                    &text[p.value.span.start..p.value.span.end],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("A", "1", "1"),
                ("B", "two words", "\"two words\""),
                ("C", "x y", "'x y'")
            ]
        );
    }

    #[test]
    fn legacy_form_and_errors() {
        let kv = key_values(&logical("PATH /usr/bin:$PATH  "), '\\').unwrap();
        assert_eq!(
            (kv[0].key.value.as_str(), kv[0].value.value.as_str()),
            ("PATH", "/usr/bin:$PATH")
        );
        assert!(key_values(&logical("A=1 B"), '\\').is_err());
        assert!(key_values(&logical("ALONE"), '\\').is_err());
    }

    #[test]
    fn args() {
        let a = arg_decls(&logical("VERSION=1.2 TARGETOS NAME=\"a b\""), '\\');
        assert_eq!(a.len(), 3);
        assert_eq!(a[1].default, None);
        assert_eq!(a[2].default.as_ref().unwrap().value, "a b");
    }
}
