//! One line per finding, `path:line:col: severity[CODE] message`: what editors
//! and pre-commit show.

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Severity;

/// Renders every finding on its own line; `color` styles the place bold and
/// the severity in its colour (red, yellow, cyan).
pub fn render(report: &Report<'_>, color: bool) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write(report, color, &mut out);
    out
}

/// [`render`], written to `out` line by line.
pub fn write(report: &Report<'_>, color: bool, out: &mut dyn Write) -> std::fmt::Result {
    super::write_in_order(report.diagnostics, out, |d, out| {
        let start = report.sources.get(d.file).line_col(d.span.start);
        let (on, bold, off) = match (color, d.severity) {
            (false, _) => ("", "", ""),
            (true, Severity::Error) => ("\x1b[1;31m", "\x1b[1m", "\x1b[0m"),
            (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[1m", "\x1b[0m"),
            (true, Severity::Info) => ("\x1b[1;36m", "\x1b[1m", "\x1b[0m"),
        };
        // writing to a String cannot fail
        let _ = writeln!(
            out,
            "{bold}{}:{}:{}:{off} {on}{}[{}]{off} {}",
            report.path(d.file),
            start.line,
            start.column,
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        );
    })
}

/// `message` on one line: a line break becomes a space.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.contains('\n') {
        message.replace('\n', " ").into()
    } else {
        message.into()
    }
}
