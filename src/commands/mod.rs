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
            let set =
                |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
            // NO_COLOR (the reader's wish) over FORCE_COLOR / CLICOLOR_FORCE
            // (a CI log that renders ANSI) over whether it is a terminal
            if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else {
                set("FORCE_COLOR") || set("CLICOLOR_FORCE") || is_terminal
            }
        }
    }
}

/// Writes `text` to `path` atomically (a temporary file beside it, renamed);
/// reports and returns `false` on failure.
pub fn write_file(path: &Path, text: &str) -> bool {
    replace(path, path, text, None)
}

/// Replaces the file at `path` with `text` as [`write_file`] does, but
/// through a symbolic link to its target and keeping its permissions: for
/// fixing a file in place.
pub fn rewrite_file(path: &Path, text: &str) -> bool {
    let target = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let permissions = std::fs::metadata(&target).map(|m| m.permissions()).ok();
    replace(path, &target, text, permissions)
}

/// Writes `text` beside `target`, gives it `permissions`, and renames it
/// over `target`; errors name `shown`.
fn replace(
    shown: &Path,
    target: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> bool {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name else {
        eprintln!("error: cannot write `{}`: not a file name", shown.display());
        return false;
    };
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, text)
        .and_then(|()| match permissions {
            Some(p) => std::fs::set_permissions(&tmp, p),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, target));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("error: cannot write `{}`: {e}", shown.display());
        return false;
    }
    true
}

/// Runs `completions`: the shell's completion script on standard output.
pub fn completions(args: crate::cli::CompletionsArgs) -> std::process::ExitCode {
    use clap::CommandFactory;
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "seaworthy", &mut std::io::stdout());
    std::process::ExitCode::SUCCESS
}

/// The man page `seaworthy(1)`, generated from the command line's
/// definition (`man/seaworthy.1` holds it; a test keeps it current).
pub fn man_page() -> String {
    use clap::CommandFactory;
    let mut out = Vec::new();
    // INVARIANT: rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
