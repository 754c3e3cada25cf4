//! The Dockerfile model: instructions with exact spans, grouped into stages.

use crate::image_ref::ImageRef;
use crate::source::{FileId, Span};

use super::expand::Vars;
use super::lines::Directive;
use super::BuildArgs;

/// A piece of source text: its span in the file, its raw text (continuations
/// removed) and its value (quotes and escapes processed; variables not expanded).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Word {
    /// Where it is written.
    pub span: Span,
    /// The text as written, line continuations removed; what variable
    /// expansion works on.
    pub raw: crate::source::Text,
    /// What it says.
    pub value: crate::source::Text,
}

/// An option flag such as `--platform=linux/amd64` or `--link`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    /// The whole flag.
    pub span: Span,
    /// The name, without the leading `--`.
    pub name: Word,
    /// The value after `=`, if any.
    pub value: Option<Word>,
}

/// `CMD`, `ENTRYPOINT`, `RUN` and `HEALTHCHECK CMD` arguments.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Command {
    /// JSON array: run directly, no shell.
    Exec {
        /// The array, brackets included.
        span: Span,
        /// Its elements.
        args: Vec<Word>,
    },
    /// Shell form: run through the `SHELL` (`/bin/sh -c` by default). The
    /// value has continuations removed.
    Shell(Word),
}

impl Command {
    /// The span of the whole argument list.
    pub fn span(&self) -> Span {
        match self {
            Command::Exec { span, .. } => *span,
            Command::Shell(w) => w.span,
        }
    }
}

/// A heredoc: `<<EOF` on the instruction line and its body below.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heredoc {
    /// The `<<EOF` word.
    pub marker: Span,
    /// The delimiter, unquoted.
    pub delimiter: String,
    /// The body (without the terminator line).
    pub body: Span,
    /// The body text, leading tabs removed for `<<-`.
    pub content: String,
    /// Whether variables in the body are expanded (the delimiter is unquoted).
    pub expand: bool,
    /// `<<-`: leading tabs stripped.
    pub strip_tabs: bool,
}

/// `KEY=value` in `ENV` or `LABEL` (or the legacy `ENV KEY value`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeyValue {
    /// The key.
    pub key: Word,
    /// The value.
    pub value: Word,
}

/// One `ARG` declaration: `NAME` or `NAME=default`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ArgDecl {
    /// The name.
    pub name: Word,
    /// The default, if any.
    pub default: Option<Word>,
}

/// A source of `COPY`/`ADD`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CopySource {
    /// A path, glob or URL.
    Path(Word),
    /// An inline file.
    Heredoc(Heredoc),
}

/// What an instruction says, by kind.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    /// `FROM [--platform=…] image [AS name]`.
    From {
        /// The image reference as written.
        image: Word,
        /// The stage name after `AS`.
        name: Option<Word>,
    },
    /// `ARG NAME[=default] …`.
    Arg(Vec<ArgDecl>),
    /// `ENV KEY=value …`.
    Env(Vec<KeyValue>),
    /// `LABEL KEY=value …`.
    Label(Vec<KeyValue>),
    /// `RUN …`, with the heredocs it opens.
    Run {
        /// The command line.
        command: Command,
        /// Heredocs opened on the line.
        heredocs: Vec<Heredoc>,
    },
    /// `CMD …`.
    Cmd(Command),
    /// `ENTRYPOINT …`.
    Entrypoint(Command),
    /// `SHELL ["executable", "params"]`.
    Shell(Vec<Word>),
    /// `HEALTHCHECK [options] CMD …`, or `None` for `HEALTHCHECK NONE`.
    Healthcheck(Option<Command>),
    /// `COPY` (`add: false`) or `ADD` (`add: true`).
    Copy {
        /// Whether this is `ADD`.
        add: bool,
        /// Sources.
        sources: Vec<CopySource>,
        /// Destination.
        dest: Word,
    },
    /// `USER user[:group]`.
    User(Word),
    /// `WORKDIR path`.
    Workdir(Word),
    /// `EXPOSE port …`.
    Expose(Vec<Word>),
    /// `VOLUME path …`.
    Volume(Vec<Word>),
    /// `STOPSIGNAL signal`.
    Stopsignal(Word),
    /// `MAINTAINER name` (deprecated).
    Maintainer(Word),
    /// `ONBUILD instruction`.
    Onbuild(Box<Instruction>),
    /// An unknown keyword, or an instruction the parser rejected; its
    /// arguments are kept as text.
    Unparsed(Word),
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Instruction {
    /// From the keyword to the end of its last line (heredoc bodies included).
    pub span: Span,
    /// The keyword as written; `value` is upper-cased.
    pub keyword: Word,
    /// `--name=value` flags.
    pub flags: Vec<Flag>,
    /// The instruction's content.
    pub kind: Kind,
}

impl Instruction {
    /// The spans of the shell scripts this instruction runs: a shell-form
    /// command line, or for `RUN <<EOF` alone the heredoc body (BuildKit runs
    /// it as the script).
    pub fn shell_scripts(&self) -> Vec<Span> {
        match &self.kind {
            Kind::Run {
                command: Command::Shell(w),
                heredocs,
            } => {
                let line = w.raw.trim();
                match heredocs.as_slice() {
                    // `RUN <<EOF`: BuildKit runs the body with the shell, or
                    // with the interpreter its `#!` line names
                    [h] if line.contains("<<") && !line.contains(char::is_whitespace) => {
                        if shebang_is_shell(&h.content) {
                            vec![h.body]
                        } else {
                            Vec::new()
                        }
                    }
                    // `RUN bash -e <<EOF`, `RUN <<EOF sh`: a shell reads the body
                    [h] if feeds_shell(line) => vec![w.span, h.body],
                    _ => vec![w.span],
                }
            }
            Kind::Cmd(Command::Shell(w))
            | Kind::Entrypoint(Command::Shell(w))
            | Kind::Healthcheck(Some(Command::Shell(w))) => {
                vec![w.span]
            }
            Kind::Onbuild(inner) => inner.shell_scripts(),
            _ => Vec::new(),
        }
    }

    /// The command of a `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD`.
    pub fn command(&self) -> Option<&Command> {
        match &self.kind {
            Kind::Run { command, .. }
            | Kind::Cmd(command)
            | Kind::Entrypoint(command)
            | Kind::Healthcheck(Some(command)) => Some(command),
            _ => None,
        }
    }

    /// The flag named `name`, if present.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.value == name)
    }
}

/// Whether a heredoc body run as a script is a shell script: it has no `#!`
/// line, or that line names a shell.
fn shebang_is_shell(body: &str) -> bool {
    let Some(line) = body.strip_prefix("#!") else {
        return true;
    };
    let line = line.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.ends_with("/env") {
        program = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    crate::knowledge::programs::is_posix_shell(program)
}

/// Whether a `RUN` line that opens one heredoc runs a shell reading it as
/// its script: `bash <<EOF`, `<<EOF sh -e`, not `sh -c '…' <<EOF` or
/// `python3 <<EOF`.
fn feeds_shell(line: &str) -> bool {
    let mut words = line.split_whitespace().filter(|w| !w.starts_with("<<"));
    words
        .next()
        .is_some_and(crate::knowledge::programs::is_posix_shell)
        && !words
            .any(|w| w == "-c" || (w.starts_with('-') && !w.starts_with("--") && w.ends_with('c')))
}

/// What an `ADD` does with a source, as BuildKit decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddSource {
    /// A file or directory of the context, or an inline file: copied.
    Local,
    /// A local file whose name says it may be a tar archive, plain or
    /// compressed the ways Docker detects (gzip, bzip2, xz, zstd), or a glob
    /// that may match one: maybe unpacked. A `.zip` is copied as it is.
    Archive,
    /// A path holding a variable: what it names is not known here.
    Variable,
    /// A Git repository (`git@…`, `git://…`, a URL whose path ends in
    /// `.git`, with `#ref` or `?ref=`): checked out.
    Git,
    /// An `http://` or `https://` file: downloaded.
    Url {
        /// Over plain HTTP.
        plain_http: bool,
    },
    /// Another scheme (`s3://`, …).
    Remote,
}

/// File name endings of what `ADD` may unpack.
const ARCHIVES: &[&str] = &[
    ".tar", ".tgz", ".tbz", ".tb2", ".tbz2", ".txz", ".tzst", ".gz", ".bz2", ".xz", ".zst",
];

impl CopySource {
    /// What an `ADD` of this source does.
    pub fn add_source(&self) -> AddSource {
        let CopySource::Path(w) = self else {
            return AddSource::Local;
        };
        let source = w.value.as_str();
        let lower = source.to_ascii_lowercase();
        let path = source.split(['#', '?']).next().unwrap_or(source);
        let git =
            source.starts_with("git@") || source.starts_with("git://") || path.ends_with(".git");
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return match git {
                true => AddSource::Git,
                false => AddSource::Url {
                    plain_http: lower.starts_with("http://"),
                },
            };
        }
        if source.contains("://") || source.starts_with("git@") {
            return if git {
                AddSource::Git
            } else {
                AddSource::Remote
            };
        }
        if source.contains('$') {
            AddSource::Variable
        } else if ARCHIVES.iter().any(|e| lower.ends_with(e)) || lower.ends_with('*') {
            AddSource::Archive
        } else {
            AddSource::Local
        }
    }
}

/// What a stage builds on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Base {
    /// An earlier stage, by index.
    Stage(usize),
    /// `scratch`: an empty image.
    Scratch,
    /// An image reference, resolved through the global `ARG` defaults.
    Image(ImageRef),
    /// The reference depends on a variable with no known value, or is malformed.
    Unknown,
}

/// A build stage: a `FROM` and the instructions up to the next one.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Stage {
    /// Position among the stages.
    pub index: usize,
    /// The name after `AS`.
    pub name: Option<Word>,
    /// Index of its `FROM` in [`Dockerfile::instructions`].
    pub from: usize,
    /// One past its last instruction.
    pub end: usize,
    /// The image reference after variable substitution, if known.
    pub resolved_image: Option<String>,
    /// What it builds on.
    pub base: Base,
}

/// A modelled Dockerfile.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Dockerfile {
    /// The file.
    pub file: FileId,
    /// Parser directives.
    #[serde(skip)]
    pub directives: Vec<Directive>,
    /// The escape character.
    pub escape: char,
    /// Every instruction, in order (global `ARG`s first).
    pub instructions: Vec<Instruction>,
    /// Stages in order; empty when there is no `FROM`.
    pub stages: Vec<Stage>,
    /// Comment lines: span of the `#…` text.
    pub comments: Vec<Span>,
    /// The global `ARG`s with their values, for `FROM` lines.
    #[serde(skip)]
    pub(super) meta: Vars,
    /// Build arguments given at load time.
    pub build_args: BuildArgs,
    /// What the `RUN` instructions run, tokenized once for the rules and
    /// the secret scan (see [`Dockerfile::run_commands`]). The model is not
    /// changed once loaded.
    #[serde(skip)]
    pub(super) run_commands: std::sync::OnceLock<Vec<super::run::RunCommand>>,
}

impl Dockerfile {
    /// A Dockerfile of `file` with nothing in it.
    pub fn empty(file: FileId, build_args: &BuildArgs) -> Self {
        Dockerfile {
            file,
            directives: Vec::new(),
            escape: '\\',
            instructions: Vec::new(),
            stages: Vec::new(),
            comments: Vec::new(),
            meta: Vars::default(),
            build_args: build_args.clone(),
            run_commands: std::sync::OnceLock::new(),
        }
    }

    /// Every simple command the `RUN` instructions run, in order (see
    /// [`super::run::run_commands`]); tokenized on first use. `text` is the
    /// file's text.
    pub fn run_commands(&self, text: &str) -> &[super::run::RunCommand] {
        self.run_commands
            .get_or_init(|| super::run::run_commands(self, text))
    }

    /// Whether `span` lies in the body of a heredoc a `RUN` opens.
    pub fn in_run_heredoc(&self, span: Span) -> bool {
        self.instructions.iter().any(|i| match &i.kind {
            Kind::Run { heredocs, .. } => heredocs
                .iter()
                .any(|h| h.body.start <= span.start && span.end <= h.body.end),
            _ => false,
        })
    }

    /// The `ARG` instructions before the first `FROM`.
    pub fn global_args(&self) -> &[Instruction] {
        let end = self
            .stages
            .first()
            .map_or(self.instructions.len(), |s| s.from);
        &self.instructions[..end]
    }

    /// The stage's instructions, its `FROM` first.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.from..stage.end]
    }

    /// Every port word of every `EXPOSE`, in order.
    pub fn exposed(&self) -> impl Iterator<Item = &Word> {
        self.instructions.iter().flat_map(|i| match &i.kind {
            Kind::Expose(words) => words.as_slice(),
            _ => &[],
        })
    }

    /// The last stage: what a build without `--target` produces.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// `stage` and the stages it builds on through `FROM <earlier stage>`, itself first.
    pub fn stage_chain(&self, stage: usize) -> Vec<usize> {
        let mut chain = vec![stage];
        while let Some(Base::Stage(b)) = chain
            .last()
            .and_then(|&s| self.stages.get(s))
            .map(|s| &s.base)
        {
            if *b >= chain[chain.len() - 1] {
                break;
            }
            chain.push(*b);
        }
        chain
    }

    /// The last instruction for which `pred` holds that an image built from
    /// `stage` inherits: in the stage itself, else in the stages it builds on.
    /// (`USER`, `CMD`, `ENTRYPOINT`, `HEALTHCHECK` carry over `FROM <stage>`.)
    pub fn inherited(&self, stage: usize, pred: impl Fn(&Kind) -> bool) -> Option<&Instruction> {
        self.stage_chain(stage).into_iter().find_map(|s| {
            self.stage_instructions(&self.stages[s])
                .iter()
                .rev()
                .find(|i| pred(&i.kind))
        })
    }

    /// The image a build from `stage` finally rests on: the base of the root of its chain.
    pub fn root_base(&self, stage: usize) -> Option<&Base> {
        let root = *self.stage_chain(stage).last()?;
        Some(&self.stages.get(root)?.base)
    }

    /// The stage named `name` (case-insensitive, as BuildKit compares them).
    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| {
            s.name
                .as_ref()
                .is_some_and(|n| n.value.eq_ignore_ascii_case(name))
        })
    }

    /// A stage referenced by name or by index (`COPY --from=0`), before `before`.
    pub fn stage_ref(&self, reference: &str, before: usize) -> Option<usize> {
        if let Ok(i) = reference.parse::<usize>() {
            return (i < before).then_some(i);
        }
        self.stages[..before.min(self.stages.len())]
            .iter()
            .find(|s| {
                s.name
                    .as_ref()
                    .is_some_and(|n| n.value.eq_ignore_ascii_case(reference))
            })
            .map(|s| s.index)
    }

    /// The stages `stage` needs, directly or not (`FROM stage`, `COPY --from`,
    /// `RUN --mount=from=…`), in index order, without `stage` itself.
    pub fn dependencies(&self, stage: usize) -> Vec<usize> {
        let mut needed = vec![false; self.stages.len()];
        let mut todo = vec![stage];
        while let Some(s) = todo.pop() {
            for dep in self.direct_dependencies(s) {
                if !needed[dep] {
                    needed[dep] = true;
                    todo.push(dep);
                }
            }
        }
        (0..self.stages.len())
            .filter(|&i| needed[i] && i != stage)
            .collect()
    }

    fn direct_dependencies(&self, stage: usize) -> Vec<usize> {
        let Some(st) = self.stages.get(stage) else {
            return Vec::new();
        };
        let mut deps = Vec::new();
        if let Base::Stage(b) = st.base {
            deps.push(b);
        }
        for instr in self.stage_instructions(st) {
            for flag in &instr.flags {
                let Some(value) = &flag.value else { continue };
                let reference = match flag.name.value.as_str() {
                    "from" => Some(value.value.as_str()),
                    "mount" => value
                        .value
                        .split(',')
                        .find_map(|kv| kv.strip_prefix("from=")),
                    _ => None,
                };
                if let Some(d) = reference.and_then(|r| self.stage_ref(r, stage)) {
                    deps.push(d);
                }
            }
        }
        deps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(source: &str) -> AddSource {
        CopySource::Path(Word {
            span: Span::new(0, source.len()),
            raw: source.into(),
            value: source.into(),
        })
        .add_source()
    }

    #[test]
    fn add_sources_as_buildkit_treats_them() {
        assert_eq!(kind("app/"), AddSource::Local);
        assert_eq!(kind("app.zip"), AddSource::Local);
        assert_eq!(kind("rootfs.tar.zst"), AddSource::Archive);
        assert_eq!(kind("dist/*"), AddSource::Archive);
        assert_eq!(kind("${ARCHIVE}"), AddSource::Variable);
        assert_eq!(kind("HTTP://e.com/a"), AddSource::Url { plain_http: true });
        assert_eq!(
            kind("https://e.com/$V.tgz"),
            AddSource::Url { plain_http: false }
        );
        assert_eq!(kind("https://github.com/o/r.git?ref=v1"), AddSource::Git);
        assert_eq!(kind("git@github.com:o/r.git"), AddSource::Git);
        assert_eq!(kind("s3://bucket/key"), AddSource::Remote);
    }
}
