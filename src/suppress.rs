//! Inline suppressions: `# seaworthy: ignore[CM101, image-tag-mutable] reason`
//! at the end of the offending line or alone on the line above it,
//! `# seaworthy: ignore-file[…]` anywhere in a file, and in Dockerfiles
//! hadolint's `# hadolint ignore=DL3007` and `# hadolint global ignore=…` for
//! the rules that declare the hadolint code.
//!
//! A seaworthy suppression that suppresses nothing is reported (SW001), as is
//! one that cannot be read (SW002). hadolint pragmas are never reported: they
//! may be there for hadolint itself.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{codes, Diagnostic};
use crate::discover::FileKind;
use crate::dockerfile::lines;
use crate::fix::Fix;
use crate::rules::selection::matching;
use crate::rules::RULES;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::yaml::events::{self, CommentPlacement};

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Findings starting in this byte range.
    Range(Span),
    /// The whole file.
    File,
    /// Nothing: an own-line comment with no line below it.
    Nothing,
}

/// One rule selector inside a directive, and whether it suppressed anything.
#[derive(Debug)]
struct Entry {
    span: Span,
    text: String,
    codes: Vec<&'static str>,
    used: bool,
}

#[derive(Debug)]
struct Directive {
    scope: Scope,
    /// The comment, from its `#` to its end.
    comment: Span,
    entries: Vec<Entry>,
    /// hadolint pragmas are honoured but never reported.
    hadolint: bool,
}

/// The suppressions of one file, and the findings its malformed ones produce.
#[derive(Debug, Default)]
struct FileSuppressions {
    directives: Vec<Directive>,
    invalid: Vec<Diagnostic>,
}

/// A comment: the span of the text after `#`, and whether code precedes it.
struct CommentAt {
    /// The text after `#`.
    text: Span,
    /// Where the directive applies.
    scope: Scope,
}

/// What applying the suppressions produced.
#[derive(Debug, Default)]
pub struct Applied {
    /// Findings removed.
    pub suppressed: usize,
    /// SW001 and SW002 findings.
    pub findings: Vec<Diagnostic>,
}

/// Removes suppressed findings from `diagnostics`. `files` are the linted
/// files and what they are; `canon[i]` is the canonical path of file `i` (a
/// file loaded twice is read once); `ran(file, code)` says whether the rule
/// `code` ran on `file` (only then can a suppression of it be unused).
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    sources: &SourceMap,
    files: &[(FileId, FileKind)],
    canon: &[PathBuf],
    ran: &dyn Fn(FileId, &str) -> bool,
) -> Applied {
    // every file's directives, read on the pool (a large run has thousands
    // of files, nearly all without any)
    let parsed: Vec<Option<FileSuppressions>> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|&(id, kind)| {
                let s = parse(sources.get(id), id, kind);
                (!s.directives.is_empty() || !s.invalid.is_empty()).then_some(s)
            })
            .collect()
    };
    // a file linted twice (two projects include it) counts once, the first
    // time it has any
    let mut by_path: HashMap<&PathBuf, (FileId, FileSuppressions)> = HashMap::new();
    for (&(id, _), s) in files.iter().zip(parsed) {
        if let Some(s) = s {
            by_path.entry(&canon[id.0 as usize]).or_insert((id, s));
        }
    }
    let mut applied = Applied::default();
    if by_path.is_empty() {
        return applied;
    }
    diagnostics.retain(|d| {
        let Some((_, s)) = by_path.get_mut(&canon[d.file.0 as usize]) else {
            return true;
        };
        let mut hit = false;
        for dir in &mut s.directives {
            let covers = match dir.scope {
                Scope::File => true,
                Scope::Range(r) => r.start <= d.span.start && d.span.start <= r.end,
                Scope::Nothing => false,
            };
            if !covers {
                continue;
            }
            for e in &mut dir.entries {
                if e.codes.contains(&d.code) {
                    e.used = true;
                    hit = true;
                }
            }
        }
        applied.suppressed += usize::from(hit);
        !hit
    });
    let mut entries: Vec<(FileId, FileSuppressions)> = by_path.into_values().collect();
    entries.sort_by_key(|(id, _)| *id);
    for (id, s) in entries {
        applied.findings.extend(s.invalid);
        let text = sources.get(id).text();
        for dir in s.directives.iter().filter(|d| !d.hadolint) {
            for e in dir.entries.iter().filter(|e| !e.used) {
                if e.codes.iter().all(|c| ran(id, c)) {
                    let fix = removal(text, id, dir, e);
                    applied
                        .findings
                        .push(unused(id, e, dir.scope).with_fix(fix));
                }
            }
        }
    }
    applied
}

/// Deletes the unused entry `e`: from its list with one comma when others
/// are used, else the whole comment (its line when it stands alone).
fn removal(text: &str, file: FileId, dir: &Directive, e: &Entry) -> Option<Fix> {
    use crate::fix::{line_start, starts_line, whole_lines};
    let span = if dir.entries.iter().all(|x| !x.used) {
        let hash = dir.comment.start;
        if text.get(hash..hash + 1) != Some("#") {
            return None;
        }
        if starts_line(text, hash) {
            whole_lines(text, dir.comment)
        } else {
            // after code: the comment and the blanks before it
            let code_end = text[line_start(text, hash)..hash].trim_end().len();
            Span::new(line_start(text, hash) + code_end, dir.comment.end)
        }
    } else {
        let after = &text[e.span.end..];
        let blank = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
        if after[blank(after)..].starts_with(',') {
            // `CM101, ` before the next entry
            let comma = e.span.end + blank(after) + 1;
            Span::new(e.span.start, comma + blank(&text[comma..]))
        } else {
            // `, CM101` after the previous one
            let before = text[..e.span.start].trim_end_matches([' ', '\t']);
            let comma = before.strip_suffix(',')?.len();
            Span::new(comma, e.span.end)
        }
    };
    Some(Fix::safe(
        "remove the unused suppression",
        vec![crate::fix::Edit::delete(file, span)],
    ))
}

fn unused(file: FileId, e: &Entry, scope: Scope) -> Diagnostic {
    let (label, help) = match scope {
        Scope::File => (
            "nothing in this file to suppress",
            "remove it: the file has no such finding",
        ),
        _ => (
            "nothing here to suppress",
            "remove it, or move it: it applies to findings on its own line when written \
             at the end of it, or on the next line when alone on the line above",
        ),
    };
    Diagnostic::new(
        codes::UNUSED_SUPPRESSION,
        file,
        e.span,
        format!("the suppression of `{}` suppresses nothing", e.text),
    )
    .with_primary_label(label)
    .with_help(help)
}

fn invalid(
    file: FileId,
    span: Span,
    message: String,
    help: impl Into<std::borrow::Cow<'static, str>>,
) -> Diagnostic {
    Diagnostic::new(codes::INVALID_SUPPRESSION, file, span, message)
        .with_primary_label("not a valid suppression")
        .with_help(help)
}

const SYNTAX_HELP: &str =
    "write `# seaworthy: ignore[CODE, …] reason` or `# seaworthy: ignore-file[CODE, …] reason`";

/// The directives of one file.
fn parse(file: &SourceFile, id: FileId, kind: FileKind) -> FileSuppressions {
    let text = file.text();
    let mut out = FileSuppressions::default();
    let dockerfile = kind == FileKind::Dockerfile;
    let may_have = text.contains("seaworthy:") || (dockerfile && text.contains("hadolint"));
    if !may_have {
        return out;
    }
    let comments = if dockerfile {
        dockerfile_comments(text)
    } else {
        yaml_comments(text)
    };
    for c in comments {
        let body = &text[c.text.start..c.text.end];
        if let Some(rest) = strip_word(body, "seaworthy:") {
            let comment = Span::new(c.text.start.saturating_sub(1), c.text.end);
            seaworthy_directive(
                text,
                c.text.end - rest.len(),
                comment,
                c.scope,
                id,
                &mut out,
            );
        } else if dockerfile {
            if let Some(d) = hadolint_pragma(body, c.scope) {
                out.directives.push(d);
            }
        }
    }
    out
}

/// `s` without leading blanks and then `word`, if it starts so.
fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    s.trim_start().strip_prefix(word)
}

/// Parses what follows `seaworthy:` (starting at byte `at` of `text`).
fn seaworthy_directive(
    text: &str,
    at: usize,
    comment: Span,
    scope: Scope,
    id: FileId,
    out: &mut FileSuppressions,
) {
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let rest = &text[at..line_end];
    let lead = rest.len() - rest.trim_start().len();
    let start = at + lead;
    let rest = rest.trim_start();
    let word_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    let word_span = Span::new(start, start + word_len);
    let scope = match word {
        "ignore" => scope,
        "ignore-file" => Scope::File,
        // `# seaworthy: <prose>` is a plain comment; `word[` is a directive
        // misspelt.
        _ if word.is_empty() || !rest[word_len..].starts_with('[') => return,
        _ => {
            out.invalid.push(invalid(
                id,
                word_span,
                format!("unknown directive `{word}`; expected `ignore` or `ignore-file`"),
                SYNTAX_HELP,
            ));
            return;
        }
    };
    let after = &rest[word_len..];
    let Some(list) = after.strip_prefix('[') else {
        out.invalid.push(invalid(
            id,
            word_span,
            format!("`{word}` names no rules: write them in brackets, `{word}[CM101]`"),
            SYNTAX_HELP,
        ));
        return;
    };
    let list_start = word_span.end + 1;
    let Some(close) = list.find(']') else {
        out.invalid.push(invalid(
            id,
            Span::new(word_span.start, line_end),
            format!("`{word}[` is not closed with `]`"),
            SYNTAX_HELP,
        ));
        return;
    };
    let mut entries = Vec::new();
    let mut offset = list_start;
    for item in list[..close].split(',') {
        let trimmed = item.trim();
        let item_start = offset + (item.len() - item.trim_start().len());
        offset += item.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        let span = Span::new(item_start, item_start + trimmed.len());
        match matching(trimmed) {
            Ok(rules) => entries.push(Entry {
                span,
                text: trimmed.to_string(),
                codes: rules.iter().map(|r| r.meta.code).collect(),
                used: false,
            }),
            Err(e) => {
                let help = e.suggestion.map_or_else(
                    || "name rules by code (`CM101`), name or code prefix".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                out.invalid.push(invalid(
                    id,
                    span,
                    format!("`{trimmed}` is not a rule"),
                    help,
                ));
            }
        }
    }
    if entries.is_empty() && list[..close].trim().is_empty() {
        out.invalid.push(invalid(
            id,
            Span::new(word_span.start, list_start + close + 1),
            format!("`{word}[]` names no rules"),
            SYNTAX_HELP,
        ));
        return;
    }
    out.directives.push(Directive {
        scope,
        comment,
        entries,
        hadolint: false,
    });
}

/// `hadolint ignore=DL3006,DL3007` or `hadolint global ignore=…`, as the
/// rules that declare those codes.
fn hadolint_pragma(body: &str, scope: Scope) -> Option<Directive> {
    let rest = strip_word(body, "hadolint")?;
    let (scope, rest) = match strip_word(rest, "global") {
        Some(r) => (Scope::File, r),
        None => (scope, rest),
    };
    let list = strip_word(rest, "ignore")?.trim_start().strip_prefix('=')?;
    let list = list.split_whitespace().next().unwrap_or("");
    let mut codes = Vec::new();
    for code in list.split(',').map(str::trim) {
        codes.extend(
            RULES
                .iter()
                .filter(|r| r.meta.hadolint.iter().any(|h| h.eq_ignore_ascii_case(code)))
                .map(|r| r.meta.code),
        );
    }
    (!codes.is_empty()).then(|| Directive {
        scope,
        comment: Span::default(),
        entries: vec![Entry {
            span: Span::default(),
            text: list.to_string(),
            codes,
            used: false,
        }],
        hadolint: true,
    })
}

/// Byte ranges `(start, end)` of every line (without the newline).
fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        out.push((start, start + content.len()));
        start += line.len();
    }
    out
}

fn line_of(lines: &[(usize, usize)], offset: usize) -> usize {
    lines
        .partition_point(|&(s, _)| s <= offset)
        .saturating_sub(1)
}

/// YAML comments: a trailing one covers its line; one alone on its line
/// covers the next line with content, through other comment lines only.
fn yaml_comments(text: &str) -> Vec<CommentAt> {
    let lines = line_ranges(text);
    let is_comment_line = |i: usize| {
        let (s, e) = lines[i];
        text[s..e].trim_start().starts_with('#')
    };
    events::comments(text)
        .into_iter()
        .map(|c| {
            let body = Span::new((c.span.start + 1).min(c.span.end), c.span.end);
            let line = line_of(&lines, c.span.start);
            let scope = match c.placement {
                CommentPlacement::Trailing => Scope::Range(Span::new(lines[line].0, lines[line].1)),
                CommentPlacement::OwnLine => (line + 1..lines.len())
                    .find(|&i| !is_comment_line(i))
                    .filter(|&i| !text[lines[i].0..lines[i].1].trim().is_empty())
                    .map_or(Scope::Nothing, |i| {
                        Scope::Range(Span::new(lines[i].0, lines[i].1))
                    }),
            };
            CommentAt { text: body, scope }
        })
        .collect()
}

/// Dockerfile comments (whole lines only: `#` inside an instruction is part
/// of it): one inside a continued instruction covers that instruction; one
/// above an instruction, through other comment lines only, covers it.
fn dockerfile_comments(text: &str) -> Vec<CommentAt> {
    let split = lines::split(text);
    split
        .comments
        .iter()
        .map(|c| {
            let body = Span::new((c.start + 1).min(c.end), c.end);
            let inside = split
                .instructions
                .iter()
                .find(|i| i.span.start < c.start && c.start < i.span.end);
            let scope = match inside {
                Some(i) => Scope::Range(i.span),
                None => split
                    .instructions
                    .iter()
                    .find(|i| i.span.start > c.start)
                    .filter(|i| only_comments_between(text, c.end, i.span.start))
                    .map_or(Scope::Nothing, |i| Scope::Range(i.span)),
            };
            CommentAt { text: body, scope }
        })
        .collect()
}

/// Whether every line strictly between byte `from` (end of a comment) and
/// `to` (start of an instruction) is a comment line.
fn only_comments_between(text: &str, from: usize, to: usize) -> bool {
    let between = &text[from..to];
    let mut lines = between.split('\n');
    lines.next(); // the rest of the comment's own line
    let last = lines.next_back(); // the instruction's own line, before it
    last.is_some_and(|l| l.trim().is_empty()) && lines.all(|l| l.trim_start().starts_with('#'))
}
