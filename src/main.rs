use std::process::ExitCode;

use clap::Parser;
use seaworthy::cli::{Cli, Command};
use seaworthy::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => commands::check::run(args),
        Some(Command::Config(args)) => commands::config::run(args),
        Some(Command::Rules(args)) => commands::rules::list(args),
        Some(Command::Explain(args)) => commands::rules::explain(args),
        None => commands::check::run(cli.check),
    }
}
