//! `seaworthy check` as CI jobs, pre-commit hooks and people run it: paths and
//! discovery, standard input, rule selection, every output format, several
//! outputs at once, and the exit code in each case.

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn seaworthy() -> Command {
    let mut cmd = Command::cargo_bin("seaworthy").unwrap();
    cmd.env_remove("NO_COLOR").arg("--color").arg("never");
    cmd
}

/// Runs `check` with `args`; returns the exit code, stdout and stderr.
fn check(args: &[&str]) -> (i32, String, String) {
    let out = seaworthy().arg("check").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = check(&all);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (code, value)
}

/// `(path, code)` of every finding in a JSON report.
fn findings(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn files(report: &Value) -> Vec<String> {
    let mut files: Vec<String> = findings(report).into_iter().map(|(p, _)| p).collect();
    files.dedup();
    files
}

const FORMATS: [&str; 8] = [
    "human",
    "concise",
    "json",
    "sarif",
    "github",
    "junit",
    "checkstyle",
    "gitlab",
];

const FORMATS_FIXTURE: &str = "fixtures/cli/formats";

/// Every format, with the tool version and the working directory redacted.
#[test]
fn every_format_renders_the_same_findings() {
    let cwd = std::env::current_dir().unwrap().display().to_string();
    for format in FORMATS {
        let (code, mut stdout, stderr) = check(&["--format", format, FORMATS_FIXTURE]);
        assert_eq!(code, 1, "{format}: {stderr}");
        if format == "sarif" {
            // the rule metadata (manuals included) is checked by the schema
            // test; here only which rules are listed
            let mut log: Value = serde_json::from_str(&stdout).unwrap();
            let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
            let ids: Vec<Value> = rules
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].clone())
                .collect();
            *rules = Value::Array(ids);
            stdout = serde_json::to_string_pretty(&log).unwrap();
        }
        assert!(stderr.is_empty(), "{format}: {stderr}");
        // the literal secrets of the fixture never reach any output
        assert!(!stdout.contains("tok-do-not-print"), "{format}: {stdout}");
        assert!(!stdout.contains("plain-secret"), "{format}: {stdout}");
        let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
        insta::with_settings!({
            snapshot_suffix => format,
            filters => vec![
                (format!(r#""{version}""#).as_str(), r#""[VERSION]""#),
                (regex_escape(&cwd).as_str(), "[CWD]"),
            ],
        }, {
            insta::assert_snapshot!(stdout);
        });
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[test]
fn sarif_output_is_valid_against_the_official_schema() {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/schemas/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    // The official schema's pattern for `language` (of runs and tool
    // components) has a stray `]` that Rust's regex engine rejects; we never
    // write `language`, so it is replaced by what it means.
    for owner in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][owner]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    let validator = jsonschema::validator_for(&schema).unwrap();
    for path in [
        FORMATS_FIXTURE,
        "examples",
        "fixtures/cli/clean",
        "fixtures/cli/hardening",
        "does/not/exist",
    ] {
        let (_, stdout, _) = check(&["--format", "sarif", path]);
        let log: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{path}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
        // the validator does reject what the specification forbids
        let mut broken = log.clone();
        broken["runs"][0]["columnKind"] = "bytes".into();
        assert!(!validator.is_valid(&broken));
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(rules[index]["helpUri"].as_str().unwrap().ends_with(".md"));
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
        }
    }
    // every hardening rule reports in the fixture; every security rule
    // carries the score code scanning ranks it by
    let (_, stdout, _) = check(&["--format", "sarif", "fixtures/cli/hardening"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let run = &log["runs"][0];
    let reported: std::collections::BTreeSet<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    for n in 501..=516 {
        assert!(
            reported.contains(format!("CM{n}").as_str()),
            "CM{n}: {reported:?}"
        );
    }
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let tags = rule["properties"]["tags"].as_array().unwrap();
        let security = tags.iter().any(|t| t == "security");
        let score = rule["properties"]["security-severity"].as_str();
        assert_eq!(security, score.is_some(), "{}", rule["id"]);
    }
    // a path that cannot be read is a failed invocation, with the reason
    let (_, stdout, _) = check(&["--format", "sarif", "does/not/exist"]);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("does/not/exist")
    );
}

#[test]
fn json_output_follows_its_documented_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("docs/schemas/seaworthy-output-v1.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for path in [FORMATS_FIXTURE, "examples", "fixtures/cli/clean"] {
        let (_, report) = json(&[path]);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
    // positions are 1-based lines and character columns with byte offsets
    let (_, report) = json(&["--select", "CM402", FORMATS_FIXTURE]);
    let d = &report["diagnostics"][0];
    let text = std::fs::read_to_string("fixtures/cli/formats/compose.yaml").unwrap();
    let start = d["start"]["offset"].as_u64().unwrap() as usize;
    let end = d["end"]["offset"].as_u64().unwrap() as usize;
    // the span is the secret itself, inside the quotes
    assert_eq!(&text[start..end], "tok-do-not-print-7f3a");
    assert_eq!(
        (d["start"]["line"].as_u64(), d["start"]["column"].as_u64()),
        (Some(8), Some(19))
    );
    assert_eq!(d["end"]["column"].as_u64(), Some(40));
}

#[test]
fn gitlab_fingerprints_are_unique_and_stable_across_line_moves() {
    let dir = common::scratch_dir("fingerprints");
    let body = "services:\n  a:\n    image: nginx\n  b:\n    image: nginx\n";
    std::fs::write(dir.join("compose.yaml"), body).unwrap();
    let run = || {
        let (_, stdout, _) = check(&["--format", "gitlab", dir.to_str().unwrap()]);
        let issues: Vec<Value> = serde_json::from_str(&stdout).unwrap();
        issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let before = run();
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len());
    std::fs::write(
        dir.join("compose.yaml"),
        format!("# a comment added above\n\n{body}"),
    )
    .unwrap();
    assert_eq!(run(), before);
}

/// A directory holding several projects: each compose file with its override
/// and includes is one project, a Dockerfile a project builds is linted with
/// it, a lone Dockerfile alone, a YAML file of another name is a compose file
/// when its content says so (`stack.yml`) and skipped when not (a CI
/// workflow), `.ignore`d directories are skipped unless named.
#[test]
fn a_tree_of_projects_is_discovered_and_grouped() {
    let (code, report) = json(&["fixtures/cli/tree"]);
    assert_eq!(code, 1);
    assert_eq!(
        files(&report),
        [
            "fixtures/cli/tree/app/Dockerfile",
            "fixtures/cli/tree/app/compose.yaml",
            "fixtures/cli/tree/lone/worker.Dockerfile",
            "fixtures/cli/tree/notes/stack.yml",
            "fixtures/cli/tree/shared/common.yaml",
            "fixtures/cli/tree/tools/docker-compose.yml",
        ]
    );
    assert_eq!(report["summary"]["files"], 7);
    let found = findings(&report);
    // the override's `image:` applies: no restart-policy finding for `api`
    // (set in compose.yaml) and no mutable-tag finding (it builds the image)
    assert!(!found.contains(&("fixtures/cli/tree/app/compose.yaml".into(), "CM103".into())));
    // the included file is linted once, as part of the project including it
    let cache = found
        .iter()
        .filter(|(p, c)| p.ends_with("common.yaml") && c == "CM101")
        .count();
    assert_eq!(cache, 1);

    // named explicitly, an ignored file and any YAML file are linted; with
    // --force-exclude, only what a walk would lint
    let (_, report) = json(&[
        "fixtures/cli/tree/ignored/compose.yaml",
        "fixtures/cli/tree/notes/workflow.yml",
    ]);
    assert_eq!(
        files(&report),
        [
            "fixtures/cli/tree/ignored/compose.yaml",
            "fixtures/cli/tree/notes/workflow.yml"
        ]
    );
    let (_, report) = json(&[
        "--force-exclude",
        "fixtures/cli/tree/notes/stack.yml",
        "fixtures/cli/tree/notes/workflow.yml",
    ]);
    assert_eq!(files(&report), ["fixtures/cli/tree/notes/stack.yml"]);
}

#[test]
fn gitignored_files_are_skipped_even_outside_a_git_repository() {
    let dir = common::scratch_dir("gitignore");
    std::fs::create_dir_all(dir.join("build")).unwrap();
    std::fs::write(dir.join(".gitignore"), "build/\n").unwrap();
    std::fs::write(
        dir.join("build/compose.yaml"),
        "services: {x: {image: a}}\n",
    )
    .unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3\nUSER 1\n").unwrap();
    let (code, report) = json(&[dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn standard_input_is_linted_as_the_named_file() {
    let compose = std::fs::read_to_string("fixtures/cli/formats/compose.yaml").unwrap();
    // relative paths resolve from the named file's directory: the build is linked
    let out = seaworthy()
        .args(["check", "--format", "concise", "--stdin-filename"])
        .arg("fixtures/cli/formats/compose.yaml")
        .arg("-")
        .write_stdin(compose.clone())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("fixtures/cli/formats/compose.yaml:8:19: error[CM402]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("fixtures/cli/formats/app/Dockerfile:2:24: error[DF402]"),
        "{stdout}"
    );
    // the buffer stands alone: the override file on disk is not merged into it
    assert!(!stdout.contains("CM401"), "{stdout}");

    // without a name, standard input is a compose file called `-`
    let out = seaworthy()
        .args(["check", "--format", "concise", "-"])
        .write_stdin("version: '3'\nservices: {}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "-:1:1: info[CM004] the top-level `version` is obsolete and ignored\n\
         Found 1 info in 1 file. 1 fixable with `--fix`.\n"
    );

    // a Dockerfile name makes it a Dockerfile; `--stdin-filename` alone reads stdin
    let out = seaworthy()
        .args([
            "check",
            "--format",
            "concise",
            "-q",
            "--stdin-filename",
            "Dockerfile",
        ])
        .write_stdin("FROM alpine\nCMD run\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Dockerfile:1:6: warning[DF401] the final stage sets no `USER`, so it runs as root\n\
         Dockerfile:1:6: warning[DF403] `FROM alpine` has no tag, so it builds on whatever `latest` is\n\
         Dockerfile:2:5: warning[DF101] `CMD` uses the shell form, so PID 1 is `/bin/sh` and `SIGTERM` never reaches the program\n"
    );
}

#[test]
fn exit_codes_follow_the_fail_threshold_in_every_format() {
    for format in FORMATS {
        let run = |args: &[&str]| {
            let mut all = vec!["--format", format];
            all.extend_from_slice(args);
            check(&all).0
        };
        assert_eq!(run(&["fixtures/cli/clean"]), 0, "{format}");
        assert_eq!(run(&[FORMATS_FIXTURE]), 1, "{format}");
        // only warnings and info left: `--fail-on error` passes, `info` fails
        assert_eq!(
            run(&["--ignore", "CM4,DF4,CM001", FORMATS_FIXTURE]),
            1,
            "{format}"
        );
        assert_eq!(
            run(&[
                "--fail-on",
                "error",
                "--ignore",
                "CM4,DF4,CM001",
                FORMATS_FIXTURE
            ]),
            0,
            "{format}"
        );
        assert_eq!(run(&["--fail-on", "never", FORMATS_FIXTURE]), 0, "{format}");
        assert_eq!(
            run(&["--select", "CM004", "--fail-on", "info", "examples"]),
            1,
            "{format}"
        );
        assert_eq!(run(&["--select", "CM004", "examples"]), 0, "{format}");
        // a path that cannot be read wins over findings, and does not hide them
        assert_eq!(run(&["does/not/exist", FORMATS_FIXTURE]), 2, "{format}");
    }
}

#[test]
fn usage_errors_are_exit_2_with_a_message() {
    let cases: [(&[&str], &str); 5] = [
        (&["--select", "CM9"], "unknown rule selector `CM9`"),
        (
            &["--ignore", "healthcheck-mising"],
            "did you mean `healthcheck-missing`?",
        ),
        (&["--report", "sarif"], "expected FORMAT=FILE"),
        (&["--report", "xml=out.xml"], "unknown format `xml`"),
        (
            &["--statistics", "--format", "sarif"],
            "--statistics works with",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = check(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
    }
    let (code, _, stderr) = check(&["--format", "xml", "examples"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'xml'"), "{stderr}");
}

#[test]
fn selection_takes_codes_names_and_prefixes() {
    let codes = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("examples");
        let (_, report) = json(&all);
        let mut codes: Vec<String> = findings(&report).into_iter().map(|(_, c)| c).collect();
        codes.sort();
        codes.dedup();
        codes
    };
    assert_eq!(
        codes(&["--select", "CM2"]),
        ["CM201", "CM202", "CM203", "CM204"]
    );
    assert_eq!(
        codes(&["--select", "runs-as-root", "--extend-select", "df4"]),
        ["CM401", "DF401", "DF402", "DF403"]
    );
    assert_eq!(
        codes(&["--select", "DF", "--ignore", "DF1,user-root"]),
        ["DF402", "DF403"]
    );
    let all = codes(&[]);
    let some = codes(&["--ignore", "CM1"]);
    assert!(all.iter().any(|c| c.starts_with("CM1")));
    assert!(some.iter().all(|c| !c.starts_with("CM1")));
    let reliability = all.iter().filter(|c| c.starts_with("CM1")).count();
    assert!(reliability >= 6, "{all:?}");
    assert_eq!(all.len(), some.len() + reliability);
}

#[test]
fn compose_files_merge_like_docker_compose_f() {
    // `-f` replaces the default files: the override is not applied, and
    // nothing else (the current directory) is linted
    let (_, report) = json(&["-f", "examples/compose.yaml"]);
    let found = findings(&report);
    assert!(!found
        .iter()
        .any(|(p, _)| p.ends_with("compose.override.yaml")));
    assert!(found.iter().all(|(p, _)| p.starts_with("examples/")));
    let (_, report) = json(&[
        "-f",
        "examples/compose.yaml",
        "-f",
        "examples/compose.override.yaml",
    ]);
    assert!(findings(&report).contains(&(
        "examples/compose.override.yaml".to_string(),
        "CM403".to_string()
    )));
}

#[test]
fn a_profile_narrows_the_services_linted() {
    let services = |args: &[&str]| {
        let mut all = vec!["--select", "CM101"];
        all.extend_from_slice(args);
        all.push("fixtures/projects/profiles/compose.yaml");
        let (_, report) = json(&all);
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                d["message"]
                    .as_str()
                    .unwrap()
                    .split('`')
                    .nth(1)
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(services(&[]), ["web", "debug", "admin"]);
    assert_eq!(services(&["--profile", "debug"]), ["web", "debug"]);
    assert_eq!(services(&["--profile", "*"]), ["web", "debug", "admin"]);
}

#[test]
fn several_outputs_in_one_run() {
    let dir = common::scratch_dir("outputs");
    let sarif = dir.join("results.sarif");
    let junit = dir.join("junit.xml");
    let main = dir.join("findings.txt");
    let (code, stdout, stderr) = check(&[
        "--format",
        "concise",
        "--output",
        main.to_str().unwrap(),
        "--report",
        &format!("sarif={}", sarif.display()),
        "--report",
        &format!("junit={}", junit.display()),
        FORMATS_FIXTURE,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    let text = std::fs::read_to_string(&main).unwrap();
    assert!(
        text.ends_with(
            "Found 4 errors, 1 warning, 1 info in 3 files. 1 fixable with `--fix --unsafe-fixes`.\n"
        ),
        "{text}"
    );
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 6);
    let xml = std::fs::read_to_string(&junit).unwrap();
    // the info finding does not fail the run: skipped, not failed
    assert!(xml.contains("skipped=\"1\" failures=\"5\""), "{xml}");
    // nothing else is left in the directory (no temporary files)
    assert_eq!(std::fs::read_dir(&*dir).unwrap().count(), 3);

    // an output that cannot be written is exit 2; the others are still written
    let (code, _, stderr) = check(&[
        "--report",
        "json=/does/not/exist/out.json",
        "--report",
        &format!("gitlab={}", dir.join("gl.json").display()),
        "fixtures/cli/clean",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot write `/does/not/exist/out.json`"),
        "{stderr}"
    );
    assert!(dir.join("gl.json").exists());
}

#[test]
fn quiet_statistics_and_colour() {
    let (_, stdout, _) = check(&["--format", "concise", "-q", "fixtures/cli/clean"]);
    assert_eq!(stdout, "");
    let (_, stdout, _) = check(&["--statistics", "examples"]);
    let first = stdout.lines().next().unwrap();
    assert_eq!(
        first.split_whitespace().collect::<Vec<_>>(),
        ["2", "CM203", "pids-limit-missing", "info"]
    );
    assert!(stdout
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["1", "CM104", "depends-on-unhealthy", "info"]));
    assert!(
        stdout.ends_with(
            "Found 7 errors, 15 warnings, 7 info in 3 files (1 judged as development). \
             2 fixable with `--fix`, 5 more with `--unsafe-fixes`.\n"
        ),
        "{stdout}"
    );
    let (_, report) = json(&["--statistics", "examples"]);
    let total: u64 = report
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 29);

    // a finding every service building the Dockerfile overrides is counted apart
    let dir = common::scratch_dir("overridden");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3\nCMD [\"x\"]\n").unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  a:\n    build: .\n    user: \"1000\"\n",
    )
    .unwrap();
    let (_, stdout, _) = check(&["--statistics", "--select", "DF401", dir.to_str().unwrap()]);
    assert_eq!(
        stdout
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()[..4],
        ["0", "DF401", "user-root", "warning"]
    );
    assert!(stdout.contains("(1 more overridden by every service building the Dockerfile)"));

    let colored = Command::cargo_bin("seaworthy")
        .unwrap()
        .args(["check", "--color", "always", "examples"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\u{1b}["));
    let auto = Command::cargo_bin("seaworthy")
        .unwrap()
        .arg("examples")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&auto.stdout).contains("\u{1b}["));
}

/// The examples in `docs/output-formats.md` are real output of the command
/// the page names (SARIF excepted: it is shown abridged).
#[test]
fn the_documented_examples_are_current() {
    let doc = std::fs::read_to_string("docs/output-formats.md").unwrap();
    for format in FORMATS.iter().filter(|f| **f != "sarif") {
        let heading = if *format == "human" {
            "## `human` (default)".to_string()
        } else {
            format!("## `{format}`")
        };
        let section = doc
            .split(&format!("{heading}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no section {heading}"));
        let block = section
            .split("```")
            .nth(1)
            .and_then(|b| b.split_once('\n'))
            .map(|(_, body)| body)
            .unwrap();
        let (_, stdout, _) = check(&[
            FORMATS_FIXTURE,
            "--select",
            "CM102,CM401",
            "--format",
            format,
        ]);
        assert_eq!(block, stdout, "{format}");
    }
}
