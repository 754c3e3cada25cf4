//! The golden production project (`fixtures/golden/`): a compose file and the
//! Dockerfile it builds that follow every practice the rules check — health
//! checks with a start period and sane timing, limits, log rotation, a
//! non-root user, an init, graceful shutdown, secrets from files, pinned
//! images, rolling updates that roll back, two replicas. It has no finding
//! under `--select ALL`, opt-in rules included; and undoing any one practice
//! brings back exactly the rule that asks for it.

mod common;

use std::path::Path;

use serde_json::Value;

const GOLDEN: &str = "fixtures/golden";

fn json(dir: &Path) -> Value {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .args([
            "check",
            "--select",
            "ALL",
            "--no-config",
            "--format",
            "json",
        ])
        .arg(dir)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn the_golden_project_has_no_finding_under_every_rule() {
    let report = json(Path::new(GOLDEN));
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(report["summary"]["development"], 0);
}

#[test]
fn undoing_one_practice_brings_back_its_rule() {
    let compose = std::fs::read_to_string(Path::new(GOLDEN).join("compose.yaml")).unwrap();
    let dockerfile = std::fs::read_to_string(Path::new(GOLDEN).join("api/Dockerfile")).unwrap();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "      start_period: 30s\n      start_interval: 2s\n",
            "",
            &["CM105"],
        ),
        (
            "      timeout: 3s\n      retries: 3\n",
            "      timeout: 30s\n      retries: 3\n",
            &["CM106"],
        ),
        (
            "    init: true\n",
            "    entrypoint: [\"sh\", \"-c\", \"node dist/server.js\"]\n",
            &["CM107"],
        ),
        (
            "    stop_grace_period: 1m\n",
            "    stop_grace_period: 2s\n",
            &["CM108"],
        ),
        ("        failure_action: rollback\n", "", &["CM110"]),
        ("      replicas: 2\n", "      replicas: 1\n", &["CM111"]),
        ("          pids: 300\n", "", &["CM203"]),
        (
            "    image: postgres:17.2@sha256:8d3be35b184e70d81e54cbcbd3df3c0b47f37d06482c0dd1c140db5dbcc6a808\n",
            "    image: postgres:latest\n",
            &["CM403"],
        ),
        (
            "    image: postgres:17.2@sha256:8d3be35b184e70d81e54cbcbd3df3c0b47f37d06482c0dd1c140db5dbcc6a808\n",
            "    image: postgres:17.2\n",
            &["CM513"],
        ),
        (
            "    security_opt: [\"no-new-privileges:true\"]\n",
            "",
            &["CM509"],
        ),
        ("    read_only: true\n", "", &["CM510"]),
        ("    cap_drop: [ALL]\n", "", &["CM511"]),
    ];
    for (from, to, code) in cases {
        assert!(compose.contains(from), "{code:?}: {from:?}");
        let dir = common::scratch_dir("golden");
        common::write_files(
            &dir,
            &[
                ("compose.yaml", &compose.replacen(from, to, 1)),
                ("api/Dockerfile", &dockerfile),
            ],
        );
        let want: Vec<String> = code.iter().map(|c| c.to_string()).collect();
        assert_eq!(codes(&json(&dir)), want, "{code:?}");
    }
}
