//! The real-world corpus (`$SEAWORTHY_CORPUS/realworld`: public projects as
//! their repositories hold them): every finding, one line each, and the files
//! linted with their projects, snapshotted so that every change of verdict
//! shows up in review. Run from the corpus folder with no configuration and
//! an empty environment, so paths and results do not depend on the machine.

mod common;

use std::path::Path;

fn seaworthy(dir: &Path, args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir)
        .env_clear()
        .args(["check", "--no-config", "--color", "never"])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `path:line:col CODE message` for every finding, sorted.
#[test]
fn every_finding_on_the_real_world_corpus() {
    let Some(dir) = common::shared_corpus("realworld") else {
        return;
    };
    let stdout = seaworthy(&dir, &["--format", "concise", "-q", "--fail-on", "never"]);
    let mut lines: Vec<String> = stdout
        .lines()
        .map(|l| {
            // `path:line:col: severity[CODE] message`
            let (at, rest) = l.split_once(": ").unwrap();
            let (sev_code, message) = rest.split_once(' ').unwrap();
            let code = sev_code
                .split_once('[')
                .map_or(sev_code, |(_, c)| c.trim_end_matches(']'));
            format!("{at} {code} {message}")
        })
        .collect();
    // by path, then line and column as numbers
    lines.sort_by_cached_key(|l| {
        let at = l.split(' ').next().unwrap_or("");
        let mut parts = at.rsplitn(3, ':');
        let col: u32 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let line: u32 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let path = parts.next().unwrap_or("").to_string();
        (path, line, col, l.clone())
    });
    insta::assert_snapshot!(lines.join("\n"));
}

/// What `--show-files` says: every compose file found, as what, in which project.
#[test]
fn every_file_of_the_real_world_corpus_and_its_project() {
    let Some(dir) = common::shared_corpus("realworld") else {
        return;
    };
    insta::assert_snapshot!(seaworthy(&dir, &["--show-files"]));
}

/// The Swarm rules judge only services deployed as Swarm services: none of
/// the real-world or awesome-compose projects deploys one, so even with the
/// opt-in CM111 they are silent there.
#[test]
fn swarm_rules_are_silent_on_projects_without_swarm_services() {
    for corpus in ["realworld", "corpus"] {
        let Some(dir) = common::shared_corpus(corpus) else {
            return;
        };
        let stdout = seaworthy(
            &dir,
            &[
                "--select",
                "CM110,CM111",
                "--format",
                "concise",
                "-q",
                "--fail-on",
                "never",
            ],
        );
        assert_eq!(stdout, "", "{corpus}");
    }
}

/// On development files (by name, folder, or the files that build them) only
/// validity and security findings remain: production-readiness rules
/// (reliability, resources, observability) spare them.
#[test]
fn development_files_keep_validity_and_security_findings_only() {
    let Some(dir) = common::shared_corpus("realworld") else {
        return;
    };
    let listing = seaworthy(&dir, &["--show-files"]);
    let development: Vec<&str> = listing
        .lines()
        .filter(|l| l.contains(" development ("))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(development.len() >= 8, "{listing}");
    let rules = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&rules.stdout).unwrap();
    let production_readiness: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            matches!(
                r["category"].as_str(),
                Some("reliability" | "resources" | "observability")
            )
        })
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(production_readiness.contains(&"CM101"));
    let findings = seaworthy(&dir, &["--format", "concise", "-q", "--fail-on", "never"]);
    for line in findings.lines() {
        let path = line.split(':').next().unwrap_or("");
        if !development.contains(&path) {
            continue;
        }
        let code = line.split(['[', ']']).nth(1).unwrap_or("");
        assert!(
            !production_readiness.contains(&code),
            "a production-readiness finding on a development file: {line}"
        );
    }
}
