//! JUnit XML: a test suite per linted file and a test case per finding —
//! failed when the finding fails the run (`--fail-on`), skipped when it does
//! not; a file without findings has one passing case, so dashboards count it.
//! A path that could not be read is an error case in a suite of its own.

use quick_junit::{NonSuccessKind, Report as Junit, TestCase, TestCaseStatus, TestSuite};

use super::{Report, TOOL_NAME};

/// Renders the run as JUnit XML.
pub fn render(report: &Report<'_>) -> String {
    let mut junit = Junit::new(TOOL_NAME);
    for (file, diagnostics) in report.by_file() {
        let mut suite = TestSuite::new(file.as_str());
        let clean = diagnostics.is_empty();
        for d in diagnostics {
            let (start, _) = report.range(d.file, d.span);
            let mut status = if report.fail.fails(d) {
                TestCaseStatus::non_success(NonSuccessKind::Failure)
            } else {
                TestCaseStatus::skipped()
            };
            status
                .set_message(d.message.as_str())
                .set_type(d.severity.as_str())
                .set_description(format!(
                    "{file}:{}:{}: {}[{}] {}{}",
                    start.line,
                    start.column,
                    d.severity.as_str(),
                    d.code,
                    d.message,
                    d.help
                        .as_ref()
                        .map(|h| format!("\nhelp: {h}"))
                        .unwrap_or_default()
                ));
            let mut case = TestCase::new(
                format!(
                    "{}({}) at {file}:{}:{}",
                    d.code, d.name, start.line, start.column
                ),
                status,
            );
            case.set_classname(format!("{TOOL_NAME}.{}", d.code));
            suite.add_test_case(case);
        }
        if clean {
            let mut case = TestCase::new("no problems", TestCaseStatus::success());
            case.set_classname(TOOL_NAME);
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new(TOOL_NAME);
        for e in report.errors {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(e.as_str()).set_type("unreadable");
            let mut case = TestCase::new(e.as_str(), status);
            case.set_classname(TOOL_NAME);
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    // quick-junit writes to a String buffer; that cannot fail.
    junit.to_string().unwrap_or_default()
}
