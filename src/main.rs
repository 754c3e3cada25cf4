use std::process::ExitCode;

use clap::Parser;
use seaworthy::cli::{Cli, Command};
use seaworthy::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bug must not look like a clean run or like findings: exit 2.
    let run = std::panic::catch_unwind(|| match cli.command {
        Some(Command::Check(args)) => commands::check::run(*args),
        Some(Command::Config(args)) => commands::config::run(args),
        Some(Command::Rules(args)) => commands::rules::list(args),
        Some(Command::Explain(args)) => commands::rules::explain(args),
        Some(Command::Init(args)) => commands::init::run(args),
        None => commands::check::run(cli.check),
    });
    run.unwrap_or_else(|_| {
        eprintln!("error: internal error; please report it with the input that caused it");
        ExitCode::from(2)
    })
}
