//! DF402 `secret-in-dockerfile`: a secret baked into the image or its history.
use crate::dockerfile::Word;
use crate::rules::prelude::*;
use crate::secret::{is_not_a_secret_value, url_password};

declare_rule! {
    /// `ENV`/`ARG` holding a literal secret or a credential URL.
    pub SecretInDockerfile {
        code: "DF402", name: "secret-in-dockerfile",
        category: Security, severity: Error, fix: FixKind::None, since: "0.1.0",
        hadolint: ["DL3064"],
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

const HELP: &str = "pass it at build time with a secret mount \
                    (`RUN --mount=type=secret,id=token …`) and at run time through compose `secrets:`";

impl SecretInDockerfile {
    /// A `NAME=value` of `ENV` or an `ARG` default.
    fn value(&self, df: &Dockerfile, what: &str, name: &Word, value: &Word, cx: &mut Context<'_>) {
        // `$X` is substituted at build time: not a literal.
        if value.raw.contains('$') {
            return;
        }
        let Some(secret_name) = secret_name(cx, self, df.file, &name.value) else {
            return;
        };
        let (span, message) = if secret_name && !is_not_a_secret_value(&value.value) {
            (
                value.span,
                format!(
                    "`{what} {}` bakes a literal secret into the image",
                    name.value
                ),
            )
        } else if let Some(password) = url_password(&value.value) {
            (
                value.span.part(&value.raw, &value.value, password),
                format!("`{what} {}` holds a URL with a password", name.value),
            )
        } else {
            return;
        };
        cx.push(
            self.at(df.file, span, message)
                .with_primary_label("secret value (masked)")
                .with_mask(df.file, span)
                .with_help(HELP),
        );
    }
}

impl DockerfileRule for SecretInDockerfile {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        // Only what reaches an image that runs: a builder stage's values stay
        // behind (a placeholder `DATABASE_URL` for a build step is fine).
        for instr in unit.run_instructions() {
            match &instr.kind {
                Kind::Env(pairs) => {
                    for kv in pairs {
                        self.value(df, "ENV", &kv.key, &kv.value, cx);
                    }
                }
                Kind::Arg(decls) => {
                    for decl in decls {
                        match &decl.default {
                            // compose passes its own value: judged there (CM402)
                            Some(_) if df.build_args.contains_key(&decl.name.value) => {}
                            Some(default) => self.value(df, "ARG", &decl.name, default, cx),
                            None if secret_name(cx, self, df.file, &decl.name.value)
                                == Some(true) =>
                            {
                                cx.push(
                                    self.at(
                                        df.file,
                                        decl.name.span,
                                        format!(
                                            "build argument `{}` ends up in the image history",
                                            decl.name.value
                                        ),
                                    )
                                    .with_severity(Severity::Warning)
                                    .with_primary_label("visible with `docker history`")
                                    .with_help(HELP),
                                )
                            }
                            None => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::rules::testing::{dockerfile, rendered};

    const ENV: &str = "FROM node:22\nENV API_TOKEN=hunter2 NODE_ENV=production\n";
    const URL: &str = "FROM python:3.12\nENV DATABASE_URL=postgres://app:hunter2@db/app\n";
    const ARG: &str = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";

    #[test]
    fn reports_literal_secrets_and_secret_build_args() {
        assert_eq!(dockerfile("DF402", ENV).len(), 1);
        assert_eq!(dockerfile("DF402", URL).len(), 1);
        assert_eq!(
            dockerfile("DF402", "FROM node:22\nARG API_KEY=abc123\n").len(),
            1
        );
        let arg = dockerfile("DF402", ARG);
        assert_eq!(arg.len(), 1);
        assert_eq!(arg[0].severity, Severity::Warning);
    }

    #[test]
    fn only_what_reaches_the_image_that_runs_is_judged() {
        // a builder stage's placeholders stay behind
        let builder = "FROM node:22 AS build\nENV DATABASE_URL=postgres://build:build@localhost/app SECRET_KEY=build-only-placeholder\nRUN npm run build\n\nFROM node:22-slim\nCOPY --from=build /app /app\n";
        assert!(dockerfile("DF402", builder).is_empty());
        // the final stage inherits its parent stage's ENV
        let inherited = "FROM node:22 AS base\nENV API_TOKEN=hunter2hunter2\n\nFROM base\nCMD [\"node\", \"server.js\"]\n";
        assert_eq!(dockerfile("DF402", inherited).len(), 1);
        // a service building another target runs that stage
        let project = [
            (
                "compose.yaml",
                "services:\n  api:\n    build:\n      context: .\n      target: dev\n",
            ),
            (
                "Dockerfile",
                "FROM node:22 AS dev\nENV API_TOKEN=hunter2hunter2\n\nFROM node:22-slim\nUSER node\n",
            ),
        ];
        assert_eq!(crate::rules::testing::findings("DF402", &project).len(), 1);
    }

    #[test]
    fn an_arg_default_compose_replaces_is_judged_in_compose() {
        let project = |value: &str| {
            [
                (
                    "compose.yaml".to_string(),
                    format!("services:\n  api:\n    build:\n      context: .\n      args:\n        API_KEY: {value}\n"),
                ),
                (
                    "Dockerfile".to_string(),
                    "FROM node:22\nARG API_KEY=abc123abc123\nUSER node\n".to_string(),
                ),
            ]
        };
        for value in ["${API_KEY}", "\"\""] {
            let files = project(value);
            let files: Vec<(&str, &str)> = files
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            assert!(
                crate::rules::testing::findings("DF402", &files).is_empty(),
                "{value}"
            );
        }
    }

    #[test]
    fn variables_files_and_ordinary_names_pass() {
        for text in [
            "FROM node:22\nENV API_TOKEN=$API_TOKEN\n",
            "FROM node:22\nENV DB_PASSWORD_FILE=/run/secrets/db\n",
            "FROM node:22\nARG NODE_VERSION\nENV NODE_ENV=production\n",
            "FROM node:22\nENV DATABASE_URL=postgres://app@db/app\n",
        ] {
            assert!(dockerfile("DF402", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn an_inline_dockerfile_is_reported_and_masked_in_the_compose_file() {
        let yaml = "services:\n  api:\n    build:\n      dockerfile_inline: |\n        FROM node:22\n        ENV API_TOKEN=hunter2\n";
        let found = crate::rules::testing::compose("DF402", yaml);
        assert_eq!(found.len(), 1);
        let out = rendered("DF402", &[&[("compose.yaml", yaml)]]);
        assert!(out.contains("compose.yaml:6:23"), "{out}");
        assert!(!out.contains("hunter2"), "{out}");
    }

    #[test]
    fn the_secret_is_never_rendered() {
        let out = rendered(
            "DF402",
            &[
                &[("Dockerfile", ENV)],
                &[("Dockerfile", URL)],
                &[("Dockerfile", ARG)],
            ],
        );
        assert!(!out.contains("hunter2"), "{out}");
        insta::assert_snapshot!(out);
    }
}
