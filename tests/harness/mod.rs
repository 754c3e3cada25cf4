//! The robustness harness shared by `tests/robustness.rs`, the fuzz corpus
//! replay (`tests/fuzz_corpus.rs`) and the cargo-fuzz targets in `fuzz/`: bytes
//! go through decoding, the YAML tree (both parser backends), the Compose model
//! and every rule, or the Dockerfile model, its variables and shell tokenizer
//! and every Dockerfile rule, and the renderer; the fixes the findings carry
//! are applied together. It panics if anything panics, if any diagnostic's
//! or edit's span leaves its text or splits a character, or if the fixes add
//! a syntax error.

use std::path::PathBuf;

use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::diagnostic::Diagnostic;
use seaworthy::discover::FileKind;
use seaworthy::dockerfile::{self, BuildArgs, Word};
use seaworthy::fix::{self, Edit, Fix};
use seaworthy::project::link;
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::rules;
use seaworthy::secret;
use seaworthy::source::{Decoding, FileId, SourceFile, SourceMap};
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
                node.span().start <= node.span().end && node.span().end <= text.len(),
                "{name}: node span"
            );
        }
    }
    // where the block reader reads, it builds the full parser's tree
    assert_eq!(
        format!("{:?}", Tree::parse_content(text, Backend::Granit)),
        format!("{:?}", Tree::parse_content_fully(text, Backend::Granit)),
        "{name}: the block reader and the full parser disagree"
    );
    let loaded = compose::load_file(&sources, id, env, &LoadOptions::default());
    check_spans(&loaded.diagnostics, &sources, name);
    // a file YAML cannot parse is reported for that alone: no fix applies
    let parsed = !loaded.diagnostics.iter().any(|d| d.code == "YM001");
    let load_fixes: Vec<Fix> = loaded
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_deref().cloned())
        .collect();
    let _ = loaded.compose.outline(&sources);
    let _ = human::render(&loaded.diagnostics, &sources, &HumanOptions::default());
    // every rule runs on whatever could be modelled; build contexts resolve
    // against a directory that does not exist
    let project = compose::Project::of_file(loaded, PathBuf::from("/nonexistent"), env.clone());
    let linked = link(&mut sources, project, &Default::default());
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
    let fixes = load_fixes
        .iter()
        .chain(findings.iter().filter_map(|d| d.fix.as_deref()));
    let mut fixes: Vec<&Fix> = fixes.collect();
    if !parsed {
        fixes.clear();
    }
    check_fixes(&sources, id, fixes, FileKind::Compose, name);
}

/// Any bytes as the `fix` fuzz target reads them: the first byte chooses a
/// Dockerfile (odd) or a compose file (even), the rest is the file.
#[allow(dead_code)] // not every crate including the harness replays it
pub fn fix_input(bytes: &[u8]) {
    match bytes.split_first() {
        Some((kind, rest)) if kind % 2 == 1 => dockerfile(rest, "Dockerfile"),
        Some((_, rest)) => compose_file(rest, "compose.yaml", &Environment::empty()),
        None => {}
    }
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
    let fixes = findings.iter().filter_map(|d| d.fix.as_deref()).collect();
    check_fixes(&sources, id, fixes, FileKind::Dockerfile, name);
}

/// Every edit of `fixes` lies in file `id`, on character boundaries; each
/// fix alone adds no syntax error and does not make a valid compose file
/// invalid, and the fixes that can apply together go in as the engine
/// applies them.
fn check_fixes(sources: &SourceMap, id: FileId, fixes: Vec<&Fix>, kind: FileKind, name: &str) {
    let src = sources.get(id);
    let text = src.text();
    for e in fixes.iter().flat_map(|f| &f.edits) {
        assert_eq!(e.file, id, "{name}: {e:?}");
        assert!(
            e.span.start <= e.span.end && e.span.end <= text.len(),
            "{name}: {e:?}"
        );
        assert!(
            text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end),
            "{name}: edit off a char boundary: {e:?}"
        );
    }
    // the engine fixes only files read as they are
    if src.decoding() != Decoding::Utf8 {
        return;
    }
    // each fix alone is sound; together they go in as the engine puts them
    for f in &fixes {
        let after = fix::apply(text, &f.edits.iter().collect::<Vec<&Edit>>());
        assert!(
            !fix::breaks(kind, text, &after),
            "{name}: `{}` broke the file:\n{text:?}\n--- fixed:\n{after:?}",
            f.description
        );
    }
    let chosen = fix::choose(fixes);
    let checked = fix::apply_checked(kind, text, &chosen);
    assert!(checked.applied > 0 || chosen.is_empty(), "{name}");
    assert!(!fix::breaks(kind, text, &checked.text), "{name}");
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
