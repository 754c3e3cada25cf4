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
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            links: false,
            width: 100,
        }
    }
}

struct Rendered<'a> {
    diag: &'a Diagnostic,
    source: IndexedSource<'a>,
    related: Vec<Rendered<'a>>,
    /// Labels of this block (the primary, or a related label in another file).
    labels: Vec<LabeledSpan>,
    /// `None` for the finding itself; for a related location in another
    /// file, what that place has to do with the finding.
    note: Option<&'a str>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.note.unwrap_or(&self.diag.message))
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.note.is_none().then(|| {
            Box::new(format!("{}({})", self.diag.code, self.diag.name)) as Box<dyn fmt::Display>
        })
    }

    fn severity(&self) -> Option<MSeverity> {
        Some(match (self.note, self.diag.severity) {
            (Some(_), _) | (_, Severity::Info) => MSeverity::Advice,
            (_, Severity::Warning) => MSeverity::Warning,
            (_, Severity::Error) => MSeverity::Error,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.note.is_some() {
            return None;
        }
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.note
            .is_none()
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
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
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
    let mut out = String::new();
    for d in diagnostics {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            d.primary_label.clone(),
            span_of(d.file, d.span),
        )];
        let mut related = Vec::new();
        for l in &d.labels {
            let span = span_of(l.file, l.span);
            if l.file == d.file {
                labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), span));
            } else {
                related.push(Rendered {
                    diag: d,
                    source: source_of(l.file),
                    related: Vec::new(),
                    labels: vec![LabeledSpan::new_primary_with_span(None, span)],
                    note: Some(&l.message),
                });
            }
        }
        let r = Rendered {
            diag: d,
            source: source_of(d.file),
            related,
            labels,
            note: None,
        };
        if handler.render_report(&mut out, &r).is_err() {
            out.push_str(&format!("{}: {}\n", d.code, d.message));
        }
        out.push('\n');
    }
    out
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
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
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
