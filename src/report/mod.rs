//! Rendering diagnostics. Reporters see diagnostics and sources, never rules.

pub mod human;
pub mod source_code;
mod yaml_out;

pub use yaml_out::yaml_text;
