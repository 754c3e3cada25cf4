//! Writes the benchmark inputs into a directory, for `bench/compare.sh`:
//! `cargo run --release --example bench-inputs -- DIR CORPUS SCALE...`
//! writes `DIR/large/compose.yaml` (5 000 services), `DIR/large/Dockerfile`
//! (5 000 instructions) and, for each SCALE, `DIR/corpus-SCALEx/` holding
//! 10 × SCALE copies of CORPUS.

#[path = "inputs.rs"]
mod inputs;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), Some(corpus)) = (args.next(), args.next()) else {
        eprintln!("usage: bench-inputs DIR CORPUS [SCALE...]");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let corpus = PathBuf::from(corpus);
    let run = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir.join("large"))?;
        std::fs::write(dir.join("large/compose.yaml"), inputs::large_compose(5000))?;
        std::fs::write(dir.join("large/Dockerfile"), inputs::large_dockerfile(5000))?;
        for scale in args {
            let scale = scale.to_string_lossy();
            let n: usize = scale.parse().map_err(std::io::Error::other)?;
            let to = dir.join(format!("corpus-{n}x"));
            let files = inputs::replicate(&corpus, &to, 10 * n)?;
            println!("{}: {files} files", to.display());
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-inputs: {e}");
            ExitCode::FAILURE
        }
    }
}
