//! `--format json`: one object, versioned, documented in
//! `docs/output-formats.md`. Other tools build on it: fields are only ever
//! added within a version.

use super::{Counts, Position, Report, TOOL_NAME, TOOL_VERSION};
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
        },
        input_errors: report.errors,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
