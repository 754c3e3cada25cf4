//! Development files as users lay them out: judged for validity and
//! security, spared production-readiness rules, said so in `--show-files`
//! and the summary; `development:`, `--production` and `stacks:` in use.

mod common;

use std::path::Path;

use common::{check_concise, scratch_dir, write_files};

/// A service with no health check (CM101, production readiness) that runs
/// as root (CM401, security).
const ROOT: &str = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n    user: root\n";

fn layout(dir: &Path) {
    write_files(
        dir,
        &[
            ("compose.yaml", ROOT),
            ("docker-compose.dev.yml", ROOT),
            ("examples/basic/compose.yaml", ROOT),
        ],
    );
}

/// `(file, code)` of every finding.
fn codes(found: &[String]) -> Vec<(String, String)> {
    found
        .iter()
        .map(|f| {
            let (path, rest) = f.split_once(' ').unwrap();
            let code = rest.split(['[', ']']).nth(1).unwrap();
            (path.to_string(), code.to_string())
        })
        .collect()
}

/// What `check --no-config --show-files .` prints in `dir`.
fn show_files(dir: &Path) -> String {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--no-config", "--show-files", "."])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn has(found: &[String], file: &str, code: &str) -> bool {
    codes(found).iter().any(|(f, c)| f == file && c == code)
}

#[test]
fn development_files_get_validity_and_security_rules_only() {
    let dir = scratch_dir("development");
    layout(&dir);
    let (_, found, _) = check_concise(&dir, &["--no-config", "."]);
    assert!(has(&found, "compose.yaml", "CM101"), "{found:?}");
    for dev in ["docker-compose.dev.yml", "examples/basic/compose.yaml"] {
        assert!(has(&found, dev, "CM401"), "{dev}: {found:?}");
        assert!(
            codes(&found)
                .iter()
                .all(|(f, c)| f != dev || c.starts_with("CM0") || c.starts_with("CM4")),
            "{dev}: {found:?}"
        );
    }
    // `--production` judges every file
    let (_, found, _) = check_concise(&dir, &["--no-config", "--production", "."]);
    for file in [
        "compose.yaml",
        "docker-compose.dev.yml",
        "examples/basic/compose.yaml",
    ] {
        assert!(has(&found, file, "CM101"), "{file}: {found:?}");
    }
}

#[test]
fn the_summary_and_show_files_say_what_was_judged_as_development() {
    let dir = scratch_dir("development-summary");
    layout(&dir);
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(&*dir)
        .args(["check", "--no-config", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("in 3 files (2 judged as development)."),
        "{stdout}"
    );
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(&*dir)
        .args(["check", "--no-config", "--format", "json", "."])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["development"], 2);
    let listing = show_files(&dir);
    let line = |file: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(file))
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(line("compose.yaml ").contains(" production "), "{listing}");
    assert!(
        line("docker-compose.dev.yml").contains("development (`dev` in its name)"),
        "{listing}"
    );
    assert!(
        line("examples/basic/compose.yaml").contains("development (in `examples/`)"),
        "{listing}"
    );
}

#[test]
fn the_configuration_names_the_development_files() {
    let dir = scratch_dir("development-config");
    layout(&dir);
    // the list replaces the defaults: only what it names
    write_files(
        &dir,
        &[(".seaworthy.yaml", "development: [docker-compose.dev.yml]\n")],
    );
    let (_, found, _) = check_concise(&dir, &["."]);
    assert!(has(&found, "compose.yaml", "CM101"), "{found:?}");
    assert!(!has(&found, "docker-compose.dev.yml", "CM101"), "{found:?}");
    assert!(
        has(&found, "examples/basic/compose.yaml", "CM101"),
        "{found:?}"
    );
    // none at all
    write_files(&dir, &[(".seaworthy.yaml", "development: []\n")]);
    let (_, found, _) = check_concise(&dir, &["."]);
    assert_eq!(
        codes(&found).iter().filter(|(_, c)| c == "CM101").count(),
        3,
        "{found:?}"
    );
}

#[test]
fn a_run_of_development_files_only_says_so_once() {
    let dir = scratch_dir("development-only");
    write_files(&dir, &[("docker-compose.dev.yml", ROOT)]);
    let (code, found, _) = check_concise(&dir, &["--no-config", "--fail-on", "error", "."]);
    assert_eq!(
        codes(&found),
        [
            ("docker-compose.dev.yml".to_string(), "CM007".to_string()),
            ("docker-compose.dev.yml".to_string(), "CM401".to_string())
        ]
    );
    // a note, not a failure of its own
    assert_eq!(code, 1, "CM401 is an error");
}

#[test]
fn an_override_is_development_beside_a_production_file() {
    let dir = scratch_dir("development-override");
    let prod = "services:\n  api:\n    restart: always\n";
    write_files(
        &dir,
        &[
            ("compose.yaml", ROOT),
            ("compose.override.yaml", "services:\n  api:\n    ports: [\"8080:8080\"]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n"),
        ],
    );
    let (_, found, _) = check_concise(&dir, &["--no-config", "."]);
    assert!(has(&found, "compose.override.yaml", "CM106"), "{found:?}");
    write_files(&dir, &[("compose.prod.yaml", prod)]);
    let (_, found, _) = check_concise(&dir, &["--no-config", "."]);
    assert!(!has(&found, "compose.override.yaml", "CM106"), "{found:?}");
}

#[test]
fn stacks_in_the_configuration_make_swarm_services() {
    let dir = scratch_dir("stacks");
    let service = "services:\n  api:\n    image: ghcr.io/acme/api:1.4.2\n";
    write_files(&dir, &[("stack.yml", service)]);
    let (_, found, _) = check_concise(&dir, &["--select", "CM110", "stack.yml"]);
    assert!(found.is_empty(), "{found:?}");
    write_files(&dir, &[(".seaworthy.yaml", "stacks: [stack.yml]\n")]);
    let (_, found, _) = check_concise(&dir, &["--select", "CM110", "stack.yml"]);
    assert!(has(&found, "stack.yml", "CM110"), "{found:?}");
}

/// A stand-in password in a development file is info; a credential format
/// is an error in any file; a configured severity wins everywhere.
#[test]
fn secrets_by_name_are_info_in_development_files() {
    let dir = scratch_dir("development-secrets");
    let token = format!("ghp_{}", "a1B2c3D4e5".repeat(4).get(..36).unwrap());
    let compose = format!(
        "services:\n  cache:\n    image: redis:7.4\n    environment:\n      REDIS_PASSWORD: bitnami\n      GITHUB_TOKEN: {token}\n"
    );
    write_files(
        &dir,
        &[
            ("compose.yaml", &compose),
            ("docker-compose.dev.yml", &compose),
        ],
    );
    let (_, mut found, _) = check_concise(&dir, &["--no-config", "--select", "CM402", "."]);
    found.sort();
    assert_eq!(
        found,
        [
            "compose.yaml error[CM402]",
            "compose.yaml error[CM402]",
            "docker-compose.dev.yml error[CM402]",
            "docker-compose.dev.yml info[CM402]",
        ],
    );
    std::fs::write(dir.join(".seaworthy.yaml"), "severity: {CM402: warning}\n").unwrap();
    let (_, found, _) = check_concise(&dir, &["--select", "CM402", "."]);
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found.iter().all(|f| f.ends_with("warning[CM402]")),
        "{found:?}"
    );
}

/// A Dockerfile only development compose files build is a development file
/// too; one a production file also builds is not.
#[test]
fn a_dockerfile_only_development_files_build_is_one() {
    let dir = scratch_dir("development-built");
    // DF302 (production readiness) and DF401 (security) on each Dockerfile
    let dockerfile =
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nCMD [\"sleep\", \"1\"]\n";
    write_files(
        &dir,
        &[
            ("compose.yaml", "services:\n  api:\n    build: {context: ., dockerfile: Dockerfile.api}\n"),
            ("compose.prod.yaml", "services:\n  api:\n    restart: always\n"),
            (
                "compose.override.yaml",
                "services:\n  e2e:\n    build: {context: ., dockerfile: Dockerfile.e2e}\n  api:\n    build: {context: ., dockerfile: Dockerfile.api}\n",
            ),
            ("Dockerfile.e2e", dockerfile),
            ("Dockerfile.api", dockerfile),
        ],
    );
    let (_, found, _) = check_concise(&dir, &["--no-config", "--select", "DF302,DF401", "."]);
    assert!(has(&found, "Dockerfile.api", "DF302"), "{found:?}");
    assert!(!has(&found, "Dockerfile.e2e", "DF302"), "{found:?}");
    assert!(has(&found, "Dockerfile.e2e", "DF401"), "{found:?}");
    let listing = show_files(&dir);
    let e2e = listing
        .lines()
        .find(|l| l.starts_with("Dockerfile.e2e"))
        .unwrap_or_default();
    assert!(
        e2e.contains("development (built only by `compose.override.yaml`, a development file)"),
        "{listing}"
    );
    assert!(
        listing
            .lines()
            .filter(|l| l.starts_with("Dockerfile.api"))
            .all(|l| l.contains(" production ")),
        "{listing}"
    );
}
