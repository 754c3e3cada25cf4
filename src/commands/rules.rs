//! `seaworthy rules` and `seaworthy explain`: the catalog and the manuals.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{ExplainArgs, RulesArgs, RulesFormat};
use crate::diagnostic::rule_url;
use crate::report::manual;
use crate::rules::{self, Check, Rule, RULES};

/// One rule as `rules --format json` prints it.
#[derive(serde::Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'a str,
    /// Other severities some of its findings have by default.
    also: Vec<&'a str>,
    /// `safe`, `unsafe` or `no`.
    fixable: &'a str,
    opt_in: bool,
    since: &'a str,
    stage: &'a str,
    hadolint: &'a [&'a str],
    compose_lint: &'a [&'a str],
    kics: &'a [&'a str],
    dclint: &'a [&'a str],
    #[serde(skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'a str>,
    options: &'a [rules::options::OptionMeta],
    summary: &'a str,
    url: String,
}

fn stage(rule: &Rule) -> &'static str {
    match rule.check {
        Check::Load(_) => "load",
        Check::Compose(_) => "compose",
        Check::Dockerfile(_) => "dockerfile",
    }
}

/// The catalog as a Markdown table (also the index in `rules/README.md`).
pub fn markdown_index() -> String {
    let mut out = String::from(
        "| code | name | category | severity | fix | summary |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        let m = r.meta;
        out.push_str(&format!(
            "| [{code}]({code}-{name}.md) | {name} | {} | {} | {} | {} |\n",
            m.category.as_str(),
            m.severities_shown(),
            m.fix.as_str(),
            m.summary().replace('|', "\\|"),
            code = m.code,
            name = m.name,
        ));
    }
    out
}

/// Runs `rules`.
pub fn list(args: RulesArgs) -> ExitCode {
    let text = match args.format {
        RulesFormat::Text => {
            // columns as wide as their longest entry
            let name_w = RULES.iter().map(|r| r.meta.name.len()).max().unwrap_or(0);
            let cat_w = RULES
                .iter()
                .map(|r| r.meta.category.as_str().len())
                .max()
                .unwrap_or(0);
            let sev_w = RULES
                .iter()
                .map(|r| r.meta.severities_shown().len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for r in RULES {
                let m = r.meta;
                let fix = match m.fix {
                    rules::FixKind::None => "",
                    rules::FixKind::Safe => "  fix: safe",
                    rules::FixKind::Unsafe => "  fix: unsafe",
                };
                let line = format!(
                    "{:<6} {:<name_w$}  {:<cat_w$}  {:<sev_w$}{fix}",
                    m.code,
                    m.name,
                    m.category.as_str(),
                    m.severities_shown()
                );
                out.push_str(line.trim_end());
                out.push('\n');
            }
            out
        }
        RulesFormat::Json => {
            let all: Vec<RuleJson<'_>> = RULES
                .iter()
                .map(|r| RuleJson {
                    code: r.meta.code,
                    name: r.meta.name,
                    category: r.meta.category.as_str(),
                    severity: r.meta.severity.as_str(),
                    also: r.meta.also.iter().map(|s| s.as_str()).collect(),
                    fixable: r.meta.fix.as_str(),
                    opt_in: r.meta.opt_in,
                    since: r.meta.since,
                    stage: stage(r),
                    hadolint: r.meta.hadolint,
                    compose_lint: r.meta.compose_lint,
                    kics: r.meta.kics,
                    dclint: r.meta.dclint,
                    security_severity: r.meta.security_severity,
                    options: r.meta.options,
                    summary: r.meta.summary(),
                    url: rule_url(r.meta.code, r.meta.name),
                })
                .collect();
            serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// Runs `explain`.
pub fn explain(args: ExplainArgs) -> ExitCode {
    match rules::find(&args.rule).or_else(|| rules::find_alias(&args.rule)) {
        Some(r) => {
            // Markdown for a pipe or a file, rendered for a terminal
            let terminal = std::io::stdout().is_terminal();
            let text = if terminal {
                manual::for_terminal(r.meta.manual, super::use_color(args.color, true))
            } else {
                manual::without_test_tags(r.meta.manual)
            };
            let _ = std::io::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        None => {
            let names = RULES.iter().flat_map(|r| [r.meta.name, r.meta.code]);
            let hint = match crate::compose::from_tree::closest(&args.rule, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "`seaworthy rules` lists them all".into(),
            };
            eprintln!("error: no rule `{}`; {hint}", args.rule);
            ExitCode::from(2)
        }
    }
}
