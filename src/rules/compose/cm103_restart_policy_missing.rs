//! CM103 `restart-policy-missing`: a crashed service stays down.
use crate::rules::prelude::*;

declare_rule! {
    /// A service with neither `restart` nor `deploy.restart_policy`.
    pub RestartPolicyMissing {
        code: "CM103", name: "restart-policy-missing",
        category: Reliability, severity: Warning, fix: FixKind::Unsafe, since: "0.1.0",
        options: [EXEMPT_SERVICES],
    }
}

impl ComposeRule for RestartPolicyMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let mut adds =
            AddToServices::new("add `restart: unless-stopped`", "restart: unless-stopped");
        for svc in project.services() {
            if exempt(cx, self, &svc) {
                continue;
            }
            let c = &svc.compose;
            // `restart: "no"` is a choice too.
            if c.get("restart").is_some() || c.path(&["deploy", "restart_policy"]).is_some() {
                continue;
            }
            if project.is_one_shot(svc.name()) {
                continue;
            }
            adds.push(
                at_service(
                    self,
                    c,
                    format!("service `{}` has no restart policy", svc.name()),
                )
                .with_primary_label("stays down after a crash or a reboot")
                .with_help(
                    "set `restart: unless-stopped` (or `always`, `on-failure`), \
                     or `restart: \"no\"` if it must stay down",
                ),
                svc.compose,
            );
        }
        adds.finish(project, cx);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MISSING: &str = "services:\n  web:\n    image: nginx:1.27\n";

    #[test]
    fn reports_a_service_without_policy() {
        assert_eq!(compose("CM103", MISSING).len(), 1);
    }

    #[test]
    fn any_explicit_policy_or_a_one_shot_job_passes() {
        for yaml in [
            "services:\n  web:\n    image: nginx:1.27\n    restart: unless-stopped\n",
            "services:\n  web:\n    image: nginx:1.27\n    restart: \"no\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: on-failure\n",
            "services:\n  seed:\n    image: app:1\n  web:\n    image: app:1\n    restart: always\n    depends_on:\n      seed:\n        condition: service_completed_successfully\n",
        ] {
            assert!(compose("CM103", yaml).is_empty(), "{yaml}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM103", &[&[("compose.yaml", MISSING)]]));
    }
}
