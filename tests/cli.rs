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
