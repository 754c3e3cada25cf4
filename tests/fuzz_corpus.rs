//! Replays every input the fuzzers kept (`fuzz/corpus/<target>/`) and every
//! input that once made a target fail (`fuzz/regressions/<target>/`) through
//! the same harness, on stable Rust, so `cargo test` catches a regression
//! without a fuzzer. See docs/performance.md for running the fuzzers.

mod common;
mod harness;

use std::path::Path;

use seaworthy::compose::{interpolate::VarOrigin, Environment};

/// The inputs kept for `target`; panics if there are none, so a moved
/// corpus cannot turn this test into one that checks nothing.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        for path in common::files_under(&root.join(dir).join(target), &|_| true) {
            let bytes = std::fs::read(&path).unwrap();
            out.push((path.display().to_string(), bytes));
        }
    }
    assert!(out.len() > 100, "only {} inputs for {target}", out.len());
    out
}

#[test]
fn the_compose_corpus_replays_cleanly() {
    let mut env = Environment::empty();
    env.set("X", "1", VarOrigin::Process);
    for (name, bytes) in inputs("compose") {
        harness::compose_file(&bytes, &name, &env);
    }
}

/// The `fix` target's inputs are compose files and Dockerfiles, which the
/// two corpora above already replay through the same fix checks; its
/// failures are kept and replayed here.
#[test]
fn the_fix_regressions_replay_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/fix");
    let inputs = common::files_under(&dir, &|_| true);
    assert!(!inputs.is_empty());
    for path in inputs {
        harness::fix_input(&std::fs::read(&path).unwrap());
    }
}

#[test]
fn the_dockerfile_corpus_replays_cleanly() {
    for (name, bytes) in inputs("dockerfile") {
        harness::dockerfile(&bytes, &name);
    }
}
