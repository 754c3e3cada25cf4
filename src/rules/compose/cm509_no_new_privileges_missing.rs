//! CM509 `no-new-privileges-missing`: setuid programs can still gain privileges.
use crate::rules::hardening::{list_items, set_by_deployment};
use crate::rules::prelude::*;

declare_rule! {
    /// A service without `security_opt: [no-new-privileges:true]`.
    pub NoNewPrivilegesMissing {
        code: "CM509", name: "no-new-privileges-missing",
        category: Security, severity: Info, fix: FixKind::Unsafe, since: "0.2.0",
        opt_in: true,
        compose_lint: ["CL-0003"],
        kics: ["No New Privileges Not Set", "Security Opt Not Set"],
        security_severity: "3.0",
        options: [EXEMPT_SERVICES],
    }
}

/// Whether `security_opt` leaves `no-new-privileges` on: the last entry
/// naming it decides, its value read as Go reads a boolean (`true`, `1`,
/// `T`, …; no value is true).
fn no_new_privileges(svc: &Service<'_>) -> bool {
    let mut on = false;
    for (option, _) in list_items(svc, "security_opt") {
        let option = option.trim();
        let (key, value) = match option.split_once([':', '=']) {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (option, None),
        };
        if key == "no-new-privileges" {
            on = match value {
                None => true,
                Some(v) => matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True"),
            };
        }
    }
    on
}

const DOES: &str = "add `no-new-privileges:true` to `security_opt`";

/// Adds `no-new-privileges:true` to the service's `security_opt` list.
fn append(cx: &Context<'_>, list: &Spanned<Value>) -> Option<Fix> {
    let text = cx.sources.get(list.file).text();
    let edit = crate::fix::yaml::append_item(text, list, "no-new-privileges:true")?;
    Some(Fix::risky(DOES, vec![edit]))
}

impl ComposeRule for NoNewPrivilegesMissing {
    fn check(&self, project: &Linked, cx: &mut Context<'_>) {
        let mut adds = AddToServices::new(DOES, "security_opt:\n  - no-new-privileges:true");
        for svc in project.services() {
            // a privileged service is CM501's: hardening it further is moot
            if exempt(cx, self, &svc) || svc.compose.is_privileged() {
                continue;
            }
            if set_by_deployment(&svc.compose, "security_opt") || no_new_privileges(&svc.compose) {
                continue;
            }
            let d = at_service(
                self,
                &svc.compose,
                format!(
                    "service `{}` can gain privileges through setuid programs",
                    svc.name()
                ),
            )
            .with_primary_label("no `no-new-privileges:true`")
            .with_help("add `security_opt: [\"no-new-privileges:true\"]`");
            match svc.compose.get("security_opt") {
                Some(list) => {
                    let fix = append(cx, list);
                    cx.push(d.with_fix(fix));
                }
                None => adds.push(d, svc.compose),
            }
        }
        adds.finish(project, cx);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{compose, rendered};

    const MISSING: &str = "services:\n  app:\n    image: ghcr.io/acme/app:1.0\n";

    #[test]
    fn reported_unless_set() {
        assert_eq!(compose("CM509", MISSING).len(), 1);
        for opt in [
            "no-new-privileges:true",
            "no-new-privileges=true",
            "no-new-privileges",
        ] {
            let yaml = format!("{MISSING}    security_opt: [\"{opt}\"]\n");
            assert!(compose("CM509", &yaml).is_empty(), "{opt}");
        }
        let privileged = format!("{MISSING}    privileged: true\n");
        assert!(compose("CM509", &privileged).is_empty(), "CM501's");
        let off = format!("{MISSING}    security_opt: [\"no-new-privileges:false\"]\n");
        assert_eq!(compose("CM509", &off).len(), 1);
        // Go's booleans, and the last entry wins
        for opt in ["no-new-privileges:True", "no-new-privileges=1"] {
            let yaml = format!("{MISSING}    security_opt: [\"{opt}\"]\n");
            assert!(compose("CM509", &yaml).is_empty(), "{opt}");
        }
        let last = format!("{MISSING}    security_opt: [\"no-new-privileges:true\", \"no-new-privileges:false\"]\n");
        assert_eq!(compose("CM509", &last).len(), 1);
        // an entry the deployment sets is not judged
        let deployed =
            format!("{MISSING}    security_opt: [\"${{NNP:?set by the deployment}}\"]\n");
        assert!(compose("CM509", &deployed).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM509", &[&[("compose.yaml", MISSING)]]));
    }
}
