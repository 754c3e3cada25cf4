//! The robustness harness shared by `tests/robustness.rs`, the fuzz corpus
//! replay (`tests/fuzz_corpus.rs`) and the cargo-fuzz targets in `fuzz/`: bytes
//! go through decoding, the YAML tree (both parser backends), the Compose model
//! and every rule, or the Dockerfile model, its variables and shell tokenizer
//! and every Dockerfile rule, and the renderer. It panics if anything panics or
//! if any diagnostic's span leaves its text or splits a character.

use std::path::PathBuf;

use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::diagnostic::Diagnostic;
use seaworthy::dockerfile::{self, BuildArgs, Word};
use seaworthy::project::link;
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::rules;
use seaworthy::secret;
use seaworthy::source::{SourceFile, SourceMap};
use seaworthy::yaml::{Backend, Tree};

/// Checks `bytes` as the compose file `name`, with variables from `env`.
pub fn compose_file(bytes: &[u8], name: &str, env: &Environment) {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::from_bytes(name, bytes.to_vec()));
    let text = sources.get(id).text();
    for backend in [Backend::Granit, Backend::Saphyr] {
        let tree = Tree::parse_with(text, backend);
        for node in &tree.nodes {
            assert!(
                node.span.start <= node.span.end && node.span.end <= text.len(),
                "{name}: node span"
            );
        }
    }
    let loaded = compose::load_file(&sources, id, env, &LoadOptions::default());
    check_spans(&loaded.diagnostics, &sources, name);
    let _ = loaded.compose.outline(&sources);
    let _ = human::render(&loaded.diagnostics, &sources, &HumanOptions::default());
    // every rule runs on whatever could be modelled; build contexts resolve
    // against a directory that does not exist
    let project = compose::Project::of_file(loaded, PathBuf::from("/nonexistent"), env.clone());
    let linked = link(&mut sources, project);
    let secrets = secret::scan::project(&linked, &sources, &secret::scan::by_convention);
    check_secret_spans(&secrets, &sources, name);
    let (findings, _) = rules::check_project(
        &linked,
        &sources,
        &Default::default(),
        &Default::default(),
        &secrets,
    );
    check_spans(&findings, &sources, name);
    check_spans(&linked.diagnostics, &sources, name);
    let _ = human::render(&findings, &sources, &HumanOptions::default());
}

/// Checks `bytes` as the Dockerfile `name`.
pub fn dockerfile(bytes: &[u8], name: &str) {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::from_bytes(name, bytes.to_vec()));
    let loaded = dockerfile::load(&sources, id, &BuildArgs::new());
    let src = sources.get(id);
    check_spans(&loaded.diagnostics, &sources, name);
    let df = &loaded.dockerfile;
    let word_ok = |w: &Word| {
        assert!(
            w.span.start <= w.span.end && w.span.end <= src.text().len(),
            "{name}: {w:?}"
        );
        assert!(
            src.text().is_char_boundary(w.span.start) && src.text().is_char_boundary(w.span.end),
            "{name}: {w:?}"
        );
    };
    for st in &df.stages {
        let _ = df.dependencies(st.index);
        for (i, instr) in df.stage_instructions(st).iter().enumerate() {
            word_ok(&instr.keyword);
            if let dockerfile::Kind::User(w) | dockerfile::Kind::Workdir(w) = &instr.kind {
                word_ok(w);
                let _ = df.resolve(st.index, st.from + i, w);
            }
        }
    }
    // the outline walks every word, script and shell command
    let _ = dockerfile::outline::outline(df, src);
    let secrets = secret::scan::dockerfile(df, &sources, &secret::scan::by_convention);
    check_secret_spans(&secrets, &sources, name);
    let findings = rules::check_dockerfile(
        df,
        &[],
        &sources,
        &Default::default(),
        &Default::default(),
        &secrets,
    );
    check_spans(&findings, &sources, name);
    let _ = human::render(&loaded.diagnostics, &sources, &HumanOptions::default());
    let _ = human::render(&findings, &sources, &HumanOptions::default());
}

/// Every secret the scanner found lies inside its file's text, on character
/// boundaries, so masking it can never split a character.
fn check_secret_spans(secrets: &[secret::scan::Found], sources: &SourceMap, name: &str) {
    for f in secrets {
        let text = sources.get(f.file).text();
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{name}: secret span"
        );
        assert!(
            text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
            "{name}: secret span off a char boundary"
        );
    }
}

/// Every span and label of `diagnostics` lies inside its file's text, on
/// character boundaries.
fn check_spans(diagnostics: &[Diagnostic], sources: &SourceMap, name: &str) {
    for d in diagnostics {
        let spans =
            std::iter::once((d.file, d.span)).chain(d.labels.iter().map(|l| (l.file, l.span)));
        for (file, span) in spans {
            let text = sources.get(file).text();
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{name}: {d:?}"
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{name}: span off a char boundary: {d:?}"
            );
        }
    }
}
