//! One line per finding, `path:line:col: severity[CODE] message`: what editors
//! and pre-commit show.

use std::fmt::Write;

use super::Report;

/// Renders every finding on its own line.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let (start, _) = report.range(d.file, d.span);
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            report.path(d.file),
            start.line,
            start.column,
            d.severity.as_str(),
            d.code,
            d.message.replace('\n', " ")
        );
    }
    out
}
