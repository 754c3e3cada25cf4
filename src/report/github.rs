//! GitHub Actions workflow commands: each finding becomes an annotation on the
//! pull request's diff (`::warning file=…,line=…::message`).

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Severity;

/// Escapes a message: `%`, carriage return and line feed.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders one workflow command per finding.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write(report, &mut out);
    out
}

/// [`render`], written to `out` command by command.
pub fn write(report: &Report<'_>, out: &mut dyn Write) -> std::fmt::Result {
    for d in report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (start, end) = report.range(d.file, d.span);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        write!(
            out,
            "::{command} file={},line={},col={},endLine={}",
            property(report.path(d.file)),
            start.line,
            start.column,
            end.line,
        )?;
        // GitHub accepts a column range on one line only.
        if start.line == end.line {
            write!(out, ",endColumn={}", end.column)?;
        }
        writeln!(
            out,
            ",title={}::{}",
            property(&format!("{} {}", d.code, d.name)),
            data(&message)
        )?;
    }
    // a path that could not be read fails the run (exit 2): say so where
    // the run's annotations are shown
    for e in report.errors {
        writeln!(out, "::error title=seaworthy::{}", data(e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(data("50% of\r\nlines"), "50%25 of%0D%0Alines");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
