//! `seaworthy init`: write a commented starter `.seaworthy.yaml`, optionally
//! ignoring every rule the tree reports today.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::InitArgs;
use crate::compose::Environment;
use crate::engine::{self, CheckOptions};
use crate::rules;
use crate::rules::selection::ALWAYS_ON;

/// The starter configuration: every key, explained, none changing anything.
const STARTER: &str = "\
# seaworthy configuration. Applies to the files in this directory and below
# (the nearest .seaworthy.yaml above a file wins; parents are not merged).
# Rules are named by code (CM101), name (healthcheck-missing) or code prefix
# (CM2 = every resources rule); `seaworthy rules` lists them.

# Rules to run (default: all but opt-in ones). `extend-select` adds to it;
# `ignore` removes. ALL, a code or a name turns opt-in rules on.
# select: [ALL]
# extend-select: []
# ignore: []

# Severity per rule: error, warning or info.
# severity:
#   CM203: warning

# Options per rule (see each rule's manual, `seaworthy explain CODE`).
# options:
#   memory-limit-missing:
#     exempt-services: [migrate, \"*-job\"]
#   secret-in-environment:
#     secret-names: [\"*_SEED\"]

# Settings for some paths only (globs relative to this file), applied in order.
# overrides:
#   - files: [\"deploy/dev/**\"]
#     ignore: [CM2]

# Lowest severity that fails the run: error, warning (default), info or never.
# fail-on: warning

# Variables for interpolation instead of each project's .env, and profiles to
# lint (without them every service is linted).
# env-file: [.env.production]
# profiles: [production]

# Paths not to walk (globs relative to this file).
# exclude: [\"test/fixtures/**\"]

# Development files, judged by validity and security rules only (default:
# names and folders with dev, local, test, example, demo, docs, ...; [] for none).
# development: [compose.dev.yaml, devenv]

# Compose files deployed with `docker stack deploy` (the Swarm rules apply).
# stacks: [deploy/stack.yml]
";

/// Runs `init`.
pub fn run(args: InitArgs) -> ExitCode {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        eprintln!("error: `{}` is not a directory", dir.display());
        return ExitCode::from(2);
    }
    let path = dir.join(crate::config::FILE_NAMES[0]);
    if path.exists() && !args.force {
        eprintln!(
            "error: `{}` already exists; pass --force to replace it",
            path.display()
        );
        return ExitCode::from(2);
    }
    let mut text = STARTER.to_string();
    text.push_str(&opt_in_note());
    let mut ignored = 0;
    if args.from_findings {
        match ignores(&dir) {
            Ok(list) => {
                ignored = list.lines().filter(|l| l.starts_with("  - ")).count();
                text.push_str(&list);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if !super::write_file(&path, &text) {
        return ExitCode::from(2);
    }
    if args.from_findings {
        eprintln!(
            "Wrote {}, ignoring {ignored} {} reported today.",
            path.display(),
            if ignored == 1 { "rule" } else { "rules" }
        );
    } else {
        eprintln!("Wrote {}.", path.display());
    }
    ExitCode::SUCCESS
}

/// The opt-in rules, off unless selected, as comments the team can act on.
fn opt_in_note() -> String {
    let mut out = String::from(
        "\n# Opt-in rules: hardening advice, off unless selected by code or name, e.g.\n\
         # extend-select: [CM509, CM510]\n",
    );
    for r in rules::RULES.iter().filter(|r| r.meta.opt_in) {
        out.push_str(&format!("#   {} {}\n", r.meta.code, r.meta.name));
    }
    out
}

/// An `ignore:` list of every rule with findings in `dir` (linted with no
/// configuration), each with its name and count; rules that cannot be turned
/// off are named in a comment instead.
fn ignores(dir: &std::path::Path) -> Result<String, String> {
    let opts = CheckOptions {
        process_env: Environment::from_process(),
        ..Default::default()
    };
    let outcome = engine::check(&[dir.to_path_buf()], &opts);
    if let Some(e) = outcome.errors.first() {
        return Err(e.clone());
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in &outcome.diagnostics {
        *counts.entry(d.code).or_default() += 1;
    }
    let mut out = String::from(
        "\n# Rules reported by `seaworthy init --from-findings`, ignored so the first\n\
         # run passes. Remove a line to work on that rule; `--write-baseline`\n\
         # instead accepts today's findings one by one and still reports new ones.\n",
    );
    let describe = |code: &str, n: usize| {
        let name = rules::find(code).map_or("", |r| r.meta.name);
        format!(
            "{name}: {n} {}",
            if n == 1 { "finding" } else { "findings" }
        )
    };
    let (fixed, listed): (Vec<_>, Vec<_>) = counts
        .iter()
        .partition(|(code, _)| ALWAYS_ON.contains(code));
    if listed.is_empty() {
        out.push_str("ignore: []\n");
    } else {
        out.push_str("ignore:\n");
        for (code, n) in listed {
            out.push_str(&format!("  - {code}  # {}\n", describe(code, *n)));
        }
    }
    for (code, n) in fixed {
        out.push_str(&format!(
            "# {code} ({}) cannot be ignored: fix the file.\n",
            describe(code, *n)
        ));
    }
    Ok(out)
}
