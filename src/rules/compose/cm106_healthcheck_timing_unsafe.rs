//! CM106 `healthcheck-timing-unsafe`: a health check that cannot fail, or
//! whose timing defeats it.
use crate::knowledge::programs;
use crate::rules::prelude::*;

declare_rule! {
    /// `timeout` > `interval`, `retries: 0`, an interval under 1 s or over
    /// 5 min, or a test that cannot fail.
    pub HealthcheckTimingUnsafe {
        code: "CM106", name: "healthcheck-timing-unsafe",
        category: Reliability, severity: Warning, fix: FixKind::None, since: "0.2.0",
        options: [EXEMPT_SERVICES],
    }
}

const SECOND: i128 = 1_000_000_000;

/// Commands that always exit 0.
const ALWAYS_TRUE: &[&str] = &["true", ":", "exit 0", "/bin/true", "/usr/bin/true"];

/// The last command of a shell script's top-level list and the operator
/// before it (`None` when the script is one command): quotes and escapes
/// respected.
fn last_command(script: &str) -> (Option<&str>, &str) {
    let bytes = script.as_bytes();
    let (mut quote, mut i) = (None::<u8>, 0);
    let mut last: Option<(usize, usize)> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(b'"'), b'\\') => i += 1,
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(b),
            (None, b'\\') => i += 1,
            (None, b';' | b'\n') => last = Some((i, i + 1)),
            (None, b'|' | b'&') => {
                let len = if bytes.get(i + 1) == Some(&b) { 2 } else { 1 };
                last = Some((i, i + len));
                i += len - 1;
            }
            _ => {}
        }
        i += 1;
    }
    match last {
        Some((start, end)) if !script[end..].trim().is_empty() => {
            (Some(&script[start..end]), script[end..].trim())
        }
        // a trailing `;` ends the command before it
        Some((start, _)) => last_command(&script[..start]),
        None => (None, script.trim()),
    }
}

/// Whether a shell script always exits 0: its last command is `true`,
/// `exit 0` or `:`, run whatever came before (`a || true`, `a; exit 0`).
fn script_cannot_fail(script: &str) -> bool {
    let (op, last) = last_command(script);
    ALWAYS_TRUE.contains(&last) && op != Some("&&")
}

/// Whether an exec-form test always exits 0 (`["true"]`, `["sh", "-c", "…|| true"]`).
fn exec_cannot_fail(args: &[String]) -> bool {
    match args {
        [program] => ALWAYS_TRUE.contains(&program.as_str()),
        [program, flag, script, ..] if programs::is_posix_shell(program) && flag == "-c" => {
            script_cannot_fail(script)
        }
        _ => false,
    }
}

impl ComposeRule for HealthcheckTimingUnsafe {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let help = "a check must fail when the service cannot do its job, and run often enough \
                    to notice: `interval` of seconds to a minute, `timeout` shorter than it, \
                    `retries` of 1 or more";
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let Some(health) = svc.health() else { continue };
            let name = svc.name();
            let mut found = Vec::new();
            match health.probe() {
                Some(Probe::Shell(script, site)) if script_cannot_fail(&script) => found.push(
                    at_site(
                        self,
                        site,
                        format!("service `{name}`'s health check cannot fail"),
                    )
                    .with_primary_label("always exits 0"),
                ),
                Some(Probe::Exec(args, site)) if exec_cannot_fail(&args) => found.push(
                    at_site(
                        self,
                        site,
                        format!("service `{name}`'s health check cannot fail"),
                    )
                    .with_primary_label("always exits 0"),
                ),
                _ => {}
            }
            if let Some((0, site)) = health.retries() {
                found.push(
                    at_site(
                        self,
                        site,
                        format!("service `{name}` sets `retries` to 0, which means the default (3), not none"),
                    )
                    .with_primary_label("0 is taken as unset"),
                );
            }
            let interval = health.timing(HealthField::Interval);
            if let Some((nanos, site)) = interval {
                if !(SECOND..=300 * SECOND).contains(&nanos) {
                    let why = if nanos < SECOND {
                        "under a second: the check itself becomes load"
                    } else {
                        "over five minutes: a broken service goes unnoticed for long"
                    };
                    found.push(
                        at_site(
                            self,
                            site,
                            format!(
                                "service `{name}` checks its health every {}, {why}",
                                go_duration(nanos)
                            ),
                        )
                        .with_primary_label("interval"),
                    );
                }
            }
            let timeout = health.timing(HealthField::Timeout);
            if interval.is_some() || timeout.is_some() {
                let default = |f: HealthField| go_duration(f.default_nanos());
                let (i_nanos, i_text) = interval.map_or(
                    (
                        HealthField::Interval.default_nanos(),
                        format!("{} (the default)", default(HealthField::Interval)),
                    ),
                    |(n, _)| (n, go_duration(n)),
                );
                let (t_nanos, t_text) = timeout.map_or(
                    (
                        HealthField::Timeout.default_nanos(),
                        format!("{} (the default)", default(HealthField::Timeout)),
                    ),
                    |(n, _)| (n, go_duration(n)),
                );
                // equal is Docker's own default (30s and 30s), and harmless:
                // the next check starts an interval after the last one ends
                if t_nanos > i_nanos {
                    let site = timeout.or(interval).map(|(_, s)| s);
                    if let Some(site) = site {
                        found.push(
                            at_site(
                                self,
                                site,
                                format!(
                                    "service `{name}`'s health check may run for {t_text}, longer than its interval of {i_text}"
                                ),
                            )
                            .with_primary_label("`timeout` longer than `interval`"),
                        );
                    }
                }
            }
            for d in found {
                cx.push(d.with_help(help));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{compose, findings, rendered};

    fn service(healthcheck: &str) -> String {
        format!(
            "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    healthcheck:\n{healthcheck}"
        )
    }

    #[test]
    fn tests_that_cannot_fail() {
        for script in [
            "exit 0",
            "curl -f http://x || true",
            "check; exit 0",
            "a | true",
            "  :  ",
        ] {
            assert!(script_cannot_fail(script), "{script}");
        }
        for script in [
            "curl -f http://x",
            "check && true",
            "echo 'x || true'",
            "test -f /ok",
        ] {
            assert!(!script_cannot_fail(script), "{script}");
        }
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(exec_cannot_fail(&strings(&["true"])));
        assert!(exec_cannot_fail(&strings(&[
            "sh",
            "-c",
            "pg_isready || exit 0"
        ])));
        assert!(!exec_cannot_fail(&strings(&["pg_isready"])));
    }

    #[test]
    fn unsafe_timing_and_checks_that_cannot_fail_are_reported() {
        for hc in [
            "      test: [\"CMD-SHELL\", \"curl -f http://localhost/ || true\"]\n",
            "      test: [\"CMD\", \"true\"]\n",
            "      test: [\"CMD\", \"/app/check\"]\n      retries: 0\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 500ms\n      timeout: 100ms\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 10m\n      timeout: 5s\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 10s\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 10s\n      timeout: 15s\n",
        ] {
            assert_eq!(compose("CM106", &service(hc)).len(), 1, "{hc}");
        }
    }

    #[test]
    fn sane_checks_pass() {
        for hc in [
            "      test: [\"CMD\", \"/app/check\"]\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 30s\n      timeout: 5s\n      retries: 3\n",
            // Docker's defaults (30s and 30s), one of them written out
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 30s\n",
            "      test: [\"CMD\", \"/app/check\"]\n      interval: 5s\n      timeout: 5s\n",
            "      test: [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]\n      timeout: 5s\n",
            "      disable: true\n",
        ] {
            assert!(compose("CM106", &service(hc)).is_empty(), "{hc}");
        }
    }

    #[test]
    fn the_image_check_is_judged_with_compose_over_it() {
        let project = [
            (
                "compose.yaml",
                "services:\n  api:\n    build: .\n    healthcheck:\n      timeout: 3s\n",
            ),
            (
                "Dockerfile",
                "FROM node:22\nHEALTHCHECK --interval=2s CMD [\"node\", \"check.js\"]\n",
            ),
        ];
        let found = findings("CM106", &project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("3s"), "{}", found[0].message);
    }

    #[test]
    fn snapshot() {
        let hc = "      test: [\"CMD-SHELL\", \"curl -f http://localhost/ || true\"]\n      interval: 10s\n      retries: 0\n";
        insta::assert_snapshot!(rendered("CM106", &[&[("compose.yaml", &service(hc))]]));
    }
}
