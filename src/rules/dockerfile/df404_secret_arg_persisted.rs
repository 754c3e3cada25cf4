//! DF404 `secret-arg-persisted`: a secret build argument copied into the
//! image, where anyone who pulls it can read it.
use crate::dockerfile::shell;
use crate::rules::prelude::*;

declare_rule! {
    /// A secret-named build argument copied into the image: `ENV X=$TOKEN`,
    /// a `LABEL`, or a `RUN` that writes it to a file.
    pub SecretArgPersisted {
        code: "DF404", name: "secret-arg-persisted",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        security_severity: "8.0",
        options: [SECRET_NAMES, ALLOWED_NAMES],
    }
}

/// Whether `raw` (a word as written) substitutes the variable `name`.
fn uses(raw: &str, name: &str) -> bool {
    [
        format!("${name}"),
        format!("${{{name}}}"),
        format!("${{{name}:"),
    ]
    .iter()
    .any(|form| {
        raw.match_indices(form.as_str()).any(|(at, m)| {
            // `$NAME` must not continue into a longer name
            form.ends_with('}')
                || form.ends_with(':')
                || !raw[at + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

impl DockerfileRule for SecretArgPersisted {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let text = cx.sources.get(df.file).text();
        let mut found = Vec::new();
        for stage in unit.run_chain() {
            let mut secret_args: Vec<String> = Vec::new();
            for instr in df.stage_instructions(&df.stages[stage]) {
                match &instr.kind {
                    Kind::Arg(decls) => {
                        for d in decls {
                            if secret_name(cx, self, df.file, &d.name.value) == Some(true) {
                                secret_args.push(d.name.value.to_string());
                            }
                        }
                    }
                    Kind::Env(pairs) | Kind::Label(pairs) => {
                        for p in pairs {
                            let Some(arg) = secret_args.iter().find(|a| uses(&p.value.raw, a))
                            else {
                                continue;
                            };
                            found.push(
                                self.at(
                                    df.file,
                                    p.value.span,
                                    format!(
                                        "`{} {}` copies the build argument `{arg}` into the image",
                                        instr.keyword.value, p.key.value
                                    ),
                                )
                                .with_primary_label("readable by anyone who pulls the image"),
                            );
                        }
                    }
                    Kind::Run {
                        command: Command::Shell(w),
                        ..
                    } => {
                        for cmd in shell::commands(text, w.span, df.escape as u8) {
                            let writes = !cmd
                                .redirects
                                .iter()
                                .all(|r| r.op.starts_with('<') || r.op.ends_with('&'))
                                || cmd
                                    .name()
                                    .is_some_and(|n| shell::is_program(&n.value, "tee"));
                            if !writes {
                                continue;
                            }
                            let hit = cmd.words.iter().find_map(|word| {
                                secret_args
                                    .iter()
                                    .find(|a| uses(&word.raw, a))
                                    .map(|a| (word, a))
                            });
                            if let Some((word, arg)) = hit {
                                found.push(
                                    self.at(
                                        df.file,
                                        word.span,
                                        format!("`RUN` writes the build argument `{arg}` to a file in the image"),
                                    )
                                    .with_primary_label("stays in the layer"),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for d in found {
            cx.push(d.with_help(
                "use a secret mount instead of a build argument: \
                 `RUN --mount=type=secret,id=token TOKEN=$(cat /run/secrets/token) …`, \
                 and give the running container the secret through compose `secrets:`",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const COPIES: &str = "FROM node:22\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nLABEL token=\"${NPM_TOKEN}\"\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci\nUSER node\n";

    #[test]
    fn copies_of_a_secret_argument_into_the_image_are_reported() {
        assert_eq!(dockerfile("DF404", COPIES).len(), 3);
    }

    #[test]
    fn using_it_without_keeping_it_passes() {
        for text in [
            "FROM node:22\nARG NPM_TOKEN\nRUN NPM_TOKEN=$NPM_TOKEN npm ci\nUSER node\n",
            "FROM node:22\nARG NODE_VERSION\nENV NODE_VERSION=$NODE_VERSION\n",
            "FROM node:22 AS build\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\n",
            "FROM node:22\nARG NPM_TOKEN\nENV TOKEN_FILE=$NPM_TOKEN_FILE\n",
        ] {
            assert!(dockerfile("DF404", text).is_empty(), "{text}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF404", &[&[("Dockerfile", COPIES)]]));
    }
}
