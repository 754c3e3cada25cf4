//! The binary as a user runs it.

use assert_cmd::Command;

fn seaworthy() -> Command {
    let mut cmd = Command::cargo_bin("seaworthy").unwrap();
    cmd.env_remove("NO_COLOR").arg("--color").arg("never");
    cmd
}

#[test]
fn the_readme_command_reports_the_example_findings() {
    let out = seaworthy().args(["check", "examples/"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("did you mean `healthcheck`?"), "{stdout}");
    assert!(stdout.contains("`QUEUE_NAME` is not set"), "{stdout}");
    // the literal secrets of the example never reach the output
    assert!(!stdout.contains("s3cr3t-but-committed"), "{stdout}");
    assert!(!stdout.contains("keyboard-cat"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

/// A broken Dockerfile is a finding with a span; the compose file beside it is
/// still reported, and a `Dockerfile.dockerignore` is not taken for a Dockerfile.
#[test]
fn a_broken_dockerfile_hides_nothing_else() {
    let out = seaworthy().arg("fixtures/cli/mixed").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("DF001(dockerfile-syntax)"), "{stdout}");
    assert!(
        stdout.contains("`COPY` requires at least two arguments"),
        "{stdout}"
    );
    assert!(
        stdout.contains("[fixtures/cli/mixed/api/Dockerfile:2:1]"),
        "{stdout}"
    );
    assert!(stdout.contains("CM004(obsolete-version)"), "{stdout}");
    assert!(!stdout.contains("dockerignore"), "{stdout}");
}

#[test]
fn a_missing_path_is_exit_2_and_other_paths_are_still_linted() {
    let out = seaworthy()
        .args(["check", "does/not/exist", "fixtures/cli/mixed/compose.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("CM004"));
}

fn plain() -> Command {
    let mut cmd = Command::cargo_bin("seaworthy").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// `config` on a directory merges the default file and its override file.
#[test]
fn config_prints_the_merged_project() {
    let out = plain()
        .args(["config", "fixtures/projects/override"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let web = &json["services"]["web"];
    assert_eq!(web["command"], serde_json::json!(["npm", "start"]));
    assert_eq!(web["environment"]["NODE_ENV"], "production");
    assert_eq!(web["ports"].as_array().unwrap().len(), 3);
    assert!(json["services"]["db"].get("ports").is_none());
}

/// `-f` files replace the default files; `--format yaml` prints the same model.
#[test]
fn config_takes_explicit_files_and_prints_yaml() {
    let out = plain()
        .current_dir("fixtures/projects/files")
        .args(["config", "-f", "compose.yaml", "-f", "compose.prod.yaml"])
        .args(["--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("    restart: \"unless-stopped\"\n"),
        "{stdout}"
    );
    assert!(stdout.contains("      driver: \"local\"\n"), "{stdout}");
}

/// A project with an invalid merge still prints what was loaded, reports the
/// problem on stderr and exits 1; an unreadable `-f` file exits 2.
#[test]
fn config_exit_codes() {
    let out = plain()
        .args(["config", "fixtures/projects/merge-conflict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`x-extra` cannot be merged"), "{stderr}");

    let out = plain()
        .args(["config", "-f", "fixtures/projects/nope.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.yaml"));
}

/// `check` loads files as projects: the findings of an `include` cycle, a
/// missing included file and a name conflict are reported once each, though
/// the included file is also found on its own by discovery.
#[test]
fn check_reports_project_errors_once() {
    let out = seaworthy()
        .args(["check", "fixtures/projects/include-errors"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("  × ").count(), 3, "{stdout}");
    assert!(
        stdout.contains("`include` cycle: compose.yaml → sub/compose.yaml → compose.yaml"),
        "{stdout}"
    );
}

/// `rules` lists every registered rule; `--format json` gives tools the metadata.
#[test]
fn rules_lists_the_catalog_as_text_and_json() {
    let out = plain().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), seaworthy::rules::RULES.len());
    assert!(
        text.lines()
            .any(|l| l.starts_with("CM101  healthcheck-missing")),
        "{text}"
    );

    let out = plain()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = json.as_array().unwrap();
    assert_eq!(rules.len(), seaworthy::rules::RULES.len());
    let cm402 = rules.iter().find(|r| r["code"] == "CM402").unwrap();
    assert_eq!(cm402["name"], "secret-in-environment");
    assert_eq!(cm402["severity"], "error");
    assert_eq!(cm402["category"], "security");
    assert!(cm402["url"]
        .as_str()
        .unwrap()
        .ends_with("/CM402-secret-in-environment.md"));
}

/// `explain` prints a manual by code (any case) or name; an unknown rule is a usage error.
#[test]
fn explain_prints_the_manual_by_code_or_name() {
    let by_code = plain().args(["explain", "cm101"]).output().unwrap();
    assert_eq!(by_code.status.code(), Some(0));
    let manual = String::from_utf8_lossy(&by_code.stdout);
    assert!(
        manual.starts_with("# CM101 healthcheck-missing\n"),
        "{manual}"
    );
    // Markdown when piped, without the manual's test tags
    assert!(manual.contains("```yaml\n"), "{manual}");
    assert!(!manual.contains("```yaml bad"), "{manual}");
    let by_name = plain()
        .args(["explain", "healthcheck-missing"])
        .output()
        .unwrap();
    assert_eq!(by_name.stdout, by_code.stdout);
    let unknown = plain().args(["explain", "no-such-rule"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-rule"));
}
