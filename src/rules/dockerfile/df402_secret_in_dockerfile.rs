//! DF402 `secret-in-dockerfile`: a secret baked into the image or its history.
use crate::rules::prelude::*;

declare_rule! {
    /// `ENV`/`ARG` holding a literal secret or a credential URL.
    pub SecretInDockerfile {
        code: "DF402", name: "secret-in-dockerfile",
        category: Security, severity: Error, fix: FixKind::None, since: "0.1.0",
        also: [Warning, Info],
        hadolint: ["DL3064"],
        security_severity: "8.0",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

const HELP: &str = "pass it at build time with a secret mount \
                    (`RUN --mount=type=secret,id=token …`) and at run time through compose `secrets:`";

impl DockerfileRule for SecretInDockerfile {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        // Only what reaches an image that runs: a builder stage's values stay
        // behind (a placeholder `DATABASE_URL` for a build step is fine).
        let chain = unit.run_chain();
        let mut found = Vec::new();
        for f in cx.secrets.iter().filter(|f| f.file == df.file) {
            let Place::Instruction { keyword, stage } = &f.place else {
                continue;
            };
            // an `ARG` default compose replaces is judged in compose (CM402)
            let replaced = keyword == "ARG" && df.build_args.contains_key(&f.name);
            // `RUN SECRET_KEY=build-key ./manage.py collectstatic`: a stand-in
            // a build step needs, gone when the command ends
            let stand_in = keyword == "RUN" && f.why == Why::Placeholder && f.name.ends_with('=');
            if !chain.contains(stage) || replaced || stand_in || !reports_secret(cx, self, f) {
                continue;
            }
            let message = match keyword.as_str() {
                "ENV" | "ARG" | "LABEL" => {
                    secret_message(&format!("`{keyword}`"), &f.name, f.why, "in the image")
                }
                _ if df.in_run_heredoc(f.span) => format!(
                    "`{keyword}` passes {} to {} in a heredoc script, written into the Dockerfile",
                    f.why.describe(),
                    flag_name(&f.name)
                ),
                _ => format!(
                    "`{keyword}` passes {} to {}, which stays in the image history",
                    f.why.describe(),
                    flag_name(&f.name)
                ),
            };
            found.push(secret_at(self, f, message).with_help(HELP));
        }
        for &stage in &chain {
            for instr in df.stage_instructions(&df.stages[stage]) {
                let Kind::Arg(decls) = &instr.kind else {
                    continue;
                };
                for decl in decls.iter().filter(|d| d.default.is_none()) {
                    if secret_name(cx, self, df.file, &decl.name.value) == Some(true) {
                        found.push(
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
                        );
                    }
                }
            }
        }
        cx.extend(found);
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
        // a literal password beside a build-time variable is still literal;
        // what the variable gives is not
        let host =
            "FROM python:3.12\nARG HOST\nENV DATABASE_URL=postgres://app:hunter2@$HOST/app\n";
        assert_eq!(dockerfile("DF402", host).len(), 1);
        let arg =
            "FROM node:22\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nENV PASSWORD='pa$word-k3b9'\n";
        let found = dockerfile("DF402", arg);
        assert_eq!(found.len(), 2, "{found:?}");
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
        // a stand-in one build command needs is gone when it ends; a real
        // value stays in the history
        let run = |value: &str| {
            format!("FROM python:3.12\nRUN DEBUG=False SECRET_KEY={value} ./manage.py collectstatic\nUSER app\n")
        };
        assert!(dockerfile("DF402", &run("build-key")).is_empty());
        assert_eq!(dockerfile("DF402", &run("k3b9-x7Qp-2mZr")).len(), 1);
        // a password flag is judged by its program, not by a name
        let mysql = "FROM mysql:8.4\nRUN mysql -uroot -pk3b9x7Qp2mZr -e 'select 1'\nUSER mysql\n";
        assert_eq!(dockerfile("DF402", mysql).len(), 1);
        // so is one in a script a heredoc feeds to a shell
        for run in ["RUN bash -e <<EOF", "RUN <<EOF"] {
            let text = format!(
                "FROM mysql:8.4\n{run}\nmysql -uroot -pk3b9x7Qp2mZr -e 'select 1'\nEOF\nUSER mysql\n"
            );
            let found = dockerfile("DF402", &text);
            assert_eq!(found.len(), 1, "{run}");
            assert!(
                found[0].message.contains("heredoc script"),
                "{}",
                found[0].message
            );
        }
        let python =
            "FROM python:3.12\nRUN python3 <<EOF\nprint('-pk3b9x7Qp2mZr')\nEOF\nUSER app\n";
        assert!(dockerfile("DF402", python).is_empty());
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
