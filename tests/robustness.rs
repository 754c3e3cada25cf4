//! No input makes a loader or a rule panic: truncated and mutated copies of
//! every fixture and corpus file go through the harness shared with the
//! fuzzers (`tests/harness`).

mod common;
mod harness;

use std::path::{Path, PathBuf};

use common::is_dockerfile;

use seaworthy::compose::{interpolate::VarOrigin, Environment};

fn inputs() -> Vec<PathBuf> {
    let keep =
        |p: &Path| p.extension().is_some_and(|x| x == "yaml" || x == "yml") || is_dockerfile(p);
    let mut out = common::files_under(Path::new("fixtures"), &keep);
    if let Some(corpus) = common::shared_corpus("corpus") {
        out.extend(common::files_under(&corpus, &keep));
    }
    out
}

/// A small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "$",
    "${",
    "${X:-",
    "}",
    "\t",
    "\n",
    "\"",
    "'",
    "|",
    ">-",
    "#",
    "!reset ",
    "---\n",
    "? ",
    "\r\n",
    "é",
    "🚢",
    "\u{feff}",
    "\\",
    "%YAML 1.2\n",
    "  ",
    "0755",
    "1e400",
    "99999:80",
    "1m30s",
    "512q",
];

fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = text.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                bytes.splice(at..at, s.bytes());
            }
            1 if at < bytes.len() => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 if at < bytes.len() => bytes[at] = (rng.next() & 0xff) as u8,
            3 => {
                // duplicate a line
                let line_start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let line_end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                let line = bytes[line_start..line_end].to_vec();
                bytes.splice(line_end..line_end, line);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

fn check(bytes: &[u8], name: &str, env: &Environment) {
    if is_dockerfile(Path::new(name)) {
        harness::dockerfile(bytes, name);
    } else {
        harness::compose_file(bytes, name, env);
    }
}

#[test]
fn truncated_inputs_never_panic() {
    let env = Environment::empty();
    let mut count = 0;
    for path in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        // every 7th byte keeps the run short while hitting every construct
        // (a cut inside a character is invalid UTF-8, which is input too)
        for cut in (0..=bytes.len()).step_by(7) {
            check(&bytes[..cut], &path.display().to_string(), &env);
            count += 1;
        }
    }
    assert!(count > 1000, "only {count} truncations");
}

#[test]
fn mutated_inputs_never_panic() {
    let mut env = Environment::empty();
    env.set("X", "1", VarOrigin::Process);
    // `SEAWORTHY_MUTATIONS=N` runs N mutations per file (default 60) for a longer hunt.
    let per_file: usize = std::env::var("SEAWORTHY_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("SEAWORTHY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eaf_0a7e_5eed_1234);
    let mut rng = Rng(seed);
    let mut count = 0;
    for path in inputs() {
        let bytes = std::fs::read(&path).unwrap();
        for _ in 0..per_file {
            let mutated = mutate(&bytes, &mut rng);
            check(&mutated, &path.display().to_string(), &env);
            count += 1;
        }
    }
    assert!(count > 3000, "only {count} mutations");
}
