//! The effective service: what Docker runs, compose settings over what the
//! built image says, merged as the engine merges them. Rules about health
//! checks, signals and PID 1 read these instead of compose or the Dockerfile
//! alone.

use crate::compose::model::{HealthTest, Healthcheck};
use crate::compose::value::{Spanned, Value};
use crate::dockerfile::{Command, Instruction, Kind};
use crate::image_ref::ImageRef;
use crate::knowledge::{images, programs};
use crate::source::{FileId, Span};

use super::ServiceView;

/// Where a setting of the effective service is written.
#[derive(Debug, Clone, Copy)]
pub enum Site<'a> {
    /// A compose value.
    Compose(&'a Spanned<Value>),
    /// Part of a Dockerfile instruction (a flag, an argument).
    Image {
        /// The Dockerfile.
        file: FileId,
        /// What is written there.
        span: Span,
    },
}

impl Site<'_> {
    /// The file it is written in.
    pub fn file(&self) -> FileId {
        match self {
            Site::Compose(v) => v.file,
            Site::Image { file, .. } => *file,
        }
    }

    /// Where in the file.
    pub fn span(&self) -> Span {
        match self {
            Site::Compose(v) => v.span,
            Site::Image { span, .. } => *span,
        }
    }

    /// Whether it is written in the Dockerfile.
    pub fn in_image(&self) -> bool {
        matches!(self, Site::Image { .. })
    }
}

/// A timing field of a health check, by its compose key and `HEALTHCHECK`
/// flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthField {
    /// `interval` / `--interval` (default 30s).
    Interval,
    /// `timeout` / `--timeout` (default 30s).
    Timeout,
    /// `start_period` / `--start-period` (default 0).
    StartPeriod,
    /// `start_interval` / `--start-interval` (default 5s).
    StartInterval,
}

impl HealthField {
    /// The compose key.
    pub fn key(self) -> &'static str {
        match self {
            HealthField::Interval => "interval",
            HealthField::Timeout => "timeout",
            HealthField::StartPeriod => "start_period",
            HealthField::StartInterval => "start_interval",
        }
    }

    /// The `HEALTHCHECK` flag.
    pub fn flag(self) -> &'static str {
        match self {
            HealthField::Interval => "interval",
            HealthField::Timeout => "timeout",
            HealthField::StartPeriod => "start-period",
            HealthField::StartInterval => "start-interval",
        }
    }

    /// Docker's value when neither compose nor the image sets it, in
    /// nanoseconds.
    pub fn default_nanos(self) -> i128 {
        const S: i128 = 1_000_000_000;
        match self {
            HealthField::Interval | HealthField::Timeout => 30 * S,
            HealthField::StartPeriod => 0,
            HealthField::StartInterval => 5 * S,
        }
    }
}

/// The health check a service's container runs: the compose `healthcheck`
/// over the image's `HEALTHCHECK`, field by field (a field compose leaves
/// unset or zero is the image's, as Docker merges them).
#[derive(Debug, Clone, Copy)]
pub struct Health<'a> {
    compose: Option<Healthcheck<'a>>,
    /// The built image's `HEALTHCHECK CMD …` and its Dockerfile.
    image: Option<(FileId, &'a Instruction)>,
    /// Where the check is defined.
    site: Site<'a>,
}

/// What a health check runs.
#[derive(Debug, Clone)]
pub enum Probe<'a> {
    /// `CMD-SHELL`, a string test, or the shell form of `HEALTHCHECK CMD`.
    Shell(String, Site<'a>),
    /// `CMD` or the exec form: the program and its arguments.
    Exec(Vec<String>, Site<'a>),
}

impl<'a> Health<'a> {
    /// The compose `healthcheck`, if the service defines one.
    pub fn compose(&self) -> Option<Healthcheck<'a>> {
        self.compose
    }

    /// Where the check is defined: the compose `test`, else the image's
    /// `HEALTHCHECK`.
    pub fn site(&self) -> Site<'a> {
        self.site
    }

    /// A timing field, where compose or the image sets it (a zero compose
    /// value is unset, as for Docker). `None`: Docker's default applies.
    pub fn timing(&self, field: HealthField) -> Option<(i128, Site<'a>)> {
        if let Some(v) = self.compose.and_then(|hc| hc.duration(field.key())) {
            if let Value::Duration(d) = &v.value {
                if d.nanos != 0 {
                    return Some((d.nanos, Site::Compose(v)));
                }
            }
        }
        let (file, instr) = self.image?;
        let flag = instr.flag(field.flag())?;
        let value = flag.value.as_ref()?;
        let nanos = crate::duration::parse(&value.value).ok()?;
        Some((
            nanos,
            Site::Image {
                file,
                span: flag.span,
            },
        ))
    }

    /// `retries` as written (compose, else the image's `--retries`).
    pub fn retries(&self) -> Option<(i64, Site<'a>)> {
        if let Some(v) = self.compose.and_then(|hc| hc.duration("retries")) {
            if let Some(n) = v.value.as_f64() {
                return Some((n as i64, Site::Compose(v)));
            }
        }
        let (file, instr) = self.image?;
        let flag = instr.flag("retries")?;
        let n = flag.value.as_ref()?.value.trim().parse().ok()?;
        Some((
            n,
            Site::Image {
                file,
                span: flag.span,
            },
        ))
    }

    /// What the check runs.
    pub fn probe(&self) -> Option<Probe<'a>> {
        if let Some((test, v)) = self.compose.and_then(|hc| hc.test()) {
            match test {
                HealthTest::Shell(s) => return Some(Probe::Shell(s, Site::Compose(v))),
                HealthTest::Exec(args) => return Some(Probe::Exec(args, Site::Compose(v))),
                HealthTest::None => return None,
                HealthTest::Inherit => {}
            }
        }
        let (file, instr) = self.image?;
        let Kind::Healthcheck(Some(command)) = &instr.kind else {
            return None;
        };
        let site = Site::Image {
            file,
            span: command.span(),
        };
        Some(match command {
            Command::Shell(w) => Probe::Shell(w.value.to_string(), site),
            Command::Exec { args, .. } => {
                Probe::Exec(args.iter().map(|a| a.value.to_string()).collect(), site)
            }
        })
    }
}

/// Who PID 1 of a service's container is, when it can be told.
#[derive(Debug, Clone)]
pub struct Pid1<'a> {
    /// The program's argv as Docker starts it (`/bin/sh -c …` for a
    /// shell-form `CMD`).
    pub argv: Vec<String>,
    /// Where what decides it is written.
    pub site: Site<'a>,
    /// Whether compose decides it (`command` or `entrypoint`), rather than
    /// the image alone.
    pub from_compose: bool,
}

impl Pid1<'_> {
    /// Whether it is a shell (`sh -c …`) whose script does not `exec` the
    /// program, or a shell script (`*.sh`).
    pub fn is_shell_or_script(&self) -> bool {
        let Some(program) = self.argv.first() else {
            return false;
        };
        if programs::is_shell(program) {
            return !self.script().is_some_and(script_execs);
        }
        program.ends_with(".sh")
    }

    /// The programs it runs by file name: the program itself, and for a
    /// shell given a script (`sh -c '…'`), every simple command of the script.
    pub fn programs(&self) -> Vec<String> {
        let Some(program) = self.argv.first() else {
            return Vec::new();
        };
        let mut out = vec![programs::command_name(program).to_string()];
        if programs::is_shell(program) {
            if let Some(script) = self.script() {
                let commands =
                    crate::dockerfile::shell::commands(script, Span::new(0, script.len()), b'\\');
                out.extend(commands.iter().filter_map(|c| {
                    let name = c.unwrapped().first()?;
                    Some(programs::command_name(&name.value).to_string())
                }));
            }
        }
        out
    }

    /// The script a shell is given after `-c` (or a flag cluster holding
    /// it: `-ec`, `-xc`).
    fn script(&self) -> Option<&str> {
        let flag = self.argv[1..]
            .iter()
            .position(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('c'))?;
        self.argv.get(flag + 2).map(String::as_str)
    }

    /// Whether it is an init that reaps zombies and forwards signals.
    pub fn is_init(&self) -> bool {
        self.argv.first().is_some_and(|p| programs::is_init(p))
    }
}

/// Whether a shell script replaces itself with a program somewhere (`exec
/// server`, also inside a loop or a condition): the author meant the program
/// to be PID 1.
fn script_execs(script: &str) -> bool {
    crate::dockerfile::shell::commands(script, Span::new(0, script.len()), b'\\')
        .iter()
        .any(|c| c.name().is_some_and(|n| n.value == "exec") && !c.args().is_empty())
}

/// A command-line value of compose (`command`, `entrypoint`) as argv: a list,
/// or a string split like a shell (Compose does not run it through one).
fn compose_argv(v: &Spanned<Value>) -> Option<Vec<String>> {
    match &v.value {
        Value::List(items) => items
            .iter()
            .map(|i| i.value.as_str().map(str::to_string))
            .collect(),
        Value::Str(s) => Some(crate::compose::canonical::split_command(s)),
        _ => None,
    }
}

/// A Dockerfile `CMD`/`ENTRYPOINT` as argv (a shell form runs `/bin/sh -c`).
fn image_argv(command: &Command) -> Vec<String> {
    match command {
        Command::Exec { args, .. } => args.iter().map(|a| a.value.to_string()).collect(),
        Command::Shell(w) => vec!["/bin/sh".into(), "-c".into(), w.value.to_string()],
    }
}

impl<'a> ServiceView<'a> {
    /// The health check the container runs, if one is on.
    pub fn health(&self) -> Option<Health<'a>> {
        let compose = self.compose.healthcheck();
        if compose.is_some_and(|hc| hc.is_disabled()) {
            return None;
        }
        let image = self.image_healthcheck().and_then(|i| match &i.kind {
            Kind::Healthcheck(Some(_)) => Some((self.build?.0.file, i)),
            _ => None,
        });
        let compose_test = compose
            .and_then(|hc| hc.test())
            .filter(|(t, _)| !matches!(t, HealthTest::Inherit | HealthTest::None));
        let site = match (compose_test, image) {
            (Some((_, v)), _) => Site::Compose(v),
            (None, Some((file, instr))) => Site::Image {
                file,
                span: instr.keyword.span,
            },
            (None, None) => return None,
        };
        Some(Health {
            compose,
            image,
            site,
        })
    }

    /// The image the container runs from: the base of the stage it builds
    /// (its own layers on top), else its `image:`. `None` for `scratch` or
    /// when it cannot be told.
    pub fn runs_image(&self) -> Option<ImageRef> {
        if let Some((df, stage)) = self.build {
            return match df.root_base(stage)? {
                crate::dockerfile::Base::Image(r) => Some(r.clone()),
                _ => None,
            };
        }
        let (image, value) = self.compose.image()?;
        if value.is_unknown() {
            return None;
        }
        ImageRef::parse(image).ok()
    }

    /// Whether the service keeps state: it runs a database, queue or search
    /// image, or mounts a named volume.
    pub fn is_stateful(&self) -> bool {
        self.runs_image().is_some_and(|i| images::is_stateful(&i))
            || self
                .compose
                .volumes()
                .iter()
                .any(|m| m.kind == "volume" && m.source.is_some())
    }

    /// The signal the container is stopped with, where compose
    /// (`stop_signal`) or the built image (`STOPSIGNAL`) sets one.
    pub fn stop_signal(&self) -> Option<(String, Site<'a>)> {
        if let Some((s, v)) = self.compose.str("stop_signal") {
            return Some((s.to_string(), Site::Compose(v)));
        }
        let instr = self.image_instruction(|k| matches!(k, Kind::Stopsignal(_)))?;
        let Kind::Stopsignal(w) = &instr.kind else {
            return None;
        };
        Some((
            w.value.to_string(),
            Site::Image {
                file: self.build?.0.file,
                span: w.span,
            },
        ))
    }

    /// PID 1, when compose or the built image decides it. `None` when it
    /// rests on a pulled image's `ENTRYPOINT` that cannot be seen (a Docker
    /// Official Image's entrypoint script `exec`s the command, so there the
    /// command is PID 1).
    pub fn pid1(&self) -> Option<Pid1<'a>> {
        let compose_entrypoint = self
            .compose
            .get("entrypoint")
            .filter(|v| !v.value.is_null());
        let compose_command = self.compose.get("command").filter(|v| !v.value.is_null());
        let image_entrypoint = self
            .image_instruction(|k| matches!(k, Kind::Entrypoint(_)))
            .and_then(|i| match &i.kind {
                Kind::Entrypoint(c) => Some((i, c)),
                _ => None,
            });
        let file = self.build.map(|(df, _)| df.file);
        // the image's `CMD` is dropped when compose sets an entrypoint
        let image_cmd = || {
            let instr = self.image_instruction(|k| matches!(k, Kind::Cmd(_)))?;
            match &instr.kind {
                Kind::Cmd(c) => Some(image_argv(c)),
                _ => None,
            }
        };
        let arguments = |image: bool| -> Vec<String> {
            match compose_command.and_then(compose_argv) {
                Some(argv) => argv,
                None if image => image_cmd().unwrap_or_default(),
                None => Vec::new(),
            }
        };
        // the entrypoint (compose's, else the image's) with its arguments
        if let Some(v) = compose_entrypoint {
            let mut argv = compose_argv(v)?;
            if !argv.is_empty() {
                argv.extend(arguments(false));
                return Some(Pid1 {
                    argv,
                    site: Site::Compose(v),
                    from_compose: true,
                });
            }
        } else if let Some((_, c)) = image_entrypoint {
            let mut argv = image_argv(c);
            if !argv.is_empty() {
                if matches!(c, Command::Exec { .. }) {
                    argv.extend(arguments(true));
                }
                return Some(Pid1 {
                    argv,
                    site: Site::Image {
                        file: file?,
                        span: c.span(),
                    },
                    from_compose: compose_command.is_some(),
                });
            }
        } else if !self.entrypoint_is_transparent() {
            return None;
        }
        // no entrypoint (or one that `exec`s its arguments): the command
        if let Some(v) = compose_command {
            return Some(Pid1 {
                argv: compose_argv(v)?,
                site: Site::Compose(v),
                from_compose: true,
            });
        }
        let instr = self.image_instruction(|k| matches!(k, Kind::Cmd(_)))?;
        let Kind::Cmd(c) = &instr.kind else {
            return None;
        };
        Some(Pid1 {
            argv: image_argv(c),
            site: Site::Image {
                file: file?,
                span: c.span(),
            },
            from_compose: false,
        })
    }

    /// Whether the entrypoint the service inherits, with none written in
    /// compose or the Dockerfile, passes the command through: the image is
    /// built from `scratch` or a Docker Official Image (whose entrypoint
    /// scripts `exec "$@"`), or runs one.
    fn entrypoint_is_transparent(&self) -> bool {
        match self.build {
            Some((df, stage)) => match df.root_base(stage) {
                Some(crate::dockerfile::Base::Scratch) => true,
                Some(crate::dockerfile::Base::Image(r)) => images::is_official(r),
                _ => false,
            },
            None => self.runs_image().is_some_and(|r| images::is_official(&r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shell_that_execs_is_not_pid_1_for_long() {
        let pid1 = |argv: &[&str]| Pid1 {
            argv: argv.iter().map(|s| s.to_string()).collect(),
            site: Site::Image {
                file: FileId(0),
                span: Span::point(0),
            },
            from_compose: true,
        };
        assert!(pid1(&["sh", "-c", "node server.js"]).is_shell_or_script());
        assert!(!pid1(&["sh", "-c", "exec node server.js"]).is_shell_or_script());
        // a flag cluster, an `exec` further down the script
        assert!(!pid1(&["sh", "-ec", "wait-for db; exec node server.js"]).is_shell_or_script());
        assert!(!pid1(&[
            "sh",
            "-c",
            "for i in 1 2; do if up; then exec mongod; fi; done"
        ])
        .is_shell_or_script());
        assert!(pid1(&["bash", "-xc", "migrate && node server.js"]).is_shell_or_script());
        assert!(pid1(&["sh"]).is_shell_or_script());
        assert!(pid1(&["/docker-entrypoint.sh", "nginx"]).is_shell_or_script());
        assert!(!pid1(&["node", "server.js"]).is_shell_or_script());
        assert!(pid1(&["tini", "--", "sh", "-c", "x"]).is_init());
    }
}
