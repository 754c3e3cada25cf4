//! DF102 `healthcheck-instruction-curl-without-fail`: an image health check that passes on HTTP 500.
use crate::rules::prelude::*;

declare_rule! {
    /// A `HEALTHCHECK CMD` running `curl` without `--fail`.
    pub HealthcheckInstructionCurlWithoutFail {
        code: "DF102", name: "healthcheck-instruction-curl-without-fail",
        category: Reliability, severity: Warning, fix: FixKind::Unsafe, since: "0.1.0",
    }
}

impl DockerfileRule for HealthcheckInstructionCurlWithoutFail {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let Some(last) = df.final_stage() else { return };
        let Some(instr) = df.inherited(last.index, |k| matches!(k, Kind::Healthcheck(_))) else {
            return;
        };
        let Kind::Healthcheck(Some(command)) = &instr.kind else {
            return;
        };
        let text = cx.sources.get(df.file).text();
        let Some(span) = command.curl_without_fail(text, df.escape) else {
            return;
        };
        // `curl` as a word of the script, or as an exec-form argument `"curl"`
        let written = text.get(span.start..span.end).unwrap_or_default();
        let edit = if crate::dockerfile::shell::is_program(written, "curl") {
            Some(Edit::insert(df.file, span.end, " --fail"))
        } else if written.starts_with('"')
            && crate::dockerfile::shell::is_program(written.trim_matches('"'), "curl")
        {
            Some(Edit::insert(df.file, span.end, ", \"--fail\""))
        } else {
            None
        };
        if unit.final_stage_overridden(|s| s.compose.get("healthcheck").is_some()) {
            cx.overridden(self.meta());
            return;
        }
        cx.push(
            self.at(df.file, span, "`HEALTHCHECK` runs `curl` without `--fail`")
                .with_primary_label("exits 0 on HTTP errors such as 500")
                .with_help("add `--fail` (`-f`) so an HTTP error status fails the check")
                .with_fix(edit.map(|e| Fix::risky("add `--fail` to `curl`", vec![e]))),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, findings, rendered};

    const SHELL: &str =
        "FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD curl -s http://localhost/ || exit 1\n";
    const EXEC: &str = "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"http://localhost/\"]\n";

    #[test]
    fn reports_curl_without_fail() {
        assert_eq!(dockerfile("DF102", SHELL).len(), 1);
        assert_eq!(dockerfile("DF102", EXEC).len(), 1);
        let script =
            "FROM nginx:1.27\nHEALTHCHECK CMD [\"sh\", \"-c\", \"curl http://localhost/\"]\n";
        assert_eq!(dockerfile("DF102", script).len(), 1);
    }

    #[test]
    fn fail_flags_none_builders_and_compose_overrides_pass() {
        for text in [
            "FROM nginx:1.27\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n",
            "FROM nginx:1.27\nHEALTHCHECK NONE\n",
            "FROM nginx:1.27 AS probe\nHEALTHCHECK CMD curl http://x/\nFROM nginx:1.27-alpine\nHEALTHCHECK CMD [\"wget\", \"-q\", \"--spider\", \"http://localhost/\"]\n",
        ] {
            assert!(dockerfile("DF102", text).is_empty(), "{text}");
        }
        let overridden = [
            (
                "compose.yaml",
                "services:\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]\n",
            ),
            ("Dockerfile", SHELL),
        ];
        assert!(findings("DF102", &overridden).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "DF102",
            &[&[("Dockerfile", SHELL)], &[("Dockerfile", EXEC)]]
        ));
    }
}
