//! Where secrets are written in a project: every value the detector calls a
//! secret, with its file span and its place. The rules report their share of
//! these; the engine masks every one of them, whatever rules run.

use std::ops::Range;

use crate::compose::interpolate::{interpolate, Environment};
use crate::compose::model::{EnvVar, Service};
use crate::compose::value::{Spanned, Value, Via};
use crate::dockerfile::{Command, Dockerfile, Kind};
use crate::project::Linked;
use crate::source::{FileId, SourceMap, Span};

use super::{commands, formats, judge, Why};

/// Where a secret is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A service's `environment`.
    Environment {
        /// The service.
        service: String,
    },
    /// A service's `build.args`.
    BuildArg {
        /// The service.
        service: String,
    },
    /// The default of a variable (`${VAR:-literal}`) in a compose file.
    Default,
    /// An env file of the project or of a service that is in the checkout.
    EnvFile,
    /// A template of an env file (`.env.example`): its values are examples.
    Template,
    /// A service's `command`, `entrypoint` or `healthcheck.test`.
    Command {
        /// The service.
        service: String,
        /// The key.
        key: &'static str,
    },
    /// A Dockerfile instruction (`ENV`, `ARG`, `LABEL`, `RUN`, …) of a stage.
    Instruction {
        /// The instruction's keyword.
        keyword: String,
        /// The stage, by index.
        stage: usize,
    },
    /// A credential format anywhere else in a file: masked only.
    Text,
}

impl Place {
    /// Whether the secret is on a command line (where its name is a flag or
    /// an inline assignment: `--requirepass`, `PGPASSWORD=`).
    pub fn is_command_line(&self) -> bool {
        match self {
            Place::Command { .. } => true,
            Place::Instruction { keyword, .. } => {
                matches!(
                    keyword.as_str(),
                    "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK"
                )
            }
            _ => false,
        }
    }
}

/// A secret found in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub file: FileId,
    /// Where the secret is written.
    pub span: Span,
    /// Why it is one.
    pub why: Why,
    /// The name it is stored under: a variable, a flag, a key.
    pub name: String,
    /// Where it is written.
    pub place: Place,
    /// How the value got where it is (anchors, override files), for labels.
    pub via: Vec<Via>,
}

/// Which names hold secrets in a file: `Some(true)` yes, `Some(false)` no,
/// `None` allowed (never judged).
pub type Names<'a> = &'a dyn Fn(FileId, &str) -> Option<bool>;

/// [`Names`] by the built-in convention alone, in every file.
pub fn by_convention(_: FileId, name: &str) -> Option<bool> {
    Some(super::is_secret_name(name))
}

/// Every secret of a linked project: in its compose files, env files and
/// the Dockerfiles its services build.
pub fn project(project: &Linked, sources: &SourceMap, names: Names<'_>) -> Vec<Found> {
    let mut out = Vec::new();
    let compose = &project.compose;
    for svc in compose.model.services() {
        for e in svc.environment() {
            entry(&e, sources, names, &mut out, || Place::Environment {
                service: svc.name().to_string(),
            });
        }
        for e in svc.build_args() {
            entry(&e, sources, names, &mut out, || Place::BuildArg {
                service: svc.name().to_string(),
            });
        }
        command_keys(&svc, sources, names, &mut out);
    }
    for d in &compose.defaults {
        let by = |n: &str| names(d.file, n);
        let secret = judge(Some(&d.variable), &d.text, &by)
            .or_else(|| d.key.as_deref().and_then(|k| judge(Some(k), &d.text, &by)));
        if let Some(s) = secret {
            out.push(Found {
                file: d.file,
                // exact when the default is written as it reads
                span: if d.span.len() == d.text.len() {
                    Span::new(d.span.start + s.range.start, d.span.start + s.range.end)
                } else {
                    d.span
                },
                why: s.why,
                name: d.variable.to_string(),
                place: Place::Default,
                via: Vec::new(),
            });
        }
    }
    let project_env = compose
        .env_files
        .iter()
        .map(|f| (f.file, &f.assignments, f.template));
    let service_env = compose
        .service_env_files
        .values()
        .flatten()
        .map(|f| (f.file, &f.assignments, f.deploy_time));
    for (file, assignments, template) in project_env.chain(service_env) {
        let by = |n: &str| names(file, n);
        for a in assignments {
            let written = sources.get(file).slice(a.value_span);
            let Some(s) = judge(Some(&a.name), &a.value, &by) else {
                continue;
            };
            // `${OTHER}` in an env file is the other variable's value, found
            // where that one is written
            let substitutions = substitutions_in(written, a.value_span.start);
            if let Some(span) =
                literal_span(a.value_span, written, &a.value, s.range, &substitutions)
            {
                out.push(Found {
                    file,
                    span,
                    why: s.why,
                    name: a.name.clone(),
                    place: if template {
                        Place::Template
                    } else {
                        Place::EnvFile
                    },
                    via: Vec::new(),
                });
            }
        }
    }
    for linked in &project.dockerfiles {
        out.extend(dockerfile(&linked.dockerfile, sources, names));
    }
    for f in &compose.files {
        out.extend(in_text(*f, sources));
    }
    for f in &compose.env_files {
        out.extend(in_text(f.file, sources));
    }
    mark_placeholders(&mut out, sources);
    // one value merged into several services is found once per service
    out.sort_by_key(|f| (f.file, f.span.start, f.span.end));
    out.dedup_by(|a, b| a.file == b.file && a.span == b.span && a.place == b.place);
    out
}

/// An `environment` or `build.args` entry with a literal value.
fn entry(
    e: &EnvVar<'_>,
    sources: &SourceMap,
    names: Names<'_>,
    out: &mut Vec<Found>,
    place: impl Fn() -> Place,
) {
    let Some(value) = &e.value else { return };
    let file = e.source.file;
    let by = |n: &str| names(file, n);
    let Some(s) = judge(Some(&e.name), value, &by) else {
        return;
    };
    // what `${X}` gives comes from the deploy environment: not a literal (a
    // literal default inside it is a `Default`)
    let written = sources.get(file).slice(e.value_span);
    let substitutions: Vec<Span> = e.source.variables().map(|u| u.span).collect();
    let Some(span) = literal_span(e.value_span, written, value, s.range, &substitutions) else {
        return;
    };
    out.push(Found {
        file,
        span,
        why: s.why,
        name: e.name.clone(),
        place: place(),
        via: e.source.via.to_vec(),
    });
}

/// Calls a secret a placeholder when a comment on its line says to change
/// it (`SALT: ${SALT:-mysalt} # CHANGEME`).
fn mark_placeholders(found: &mut [Found], sources: &SourceMap) {
    for f in found.iter_mut().filter(|f| f.why == Why::Named) {
        let text = sources.get(f.file).text();
        let line_end = text[f.span.end..]
            .find('\n')
            .map_or(text.len(), |i| f.span.end + i);
        let tail = &text[f.span.end..line_end];
        let comment = tail.find(" #").map(|at| tail[at..].to_ascii_lowercase());
        if comment.is_some_and(|c| c.contains("change") || c.contains("replace")) {
            f.why = Why::Placeholder;
        }
    }
}

/// Where `range` of the interpolated `value`, written at `span` as
/// `written`, is in the file — `None` when a substitution (one of
/// `substitutions`, file spans) put it there, or when, with substitutions in
/// the value, it cannot be located: what a variable gives is not written in
/// the file.
fn literal_span(
    span: Span,
    written: &str,
    value: &str,
    range: Range<usize>,
    substitutions: &[Span],
) -> Option<Span> {
    let at = span.part(written, value, range);
    let from_variable =
        !substitutions.is_empty() && (at == span || substitutions.iter().any(|s| s.overlaps(at)));
    (!from_variable).then_some(at)
}

/// The substitutions (`${X}`, `$X`) in a value written as `written` at
/// `base` in an env file or a Dockerfile: none in single quotes, which both
/// keep as they are.
fn substitutions_in(written: &str, base: usize) -> Vec<Span> {
    if written.starts_with('\'') {
        return Vec::new();
    }
    interpolate(written, &Environment::empty())
        .uses
        .into_iter()
        .map(|u| u.span.shifted(base))
        .collect()
}

/// Whether a service's `entrypoint` is a shell told to run a script:
/// `[bash, -c]`, `["/bin/sh", "-c"]`.
fn entrypoint_is_shell_c(svc: &Service<'_>) -> bool {
    let Some(Value::List(items)) = svc.get("entrypoint").map(|v| &v.value) else {
        return false;
    };
    match items
        .iter()
        .map(|i| i.value.as_str())
        .collect::<Option<Vec<_>>>()
        .as_deref()
    {
        Some([program, "-c"]) => crate::knowledge::programs::is_posix_shell(program),
        _ => false,
    }
}

/// Secrets on the command lines of a service: `command`, `entrypoint`,
/// `healthcheck.test`. A value from a variable is not a literal.
fn command_keys(svc: &Service<'_>, sources: &SourceMap, names: Names<'_>, out: &mut Vec<Found>) {
    let keys: [(&'static str, Option<&Spanned<Value>>); 3] = [
        ("command", svc.get("command")),
        ("entrypoint", svc.get("entrypoint")),
        ("healthcheck.test", svc.path(&["healthcheck", "test"])),
    ];
    for (key, value) in keys {
        let Some(value) = value else { continue };
        let by = |n: &str| names(value.file, n);
        let place = || Place::Command {
            service: svc.name().to_string(),
            key,
        };
        let mut push = |v: &Spanned<Value>, text: &str, c: commands::CommandSecret| {
            let written = sources.get(v.file).slice(v.span);
            let substitutions: Vec<Span> = v.variables().map(|u| u.span).collect();
            let Some(span) = literal_span(v.span, written, text, c.range, &substitutions) else {
                return;
            };
            out.push(Found {
                file: v.file,
                span,
                why: c.why,
                name: c.flag,
                place: place(),
                via: v.via.to_vec(),
            });
        };
        match &value.value {
            Value::Str(text) => {
                let script = text.strip_prefix("CMD-SHELL ").unwrap_or(text);
                let offset = text.len() - script.len();
                for mut c in commands::in_script(script, &by) {
                    c.range = c.range.start + offset..c.range.end + offset;
                    push(value, text, c);
                }
            }
            Value::List(items) => {
                let texts: Vec<&str> = items.iter().filter_map(|i| i.value.as_str()).collect();
                if texts.len() != items.len() {
                    continue;
                }
                // `healthcheck.test`: the form's marker is not an argument
                let skip = match texts.first() {
                    Some(&"CMD") => 1,
                    Some(&"CMD-SHELL") => {
                        if let (Some(item), Some(script)) = (items.get(1), texts.get(1)) {
                            for c in commands::in_script(script, &by) {
                                push(item, script, c);
                            }
                        }
                        continue;
                    }
                    _ => 0,
                };
                // `entrypoint: [bash, -c]` makes the first `command` item a script
                if key == "command" && skip == 0 && entrypoint_is_shell_c(svc) {
                    if let (Some(item), Some(script)) = (items.first(), texts.first()) {
                        for c in commands::in_script(script, &by) {
                            push(item, script, c);
                        }
                    }
                    continue;
                }
                for (index, c) in commands::in_args(&texts[skip..], &by) {
                    let i = index + skip;
                    push(&items[i], texts[i], c);
                }
            }
            _ => {}
        }
    }
}

/// Every secret of a Dockerfile: `ENV`, `ARG` defaults and `LABEL` values,
/// command lines (`RUN`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK`), and credential
/// formats anywhere in it.
pub fn dockerfile(df: &Dockerfile, sources: &SourceMap, names: Names<'_>) -> Vec<Found> {
    let file = df.file;
    let text = sources.get(file).text();
    let by = |n: &str| names(file, n);
    let mut out = Vec::new();
    for (stage, st) in df.stages.iter().enumerate() {
        for (index, instr) in (st.from..).zip(df.stage_instructions(st)) {
            let place = || Place::Instruction {
                keyword: instr.keyword.value.to_string(),
                stage,
            };
            let mut value = |name: &str, w: &crate::dockerfile::Word| {
                let Some(s) = judge(Some(name), &w.value, &by) else {
                    return;
                };
                // what `$X` gives is substituted at build time: not a literal
                let written = &text[w.span.start..w.span.end];
                let substitutions = substitutions_in(written, w.span.start);
                if let Some(span) = literal_span(w.span, written, &w.value, s.range, &substitutions)
                {
                    out.push(Found {
                        file,
                        span,
                        why: s.why,
                        name: name.to_string(),
                        place: place(),
                        via: Vec::new(),
                    });
                }
            };
            match &instr.kind {
                Kind::Env(pairs) | Kind::Label(pairs) => {
                    for p in pairs {
                        value(&p.key.value, &p.value);
                    }
                }
                Kind::Arg(decls) => {
                    for d in decls {
                        if let Some(default) = &d.default {
                            value(&d.name.value, default);
                        }
                    }
                }
                _ => {}
            }
            let secrets: Vec<(Span, commands::CommandSecret)> = match instr.command() {
                Some(Command::Shell(w)) => shell_secrets(df, text, index, w.span, &by)
                    .into_iter()
                    .map(|c| (Span::new(c.range.start, c.range.end), c))
                    .collect(),
                Some(Command::Exec { args, .. }) => {
                    let values: Vec<&str> = args.iter().map(|a| a.value.as_str()).collect();
                    commands::in_args(&values, &by)
                        .into_iter()
                        .map(|(i, c)| {
                            let a = &args[i];
                            (a.span.part(&a.raw, &a.value, c.range.clone()), c)
                        })
                        .collect()
                }
                None => Vec::new(),
            };
            for (span, c) in secrets {
                out.push(Found {
                    file,
                    span,
                    why: c.why,
                    name: c.flag,
                    place: place(),
                    via: Vec::new(),
                });
            }
        }
    }
    out.extend(in_text(file, sources));
    out
}

/// The secrets in the shell-form command at `span` of the instruction
/// `index` of `df`. A `RUN`'s are those of every script it runs — its
/// command line and a heredoc fed to a shell (`RUN bash <<EOF`, `RUN <<EOF`)
/// — taken from its commands as the rules read them (see
/// [`Dockerfile::run_commands`]), not tokenized again.
fn shell_secrets(
    df: &Dockerfile,
    text: &str,
    index: usize,
    span: Span,
    names: &dyn super::NameRule,
) -> Vec<commands::CommandSecret> {
    if !matches!(df.instructions[index].kind, Kind::Run { .. }) {
        return commands::in_text(text, span, df.escape as u8, names);
    }
    let own = crate::dockerfile::run::of_instruction(df.run_commands(text), index);
    commands::in_commands(own.iter().map(|c| &c.command), names)
}

/// Credential formats anywhere in a file's text.
pub fn in_text(file: FileId, sources: &SourceMap) -> Vec<Found> {
    formats::find(sources.get(file).text())
        .into_iter()
        .map(|f| Found {
            file,
            span: Span::new(f.range.start, f.range.end),
            why: Why::Format(f.name),
            name: String::new(),
            place: Place::Text,
            via: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::BuildArgs;
    use crate::source::SourceFile;

    #[test]
    fn a_run_s_secrets_are_those_of_every_script_it_runs() {
        let text = "FROM alpine\n\
            RUN mysql -u root -pS3cr3tPw0rd db && redis-cli -a Zq8wT4kLmN2v ping\n\
            RUN bash -e <<EOF\nmysql -pInScr1ptPw0rd\nEOF\n\
            RUN <<EOF\nmysql -pB0dyOnlyPw0rd\nEOF\n\
            RUN python3 <<EOF\nprint('-pN0tAShellPw0rd')\nEOF\n\
            RUN [\"sh\", \"-c\", \"mysql -pExecF0rmPw0rd\"]\n\
            CMD mysql -pCmdF0rmPw0rd\n\
            FROM alpine AS two\n\
            ONBUILD RUN mysql -pOnbu1ldPw0rd\n\
            RUN echo $(mysql -pSubst1tutedPw0rd) \\\n  && PGPASSWORD=C0ntinuedPw0rd psql\n";
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("Dockerfile", text.to_string()));
        let df = crate::dockerfile::load(&sources, file, &BuildArgs::new()).dockerfile;
        // what each command line holds is found as tokenizing it alone finds it
        for st in &df.stages {
            for index in st.from..st.end {
                let instr = &df.instructions[index];
                let Some(Command::Shell(w)) = instr.command() else {
                    continue;
                };
                let own = commands::in_text(text, w.span, b'\\', &super::super::Convention);
                let shared = shell_secrets(&df, text, index, w.span, &super::super::Convention);
                let line: Vec<_> = shared
                    .iter()
                    .filter(|c| w.span.start <= c.range.start && c.range.end <= w.span.end)
                    .cloned()
                    .collect();
                assert_eq!(line, own, "{}", &text[w.span.start..w.span.end]);
            }
        }
        let found: Vec<&str> = dockerfile(&df, &sources, &by_convention)
            .iter()
            .map(|f| &text[f.span.start..f.span.end])
            .collect();
        assert_eq!(
            found,
            [
                "S3cr3tPw0rd",
                "Zq8wT4kLmN2v",
                "InScr1ptPw0rd",
                "B0dyOnlyPw0rd",
                "ExecF0rmPw0rd",
                "CmdF0rmPw0rd",
                "Subst1tutedPw0rd",
                "C0ntinuedPw0rd",
            ]
        );
    }
}
