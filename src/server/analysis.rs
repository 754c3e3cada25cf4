//! A check of the workspace, turned into what the editor is sent: LSP
//! diagnostics per file, each with the code actions (its fix, a
//! suppression) and the manual hover shows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types as lsp;
use rustc_hash::FxHashMap;

use super::path_uri;
use super::position::{Encoding, Lines};
use crate::compose::Environment;
use crate::config::Layer;
use crate::diagnostic::{rule_url, Diagnostic, Severity};
use crate::engine::{self, CheckOptions};
use crate::fix::Safety;
use crate::source::{Buffers, SourceMap, Span};

/// What the checker is asked.
pub struct Job {
    /// Counts the edits; the result carries it back.
    pub generation: u64,
    /// The folders to check.
    pub roots: Vec<PathBuf>,
    /// The open documents' text, read instead of the disk.
    pub texts: Vec<(PathBuf, Arc<str>)>,
    /// The rule selection of `initializationOptions`.
    pub cli: Layer,
    /// How positions count.
    pub encoding: Encoding,
}

impl Job {
    fn options(&self) -> CheckOptions {
        let mut buffers = Buffers::default();
        for (path, text) in &self.texts {
            buffers.insert(path, text.clone());
        }
        CheckOptions {
            process_env: Environment::from_process(),
            config: crate::config::ConfigSource::Discover,
            cli: self.cli.clone(),
            buffers,
            ..Default::default()
        }
    }
}

/// One finding as the editor gets it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The diagnostic published.
    pub diagnostic: lsp::Diagnostic,
    /// Its rule.
    pub code: &'static str,
    /// Its fix, if it has one.
    pub fix: Option<QuickFix>,
    /// The comment that suppresses it, on the line above.
    pub suppress: Option<lsp::TextEdit>,
}

/// A finding's fix, made a code action when asked for.
#[derive(Debug, Clone)]
pub struct QuickFix {
    /// The action's title.
    pub title: String,
    /// Whether `--fix` would apply it.
    pub safe: bool,
    /// The edits, with their files.
    pub edits: Vec<(lsp::Uri, lsp::TextEdit)>,
}

/// The findings of one file.
#[derive(Debug, Clone, Default)]
pub struct FileFindings {
    /// In the order of the check.
    pub findings: Vec<Finding>,
}

/// A check's result.
#[derive(Debug, Default)]
pub struct Analysis {
    /// The job's generation.
    pub generation: u64,
    /// Findings by file.
    pub files: FxHashMap<lsp::Uri, FileFindings>,
    /// Why the check could not be done, if it could not.
    pub failure: Option<String>,
}

impl Analysis {
    /// A check that failed (a bug: it panicked).
    pub fn failed(generation: u64) -> Self {
        Analysis {
            generation,
            failure: Some("the check failed; please report it with the files open".into()),
            ..Default::default()
        }
    }

    /// The quick fixes of the findings of `uri` touching `range`.
    pub fn actions(&self, uri: &lsp::Uri, range: lsp::Range) -> Vec<lsp::CodeAction> {
        let Some(file) = self.files.get(uri) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for f in file
            .findings
            .iter()
            .filter(|f| touches(f.diagnostic.range, range))
        {
            if let Some(QuickFix { title, safe, edits }) = &f.fix {
                let mut changes: std::collections::HashMap<lsp::Uri, Vec<lsp::TextEdit>> =
                    Default::default();
                for (uri, edit) in edits {
                    changes.entry(uri.clone()).or_default().push(edit.clone());
                }
                out.push(lsp::CodeAction {
                    title: title.clone(),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![f.diagnostic.clone()]),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some(changes),
                        ..Default::default()
                    }),
                    is_preferred: Some(*safe),
                    ..Default::default()
                });
            }
            if let Some(edit) = &f.suppress {
                out.push(lsp::CodeAction {
                    title: format!("Suppress {} on this line", f.code),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![f.diagnostic.clone()]),
                    edit: Some(lsp::WorkspaceEdit {
                        changes: Some([(uri.clone(), vec![edit.clone()])].into_iter().collect()),
                        ..Default::default()
                    }),
                    ..Default::default()
                });
            }
        }
        out
    }

    /// The manuals of the rules with a finding at `position` of `uri`.
    pub fn manuals_at(&self, uri: &lsp::Uri, position: lsp::Position) -> Vec<String> {
        let Some(file) = self.files.get(uri) else {
            return Vec::new();
        };
        let mut codes: Vec<&str> = file
            .findings
            .iter()
            .filter(|f| touches(f.diagnostic.range, lsp::Range::new(position, position)))
            .map(|f| f.code)
            .collect();
        codes.dedup();
        codes
            .into_iter()
            .filter_map(crate::rules::find)
            .map(|r| {
                crate::report::manual::with_absolute_links(
                    &crate::report::manual::without_test_tags(r.meta.manual),
                )
            })
            .collect()
    }
}

/// Whether two ranges overlap or touch.
fn touches(a: lsp::Range, b: lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Checks the job's folders.
pub fn analyse(job: &Job) -> Analysis {
    let outcome = engine::check(&job.roots, &job.options());
    let mut analysis = Analysis {
        generation: job.generation,
        ..Default::default()
    };
    if !outcome.config_errors.is_empty() {
        // nothing was linted: the configuration's problems are the findings
        for e in &outcome.config_errors {
            let Some(uri) = path_uri(&e.path) else {
                continue;
            };
            let lines = Lines::new(e.text.as_deref().unwrap_or(""), job.encoding);
            let findings = &mut analysis.files.entry(uri).or_default().findings;
            for p in &e.problems {
                let mut message = p.message.clone();
                if let Some(help) = &p.help {
                    message.push_str("\nhelp: ");
                    message.push_str(help);
                }
                findings.push(Finding {
                    diagnostic: lsp::Diagnostic {
                        range: lines.range(p.span.unwrap_or_default()),
                        severity: Some(lsp::DiagnosticSeverity::ERROR),
                        source: Some("seaworthy".into()),
                        message,
                        ..Default::default()
                    },
                    code: "",
                    fix: None,
                    suppress: None,
                });
            }
        }
        analysis.failure = Some("the configuration is invalid: nothing was checked".into());
        return analysis;
    }
    let mut texts = Texts::new(job);
    for d in &outcome.diagnostics {
        let path = outcome.sources.get(d.file).path();
        let Some(uri) = texts.uri(path) else { continue };
        let finding = finding(d, &outcome.sources, &mut texts);
        analysis
            .files
            .entry(uri)
            .or_default()
            .findings
            .push(finding);
    }
    analysis
}

/// The original text of files (the source map's has its secrets masked),
/// each read and indexed once.
struct Texts<'j> {
    job: &'j Job,
    lines: FxHashMap<PathBuf, Lines>,
    uris: FxHashMap<PathBuf, Option<lsp::Uri>>,
}

impl<'j> Texts<'j> {
    fn new(job: &'j Job) -> Self {
        Texts {
            job,
            lines: FxHashMap::default(),
            uris: FxHashMap::default(),
        }
    }

    fn uri(&mut self, path: &Path) -> Option<lsp::Uri> {
        self.uris
            .entry(path.to_path_buf())
            .or_insert_with(|| path_uri(path))
            .clone()
    }

    fn lines(&mut self, path: &Path) -> &Lines {
        let job = self.job;
        self.lines.entry(path.to_path_buf()).or_insert_with(|| {
            let text = match job.texts.iter().find(|(p, _)| p == path) {
                Some((_, t)) => t.to_string(),
                None => crate::source::read_file(path)
                    .map_or_else(|_| String::new(), |f| f.text().to_string()),
            };
            Lines::new(text, job.encoding)
        })
    }

    fn range(&mut self, path: &Path, span: Span) -> lsp::Range {
        self.lines(path).range(span)
    }
}

fn finding(d: &Diagnostic, sources: &SourceMap, texts: &mut Texts<'_>) -> Finding {
    let path = sources.get(d.file).path();
    let range = texts.range(path, d.span);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|l| {
            let p = sources.get(l.file).path();
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: texts.uri(p)?,
                    range: texts.range(p, l.span),
                },
                message: l.message.clone(),
            })
        })
        .collect();
    let diagnostic = lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_url(d.code, d.name)
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("seaworthy".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code == crate::diagnostic::codes::UNUSED_SUPPRESSION.code)
            .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    };
    let fix = d.fix.as_deref().map(|f| {
        let edits = f
            .edits
            .iter()
            .filter_map(|e| {
                let p = sources.get(e.file).path();
                let edit = lsp::TextEdit {
                    range: texts.range(p, e.span),
                    new_text: e.text.clone(),
                };
                Some((texts.uri(p)?, edit))
            })
            .collect();
        let title = match f.safety {
            Safety::Safe => format!("{} ({})", capitalised(&f.description), d.code),
            Safety::Unsafe => format!(
                "{} ({}, unsafe: changes behaviour)",
                capitalised(&f.description),
                d.code
            ),
        };
        QuickFix {
            title,
            safe: f.safety == Safety::Safe,
            edits,
        }
    });
    let suppress = suppression(d.code, texts.lines(path), d.span.start);
    Finding {
        diagnostic,
        code: d.code,
        fix,
        suppress,
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `# seaworthy: ignore[CODE]` on a line of its own above the finding's
/// line, at its indentation.
fn suppression(code: &str, lines: &Lines, offset: usize) -> Option<lsp::TextEdit> {
    let text = lines.text();
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    let start = crate::fix::line_start(text, offset);
    let indent: String = text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let at = lines.position(start);
    Some(lsp::TextEdit {
        range: lsp::Range::new(at, at),
        new_text: format!(
            "{indent}# seaworthy: ignore[{code}]{}",
            crate::fix::line_break(text)
        ),
    })
}

/// The text `path` has once every safe fix is applied, if any applies.
pub fn fixed_text(job: &Job, path: &Path) -> Option<String> {
    let fixed = engine::fix::run(&job.roots, &job.options(), Safety::Safe, &mut |_| {});
    let target = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    fixed
        .changed
        .into_iter()
        .find(|c| c.path.canonicalize().unwrap_or_else(|_| c.path.clone()) == target)
        .map(|c| c.after.to_string())
}
