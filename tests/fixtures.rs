//! Snapshot tests over `fixtures/`: the YAML tree, the Compose model and the
//! rendered diagnostics of every fixture. Review changes with `cargo insta review`.

mod common;

use std::path::Path;

use seaworthy::diagnostic::Diagnostic;
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::source::SourceMap;
use seaworthy::yaml::Tree;

fn render(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    if diagnostics.is_empty() {
        return "(none)\n".into();
    }
    human::render(diagnostics, sources, &HumanOptions::default())
}

#[test]
fn yaml_fixtures() {
    insta::glob!("../fixtures/yaml", "*.yaml", |path| {
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let (sources, loaded, diagnostics) = common::load_compose(rel);
        let src = sources.get(loaded.file);
        // the model's tree leaves comments out; parsed again with them, the
        // same nodes and their comments
        let tree = Tree::parse(src.text());
        assert_eq!(tree.nodes, loaded.tree.nodes, "{}", rel.display());
        let report = format!(
            "## tree\n{}\n## model\n{}\n## diagnostics\n{}",
            tree.outline(src),
            loaded.compose.outline(&sources),
            render(&diagnostics, &sources)
        );
        insta::assert_snapshot!(report);
    });
}

#[test]
fn compose_fixtures() {
    insta::glob!("../fixtures/compose", "*/compose.yaml", |path| {
        let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let (sources, loaded, diagnostics) = common::load_compose(rel);
        let report = format!(
            "## model\n{}\n## diagnostics\n{}",
            loaded.compose.outline(&sources),
            render(&diagnostics, &sources)
        );
        insta::assert_snapshot!(report);
    });
}

/// The fallback parser builds the same tree (structure, values, spans) as the
/// default one on every fixture it can parse.
#[test]
fn both_yaml_backends_agree() {
    let mut checked = 0;
    for dir in ["fixtures/yaml", "fixtures/compose"] {
        for entry in common::files_under(Path::new(dir), &|p| {
            p.extension().is_some_and(|x| x == "yaml")
        }) {
            let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
            let a = Tree::parse_with(&text, seaworthy::yaml::Backend::Granit);
            let b = Tree::parse_with(&text, seaworthy::yaml::Backend::Saphyr);
            if !a.issues.is_empty() || !b.issues.is_empty() {
                continue;
            }
            assert_eq!(a.nodes, b.nodes, "{}", entry.display());
            assert_eq!(a.documents, b.documents, "{}", entry.display());
            assert_eq!(a.comments, b.comments, "{}", entry.display());
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} fixtures compared");
}
