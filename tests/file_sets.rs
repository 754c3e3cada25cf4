//! Compose files grouped the way their authors run them: `COMPOSE_FILE`, the
//! `projects:` of the configuration, fragments merged on the base they
//! complete or judged on what they set, and `--show-files` saying so.

mod common;

use std::path::Path;

use common::{check_concise, scratch_dir, write_files};

const BASE: &str =
    "services:\n  web:\n    image: nginx:1.27\n    healthcheck: {test: [\"CMD\", \"true\"]}\n";
/// Sets what the base lacks: a restart policy for `web`.
const PROD: &str = "services:\n  web:\n    restart: always\n";

/// `check --show-files` run in `dir`: its lines, and the exit code.
fn show_files(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, Vec<String>) {
    let mut cmd = assert_cmd::Command::cargo_bin("seaworthy").unwrap();
    cmd.current_dir(dir)
        .env_remove("COMPOSE_FILE")
        .args(["check", "--show-files"])
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

fn codes_at<'a>(findings: &'a [String], file: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter_map(|f| f.strip_prefix(file).and_then(|r| r.strip_prefix(' ')))
        .map(|c| c.split(['[', ']']).nth(1).unwrap_or(c))
        .collect()
}

#[test]
fn compose_file_in_dotenv_makes_the_project() {
    let dir = scratch_dir("compose-file");
    write_files(
        &dir,
        &[
            ("compose.yaml", BASE),
            ("ops/compose.prod.yaml", PROD),
            (".env", "COMPOSE_FILE=compose.yaml:ops/compose.prod.yaml\n"),
        ],
    );
    let (_, findings, _) = check_concise(&dir, &["--no-config", "."]);
    // the prod file's restart policy applies to `web`; the prod file is part
    // of the project, not a fragment linted alone
    assert!(
        !codes_at(&findings, "compose.yaml").contains(&"CM103"),
        "{findings:?}"
    );
    assert!(
        findings.iter().all(|f| !f.contains("CM005")),
        "{findings:?}"
    );
    let (code, lines) = show_files(&dir, &["--no-config"], &[]);
    assert_eq!(code, 0);
    assert_eq!(
        lines,
        [
            "compose.yaml compose by name production compose.yaml + ops/compose.prod.yaml (COMPOSE_FILE in .env)",
            "ops/compose.prod.yaml compose by name production compose.yaml + ops/compose.prod.yaml (COMPOSE_FILE in .env)",
        ]
    );
    // `COMPOSE_PATH_SEPARATOR` changes the separator
    std::fs::write(
        dir.join(".env"),
        "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=compose.yaml;ops/compose.prod.yaml\n",
    )
    .unwrap();
    let (_, again) = show_files(&dir, &["--no-config"], &[]);
    assert_eq!(again, lines);
}

#[test]
fn compose_file_in_the_environment_applies_where_seaworthy_runs() {
    let dir = scratch_dir("compose-file-env");
    write_files(&dir, &[("compose.yaml", BASE), ("compose.prod.yaml", PROD)]);
    let env = [("COMPOSE_FILE", "compose.yaml:compose.prod.yaml")];
    let (_, lines) = show_files(&dir, &["--no-config"], &env);
    assert!(
        lines
            .iter()
            .all(|l| l.ends_with("(COMPOSE_FILE from the environment)")),
        "{lines:?}"
    );
    // from elsewhere, the directory is walked as it stands
    let parent = dir.parent().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let (_, lines) = show_files(parent, &["--no-config", name], &env);
    assert!(
        lines.iter().all(|l| !l.contains("COMPOSE_FILE")),
        "{lines:?}"
    );
}

#[test]
fn projects_in_the_configuration_are_checked_merged_and_not_alone() {
    let dir = scratch_dir("config-projects");
    write_files(
        &dir,
        &[
            ("compose.yaml", BASE),
            ("overrides/compose.prod.yaml", PROD),
            ("overrides/prod.env", "TAG=1.27\n"),
            (
                ".seaworthy.yaml",
                "projects:\n  - files: [compose.yaml, overrides/compose.prod.yaml]\n    env-file: overrides/prod.env\n",
            ),
        ],
    );
    let (_, findings, stderr) = check_concise(&dir, &["."]);
    assert!(
        !codes_at(&findings, "compose.yaml").contains(&"CM103"),
        "{findings:?} {stderr}"
    );
    assert!(
        findings.iter().all(|f| !f.contains("CM005")),
        "{findings:?}"
    );
    let (_, lines) = show_files(&dir, &[], &[]);
    assert_eq!(
        lines,
        [
            "compose.yaml compose by name production compose.yaml + overrides/compose.prod.yaml (projects: in .seaworthy.yaml)",
            "overrides/compose.prod.yaml compose by name production compose.yaml + overrides/compose.prod.yaml (projects: in .seaworthy.yaml)",
        ]
    );
    // a file the entry names must exist
    std::fs::write(
        dir.join(".seaworthy.yaml"),
        "projects:\n  - files: [compose.yaml, overrides/missing.yaml]\n",
    )
    .unwrap();
    let (code, _, stderr) = check_concise(&dir, &["."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`overrides/missing.yaml` is not a file"),
        "{stderr}"
    );
}

#[test]
fn a_fragment_is_merged_on_the_base_above_it() {
    // as docker-elk's extensions: paths in the fragment are relative to the
    // base's directory, and the fragment's service depends on a base service
    let dir = scratch_dir("fragment-above");
    write_files(
        &dir,
        &[
            ("compose.yaml", "services:\n  search:\n    image: elasticsearch:8.15.0\n"),
            (
                "extensions/backup/backup-compose.yml",
                "services:\n  backup:\n    build:\n      context: extensions/backup/\n    depends_on: [search]\n",
            ),
            ("extensions/backup/Dockerfile", "FROM alpine:3.20\nCMD [\"backup\"]\n"),
        ],
    );
    let (_, findings, _) = check_concise(&dir, &["--no-config", "."]);
    assert!(
        findings
            .iter()
            .all(|f| !f.contains("CM002") && !f.contains("CM005")),
        "{findings:?}"
    );
    // the Dockerfile is judged with the service that builds it, once
    let user = codes_at(&findings, "extensions/backup/Dockerfile");
    assert_eq!(user, ["DF401"], "{findings:?}");
    // the base's own findings are reported once, by the base
    let base = codes_at(&findings, "compose.yaml");
    assert_eq!(
        base.iter().filter(|c| **c == "CM101").count(),
        1,
        "{findings:?}"
    );
    let (_, lines) = show_files(&dir, &["--no-config"], &[]);
    assert!(lines.contains(&"extensions/backup/backup-compose.yml compose by content production compose.yaml + extensions/backup/backup-compose.yml (fragment merged on compose.yaml)".to_string()), "{lines:?}");
}

#[test]
fn a_fragment_no_base_completes_is_judged_on_what_it_sets() {
    let dir = scratch_dir("fragment-alone");
    write_files(
        &dir,
        &[
            ("compose.yaml", BASE),
            // `db` is defined by neither the base nor this file: no merge
            (
                "overrides/compose.secrets.yaml",
                "services:\n  db:\n    user: root\n    environment:\n      DB_PASSWORD: hunter2hunter2\n    volumes: [dbdata:/var/lib/db]\n",
            ),
            // declares the volume, not the service
            ("overrides/compose.volumes.yaml", "volumes:\n  dbdata: {}\n"),
        ],
    );
    let (_, findings, _) = check_concise(&dir, &["--no-config", "."]);
    let codes = codes_at(&findings, "overrides/compose.secrets.yaml");
    // what it sets is judged; what it lacks is the base's; `dbdata` is
    // defined by a file beside it
    assert!(codes.contains(&"CM005"), "{findings:?}");
    assert!(
        codes.contains(&"CM401") && codes.contains(&"CM402"),
        "{findings:?}"
    );
    for lacking in ["CM101", "CM103", "CM201", "CM301", "CM002"] {
        assert!(!codes.contains(&lacking), "{lacking}: {findings:?}");
    }
}

#[test]
fn a_fragment_is_merged_on_its_base_and_the_fragment_beside_it_that_defines_what_it_completes() {
    let dir = scratch_dir("fragment-chain");
    write_files(
        &dir,
        &[
            ("compose.yaml", BASE),
            (
                "overrides/compose.mariadb.yaml",
                "services:\n  db:\n    image: mariadb:11.8\n    restart: always\n",
            ),
            (
                "overrides/compose.postgres.yaml",
                "services:\n  db:\n    image: postgres:17\n    restart: always\n",
            ),
            // completes `db`, which the base does not define: of the two
            // files that do, the one named like it
            (
                "overrides/compose.mariadb-secrets.yaml",
                "services:\n  db:\n    user: root\n",
            ),
        ],
    );
    let (_, lines) = show_files(&dir, &["--no-config"], &[]);
    assert!(
        lines.contains(&"overrides/compose.mariadb-secrets.yaml compose by name production compose.yaml + overrides/compose.mariadb.yaml + overrides/compose.mariadb-secrets.yaml (fragment merged on compose.yaml + overrides/compose.mariadb.yaml)".to_string()),
        "{lines:?}"
    );
    let (_, findings, _) = check_concise(&dir, &["--no-config", "."]);
    let codes = codes_at(&findings, "overrides/compose.mariadb-secrets.yaml");
    assert_eq!(codes, ["CM401"], "{findings:?}");
}

#[test]
fn a_base_with_a_service_compose_cannot_run_is_an_error() {
    let dir = scratch_dir("no-image");
    write_files(
        &dir,
        &[("compose.yaml", "services:\n  web:\n    restart: always\n")],
    );
    let (code, findings, _) = check_concise(&dir, &["--no-config", "."]);
    assert_eq!(code, 1);
    assert!(
        findings.contains(&"compose.yaml error[CM001]".to_string()),
        "{findings:?}"
    );
}
