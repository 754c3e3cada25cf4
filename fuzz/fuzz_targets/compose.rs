//! Any bytes as a compose file: YAML tree, Compose model, every rule, renderer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seaworthy::compose::{interpolate::VarOrigin, Environment};

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|bytes: &[u8]| {
    let mut env = Environment::empty();
    env.set("X", "1", VarOrigin::Process);
    harness::compose_file(bytes, "compose.yaml", &env);
});
