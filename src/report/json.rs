//! `--format json`: one object, versioned, documented in
//! `docs/output-formats.md`. Other tools build on it: fields are only ever
//! added within a version.

use super::{Counts, Fixable, Position, Report, TOOL_NAME, TOOL_VERSION};
use crate::diagnostic::rule_url;

/// Version of the JSON layout.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(serde::Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    diagnostics: Vec<Finding<'a>>,
    summary: Summary,
    input_errors: &'a [String],
}

#[derive(serde::Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(serde::Serialize)]
struct Finding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    path: String,
    start: Position,
    end: Position,
    label: Option<&'a str>,
    labels: Vec<Label<'a>>,
    help: Option<&'a str>,
    url: String,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixJson<'a>>,
}

#[derive(serde::Serialize)]
struct FixJson<'a> {
    description: &'a str,
    safety: &'a str,
    edits: Vec<EditJson<'a>>,
}

#[derive(serde::Serialize)]
struct EditJson<'a> {
    path: String,
    start: Position,
    end: Position,
    content: &'a str,
}

#[derive(serde::Serialize)]
struct Label<'a> {
    path: String,
    start: Position,
    end: Position,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct Summary {
    files: usize,
    /// Of `files`, those judged as development.
    development: usize,
    #[serde(flatten)]
    counts: Counts,
    fixable: Fixable,
}

/// Renders the run as one JSON object, followed by a newline.
pub fn render(report: &Report<'_>) -> String {
    let diagnostics = report
        .fingerprinted()
        .map(|(d, fingerprint)| {
            let (start, end) = report.range(d.file, d.span);
            Finding {
                code: d.code,
                name: d.name,
                severity: d.severity.as_str(),
                message: &d.message,
                path: report.path(d.file).to_owned(),
                start,
                end,
                label: d.primary_label.as_deref(),
                labels: d
                    .labels
                    .iter()
                    .map(|l| {
                        let (start, end) = report.range(l.file, l.span);
                        Label {
                            path: report.path(l.file).to_owned(),
                            start,
                            end,
                            message: &l.message,
                        }
                    })
                    .collect(),
                help: d.help.as_deref(),
                url: rule_url(d.code, d.name),
                fingerprint,
                fix: d.fix.as_deref().map(|f| FixJson {
                    description: &f.description,
                    safety: f.safety.as_str(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| {
                            let (start, end) = report.range(e.file, e.span);
                            EditJson {
                                path: report.path(e.file).to_owned(),
                                start,
                                end,
                                content: &e.text,
                            }
                        })
                        .collect(),
                }),
            }
        })
        .collect();
    let output = Output {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
        },
        diagnostics,
        summary: Summary {
            files: report.files.len(),
            development: report.development,
            counts: report.counts(),
            fixable: report.fixable(),
        },
        input_errors: report.errors,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
