//! Human output: miette's graphical report, one block per diagnostic, rendered
//! from our line-indexed sources.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MSeverity};

use std::collections::{BTreeSet, HashMap};

use super::source_code::{IndexedSource, Shown};
use crate::config::{ConfigError, Problem};
use crate::diagnostic::{rule_url, Diagnostic, Severity};
use crate::source::{FileId, SourceFile, SourceMap, Span};

/// How to render.
#[derive(Clone, Debug)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// Rule codes as terminal hyperlinks to their manuals; otherwise the
    /// manual's URL is printed after the code.
    pub links: bool,
    /// Wrap width.
    pub width: usize,
    /// ASCII box drawing and markers, for a locale that is not UTF-8.
    pub ascii: bool,
    /// Cut lines longer than `width` with a marker rather than let a
    /// terminal wrap them (a long source line would break the snippet).
    pub cut: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            links: false,
            width: 100,
            ascii: false,
            cut: false,
        }
    }
}

/// The miette theme for `color` and `ascii`.
fn theme(color: bool, ascii: bool) -> GraphicalTheme {
    match (ascii, color) {
        (false, true) => GraphicalTheme::unicode(),
        (false, false) => GraphicalTheme::unicode_nocolor(),
        (true, true) => GraphicalTheme::ascii(),
        (true, false) => GraphicalTheme::none(),
    }
}

/// `text` with every line longer than `width` visible characters cut to fit,
/// ending in a marker (`…`, or `>` in ASCII). ANSI escape sequences (colours,
/// hyperlinks) take no width and are kept.
pub fn cut_lines(text: &str, width: usize, ascii: bool) -> String {
    let marker = if ascii { '>' } else { '…' };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let mut visible = 0;
        let mut chars = body.char_indices().peekable();
        let mut cut_at = None;
        while let Some((i, c)) = chars.next() {
            if c == '\x1b' {
                // CSI `ESC [ … letter`, or OSC `ESC ] … ESC \` / BEL
                match chars.next() {
                    Some((_, '[')) => {
                        for (_, c) in chars.by_ref() {
                            if c.is_ascii_alphabetic() {
                                break;
                            }
                        }
                    }
                    Some((_, ']')) => {
                        while let Some((_, c)) = chars.next() {
                            if c == '\x07' {
                                break;
                            }
                            if c == '\x1b' {
                                chars.next();
                                break;
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            visible += 1;
            if visible == width && cut_at.is_none() {
                cut_at = Some(i);
            }
            if visible > width {
                break;
            }
        }
        match cut_at {
            Some(i) if visible > width => {
                out.push_str(&body[..i]);
                out.push(marker);
                if text.contains('\x1b') {
                    out.push_str("\x1b[0m");
                }
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}

struct Rendered<'a> {
    diag: &'a Diagnostic,
    /// Every finding at this place when several share the primary span
    /// (`diag` first): one snippet, one message line each.
    group: Vec<&'a Diagnostic>,
    source: IndexedSource<'a>,
    related: Vec<Rendered<'a>>,
    /// Labels of this block (the primary, or a related label in another file).
    labels: Vec<LabeledSpan>,
    /// `None` for the finding itself; for a related location in another
    /// file, what that place has to do with the finding.
    note: Option<std::borrow::Cow<'a, str>>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.note.is_none() && self.group.len() > 1 {
            write!(f, "{} findings here:", self.group.len())?;
            for d in &self.group {
                write!(f, "\n{}[{}] {}", d.severity.as_str(), d.code, d.message)?;
            }
            return Ok(());
        }
        f.write_str(self.note.as_deref().unwrap_or(&self.diag.message))
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.note.is_none().then(|| {
            let codes: Vec<String> = self
                .group
                .iter()
                .map(|d| format!("{}({})", d.code, d.name))
                .collect();
            Box::new(codes.join(", ")) as Box<dyn fmt::Display>
        })
    }

    fn severity(&self) -> Option<MSeverity> {
        let top = self.group.iter().map(|d| d.severity).max();
        Some(match (&self.note, top.unwrap_or(self.diag.severity)) {
            (Some(_), _) | (_, Severity::Info) => MSeverity::Advice,
            (_, Severity::Warning) => MSeverity::Warning,
            (_, Severity::Error) => MSeverity::Error,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.note.is_some() {
            return None;
        }
        if self.group.len() > 1 {
            let helps: Vec<String> = self
                .group
                .iter()
                .filter_map(|d| Some(format!("{}: {}", d.code, d.help.as_ref()?)))
                .collect();
            return (!helps.is_empty())
                .then(|| Box::new(helps.join("\n")) as Box<dyn fmt::Display>);
        }
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // a group's codes are listed without their links; `explain` has them
        (self.note.is_none() && self.group.len() < 2)
            .then(|| Box::new(rule_url(self.diag.code, self.diag.name)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// Renders every diagnostic as miette blocks.
pub fn render(diagnostics: &[Diagnostic], sources: &SourceMap, opts: &HumanOptions) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write(diagnostics, sources, opts, &mut out);
    out
}

/// [`render`], written to `out` block by block.
pub fn write(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    opts: &HumanOptions,
    out: &mut dyn fmt::Write,
) -> fmt::Result {
    let handler = GraphicalReportHandler::new_themed(theme(opts.color, opts.ascii))
        .with_links(opts.links)
        .with_width(opts.width)
        .with_urls(true)
        .with_show_related_as_nested(true);
    // files holding masked secrets, shown with masks of one length
    let shown: HashMap<FileId, Shown> = diagnostics
        .iter()
        .flat_map(|d| std::iter::once(d.file).chain(d.labels.iter().map(|l| l.file)))
        .collect::<BTreeSet<FileId>>()
        .into_iter()
        .filter_map(|f| Shown::of(sources.get(f)).map(|s| (f, s)))
        .collect();
    let source_of = |id: FileId| {
        let file = sources.get(id);
        let name = super::display_path(file.path());
        match shown.get(&id) {
            Some(s) => IndexedSource::masked(file, s, name),
            None => IndexedSource::new(file, name),
        }
    };
    let span_of = |id: FileId, span: Span| {
        let s = shown.get(&id).map_or(span, |s| s.span(span));
        (s.start, s.len())
    };
    super::write_in_order(&same_place(diagnostics), out, |group, out| {
        let group = group.clone();
        let d = group[0];
        let primary = if group.len() > 1 {
            let codes: Vec<&str> = group.iter().map(|d| d.code).collect();
            Some(codes.join(", ").into())
        } else {
            d.primary_label.clone()
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            primary.map(String::from),
            span_of(d.file, d.span),
        )];
        let mut related = Vec::new();
        let mut seen = BTreeSet::new();
        for g in &group {
            for l in &g.labels {
                if !seen.insert((l.file, l.span, &l.message)) {
                    continue;
                }
                let span = span_of(l.file, l.span);
                if l.file == d.file {
                    let text = if group.len() > 1 {
                        format!("{}: {}", g.code, l.message)
                    } else {
                        l.message.clone()
                    };
                    labels.push(LabeledSpan::new_with_span(Some(text), span));
                } else {
                    related.push(Rendered {
                        diag: g,
                        group: Vec::new(),
                        source: source_of(l.file),
                        related: Vec::new(),
                        labels: vec![LabeledSpan::new_primary_with_span(None, span)],
                        // in a group, say whose place it is
                        note: Some(if group.len() > 1 {
                            format!("{}: {}", g.code, l.message).into()
                        } else {
                            l.message.as_str().into()
                        }),
                    });
                }
            }
        }
        let r = Rendered {
            diag: d,
            source: source_of(d.file),
            related,
            labels,
            note: None,
            group,
        };
        let start = out.len();
        if handler.render_report(out, &r).is_err() {
            out.truncate(start);
            out.push_str(&format!("{}: {}\n", d.code, d.message));
        }
        out.push('\n');
        // lines are cut one by one: cutting each block cuts the whole
        if opts.cut {
            let cut = cut_lines(&out[start..], opts.width, opts.ascii);
            out.truncate(start);
            out.push_str(&cut);
        }
    })
}

/// The findings in order, those sharing a primary span (file and span)
/// together: one snippet shows them all.
fn same_place(diagnostics: &[Diagnostic]) -> Vec<Vec<&Diagnostic>> {
    let mut groups: Vec<Vec<&Diagnostic>> = Vec::new();
    // findings are sorted by file and start: a place's findings are adjacent
    // except for ones of the same start and another end
    let mut run_start = 0;
    for d in diagnostics {
        let same = |g: &Vec<&Diagnostic>| g[0].file == d.file && g[0].span == d.span;
        match groups[run_start..].iter_mut().find(|g| same(g)) {
            Some(g) => g.push(d),
            None => {
                if groups
                    .last()
                    .is_some_and(|g| g[0].file != d.file || g[0].span.start != d.span.start)
                {
                    run_start = groups.len();
                }
                groups.push(vec![d]);
            }
        }
    }
    groups
}

/// One problem of a configuration file, for miette.
struct ConfigProblem<'a> {
    problem: &'a Problem,
    source: Option<IndexedSource<'a>>,
}

impl fmt::Debug for ConfigProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl fmt::Display for ConfigProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl std::error::Error for ConfigProblem<'_> {}

impl miette::Diagnostic for ConfigProblem<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.problem
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.problem.span?;
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, (span.start, span.len())),
        )))
    }
}

/// Renders the problems of configuration files that cannot be used, each with
/// its span in the file.
pub fn render_config_errors(errors: &[ConfigError], color: bool) -> String {
    let ascii = !crate::report::utf8_locale();
    let handler = GraphicalReportHandler::new_themed(theme(color, ascii)).with_width(100);
    let mut out = String::new();
    for e in errors {
        let name = super::display_path(&e.path);
        let file = e
            .text
            .as_ref()
            .map(|t| SourceFile::new(e.path.clone(), t.clone()));
        if file.is_some() {
            out.push_str(&format!("error: invalid configuration in {name}\n"));
        }
        for problem in &e.problems {
            let p = ConfigProblem {
                problem,
                source: file.as_ref().map(|f| IndexedSource::new(f, name.clone())),
            };
            if file.is_none() || problem.span.is_none() {
                out.push_str(&format!("error: cannot use {name}: {}\n", problem.message));
                continue;
            }
            if handler.render_report(&mut out, &p).is_err() {
                out.push_str(&format!("error: {name}: {}\n", problem.message));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::codes::YAML_SYNTAX;
    use crate::source::{LineCol, SourceMap};

    #[test]
    fn long_lines_are_cut_with_a_marker_and_escapes_take_no_width() {
        assert_eq!(cut_lines("abcdef\nab\n", 4, false), "abc…\nab\n");
        assert_eq!(cut_lines("abcdef", 4, true), "abc>");
        assert_eq!(cut_lines("abcd\n", 4, false), "abcd\n");
        let red = "\x1b[31mabcdef\x1b[0m\n";
        assert_eq!(cut_lines(red, 4, false), "\x1b[31mabc…\x1b[0m\n");
        let link = "\x1b]8;;https://x\x1b\\ab\x1b]8;;\x1b\\cdef\n";
        assert!(cut_lines(link, 4, false).ends_with("…\x1b[0m\n"));
        assert_eq!(cut_lines(link, 6, false), link);
    }

    #[test]
    fn many_findings_render_in_order_whole_or_cut() {
        let mut sources = SourceMap::new();
        let text: String = (0..700)
            .map(|i| format!("key{i}: a long value {i}\n"))
            .collect();
        let id = sources.add(SourceFile::new("f.yaml", text.clone()));
        // more findings than one batch of the pool's threads, two at one place
        let mut findings: Vec<Diagnostic> = (0..700)
            .map(|i| {
                let at = text.find(&format!("key{i}:")).unwrap();
                Diagnostic::new(
                    YAML_SYNTAX,
                    id,
                    Span::new(at, at + 3),
                    format!("finding {i}"),
                )
            })
            .collect();
        findings.insert(
            1,
            Diagnostic::new(YAML_SYNTAX, id, Span::new(0, 3), "also here"),
        );
        let whole = HumanOptions::default();
        let out = render(&findings, &sources, &whole);
        // what rendering each place on its own gives, in order
        let one_by_one: String = same_place(&findings)
            .into_iter()
            .map(|g| {
                let g: Vec<Diagnostic> = g.into_iter().cloned().collect();
                render(&g, &sources, &whole)
            })
            .collect();
        assert_eq!(out, one_by_one);
        assert!(out.find("finding 0").unwrap() < out.find("finding 699").unwrap());
        let cut = HumanOptions {
            cut: true,
            width: 40,
            ..whole
        };
        let out_cut = render(&findings, &sources, &cut);
        assert_eq!(
            out_cut,
            cut_lines(
                &render(&findings, &sources, &HumanOptions { width: 40, ..whole }),
                40,
                false
            )
        );
    }

    #[test]
    fn positions_name_the_files_own_columns_whatever_is_masked() {
        let mut sources = SourceMap::new();
        let text = "é: {a: hunter2-hunter2, b: x}\n";
        let id = sources.add(SourceFile::new("f.yaml", text.into()));
        let secret = text.find("hunter2").unwrap();
        sources.mask(id, Span::new(secret, secret + 15));
        let at = text.find("b:").unwrap();
        let d = Diagnostic::new(YAML_SYNTAX, id, Span::new(at, at + 1), "after the mask");
        let out = render(&[d], &sources, &HumanOptions::default());
        let LineCol { line, column } = sources.get(id).line_col(at);
        assert!(out.contains(&format!("[f.yaml:{line}:{column}]")), "{out}");
        assert!(out.contains("a: ********, b: x"), "{out}");
        assert!(!out.contains("hunter2"), "{out}");
    }
}
