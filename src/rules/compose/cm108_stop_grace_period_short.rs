//! CM108 `stop-grace-period-short`: a stateful service killed before it
//! finishes stopping, or stopped with a signal that is not its graceful one.
use crate::knowledge::images;
use crate::rules::prelude::*;

declare_rule! {
    /// `stop_grace_period` under 10 s on a database or queue, or a stop signal
    /// the image does not stop gracefully on.
    pub StopGracePeriodShort {
        code: "CM108", name: "stop-grace-period-short",
        category: Reliability, severity: Info, fix: FixKind::None, since: "0.2.0",
        options: [EXEMPT_SERVICES],
    }
}

/// Docker's grace period when none is set.
const DEFAULT_GRACE: i128 = 10_000_000_000;

impl ComposeRule for StopGracePeriodShort {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let name = svc.name();
            let image = svc.runs_image();
            if let Some(v) = svc.compose.get("stop_grace_period") {
                let stateful = image.as_ref().is_some_and(images::is_stateful);
                if let Value::Duration(d) = &v.value {
                    if stateful && d.nanos < DEFAULT_GRACE {
                        let what = image.as_ref().map(|i| i.name()).unwrap_or_default();
                        cx.push(
                            at_site(
                                self,
                                Site::Compose(v),
                                format!(
                                    "service `{name}` ({what}) gets {} to stop before it is killed",
                                    go_duration(d.nanos)
                                ),
                            )
                            .with_primary_label("less than Docker's default of 10s")
                            .with_help(
                                "give a database or queue time to flush and close cleanly: \
                                 `stop_grace_period: 30s` or more (a killed one recovers from its \
                                 log at the next start, or loses what it had not written)",
                            ),
                        );
                    }
                }
            }
            let Some((signal, site)) = svc.stop_signal() else {
                continue;
            };
            let Some(signal) = images::signal_name(&signal) else {
                continue;
            };
            let graceful = image.as_ref().and_then(images::graceful_stop_signal);
            let message = if signal == "SIGKILL" {
                format!("service `{name}` is stopped with `SIGKILL`, which no program can handle")
            } else if let Some(g) = graceful.filter(|g| *g != signal) {
                let what = image.as_ref().map(|i| i.name()).unwrap_or_default();
                format!("service `{name}` is stopped with `{signal}`, but {what} stops gracefully on `{g}`")
            } else {
                continue;
            };
            let help = match graceful {
                Some(g) => format!("remove it to keep the image's own, or set `{g}`"),
                None => "remove it (`SIGTERM` is the default), or name the signal the program \
                         stops gracefully on"
                    .to_string(),
            };
            cx.push(
                at_site(self, site, message)
                    .with_primary_label("stops without finishing its work")
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, findings, rendered};

    const SHORT: &str = "services:\n  db:\n    image: postgres:17\n    stop_grace_period: 3s\n";
    const SIGNAL: &str = "services:\n  web:\n    image: nginx:1.27\n    stop_signal: SIGTERM\n";

    #[test]
    fn a_short_grace_period_or_a_wrong_signal_is_reported() {
        assert_eq!(compose("CM108", SHORT).len(), 1);
        assert_eq!(compose("CM108", SIGNAL).len(), 1);
        let kill = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n    stop_signal: KILL\n";
        assert_eq!(compose("CM108", kill).len(), 1);
        // the image built from nginx, with the signal in the Dockerfile
        let built = [
            ("compose.yaml", "services:\n  web:\n    build: .\n"),
            ("Dockerfile", "FROM nginx:1.27\nSTOPSIGNAL SIGTERM\n"),
        ];
        assert_eq!(findings("CM108", &built).len(), 1);
    }

    #[test]
    fn long_enough_graceful_or_stateless_passes() {
        for yaml in [
            SHORT.replace("3s", "1m"),
            SHORT.replace("postgres:17", "ghcr.io/acme/api:1.0"),
            SIGNAL.replace("SIGTERM", "SIGQUIT"),
            SIGNAL.replace("SIGTERM", "QUIT"),
            SIGNAL.replace("nginx:1.27", "redis:7.4"),
            "services:\n  web:\n    image: nginx:1.27\n".to_string(),
        ] {
            assert!(compose("CM108", &yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM108",
            &[&[("compose.yaml", SHORT)], &[("compose.yaml", SIGNAL)]]
        ));
    }
}
