//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Tells whether a Docker Compose project is fit for production.
#[derive(Debug, Parser)]
#[command(name = "seaworthy", version, about)]
pub struct Cli {
    /// What to do; `check` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the default `check` command.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint compose files (the default).
    Check(CheckArgs),
    /// Print the resolved compose project, as `docker compose config` does.
    Config(ConfigArgs),
    /// List every rule: code, name, category, default severity.
    Rules(RulesArgs),
    /// Print a rule's manual.
    Explain(ExplainArgs),
}

/// Output format of `rules`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum RulesFormat {
    /// One rule per line.
    #[default]
    Text,
    /// A JSON array with every rule's metadata.
    Json,
}

/// Options of `rules`.
#[derive(Debug, clap::Args, Default)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: RulesFormat,
}

/// Options of `explain`.
#[derive(Debug, clap::Args, Default)]
pub struct ExplainArgs {
    /// A rule code (`CM101`) or name (`healthcheck-missing`).
    pub rule: String,
}

/// Output format of `config`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ConfigFormat {
    /// JSON, as `docker compose config --format json`.
    #[default]
    Json,
    /// YAML.
    Yaml,
}

/// Options of `config`.
#[derive(Debug, clap::Args, Default)]
pub struct ConfigArgs {
    /// A compose file, or a directory holding the default compose file (and its
    /// override file). Default: the current directory.
    pub path: Option<PathBuf>,
    /// Compose files to merge, in order (replaces PATH).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read variables from this file instead of the project's `.env` (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// Enable a profile (repeatable; `*` enables all).
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ConfigFormat,
}

/// When to fail.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding.
    Info,
    /// Never.
    Never,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options of `check`.
#[derive(Debug, clap::Args, Default)]
pub struct CheckArgs {
    /// Files or directories to lint (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Read variables from this file instead of the project's `.env` (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value = "warning")]
    pub fail_on: Option<FailOn>,
    /// Colour output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Option<ColorChoice>,
}
