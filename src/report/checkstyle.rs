//! Checkstyle XML: one `<file>` per linted file, one `<error>` per finding;
//! read by Jenkins' warnings plugin, reviewdog and many CI dashboards.

use std::fmt::Write;

use super::Report;

/// Escapes text for an XML attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Renders the run; every linted file appears, with or without findings.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Writing to a String cannot fail.
    out.push_str("<checkstyle version=\"4.3\">\n");
    for (file, diagnostics) in report.by_file() {
        let _ = writeln!(out, "  <file name=\"{}\">", escape(&file));
        for d in diagnostics {
            let (start, _) = report.range(d.file, d.span);
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"seaworthy.{}\"/>",
                start.line,
                start.column,
                d.severity.as_str(),
                escape(&d.message),
                d.code
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
