//! `--statistics`: how many findings each rule produced, most frequent first,
//! with the Dockerfile findings compose overrides counted apart.

use std::collections::BTreeMap;

use super::Report;
use crate::diagnostic::Severity;

/// One rule's line.
#[derive(serde::Serialize)]
struct Stat {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    count: usize,
    /// Dockerfile findings not reported because compose overrides them.
    overridden: usize,
}

/// One line per rule and severity (CM104 reports at two), as a table ending
/// with the summary line (unless `quiet`), or as a JSON array.
pub fn render(report: &Report<'_>, json: bool, quiet: bool) -> String {
    let mut by_code: BTreeMap<(&'static str, Severity), Stat> = BTreeMap::new();
    fn stat<'m>(
        map: &'m mut BTreeMap<(&'static str, Severity), Stat>,
        code: &'static str,
        name: &'static str,
        severity: Severity,
    ) -> &'m mut Stat {
        map.entry((code, severity)).or_insert(Stat {
            code,
            name,
            severity: severity.as_str(),
            count: 0,
            overridden: 0,
        })
    }
    for d in report.diagnostics {
        stat(&mut by_code, d.code, d.name, d.severity).count += 1;
    }
    for code in report.overridden {
        if let Some(rule) = report.rules.iter().find(|r| r.code == *code) {
            stat(&mut by_code, rule.code, rule.name, rule.severity).overridden += 1;
        }
    }
    let mut stats: Vec<Stat> = by_code.into_values().collect();
    stats.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    if json {
        // Serializing plain structs of strings and numbers cannot fail.
        let mut text = serde_json::to_string_pretty(&stats).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let width = stats.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for s in &stats {
        let mut line = format!(
            "{:>6}  {}  {:<width$}  {}",
            s.count, s.code, s.name, s.severity
        );
        if s.overridden > 0 {
            line.push_str(&format!(
                "  ({} more overridden by every service building the Dockerfile)",
                s.overridden
            ));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !quiet {
        out.push_str(&super::summary_line(report));
        out.push('\n');
    }
    out
}
