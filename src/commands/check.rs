//! `seaworthy check`: lint, render, decide the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{CheckArgs, FailOn};
use crate::compose::Environment;
use crate::diagnostic::Severity;
use crate::engine::{self, CheckOptions};
use crate::report::human::{self, HumanOptions};

/// Runs `check`.
pub fn run(mut args: CheckArgs) -> ExitCode {
    if args.paths.is_empty() {
        args.paths.push(".".into());
    }
    let opts = CheckOptions {
        env_files: args.env_files,
        process_env: Environment::from_process(),
        ..Default::default()
    };
    let outcome = engine::check(&args.paths, &opts);
    let tty = std::io::stdout().is_terminal();
    let color = super::use_color(args.color, tty);
    let render = HumanOptions {
        color,
        links: tty && color,
        ..Default::default()
    };
    let text = human::render(&outcome.diagnostics, &outcome.sources, &render);
    let _ = std::io::stdout().write_all(text.as_bytes());
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    let threshold = match args.fail_on.unwrap_or(FailOn::Warning) {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    if !outcome.errors.is_empty() {
        ExitCode::from(2)
    } else if engine::fails(&outcome.diagnostics, threshold) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
