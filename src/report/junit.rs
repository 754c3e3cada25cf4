//! JUnit XML: a test suite per linted file and a failed test case per
//! finding; a file without findings has one passing case, so dashboards count
//! it.

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
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
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
    // quick-junit writes to a String buffer; that cannot fail.
    junit.to_string().unwrap_or_default()
}
