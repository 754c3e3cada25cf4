//! A plain-text outline of a modelled Dockerfile: every instruction, word and
//! sub-span with its position and the text it covers. Used by snapshot tests
//! and `seaworthy` debugging, so a reviewer can check spans by reading them.

use std::fmt::Write;

use crate::source::{SourceFile, Span};

use super::expand::Expansion;
use super::model::{Base, Command, CopySource, Dockerfile, Heredoc, Instruction, Kind, Word};
use super::shell;

/// Renders `df` (whose text is `src`).
pub fn outline(df: &Dockerfile, src: &SourceFile) -> String {
    let mut o = Outline {
        df,
        src,
        out: String::new(),
    };
    for d in &df.directives {
        let _ = writeln!(o.out, "directive {} = {}", d.name, o.at(d.value_span));
    }
    if df.escape != '\\' {
        let _ = writeln!(o.out, "escape {:?}", df.escape);
    }
    for (i, instr) in df.global_args().iter().enumerate() {
        o.instruction(instr, None, i, 0);
    }
    for st in &df.stages {
        let base = match &st.base {
            Base::Stage(i) => format!("stage {i}"),
            Base::Scratch => "scratch".to_string(),
            Base::Image(r) => format!(
                "{}{}{}",
                r.full_name(),
                r.tag.as_ref().map(|t| format!(":{t}")).unwrap_or_default(),
                r.digest
                    .as_ref()
                    .map(|d| format!("@{d}"))
                    .unwrap_or_default()
            ),
            Base::Unknown => "unknown".to_string(),
        };
        let _ = writeln!(
            o.out,
            "stage {}{} base={} needs={:?}",
            st.index,
            st.name
                .as_ref()
                .map(|n| format!(" `{}`", n.value))
                .unwrap_or_default(),
            base,
            df.dependencies(st.index)
        );
        for (i, instr) in df.stage_instructions(st).iter().enumerate() {
            o.instruction(instr, Some(st.index), st.from + i, 1);
        }
    }
    if let Some(f) = df.final_stage() {
        let _ = writeln!(o.out, "final stage {}", f.index);
    }
    o.out
}

struct Outline<'a> {
    df: &'a Dockerfile,
    src: &'a SourceFile,
    out: String,
}

impl Outline<'_> {
    fn at(&self, span: Span) -> String {
        let lc = self.src.line_col(span.start);
        format!("{}:{} {:?}", lc.line, lc.column, self.src.slice(span))
    }

    fn word(&self, w: &Word) -> String {
        let mut s = self.at(w.span);
        if w.value != self.src.slice(w.span) {
            let _ = write!(s, " => {:?}", w.value);
        }
        s
    }

    fn line(&mut self, indent: usize, text: String) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(indent), text);
    }

    /// The word with variables substituted, when that changes it.
    fn resolved(&self, stage: Option<usize>, at: usize, w: &Word) -> String {
        let Some(stage) = stage else {
            return String::new();
        };
        match self.df.resolve(stage, at, w) {
            Expansion::Known(v) if v != w.value => format!(" -> {v:?}"),
            Expansion::Known(_) => String::new(),
            Expansion::Unknown => " -> unknown".to_string(),
        }
    }

    fn instruction(&mut self, instr: &Instruction, stage: Option<usize>, at: usize, indent: usize) {
        let lc = self.src.line_col(instr.span.start);
        self.line(
            indent,
            format!("{}:{} {}", lc.line, lc.column, instr.keyword.value),
        );
        let i = indent + 1;
        if !matches!(instr.kind, Kind::Onbuild(_)) {
            for script in instr.shell_scripts() {
                self.script(script, i);
            }
        }
        for f in &instr.flags {
            let value = f
                .value
                .as_ref()
                .map(|v| format!(" value {}", self.word(v)))
                .unwrap_or_default();
            self.line(i, format!("flag {}{}", self.word(&f.name), value));
        }
        match &instr.kind {
            Kind::From { image, name } => {
                let resolved = stage
                    .and_then(|s| self.df.stages.get(s))
                    .and_then(|s| s.resolved_image.clone())
                    .filter(|r| *r != image.value)
                    .map(|r| format!(" -> {r:?}"))
                    .unwrap_or_default();
                self.line(i, format!("image {}{resolved}", self.word(image)));
                if let Some(n) = name {
                    self.line(i, format!("name {}", self.word(n)));
                }
            }
            Kind::Arg(decls) => {
                for d in decls {
                    let default = d
                        .default
                        .as_ref()
                        .map(|v| format!(" default {}", self.word(v)))
                        .unwrap_or_default();
                    self.line(i, format!("arg {}{default}", self.word(&d.name)));
                }
            }
            Kind::Env(pairs) | Kind::Label(pairs) => {
                for p in pairs {
                    let r = self.resolved(stage, at, &p.value);
                    self.line(
                        i,
                        format!("key {} value {}{r}", self.word(&p.key), self.word(&p.value)),
                    );
                }
            }
            Kind::Run { command, heredocs } => {
                self.command(command, i);
                for h in heredocs {
                    self.heredoc(h, i);
                }
            }
            Kind::Cmd(c) | Kind::Entrypoint(c) => self.command(c, i),
            Kind::Healthcheck(Some(c)) => self.command(c, i),
            Kind::Healthcheck(None) => self.line(i, "none".to_string()),
            Kind::Shell(words) | Kind::Expose(words) | Kind::Volume(words) => {
                for w in words {
                    self.line(i, format!("arg {}", self.word(w)));
                }
            }
            Kind::Copy { sources, dest, .. } => {
                for s in sources {
                    match s {
                        CopySource::Path(w) => self.line(i, format!("source {}", self.word(w))),
                        CopySource::Heredoc(h) => self.heredoc(h, i),
                    }
                }
                self.line(i, format!("dest {}", self.word(dest)));
            }
            Kind::User(w) | Kind::Workdir(w) | Kind::Stopsignal(w) | Kind::Maintainer(w) => {
                let r = self.resolved(stage, at, w);
                self.line(i, format!("value {}{r}", self.word(w)));
            }
            Kind::Onbuild(inner) => self.instruction(inner, None, at, i),
            Kind::Unparsed(w) => self.line(i, format!("unparsed {}", self.word(w))),
        }
    }

    fn command(&mut self, c: &Command, i: usize) {
        match c {
            Command::Exec { args, .. } if args.is_empty() => self.line(i, "exec []".to_string()),
            Command::Exec { args, .. } => {
                for a in args {
                    self.line(i, format!("exec {}", self.word(a)));
                }
            }
            Command::Shell(w) => self.line(i, format!("shell {}", self.at(w.span))),
        }
    }

    fn script(&mut self, span: Span, i: usize) {
        for cmd in shell::commands(self.src.text(), span, self.df.escape as u8) {
            let words: Vec<String> = cmd.words.iter().map(|w| self.at(w.span)).collect();
            let redirects: Vec<String> = cmd
                .redirects
                .iter()
                .map(|r| {
                    format!(
                        "{}{}",
                        r.op,
                        r.target.as_ref().map(|t| t.value.as_str()).unwrap_or("")
                    )
                })
                .collect();
            let mut line = format!("cmd [{}]", words.join(", "));
            if !redirects.is_empty() {
                let _ = write!(line, " redirects {redirects:?}");
            }
            self.line(i, line);
        }
    }

    fn heredoc(&mut self, h: &Heredoc, i: usize) {
        self.line(
            i,
            format!(
                "heredoc {} delimiter {:?} expand={} strip_tabs={} body {}",
                self.at(h.marker),
                h.delimiter,
                h.expand,
                h.strip_tabs,
                self.at(h.body)
            ),
        );
        if h.content != self.src.slice(h.body) {
            self.line(i + 1, format!("content {:?}", h.content));
        }
    }
}
