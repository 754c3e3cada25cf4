use std::process::ExitCode;

use clap::Parser;
use seaworthy::cli::{Cli, Command};
use seaworthy::commands;

fn main() -> ExitCode {
    // before anything runs on the pool
    let _ = rayon::ThreadPoolBuilder::new()
        .start_handler(|_| reserve_heap())
        .build_global();
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

/// Grows the calling thread's heap once, by 4 MiB, and hands it back.
///
/// glibc gives each worker thread a heap of its own and grows it by what
/// each allocation lacks, one `mprotect` call per growth, which takes the
/// process's memory-map lock the other thread's page faults wait on: a run
/// over 1 400 Dockerfiles made 1 400 such calls. A heap that has grown keeps
/// its mapping when the memory is handed back, so later growth within it
/// costs no call. The blocks are not written, so resident memory does not
/// change. Under another allocator this is an allocation and a free.
fn reserve_heap() {
    // below glibc's threshold for mapping an allocation of its own (128 KiB),
    // so they come from the heap
    const BLOCK: usize = 64 * 1024;
    const BLOCKS: usize = 64;
    let blocks: Vec<Vec<u8>> = (0..BLOCKS).map(|_| Vec::with_capacity(BLOCK)).collect();
    drop(std::hint::black_box(blocks));
}
