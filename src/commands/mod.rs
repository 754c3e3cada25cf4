//! The subcommands: each turns parsed arguments into output and an exit code.

pub mod check;
pub mod config;
pub mod init;
pub mod rules;

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
