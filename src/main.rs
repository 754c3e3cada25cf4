// jemalloc, configured in `.cargo/config.toml` (one arena, freed pages
// returned after 100 ms): a run makes millions of small allocations on the
// pool's threads, which took glibc's allocator some 15 % of the run's CPU
// time, and each of its per-thread heaps grew by one system call at a
// time. See docs/performance.md.
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::process::ExitCode;

use clap::Parser;
use seaworthy::cli::{Cli, Command};
use seaworthy::commands;

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(message) = seaworthy::cli::misused_command(&args) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    // `seaworthy help --help` is the top-level help
    if args.len() == 3 && args[1] == "help" && (args[2] == "--help" || args[2] == "-h") {
        args.truncate(1);
        args.push("--help".into());
    }
    let cli = Cli::parse_from(args);
    // A bug must not look like a clean run or like findings: exit 2.
    let run = std::panic::catch_unwind(|| match cli.command {
        Some(Command::Check(args)) => commands::check::run(*args),
        Some(Command::Config(args)) => commands::config::run(args),
        Some(Command::Rules(args)) => commands::rules::list(args),
        Some(Command::Explain(args)) => commands::rules::explain(args),
        Some(Command::Init(args)) => commands::init::run(args),
        Some(Command::Completions(args)) => commands::completions(args),
        Some(Command::Server(_)) => ExitCode::from(
            // INVARIANT: `run` returns 0 or 1.
            u8::try_from(seaworthy::server::run(
                std::io::BufReader::new(std::io::stdin()),
                std::io::stdout().lock(),
            ))
            .unwrap_or(1),
        ),
        None => commands::check::run(cli.check),
    });
    run.unwrap_or_else(|_| {
        eprintln!("error: internal error; please report it with the input that caused it");
        ExitCode::from(2)
    })
}
