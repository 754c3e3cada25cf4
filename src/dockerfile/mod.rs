//! The Dockerfile model: a facade over `parse-dockerfile` (only `convert.rs`
//! imports it) faithful to BuildKit, with exact spans, stages and variables.

pub mod convert;
pub mod expand;
pub mod glob;
pub mod kv;
pub mod lines;
pub mod model;
pub mod outline;
pub mod packages;
pub mod run;
pub mod scope;
pub mod shell;
pub mod validate;

use std::collections::BTreeMap;

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::image_ref::ImageRef;
use crate::source::{Decoding, FileId, SourceMap, Span};

use expand::{expand, Var, Vars};
pub use model::{Base, Command, Dockerfile, Instruction, Kind, Stage, Word};
pub use scope::{is_root_user, RunsAs};

/// Build arguments a compose service passes (`build.args`); they replace
/// `ARG` defaults. `None`: passed, with a value lint time cannot know (it
/// comes from a variable the deployment sets).
pub type BuildArgs = BTreeMap<String, Option<String>>;

/// Platform arguments BuildKit defines itself; their value depends on the build.
const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
];

/// A Dockerfile and what was wrong with it.
#[derive(Debug)]
pub struct LoadedDockerfile {
    /// The model (everything that could be modelled).
    pub dockerfile: Dockerfile,
    /// Parse errors (DF001).
    pub diagnostics: Vec<Diagnostic>,
}

fn syntax_error(file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(codes::DOCKERFILE_SYNTAX, file, span, message)
}

/// Parses `file` as a Dockerfile.
pub fn load(sources: &SourceMap, file: FileId, build_args: &BuildArgs) -> LoadedDockerfile {
    let src = sources.get(file);
    let mut diagnostics = Vec::new();
    let text = src.text();
    match src.decoding() {
        Decoding::Binary { at } => {
            let binary =
                Diagnostic::binary_file(codes::DOCKERFILE_SYNTAX, file, at, "a Dockerfile");
            return LoadedDockerfile {
                dockerfile: Dockerfile::empty(file, build_args),
                diagnostics: vec![binary],
            };
        }
        Decoding::InvalidUtf8 { at } => diagnostics.push(
            Diagnostic::not_utf8(codes::DOCKERFILE_SYNTAX, file, src.char_span(at))
                .with_severity(Severity::Warning)
                .with_help("save the file as UTF-8; invalid bytes were read as U+FFFD here"),
        ),
        Decoding::Utf8 | Decoding::Utf16 => {}
    }
    let split = lines::split(text);
    let mut seen = Vec::<&str>::new();
    for d in &split.directives {
        if seen.contains(&d.name.as_str()) {
            diagnostics.push(
                syntax_error(
                    file,
                    d.name_span,
                    format!("only one `{}` parser directive can be used", d.name),
                )
                .with_help("remove the repeated directive"),
            );
        }
        seen.push(&d.name);
        if d.name == "escape" && d.value != "`" && d.value != "\\" {
            diagnostics.push(
                syntax_error(
                    file,
                    d.value_span,
                    format!("invalid escape character `{}`", d.value),
                )
                .with_help("the escape character is ``\\`` or ``` ` ```"),
            );
        }
    }
    let mut instructions = Vec::with_capacity(split.instructions.len());
    for raw in &split.instructions {
        let (instr, problem) = convert::instruction(text, raw, split.escape);
        if let Some(p) = problem {
            diagnostics.push(
                syntax_error(file, p.span, p.message).with_primary_label("BuildKit stops here"),
            );
        }
        for (span, message, help) in validate::check(&instr) {
            let mut d = syntax_error(file, span, message)
                .with_primary_label("BuildKit refuses this when it parses the file");
            d.help = help.map(Into::into);
            diagnostics.push(d);
        }
        if let Some(h) = raw.heredocs.iter().find(|h| h.terminator.is_none()) {
            diagnostics.push(
                syntax_error(
                    file,
                    h.span,
                    format!("heredoc `{}` is never terminated", h.delimiter),
                )
                .with_help(format!(
                    "end the heredoc with a line containing only `{}`",
                    h.delimiter
                )),
            );
        }
        instructions.push(instr);
    }
    let mut loaded = LoadedDockerfile {
        dockerfile: Dockerfile {
            directives: split.directives,
            escape: split.escape as char,
            instructions,
            comments: split.comments,
            ..Dockerfile::empty(file, build_args)
        },
        diagnostics,
    };
    loaded.build_stages();
    loaded
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    loaded
}

impl LoadedDockerfile {
    /// Finds the stages, resolves their base images and checks their names.
    fn build_stages(&mut self) {
        let file = self.dockerfile.file;
        let escape = self.dockerfile.escape;
        let mut stages: Vec<Stage> = Vec::new();
        let mut meta = Vars::default();
        let mut before_from = Vec::new();
        for (idx, instr) in self.dockerfile.instructions.iter().enumerate() {
            match &instr.kind {
                Kind::From { image, name } => {
                    if let Some(last) = stages.last_mut() {
                        last.end = idx;
                    }
                    let scope = |n: &str| meta_var(&meta, n);
                    let resolved = expand(&image.raw, escape, &scope);
                    let base = match resolved.known() {
                        None => Base::Unknown,
                        Some(r) => {
                            if let Some(s) = stages.iter().find(|s| {
                                s.name
                                    .as_ref()
                                    .is_some_and(|n| n.value.eq_ignore_ascii_case(r))
                            }) {
                                Base::Stage(s.index)
                            } else if r.eq_ignore_ascii_case("scratch") {
                                Base::Scratch
                            } else {
                                match ImageRef::parse(r) {
                                    Ok(i) => Base::Image(i),
                                    Err(e) => {
                                        let span = image.span.part(&image.raw, r, e.range);
                                        self.diagnostics.push(syntax_error(
                                            file,
                                            span,
                                            format!(
                                                "`{r}` is not a valid image reference: {}",
                                                e.message
                                            ),
                                        ));
                                        Base::Unknown
                                    }
                                }
                            }
                        }
                    };
                    if let Some(n) = name {
                        if let Some(first) = stages
                            .iter()
                            .filter_map(|s| s.name.as_ref())
                            .find(|f| f.value.eq_ignore_ascii_case(&n.value))
                        {
                            // BuildKit only warns (`DuplicateStageName`), but
                            // `--from` and `target` can then name either.
                            self.diagnostics.push(
                                syntax_error(
                                    file,
                                    n.span,
                                    format!("duplicate stage name `{}`", n.value),
                                )
                                .with_severity(Severity::Warning)
                                .with_primary_label("defined again here")
                                .with_label(file, first.span, "first defined here")
                                .with_help("give each stage its own name: `--from` and `target` cannot tell them apart"),
                            );
                        }
                    }
                    stages.push(Stage {
                        index: stages.len(),
                        name: name.clone(),
                        from: idx,
                        end: self.dockerfile.instructions.len(),
                        resolved_image: resolved.known().map(str::to_string),
                        base,
                    });
                }
                // A `FROM` the parser refused (reported already) still starts a
                // stage: what follows is not "before the first FROM".
                Kind::Unparsed(_) if instr.keyword.value == "FROM" => {
                    if let Some(last) = stages.last_mut() {
                        last.end = idx;
                    }
                    stages.push(Stage {
                        index: stages.len(),
                        name: None,
                        from: idx,
                        end: self.dockerfile.instructions.len(),
                        resolved_image: None,
                        base: Base::Unknown,
                    });
                }
                Kind::Arg(decls) if stages.is_empty() => {
                    for d in decls {
                        let var = self.dockerfile.arg_value(
                            &d.name.value,
                            d.default.as_ref(),
                            &|n: &str| meta_var(&meta, n),
                            None,
                        );
                        meta.set(&d.name.value, var);
                    }
                }
                _ if stages.is_empty() => {
                    before_from.push(
                        syntax_error(
                            file,
                            instr.keyword.span,
                            format!("`{}` comes before the first `FROM`", instr.keyword.value),
                        )
                        .with_help("only `ARG` may come before the first `FROM`"),
                    );
                }
                _ => {}
            }
        }
        if stages.is_empty() {
            // One finding for the whole file, not one per instruction.
            let span = self
                .dockerfile
                .instructions
                .first()
                .map_or(Span::point(0), |i| i.keyword.span);
            self.diagnostics.push(
                syntax_error(file, span, "the Dockerfile has no `FROM` instruction")
                    .with_help("a Dockerfile starts its first stage with `FROM image`"),
            );
        } else {
            self.diagnostics.extend(before_from);
        }
        self.dockerfile.stages = stages;
        self.dockerfile.meta = meta;
    }
}

/// A variable in a `FROM` line: global `ARG`s; platform arguments are unknown;
/// anything else is unset.
fn meta_var(meta: &Vars, name: &str) -> Var {
    match meta.lookup(name) {
        Some(v) => v.clone(),
        None if PLATFORM_ARGS.contains(&name) => Var::Unknown,
        None => Var::Unset,
    }
}
