//! Inline suppressions in each form, hadolint's pragmas, unused ones reported,
//! `--disable-suppressions`; and baselines that survive moved lines and a
//! different working directory while new findings still show.

mod common;

use common::{check_concise as run, write_files};

#[test]
fn every_suppression_form_silences_its_finding_only() {
    let dir = common::scratch_dir("suppress-forms");
    write_files(
        &dir,
        &[
            (
                "compose.yaml",
                "services:\n  \
                 web:  # seaworthy: ignore[CM101, restart-policy-missing] behind the proxy's checks\n    \
                 image: nginx:latest\n  \
                 db:\n    \
                 # seaworthy: ignore[image-tag-mutable] pinned by digest in CI\n    \
                 # (reviewed 2026-10)\n    \
                 image: postgres\n  \
                 cache:\n    image: redis\n",
            ),
            ("other/compose.yaml", "# seaworthy: ignore-file[CM1]\nservices:\n  a:\n    image: nginx:1.27\n"),
        ],
    );
    let args = ["--select", "CM101,CM103,CM403"];
    let (_, found, _) = run(&dir, &args);
    assert_eq!(
        found,
        [
            // web: CM101 and CM103 suppressed at the end of its line; its image is not.
            "compose.yaml warning[CM403]",
            // db: only CM403 is suppressed, on the line below the comments.
            "compose.yaml warning[CM101]",
            "compose.yaml warning[CM103]",
            "compose.yaml warning[CM101]",
            "compose.yaml warning[CM103]",
            "compose.yaml warning[CM403]",
        ]
    );
    let (_, all, _) = run(&dir, &[&args[..], &["--disable-suppressions"]].concat());
    assert_eq!(all.len(), 11, "{all:?}");
}

#[test]
fn dockerfiles_take_comments_above_and_hadolint_pragmas() {
    let dir = common::scratch_dir("suppress-dockerfile");
    write_files(
        &dir,
        &[
            (
                "Dockerfile",
                "# hadolint global ignore=DL3006\nFROM node\n\
                 # seaworthy: ignore[DF402] a build-time dummy\n\
                 ENV API_TOKEN=dummy \\\n    NODE_ENV=production\n\
                 # hadolint ignore=DL3025,DL3008\nCMD node server.js\n",
            ),
            (
                "unused.Dockerfile",
                "FROM alpine:3.20\n# hadolint ignore=DL3007\n# seaworthy: ignore[DF403]\n\nUSER app\n",
            ),
        ],
    );
    let (_, found, _) = run(&dir, &["--select", "DF,SW"]);
    assert_eq!(
        found,
        [
            // DF403 (DL3006), DF402 and DF101 (DL3025) are suppressed; the
            // image still runs as root.
            "Dockerfile warning[DF401]",
            // hadolint pragmas that match nothing are not reported; ours is,
            // and a blank line detaches it from `USER`.
            "unused.Dockerfile warning[SW001]",
        ]
    );
}

#[test]
fn suppressions_of_rules_that_did_not_run_are_not_judged() {
    let dir = common::scratch_dir("suppress-unjudged");
    write_files(
        &dir,
        &[(
            "compose.yaml",
            "services:\n  web:  # seaworthy: ignore[CM201]\n    image: nginx:1.27\n",
        )],
    );
    let (_, found, _) = run(&dir, &["--select", "CM101,SW"]);
    assert_eq!(found, ["compose.yaml warning[CM101]"]);
    let (_, found, _) = run(&dir, &["--select", "CM201,SW"]);
    assert!(found.is_empty(), "{found:?}");
    write_files(
        &dir,
        &[(
            "compose.yaml",
            "services:\n  web:  # seaworthy: ignore[CM201]\n    image: nginx:1.27\n    mem_limit: 1g\n",
        )],
    );
    let (_, found, _) = run(&dir, &["--select", "CM201,SW"]);
    assert_eq!(found, ["compose.yaml warning[SW001]"]);
    let (_, found, _) = run(&dir, &["--select", "CM201,SW", "--disable-suppressions"]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_baseline_hides_known_findings_only() {
    let dir = common::scratch_dir("baseline");
    let compose = "services:\n  web:\n    image: nginx:latest\n  db:\n    image: postgres:17\n";
    write_files(&dir, &[("app/compose.yaml", compose)]);
    let args = ["--select", "CM403,CM101"];
    let (code, found, _) = run(&dir, &args);
    assert_eq!((code, found.len()), (1, 3));
    let (code, found, stderr) = run(
        &dir,
        &[&args[..], &["--write-baseline", "ci/baseline.json"]].concat(),
    );
    assert_eq!(
        (code, found.len()),
        (2, 0),
        "the directory must exist: {stderr}"
    );
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    let (code, found, stderr) = run(
        &dir,
        &[&args[..], &["--write-baseline", "ci/baseline.json"]].concat(),
    );
    assert_eq!((code, found.len()), (0, 0), "{stderr}");
    assert!(stderr.contains("Recorded 3 findings"), "{stderr}");
    let (code, found, _) = run(
        &dir,
        &[&args[..], &["--baseline", "ci/baseline.json"]].concat(),
    );
    assert_eq!((code, found.len()), (0, 0));

    // Lines added above, a new service with a new problem, and a run from
    // another directory: only the new finding is reported.
    write_files(
        &dir,
        &[(
            "app/compose.yaml",
            "# the shop\nname: shop\n\nservices:\n  proxy:\n    image: traefik:v3.1\n    \
             healthcheck: {test: [\"CMD\", \"traefik\", \"healthcheck\"]}\n  \
             web:\n    image: nginx:latest\n  cache:\n    image: redis\n  db:\n    image: postgres:17\n",
        )],
    );
    let (code, found, stderr) = run(
        &dir.join("app"),
        &[&args[..], &[".", "--baseline", "../ci/baseline.json"]].concat(),
    );
    assert_eq!(
        found,
        ["compose.yaml warning[CM101]", "compose.yaml warning[CM403]"],
        "{stderr}"
    );
    assert_eq!(code, 1);
    let loud = || {
        let out = assert_cmd::Command::cargo_bin("seaworthy")
            .unwrap()
            .current_dir(&*dir)
            .args([
                "check",
                "--select",
                "CM403,CM101",
                "--baseline",
                "ci/baseline.json",
            ])
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (text, _) = loud();
    assert!(text.contains("(3 in the baseline)"), "{text}");
    assert!(text.contains("service `cache`"), "{text}");

    // Fixing a recorded finding leaves a stale entry, which is said.
    write_files(
        &dir,
        &[(
            "app/compose.yaml",
            compose.replace("latest", "1.27").as_str(),
        )],
    );
    let (_, stderr) = loud();
    assert!(
        stderr.contains("1 baseline entry is no longer found"),
        "{stderr}"
    );

    // A file that is not a baseline is an error.
    let (code, _, stderr) = run(&dir, &["--baseline", "app/compose.yaml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a seaworthy baseline"), "{stderr}");
}
