//! Fixes: the byte-range edits a finding can carry, how they are chosen and
//! applied, and the text surgery rules use to build them.
//!
//! A rule attaches a [`Fix`] to its [`crate::diagnostic::Diagnostic`] only
//! when the edit is certain: it knows the file's text at the spans it edits,
//! the edit keeps the file parseable, and it changes nothing beyond the
//! finding. Everything else (comments, quoting, anchors, line endings) is
//! left byte for byte. `engine::fix` applies fixes in passes.

use std::borrow::Cow;

use crate::source::{FileId, Span};

pub mod yaml;

/// Whether a fix can change what the program does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Changes nothing beyond the finding: applied by `--fix`.
    Safe,
    /// Changes behaviour on purpose (a restart policy, `curl --fail`):
    /// applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Safety {
    /// The lowercase name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// Replace `span` of `file` with `text` (an insertion when the span is empty,
/// a deletion when the text is).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    /// The file edited.
    #[serde(skip)]
    pub file: FileId,
    /// The bytes replaced.
    pub span: Span,
    /// What replaces them.
    pub text: String,
}

impl Edit {
    /// Replaces `span` of `file` with `text`.
    pub fn replace(file: FileId, span: Span, text: impl Into<String>) -> Self {
        Edit {
            file,
            span,
            text: text.into(),
        }
    }

    /// Inserts `text` at `offset` of `file`.
    pub fn insert(file: FileId, offset: usize, text: impl Into<String>) -> Self {
        Edit::replace(file, Span::point(offset), text)
    }

    /// Deletes `span` of `file`.
    pub fn delete(file: FileId, span: Span) -> Self {
        Edit::replace(file, span, "")
    }

    /// Whether this edit and `other` cannot both apply: they touch the same
    /// bytes, or insert at the same point (their order would be a guess).
    fn conflicts(&self, other: &Edit) -> bool {
        self.file == other.file
            && (self.span.start < other.span.end && other.span.start < self.span.end
                || self.span.start == other.span.start
                || (self.span.is_empty() || other.span.is_empty())
                    && (self.span.start == other.span.end || other.span.start == self.span.end))
    }
}

/// The edits that fix one finding, all or none applied.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// What it does, one line, imperative (`replace \`ADD\` with \`COPY\``).
    pub description: Cow<'static, str>,
    /// Whether `--fix` applies it, or only `--unsafe-fixes`.
    pub safety: Safety,
    /// The edits, in any order, never overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that changes nothing beyond the finding.
    pub fn safe(description: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Fix {
            description: description.into(),
            safety: Safety::Safe,
            edits,
        }
    }

    /// A fix that changes behaviour on purpose.
    pub fn risky(description: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Fix {
            description: description.into(),
            safety: Safety::Unsafe,
            edits,
        }
    }

    /// Whether any edit of this fix conflicts with any of `chosen`.
    fn conflicts(&self, chosen: &[&Edit]) -> bool {
        self.edits
            .iter()
            .any(|e| chosen.iter().any(|c| e.conflicts(c)))
    }
}

/// From `fixes` in order, those that can apply together: a fix conflicting
/// with one chosen earlier waits for the next pass.
pub fn choose<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<&'a Fix> {
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut edits: Vec<&Edit> = Vec::new();
    for fix in fixes {
        if fix.edits.is_empty() || fix.conflicts(&edits) {
            continue;
        }
        edits.extend(&fix.edits);
        chosen.push(fix);
    }
    chosen
}

/// `text` with `edits` (of its file, not conflicting) applied.
pub fn apply(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in sorted {
        let (start, end) = (e.span.start.max(at), e.span.end.max(e.span.start.max(at)));
        out.push_str(&text[at..start]);
        out.push_str(&e.text);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// What [`apply_checked`] made of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The text with the fixes kept.
    pub text: String,
    /// How many fixes were kept.
    pub applied: usize,
    /// How many would break the file even alone: a rule's bug.
    pub broken: usize,
}

/// `text` with the `fixes` (of its file, not conflicting) that keep it
/// reading as well as it did ([`breaks`]): all of them when they do
/// together, else each in turn, kept when the text with it and those kept
/// before still does. Two fixes sound alone can clash (a misspelt key
/// renamed to the key another fix adds): the later one waits for the next
/// pass, where its finding may be gone.
pub fn apply_checked(kind: crate::discover::FileKind, text: &str, fixes: &[&Fix]) -> Checked {
    let all: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    let after = apply(text, &all);
    if !breaks(kind, text, &after) {
        return Checked {
            text: after,
            applied: fixes.len(),
            broken: 0,
        };
    }
    let mut kept: Vec<&Edit> = Vec::new();
    let mut out = Checked {
        text: text.to_string(),
        applied: 0,
        broken: 0,
    };
    for fix in fixes {
        let mut with: Vec<&Edit> = kept.clone();
        with.extend(&fix.edits);
        let candidate = apply(text, &with);
        if !breaks(kind, text, &candidate) {
            kept = with;
            out.text = candidate;
            out.applied += 1;
        } else if breaks(
            kind,
            text,
            &apply(text, &fix.edits.iter().collect::<Vec<_>>()),
        ) {
            out.broken += 1;
        }
    }
    out
}

/// Whether `after`, the text `before` became, reads worse as a file of
/// `kind`: more syntax errors (YAML that does not parse, a key twice, a
/// Dockerfile instruction BuildKit refuses), or any input error where there
/// was none. A file Compose already refuses may show other errors once a
/// misspelt key is renamed (what was under it is checked at last); it was
/// refused before.
pub fn breaks(kind: crate::discover::FileKind, before: &str, after: &str) -> bool {
    let (syntax, all) = errors(kind, before);
    let (syntax_after, all_after) = errors(kind, after);
    syntax_after > syntax || (all == 0 && all_after > 0)
}

/// The syntax findings and all input errors of `text` read as a file of
/// `kind`.
fn errors(kind: crate::discover::FileKind, text: &str) -> (usize, usize) {
    use crate::diagnostic::codes;
    use crate::source::{SourceFile, SourceMap};
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("fixed", text.to_string()));
    let found = match kind {
        crate::discover::FileKind::Dockerfile => {
            crate::dockerfile::load(&sources, id, &crate::dockerfile::BuildArgs::new()).diagnostics
        }
        crate::discover::FileKind::Compose => {
            let env = crate::compose::Environment::empty();
            crate::compose::load_file(&sources, id, &env, &Default::default()).diagnostics
        }
    };
    let syntax = found
        .iter()
        .filter(|d| {
            d.code == codes::DUPLICATE_KEY.code
                || d.code == codes::DOCKERFILE_SYNTAX.code
                || (d.code == codes::YAML_SYNTAX.code
                    && d.message.starts_with(crate::yaml::tree::SYNTAX_ERROR))
        })
        .count();
    let all = found
        .iter()
        .filter(|d| {
            d.code.starts_with("YM")
                || d.code == codes::INVALID_COMPOSE.code
                || d.code == codes::DOCKERFILE_SYNTAX.code
        })
        .count();
    (syntax, all)
}

/// The line break `text` uses: `\r\n` when its first line ends so, else `\n`.
pub fn line_break(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Offset of the start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// Offset of the end of the line holding `offset`, before its line break.
pub fn line_end(text: &str, offset: usize) -> usize {
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if end > offset && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The whole lines `span` touches, their final line break included.
pub fn whole_lines(text: &str, span: Span) -> Span {
    let start = line_start(text, span.start);
    // the last byte the span covers (a line break is a whole character)
    let last = span.end.saturating_sub(1).max(span.start).min(text.len());
    let end = text.as_bytes()[last..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| last + i + 1);
    Span::new(start, end.max(span.end))
}

/// Whether only spaces stand before `offset` on its line.
pub fn starts_line(text: &str, offset: usize) -> bool {
    text[line_start(text, offset)..offset]
        .bytes()
        .all(|b| b == b' ')
}

/// The column (in bytes) of `offset` on its line.
pub fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit::replace(FileId(0), Span::new(start, end), text)
    }

    #[test]
    fn edits_apply_in_offset_order() {
        let a = edit(4, 7, "COPY");
        let b = edit(0, 0, "# x\n");
        let c = edit(9, 10, "");
        assert_eq!(apply("RUN ADD a b\n", &[&a, &b, &c]), "# x\nRUN COPY ab\n");
    }

    #[test]
    fn overlapping_and_same_point_fixes_wait() {
        let f = |e: Edit| Fix::safe("x", vec![e]);
        let fixes = [
            f(edit(0, 3, "a")),
            f(edit(2, 5, "b")), // overlaps the first
            f(edit(3, 3, "c")), // an insertion touching the first
            f(edit(6, 6, "d")),
            f(edit(6, 6, "e")), // same point as the fourth
            f(edit(7, 9, "g")),
            f(Edit::replace(FileId(1), Span::new(0, 3), "h")), // another file
        ];
        let chosen: Vec<&str> = choose(&fixes)
            .iter()
            .map(|f| f.edits[0].text.as_str())
            .collect();
        assert_eq!(chosen, ["a", "d", "g", "h"]);
    }

    #[test]
    fn line_helpers() {
        let text = "a: 1\r\nbb: 2\r\n";
        assert_eq!(line_break(text), "\r\n");
        assert_eq!(line_break("a\nb"), "\n");
        assert_eq!(line_start(text, 8), 6);
        assert_eq!(line_end(text, 8), 11);
        assert_eq!(whole_lines(text, Span::new(7, 9)), Span::new(6, 13));
        assert_eq!(whole_lines("x\nlast", Span::new(3, 4)), Span::new(2, 6));
        assert_eq!(whole_lines("a: é\nb", Span::new(3, 5)), Span::new(0, 6));
        assert_eq!(whole_lines("a\n", Span::new(0, 2)), Span::new(0, 2));
        assert!(starts_line("  a: 1", 2));
        assert!(!starts_line("- a: 1", 2));
        assert_eq!(column("x\n   y", 5), 3);
    }
}
