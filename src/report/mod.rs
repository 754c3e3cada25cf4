//! Rendering diagnostics, one module per output format. Reporters see
//! diagnostics, sources and rule metadata ([`RuleInfo`]), never rules.

pub mod checkstyle;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod manual;
pub mod sarif;
pub mod source_code;
pub mod statistics;
mod yaml_out;

pub use yaml_out::yaml_text;

pub use crate::source::display_path;

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{FileId, SourceMap, Span};

/// Text written through to a byte stream: a report goes to standard output
/// as it is rendered instead of being built whole first. A failed write
/// (a closed pipe) ends the rendering.
pub struct Stream<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::fmt::Write for Stream<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|_| std::fmt::Error)
    }
}

/// Renders `items` into `out` in order, a batch at a time: the items of a
/// batch are rendered on the pool's threads, each share into a text of its
/// own, and the texts written in order. What is written is what rendering
/// them one by one would write; it reaches `out` batch by batch, and no more
/// than one batch's text is held. Rendering a finding (a snippet, a
/// line) costs far more than writing it, and the pool is idle by then.
pub fn write_in_order<T: Sync>(
    items: &[T],
    out: &mut dyn std::fmt::Write,
    render: impl Fn(&T, &mut String) + Sync,
) -> std::fmt::Result {
    use rayon::prelude::*;
    // items per thread and batch: enough to make a share worth handing over
    const SHARE: usize = 128;
    let batch = SHARE * rayon::current_num_threads().max(1);
    for items in items.chunks(batch) {
        let texts: Vec<String> = items
            .par_chunks(SHARE)
            .map(|share| {
                let mut text = String::new();
                for item in share {
                    render(item, &mut text);
                }
                text
            })
            .collect();
        for text in &texts {
            out.write_str(text)?;
        }
    }
    Ok(())
}

/// The tool's name in every format.
pub const TOOL_NAME: &str = "seaworthy";
/// The tool's version in every format.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
/// Where the tool lives.
pub const TOOL_URI: &str = crate::diagnostic::REPOSITORY;

/// Whether the locale says the terminal shows UTF-8: the first of
/// `LC_ALL`, `LC_CTYPE` and `LANG` that is set names a UTF-8 charset. None
/// set counts as UTF-8 (CI runners often set none and show it); `LANG=C`
/// or `POSIX` does not, and output falls back to ASCII.
pub fn utf8_locale() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty());
    locale.is_none_or(|v| {
        let v = v.to_string_lossy().to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

/// What a reporter knows of a rule.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    /// Permanent code.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// Category (`reliability`, `security`…).
    pub category: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One sentence: what the rule checks.
    pub summary: &'static str,
    /// GitHub code scanning's score of a security rule (`"9.0"`).
    pub security_severity: Option<&'static str>,
    /// The Markdown manual.
    pub manual: &'static str,
}

/// Everything one run gives a reporter.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// Findings, sorted, secrets masked in `sources`.
    pub diagnostics: &'a [Diagnostic],
    /// Every file read.
    pub sources: &'a SourceMap,
    /// Every file linted (with or without findings).
    pub files: &'a [PathBuf],
    /// Metadata of every rule.
    pub rules: &'a [RuleInfo],
    /// Paths that could not be read (the run exits 2).
    pub errors: &'a [String],
    /// Codes of Dockerfile findings not reported because every service
    /// building the Dockerfile overrides them in compose.
    pub overridden: &'a [&'static str],
    /// Findings hidden by inline suppressions and by the baseline.
    pub hidden: Hidden,
    /// How many of `files` were judged as development files.
    pub development: usize,
    /// Which findings fail the run (JUnit counts only those as failures).
    pub fail: crate::config::FailPolicy<'a>,
    /// How each file of `sources` is shown, by [`FileId`] ([`shown_paths`]):
    /// computed once per file, not for every finding.
    pub shown: &'a [String],
}

/// How each file of `sources` is shown, by [`FileId`]; on the pool, which
/// is idle by then (a large run reads thousands of files).
pub fn shown_paths(sources: &SourceMap) -> Vec<String> {
    use rayon::prelude::*;
    let paths: Vec<&std::path::Path> = sources.iter().map(|(_, f)| f.path()).collect();
    paths.par_iter().map(|p| display_path(p)).collect()
}

/// Findings a run found but does not report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Removed by inline suppressions.
    pub suppressed: usize,
    /// Removed because the baseline records them.
    pub baselined: usize,
}

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Info.
    pub info: usize,
}

/// Findings a fix exists for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Fixable {
    /// Fixed by `--fix`.
    pub safe: usize,
    /// Fixed by `--fix --unsafe-fixes` only.
    pub r#unsafe: usize,
}

impl Fixable {
    /// ` 2 fixable with `--fix`.`, or nothing when there is none.
    pub fn hint(self) -> String {
        match (self.safe, self.r#unsafe) {
            (0, 0) => String::new(),
            (s, 0) => format!(" {s} fixable with `--fix`."),
            (0, u) => format!(" {u} fixable with `--fix --unsafe-fixes`."),
            (s, u) => format!(" {s} fixable with `--fix`, {u} more with `--unsafe-fixes`."),
        }
    }
}

impl<'a> Report<'a> {
    /// Findings per severity.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }

    /// Findings with a fix, by its safety.
    pub fn fixable(&self) -> Fixable {
        let mut f = Fixable::default();
        for fix in self.diagnostics.iter().filter_map(|d| d.fix.as_deref()) {
            match fix.safety {
                crate::fix::Safety::Safe => f.safe += 1,
                crate::fix::Safety::Unsafe => f.r#unsafe += 1,
            }
        }
        f
    }

    /// Every finding with its fingerprint ([`crate::fingerprint`]).
    pub fn fingerprinted(&self) -> impl Iterator<Item = (&'a Diagnostic, String)> {
        let prints = crate::fingerprint::fingerprints(self.diagnostics, self.sources);
        self.diagnostics.iter().zip(prints)
    }

    /// How `file` is shown.
    pub fn path(&self, file: FileId) -> &'a str {
        &self.shown[file.0 as usize]
    }

    /// Start and end of `span` in `file` (end exclusive).
    pub fn range(&self, file: FileId, span: Span) -> (Position, Position) {
        let f = self.sources.get(file);
        let at = |offset: usize| {
            let lc = f.line_col(offset);
            Position {
                line: lc.line,
                column: lc.column,
                offset,
            }
        };
        (at(span.start), at(span.end))
    }

    /// Every linted file (as shown), sorted, with its findings in order; files
    /// without findings included.
    pub fn by_file(&self) -> Vec<(String, Vec<&Diagnostic>)> {
        let mut files: std::collections::BTreeMap<String, Vec<&Diagnostic>> = self
            .files
            .iter()
            .map(|p| (display_path(p), Vec::new()))
            .collect();
        for d in self.diagnostics {
            files
                .entry(self.path(d.file).to_owned())
                .or_default()
                .push(d);
        }
        files.into_iter().collect()
    }

    /// The index in [`Report::rules`] of the rule `code`.
    pub fn rule_index(&self, code: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.code == code)
    }
}

/// A place in a file: 1-based line, 1-based column in characters, byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// Byte offset, from 0.
    pub offset: usize,
}

/// `n` and the noun, plural when `n != 1` (`1 error`, `2 warnings`).
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The closing line of the text formats: what was found in how many files.
pub fn summary_line(report: &Report<'_>) -> String {
    let c = report.counts();
    let files = count(report.files.len(), "file", "files");
    let mut hidden = Vec::new();
    if report.development > 0 {
        hidden.push(format!("{} judged as development", report.development));
    }
    if report.hidden.suppressed > 0 {
        hidden.push(format!("{} suppressed inline", report.hidden.suppressed));
    }
    if report.hidden.baselined > 0 {
        hidden.push(format!("{} in the baseline", report.hidden.baselined));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!(" ({})", hidden.join(", "))
    };
    // a run that could not read a path is not a clean bill of health
    let unread = match report.errors.len() {
        0 => String::new(),
        n => format!("; {} could not be read", count(n, "path", "paths")),
    };
    if report.diagnostics.is_empty() {
        if report.files.is_empty() && !report.errors.is_empty() {
            return format!("Nothing was checked{unread}.").replacen("; ", ": ", 1);
        }
        if !report.errors.is_empty() {
            return format!("Found nothing in {files}{hidden}{unread}.");
        }
        return format!("No problems found in {files}{hidden}.");
    }
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(count(c.errors, "error", "errors"));
    }
    if c.warnings > 0 {
        parts.push(count(c.warnings, "warning", "warnings"));
    }
    if c.info > 0 {
        parts.push(format!("{} info", c.info));
    }
    format!(
        "Found {} in {files}{hidden}{unread}.{}",
        parts.join(", "),
        report.fixable().hint()
    )
}
