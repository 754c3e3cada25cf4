//! What seaworthy knows about the world outside the files it reads: Docker
//! Official Images, tags that move, programs that are shells or inits. Data
//! in one module each, documented and tested, never literals in rules.

pub mod host;
pub mod images;
pub mod packages;
pub mod programs;

/// Variables the login session of whoever deploys a project sets, exported
/// to Compose: never "unset", whatever the environment seaworthy runs in.
/// (`UID` and `GID` are not here: shells set them without exporting them,
/// so Compose does not see them.)
pub const SESSION_VARIABLES: &[&str] = &[
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "PATH",
    "PWD",
    "TMPDIR",
    "XDG_RUNTIME_DIR",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
];
