//! Programs by what they do as PID 1: shells (which do not forward signals
//! to their children) and init processes (which forward signals and reap
//! zombies).

/// Shells, by file name: a shell as PID 1 does not forward `SIGTERM`.
pub const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "ksh",
    "mksh",
    "fish",
    "busybox",
    "pwsh",
    "powershell",
    "powershell.exe",
    "cmd",
    "cmd.exe",
];

/// Init processes, by file name or path: `tini`, `dumb-init`, Docker's own
/// `docker-init` (what `init: true` runs), s6-overlay's `/init`, `catatonit`.
pub const INITS: &[&str] = &[
    "tini",
    "tini-static",
    "dumb-init",
    "docker-init",
    "catatonit",
    "/init",
    "s6-svscan",
];

fn file_name(program: &str) -> &str {
    program.rsplit(['/', '\\']).next().unwrap_or(program)
}

/// The name of the program a shell runs for the word `word`: what follows
/// its last `/` (`/usr/bin/curl` is `curl`).
pub fn command_name(word: &str) -> &str {
    // a byte scan: this runs for every command of every script, and the
    // words are short
    match word.bytes().rposition(|b| b == b'/') {
        Some(i) => &word[i + 1..],
        None => word,
    }
}

/// Whether `program` (a path or a name) is a shell.
pub fn is_shell(program: &str) -> bool {
    let name = file_name(program);
    SHELLS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Whether `program` (a path or a name) is a POSIX shell, whose `-c` takes a
/// script in the syntax the shell tokenizer reads.
pub fn is_posix_shell(program: &str) -> bool {
    let name = file_name(program);
    ["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// Whether `program` (a path or a name) is an init process. s6-overlay's
/// init is recognised by its path (`/init`), any other by its name.
pub fn is_init(program: &str) -> bool {
    program == "/init" || (INITS.contains(&file_name(program)) && file_name(program) != "init")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_and_inits() {
        for s in ["sh", "/bin/sh", "/usr/bin/bash", "busybox", "pwsh"] {
            assert!(is_shell(s), "{s}");
        }
        for s in ["node", "/usr/local/bin/docker-entrypoint.sh", "tini"] {
            assert!(!is_shell(s), "{s}");
        }
        for s in [
            "tini",
            "/sbin/tini",
            "/usr/bin/dumb-init",
            "/init",
            "docker-init",
            "catatonit",
        ] {
            assert!(is_init(s), "{s}");
        }
        for s in ["init", "/usr/sbin/init", "node", "/bin/sh"] {
            assert!(!is_init(s), "{s}");
        }
    }
}
