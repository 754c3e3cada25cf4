//! `.seaworthy.yaml` as users write it: discovery (nearest wins, no merging),
//! `--config`/`--no-config`, precedence over and under the command line,
//! every key, and errors shown with their span in the file (exit 2).

mod common;

use assert_cmd::Command;
use common::{check_concise as run, write_files};

const SERVICE: &str = "services:\n  web:\n    image: nginx:1.27\n";
const CLEAN: &str = "services:\n  web:\n    image: nginx:1.27\n    restart: unless-stopped\n    \
                     healthcheck:\n      test: [\"CMD\", \"nginx\", \"-t\"]\n    logging:\n      \
                     options:\n        max-size: 10m\n    deploy:\n      resources:\n        \
                     limits: {memory: 128M, cpus: \"0.5\", pids: 100}\n";

#[test]
fn the_nearest_configuration_wins_and_parents_do_not_merge() {
    let dir = common::scratch_dir("config-nearest");
    write_files(
        &dir,
        &[
            (".seaworthy.yaml", "select: [CM101]\n"),
            ("compose.yaml", SERVICE),
            ("team/.seaworthy.yaml", "select: [CM201]\n"),
            ("team/compose.yaml", SERVICE),
        ],
    );
    let (code, found, _) = run(&dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "compose.yaml warning[CM101]",
            "team/compose.yaml warning[CM201]"
        ]
    );
    // From inside the subdirectory the same configurations apply.
    let (_, found, _) = run(&dir.join("team"), &["."]);
    assert_eq!(found, ["compose.yaml warning[CM201]"]);
    // `--config` applies one file everywhere; `--no-config` none.
    let (_, found, _) = run(&dir, &["--config", "team/.seaworthy.yaml"]);
    assert_eq!(
        found,
        [
            "compose.yaml warning[CM201]",
            "team/compose.yaml warning[CM201]"
        ]
    );
    let (_, found, _) = run(&dir, &["--no-config", "--select", "CM1"]);
    assert_eq!(found.len(), 4, "{found:?}");
    let (code, _, stderr) = run(&dir, &["--config", "missing.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.yaml"), "{stderr}");
}

#[test]
fn the_command_line_overrides_the_file() {
    let dir = common::scratch_dir("config-precedence");
    write_files(
        &dir,
        &[
            (
                ".seaworthy.yaml",
                "select: [CM101, CM201]\nignore: [CM201]\nfail-on: error\n",
            ),
            ("compose.yaml", SERVICE),
        ],
    );
    // fail-on: error in the file, so a warning passes …
    let (code, found, _) = run(&dir, &[]);
    assert_eq!((code, found.len()), (0, 1));
    // … unless the command line says otherwise.
    assert_eq!(run(&dir, &["--fail-on", "warning"]).0, 1);
    // --select replaces the file's selection, --extend-select adds, --ignore removes.
    let (_, found, _) = run(&dir, &["--select", "CM103"]);
    assert_eq!(found, ["compose.yaml warning[CM103]"]);
    let (_, found, _) = run(&dir, &["--extend-select", "CM201"]);
    assert_eq!(found.len(), 2);
    let (_, found, _) = run(&dir, &["--ignore", "CM101"]);
    assert!(found.is_empty());
}

#[test]
fn a_command_line_secret_is_allowed_by_its_bare_flag_name() {
    let dir = common::scratch_dir("config-allowed-flags");
    let compose = "services:\n  cache:\n    image: redis:7.4\n    \
                   command: redis-server --requirepass hunter2hunter2\n  \
                   db:\n    image: postgres:17\n    \
                   command: sh -c 'PGPASSWORD=hunter2hunter2 psql -h db'\n";
    write_files(&dir, &[("compose.yaml", compose)]);
    let (_, found, _) = run(&dir, &["--select", "CM407"]);
    assert_eq!(found.len(), 2, "{found:?}");
    write_files(
        &dir,
        &[(
            ".seaworthy.yaml",
            "options:\n  CM407:\n    allowed-names: [requirepass, PGPASSWORD]\n",
        )],
    );
    let (_, found, _) = run(&dir, &["--select", "CM407"]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn severity_options_and_overrides_apply_per_file() {
    let dir = common::scratch_dir("config-keys");
    write_files(
        &dir,
        &[
            (
                ".seaworthy.yaml",
                "select: [CM101, CM201, CM402, DF402]\n\
                 severity:\n  CM101: error\n\
                 options:\n  memory-limit-missing:\n    exempt-services: [\"*-job\"]\n  \
                 CM402:\n    secret-names: [\"*_SEED\"]\n    allowed-names: [TEST_PASSWORD]\n\
                 overrides:\n  - files: [staging]\n    severity: {CM101: info}\n    ignore: [CM402]\n",
            ),
            (
                "compose.yaml",
                "services:\n  nightly-job:\n    image: app:1\n    healthcheck: {disable: true}\n  \
                 web:\n    image: app:1\n    environment:\n      APP_SEED: s0d1um\n      \
                 TEST_PASSWORD: hunter2\n",
            ),
            (
                "staging/compose.yaml",
                "services:\n  web:\n    image: app:1\n    environment:\n      APP_SEED: x1\n",
            ),
            ("Dockerfile", "FROM alpine:3.20\nENV APP_SEED=x1\n"),
        ],
    );
    let (_, found, _) = run(&dir, &[]);
    assert_eq!(
        found,
        [
            // The Dockerfile rule has no `secret-names`: only CM402 was told.
            "compose.yaml error[CM101]",
            "compose.yaml warning[CM201]",
            "compose.yaml error[CM402]",
            "staging/compose.yaml info[CM101]",
            "staging/compose.yaml warning[CM201]",
        ]
    );
}

#[test]
fn env_file_profiles_and_exclude_come_from_the_file() {
    let dir = common::scratch_dir("config-project");
    write_files(
        &dir,
        &[
            (
                ".seaworthy.yaml",
                "select: [CM403]\nenv-file: env/prod.env\nprofiles: [prod]\nexclude: [legacy]\n",
            ),
            ("env/prod.env", "TAG=latest\n"),
            ("env/empty.env", ""),
            (
                "compose.yaml",
                "services:\n  web:\n    image: nginx:${TAG:-1.27}\n  debug:\n    \
                 image: busybox\n    profiles: [debug]\n",
            ),
            (
                "legacy/compose.yaml",
                "services:\n  old:\n    image: nginx\n",
            ),
        ],
    );
    let (_, found, _) = run(&dir, &[]);
    assert_eq!(
        found,
        ["compose.yaml warning[CM403]"],
        "TAG from the env file; `debug` not in `prod`"
    );
    // The command line replaces both.
    let (_, found, stderr) = run(&dir, &["--profile", "debug", "--env-file", "env/empty.env"]);
    assert_eq!(found, ["compose.yaml warning[CM403]"], "{stderr}");
    // Explicit paths are linted even when excluded, unless --force-exclude.
    let (_, found, _) = run(&dir, &["legacy/compose.yaml"]);
    assert_eq!(found, ["legacy/compose.yaml warning[CM403]"]);
    let (code, found, stderr) = run(&dir, &["--force-exclude", "legacy/compose.yaml"]);
    assert_eq!((code, found.len()), (0, 0));
    assert!(stderr.contains("no compose file"), "{stderr}");
}

#[test]
fn a_broken_configuration_stops_the_run_with_its_spans() {
    let dir = common::scratch_dir("config-broken");
    write_files(
        &dir,
        &[
            (
                ".seaworthy.yaml",
                "ignore: [healthcheck-mising]\noptions:\n  CM101:\n    exempt: [x]\n",
            ),
            ("compose.yaml", CLEAN),
        ],
    );
    for format in ["concise", "json", "sarif"] {
        let (code, found, stderr) = run(&dir, &["--format", format]);
        assert_eq!(code, 2, "{format}");
        assert!(
            found.is_empty(),
            "nothing is linted with a broken configuration"
        );
        assert!(
            stderr.contains("invalid configuration in .seaworthy.yaml"),
            "{stderr}"
        );
    }
    let (_, _, stderr) = run(&dir, &[]);
    insta::assert_snapshot!(stderr);
    // A broken file elsewhere in the tree stops the run too.
    write_files(
        &dir,
        &[
            (".seaworthy.yaml", ""),
            ("sub/.seaworthy.yaml", "fail-on: [x]\n"),
            ("sub/compose.yaml", CLEAN),
        ],
    );
    let (code, _, stderr) = run(&dir, &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("sub/.seaworthy.yaml"), "{stderr}");
}

#[test]
fn init_writes_a_starter_that_loads_and_can_ignore_todays_findings() {
    let dir = common::scratch_dir("config-init");
    write_files(&dir, &[("compose.yaml", SERVICE)]);
    let init = |args: &[&str]| {
        Command::cargo_bin("seaworthy")
            .unwrap()
            .current_dir(&*dir)
            .arg("init")
            .args(args)
            .output()
            .unwrap()
    };
    assert!(init(&[]).status.success());
    let starter = std::fs::read_to_string(dir.join(".seaworthy.yaml")).unwrap();
    assert!(starter.contains("# select:") && starter.contains("# overrides:"));
    // the opt-in rules are named, so a team knows what it can turn on
    for rule in seaworthy::rules::RULES.iter().filter(|r| r.meta.opt_in) {
        let line = format!("#   {} {}\n", rule.meta.code, rule.meta.name);
        assert!(starter.contains(&line), "{line}");
    }
    seaworthy::config::load(&dir.join(".seaworthy.yaml")).expect("the starter loads");
    assert_eq!(run(&dir, &[]).0, 1, "the starter changes nothing");
    assert_eq!(init(&[]).status.code(), Some(2), "an existing file is kept");
    let out = init(&["--from-findings", "--force"]);
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(dir.join(".seaworthy.yaml")).unwrap();
    assert!(
        text.contains("  - CM101  # healthcheck-missing: 1 finding"),
        "{text}"
    );
    let (code, found, _) = run(&dir, &[]);
    assert_eq!((code, found.len()), (0, 0), "{found:?}");
}
