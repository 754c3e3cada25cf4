//! CM102 `healthcheck-curl-without-fail`: a health check that passes on HTTP 500.
use crate::compose::model::HealthTest;
use crate::dockerfile::shell::{curl_without_fail_in_exec, curl_without_fail_in_script};
use crate::rules::prelude::*;

declare_rule! {
    /// A compose health test running `curl` without `--fail`.
    pub HealthcheckCurlWithoutFail {
        code: "CM102", name: "healthcheck-curl-without-fail",
        category: Reliability, severity: Warning, fix: FixKind::Unsafe, since: "0.1.0",
    }
}

/// The span of the offending `curl` in a health test, and the list item it
/// is when it is a whole argument of the exec form.
fn offending_curl<'a>(
    cx: &Context<'_>,
    test: &HealthTest,
    value: &'a Spanned<Value>,
) -> Option<(Span, Option<&'a Spanned<Value>>)> {
    let items = value.value.as_list().unwrap_or_default();
    match test {
        HealthTest::Shell(script) => {
            let inner = curl_without_fail_in_script(script)?;
            // `test: "curl …"` or `test: ["CMD-SHELL", "curl …"]`
            let node = items.get(1).unwrap_or(value);
            Some((within(cx, node, script, inner), None))
        }
        HealthTest::Exec(args) => {
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let (index, inner) = curl_without_fail_in_exec(&words)?;
            let skip = usize::from(items.first().and_then(|i| i.value.as_str()) == Some("CMD"));
            let node = items.get(index + skip)?;
            Some(match inner {
                Some(inner) => (within(cx, node, args[index].as_str(), inner), None),
                None => (node.span, Some(node)),
            })
        }
        HealthTest::None | HealthTest::Inherit => None,
    }
}

/// `--fail` after the `curl` at `span`: a new list item after `item` in the
/// exec form, else inside the script, when `curl` is written there as is.
fn fail_fix(
    cx: &Context<'_>,
    value: &Spanned<Value>,
    span: Span,
    item: Option<&Spanned<Value>>,
) -> Option<Fix> {
    let text = cx.sources.get(value.file).text();
    let edit = match item {
        Some(item) => crate::fix::yaml::insert_item_after(text, item, "--fail")?,
        None => {
            let written = text.get(span.start..span.end)?;
            if !value.via.is_empty() || !crate::dockerfile::shell::is_program(written, "curl") {
                return None;
            }
            Edit::insert(value.file, span.end, " --fail")
        }
    };
    Some(Fix::risky("add `--fail` to `curl`", vec![edit]))
}

impl ComposeRule for HealthcheckCurlWithoutFail {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            let Some(hc) = svc.compose.healthcheck() else {
                continue;
            };
            let Some((test, value)) = hc.test() else {
                continue;
            };
            let Some((span, item)) = offending_curl(cx, &test, value) else {
                continue;
            };
            let fix = fail_fix(cx, value, span, item);
            cx.push(
                self.at(
                    value.file,
                    span,
                    format!(
                        "service `{}` checks its health with `curl` without `--fail`",
                        svc.name()
                    ),
                )
                .with_primary_label("exits 0 on HTTP errors such as 500")
                .with_provenance(value)
                .with_help("add `--fail` (`-f`) so an HTTP error status fails the check")
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    fn service(test: &str) -> String {
        format!("services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      test: {test}\n")
    }

    #[test]
    fn reports_curl_without_fail_in_every_form() {
        for test in [
            "curl http://localhost/health",
            "[\"CMD\", \"curl\", \"-s\", \"http://localhost/\"]",
            "[\"CMD-SHELL\", \"curl -sS http://localhost/ || exit 1\"]",
            "[\"CMD\", \"sh\", \"-c\", \"curl -o /dev/null http://localhost\"]",
        ] {
            assert_eq!(compose("CM102", &service(test)).len(), 1, "{test}");
        }
    }

    #[test]
    fn fail_flags_pipes_and_other_probes_pass() {
        for test in [
            "curl -f http://localhost/health",
            "[\"CMD\", \"curl\", \"-fsS\", \"http://localhost/\"]",
            "[\"CMD-SHELL\", \"curl --fail http://localhost/ || exit 1\"]",
            "[\"CMD-SHELL\", \"curl -s http://localhost/ | grep ok\"]",
            "[\"CMD\", \"wget\", \"-q\", \"--spider\", \"http://localhost/\"]",
        ] {
            assert!(compose("CM102", &service(test)).is_empty(), "{test}");
        }
    }

    #[test]
    fn snapshot() {
        let a = service("curl http://localhost/health");
        let b = service("[\"CMD-SHELL\", \"curl -sS http://localhost/ || exit 1\"]");
        insta::assert_snapshot!(rendered(
            "CM102",
            &[&[("compose.yaml", &a)], &[("compose.yaml", &b)]]
        ));
    }
}
