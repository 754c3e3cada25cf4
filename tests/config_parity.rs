//! `seaworthy config` against `docker compose config --format json` (Docker
//! Compose 2.40.3, installed by `.ci/run`) on every project of
//! the shared corpus (`$SEAWORTHY_CORPUS/corpus`) and `fixtures/projects/`: the two must agree on whether
//! the project loads, and on every service of a project that loads. The counts
//! per field are printed (`cargo test --test config_parity -- --nocapture`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use seaworthy::compose::canonical::project_json;
use seaworthy::compose::interpolate::VarOrigin;
use seaworthy::compose::Environment;
use seaworthy::diagnostic::Severity;
use seaworthy::source::SourceMap;

/// The fields the issue tracker asked to count.
const FIELDS: [&str; 10] = [
    "image",
    "user",
    "environment",
    "healthcheck",
    "restart",
    "deploy.resources",
    "logging",
    "ports",
    "volumes",
    "depends_on",
];

/// The variables both loaders see.
fn shared_env() -> Vec<(&'static str, String)> {
    ["PATH", "HOME"]
        .into_iter()
        .map(|k| (k, std::env::var(k).unwrap_or_default()))
        .collect()
}

fn theirs(bin: &Path, fixture: &common::ProjectFixture) -> Result<Json, String> {
    let mut cmd = Command::new(bin);
    cmd.args(fixture.args())
        .args(["config", "--format", "json"])
        .current_dir(&fixture.dir)
        .env_clear();
    for (k, v) in shared_env() {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run docker-compose");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

fn field<'a>(service: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(service, |v, k| v.get(k))
}

#[test]
fn config_matches_docker_compose() {
    let Some(bin) = common::require_docker_compose() else {
        return;
    };
    let corpus = common::shared_corpus("corpus");
    // the fixtures alone, or with the shared corpus: at least this many load
    let min_loaded = if corpus.is_some() { 45 } else { 10 };
    let mut projects = corpus
        .map(|dir| common::corpus_projects(&dir))
        .unwrap_or_default();
    projects.extend(common::project_fixtures());
    let mut env = Environment::empty();
    for (k, v) in shared_env() {
        env.set(k, v, VarOrigin::Process);
    }
    let mut problems = Vec::new();
    let mut matched: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut loaded, mut rejected, mut services, mut whole) = (0, 0, 0, 0);
    for fixture in &projects {
        let name = fixture.dir.display().to_string();
        let mut sources = SourceMap::new();
        let project = fixture.load(&mut sources, env.clone());
        let errors: Vec<String> = project
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        let reference = match theirs(&bin, fixture) {
            Ok(json) => json,
            Err(msg) => {
                if errors.is_empty() {
                    problems.push(format!(
                        "{name}: Compose rejects ({msg}), we report nothing"
                    ));
                } else {
                    rejected += 1;
                }
                continue;
            }
        };
        if !errors.is_empty() {
            problems.push(format!("{name}: Compose loads it, we report {errors:?}"));
            continue;
        }
        loaded += 1;
        let ours = project_json(&project);
        let empty = serde_json::Map::new();
        let their_services = reference["services"].as_object().unwrap_or(&empty);
        let our_services = ours["services"].as_object().unwrap_or(&empty);
        let names = |m: &serde_json::Map<String, Json>| m.keys().cloned().collect::<Vec<_>>();
        if names(their_services) != names(our_services) {
            problems.push(format!(
                "{name}: services {:?} vs ours {:?}",
                names(their_services),
                names(our_services)
            ));
            continue;
        }
        for (svc, t) in their_services {
            let o = &our_services[svc];
            services += 1;
            for f in FIELDS {
                if field(t, f) == field(o, f) {
                    *matched.entry(f).or_default() += 1;
                } else {
                    problems.push(format!(
                        "{name}: service `{svc}` field `{f}`: Compose {:?}, ours {:?}",
                        field(t, f),
                        field(o, f)
                    ));
                }
            }
            if t == o {
                whole += 1;
            } else {
                problems.push(format!("{name}: service `{svc}`: Compose {t}\nours {o}"));
            }
        }
    }
    eprintln!(
        "{} projects: {loaded} loaded by both, {rejected} rejected by both; {services} services",
        projects.len()
    );
    for f in FIELDS {
        eprintln!("  {f:<17} {}/{services}", matched.get(f).unwrap_or(&0));
    }
    eprintln!("  whole service     {whole}/{services}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(loaded >= min_loaded, "too few projects compared: {loaded}");
    assert!(
        rejected >= 4,
        "too few invalid projects compared: {rejected}"
    );
}
