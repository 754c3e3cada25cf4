use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use seaworthy::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn};
use seaworthy::compose::Environment;
use seaworthy::diagnostic::Severity;
use seaworthy::engine::{self, CheckOptions};
use seaworthy::report::human::{self, HumanOptions};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let args = match cli.command {
        Some(Command::Check(args)) => args,
        None => cli.check,
    };
    check(args)
}

fn check(mut args: CheckArgs) -> ExitCode {
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
    let color = match args.color.unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
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
