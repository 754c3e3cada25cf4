//! `check --show-files`: every file a run would lint, as what, and in which
//! project, without running any rule; `check --show-settings PATH`: what
//! applies to one file.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ConfigError, Configs};
use crate::discover::{FileKind, Found};
use crate::project::link;
use crate::source::display_path;

use super::plan::Formed;
use super::{canonical, owned_by_fragment, plan_run, CheckOptions, Outcome};

/// One file of the listing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileRow {
    /// The file, as the run shows paths.
    pub path: String,
    /// What it is linted as.
    pub kind: FileKind,
    /// Why: `by name`, `by content`, `as named`, or how its project reaches it.
    pub reason: String,
    /// The project it is checked in, and how that project was formed.
    pub project: String,
    /// Why it is judged as a development file, if it is.
    pub development: Option<String>,
}

/// What `check --show-files` prints, or the configuration errors that stop
/// the run; paths that cannot be walked are in the second value.
pub fn show_files(
    paths: &[PathBuf],
    opts: &CheckOptions,
) -> Result<(Vec<FileRow>, Vec<String>), Vec<ConfigError>> {
    let configs = Arc::new(
        Configs::new(opts.config.clone(), opts.cli.clone())
            .production(opts.production)
            .roots(paths),
    );
    let development = |path: &Path| configs.settings(path).development.clone();
    let mut out = Outcome::default();
    let planned = plan_run(paths, opts, &configs, &mut out)?;
    let reasons: HashMap<PathBuf, &str> = planned
        .found
        .iter()
        .map(|f: &Found| (canonical(&configs, &f.path), f.reason.as_str()))
        .collect();
    let reason_of = |path: &Path, fallback: &str| {
        reasons
            .get(&canonical(&configs, path))
            .map_or_else(|| fallback.to_string(), |r| r.to_string())
    };
    let mut rows = Vec::new();
    let mut built = BTreeSet::new();
    for loaded in planned.projects {
        let files: Vec<String> = loaded.shown.iter().map(|p| display_path(p)).collect();
        let project = format!("{} ({})", files.join(" + "), loaded.formed.describe());
        let fragment = matches!(loaded.formed, Formed::FragmentOnBase(_))
            .then(|| loaded.given.last().cloned())
            .flatten();
        let mut sources = loaded.sources;
        let linked = link(&mut sources, loaded.project, &opts.buffers);
        let owned = fragment
            .as_ref()
            .map(|f| owned_by_fragment(&linked, &sources, |p| &canonical(&configs, p) == f));
        let keep = |id| owned.as_ref().is_none_or(|o| o.contains(&id));
        for id in linked.compose.files.iter().copied().filter(|id| keep(*id)) {
            let path = sources.get(id).path();
            rows.push(FileRow {
                path: display_path(path),
                kind: FileKind::Compose,
                reason: reason_of(path, "read by the project"),
                project: project.clone(),
                development: development(path),
            });
        }
        for d in &linked.dockerfiles {
            let path = sources.get(d.dockerfile.file).path();
            built.insert(canonical(&configs, path));
            if d.inline.is_some() || !keep(d.dockerfile.file) {
                continue;
            }
            rows.push(FileRow {
                path: display_path(path),
                kind: FileKind::Dockerfile,
                reason: format!("built by {}", d.services.join(", ")),
                project: project.clone(),
                development: development(path),
            });
        }
    }
    for path in &planned.dockerfiles {
        if !built.contains(&canonical(&configs, path)) {
            rows.push(FileRow {
                path: display_path(path),
                kind: FileKind::Dockerfile,
                reason: reason_of(path, "as named"),
                project: "alone".into(),
                development: development(path),
            });
        }
    }
    rows.sort();
    rows.dedup();
    Ok((rows, out.errors))
}

/// How a row says how the file is judged.
fn judged(r: &FileRow) -> String {
    match &r.development {
        Some(why) => format!("development ({why})"),
        None => "production".into(),
    }
}

/// The listing as aligned text, one file a line: path, what it is and why,
/// how it is judged, its project.
pub fn render(rows: &[FileRow]) -> String {
    let width = |f: &dyn Fn(&FileRow) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let path_w = width(&|r| r.path.chars().count());
    let what_w = width(&|r| r.kind.as_str().len() + r.reason.chars().count() + 1);
    let judged_w = width(&|r| judged(r).chars().count());
    let mut out = String::new();
    for r in rows {
        let what = format!("{} {}", r.kind.as_str(), r.reason);
        out.push_str(&format!(
            "{:path_w$}  {:what_w$}  {:judged_w$}  {}\n",
            r.path,
            what,
            judged(r),
            r.project
        ));
    }
    out
}

/// What `check --show-settings PATH` prints: the configuration file that
/// applies to `path` and what it resolves to (rules with their severities,
/// options, `fail-on`, development file or not), the command line included.
pub fn show_settings(
    path: &Path,
    opts: &CheckOptions,
    cli_fail_on: Option<crate::config::Threshold>,
) -> Result<String, Vec<ConfigError>> {
    use std::fmt::Write;
    let configs = Configs::new(opts.config.clone(), opts.cli.clone())
        .production(opts.production)
        .roots(&[path.to_path_buf()]);
    let settings = configs.settings(path);
    let errors = configs.errors();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = String::new();
    let _ = writeln!(out, "file: {}", display_path(path));
    let config = match (&opts.config, &settings.config) {
        (crate::config::ConfigSource::Disabled, _) => "none (--no-config)".to_string(),
        (_, Some(c)) => display_path(&c.path),
        (_, None) => "none found (defaults)".to_string(),
    };
    let _ = writeln!(out, "configuration: {config}");
    let fail_on = match fail_on_of(&settings, cli_fail_on) {
        (Some(t), source) => format!("{} ({source})", t.as_str()),
        (None, source) => format!("never ({source})"),
    };
    let _ = writeln!(out, "fail-on: {fail_on}");
    let _ = writeln!(
        out,
        "development file: {}",
        settings
            .development
            .as_deref()
            .map_or("no".to_string(), |why| format!("yes ({why})"))
    );
    let _ = writeln!(
        out,
        "swarm stack: {}",
        if settings.stack { "yes" } else { "no" }
    );
    let selected: Vec<_> = crate::rules::RULES
        .iter()
        .filter(|r| settings.selection.enables(r.meta.code))
        .collect();
    let _ = writeln!(
        out,
        "rules: {} of {} run",
        selected.len(),
        crate::rules::RULES.len()
    );
    for r in &selected {
        let m = r.meta;
        let severity = match settings.severity_of(m.code) {
            Some(s) => format!("{} (configured)", s.as_str()),
            None => m.severities_shown(),
        };
        let judged = if settings.judges(m.code) {
            ""
        } else {
            "  (not on a development file)"
        };
        let _ = writeln!(out, "  {:<6} {:<42} {severity}{judged}", m.code, m.name);
    }
    let off: Vec<&str> = crate::rules::RULES
        .iter()
        .filter(|r| !settings.selection.enables(r.meta.code))
        .map(|r| r.meta.code)
        .collect();
    if !off.is_empty() {
        let _ = writeln!(out, "not run: {}", off.join(", "));
    }
    let options: Vec<_> = settings.options.iter().collect();
    if !options.is_empty() {
        let _ = writeln!(out, "options:");
        for (code, option, patterns) in options {
            let _ = writeln!(
                out,
                "  {code} {option}: [{}]",
                patterns.patterns().join(", ")
            );
        }
    }
    Ok(out)
}

/// The `fail-on` that applies, and where it comes from.
fn fail_on_of(
    settings: &crate::config::Settings,
    cli: Option<crate::config::Threshold>,
) -> (crate::config::Threshold, &'static str) {
    match (cli, settings.fail_on) {
        (Some(t), _) => (t, "command line"),
        (None, Some(t)) => (t, "configured"),
        (None, None) => (Some(crate::diagnostic::Severity::Warning), "default"),
    }
}
