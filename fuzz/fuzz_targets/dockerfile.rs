//! Any bytes as a Dockerfile: model, variables, shell tokenizer, every rule, renderer.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|bytes: &[u8]| {
    harness::dockerfile(bytes, "Dockerfile");
});
