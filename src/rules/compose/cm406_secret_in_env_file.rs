//! CM406 `secret-in-env-file`: a committed env file full of secrets.
use crate::compose::deploy_env;
use crate::rules::prelude::*;

declare_rule! {
    /// A literal secret in an env file that is in the checkout.
    pub SecretInEnvFile {
        code: "CM406", name: "secret-in-env-file",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        also: [Info],
        security_severity: "7.5",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

impl ComposeRule for SecretInEnvFile {
    fn check(&self, _project: &Linked, cx: &mut Context<'_>) {
        let mut found = Vec::new();
        for f in cx.secrets.iter().filter(|f| f.place == Place::EnvFile) {
            let path = cx.sources.get(f.file).path();
            // a template, or a file `.gitignore` keeps out of the repository
            if deploy_env::is_template(path)
                || deploy_env::git_ignores(path)
                || !reports_secret(cx, self, f)
            {
                continue;
            }
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let message = secret_message(&format!("`{name}`"), &f.name, f.why, "in the checkout");
            let help = format!(
                "keep real values out of the repository: list `{name}` in `.gitignore` and \
                 commit a `{name}.example` with placeholders, or use `secrets:`"
            );
            found.push(secret_at(self, f, message).with_help(help));
        }
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const PROJECT: &[(&str, &str)] = &[
        (
            "compose.yaml",
            "services:\n  api:\n    image: example/api:1.0\n    env_file: api.env\n",
        ),
        (".env", "POSTGRES_PASSWORD=hunter2hunter2\nLOG_LEVEL=info\n"),
        ("api.env", "SECRET_KEY=changethis\nAPI_TOKEN_TTL=3600\n"),
    ];

    #[test]
    fn secrets_in_committed_env_files_are_reported() {
        let found = findings("CM406", PROJECT);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|d| d.message.contains("placeholder")));
    }

    #[test]
    fn templates_and_ignored_files_pass() {
        let templates = [
            (
                "compose.yaml",
                "services:\n  api:\n    image: example/api:1.0\n",
            ),
            (".env.example", "POSTGRES_PASSWORD=changeme\n"),
        ];
        assert!(findings("CM406", &templates).is_empty());
        let ignored = [PROJECT[0], PROJECT[2], (".gitignore", "api.env\n")];
        assert!(findings("CM406", &ignored).is_empty());
    }

    #[test]
    fn a_value_from_another_variable_is_found_where_that_is_written() {
        let project = [
            PROJECT[0],
            (
                ".env",
                "POSTGRES_PASSWORD=k3b9x7Qp2mZr\nDATABASE_URL=postgres://app:${POSTGRES_PASSWORD}@db/app\n",
            ),
        ];
        let found = findings("CM406", &project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`POSTGRES_PASSWORD`"));
    }

    #[test]
    fn the_secret_is_never_rendered() {
        let out = rendered("CM406", &[PROJECT]);
        assert!(
            !out.contains("hunter2") && !out.contains("changethis"),
            "{out}"
        );
        insta::assert_snapshot!(out);
    }
}
