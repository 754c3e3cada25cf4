//! Secrets never reach any output, whatever rules run: every format, the
//! statistics, written reports and baselines, `init --from-findings` and
//! `config`, with the secret rules deselected, ignored, suppressed inline or
//! baselined. The fixture holds each kind of secret the detector knows, each
//! next to a finding of another rule so that it is shown as context.

mod common;

use std::path::Path;

use assert_cmd::Command;

const FIXTURE: &str = "fixtures/secrets/leak";

/// Every secret of the fixture (the distinctive part of each).
const SECRETS: &[&str] = &[
    "TopSecretPw1",
    "UrlPassw0rd5",
    "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    "51HxYzAbCdEfGhIjKlMnOpQr",
    "AKIA2E0A8F3B244C9986",
    "wJalrXUtnFEMIK7MDENGbPxRfiCYzzzz9AwsKey",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCPemBody",
    "DefaultS3cretValue",
    "changeme-please",
    "NpmBuildT0ken77",
    "R3disPassw0rd",
    "PgPassw0rd9",
    "HealthMysqlPw3",
    "RunMysqlPw1",
    "DockerfileEnvS3cret",
    "LabelPassw0rd7",
    "FinalStageJwtS3cret",
    "EnvFileSmtpPass8",
    "DotenvApiT0ken6",
];

const SECRET_RULES: &str = "CM402,CM405,CM406,CM407,DF402,DF404";

const FORMATS: &[&str] = &[
    "human",
    "concise",
    "json",
    "sarif",
    "github",
    "gitlab",
    "junit",
    "checkstyle",
];

fn seaworthy(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("seaworthy").unwrap();
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Runs `seaworthy ARGS` in `dir`: stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = seaworthy(dir).args(args).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fails if `text` holds any secret of the fixture.
fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows `{secret}`:\n{text}");
    }
}

/// A copy of the fixture in a scratch directory (outside the repository, so
/// no `.gitignore` applies).
fn copy() -> common::Scratch {
    let dir = common::scratch_dir("secrets");
    for name in ["compose.yaml", "Dockerfile", ".env"] {
        std::fs::copy(Path::new(FIXTURE).join(name), dir.join(name)).unwrap();
    }
    dir
}

#[test]
fn no_format_shows_a_secret_whatever_rules_run() {
    let here = Path::new(".");
    let selections: &[&[&str]] = &[
        &[],
        &["--select", "CM403"],
        &["--select", "CM403,DF403"],
        &["--ignore", SECRET_RULES],
        &["--select", "CM403,DF403", "--statistics"],
        &["--statistics"],
    ];
    for format in FORMATS {
        for selection in selections {
            if selection.contains(&"--statistics") && !["human", "concise", "json"].contains(format)
            {
                continue;
            }
            let mut args = vec!["check", "--format", format];
            args.extend_from_slice(selection);
            args.push(FIXTURE);
            let (stdout, stderr) = run(here, &args);
            let what = args.join(" ");
            // the findings are there, only the secrets are not
            assert!(
                stdout.contains("CM403") || stdout.contains("image-tag-mutable"),
                "{what}: {stdout}"
            );
            assert_no_secret(&what, &stdout);
            assert_no_secret(&what, &stderr);
        }
    }
}

#[test]
fn the_human_report_shows_every_secret_as_one_fixed_mask() {
    let (stdout, _) = run(
        Path::new("."),
        &["check", "--select", "CM403,DF403", FIXTURE],
    );
    // context lines hold the masks, all of one length
    assert!(stdout.contains("DB_PASSWORD: ********\n"), "{stdout}");
    assert!(
        stdout.contains("DATABASE_URL: postgres://app:********@db/app"),
        "{stdout}"
    );
    assert!(stdout.contains("{AWS_ACCESS_KEY_ID: ********, AWS_SECRET_ACCESS_KEY: ********}"));
    assert!(
        stdout.contains("RUN mysql -uroot -p******** -e"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("*********"),
        "a mask longer than 8: {stdout}"
    );
}

#[test]
fn configuration_suppressions_and_baselines_do_not_unmask() {
    let dir = copy();
    // (some formats print nothing when nothing is found, as when baselined)
    let all_formats = |dir: &Path, extra: &[&str], what: &str| {
        for format in FORMATS {
            let mut args = vec!["check", "--format", format];
            args.extend_from_slice(extra);
            let (stdout, stderr) = run(dir, &args);
            assert_no_secret(&format!("{what} {format}"), &stdout);
            assert_no_secret(&format!("{what} {format}"), &stderr);
        }
    };

    // a configuration ignoring the secret rules and re-grading another
    std::fs::write(
        dir.join(".seaworthy.yaml"),
        format!("ignore: [{SECRET_RULES}]\nseverity:\n  CM403: error\n"),
    )
    .unwrap();
    all_formats(&dir, &[], "configured");
    std::fs::remove_file(dir.join(".seaworthy.yaml")).unwrap();

    // every secret finding written to files, in every format, and a baseline
    let mut args: Vec<String> = vec!["check".into(), "--format".into(), "concise".into()];
    for format in FORMATS {
        args.push("--report".into());
        args.push(format!("{format}=report.{format}"));
    }
    let (stdout, _) = run(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(stdout.contains("CM402"), "{stdout}");
    for format in FORMATS {
        let written = std::fs::read_to_string(dir.join(format!("report.{format}"))).unwrap();
        assert!(written.contains("CM402"), "{format}: {written}");
        assert_no_secret(&format!("report.{format}"), &written);
    }
    let (stdout, stderr) = run(&dir, &["check", "--write-baseline", "baseline.json"]);
    assert_no_secret("--write-baseline", &(stdout + &stderr));
    let baseline = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    assert!(baseline.contains("CM402"), "{baseline}");
    assert_no_secret("the baseline", &baseline);
    all_formats(&dir, &["--baseline", "baseline.json"], "baselined");

    // inline suppressions of the secret rules
    let compose = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    std::fs::write(
        dir.join("compose.yaml"),
        format!("# seaworthy: ignore-file[CM402, CM405, CM407]\n{compose}"),
    )
    .unwrap();
    let dockerfile = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
    std::fs::write(
        dir.join("Dockerfile"),
        format!("# seaworthy: ignore-file[DF402, DF404]\n{dockerfile}"),
    )
    .unwrap();
    all_formats(&dir, &["--ignore", "CM406"], "suppressed");

    // `init --from-findings` ignores every rule with findings, secret rules too
    let (stdout, stderr) = run(&dir, &["init", "--from-findings"]);
    assert_no_secret("init", &(stdout + &stderr));
    let written = std::fs::read_to_string(dir.join(".seaworthy.yaml")).unwrap();
    assert_no_secret("the written configuration", &written);
    all_formats(&dir, &[], "initialised");
}

#[test]
fn config_masks_secrets_unless_asked_to_show_them() {
    for format in ["json", "yaml"] {
        let (stdout, stderr) = run(Path::new("."), &["config", "--format", format, FIXTURE]);
        assert!(stdout.contains("DB_PASSWORD"), "{stdout}");
        assert_no_secret(&format!("config --format {format}"), &stdout);
        assert_no_secret(&format!("config --format {format}"), &stderr);
    }
    let (stdout, _) = run(Path::new("."), &["config", "--show-secrets", FIXTURE]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let env = |service: &str, name: &str| json["services"][service]["environment"][name].clone();
    assert_eq!(env("named", "DB_PASSWORD"), "TopSecretPw1");
    // the value `.env` gives a variable is in the resolved model
    assert_eq!(env("fromenv", "SMTP_PASS"), "EnvFileSmtpPass8");
}

#[test]
fn config_findings_quote_the_file_with_its_secrets_masked() {
    let dir = copy();
    let compose = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    // an unknown key right after the password: its context line holds it
    std::fs::write(
        dir.join("compose.yaml"),
        compose.replace(
            "      DB_PASSWORD: TopSecretPw1\n",
            "      DB_PASSWORD: TopSecretPw1\n    imagee: nginx:1\n",
        ),
    )
    .unwrap();
    let (stdout, stderr) = run(&dir, &["config"]);
    assert!(stderr.contains("unknown key `imagee`"), "{stderr}");
    assert!(stderr.contains("DB_PASSWORD: ********"), "{stderr}");
    assert_no_secret("config stderr", &stderr);
    assert_no_secret("config stdout", &stdout);
}
