//! `seaworthy rules` and `seaworthy explain`: the catalog and the manuals.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ExplainArgs, RulesArgs, RulesFormat};
use crate::diagnostic::rule_url;
use crate::rules::{self, Check, Rule, RULES};

/// One rule as `rules --format json` prints it.
#[derive(serde::Serialize)]
struct RuleJson<'a> {
    code: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'a str,
    fixable: bool,
    opt_in: bool,
    since: &'a str,
    stage: &'a str,
    hadolint: &'a [&'a str],
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

/// A rule's default severity as listed, with `, opt-in` for opt-in rules.
fn severity_shown(m: &rules::Meta) -> String {
    if m.opt_in {
        format!("{}, opt-in", m.severity.as_str())
    } else {
        m.severity.as_str().to_string()
    }
}

/// The catalog as a Markdown table (also the index in `rules/README.md`).
pub fn markdown_index() -> String {
    let mut out =
        String::from("| code | name | category | severity | summary |\n|---|---|---|---|---|\n");
    for r in RULES {
        let m = r.meta;
        out.push_str(&format!(
            "| [{code}]({code}-{name}.md) | {name} | {} | {} | {} |\n",
            m.category.as_str(),
            severity_shown(m),
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
            let mut out = String::new();
            for r in RULES {
                let m = r.meta;
                out.push_str(&format!(
                    "{:<6} {:<35} {:<14} {}\n",
                    m.code,
                    m.name,
                    m.category.as_str(),
                    severity_shown(m)
                ));
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
                    fixable: !matches!(r.meta.fix, rules::FixKind::None),
                    opt_in: r.meta.opt_in,
                    since: r.meta.since,
                    stage: stage(r),
                    hadolint: r.meta.hadolint,
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
    match rules::find(&args.rule) {
        Some(r) => {
            let _ = std::io::stdout().write_all(r.meta.manual.as_bytes());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: no rule `{}`; `seaworthy rules` lists them all",
                args.rule
            );
            ExitCode::from(2)
        }
    }
}
