//! `seaworthy check`: lint, render every requested output, decide the exit code.

use clap::ValueEnum;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use crate::baseline;
use crate::cli::{CheckArgs, FailOn, Format};
use crate::compose::project::absolute;
use crate::compose::Environment;
use crate::config::{self, ConfigError, ConfigSource, Layer, Threshold};
use crate::diagnostic::Severity;
use crate::engine::{self, CheckOptions};
use crate::fix::Safety;
use crate::report::human::{self, HumanOptions};
use crate::report::{self, Hidden, Report, RuleInfo};
use crate::rules::RULES;
use crate::source::{StdinFile, MAX_FILE_BYTES};

/// Exit code of usage errors, unreadable paths and failed writes.
const TROUBLE: u8 = 2;

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    match run_checked(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(TROUBLE)
        }
    }
}

/// The command line's `--select`, `--extend-select` and `--ignore`.
fn cli_layer(args: &CheckArgs) -> Result<Layer, String> {
    Layer::from_selectors(args.select.as_deref(), &args.extend_select, &args.ignore)
}

/// `--config`, `--no-config`, or discovery.
fn config_source(args: &CheckArgs) -> Result<ConfigSource, Vec<ConfigError>> {
    if args.no_config {
        return Ok(ConfigSource::Disabled);
    }
    match &args.config {
        Some(path) => config::load(path)
            .map(|c| ConfigSource::File(c.into()))
            .map_err(|e| vec![e]),
        None => Ok(ConfigSource::Discover),
    }
}

/// Prints configuration errors with their spans; the run exits 2.
fn config_trouble(errors: &[ConfigError], color: Option<crate::cli::ColorChoice>) -> ExitCode {
    let color = super::use_color(color, std::io::stderr().is_terminal());
    eprint!("{}", human::render_config_errors(errors, color));
    ExitCode::from(TROUBLE)
}

/// Usage errors in the files named by options: a missing `--env-file`, a
/// `-f` that names a format (hadolint's `-f json`), two outputs into one file.
fn check_named_files(args: &CheckArgs) -> Result<(), String> {
    for f in &args.project.files {
        if f.exists() {
            continue;
        }
        let name = f.to_string_lossy();
        if Format::from_str(&name, true).is_ok() {
            return Err(format!(
                "`-f {name}`: `-f` is `--file` (a compose file); did you mean `--format {name}`?"
            ));
        }
    }
    // two outputs into one file: the second would silently replace the first
    let outputs = args
        .output
        .iter()
        .map(|p| ("-o", p))
        .chain(args.reports.iter().map(|r| ("--report", &r.path)));
    let mut seen: Vec<(&str, std::path::PathBuf)> = Vec::new();
    for (option, path) in outputs {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let key = key.canonicalize().unwrap_or(key);
        if let Some((first, _)) = seen.iter().find(|(_, k)| *k == key) {
            return Err(format!(
                "{first} and {option} both write `{}`; give each output its own file",
                path.display()
            ));
        }
        seen.push((option, key));
    }
    for f in &args.project.env_files {
        if !f.is_file() {
            return Err(format!(
                "--env-file `{}`: {}",
                f.display(),
                if f.exists() {
                    "not a file"
                } else {
                    "no such file"
                }
            ));
        }
    }
    Ok(())
}

fn run_checked(mut args: CheckArgs) -> Result<ExitCode, String> {
    let cli = cli_layer(&args)?;
    check_named_files(&args)?;
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise | Format::Json) {
        return Err("--statistics works with --format human, concise or json".into());
    }
    let config = match config_source(&args) {
        Ok(c) => c,
        Err(errors) => return Ok(config_trouble(&errors, args.color)),
    };
    let baseline = match (&args.baseline, &args.write_baseline) {
        (Some(path), None) => Some(baseline::read(path)?),
        _ => None,
    };
    let dash = Path::new("-");
    let wants_stdin = args.paths.iter().any(|p| p == dash)
        || (args.stdin_filename.is_some()
            && args.paths.is_empty()
            && args.project.files.is_empty());
    args.paths.retain(|p| p != dash);
    let stdin = if wants_stdin {
        let name = args.stdin_filename.clone().unwrap_or_else(|| dash.into());
        Some(StdinFile {
            path: absolute(&name),
            bytes: read_stdin()?.into(),
        })
    } else {
        None
    };
    if args.paths.is_empty() && args.project.files.is_empty() && stdin.is_none() {
        args.paths.push(".".into());
    }
    let opts = CheckOptions {
        compose_files: args.project.files.clone(),
        env_files: args.project.env_files.clone(),
        profiles: args.profiles.clone(),
        process_env: Environment::from_process(),
        load: Default::default(),
        config,
        cli,
        disable_suppressions: args.disable_suppressions,
        force_exclude: args.force_exclude,
        stdin,
        production: args.production,
        buffers: Default::default(),
    };
    if args.show_files {
        return Ok(show_files(&args, &opts));
    }
    if let Some(path) = &args.show_settings {
        // `--fail-on` on the command line decides over the configuration
        let cli_fail_on = args
            .fail_on
            .or(args.exit_zero.then_some(FailOn::Never))
            .map(threshold);
        return Ok(
            match engine::show::show_settings(path, &opts, cli_fail_on) {
                Ok(text) => {
                    let _ = std::io::stdout().write_all(text.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(errors) => config_trouble(&errors, args.color),
            },
        );
    }
    let fixing = args.fix || args.fix_only || args.diff;
    if args.unsafe_fixes && !fixing {
        return Err("--unsafe-fixes works with --fix, --fix-only or --diff".into());
    }
    if fixing && !args.diff && opts.stdin.is_some() {
        return Err("fixes cannot be written to standard input; use --diff to see them".into());
    }
    // the baseline hides what it records: those findings are not fixed either
    let mut filtered = baseline::Filtered::default();
    let mut filter = |o: &mut engine::Outcome| {
        if let Some(b) = &baseline {
            filtered = b.filter(&mut o.diagnostics, &o.sources);
        }
    };
    let (outcome, fixed) = if fixing {
        let safety = if args.unsafe_fixes {
            Safety::Unsafe
        } else {
            Safety::Safe
        };
        let mut fixed = engine::fix::run(&args.paths, &opts, safety, &mut filter);
        (std::mem::take(&mut fixed.outcome), Some(fixed))
    } else {
        let mut outcome = engine::check(&args.paths, &opts);
        filter(&mut outcome);
        (outcome, None)
    };
    if !outcome.config_errors.is_empty() {
        return Ok(config_trouble(&outcome.config_errors, args.color));
    }
    if let Some(path) = &args.write_baseline {
        return Ok(write_baseline(path, &outcome));
    }
    let mut trouble = !outcome.errors.is_empty();
    if let Some(fixed) = &fixed {
        if args.diff {
            return Ok(print_diff(fixed, &outcome, args.quiet));
        }
        trouble |= !write_fixes(fixed, args.quiet);
        if args.fix_only {
            for e in &outcome.errors {
                eprintln!("error: {e}");
            }
            return Ok(ExitCode::from(if trouble { TROUBLE } else { 0 }));
        }
    }
    let hidden = Hidden {
        suppressed: outcome.suppressed,
        baselined: filtered.known,
    };
    // without a baseline nothing is stale
    if filtered.stale > 0 && !args.quiet {
        eprintln!(
            "note: {} baseline {} no longer found; refresh the baseline with --write-baseline",
            filtered.stale,
            if filtered.stale == 1 {
                "entry is"
            } else {
                "entries are"
            }
        );
    }
    let rules = rule_infos();
    let cli_fail_on = if args.exit_zero {
        Some(None)
    } else {
        args.fail_on.map(threshold)
    };
    let shown = report::shown_paths(&outcome.sources);
    let report = Report {
        diagnostics: &outcome.diagnostics,
        sources: &outcome.sources,
        files: &outcome.files,
        rules: &rules,
        errors: &outcome.errors,
        overridden: &outcome.overridden,
        hidden,
        development: outcome.development.len(),
        fail: outcome.fail_policy(cli_fail_on),
        shown: &shown,
    };

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = super::use_color(args.color, to_terminal);
    if args.statistics {
        let text = report::statistics::render(&report, args.format == Format::Json, args.quiet);
        match &args.output {
            Some(path) => trouble |= !super::write_file(path, &text),
            None => {
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
        }
    } else {
        match &args.output {
            Some(path) => {
                let text = render(&report, args.format, color, to_terminal, args.quiet);
                trouble |= !super::write_file(path, &text);
            }
            // streamed: the report of a large run is never held whole (a
            // closed pipe ends the writing, as `head` expects)
            None => {
                let mut out = report::Stream(std::io::BufWriter::new(std::io::stdout().lock()));
                if write_report(
                    &report,
                    args.format,
                    color,
                    to_terminal,
                    args.quiet,
                    &mut out,
                )
                .is_ok()
                {
                    let _ = out.0.flush();
                }
            }
        }
    }
    for spec in &args.reports {
        let text = render(&report, spec.format, false, false, true);
        trouble |= !super::write_file(&spec.path, &text);
    }
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    if outcome.files.is_empty() && outcome.errors.is_empty() {
        eprintln!("warning: no compose file or Dockerfile found to lint");
    }

    let code = if trouble {
        ExitCode::from(TROUBLE)
    } else if outcome.fails(cli_fail_on) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here and the operating system takes the memory back
    // at once: freeing a large run's findings and sources one allocation at
    // a time only delays the exit.
    std::mem::forget(outcome);
    Ok(code)
}

/// `--diff`: the unified diff of every file the fixes change, on standard
/// output; exit 1 when there is one, 0 when nothing would change, 2 when a
/// path could not be read.
fn print_diff(fixed: &engine::fix::Fixed, outcome: &engine::Outcome, quiet: bool) -> ExitCode {
    let mut out = String::new();
    for c in &fixed.changed {
        let shown = crate::source::display_path(&c.path);
        let diff = similar::TextDiff::from_lines(c.before.as_str(), &*c.after);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string(),
        );
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    if !quiet {
        eprintln!("{}", fix_summary(fixed, "Would fix"));
    }
    ExitCode::from(if !outcome.errors.is_empty() {
        TROUBLE
    } else if fixed.changed.is_empty() {
        0
    } else {
        1
    })
}

/// Writes every file the fixes changed; false when one could not be written.
fn write_fixes(fixed: &engine::fix::Fixed, quiet: bool) -> bool {
    let mut ok = true;
    for c in &fixed.changed {
        ok &= super::rewrite_file(&c.path, &c.after);
    }
    if !quiet {
        eprintln!("{}", fix_summary(fixed, "Fixed"));
    }
    ok
}

/// `Fixed 3 findings in 2 files.`, with what could not be fixed.
fn fix_summary(fixed: &engine::fix::Fixed, verb: &str) -> String {
    let mut line = if fixed.applied == 0 {
        "Nothing to fix.".to_string()
    } else {
        format!(
            "{verb} {} in {}.",
            report::count(fixed.applied, "finding", "findings"),
            report::count(fixed.changed.len(), "file", "files")
        )
    };
    if fixed.broke > 0 {
        line.push_str(&format!(
            "\nwarning: {} not applied: the file would no longer parse as it did (please report it)",
            report::count(fixed.broke, "fix was", "fixes were")
        ));
    }
    if fixed.unconverged {
        line.push_str(&format!(
            "\nwarning: fixes were still found after {} passes; run again, and please report it",
            engine::fix::MAX_PASSES
        ));
    }
    line
}

/// `--show-files`: the listing on standard output; exit 0, or 2 when the
/// configuration is broken or a path cannot be walked.
fn show_files(args: &CheckArgs, opts: &CheckOptions) -> ExitCode {
    match engine::show::show_files(&args.paths, opts) {
        Ok((rows, errors)) => {
            let _ = std::io::stdout().write_all(engine::show::render(&rows).as_bytes());
            for e in &errors {
                eprintln!("error: {e}");
            }
            if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(TROUBLE)
            }
        }
        Err(errors) => config_trouble(&errors, args.color),
    }
}

/// The severity `--fail-on` names.
fn threshold(f: FailOn) -> Threshold {
    match f {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// Records every current finding in the baseline at `path`.
fn write_baseline(path: &Path, outcome: &engine::Outcome) -> ExitCode {
    let text = baseline::render(path, &outcome.diagnostics, &outcome.sources);
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    if !super::write_file(path, &text) || !outcome.errors.is_empty() {
        return ExitCode::from(TROUBLE);
    }
    let n = outcome.diagnostics.len();
    eprintln!(
        "Recorded {n} {} in {}.",
        if n == 1 { "finding" } else { "findings" },
        path.display()
    );
    ExitCode::SUCCESS
}

/// Standard input's bytes, within the size limit.
fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "standard input is over the {MAX_FILE_BYTES}-byte limit"
        ));
    }
    Ok(bytes)
}

/// What reporters know of every rule.
pub fn rule_infos() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| RuleInfo {
            code: r.meta.code,
            name: r.meta.name,
            category: r.meta.category.as_str(),
            severity: r.meta.severity,
            summary: r.meta.summary(),
            security_severity: r.meta.security_severity,
            manual: r.meta.manual,
        })
        .collect()
}

/// The run in `format`. The text formats end with a summary line unless `quiet`.
fn render(report: &Report<'_>, format: Format, color: bool, terminal: bool, quiet: bool) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write_report(report, format, color, terminal, quiet, &mut text);
    text
}

/// [`render`], written to `out`: the line formats (human, concise, github)
/// finding by finding, the document formats whole.
fn write_report(
    report: &Report<'_>,
    format: Format,
    color: bool,
    terminal: bool,
    quiet: bool,
    out: &mut dyn std::fmt::Write,
) -> std::fmt::Result {
    match format {
        Format::Human => {
            // on a terminal: its width, lines cut rather than wrapped
            let width = terminal
                .then(terminal_size::terminal_size)
                .flatten()
                .map_or(100, |(w, _)| usize::from(w.0).max(40));
            let opts = HumanOptions {
                color,
                links: terminal && color,
                width,
                ascii: !report::utf8_locale(),
                cut: terminal,
            };
            human::write(report.diagnostics, report.sources, &opts, out)?;
        }
        Format::Concise => report::concise::write(report, color, out)?,
        Format::Github => return report::github::write(report, out),
        Format::Json => return out.write_str(&report::json::render(report)),
        Format::Sarif => return out.write_str(&report::sarif::render(report)),
        Format::Junit => return out.write_str(&report::junit::render(report)),
        Format::Checkstyle => return out.write_str(&report::checkstyle::render(report)),
        Format::Gitlab => return out.write_str(&report::gitlab::render(report)),
    }
    if !quiet {
        out.write_str(&report::summary_line(report))?;
        out.write_char('\n')?;
    }
    Ok(())
}
