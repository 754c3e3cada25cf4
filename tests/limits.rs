//! Hostile input is cut off by limits instead of being expanded or crashing.

use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::source::{SourceFile, SourceMap};
use seaworthy::yaml::Tree;

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
