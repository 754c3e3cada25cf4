//! What the `RUN` instructions of a Dockerfile run: each simple command of
//! each script (shell form, `RUN <<EOF` bodies, heredocs fed to a shell) or
//! the program of an exec form, with its stage; the `SHELL` in effect; the
//! mounts a `RUN` has.

use crate::source::Span;

use super::model::{Command, Dockerfile, Instruction, Kind};
use super::shell::{commands, ShellWord, SimpleCommand};

/// A simple command some `RUN` runs.
#[derive(Clone, Debug)]
pub struct RunCommand {
    /// The index of its `RUN` in [`Dockerfile::instructions`].
    pub instruction: usize,
    /// The stage the `RUN` is in.
    pub stage: usize,
    /// Which script of the instruction holds it (see
    /// [`Instruction::shell_scripts`]); 0 for exec form.
    pub script: usize,
    /// Whether the `RUN` is in exec form (no shell).
    pub exec: bool,
    /// The command.
    pub command: SimpleCommand,
}

impl RunCommand {
    /// The word of the program run, through wrappers (`sudo apt`, `env
    /// A=1 wget`: see [`SimpleCommand::unwrapped`]), if the command runs one.
    pub fn name(&self) -> Option<&ShellWord> {
        self.command.unwrapped().first()
    }

    /// The program run by file name (`/usr/bin/curl` is `curl`), or "".
    pub fn program(&self) -> &str {
        self.name()
            .map(|n| crate::knowledge::programs::command_name(&n.value))
            .unwrap_or("")
    }

    /// The words after the program run.
    pub fn args(&self) -> &[ShellWord] {
        self.command.unwrapped().get(1..).unwrap_or(&[])
    }

    /// From the program to its last word.
    pub fn span(&self) -> Option<Span> {
        self.command.span()
    }

    /// The paths this command deletes: the operands of `rm`, or the start
    /// paths of a `find` that deletes what it finds (`-delete`, `-exec`).
    pub fn deleted_paths(&self) -> Vec<&str> {
        let operands = || {
            self.args()
                .iter()
                .map(|a| a.value.as_str())
                .filter(|a| !a.starts_with('-'))
        };
        match self.program() {
            "rm" => operands().collect(),
            "find"
                if self
                    .args()
                    .iter()
                    .any(|a| a.value == "-delete" || a.value == "-exec") =>
            {
                operands().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether `self` and `other` are in the same script of the same `RUN`.
    pub fn same_script(&self, other: &RunCommand) -> bool {
        self.instruction == other.instruction && self.script == other.script
    }
}

/// Every simple command the `RUN` instructions of `df` run, in order; `text`
/// is the file's text. `ONBUILD RUN` is not included: it runs in another build.
pub fn run_commands(df: &Dockerfile, text: &str) -> Vec<RunCommand> {
    let mut out = Vec::new();
    for stage in &df.stages {
        for index in stage.from..stage.end {
            let instr = &df.instructions[index];
            let Kind::Run { command, .. } = &instr.kind else {
                continue;
            };
            if let Command::Exec { args, .. } = command {
                let words = args
                    .iter()
                    .map(|a| ShellWord {
                        span: a.span,
                        raw: a.raw.clone(),
                        value: a.value.clone(),
                    })
                    .collect();
                out.push(RunCommand {
                    instruction: index,
                    stage: stage.index,
                    script: 0,
                    exec: true,
                    command: SimpleCommand {
                        words,
                        ..SimpleCommand::default()
                    },
                });
                continue;
            }
            for (script, span) in instr.shell_scripts().into_iter().enumerate() {
                for command in commands(text, span, df.escape as u8) {
                    out.push(RunCommand {
                        instruction: index,
                        stage: stage.index,
                        script,
                        exec: false,
                        command,
                    });
                }
            }
        }
    }
    out
}

/// Where in `cmds` (in order, as [`run_commands`] gives them) the commands
/// the instruction `index` runs are; found by binary search, so that a rule
/// comparing a command with the others of its `RUN` does not read them all.
pub fn instruction_range(cmds: &[RunCommand], index: usize) -> std::ops::Range<usize> {
    let from = cmds.partition_point(|c| c.instruction < index);
    let len = cmds[from..].partition_point(|c| c.instruction == index);
    from..from + len
}

/// The commands of `cmds` that the instruction `index` runs (see
/// [`instruction_range`]).
pub fn of_instruction(cmds: &[RunCommand], index: usize) -> &[RunCommand] {
    &cmds[instruction_range(cmds, index)]
}

/// The command `cmds[i]` pipes its output into (`a | b`), if any: the next
/// command of the same script that starts after it (commands inside its own
/// `$(…)` start within it).
pub fn piped_into(cmds: &[RunCommand], i: usize) -> Option<usize> {
    let c = &cmds[i];
    if c.command.terminator.as_deref() != Some("|") {
        return None;
    }
    let end = c.span()?.end;
    let redirect_end = c.command.redirects.iter().map(|r| r.span.end).max();
    let end = redirect_end.map_or(end, |r| r.max(end));
    cmds[i + 1..]
        .iter()
        .position(|n| n.same_script(c) && n.span().is_some_and(|s| s.start >= end))
        .map(|p| i + 1 + p)
}

/// A `RUN --mount=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    /// `type=`: `bind` when not given.
    pub kind: String,
    /// `target=` (or `dst=`, `destination=`).
    pub target: Option<String>,
}

impl Instruction {
    /// The mounts of a `RUN`.
    pub fn mounts(&self) -> Vec<Mount> {
        self.flags
            .iter()
            .filter(|f| f.name.value == "mount")
            .filter_map(|f| f.value.as_ref())
            .map(|v| {
                let mut mount = Mount {
                    kind: "bind".to_string(),
                    target: None,
                };
                for field in v.value.split(',') {
                    let (key, value) = field.split_once('=').unwrap_or((field, ""));
                    match key.trim().to_ascii_lowercase().as_str() {
                        "type" => mount.kind = value.to_ascii_lowercase(),
                        "target" | "dst" | "destination" => {
                            mount.target = Some(value.trim_end_matches('/').to_string())
                        }
                        _ => {}
                    }
                }
                mount
            })
            .collect()
    }

    /// Whether a mount of this `RUN` holds `path` (the mount's target or a
    /// directory above it), so what the `RUN` writes there stays out of the
    /// layer.
    pub fn mounted(&self, path: &str) -> bool {
        self.mounts().iter().any(|m| {
            m.target
                .as_deref()
                .is_some_and(|t| !t.is_empty() && path_within(path, t))
        })
    }
}

/// Whether `path` is `dir` or inside it.
pub fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl Dockerfile {
    /// The stage instruction `index` is in.
    pub fn stage_of(&self, index: usize) -> Option<usize> {
        self.stages
            .iter()
            .find(|s| (s.from..s.end).contains(&index))
            .map(|s| s.index)
    }

    /// The `SHELL` in effect at instruction `index`: the last one before it
    /// in its stage, else the last of the stages it builds on (`FROM
    /// <stage>`). `None`: the default, `/bin/sh -c` (or whatever the base
    /// image sets, which is rarely anything else on Linux).
    pub fn shell_at(&self, index: usize) -> Option<&[super::Word]> {
        let stage = self.stage_of(index)?;
        let chain = self.stage_chain(stage);
        chain.into_iter().find_map(|s| {
            let st = &self.stages[s];
            let end = if s == stage { index } else { st.end };
            self.instructions[st.from..end]
                .iter()
                .rev()
                .find_map(|i| match &i.kind {
                    Kind::Shell(words) => Some(words.as_slice()),
                    _ => None,
                })
        })
    }

    /// The stages whose file system ends up in an image that is run, given
    /// the stages run (`run`): those, the stages they build on, and stages
    /// whose whole file system one of them copies (`COPY --from=stage / /`).
    pub fn image_stages(&self, run: &[usize]) -> Vec<usize> {
        let mut inside = vec![false; self.stages.len()];
        let mut todo: Vec<usize> = run.to_vec();
        while let Some(s) = todo.pop() {
            for c in self.stage_chain(s) {
                if c < inside.len() && !inside[c] {
                    inside[c] = true;
                    todo.push(c);
                }
            }
            let Some(st) = self.stages.get(s) else {
                continue;
            };
            for instr in self.stage_instructions(st) {
                let Kind::Copy { sources, .. } = &instr.kind else {
                    continue;
                };
                let whole = sources.iter().any(|src| {
                    matches!(src, super::model::CopySource::Path(w)
                        if w.value.trim_end_matches(['/', '.']).is_empty())
                });
                let from = instr
                    .flag("from")
                    .and_then(|f| f.value.as_ref())
                    .and_then(|v| self.stage_ref(&v.value, self.stages.len()));
                if let (true, Some(from)) = (whole, from) {
                    if !inside[from] {
                        inside[from] = true;
                        todo.push(from);
                    }
                }
            }
        }
        (0..self.stages.len()).filter(|&i| inside[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::{load, BuildArgs};
    use crate::source::{SourceFile, SourceMap};

    fn model(text: &str) -> (Dockerfile, String) {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new("Dockerfile", text.to_string()));
        (
            load(&sources, id, &BuildArgs::new()).dockerfile,
            text.to_string(),
        )
    }

    #[test]
    fn commands_pipes_and_stages() {
        let (df, text) = model(
            "FROM alpine:3.20 AS a\nRUN echo $(id | cut -c1) | tee x && ls\nFROM a\nRUN [\"ls\", \"-l\"]\n",
        );
        let cmds = run_commands(&df, &text);
        let names: Vec<&str> = cmds.iter().map(|c| c.program()).collect();
        assert_eq!(names, ["echo", "id", "cut", "tee", "ls", "ls"]);
        assert_eq!(piped_into(&cmds, 0), Some(3));
        assert_eq!(piped_into(&cmds, 1), Some(2));
        assert_eq!(piped_into(&cmds, 3), None);
        assert_eq!(cmds[5].stage, 1);
        assert!(cmds[5].exec);
        // the first `RUN` is instruction 1, the second 3; none is 0 or 2
        let programs = |i| -> Vec<&str> {
            of_instruction(&cmds, i)
                .iter()
                .map(|c| c.program())
                .collect()
        };
        assert_eq!(programs(1), ["echo", "id", "cut", "tee", "ls"]);
        assert_eq!(programs(3), ["ls"]);
        assert!(programs(0).is_empty() && programs(2).is_empty() && programs(9).is_empty());
    }

    #[test]
    fn shell_mounts_and_image_stages() {
        let (df, _) = model(
            "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base AS build\nRUN --mount=type=cache,target=/var/cache/apt/ true\nFROM scratch AS rootfs\nFROM alpine:3.20\nCOPY --from=rootfs / /\n",
        );
        let run = 3;
        assert_eq!(
            df.shell_at(run).map(|w| w[0].value.as_str()),
            Some("/bin/bash")
        );
        assert!(df.instructions[run].mounted("/var/cache/apt/archives"));
        assert!(!df.instructions[run].mounted("/var/cache/aptitude"));
        assert_eq!(df.image_stages(&[3]), [2, 3]);
        assert_eq!(df.image_stages(&[1]), [0, 1]);
    }
}
