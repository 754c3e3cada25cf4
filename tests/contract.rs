//! The command-line contract as a new user, a CI job and someone coming from
//! ruff or hadolint meet it: honest exit paths, exact CI formats, the ways
//! of getting the tool.

use assert_cmd::Command;
use std::path::Path;

/// The binary with no colour forced either way and a UTF-8 locale.
fn seaworthy() -> Command {
    let mut cmd = Command::cargo_bin("seaworthy").unwrap();
    for var in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "LC_ALL",
        "LC_CTYPE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("LANG", "C.UTF-8");
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    run_with(seaworthy(), args)
}

fn run_with(mut cmd: Command, args: &[&str]) -> Run {
    let out = cmd.args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const BARE: &str = "fixtures/cli/contract/bare";

// ---- exit paths and messages ----

#[test]
fn a_run_that_could_not_read_a_path_never_says_no_problems() {
    let r = run(&["check", "nonexist.yaml"]);
    assert_eq!(r.code, Some(2));
    assert!(!r.stdout.contains("No problems"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Nothing was checked: 1 path could not be read."),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("cannot read `nonexist.yaml`: no such file or directory"),
        "{}",
        r.stderr
    );
    // with a path that was read, the summary still says one was not
    let r = run(&["check", "nonexist.yaml", "fixtures/cli/clean"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stdout.contains("1 path could not be read"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_mistyped_command_is_named_not_read_as_a_path() {
    let r = run(&["explian", "CM101"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("did you mean `explain`?"), "{}", r.stderr);
    assert!(!r.stdout.contains("No problems"), "{}", r.stdout);
    let r = run(&["version"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("seaworthy --version"), "{}", r.stderr);
    // every subcommand takes --version; `help --help` is the help
    for args in [
        &["check", "--version"][..],
        &["rules", "-V"],
        &["--version"],
    ] {
        let r = run(args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(r.stdout.starts_with("seaworthy"), "{}", r.stdout);
        assert!(r.stdout.contains(env!("CARGO_PKG_VERSION")), "{}", r.stdout);
    }
    let r = run(&["help", "--help"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("Usage:"), "{}", r.stdout);
}

#[test]
fn options_naming_files_are_usage_errors_when_wrong() {
    let r = run(&["check", "--env-file", "/nonexistent.env", BARE]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("--env-file `/nonexistent.env`"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let r = run(&["config", "--env-file", "/nonexistent.env", BARE]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("--env-file"), "{}", r.stderr);
    // hadolint's `-f json`
    let r = run(&["check", "-f", "json"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("did you mean `--format json`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_and_select_know_near_misses_and_hadolint_codes() {
    let r = run(&["explain", "healthcheck-mising"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("did you mean `healthcheck-missing`?"),
        "{}",
        r.stderr
    );
    let r = run(&["explain", "DL3025"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("# DF101 shell-form-cmd"),
        "{}",
        r.stdout
    );
    let dir = "fixtures/cli/mixed";
    let by_alias = run(&["check", "--format", "concise", "--select", "DL3025", dir]);
    let by_code = run(&["check", "--format", "concise", "--select", "DF101", dir]);
    assert_eq!(by_alias.code, by_code.code, "{}", by_alias.stderr);
    assert_eq!(by_alias.stdout, by_code.stdout);
}

#[test]
fn every_configuration_problem_is_listed_in_plain_words() {
    let r = run(&["check", "fixtures/cli/contract/bad-config"]);
    assert_eq!(r.code, Some(2));
    for words in [
        "unknown key `selct`",
        "did you mean `select`?",
        "`warn` is not allowed here: use error, warning or info",
        "unknown rule `nope`",
    ] {
        assert!(r.stderr.contains(words), "{words}: {}", r.stderr);
    }
    assert!(!r.stderr.contains("unknown variant"), "{}", r.stderr);
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opens_and_alone() {
    let r = run(&[
        "check",
        "--format",
        "concise",
        "fixtures/cli/contract/unclosed",
    ]);
    assert_eq!(r.code, Some(1));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "fixtures/cli/contract/unclosed/compose.yaml:4:12: error[YM001] invalid YAML: this `[` is never closed"
    );
    // nothing is judged of the half-read service
    assert!(lines[1].starts_with("Found 1 error"), "{}", r.stdout);
}

#[test]
fn rules_shows_every_severity_a_rule_reports_in_columns_that_fit() {
    let r = run(&["rules"]);
    let line = |code: &str| {
        r.stdout
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap()
            .to_string()
    };
    assert!(
        line("CM401").ends_with(" warning/error/info"),
        "{}",
        line("CM401")
    );
    assert!(line("CM104").ends_with(" error/info"), "{}", line("CM104"));
    // the longest name keeps two spaces before the category
    let long = line("DF102");
    assert!(
        long.contains("healthcheck-instruction-curl-without-fail  reliability"),
        "{long}"
    );
    let column = |l: &str| l.find("reliability").or_else(|| l.find("security"));
    assert_eq!(column(&long), column(&line("CM401")));
    // `user: root` is reported as the error `rules` announces
    let r = run(&["check", "--format", "concise", "fixtures/cli/formats"]);
    assert!(r.stdout.contains("error[CM401]"), "{}", r.stdout);
}

// ---- CI formats ----

#[test]
fn junit_fails_only_what_fails_the_run_and_records_unreadable_paths() {
    // CM003 findings are info: below the default fail-on
    let r = run(&[
        "check", "--select", "CM003", "--format", "junit", "examples",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("failures=\"0\""), "{}", r.stdout);
    assert!(r.stdout.contains("<skipped"), "{}", r.stdout);
    let r = run(&[
        "check",
        "--fail-on",
        "info",
        "--select",
        "CM003",
        "--format",
        "junit",
        "examples",
    ]);
    assert_eq!(r.code, Some(1));
    let totals = r.stdout.lines().nth(1).unwrap();
    assert!(totals.contains("skipped=\"0\" failures=\"1\""), "{totals}");
    // a missing path is an error entry, an annotation, a notification
    let r = run(&["check", "--format", "junit", "missing.yaml", BARE]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.contains("errors=\"1\""), "{}", r.stdout);
    assert!(r.stdout.contains("missing.yaml"), "{}", r.stdout);
    let r = run(&["check", "--format", "github", "missing.yaml", BARE]);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.starts_with("::error title=seaworthy::cannot read `missing.yaml`")),
        "{}",
        r.stdout
    );
    let r = run(&["check", "--format", "sarif", "missing.yaml", BARE]);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .contains("missing.yaml"));
}

#[test]
fn sarif_rules_carry_absolute_help_tags_and_security_severity() {
    let r = run(&["check", "--format", "sarif", BARE]);
    let sarif: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let link = regex::Regex::new(r"\]\(([^)]*)\)").unwrap();
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert!(
            rule["helpUri"].as_str().unwrap().starts_with("https://"),
            "{id}"
        );
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        for target in link.captures_iter(markdown) {
            let t = &target[1];
            assert!(t.starts_with("https://") || t.starts_with('#'), "{id}: {t}");
        }
        assert!(
            !markdown.contains(" bad\n") && !markdown.contains("file="),
            "{id}"
        );
        let tags = rule["properties"]["tags"].as_array().unwrap();
        let security = tags.iter().any(|t| t == "security");
        let score = &rule["properties"]["security-severity"];
        assert_eq!(security, score.is_string(), "{id}");
        if security {
            let s: f64 = score.as_str().unwrap().parse().unwrap();
            assert!((0.1..=10.0).contains(&s), "{id}");
        }
    }
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn two_outputs_into_one_file_are_refused() {
    let out = std::env::temp_dir().join(format!("seaworthy-same-{}.sarif", std::process::id()));
    let out = out.to_str().unwrap();
    let r = run(&[
        "check",
        "-o",
        out,
        "--report",
        &format!("sarif={out}"),
        BARE,
    ]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("both write"), "{}", r.stderr);
    assert!(!Path::new(out).exists());
}

#[test]
fn colour_and_characters_follow_the_environment() {
    let concise = ["check", "--format", "concise", BARE];
    let mut forced = seaworthy();
    forced.env("FORCE_COLOR", "1");
    assert!(run_with(forced, &concise).stdout.contains("\x1b["));
    let mut forced = seaworthy();
    forced.env("CLICOLOR_FORCE", "1");
    assert!(run_with(forced, &concise).stdout.contains("\x1b["));
    let mut both = seaworthy();
    both.env("FORCE_COLOR", "1").env("NO_COLOR", "1");
    assert!(!run_with(both, &concise).stdout.contains("\x1b["));
    assert!(!run(&concise).stdout.contains("\x1b["), "not a terminal");
    // not UTF-8: ASCII drawing
    let mut c = seaworthy();
    c.env("LANG", "C");
    let ascii = run_with(c, &["check", BARE]).stdout;
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(
        ascii.contains(",-[fixtures/cli/contract/bare/compose.yaml:2:3]"),
        "{ascii}"
    );
    let unicode = run(&["check", BARE]).stdout;
    assert!(
        unicode.contains("╭─[fixtures/cli/contract/bare/compose.yaml:2:3]"),
        "{unicode}"
    );
}

#[test]
fn findings_at_one_place_share_one_snippet() {
    let human = run(&["check", BARE]).stdout;
    assert!(human.contains("6 findings here:"), "{human}");
    assert_eq!(human.matches("╭─[").count(), 1, "{human}");
    for code in ["CM101", "CM103", "CM201", "CM202", "CM203", "CM301"] {
        assert!(
            human.contains(&format!("[{code}] service `api`")),
            "{human}"
        );
        assert!(
            human.contains(&format!("{code}: ")),
            "each keeps its help: {human}"
        );
    }
    // machine formats keep one entry per finding
    let json = run(&["check", "--format", "json", BARE]).stdout;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 6);
}

#[test]
fn ruff_spellings_work() {
    assert_eq!(run(&["check", BARE]).code, Some(1));
    let r = run(&["check", "--exit-zero", BARE]);
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.contains("Found 5 warnings"), "{}", r.stdout);
    assert_eq!(
        run(&["check", "--exit-zero", "nonexist.yaml"]).code,
        Some(2)
    );
    let r = run(&["check", "--exit-zero", "--fail-on", "error", BARE]);
    assert_eq!(r.code, Some(2), "the two contradict each other");
    let r = run(&["check", "--output-format", "json", BARE]);
    assert!(serde_json::from_str::<serde_json::Value>(&r.stdout).is_ok());
}

#[test]
fn show_settings_prints_what_applies_to_a_file() {
    let r = run(&["check", "--show-settings", "examples/compose.override.yaml"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains("configuration: examples/.seaworthy.yaml"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("development file: yes"), "{}", r.stdout);
    assert!(
        r.stdout.contains("fail-on: warning (default)"),
        "{}",
        r.stdout
    );
    let r = run(&[
        "check",
        "--no-config",
        "--ignore",
        "CM203",
        "--fail-on",
        "error",
        "--show-settings",
        "examples/compose.yaml",
    ]);
    assert!(
        r.stdout.contains("configuration: none (--no-config)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("fail-on: error (command line)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("not run: ") && r.stdout.contains("CM203"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("  CM203 "), "{}", r.stdout);
}

// ---- getting it ----

#[test]
fn the_container_image_passes_its_own_lint() {
    for args in [
        &["check", "--no-config", "Dockerfile"][..],
        &["check", "--no-config", "--select", "ALL", "Dockerfile"],
    ] {
        let r = run(args);
        assert_eq!(r.code, Some(0), "{}", r.stdout);
        assert!(
            r.stdout.starts_with("No problems found in 1 file."),
            "{}",
            r.stdout
        );
    }
    let dockerfile = std::fs::read_to_string("Dockerfile").unwrap();
    assert!(dockerfile.contains("FROM scratch"));
    assert!(dockerfile.contains("ENTRYPOINT [\"seaworthy\"]"));
    assert!(dockerfile.contains("cargo build --release --locked"));
}

#[test]
fn the_action_runs_options_the_binary_accepts() {
    let action = std::fs::read_to_string("action.yml").unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("cargo install --locked"));
    // the options its run step passes, with the defaults and a SARIF file
    for option in ["--format", "--fail-on", "--report"] {
        assert!(action.contains(option), "{option}");
    }
    let sarif = std::env::temp_dir().join(format!("seaworthy-action-{}.sarif", std::process::id()));
    let report = format!("sarif={}", sarif.display());
    let r = run(&[
        "check",
        "--format",
        "github",
        "--fail-on",
        "error",
        "--report",
        &report,
        BARE,
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.starts_with("::warning file="), "{}", r.stdout);
    assert!(sarif.exists());
    let _ = std::fs::remove_file(sarif);
}

#[test]
fn the_pre_commit_hook_runs_when_settings_or_env_files_change() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let files = hooks
        .split("\n- id: seaworthy\n")
        .nth(1)
        .and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("files: ")))
        .unwrap();
    let files = regex::Regex::new(files).unwrap();
    for path in [
        "compose.yaml",
        "deploy/docker-compose.prod.yml",
        ".seaworthy.yaml",
        ".env",
        "deploy/.env.production",
        "config/app.env",
        "Dockerfile",
        "api/Dockerfile.prod",
        "worker.Dockerfile",
        "Containerfile",
    ] {
        assert!(files.is_match(path), "{path}");
    }
    for path in ["README.md", "src/main.rs", "environment.txt"] {
        assert!(!files.is_match(path), "{path}");
    }
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, Some(0), "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("seaworthy"), "{shell}");
        assert!(r.stdout.contains("show-settings"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).code, Some(2));
}

/// `man/seaworthy.1` is what the command line generates;
/// `UPDATE_MAN=1 cargo test --test contract` rewrites it.
#[test]
fn the_man_page_is_current() {
    let generated = seaworthy::commands::man_page();
    let path = Path::new("man/seaworthy.1");
    if std::env::var_os("UPDATE_MAN").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == generated,
        "man/seaworthy.1 is stale: run `UPDATE_MAN=1 cargo test --test contract`"
    );
    assert!(generated.contains(".TH seaworthy 1"), "{generated}");
}

#[test]
fn links_start_at_the_repository_cargo_names() {
    let manifest = std::fs::read_to_string("Cargo.toml").unwrap();
    let repository = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = "))
        .unwrap()
        .trim_matches('"');
    if option_env!("SEAWORTHY_REPOSITORY").is_none() {
        assert_eq!(seaworthy::diagnostic::REPOSITORY, repository);
    }
    let r = run(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let url = rules[0]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "{}/blob/main/rules/",
            seaworthy::diagnostic::REPOSITORY
        )),
        "{url}"
    );
}
