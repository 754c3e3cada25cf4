//! Any bytes as a compose file or a Dockerfile (the first byte chooses),
//! with every fix its findings carry applied: fixing must never panic, and
//! the fixed text must parse as well as the input did.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/harness/mod.rs"]
mod harness;

fuzz_target!(|bytes: &[u8]| {
    harness::fix_input(bytes);
});
