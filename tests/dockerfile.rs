//! The Dockerfile model: snapshots of every fixture's outline (instructions,
//! sub-spans, stages, resolved variables, shell commands) and diagnostics; the
//! corpus models without a parse error; spans of instructions match the text.

mod common;

use std::path::Path;

use seaworthy::dockerfile::{self, BuildArgs, Kind};
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::source::{SourceFile, SourceMap};

fn load(path: &Path) -> (SourceMap, dockerfile::LoadedDockerfile) {
    let mut sources = SourceMap::new();
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let id = sources.add(SourceFile::new(path.to_path_buf(), text));
    let loaded = dockerfile::load(&sources, id, &BuildArgs::new());
    (sources, loaded)
}

#[test]
fn dockerfile_fixtures() {
    insta::glob!("../fixtures/dockerfile", "*.Dockerfile", |path| {
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let (sources, loaded) = load(rel);
        let src = sources.get(loaded.dockerfile.file);
        let diagnostics = if loaded.diagnostics.is_empty() {
            "(none)\n".to_string()
        } else {
            human::render(&loaded.diagnostics, &sources, &HumanOptions::default())
        };
        insta::assert_snapshot!(format!(
            "## model\n{}\n## diagnostics\n{}",
            dockerfile::outline::outline(&loaded.dockerfile, src),
            diagnostics
        ));
    });
}

/// Every Dockerfile in the corpus models without a parse error, and each
/// instruction's span starts with its keyword and ends where its text ends.
#[test]
fn corpus_dockerfiles_model_cleanly_with_exact_spans() {
    let Some(corpus) = common::shared_corpus("corpus") else {
        return;
    };
    let files = common::files_under(&corpus, &common::is_dockerfile);
    let mut instructions = 0;
    for path in &files {
        let (sources, loaded) = load(path);
        let text = sources.get(loaded.dockerfile.file).text();
        assert!(
            loaded.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.diagnostics
        );
        assert!(!loaded.dockerfile.stages.is_empty(), "{}", path.display());
        for instr in &loaded.dockerfile.instructions {
            let written = &text[instr.span.start..instr.span.end];
            assert!(
                written
                    .to_ascii_uppercase()
                    .starts_with(instr.keyword.value.as_str()),
                "{}: {written:?}",
                path.display()
            );
            assert_eq!(
                written,
                written.trim_end(),
                "{}: trailing blank in span",
                path.display()
            );
            // Words inside the instruction lie inside its span, on their text.
            let words: Vec<&dockerfile::Word> = match &instr.kind {
                Kind::From { image, .. } => vec![image],
                Kind::User(w) | Kind::Workdir(w) => vec![w],
                Kind::Env(p) | Kind::Label(p) => {
                    p.iter().flat_map(|kv| [&kv.key, &kv.value]).collect()
                }
                _ => Vec::new(),
            };
            for w in words {
                assert!(instr.span.start <= w.span.start && w.span.end <= instr.span.end);
                let seen = &text[w.span.start..w.span.end];
                if !seen.contains('\n') {
                    assert_eq!(seen, w.raw, "{}", path.display());
                }
            }
            instructions += 1;
        }
    }
    assert!(files.len() >= 10, "only {} corpus Dockerfiles", files.len());
    eprintln!("{} Dockerfiles, {instructions} instructions", files.len());
}
