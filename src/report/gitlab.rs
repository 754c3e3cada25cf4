//! GitLab Code Quality: a JSON array of issues (a subset of the Code Climate
//! format) shown in merge requests. Fingerprints are stable and unique.

use serde::Serialize;

use super::Report;
use crate::diagnostic::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// Renders the findings as a Code Quality report, followed by a newline.
pub fn render(report: &Report<'_>) -> String {
    let issues: Vec<Issue<'_>> = report
        .fingerprinted()
        .map(|(d, fingerprint)| {
            let (start, end) = report.range(d.file, d.span);
            Issue {
                description: format!("{}: {}", d.code, d.message),
                check_name: d.code,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "info",
                },
                location: Location {
                    path: report.path(d.file).to_owned(),
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            }
        })
        .collect();
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}
