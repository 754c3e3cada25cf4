//! Hostile input is cut off by limits instead of being expanded or crashing,
//! and input that is not a readable text file is named clearly without losing
//! the results of the other files.

mod common;

use std::path::Path;
use std::time::Duration;

use common::write_files;
use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::source::{SourceFile, SourceMap, MAX_FILE_BYTES};
use seaworthy::yaml::Tree;

const SERVICE: &str = "services:\n  web:\n    image: nginx:1.27\n";

/// Runs `seaworthy check --format concise ARGS` in `dir`, killed after a
/// minute so a hang fails the test: exit code, `path:line:col code message`
/// of every finding, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir)
        .timeout(Duration::from_secs(60))
        .args(["check", "--no-config", "--format", "concise", "-q"])
        .args(args)
        .output()
        .unwrap();
    let findings = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            // drop the severity: `path:1:2: warning[CM101] message`
            let (at, rest) = l.split_once(": ").unwrap();
            let (_, code_message) = rest.split_once('[').unwrap();
            format!("{at} {}", code_message.replacen(']', "", 1))
        })
        .collect();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap_or(-1), findings, stderr)
}

/// The findings of `path`, with that path removed.
fn of(findings: &[String], path: &str) -> Vec<String> {
    findings
        .iter()
        .filter_map(|f| f.strip_prefix(path))
        .map(str::to_string)
        .collect()
}

#[test]
fn oversized_files_are_refused_and_the_rest_is_still_linted() {
    let dir = common::scratch_dir("limits-size");
    write_files(&dir, &[("ok/compose.yaml", SERVICE)]);
    std::fs::create_dir(dir.join("big")).unwrap();
    // sparse: the size check must come before any reading
    let big = std::fs::File::create(dir.join("big/compose.yaml")).unwrap();
    big.set_len(MAX_FILE_BYTES + 1).unwrap();
    for args in [&["."][..], &["big/compose.yaml", "ok"]] {
        let (code, found, stderr) = run(&dir, args);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("big/compose.yaml") && stderr.contains("over the 16777216-byte limit"),
            "{stderr}"
        );
        assert_eq!(of(&found, "ok/compose.yaml").len(), 6, "{found:?}");
    }
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_are_refused_not_waited_on() {
    let dir = common::scratch_dir("limits-fifo");
    write_files(&dir, &[("ok/compose.yaml", SERVICE)]);
    std::fs::create_dir(dir.join("fifo")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("fifo/compose.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    // a socket cannot even be opened
    std::fs::create_dir(dir.join("socket")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(dir.join("socket/compose.yaml")).unwrap();
    // Named: refused (reading it would wait for a writer forever).
    let (code, found, stderr) = run(
        &dir,
        &[
            "fifo/compose.yaml",
            "socket/compose.yaml",
            "/dev/zero",
            "ok",
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(stderr.matches("not a regular file").count(), 3, "{stderr}");
    assert_eq!(of(&found, "ok/compose.yaml").len(), 6, "{found:?}");
    // Walked: skipped.
    let (code, found, stderr) = run(&dir, &["."]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(found.len(), 6, "{found:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_end_the_walk_and_named_ones_are_errors() {
    let dir = common::scratch_dir("limits-symlinks");
    write_files(&dir, &[("app/compose.yaml", SERVICE)]);
    std::os::unix::fs::symlink("..", dir.join("app/up")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("app/here")).unwrap();
    std::os::unix::fs::symlink("compose.yml", dir.join("compose.yml")).unwrap();
    // Walks do not follow links: each file once, the loops ignored.
    let (code, found, stderr) = run(&dir, &["."]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(of(&found, "app/compose.yaml").len(), 6, "{found:?}");
    assert_eq!(found.len(), 6, "{found:?}");
    // A named path that loops cannot be read; the rest is still linted.
    let (code, found, stderr) = run(&dir, &["compose.yml", "app"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read `compose.yml`: "), "{stderr}");
    assert_eq!(found.len(), 6, "{found:?}");
}

#[test]
fn unreadable_files_are_named_where_they_are_referenced() {
    let dir = common::scratch_dir("limits-unreadable");
    write_files(
        &dir,
        &[
            (
                "compose.yaml",
                "include:\n  - sub\nservices:\n  web:\n    image: nginx:1.27\n    env_file: conf\n    build:\n      context: .\n      dockerfile: img\n",
            ),
            ("sub/compose.yaml", SERVICE),
            ("conf/x", ""),
            ("img/x", ""),
            ("other/compose.yaml", SERVICE),
        ],
    );
    let (code, found, _) = run(&dir, &["compose.yaml", "gone.yaml", "other"]);
    assert_eq!(code, 2, "a missing named path is a usage error");
    let unreadable: Vec<_> = of(&found, "compose.yaml")
        .into_iter()
        .filter(|f| f.contains("CM002"))
        .collect();
    assert_eq!(
        unreadable,
        [
            ":2:5 CM002 cannot read `sub`: is a directory",
            ":6:15 CM002 env file `conf` of service `web` cannot be read: is a directory",
            ":9:19 CM002 service `web` builds `img`, which cannot be read",
        ],
        "{found:?}"
    );
    assert_eq!(of(&found, "other/compose.yaml").len(), 6, "{found:?}");
}

#[test]
fn an_alias_bomb_is_reported_once_and_the_rest_is_still_modelled() {
    let path = "fixtures/limits/alias-bomb.yaml";
    let text = std::fs::read_to_string(path).unwrap();
    let tree = Tree::parse(&text);
    // The tree holds each node once: 9 scalars plus 9 aliases per level, not 9^10 nodes.
    assert!(tree.nodes.len() < 200, "{} nodes", tree.nodes.len());
    assert!(tree.expanded_size(tree.root().unwrap()) > 1_000_000_000);

    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(path, text));
    let loaded = compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
    let bombs: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("aliases expand"))
        .collect();
    assert_eq!(bombs.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(bombs[0].code, "YM001");
    let svc = loaded
        .compose
        .service("bomb")
        .expect("service still modelled");
    assert_eq!(svc.image().map(|(i, _)| i), Some("alpine:3.20"));
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!("x-deep: {}1{}\n", open.repeat(depth), close.repeat(depth));
        let tree = Tree::parse(&text);
        assert!(
            !tree.complete,
            "nesting {depth} deep must hit the parser's limit"
        );
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("deep.yaml", text));
        let loaded =
            compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
        assert!(loaded.diagnostics.iter().any(|d| d.code == "YM001"));
    }
    let block: String = (0..300)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    let tree = Tree::parse(&block);
    assert!(!tree.complete);
}

#[test]
fn a_long_alias_chain_stops_at_the_depth_limit() {
    let mut text = String::from("x-0: &a0 [leaf]\n");
    for i in 1..2000 {
        text.push_str(&format!("x-{i}: &a{i} [*a{}]\n", i - 1));
    }
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("chain.yaml", text));
    let loaded = compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
    assert!(loaded.diagnostics.iter().any(|d| d.code == "YM001"));
}

/// The tree keeps the alias bomb as references (a few lines, not 9^10), and the
/// rendered finding points at the alias where expansion stopped.
#[test]
fn alias_bomb_tree_and_diagnostics_snapshot() {
    let path = "fixtures/limits/alias-bomb.yaml";
    let text = std::fs::read_to_string(path).unwrap();
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(path, text));
    let loaded = compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
    let src = sources.get(id);
    let rendered = seaworthy::report::human::render(
        &loaded.diagnostics,
        &sources,
        &seaworthy::report::human::HumanOptions::default(),
    );
    insta::assert_snapshot!(format!(
        "## tree\n{}\n## diagnostics\n{rendered}",
        loaded.tree.outline(src)
    ));
}

#[test]
fn text_that_is_not_utf8_is_a_finding_and_the_rest_is_still_checked() {
    let dir = common::scratch_dir("limits-encoding");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(SERVICE.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let files: [(&str, &[u8]); 4] = [
        ("utf8/compose.yaml", SERVICE.as_bytes()),
        ("utf16/compose.yaml", &utf16),
        (
            "latin1/compose.yaml",
            b"services:\n  web:\n    image: nginx:1.27\n    labels: {owner: Ren\xe9}\n",
        ),
        (
            "latin1/Dockerfile",
            b"FROM alpine:3.20\nRUN echo caf\xe9\nUSER app\nCMD [\"x\"]\n",
        ),
    ];
    for (name, bytes) in files {
        std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let (code, found, stderr) = run(&dir, &["."]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    // UTF-16 with a byte-order mark reads like UTF-8, as Compose reads it.
    let utf8 = of(&found, "utf8/compose.yaml");
    assert_eq!(utf8.len(), 6, "{found:?}");
    assert_eq!(of(&found, "utf16/compose.yaml"), utf8);
    // Invalid UTF-8 is located, and everything else is still checked.
    let (invalid, rest): (Vec<_>, Vec<_>) = of(&found, "latin1/compose.yaml")
        .into_iter()
        .partition(|f| f.contains("YM001"));
    assert_eq!(invalid, [":4:24 YM001 the file is not valid UTF-8"]);
    assert_eq!(rest, utf8, "{found:?}");
    assert_eq!(
        of(&found, "latin1/Dockerfile"),
        [":2:13 DF001 the file is not valid UTF-8"]
    );
}

#[test]
fn binary_files_with_linted_names_are_one_finding_and_never_printed() {
    let dir = common::scratch_dir("limits-binary");
    // a terminal escape and a NUL: printing this would be a hazard
    let bytes = b"\x1b[2J\x1b]0;owned\x07services:\0\xff\xfe";
    write_files(&dir, &[("ok/compose.yaml", SERVICE)]);
    for name in ["bin/compose.yaml", "bin/Dockerfile"] {
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let (code, found, stderr) = run(&dir, &["."]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        of(&found, "bin/"),
        [
            "Dockerfile:1:1 DF001 the file is binary (a NUL byte at offset 23), not a Dockerfile",
            "compose.yaml:1:1 YM001 the file is binary (a NUL byte at offset 23), not YAML",
        ]
    );
    assert_eq!(of(&found, "ok/compose.yaml").len(), 6, "{found:?}");
    let human = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(&*dir)
        .args(["check", "--no-config", "--color", "never", "bin"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("not YAML") && !stdout.contains('\x1b'),
        "{stdout}"
    );
}

#[test]
fn include_and_extends_stop_at_their_limits() {
    use seaworthy::compose::project::{MAX_EXTENDS_DEPTH, MAX_INCLUDE_DEPTH};
    let dir = common::scratch_dir("limits-references");
    // an include chain twice the depth limit
    for i in 0..2 * MAX_INCLUDE_DEPTH {
        let text = format!(
            "include:\n  - c{}.yaml\nservices:\n  s{i}:\n    image: nginx:1.27\n",
            i + 1
        );
        write_files(&dir, &[(&format!("chain/c{i}.yaml"), &text)]);
    }
    // each file includes the next one twice: 2^40 reads without a budget
    for i in 0..40 {
        let text = format!("include:\n  - d{0}.yaml\n  - d{0}.yaml\n", i + 1);
        write_files(&dir, &[(&format!("diamond/d{i}.yaml"), &text)]);
    }
    write_files(&dir, &[("diamond/d40.yaml", SERVICE)]);
    // an extends chain twice the depth limit
    let mut text = String::from("services:\n");
    for i in 0..2 * MAX_EXTENDS_DEPTH {
        text.push_str(&format!(
            "  s{i}:\n    image: nginx:1.27\n    extends: s{}\n",
            i + 1
        ));
    }
    text.push_str(&format!(
        "  s{}:\n    image: nginx:1.27\n",
        2 * MAX_EXTENDS_DEPTH
    ));
    write_files(&dir, &[("extends/compose.yaml", &text)]);

    let (code, found, stderr) = run(
        &dir,
        &[
            "chain/c0.yaml",
            "diamond/d0.yaml",
            "extends/compose.yaml",
            "--select",
            "CM0",
        ],
    );
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        found,
        [
            "chain/c31.yaml:2:5 CM001 `include` nests more than 32 files deep".to_string(),
            "diamond/d29.yaml:2:5 CM001 the project reads more than 1000 files through `include` and `extends`".to_string(),
            "diamond/d31.yaml:2:5 CM001 `include` nests more than 32 files deep".to_string(),
            "diamond/d31.yaml:3:5 CM001 `include` nests more than 32 files deep".to_string(),
            format!("extends/compose.yaml:{}:14 CM001 `extends` chain longer than 32 services", 3 * MAX_EXTENDS_DEPTH + 4),
        ]
    );
}

#[test]
fn interpolation_nesting_stops_at_its_limit() {
    let dir = common::scratch_dir("limits-interpolation");
    let deep = format!("{}x{}", "${A:-".repeat(100_000), "}".repeat(100_000));
    let text = format!("services:\n  web:\n    image: \"nginx:{deep}\"\n");
    write_files(&dir, &[("compose.yaml", &text)]);
    let (code, found, stderr) = run(&dir, &["--select", "CM001"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(found, [format!("compose.yaml:3:{} CM001 invalid interpolation in `services.web.image`: interpolation nests deeper than 32 levels",
        // the value starts at column 19; the 33rd `${A:-` is where it stops
        19 + 5 * 33)]);
}
