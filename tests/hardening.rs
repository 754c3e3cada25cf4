//! The compose hardening rules as users of compose-lint, KICS and dclint meet
//! them: their ids work as aliases, the equivalents are listed, opt-in rules
//! stay off until selected.

use assert_cmd::Command;

fn seaworthy(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("seaworthy")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const FIXTURE: &str = "fixtures/cli/hardening";

/// `check --no-config --format concise --select RULES` over a project made
/// of one `compose.yaml`, in a directory of its own named `tag`.
fn lint_compose(tag: &str, yaml: &str, rules: &str) -> String {
    let dir = std::env::temp_dir().join(format!("seaworthy-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("compose.yaml"), yaml).unwrap();
    let (_, out, err) = seaworthy(&[
        "check",
        "--no-config",
        "--format",
        "concise",
        "--select",
        rules,
        dir.to_str().unwrap(),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(err.is_empty(), "{err}");
    out
}

fn codes(concise: &str) -> Vec<String> {
    concise
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect()
}

#[test]
fn compose_lint_ids_select_ignore_and_explain() {
    let (_, by_alias, _) = seaworthy(&[
        "check",
        "--no-config",
        "--format",
        "concise",
        "--select",
        "CL-0001",
        FIXTURE,
    ]);
    assert_eq!(codes(&by_alias), ["CM502"], "{by_alias}");
    let (_, ignored, _) = seaworthy(&[
        "check",
        "--no-config",
        "--format",
        "concise",
        "--select",
        "CM50",
        "--ignore",
        "cl-0001",
        FIXTURE,
    ]);
    assert!(!codes(&ignored).contains(&"CM502".to_string()), "{ignored}");
    assert!(codes(&ignored).contains(&"CM501".to_string()), "{ignored}");
    let (code, manual, _) = seaworthy(&["explain", "CL-0002"]);
    assert_eq!(code, Some(0));
    assert!(manual.starts_with("# CM501 privileged"), "{manual}");
}

#[test]
fn an_inline_suppression_takes_the_compose_lint_id() {
    let out = lint_compose(
        "suppression",
        "services:\n  agent:\n    image: ghcr.io/acme/agent:1.4.2\n    # seaworthy: ignore[CL-0002] the agent manages devices\n    privileged: true\n",
        "CM501,SW001",
    );
    assert!(codes(&out).is_empty(), "{out}");
}

#[test]
fn rules_lists_equivalents_and_scores() {
    let (_, json, _) = seaworthy(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rule = |code: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()
            .clone()
    };
    let socket = rule("CM502");
    assert_eq!(socket["compose_lint"][0], "CL-0001");
    assert_eq!(socket["kics"][0], "Docker Socket Mounted In Container");
    assert_eq!(socket["security_severity"], "9.0");
    assert_eq!(rule("CM508")["dclint"][0], "no-unbound-port-interfaces");
    assert!(rule("CM514")["security_severity"].is_null());
    for code in ["CM509", "CM510", "CM511", "CM513"] {
        assert_eq!(rule(code)["opt_in"], true, "{code}");
    }
    let (_, text, _) = seaworthy(&["rules"]);
    let line = text.lines().find(|l| l.starts_with("CM509")).unwrap();
    assert!(line.ends_with("info, opt-in        fix: unsafe"), "{line}");
    assert_eq!(rule("CM509")["fixable"], "unsafe");
    assert_eq!(rule("CM403")["fixable"], "no");
}

#[test]
fn opt_in_rules_stay_off_until_selected() {
    let (_, default, _) = seaworthy(&["check", "--no-config", "--format", "concise", FIXTURE]);
    let found = codes(&default);
    for code in ["CM509", "CM510", "CM511", "CM513"] {
        assert!(!found.contains(&code.to_string()), "{code}: {default}");
    }
    for code in ["CM501", "CM502", "CM508", "CM514"] {
        assert!(found.contains(&code.to_string()), "{code}: {default}");
    }
    let (_, selected, _) = seaworthy(&[
        "check",
        "--no-config",
        "--format",
        "concise",
        "--extend-select",
        "CM509",
        FIXTURE,
    ]);
    assert!(
        codes(&selected).contains(&"CM509".to_string()),
        "{selected}"
    );
}

/// Cases of the kinds KICS and compose-lint test their Compose queries on,
/// written here, with seaworthy's verdict: the rule expected, or none.
/// Where a peer decides otherwise on purpose, the rule's manual says why.
#[test]
fn verdicts_on_the_kinds_of_file_peers_test() {
    let svc =
        |lines: &str| format!("services:\n  app:\n    image: ghcr.io/acme/app:1.4.2\n{lines}");
    let cases: &[(&str, &str, bool)] = &[
        ("CM501", "    privileged: true\n", true),
        ("CM501", "    privileged: false\n", false),
        ("CM502", "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]\n", true),
        ("CM502", "    volumes: [\"/var/run/docker.sock:/var/run/docker.sock:ro\"]\n", true),
        ("CM502", "    volumes:\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /run/containerd/containerd.sock\n", true),
        ("CM502", "    volumes: [\"/run/myapp:/run/myapp\"]\n", false),
        ("CM503", "    pid: host\n", true),
        ("CM503", "    ipc: host\n", true),
        ("CM503", "    network_mode: host\n", true),
        ("CM503", "    userns_mode: host\n", true),
        ("CM503", "    ipc: shareable\n", false),
        ("CM504", "    cap_add: [SYS_ADMIN]\n", true),
        ("CM504", "    cap_add: [CHOWN, NET_BIND_SERVICE]\n", false),
        ("CM505", "    security_opt: [\"seccomp:unconfined\"]\n", true),
        ("CM505", "    security_opt: [\"seccomp=unconfined\"]\n", true),
        ("CM505", "    security_opt: [\"apparmor:docker-default\"]\n", false),
        ("CM507", "    volumes: [\"/etc:/etc\"]\n", true),
        ("CM507", "    volumes:\n      - type: bind\n        source: /etc/letsencrypt\n        target: /certs\n", false),
        ("CM507", "    volumes: [\"/etcd-data:/data\"]\n", false),
        ("CM507", "    volumes: [\"./volumes/data:/data\"]\n", false),
        ("CM508", "    ports: [\"5432:5432\"]\n", true),
        ("CM508", "    ports: [\"0.0.0.0:5432:5432\"]\n", true),
        ("CM508", "    ports: [\"127.0.0.1:5432:5432\"]\n", false),
        ("CM508", "    ports: [\"[::1]:5432:5432\"]\n", false),
        ("CM508", "    ports:\n      - target: 5432\n        published: \"5432\"\n", true),
        ("CM508", "    ports:\n      - target: 5432\n        published: \"5432\"\n        host_ip: 127.0.0.1\n", false),
        ("CM509", "    security_opt: [\"no-new-privileges:false\"]\n", true),
        ("CM509", "    security_opt: [\"no-new-privileges=true\"]\n", false),
        ("CM509", "    security_opt: [\"no-new-privileges\"]\n", false),
        ("CM515", "    volumes:\n      - type: bind\n        source: /srv\n        target: /srv\n        bind:\n          propagation: rshared\n", true),
        ("CM515", "    volumes: [\"/srv:/srv:shared\"]\n", true),
        ("CM515", "    volumes: [\"/srv:/srv:rslave\"]\n", false),
        // what a second reading of the peers' cases added
        ("CM502", "    volumes: [\"/run/systemd:/run/systemd:ro\"]\n", true),
        ("CM502", "    volumes: [\"sock:/var/run/docker.sock\"]\nvolumes:\n  sock:\n    driver_opts: {o: rbind, device: /var/run/docker.sock}\n", true),
        ("CM505", "    security_opt: [\"label:type:spc_t\"]\n", true),
        ("CM506", "    device_cgroup_rules: ['b *:* rwm']\n", true),
        ("CM506", "    device_cgroup_rules: ['c 189:* rwm']\n", false),
        ("CM507", "    volumes: [\"/srv/../etc:/host-etc\"]\n", true),
        ("CM507", "    volumes: [\"/etc/cron.d:/etc/cron.d\"]\n", true),
        ("CM507", "    volumes: [\"/etc/cron.d:/etc/cron.d:ro\"]\n", false),
        ("CM507", "    volumes: [\"data:/data\"]\nvolumes:\n  data:\n    driver_opts: {type: none, o: \"bind,ro\", device: /sys/fs/cgroup}\n", false),
        ("CM508", "    ports: [\"db.internal:5432:5432\"]\n", false),
        ("CM508", "    ports: [\"100.101.102.103:5432:5432\"]\n", false),
        ("CM508", "    ports: [\"80-81:80-81\"]\n", true),
    ];
    for (i, (code, lines, fires)) in cases.iter().enumerate() {
        let out = lint_compose(&format!("peers-{i}"), &svc(lines), code);
        assert_eq!(
            codes(&out).contains(&code.to_string()),
            *fires,
            "{code}\n{lines}\n{out}"
        );
    }
}

#[test]
fn namespaces_and_conflicts_follow_what_docker_does() {
    // `container:NAME` names a container: the service whose `container_name` it is
    let out = lint_compose(
        "namespaces",
        "services:\n  tunnel:\n    image: ghcr.io/acme/tunnel:1.4.2\n    container_name: edge\n    network_mode: host\n    ports: [\"8080:8080\"]\n  app:\n    image: ghcr.io/acme/app:1.4.2\n    network_mode: container:edge\n  web:\n    image: ghcr.io/acme/web:1.4.2\n    ports: [\"8080:8080\"]\n",
        "CM503,CM514",
    );
    let found = codes(&out);
    assert_eq!(found.iter().filter(|c| *c == "CM503").count(), 2, "{out}");
    assert!(out.contains("through `tunnel`"), "{out}");
    // the host-networked service's `ports` are ignored: no conflict
    assert!(!found.contains(&"CM514".to_string()), "{out}");
}

/// A host path starting with the deploying user's runtime or home directory
/// is judged as written, whatever the environment the lint runs in: rootless
/// Docker and Podman keep their sockets and storage there.
#[test]
fn paths_below_the_users_own_directories_are_judged() {
    let dir = std::env::temp_dir().join(format!("seaworthy-session-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  collector:\n    image: ghcr.io/acme/collector:1.4.2\n    volumes:\n      - ${XDG_RUNTIME_DIR}/podman/podman.sock:/var/run/docker.sock:Z\n      - \"$HOME/.local/share/containers/storage:/hostfs/storage\"\n      - ${XDG_RUNTIME_DIR}/pulse/native:/run/pulse:ro\n      - ${DATA_DIR}/docker.sock:/data\n      - type: bind\n        source: ${XDG_RUNTIME_DIR}/docker.sock\n        target: /var/run/docker.sock\n      - type: bind\n        source: ${DATA_DIR}/run/docker.sock\n        target: /srv/docker.sock\n",
    )
    .unwrap();
    for (unset, home) in [(true, "/home/deploy"), (false, "/root")] {
        let mut cmd = Command::cargo_bin("seaworthy").unwrap();
        cmd.env("NO_COLOR", "1").env("HOME", home);
        if unset {
            cmd.env_remove("XDG_RUNTIME_DIR");
        } else {
            cmd.env("XDG_RUNTIME_DIR", "/run/user/1000");
        }
        let out = cmd
            .args([
                "check",
                "--no-config",
                "--format",
                "concise",
                "--select",
                "CM502,CM507",
            ])
            .arg(&dir)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().filter(|l| l.contains('[')).collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains(":5:9: error[CM502]"), "{text}");
        assert!(lines[2].contains(":10:17: error[CM502]"), "{text}");
        assert!(
            lines[1].contains(":6:") && lines[1].contains("error[CM507]"),
            "{text}"
        );
        if unset {
            assert!(
                lines[0].contains("`${XDG_RUNTIME_DIR}/podman/podman.sock`"),
                "{text}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
