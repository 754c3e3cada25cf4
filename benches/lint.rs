//! Regression benchmarks: parsing, modelling and every rule on a large compose
//! project and a large Dockerfile, in memory; and whole runs of the engine
//! (discovery, reading, suppressions, sorting) on the same files on disk and
//! on the shared corpus when it is present.
//!
//! `cargo bench --bench lint`; see docs/performance.md.

// the allocator the binary uses (src/main.rs), so the benches measure what ships
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// the corpus copier is for bench/compare.sh only
#[allow(dead_code)]
#[path = "support/inputs.rs"]
mod inputs;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::dockerfile::{self, BuildArgs};
use seaworthy::engine::{self, CheckOptions};
use seaworthy::project::link;
use seaworthy::rules;
use seaworthy::secret;
use seaworthy::source::{SourceFile, SourceMap};

const SIZE: usize = 5000;

/// Parse, model, link and check one compose file; the number of findings.
fn lint_compose(text: &str) -> usize {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("compose.yaml", text.to_string()));
    let env = Environment::empty();
    let loaded = compose::load_file(&sources, id, &env, &LoadOptions::default());
    let load_findings = loaded.diagnostics.len();
    let project = compose::Project::of_file(loaded, PathBuf::from("/nonexistent"), env);
    let linked = link(&mut sources, project, &Default::default());
    // the engine scans for secrets before the rules run, for them and for masking
    let secrets = secret::scan::project(&linked, &sources, &secret::scan::by_convention);
    let (findings, _) = rules::check_project(
        &linked,
        &sources,
        &Default::default(),
        &Default::default(),
        &secrets,
    );
    load_findings + findings.len()
}

/// Parse, model and check one Dockerfile; the number of findings.
fn lint_dockerfile(text: &str) -> usize {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("Dockerfile", text.to_string()));
    let loaded = dockerfile::load(&sources, id, &BuildArgs::new());
    let secrets =
        secret::scan::dockerfile(&loaded.dockerfile, &sources, &secret::scan::by_convention);
    let findings = rules::check_dockerfile(
        &loaded.dockerfile,
        &[],
        &sources,
        &Default::default(),
        &Default::default(),
        &secrets,
    );
    loaded.diagnostics.len() + findings.len()
}

fn in_memory(c: &mut Criterion) {
    let compose_text = inputs::large_compose(SIZE);
    let dockerfile_text = inputs::large_dockerfile(SIZE);
    let mut group = c.benchmark_group("in-memory");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(compose_text.len() as u64));
    group.bench_function("compose-5000-services", |b| {
        b.iter(|| lint_compose(black_box(&compose_text)))
    });
    group.throughput(Throughput::Bytes(dockerfile_text.len() as u64));
    group.bench_function("dockerfile-5000-instructions", |b| {
        b.iter(|| lint_dockerfile(black_box(&dockerfile_text)))
    });
    group.finish();
}

fn whole_runs(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("seaworthy-bench-{}", std::process::id()));
    let project = dir.join("large");
    std::fs::create_dir_all(&project).expect("temporary directory is writable");
    std::fs::write(project.join("compose.yaml"), inputs::large_compose(SIZE)).unwrap();
    std::fs::write(project.join("Dockerfile"), inputs::large_dockerfile(SIZE)).unwrap();
    let opts = CheckOptions::default();
    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    group.bench_function("large-project", |b| {
        b.iter(|| {
            engine::check(black_box(std::slice::from_ref(&project)), &opts)
                .diagnostics
                .len()
        })
    });
    // The shared corpus, when `SEAWORTHY_CORPUS` names the folder holding it.
    let corpus = std::env::var_os("SEAWORTHY_CORPUS")
        .map(|root| Path::new(&root).join("corpus"))
        .filter(|dir| dir.is_dir());
    if let Some(corpus) = corpus {
        group.bench_function("shared-corpus", |b| {
            b.iter(|| {
                engine::check(black_box(std::slice::from_ref(&corpus)), &opts)
                    .diagnostics
                    .len()
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, in_memory, whole_runs);
criterion_main!(benches);
