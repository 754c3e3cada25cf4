//! SARIF 2.1.0, as GitHub code scanning and other platforms read it: rule
//! metadata with help, one result per finding with its region (end line and
//! column included), related locations and a partial fingerprint.

use serde::Serialize;

use super::manual::{with_absolute_links, without_test_tags};
use super::{Report, RuleInfo, TOOL_NAME, TOOL_URI, TOOL_VERSION};
use crate::diagnostic::{rule_url, Diagnostic, Severity};
use crate::source::{encode_uri_path, FileId, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id relative paths are resolved against: where the tool ran.
const ROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<serde_json::Value>,
    column_kind: &'static str,
    results: Vec<Result>,
    invocations: [Invocation; 1],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// GitHub code scanning's 0–10 score for security rules (its "critical",
    /// "high", "medium" and "low" start at 9, 7, 4 and 0.1).
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Result {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Text>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "seaworthy/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(info: &RuleInfo) -> Rule {
    Rule {
        id: info.code,
        name: info.name,
        short_description: Text {
            text: info.summary.to_string(),
        },
        full_description: Text {
            text: info.summary.to_string(),
        },
        help_uri: rule_url(info.code, info.name),
        help: Help {
            text: format!("{} See {}", info.summary, rule_url(info.code, info.name)),
            markdown: with_absolute_links(&without_test_tags(info.manual)),
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: properties(info),
    }
}

/// A rule's tags (its category and what it reads) and, for security rules,
/// the score the rule declares.
fn properties(info: &RuleInfo) -> RuleProperties {
    let reads = match &info.code[..2] {
        "YM" => "yaml",
        "CM" => "compose",
        "DF" => "dockerfile",
        _ => "configuration",
    };
    // GitHub reads `security-severity` of rules tagged `security`, which
    // the category of security rules is
    RuleProperties {
        tags: vec![info.category, reads],
        security_severity: info.security_severity,
    }
}

/// A file's URI: relative (to [`ROOT`]) when below the current directory,
/// else a `file://` URI; reserved characters percent-encoded.
fn artifact(report: &Report<'_>, file: FileId) -> ArtifactLocation {
    let path = report.sources.get(file).path();
    let shown = report.path(file);
    if path.is_absolute() && shown.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_uri_path(shown)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_uri_path(shown),
            uri_base_id: Some(ROOT),
        }
    }
}

fn location(report: &Report<'_>, file: FileId, span: Span) -> PhysicalLocation {
    let (start, end) = report.range(file, span);
    PhysicalLocation {
        artifact_location: artifact(report, file),
        region: Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
            byte_offset: span.start,
            byte_length: span.len(),
        },
    }
}

fn result(report: &Report<'_>, d: &Diagnostic, fingerprint: String) -> Result {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str(&format!(" (help: {help})"));
    }
    Result {
        rule_id: d.code,
        rule_index: report.rule_index(d.code),
        level: level(d.severity),
        message: Text { text },
        locations: [Location {
            id: None,
            physical_location: location(report, d.file, d.span),
            message: None,
        }],
        related_locations: d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| Location {
                id: Some(i + 1),
                physical_location: location(report, l.file, l.span),
                message: Some(Text {
                    text: l.message.clone(),
                }),
            })
            .collect(),
        partial_fingerprints: Fingerprints { v1: fingerprint },
        fixes: d
            .fix
            .as_deref()
            .map(|f| fix(report, f))
            .into_iter()
            .collect(),
    }
}

/// A fix as SARIF's `fix`: its replacements grouped by file, in order.
fn fix(report: &Report<'_>, f: &crate::fix::Fix) -> SarifFix {
    let mut files: Vec<FileId> = f.edits.iter().map(|e| e.file).collect();
    files.sort();
    files.dedup();
    SarifFix {
        description: Text {
            text: format!("{} ({})", f.description, f.safety.as_str()),
        },
        artifact_changes: files
            .into_iter()
            .map(|file| {
                let mut edits: Vec<&crate::fix::Edit> =
                    f.edits.iter().filter(|e| e.file == file).collect();
                edits.sort_by_key(|e| e.span.start);
                ArtifactChange {
                    artifact_location: artifact(report, file),
                    replacements: edits
                        .into_iter()
                        .map(|e| Replacement {
                            deleted_region: location(report, file, e.span).region,
                            inserted_content: (!e.text.is_empty()).then(|| Text {
                                text: e.text.clone(),
                            }),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// Renders the run as a SARIF 2.1.0 log, followed by a newline.
pub fn render(report: &Report<'_>) -> String {
    let results = report
        .fingerprinted()
        .map(|(d, fp)| result(report, d, fp))
        .collect();
    let root = std::env::current_dir().ok().map(|d| {
        let mut uri = format!("file://{}", encode_uri_path(&d.display().to_string()));
        if !uri.ends_with('/') {
            uri.push('/');
        }
        serde_json::json!({ ROOT: { "uri": uri } })
    });
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: TOOL_NAME,
                    version: TOOL_VERSION,
                    semantic_version: TOOL_VERSION,
                    information_uri: TOOL_URI,
                    rules: report.rules.iter().map(rule).collect(),
                },
            },
            original_uri_base_ids: root,
            column_kind: "unicodeCodePoints",
            results,
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: report
                    .errors
                    .iter()
                    .map(|e| Notification {
                        level: "error",
                        message: Text { text: e.clone() },
                    })
                    .collect(),
            }],
        }],
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            crate::source::encode_uri_path("a b/c#d.yaml"),
            "a%20b/c%23d.yaml"
        );
    }
}
