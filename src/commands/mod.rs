//! The subcommands: each turns parsed arguments into output and an exit code.

pub mod check;
pub mod config;
pub mod init;
pub mod rules;

use std::path::{Path, PathBuf};

use crate::cli::ColorChoice;

/// Whether to colour output going to a terminal (`is_terminal`) for `choice`;
/// `auto` honours `NO_COLOR`.
pub fn use_color(choice: Option<ColorChoice>, is_terminal: bool) -> bool {
    match choice.unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes `text` to `path` atomically (a temporary file beside it, renamed);
/// reports and returns `false` on failure.
pub fn write_file(path: &Path, text: &str) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        eprintln!("error: cannot write `{}`: not a file name", path.display());
        return false;
    };
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("error: cannot write `{}`: {e}", path.display());
        return false;
    }
    true
}
