//! CM301 `log-rotation-missing`: logs that grow until the disk is full.
use crate::rules::prelude::*;

declare_rule! {
    /// A service logging to `json-file` (or the default driver) without `max-size`.
    pub LogRotationMissing {
        code: "CM301", name: "log-rotation-missing",
        category: Observability, severity: Warning, fix: FixKind::Unsafe, since: "0.1.0",
    }
}

const DOES: &str = "rotate the `json-file` logs at 10 MB, keeping 3 files";

/// Rotation for the `json-file` driver, ten megabytes and three files, in
/// the innermost `logging` mapping the service has (one without is given a
/// whole `logging:` by [`AddToServices`]).
fn fix(cx: &Context<'_>, svc: &Service<'_>) -> Option<Fix> {
    let logging = svc.item("logging")?;
    let text = |v: &Spanned<Value>| cx.sources.get(v.file).text();
    let edit = match logging.value.value.as_map()?.item("options") {
        None => crate::fix::yaml::insert_entries(
            text(&logging.value),
            &logging.key,
            &logging.value,
            "options:\n  max-size: 10m\n  max-file: \"3\"",
        ),
        Some(options) => {
            let map = options.value.value.as_map()?;
            let snippet = if map.get("max-file").is_some() {
                "max-size: 10m"
            } else {
                "max-size: 10m\nmax-file: \"3\""
            };
            crate::fix::yaml::insert_entries(
                text(&options.value),
                &options.key,
                &options.value,
                snippet,
            )
        }
    }?;
    Some(Fix::risky(DOES, vec![edit]))
}

impl ComposeRule for LogRotationMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let mut adds = AddToServices::new(
            DOES,
            "logging:\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: \"3\"",
        );
        for svc in project.services() {
            let c = &svc.compose;
            let driver = c.logging_driver();
            if let Some((name, value)) = driver {
                // `local` rotates; remote drivers ship; `none` keeps nothing.
                if name != "json-file" || value.is_unknown() {
                    continue;
                }
            }
            if c.logging_option("max-size").is_some() {
                continue;
            }
            let d = match driver {
                Some((_, value)) => self
                    .at(
                        value.file,
                        value.span,
                        format!(
                            "service `{}` logs to `json-file` without `max-size`",
                            svc.name()
                        ),
                    )
                    .with_primary_label("never rotated")
                    .with_provenance(value),
                None => at_service(
                    self,
                    c,
                    format!(
                        "service `{}` logs with the default driver and no rotation",
                        svc.name()
                    ),
                )
                .with_primary_label("logs grow until the disk is full"),
            };
            let d = d.with_help(
                "set `logging.options.max-size` (for example `10m`) and `max-file`, \
                 or use `driver: local`, which rotates",
            );
            if c.item("logging").is_some() {
                let fix = fix(cx, c);
                cx.push(d.with_fix(fix));
            } else {
                adds.push(d, svc.compose);
            }
        }
        adds.finish(project, cx);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const DEFAULT: &str = "services:\n  web:\n    image: nginx:1.27\n";
    const JSON: &str = "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: json-file\n      options:\n        max-file: \"3\"\n";

    #[test]
    fn reports_unrotated_json_file_logs() {
        assert_eq!(compose("CM301", DEFAULT).len(), 1);
        assert_eq!(compose("CM301", JSON).len(), 1);
    }

    #[test]
    fn rotation_or_another_driver_passes() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      options:\n        max-size: 10m\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: local\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: fluentd\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: ${LOG_DRIVER}\n",
        ] {
            assert!(compose("CM301", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "CM301",
            &[&[("compose.yaml", DEFAULT)], &[("compose.yaml", JSON)]]
        ));
    }
}
