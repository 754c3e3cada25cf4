//! Splits a Dockerfile into logical instructions the way BuildKit's parser does:
//! parser directives first, then one instruction per logical line (continuation
//! lines joined, comment and empty lines inside a continuation skipped), then the
//! bodies of the heredocs an instruction's line opens.
//!
//! Also provides [`Logical`]: the text of a raw span with continuations removed,
//! where every byte remembers its offset in the file, so tokenizers working on
//! the joined text report spans in the original.

use crate::source::Span;

/// A parser directive at the top of the file (`# syntax=…`, `# escape=…`, `# check=…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    /// Span of the name.
    pub name_span: Span,
    /// The value, trimmed.
    pub value: String,
    /// Span of the value.
    pub value_span: Span,
}

/// A heredoc opened on an instruction line: `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocMarker {
    /// The delimiter word, unquoted.
    pub delimiter: String,
    /// Span of the whole `<<…` word on the instruction line.
    pub span: Span,
    /// `<<-`: leading tabs are stripped from body lines and the terminator.
    pub strip_tabs: bool,
    /// `false` when the delimiter is quoted: the body is not expanded.
    pub expand: bool,
    /// File descriptor prefix (`3<<EOF`), 0 when absent.
    pub fd: u32,
    /// The body: from the line after the previous body (or the instruction) up
    /// to, not including, the terminator line.
    pub body: Span,
    /// Span of the terminator line, if it was found.
    pub terminator: Option<Span>,
}

/// One logical instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawInstruction {
    /// From the keyword to the end of the last heredoc terminator (or of the
    /// logical line), without the final newline.
    pub span: Span,
    /// The keyword as written.
    pub keyword: Span,
    /// The logical line: keyword to the end of the last continuation line.
    pub line: Span,
    /// Heredocs opened on the line, in order, with their bodies.
    pub heredocs: Vec<HeredocMarker>,
}

/// A Dockerfile split into directives and raw instructions.
#[derive(Clone, Debug, Default)]
pub struct Split {
    /// Byte length of a leading byte-order mark (0 or 3).
    pub bom: usize,
    /// Parser directives, in order.
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: u8,
    /// Logical instructions, in order.
    pub instructions: Vec<RawInstruction>,
    /// Comment lines (outside heredoc bodies): span of the `#…` text.
    pub comments: Vec<Span>,
}

/// Lines of `text` from `start`: (line start, content end without `\r\n`, next line start).
fn line_at(text: &str, start: usize) -> (usize, usize, usize) {
    let bytes = text.as_bytes();
    let nl = bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| start + i);
    let (content_end, next) = match nl {
        Some(i) => (i, i + 1),
        None => (text.len(), text.len()),
    };
    let content_end = if content_end > start && bytes[content_end - 1] == b'\r' {
        content_end - 1
    } else {
        content_end
    };
    (start, content_end, next)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r')
}

/// First non-whitespace byte offset in `start..end`, or `end`.
fn skip_space(bytes: &[u8], start: usize, end: usize) -> usize {
    (start..end).find(|&i| !is_space(bytes[i])).unwrap_or(end)
}

/// If the line `start..end` ends with a continuation (the escape character,
/// then only spaces/tabs, not itself escaped), the offset of that character.
fn continuation_at(bytes: &[u8], start: usize, end: usize, escape: u8) -> Option<usize> {
    let mut i = end;
    while i > start && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    if i == start || bytes[i - 1] != escape {
        return None;
    }
    // BuildKit: an escape preceded by another escape is not a continuation,
    // unless it stands alone on the line.
    if i - 1 > start && bytes[i - 2] == escape {
        return None;
    }
    Some(i - 1)
}

/// Splits `text` into directives and logical instructions.
pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = Split {
        bom,
        escape: b'\\',
        ..Split::default()
    };
    let mut pos = bom;
    // Parser directives: `# name=value` lines before anything else.
    while pos < text.len() {
        let (s, e, next) = line_at(text, pos);
        let Some(d) = directive(text, s, e) else {
            break;
        };
        if d.name == "escape" && (d.value == "`" || d.value == "\\") {
            out.escape = d.value.as_bytes()[0];
        }
        out.directives.push(d);
        pos = next;
    }
    let escape = out.escape;
    while pos < text.len() {
        let (s, e, next) = line_at(text, pos);
        let first = skip_space(bytes, s, e);
        if first == e {
            pos = next;
            continue;
        }
        if bytes[first] == b'#' {
            out.comments.push(Span::new(first, e));
            pos = next;
            continue;
        }
        // An instruction starts here; join its continuation lines.
        let mut line_end = e;
        let mut cont = continuation_at(bytes, first, e, escape);
        pos = next;
        while cont.is_some() && pos < text.len() {
            let (s2, e2, next2) = line_at(text, pos);
            let f2 = skip_space(bytes, s2, e2);
            pos = next2;
            if f2 < e2 && bytes[f2] == b'#' {
                out.comments.push(Span::new(f2, e2));
                continue;
            }
            if f2 == e2 {
                continue;
            }
            line_end = e2;
            cont = continuation_at(bytes, s2, e2, escape);
        }
        while line_end > first && is_space(bytes[line_end - 1]) {
            line_end -= 1;
        }
        let keyword_end = (first..line_end)
            .find(|&i| is_space(bytes[i]) || bytes[i] == b'\n')
            .unwrap_or(line_end);
        let keyword = Span::new(first, keyword_end);
        let line = Span::new(first, line_end);
        let mut instr = RawInstruction {
            span: line,
            keyword,
            line,
            heredocs: Vec::new(),
        };
        if opens_heredocs(text, &instr, escape) {
            for mut marker in heredoc_markers(text, line, escape) {
                let body_start = pos;
                let mut terminator = None;
                while pos < text.len() {
                    let (s3, e3, next3) = line_at(text, pos);
                    let mut candidate = &text[s3..e3];
                    if marker.strip_tabs {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == marker.delimiter {
                        terminator = Some(Span::new(s3, e3));
                        marker.body = Span::new(body_start, s3);
                        pos = next3;
                        break;
                    }
                    pos = next3;
                }
                if terminator.is_none() {
                    marker.body = Span::new(body_start, text.len());
                }
                marker.terminator = terminator;
                instr.span.end = terminator.map_or(text.len(), |t| t.end);
                instr.heredocs.push(marker);
            }
        }
        out.instructions.push(instr);
    }
    out
}

/// A parser directive on the line `s..e`, if it is one.
fn directive(text: &str, s: usize, e: usize) -> Option<Directive> {
    let line = &text[s..e];
    let rest = line.strip_prefix('#')?;
    let name_start = s + 1 + (rest.len() - rest.trim_start().len());
    let after = &text[name_start..e];
    let name_len = after
        .bytes()
        .enumerate()
        .take_while(|&(i, b)| b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit()))
        .count();
    if name_len == 0 {
        return None;
    }
    let name = after[..name_len].to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    let rest = after[name_len..].trim_start();
    let value_part = rest.strip_prefix('=')?;
    let value = value_part.trim();
    if value.is_empty() {
        return None;
    }
    let value_start = e - value_part.len() + (value_part.len() - value_part.trim_start().len());
    Some(Directive {
        name,
        name_span: Span::new(name_start, name_start + name_len),
        value: value.to_string(),
        value_span: Span::new(value_start, value_start + value.len()),
    })
}

/// Whether the instruction can carry heredocs: `RUN`, `COPY`, `ADD` (also under
/// `ONBUILD`) in shell form.
fn opens_heredocs(text: &str, instr: &RawInstruction, escape: u8) -> bool {
    let mut kw = &text[instr.keyword.start..instr.keyword.end];
    let mut rest = Span::new(instr.keyword.end, instr.line.end);
    if kw.eq_ignore_ascii_case("ONBUILD") {
        let logical = Logical::new(text, rest, escape);
        let t = logical.text.trim_start();
        let skip = logical.text.len() - t.len();
        let len = t.find(|c: char| c.is_ascii_whitespace()).unwrap_or(t.len());
        kw = &t[..len];
        rest = Span::new(logical.offset(skip + len), instr.line.end);
        if !matches!(kw.to_ascii_uppercase().as_str(), "RUN" | "COPY" | "ADD") {
            return false;
        }
        return !args_are_json(text, rest, escape);
    }
    matches!(kw.to_ascii_uppercase().as_str(), "RUN" | "COPY" | "ADD")
        && !args_are_json(text, rest, escape)
}

/// Whether the arguments after the flags form a JSON array (`[ … ]`).
fn args_are_json(text: &str, args: Span, escape: u8) -> bool {
    let logical = Logical::new(text, args, escape);
    let mut rest = logical.text.trim();
    while let Some(r) = rest.strip_prefix("--") {
        let len = r.find(|c: char| c.is_ascii_whitespace()).unwrap_or(r.len());
        rest = r[len..].trim_start();
    }
    rest.starts_with('[')
        && rest.ends_with(']')
        && serde_json::from_str::<Vec<String>>(rest).is_ok()
}

/// The heredoc markers among the whitespace-separated words of the line.
fn heredoc_markers(text: &str, line: Span, escape: u8) -> Vec<HeredocMarker> {
    let logical = Logical::new(text, line, escape);
    let t = logical.text.as_bytes();
    let mut markers = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if is_space(t[i]) || t[i] == b'\n' {
            i += 1;
            continue;
        }
        // A word, respecting quotes and escapes.
        let start = i;
        let mut quote = None;
        while i < t.len() {
            let b = t[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'\\' && i + 1 < t.len() => i += 1,
                None if is_space(b) || b == b'\n' => break,
                None => {}
            }
            i += 1;
        }
        let word = &logical.text[start..i];
        if let Some(mut m) = parse_marker(word) {
            m.span = logical.span(start, i);
            markers.push(m);
        }
    }
    markers
}

/// BuildKit's heredoc word: `^(\d*)<<(-?)([^<]*)$` whose rest is one shell word.
fn parse_marker(word: &str) -> Option<HeredocMarker> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let mut name = String::new();
    let mut quoted = false;
    let mut quote = None;
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => name.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                quoted = true;
            }
            None if c == '\\' => name.extend(chars.next()),
            None if c.is_whitespace() => return None,
            None => name.push(c),
        }
    }
    if quote.is_some() || name.is_empty() {
        return None;
    }
    Some(HeredocMarker {
        delimiter: name,
        span: Span::default(),
        strip_tabs,
        expand: !quoted,
        fd: word[..digits].parse().unwrap_or(0),
        body: Span::default(),
        terminator: None,
    })
}

/// The text of a raw span with line continuations removed (the escape
/// character, trailing blanks, the newline, and the comment and empty lines a
/// continuation skips). Every byte of [`Logical::text`] maps back to its offset.
#[derive(Clone, Debug)]
pub struct Logical {
    /// The joined text.
    pub text: String,
    /// Where each piece of `text` comes from: `(start in text, start in the
    /// file)`, in order; a piece is contiguous in both. Most instructions
    /// are one line, or a line and its break: two pieces are held in place.
    pieces: smallvec::SmallVec<[(usize, usize); 2]>,
    /// The end of the span in the file (the offset of `text.len()`).
    end: usize,
}

impl Logical {
    /// Joins the continuation lines of `span` in `text`.
    pub fn new(text: &str, span: Span, escape: u8) -> Logical {
        let bytes = text.as_bytes();
        let mut out = Logical {
            text: String::with_capacity(span.len()),
            pieces: smallvec::SmallVec::new(),
            end: span.end,
        };
        let mut pos = span.start;
        let mut continuing = false;
        while pos < span.end {
            let (s, e, next) = line_at(text, pos);
            let e = e.min(span.end);
            if continuing {
                let f = skip_space(bytes, s, e);
                if f == e || bytes[f] == b'#' {
                    pos = next;
                    continue;
                }
            }
            let cont = continuation_at(bytes, s, e, escape);
            let content_end = cont.unwrap_or(e);
            out.push(text, s, content_end);
            continuing = cont.is_some();
            if !continuing && next <= span.end && next > e {
                // keep the line break of lines that do not continue (heredoc bodies)
                out.push(text, e, next.min(span.end));
            }
            pos = next;
        }
        out
    }

    fn push(&mut self, text: &str, s: usize, e: usize) {
        if s < e {
            self.pieces.push((self.text.len(), s));
            self.text.push_str(&text[s..e]);
        }
    }

    /// The file offset of logical byte `i` (`i == len` gives the span's end).
    pub fn offset(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.end;
        }
        // the piece holding byte `i`: the last one starting at or before it
        let k = self.pieces.partition_point(|&(at, _)| at <= i) - 1;
        let (at, file) = self.pieces[k];
        file + (i - at)
    }

    /// The file span of logical bytes `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        if end <= start {
            return Span::point(self.offset(start));
        }
        // INVARIANT: `end` sits on a char boundary of `text`; the last char is
        // contiguous in the file, so it ends `width` bytes after its first byte.
        let width = self.text[..end]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        Span::new(self.offset(start), self.offset(end - width) + width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_skip_comments_and_empty_lines() {
        let text = "FROM a\nRUN a \\\n  # note\n\n  b  \nENV x=1\n";
        let s = split(text);
        let line = |i: usize| &text[s.instructions[i].line.start..s.instructions[i].line.end];
        assert_eq!(line(1), "RUN a \\\n  # note\n\n  b");
        assert_eq!(
            Logical::new(text, s.instructions[1].line, b'\\').text,
            "RUN a   b"
        );
        assert_eq!(line(2), "ENV x=1");
        assert_eq!(s.comments.len(), 1);
    }

    #[test]
    fn heredocs_several_per_line_with_every_quoting() {
        let text = "FROM a\nRUN <<A cat > /a && <<-\"B\" cat > /b\na\nA\n\tb\n\tB\nCOPY <<-\\EOT /x\nhi\nEOT\n";
        let s = split(text);
        let run = &s.instructions[1];
        assert_eq!(run.heredocs.len(), 2);
        assert_eq!(
            (run.heredocs[0].delimiter.as_str(), run.heredocs[0].expand),
            ("A", true)
        );
        assert_eq!(
            &text[run.heredocs[0].body.start..run.heredocs[0].body.end],
            "a\n"
        );
        assert_eq!(
            (run.heredocs[1].strip_tabs, run.heredocs[1].expand),
            (true, false)
        );
        assert_eq!(
            &text[run.heredocs[1].body.start..run.heredocs[1].body.end],
            "\tb\n"
        );
        let copy = &s.instructions[2];
        assert_eq!(copy.heredocs[0].delimiter, "EOT");
        assert_eq!(s.instructions.len(), 3);
    }

    #[test]
    fn directives_and_backtick_escape() {
        let text = "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN dir `\n  c:\\\n";
        let s = split(text);
        assert_eq!(s.escape, b'`');
        assert_eq!(s.directives.len(), 2);
        assert_eq!(
            &text[s.directives[0].value_span.start..s.directives[0].value_span.end],
            "docker/dockerfile:1"
        );
        assert_eq!(
            &text[s.instructions[1].line.start..s.instructions[1].line.end],
            "RUN dir `\n  c:\\"
        );
    }

    #[test]
    fn json_form_opens_no_heredoc() {
        let s = split("FROM a\nRUN [\"sh\", \"<<EOF\"]\nRUN echo\n");
        assert_eq!(s.instructions.len(), 3);
        assert!(s.instructions[1].heredocs.is_empty());
    }
}
