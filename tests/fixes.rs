//! The fixer's safety net: `--fix --unsafe-fixes` with every rule on every
//! fixture, the examples and (under `SEAWORTHY_CORPUS`) the shared corpora,
//! each copied to a scratch folder first. After fixing:
//!
//! - every file parses as well as it did (no new syntax finding);
//! - Docker Compose accepts every compose file, and every project of a
//!   default file with its override file, it accepted before, and its
//!   normalised model (`config --format json`) differs only in the fields
//!   the fixes write (`restart`, `logging`, `security_opt`, `ports`,
//!   `healthcheck`, `init`);
//! - no finding with a fix is left, and a second run fixes nothing;
//! - every comment line is still there, in order, and a file with CRLF line
//!   breaks has no bare LF.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use seaworthy::compose::Environment;
use seaworthy::config::{ConfigSource, Layer};
use seaworthy::engine::{self, CheckOptions};
use seaworthy::fix::Safety;

/// The fields of a service the fixes may change.
const FIXED_FIELDS: &[&str] = &[
    "restart",
    "logging",
    "security_opt",
    "ports",
    "healthcheck",
    "init",
];

/// Copies the tree at `from` to `to`, symbolic links as links.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&src).unwrap(), &dst).unwrap();
        } else if kind.is_dir() {
            copy_tree(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

fn options() -> CheckOptions {
    CheckOptions {
        process_env: Environment::empty(),
        config: ConfigSource::Disabled,
        cli: Layer {
            select: Some(seaworthy::rules::RULES.iter().collect()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Docker Compose's normalised model of `target`, or its complaint: a file
/// alone (`-f`), or a directory's project (its default file merged with its
/// override file).
fn compose_config(bin: &Path, target: &Path) -> Result<serde_json::Value, String> {
    let mut command = Command::new(bin);
    if target.is_dir() {
        command.current_dir(target);
    } else {
        command
            .arg("-f")
            .arg(target.file_name().unwrap())
            .current_dir(target.parent().unwrap());
    }
    let out = command
        .args(["config", "--format", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_default())
        .env("COMPOSE_PROJECT_NAME", "fixes")
        .output()
        .expect("run docker-compose");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

/// The paths (`services.web.restart`) where `a` and `b` differ.
fn differences(a: &serde_json::Value, b: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    use serde_json::Value::{Array, Object};
    match (a, b) {
        (Object(x), Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let null = serde_json::Value::Null;
                let path = format!("{at}.{key}");
                differences(
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    &path,
                    out,
                );
            }
        }
        (Array(x), Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(p, q, &format!("{at}[{i}]"), out);
            }
        }
        _ if a != b => out.push(at.to_string()),
        _ => {}
    }
}

/// Whether the model difference at `path` is in a field the fixes write: of
/// a service, or of an extension (`x-…`) a shared anchor is written in.
fn in_fixed_field(path: &str) -> bool {
    let mut parts = path.trim_start_matches('.').split(['.', '[']);
    match parts.next() {
        Some("services") => {
            parts.next().is_some() && parts.next().is_some_and(|f| FIXED_FIELDS.contains(&f))
        }
        Some(x) if x.starts_with("x-") => parts.next().is_some_and(|f| FIXED_FIELDS.contains(&f)),
        _ => false,
    }
}

fn comment_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect()
}

/// Whether `part` appears in `whole` in order.
fn in_order(part: &[&str], whole: &[&str]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|p| rest.any(|w| w == p))
}

/// Syntax findings per file of a run.
fn syntax_findings(outcome: &engine::Outcome) -> BTreeMap<PathBuf, usize> {
    let mut out = BTreeMap::new();
    for d in &outcome.diagnostics {
        if d.code.starts_with("YM") || d.code == "CM001" || d.code == "DF001" {
            *out.entry(outcome.sources.get(d.file).path().to_path_buf())
                .or_default() += 1;
        }
    }
    out
}

/// Copies `dir` to a scratch folder, fixes everything there and checks the
/// result; returns how many fixes were applied.
fn safety_net(dir: &Path, compose: Option<&Path>) -> usize {
    let scratch = common::scratch_dir("fixes");
    let root = scratch.join(dir.file_name().unwrap());
    copy_tree(dir, &root);
    let paths = [root.clone()];
    let opts = options();
    let mut targets = common::files_under(&root, &|p| seaworthy::discover::is_compose_file(p));
    // and each project of a default file with its override file
    let projects: Vec<PathBuf> = targets
        .iter()
        .filter_map(|f| f.parent())
        .filter(|d| seaworthy::compose::files::default_files(d, &Default::default()).len() == 2)
        .map(Path::to_path_buf)
        .collect();
    targets.extend(projects);
    targets.sort();
    targets.dedup();
    let accepted: BTreeMap<PathBuf, serde_json::Value> = compose
        .map(|bin| {
            targets
                .iter()
                .filter_map(|f| Some((f.clone(), compose_config(bin, f).ok()?)))
                .collect()
        })
        .unwrap_or_default();
    let before = engine::check(&paths, &opts);
    let run = engine::fix::run(&paths, &opts, Safety::Unsafe, &mut |_| {});
    let name = dir.display();
    assert!(!run.unconverged, "{name}: fixes did not converge");
    assert_eq!(run.broke, 0, "{name}: a fix would have broken a file");
    let left: Vec<String> = run
        .outcome
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .map(|d| {
            let path = run.outcome.sources.get(d.file).path().display().to_string();
            format!("{path}: {} {}", d.code, d.message)
        })
        .collect();
    assert!(left.is_empty(), "{name}: fixable findings left: {left:#?}");
    for c in &run.changed {
        std::fs::write(&c.path, &*c.after).unwrap();
        let shown = c.path.display();
        assert!(
            in_order(&comment_lines(&c.before), &comment_lines(&c.after)),
            "{shown}: a comment line changed"
        );
        let crlf = |t: &str| t.matches("\r\n").count() == t.matches('\n').count();
        if c.before.contains("\r\n") && crlf(&c.before) {
            assert!(crlf(&c.after), "{shown}: a bare LF in a CRLF file");
        }
    }
    let (was, is) = (syntax_findings(&before), syntax_findings(&run.outcome));
    for (path, n) in &is {
        assert!(
            *n <= was.get(path).copied().unwrap_or(0),
            "{}: {n} syntax findings after fixing, {} before",
            path.display(),
            was.get(path).copied().unwrap_or(0)
        );
    }
    if let Some(bin) = compose {
        for (file, model) in &accepted {
            let after = compose_config(bin, file)
                .unwrap_or_else(|e| panic!("{}: refused after fixing: {e}", file.display()));
            let mut changed = Vec::new();
            differences(model, &after, "", &mut changed);
            changed.retain(|p| !in_fixed_field(p));
            assert!(
                changed.is_empty(),
                "{}: the fixes changed {changed:?}",
                file.display()
            );
        }
    }
    let again = engine::fix::run(&paths, &opts, Safety::Unsafe, &mut |_| {});
    assert_eq!(again.applied, 0, "{name}: a second run fixed more");
    run.applied
}

#[test]
fn fixing_every_fixture_and_example_keeps_every_file_working() {
    let compose = common::require_docker_compose();
    let mut applied = 0;
    for dir in std::fs::read_dir("fixtures").unwrap().flatten() {
        if dir.path().is_dir() {
            applied += safety_net(&dir.path(), compose.as_deref());
        }
    }
    applied += safety_net(Path::new("examples"), compose.as_deref());
    // the inputs hold findings of every fixable rule
    assert!(applied > 50, "{applied}");
}

#[test]
fn fixing_the_shared_corpora_keeps_every_file_working() {
    let compose = common::require_docker_compose();
    for sub in ["corpus", "realworld"] {
        let Some(dir) = common::shared_corpus(sub) else {
            return;
        };
        let applied = safety_net(&dir, compose.as_deref());
        assert!(applied > 100, "{sub}: {applied}");
    }
}

#[test]
fn model_differences_are_located() {
    let a = serde_json::json!({"services": {"web": {"image": "x", "ports": [{"target": 80}]}}});
    let b = serde_json::json!({"services": {"web": {"image": "x", "ports": [{"target": 80, "host_ip": "127.0.0.1"}], "restart": "always"}}});
    let mut found = Vec::new();
    differences(&a, &b, "", &mut found);
    assert_eq!(
        found,
        [".services.web.ports[0].host_ip", ".services.web.restart"]
    );
    assert!(found.iter().all(|p| in_fixed_field(p)));
    assert!(!in_fixed_field(".services.web.image"));
    assert!(!in_fixed_field(".networks.default"));
    assert!(in_fixed_field(".x-defaults.security_opt"));
    assert!(!in_fixed_field(".x-defaults.image"));
}

fn seaworthy(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const COMPOSE: &str = "version: \"3.8\"   # old\n\n# the web tier\nservices:\n  web:\n    image: nginx:1.27  # pinned\n    ports:\n      - \"8080:80\"\n";
const DOCKERFILE: &str = "FROM debian:12.5\nMAINTAINER Ops <ops@example.com>\nADD app.py /app/\nUSER app\nCMD [\"python3\", \"/app/app.py\"]\n";

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let dir = common::scratch_dir("fix-diff");
    common::write_files(
        &dir,
        &[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)],
    );
    let (code, stdout, stderr) = seaworthy(&dir, &["check", "--diff", "."]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("--- a/compose.yaml\n+++ b/compose.yaml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-version: \"3.8\"   # old\n-\n # the web tier\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-ADD app.py /app/\n") && stdout.contains("+COPY app.py /app/\n"),
        "{stdout}"
    );
    // unsafe fixes are not applied without `--unsafe-fixes`
    assert!(!stdout.contains("127.0.0.1"), "{stdout}");
    assert!(
        stderr.contains("Would fix 3 findings in 2 files."),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("compose.yaml")).unwrap(),
        COMPOSE
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("Dockerfile")).unwrap(),
        DOCKERFILE
    );

    let (code, stdout, _) = seaworthy(&dir, &["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("+      - \"127.0.0.1:8080:80\"\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    restart: unless-stopped\n"),
        "{stdout}"
    );
}

#[test]
fn fix_writes_the_safe_fixes_and_reports_what_remains() {
    let dir = common::scratch_dir("fix-write");
    common::write_files(
        &dir,
        &[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)],
    );
    std::fs::set_permissions(
        dir.join("compose.yaml"),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap();
    let (code, stdout, stderr) = seaworthy(&dir, &["check", "--fix", "--format", "concise", "."]);
    assert!(stderr.contains("Fixed 3 findings in 2 files."), "{stderr}");
    // what remains is reported, and fails the run as usual
    assert_eq!(code, 1, "{stdout}");
    assert!(
        !stdout.contains("CM004") && !stdout.contains("DF202"),
        "{stdout}"
    );
    assert!(stdout.contains("CM508"), "{stdout}");
    assert!(
        stdout.contains("fixable with `--fix --unsafe-fixes`."),
        "{stdout}"
    );
    let compose = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    assert_eq!(
        compose,
        COMPOSE.replacen("version: \"3.8\"   # old\n\n", "", 1)
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(dir.join("compose.yaml"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o640);
    let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    assert_eq!(
        dockerfile,
        "FROM debian:12.5\nLABEL org.opencontainers.image.authors=\"Ops <ops@example.com>\"\nCOPY app.py /app/\nUSER app\nCMD [\"python3\", \"/app/app.py\"]\n"
    );
    // nothing left to fix safely; `--fix-only` says so and exits 0
    let (code, _, stderr) = seaworthy(&dir, &["check", "--fix-only", "."]);
    assert_eq!((code, stderr.trim()), (0, "Nothing to fix."));
    let (code, stdout, _) = seaworthy(&dir, &["check", "--diff", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn suppressed_and_baselined_findings_are_not_fixed() {
    let dir = common::scratch_dir("fix-hidden");
    let text =
        "# seaworthy: ignore[CM004]\nversion: \"3\"\nservices:\n  web:\n    image: nginx:1.27\n";
    common::write_files(&dir, &[("compose.yaml", text), ("Dockerfile", DOCKERFILE)]);
    let (code, _, stderr) = seaworthy(&dir, &["check", "--write-baseline", "base.json", "."]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) =
        seaworthy(&dir, &["check", "--diff", "--baseline", "base.json", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("compose.yaml")).unwrap(),
        text
    );
}

#[test]
fn files_outside_the_named_paths_and_standard_input_are_not_written() {
    let dir = common::scratch_dir("fix-outside");
    common::write_files(
        &dir,
        &[
            ("common/base.yaml", "services:\n  db:\n    image: postgres:17.2\n    ports:\n      - \"5432:5432\"\n"),
            ("app/compose.yaml", "include:\n  - ../common/base.yaml\nservices:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n"),
        ],
    );
    let (_, stdout, stderr) = seaworthy(
        &dir.join("app"),
        &["check", "--diff", "--unsafe-fixes", "."],
    );
    assert!(stdout.contains("+++ b/compose.yaml"), "{stdout}{stderr}");
    assert!(!stdout.contains("base.yaml"), "{stdout}");

    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .args(["check", "--fix", "-"])
        .write_stdin(COMPOSE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use --diff"));
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .args(["check", "--diff", "--stdin-filename", "compose.yaml", "-"])
        .write_stdin(COMPOSE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("-version: \"3.8\""));
    let (code, _, stderr) = seaworthy(&dir, &["check", "--unsafe-fixes", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--unsafe-fixes works with --fix"),
        "{stderr}"
    );
}

#[test]
fn anchors_flow_mappings_and_crlf_keep_their_style() {
    let dir = common::scratch_dir("fix-style");
    // `web` and `worker` share the anchor but only `web` needs the fix: it
    // goes into `web`; `cache` is the anchor `redis`'s only user: into it
    let text = "x-base: &base\r\n  image: nginx:1.27\r\nx-redis: &redis\r\n  image: redis:7.4.1\r\nservices:\r\n  web:\r\n    <<: *base\r\n    init: true\r\n  worker:\r\n    <<: *base\r\n    restart: always\r\n  cache:\r\n    <<: *redis\r\n  api: {image: \"ghcr.io/acme/api:2.3.1\", init: true}\r\n";
    common::write_files(&dir, &[("compose.yaml", text)]);
    let (_, _, stderr) = seaworthy(
        &dir,
        &["check", "--fix", "--unsafe-fixes", "--select", "CM103", "."],
    );
    assert!(stderr.contains("Fixed 3 findings in 1 file."), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("compose.yaml")).unwrap(),
        "x-base: &base\r\n  image: nginx:1.27\r\nx-redis: &redis\r\n  image: redis:7.4.1\r\n  restart: unless-stopped\r\nservices:\r\n  web:\r\n    <<: *base\r\n    init: true\r\n    restart: unless-stopped\r\n  worker:\r\n    <<: *base\r\n    restart: always\r\n  cache:\r\n    <<: *redis\r\n  api: {image: \"ghcr.io/acme/api:2.3.1\", init: true, restart: unless-stopped}\r\n"
    );
}

#[test]
fn an_unused_suppression_leaves_its_list_or_its_line() {
    let dir = common::scratch_dir("fix-suppression");
    let text = "services:\n  web:\n    # seaworthy: ignore[CM101, CM403] upstream has no tags\n    image: nginx:latest\n    # seaworthy: ignore[CM103]\n    restart: always\n";
    common::write_files(&dir, &[("compose.yaml", text)]);
    let (_, _, stderr) = seaworthy(
        &dir,
        &["check", "--fix", "--select", "CM101,CM103,CM403,SW001", "."],
    );
    assert!(stderr.contains("Fixed 2 findings in 1 file."), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.join("compose.yaml")).unwrap(),
        "services:\n  web:\n    # seaworthy: ignore[CM403] upstream has no tags\n    image: nginx:latest\n    restart: always\n"
    );
}

/// The README's promise: `check --fix examples/` leaves files Docker
/// Compose accepts, changed only on the fixed lines.
#[test]
fn fixing_the_examples_leaves_a_project_docker_compose_accepts() {
    let scratch = common::scratch_dir("fix-examples");
    let dir = scratch.join("examples");
    copy_tree(Path::new("examples"), &dir);
    let before = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    let (_, _, stderr) = seaworthy(&dir, &["check", "--fix", "--quiet", "."]);
    let after = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after);
    let changed: Vec<String> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .map(|c| format!("{}{}", c.tag(), c.value().trim_end()))
        .collect();
    assert_eq!(
        changed,
        ["-version: \"3.9\"", "-    healtcheck:", "+    healthcheck:"],
        "{stderr}"
    );
    if let Some(bin) = common::require_docker_compose() {
        let out = Command::new(bin)
            .args(["config", "-q"])
            .current_dir(&dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("COMPOSE_PROJECT_NAME", "examples")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
