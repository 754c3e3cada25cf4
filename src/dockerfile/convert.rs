//! The only importer of `parse-dockerfile`: each logical instruction found by
//! [`super::lines`] is parsed on its own and converted into our types, so one
//! bad instruction never hides the others.

use parse_dockerfile as pd;

use crate::source::{Span, Text};

use super::expand::unquote;
use super::kv;
use super::lines::{HeredocMarker, Logical, RawInstruction};
use super::model::{Command, CopySource, Flag, Heredoc, Instruction, Kind, Word};

/// A problem found while converting one instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where.
    pub span: Span,
    /// What (one short sentence).
    pub message: String,
}

/// Converts one raw instruction; on a parse error the instruction is kept as
/// [`Kind::Unparsed`] and the error returned beside it.
pub fn instruction(text: &str, raw: &RawInstruction, escape: u8) -> (Instruction, Option<Problem>) {
    let keyword = text[raw.keyword.start..raw.keyword.end].to_ascii_uppercase();
    let chunk = &text[raw.span.start..raw.span.end];
    let mut synthetic = String::with_capacity(32 + chunk.len());
    if escape == b'`' {
        synthetic.push_str("# escape=`\n");
    }
    // The parser wants a FROM before most instructions; give it one.
    let needs_from = keyword != "FROM" && keyword != "ARG";
    if needs_from {
        synthetic.push_str("FROM scratch\n");
    }
    let prefix = synthetic.len();
    synthetic.push_str(chunk);
    let cx = Cx {
        text,
        escape,
        shift: Shift {
            prefix,
            base: raw.span.start,
            end: raw.span.end,
        },
        raw,
    };
    if let Some(instr) = cx.empty_command(&keyword) {
        return (instr, None);
    }
    let parsed = match pd::parse_iter(&synthetic) {
        Ok(mut it) => {
            if needs_from {
                it.next();
            }
            it.next()
        }
        Err(e) => Some(Err(e)),
    };
    match parsed {
        Some(Ok(i)) => {
            let mut heredocs = raw.heredocs.iter();
            cx.convert(&i, &mut heredocs)
        }
        // An unterminated heredoc is reported once, by the caller.
        Some(Err(_)) if raw.heredocs.iter().any(|h| h.terminator.is_none()) => {
            (cx.unparsed(), None)
        }
        Some(Err(e)) => {
            let at = cx.shift.error_offset(&synthetic, &e);
            let line_end = text[at..raw.line.end.max(at)]
                .find('\n')
                .map_or(raw.line.end.max(at), |i| at + i);
            let unparsed = cx.unparsed();
            let problem = Problem {
                span: Span::new(at, line_end),
                message: buildkit_message(&keyword, &unparsed, error_message(&e)),
            };
            (unparsed, Some(problem))
        }
        None => {
            let problem = Problem {
                span: raw.keyword,
                message: "cannot parse this instruction".to_string(),
            };
            (cx.unparsed(), Some(problem))
        }
    }
}

/// The parser's message in our style: lower case, names in backticks, no location.
fn error_message(e: &pd::Error) -> String {
    let msg = format!("{e:#}");
    // "COPY instruction requires …" → "`COPY` requires …"
    if let Some((word, rest)) = msg.split_once(" instruction requires ") {
        if !word.contains(' ') {
            return format!("`{word}` requires {rest}");
        }
    }
    let mut out = String::with_capacity(msg.len());
    let mut in_quote = false;
    for c in msg.chars() {
        if c == '\'' {
            out.push('`');
            in_quote = !in_quote;
        } else {
            out.push(c);
        }
    }
    out
}

/// BuildKit's wording for the errors its instruction parser raises where the
/// syntax parser words them otherwise.
fn buildkit_message(keyword: &str, unparsed: &Instruction, message: String) -> String {
    let args = match &unparsed.kind {
        Kind::Unparsed(w) => w.value.as_str(),
        _ => "",
    };
    let first = args.split_whitespace().next().unwrap_or("");
    match (keyword, message.as_str()) {
        ("HEALTHCHECK", "expected CMD or NONE") if first.is_empty() => {
            "`HEALTHCHECK` requires at least one argument".into()
        }
        ("HEALTHCHECK", "expected CMD or NONE") => format!(
            "unknown type `{}` in `HEALTHCHECK` (try `CMD`)",
            first.to_ascii_uppercase()
        ),
        ("HEALTHCHECK", m) if m.contains("NONE does not accept arguments") => {
            "`HEALTHCHECK NONE` takes no arguments".into()
        }
        ("HEALTHCHECK", m) if m.contains("CMD instruction requires at least one argument") => {
            "missing command after `HEALTHCHECK CMD`".into()
        }
        ("ONBUILD", m) if m.contains("ONBUILD ONBUILD") => {
            "chaining `ONBUILD` via `ONBUILD ONBUILD` isn't allowed".into()
        }
        ("FROM", "expected AS") => "`FROM` requires either one or three arguments".into(),
        ("SHELL", "expected JSON array") => {
            "`SHELL` requires the arguments to be in JSON form".into()
        }
        _ => message,
    }
}

/// Maps the parser's offsets (into prefix + chunk) back to the file.
#[derive(Clone, Copy)]
struct Shift {
    prefix: usize,
    base: usize,
    end: usize,
}

impl Shift {
    fn offset(&self, o: usize) -> usize {
        (o.saturating_sub(self.prefix) + self.base).min(self.end)
    }

    fn span(&self, r: &std::ops::Range<usize>) -> Span {
        Span::new(self.offset(r.start), self.offset(r.end))
    }

    /// The file offset of a parse error (the parser reports 1-based line and
    /// byte column).
    fn error_offset(&self, synthetic: &str, e: &pd::Error) -> usize {
        let line = e.line();
        if line == 0 {
            return self.base;
        }
        let line_start = synthetic
            .match_indices('\n')
            .nth(line.saturating_sub(2))
            .map_or(0, |(i, _)| if line == 1 { 0 } else { i + 1 });
        let mut o = (line_start + e.column().saturating_sub(1)).min(synthetic.len());
        while !synthetic.is_char_boundary(o) {
            o -= 1;
        }
        self.offset(o)
    }
}

struct Cx<'t> {
    text: &'t str,
    escape: u8,
    shift: Shift,
    raw: &'t RawInstruction,
}

impl Cx<'_> {
    fn esc(&self) -> char {
        self.escape as char
    }

    fn logical(&self, span: Span) -> Logical {
        Logical::new(self.text, span, self.escape)
    }

    /// A word from a parser string: our span, raw text without continuations.
    fn word(&self, s: &pd::UnescapedString<'_>) -> Word {
        self.word_at(self.shift.span(&s.span))
    }

    fn word_at(&self, span: Span) -> Word {
        let logical = self.logical(span);
        kv::word(&logical, 0, logical.text.len(), self.esc())
    }

    /// A JSON array element: the parser already decoded it; the span includes the quotes.
    fn json_word(&self, s: &pd::UnescapedString<'_>) -> Word {
        let span = self.shift.span(&s.span);
        Word {
            span,
            raw: Text::from(&self.text[span.start..span.end]),
            value: Text::from(&*s.value),
        }
    }

    fn flags(&self, flags: &[pd::Flag<'_>]) -> Vec<Flag> {
        flags
            .iter()
            .map(|f| Flag {
                span: self.shift.span(&f.span()),
                name: self.word(&f.name),
                value: f.value.as_ref().map(|v| self.word(v)),
            })
            .collect()
    }

    fn command(&self, c: &pd::Command<'_>) -> Command {
        match c {
            pd::Command::Exec(array) => Command::Exec {
                span: self.shift.span(&array.span),
                args: array.value.iter().map(|a| self.json_word(a)).collect(),
            },
            pd::Command::Shell(s) => Command::Shell(self.word_at(self.shift.span(&s.span))),
            // a form this parser version does not have yet: keep the text
            _ => Command::Shell(self.word_at(Span::new(self.raw.keyword.end, self.raw.line.end))),
        }
    }

    fn heredoc(&self, m: &HeredocMarker) -> Heredoc {
        let body = &self.text[m.body.start..m.body.end];
        let content = if m.strip_tabs {
            body.split_inclusive('\n')
                .map(|l| l.trim_start_matches('\t'))
                .collect()
        } else {
            body.to_string()
        };
        Heredoc {
            marker: m.span,
            delimiter: m.delimiter.clone(),
            body: m.body,
            content,
            expand: m.expand,
            strip_tabs: m.strip_tabs,
        }
    }

    fn keyword(&self, k: &pd::Keyword) -> Word {
        let span = self.shift.span(&k.span);
        keyword_word(span, &self.text[span.start..span.end])
    }

    /// `CMD`, `ENTRYPOINT` or `RUN` with nothing after the keyword (shell
    /// form of an empty command) or with `[]` (exec form, no arguments): valid
    /// for BuildKit (`ENTRYPOINT []` resets the inherited entrypoint), refused
    /// by the syntax parser.
    fn empty_command(&self, keyword: &str) -> Option<Instruction> {
        if !matches!(keyword, "CMD" | "ENTRYPOINT" | "RUN") || !self.raw.heredocs.is_empty() {
            return None;
        }
        let kw = self.raw.keyword;
        let args = self.logical(Span::new(kw.end, self.raw.line.end));
        let trimmed = args.text.trim();
        let start = args.text.len() - args.text.trim_start().len();
        let span = args.span(start, start + trimmed.len());
        let inside = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
        let command = match inside {
            Some(i) if i.trim().is_empty() => Command::Exec {
                span,
                args: Vec::new(),
            },
            _ if trimmed.is_empty() => Command::Shell(Word {
                span,
                raw: Text::default(),
                value: Text::default(),
            }),
            _ => return None,
        };
        let keyword = keyword_word(kw, &self.text[kw.start..kw.end]);
        let kind = match keyword.value.as_str() {
            "CMD" => Kind::Cmd(command),
            "ENTRYPOINT" => Kind::Entrypoint(command),
            _ => Kind::Run {
                command,
                heredocs: Vec::new(),
            },
        };
        Some(Instruction {
            span: self.raw.span,
            keyword,
            flags: Vec::new(),
            kind,
        })
    }

    /// The instruction kept as text: keyword and the rest of its line.
    fn unparsed(&self) -> Instruction {
        let kw = self.raw.keyword;
        let args = self.logical(Span::new(kw.end, self.raw.line.end));
        let trimmed = args.text.trim();
        let start = args.text.len() - args.text.trim_start().len();
        let args_span = args.span(start, start + trimmed.len());
        Instruction {
            span: self.raw.span,
            keyword: keyword_word(kw, &self.text[kw.start..kw.end]),
            flags: Vec::new(),
            kind: Kind::Unparsed(Word {
                span: args_span,
                raw: Text::from(trimmed),
                value: unquote(trimmed, self.esc()),
            }),
        }
    }

    fn convert<'h>(
        &self,
        i: &pd::Instruction<'_>,
        heredocs: &mut impl Iterator<Item = &'h HeredocMarker>,
    ) -> (Instruction, Option<Problem>) {
        use pd::Instruction as I;
        let mut problem = None;
        let (keyword, flags, kind) = match i {
            I::From(f) => (
                &f.from,
                self.flags(&f.options),
                Kind::From {
                    image: self.word(&f.image),
                    name: f.as_.as_ref().map(|(_, n)| self.word(n)),
                },
            ),
            I::Arg(a) => {
                let logical = self.logical(self.shift.span(&a.arguments.span));
                (
                    &a.arg,
                    Vec::new(),
                    Kind::Arg(kv::arg_decls(&logical, self.esc())),
                )
            }
            I::Env(e) => (
                &e.env,
                Vec::new(),
                self.pairs(&e.arguments, &mut problem, false),
            ),
            I::Label(l) => (
                &l.label,
                Vec::new(),
                self.pairs(&l.arguments, &mut problem, true),
            ),
            I::Run(r) => {
                let flags = self.flags(&r.options);
                let command = if self.raw.heredocs.is_empty() {
                    self.command(&r.arguments)
                } else {
                    // The parser drops heredoc markers from the line; the shell sees them.
                    let after_flags = flags.last().map_or(self.raw.keyword.end, |f| f.span.end);
                    let line = self.logical(Span::new(after_flags, self.raw.line.end));
                    let start = line.text.len() - line.text.trim_start().len();
                    let end = line.text.trim_end().len().max(start);
                    Command::Shell(kv::word(&line, start, end, self.esc()))
                };
                let docs = heredocs.map(|m| self.heredoc(m)).collect();
                (
                    &r.run,
                    flags,
                    Kind::Run {
                        command,
                        heredocs: docs,
                    },
                )
            }
            I::Cmd(c) => (&c.cmd, Vec::new(), Kind::Cmd(self.command(&c.arguments))),
            I::Entrypoint(e) => (
                &e.entrypoint,
                Vec::new(),
                Kind::Entrypoint(self.command(&e.arguments)),
            ),
            I::Shell(s) => (
                &s.shell,
                Vec::new(),
                Kind::Shell(s.arguments.iter().map(|a| self.json_word(a)).collect()),
            ),
            I::Healthcheck(h) => {
                let cmd = match &h.arguments {
                    pd::HealthcheckArguments::Cmd { arguments, .. } => {
                        Some(self.command(arguments))
                    }
                    _ => None,
                };
                (
                    &h.healthcheck,
                    self.flags(&h.options),
                    Kind::Healthcheck(cmd),
                )
            }
            I::Copy(c) => (
                &c.copy,
                self.flags(&c.options),
                Kind::Copy {
                    add: false,
                    sources: self.sources(&c.src, heredocs),
                    dest: self.word(&c.dest),
                },
            ),
            I::Add(a) => (
                &a.add,
                self.flags(&a.options),
                Kind::Copy {
                    add: true,
                    sources: self.sources(&a.src, heredocs),
                    dest: self.word(&a.dest),
                },
            ),
            I::User(u) => (&u.user, Vec::new(), Kind::User(self.word(&u.arguments))),
            I::Workdir(w) => (
                &w.workdir,
                Vec::new(),
                Kind::Workdir(self.word(&w.arguments)),
            ),
            I::Stopsignal(s) => (
                &s.stopsignal,
                Vec::new(),
                Kind::Stopsignal(self.word(&s.arguments)),
            ),
            I::Maintainer(m) => (
                &m.maintainer,
                Vec::new(),
                Kind::Maintainer(self.word(&m.name)),
            ),
            I::Expose(e) => (
                &e.expose,
                Vec::new(),
                Kind::Expose(e.arguments.iter().map(|a| self.word(a)).collect()),
            ),
            I::Volume(v) => {
                let words = match &v.arguments {
                    pd::JsonOrStringArray::Json(a) => {
                        a.value.iter().map(|w| self.json_word(w)).collect()
                    }
                    pd::JsonOrStringArray::String(a) => a.iter().map(|w| self.word(w)).collect(),
                };
                (&v.volume, Vec::new(), Kind::Volume(words))
            }
            I::Onbuild(o) => {
                let (mut inner, p) = self.convert(&o.instruction, heredocs);
                inner.span = Span::new(inner.keyword.span.start, self.raw.span.end);
                problem = p;
                (&o.onbuild, Vec::new(), Kind::Onbuild(Box::new(inner)))
            }
            _ => return (self.unparsed(), None),
        };
        let keyword = self.keyword(keyword);
        let instr = Instruction {
            span: Span::new(keyword.span.start, self.raw.span.end),
            keyword,
            flags,
            kind,
        };
        (instr, problem)
    }

    fn sources<'h>(
        &self,
        src: &[pd::Source<'_>],
        heredocs: &mut impl Iterator<Item = &'h HeredocMarker>,
    ) -> Vec<CopySource> {
        // Heredoc bodies come from our splitter, which sees every one of them;
        // the parser's heredoc sources mark where they stand among the paths.
        let mut out: Vec<CopySource> = src
            .iter()
            .filter_map(|s| match s {
                pd::Source::Path(p) => Some(CopySource::Path(self.word(p))),
                _ => heredocs
                    .next()
                    .map(|m| CopySource::Heredoc(self.heredoc(m))),
            })
            .collect();
        out.extend(heredocs.map(|m| CopySource::Heredoc(self.heredoc(m))));
        out
    }

    fn pairs(
        &self,
        args: &pd::UnescapedString<'_>,
        problem: &mut Option<Problem>,
        label: bool,
    ) -> Kind {
        let logical = self.logical(self.shift.span(&args.span));
        match kv::key_values(&logical, self.esc()) {
            Ok(pairs) if label => Kind::Label(pairs),
            Ok(pairs) => Kind::Env(pairs),
            Err((message, start, end)) => {
                *problem = Some(Problem {
                    span: logical.span(start, end),
                    message,
                });
                Kind::Unparsed(self.word_at(self.shift.span(&args.span)))
            }
        }
    }
}

/// The keyword as written and upper-cased.
fn keyword_word(span: Span, raw: &str) -> Word {
    let mut value = Text::from(raw);
    value.make_ascii_uppercase();
    Word {
        span,
        raw: Text::from(raw),
        value,
    }
}
