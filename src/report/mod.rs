//! Rendering diagnostics. Reporters see diagnostics and sources, never rules.

pub mod human;
pub mod source_code;
mod yaml_out;

pub use yaml_out::yaml_text;

use std::path::Path;
use std::sync::OnceLock;

/// How a path is shown: relative to the current directory when it lies below
/// it (files reached through a project are read by absolute path), else as is.
pub fn display_path(path: &Path) -> String {
    static CWD: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
    cwd.as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}
