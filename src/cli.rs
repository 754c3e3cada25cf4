//! The command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Tells whether a Docker Compose project is fit for production.
#[derive(Debug, Parser)]
#[command(name = "seaworthy", version, about, propagate_version = true)]
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
    Check(Box<CheckArgs>),
    /// Print the resolved compose project, as `docker compose config` does.
    Config(ConfigArgs),
    /// List every rule: code, name, category, default severity.
    Rules(RulesArgs),
    /// Print a rule's manual.
    Explain(ExplainArgs),
    /// Write a starter `.seaworthy.yaml`.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Run the language server on standard input and output, for editors.
    Server(ServerArgs),
}

/// Options of `server`.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Talk over standard input and output (the only transport; accepted
    /// because editors pass it).
    #[arg(long)]
    pub stdio: bool,
}

/// Options of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The subcommands' names, for telling a mistyped one from a path.
pub const COMMANDS: &[&str] = &[
    "check",
    "config",
    "rules",
    "explain",
    "init",
    "completions",
    "server",
    "help",
];

/// What is wrong with a command line whose first word looks like a
/// mistyped subcommand rather than a path to lint (`seaworthy explian
/// CM101`, `seaworthy version`); `None` when it is fine.
pub fn misused_command(args: &[std::ffi::OsString]) -> Option<String> {
    let first = args.get(1)?.to_str()?;
    if first.starts_with('-') || COMMANDS.contains(&first) || std::path::Path::new(first).exists() {
        return None;
    }
    if first == "version" {
        return Some("unknown command `version`; the version is `seaworthy --version`".into());
    }
    let near = crate::compose::from_tree::closest(first, COMMANDS.iter().copied())?;
    Some(format!(
        "unknown command `{first}`; did you mean `{near}`? (a path to lint must exist)"
    ))
}

/// Options of `init`.
#[derive(Debug, clap::Args, Default)]
pub struct InitArgs {
    /// Where to write `.seaworthy.yaml` (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Lint the directory first and ignore every rule that reports something
    /// there, so the first run with the configuration passes.
    #[arg(long)]
    pub from_findings: bool,
    /// Replace an existing `.seaworthy.yaml`.
    #[arg(long)]
    pub force: bool,
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
    /// A rule code (`CM101`), name (`healthcheck-missing`) or the hadolint
    /// code it covers (`DL3025`).
    pub rule: String,
    /// Colour on a terminal.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Option<ColorChoice>,
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

/// The options `config` and `check` share with `docker compose`.
#[derive(Debug, clap::Args, Default)]
pub struct ProjectArgs {
    /// Compose files merged, in order, into one project, like `docker compose -f`.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Read variables from this file instead of the project's `.env` (repeatable).
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
}

/// Options of `config`.
#[derive(Debug, clap::Args, Default)]
pub struct ConfigArgs {
    /// A compose file, or a directory holding the default compose file (and its
    /// override file). Default: the current directory.
    pub path: Option<PathBuf>,
    /// `-f` and `--env-file` (`-f` replaces PATH).
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Enable a profile (repeatable; `*` enables all).
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: ConfigFormat,
    /// Print secrets as they are instead of `********`.
    #[arg(long)]
    pub show_secrets: bool,
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

/// Output format of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    /// Span-annotated diagnostics with help and rule links.
    #[default]
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Concise,
    /// seaworthy's versioned JSON.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// An extra output: a format written to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSpec {
    /// The format.
    pub format: Format,
    /// The file.
    pub path: PathBuf,
}

impl std::str::FromStr for ReportSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (format, path) = s
            .split_once('=')
            .ok_or_else(|| format!("expected FORMAT=FILE, found `{s}`"))?;
        let format = Format::from_str(format, true).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            format!("unknown format `{format}` (one of: {})", names.join(", "))
        })?;
        if path.is_empty() {
            return Err(format!("no file after `{format:?}=`").to_lowercase());
        }
        Ok(ReportSpec {
            format,
            path: PathBuf::from(path),
        })
    }
}

/// Options of `check`.
#[derive(Debug, clap::Args, Default)]
pub struct CheckArgs {
    /// Files or directories to lint, `-` for standard input (default: the
    /// current directory, unless `-f` is given).
    pub paths: Vec<PathBuf>,
    /// `-f` and `--env-file`.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Lint only the services this profile enables (repeatable; `*` enables
    /// all). Without it every service is linted.
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
    /// Run only these rules: codes, names, code prefixes (`CM`, `CM2`) or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Run these rules as well as the selected ones.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the run fail (exit 1) [default: the
    /// configuration's `fail-on`, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Never fail on findings: `--fail-on never` (exit 2 still says the run
    /// could not be done).
    #[arg(long, conflicts_with = "fail_on")]
    pub exit_zero: bool,
    /// Use this configuration file for every path, instead of the nearest
    /// `.seaworthy.yaml` above each file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Apply the configuration's `exclude` to files named on the command line
    /// too (for pre-commit hooks and editors that pass file names).
    #[arg(long)]
    pub force_exclude: bool,
    /// Judge every file as production: no development files (by name, folder
    /// or the configuration's `development:`).
    #[arg(long)]
    pub production: bool,
    /// Ignore inline `# seaworthy: ignore[…]` (and hadolint) suppressions.
    #[arg(long)]
    pub disable_suppressions: bool,
    /// Report only findings this baseline does not record.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE as the baseline, instead of
    /// reporting them.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Output format (`--output-format` is accepted too).
    #[arg(long, alias = "output-format", value_enum, default_value = "human")]
    pub format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write FORMAT to FILE (repeatable), e.g. `--report sarif=results.sarif`.
    #[arg(long = "report", value_name = "FORMAT=FILE")]
    pub reports: Vec<ReportSpec>,
    /// The file name standard input stands for: its name says whether it is a
    /// compose file or a Dockerfile, its directory is where relative paths resolve.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
    /// Print findings only: no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Apply the safe fixes to the files, then report what remains.
    #[arg(long, conflicts_with_all = ["write_baseline", "statistics"])]
    pub fix: bool,
    /// With `--fix` or `--diff`: apply the unsafe fixes too (they change
    /// behaviour on purpose: a restart policy, `curl --fail`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what `--fix` would change and write nothing;
    /// exit 1 when there is something to fix.
    #[arg(long, conflicts_with_all = ["write_baseline", "statistics", "fix_only"])]
    pub diff: bool,
    /// Like `--fix`, but report nothing of what remains: exit 0 unless a
    /// file could not be read or written.
    #[arg(long, conflicts_with_all = ["write_baseline", "statistics"])]
    pub fix_only: bool,
    /// Print every file that would be linted, as what and in which project,
    /// instead of linting.
    #[arg(long)]
    pub show_files: bool,
    /// Print the settings that apply to the file PATH (which `.seaworthy.yaml`,
    /// the rules that run with their severities, options, `fail-on`) instead
    /// of linting.
    #[arg(long, value_name = "PATH", conflicts_with = "show_files")]
    pub show_settings: Option<PathBuf>,
    /// Colour output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Option<ColorChoice>,
}
