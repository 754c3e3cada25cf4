//! The block reader (`src/yaml/block.rs`) against the full YAML parser: on
//! every YAML file of the repository, of the fuzzers' compose corpus and (under
//! `SEAWORTHY_CORPUS`) of the shared corpora, and on variants of each made by
//! small edits (a byte or a line removed, indicators and line breaks put in,
//! lines indented or moved), whatever the reader reads must build the tree
//! the full parser builds; the rest it must leave to the full parser.

mod common;

use std::path::{Path, PathBuf};

use seaworthy::yaml::{block, Backend, Tree};

/// Whether the reader takes `text` (a leading BOM is the tree's to skip).
fn read_by_block(text: &str) -> bool {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    block::read(&text[base..], base, &mut |_| {}).is_ok()
}

/// Whether the reader takes `text`; when it does, the trees must agree.
fn agrees(text: &str, what: &dyn std::fmt::Display) -> bool {
    if !read_by_block(text) {
        return false;
    }
    let by_reader = format!("{:?}", Tree::parse_content(text, Backend::Granit));
    let by_parser = format!("{:?}", Tree::parse_content_fully(text, Backend::Granit));
    if by_reader != by_parser {
        let at = by_reader
            .bytes()
            .zip(by_parser.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(by_reader.len().min(by_parser.len()));
        let from = at.saturating_sub(120);
        panic!(
            "the block reader and the full parser disagree on {what}:\n{text}\n\
             reader: …{}\nparser: …{}",
            &by_reader[from..(at + 120).min(by_reader.len())],
            &by_parser[from..(at + 120).min(by_parser.len())],
        );
    }
    true
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml"))
}

/// The YAML files kept in the repository, and the fuzzers' compose inputs
/// that are text.
fn repository_inputs() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["fixtures", "examples", "tests"] {
        paths.extend(common::files_under(&root.join(dir), &is_yaml));
    }
    paths.extend(common::files_under(
        &root.join("fuzz/corpus/compose"),
        &|_| true,
    ));
    texts(paths)
}

fn texts(paths: Vec<PathBuf>) -> Vec<(PathBuf, String)> {
    paths
        .into_iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

/// `count` variants of `text`, each one to three small edits away from it,
/// the same ones on every run (`seed`).
fn variants(text: &str, seed: u64, count: usize) -> Vec<String> {
    const PIECES: [&str; 30] = [
        " ", "\n", ":", "-", "#", "\"", "'", "[", "]", "{", "}", ",", "|", ">", "x", ": ", "- ",
        " #", "|-", ">+", "\n  ", "\\", "''", "\n\n", "&a ", "*a", "é", "\u{a0}", "\u{2028}", "\t",
    ];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut below = |n: usize| {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut t = text.to_string();
        for _ in 0..=below(3) {
            let lines: Vec<String> = t.split_inclusive('\n').map(str::to_string).collect();
            let at = below(t.len() + 1);
            if lines.is_empty() || !t.is_char_boundary(at) {
                continue;
            }
            let line = below(lines.len());
            match below(7) {
                0 => {
                    let end = (at + 1 + below(8)).min(t.len());
                    if t.is_char_boundary(end) {
                        t.replace_range(at..end, "");
                    }
                }
                1 | 2 => t.insert_str(at, PIECES[below(PIECES.len())]),
                3 => {
                    let mut lines = lines;
                    match below(3) {
                        0 => lines[line].insert(0, ' '),
                        1 => lines[line].insert_str(0, "  "),
                        _ => {
                            if lines[line].starts_with(' ') {
                                lines[line].remove(0);
                            }
                        }
                    }
                    t = lines.concat();
                }
                4 => {
                    let mut lines = lines;
                    lines.remove(line);
                    t = lines.concat();
                }
                _ => {
                    let mut lines = lines;
                    let copy = lines[below(lines.len())].clone();
                    lines.insert(line, copy);
                    t = lines.concat();
                }
            }
        }
        out.push(t);
    }
    out
}

/// Every input and `per_file` variants of each: the reader must agree with
/// the parser wherever it reads; gives how many inputs and variants it read.
fn check_all(inputs: &[(PathBuf, String)], per_file: usize) -> (usize, usize, usize) {
    let (mut files_read, mut variants_read, mut variants_made) = (0, 0, 0);
    for (i, (path, text)) in inputs.iter().enumerate() {
        files_read += usize::from(agrees(text, &path.display()));
        for (n, variant) in variants(text, i as u64 + 1, per_file).iter().enumerate() {
            variants_made += 1;
            let what = format!("variant {n} of {}", path.display());
            variants_read += usize::from(agrees(variant, &what));
        }
    }
    (files_read, variants_read, variants_made)
}

#[test]
fn the_reader_builds_the_parser_s_tree_on_the_repository_s_yaml_and_its_variants() {
    let inputs = repository_inputs();
    assert!(inputs.len() > 500, "only {} inputs", inputs.len());
    let (read, variants_read, variants) = check_all(&inputs, 40);
    // the reader must not be a no-op that leaves everything to the parser
    // (most of the fuzzers' inputs are far from what people write)
    assert!(
        read * 4 > inputs.len(),
        "the reader took only {read} of {} inputs",
        inputs.len()
    );
    assert!(
        variants_read * 8 > variants,
        "the reader took only {variants_read} of {variants} variants"
    );
}

#[test]
fn the_reader_builds_the_parser_s_tree_on_the_shared_corpora() {
    for sub in ["corpus", "realworld"] {
        let Some(dir) = common::shared_corpus(sub) else {
            return;
        };
        let inputs = texts(common::files_under(&dir, &is_yaml));
        assert!(!inputs.is_empty(), "no YAML under {}", dir.display());
        let (read, _, _) = check_all(&inputs, 200);
        // the compose files people write are nearly all in the subset
        assert!(
            read * 4 > inputs.len() * 3,
            "the reader took only {read} of {} files under {}",
            inputs.len(),
            dir.display()
        );
    }
}
