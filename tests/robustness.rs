//! No input makes a loader or a rule panic: truncated and mutated copies of
//! every fixture and corpus file go through the YAML tree, the Compose model
//! and every rule, or the Dockerfile model, its variables and shell tokenizer
//! and every Dockerfile rule, and the renderer; every diagnostic's spans stay
//! inside the text on character boundaries.

mod common;

use std::path::{Path, PathBuf};

use common::is_dockerfile;

use seaworthy::compose::{self, interpolate::VarOrigin, Environment, LoadOptions};
use seaworthy::diagnostic::Diagnostic;
use seaworthy::dockerfile::{self, BuildArgs, Word};
use seaworthy::project::link;
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::rules;
use seaworthy::source::{SourceFile, SourceMap};
use seaworthy::yaml::{Backend, Tree};

fn inputs() -> Vec<PathBuf> {
    let keep =
        |p: &Path| p.extension().is_some_and(|x| x == "yaml" || x == "yml") || is_dockerfile(p);
    let mut out = common::files_under(Path::new("fixtures"), &keep);
    out.extend(common::files_under(Path::new("../shared/corpus"), &keep));
    out
}

/// A small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "$",
    "${",
    "${X:-",
    "}",
    "\t",
    "\n",
    "\"",
    "'",
    "|",
    ">-",
    "#",
    "!reset ",
    "---\n",
    "? ",
    "\r\n",
    "é",
    "🚢",
    "\u{feff}",
    "\\",
    "%YAML 1.2\n",
    "  ",
    "0755",
    "1e400",
    "99999:80",
    "1m30s",
    "512q",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                bytes.splice(at..at, s.bytes());
            }
            1 if at < bytes.len() => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 if at < bytes.len() => bytes[at] = (rng.next() & 0xff) as u8,
            3 => {
                // duplicate a line
                let line_start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let line_end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                let line = bytes[line_start..line_end].to_vec();
                bytes.splice(line_end..line_end, line);
            }
            _ => bytes.truncate(at),
        }
    }
    // Input files are read lossily, as the loader's callers do.
    String::from_utf8_lossy(&bytes).into_owned()
}

fn check(text: String, name: &str, env: &Environment) {
    if is_dockerfile(Path::new(name)) {
        return check_dockerfile(text, name);
    }
    for backend in [Backend::Granit, Backend::Saphyr] {
        let tree = Tree::parse_with(&text, backend);
        for node in &tree.nodes {
            assert!(
                node.span.start <= node.span.end && node.span.end <= text.len(),
                "{name}: node span"
            );
        }
    }
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(name, text));
    let loaded = compose::load_file(&sources, id, env, &LoadOptions::default());
    let src = sources.get(id);
    check_spans(&loaded.diagnostics, src.text(), name);
    let _ = loaded.compose.outline(&sources);
    let _ = human::render(&loaded.diagnostics, &sources, &HumanOptions::default());
    // every rule runs on whatever could be modelled; build contexts resolve
    // against a directory that does not exist
    let project = compose::Project::of_file(loaded, PathBuf::from("/nonexistent"), env.clone());
    let linked = link(&mut sources, project);
    let (findings, _) =
        rules::check_project(&linked, &sources, &Default::default(), &Default::default());
    for d in findings.iter().chain(&linked.diagnostics) {
        check_spans(std::slice::from_ref(d), sources.get(d.file).text(), name);
    }
    let _ = human::render(&findings, &sources, &HumanOptions::default());
}

fn check_spans(diagnostics: &[Diagnostic], text: &str, name: &str) {
    for d in diagnostics {
        for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
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

fn check_dockerfile(text: String, name: &str) {
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(name, text));
    let loaded = dockerfile::load(&sources, id, &BuildArgs::new());
    let src = sources.get(id);
    check_spans(&loaded.diagnostics, src.text(), name);
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
    let findings = rules::check_dockerfile(df, &sources, &Default::default(), &Default::default());
    check_spans(&findings, src.text(), name);
    let _ = human::render(&loaded.diagnostics, &sources, &HumanOptions::default());
}

#[test]
fn truncated_inputs_never_panic() {
    let env = Environment::empty();
    let mut count = 0;
    for path in inputs() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        // every 7th byte boundary keeps the run short while hitting every construct
        for cut in (0..=text.len()).step_by(7) {
            let cut = (0..=cut)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            check(text[..cut].to_string(), &path.display().to_string(), &env);
            count += 1;
        }
    }
    assert!(count > 1000, "only {count} truncations");
}

#[test]
fn mutated_inputs_never_panic() {
    let mut env = Environment::empty();
    env.set("X", "1", VarOrigin::Process);
    // `SEAWORTHY_MUTATIONS=N` runs N mutations per file (default 60) for a longer hunt.
    let per_file: usize = std::env::var("SEAWORTHY_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed = std::env::var("SEAWORTHY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eaf_0a7e_5eed_1234);
    let mut rng = Rng(seed);
    let mut count = 0;
    for path in inputs() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for _ in 0..per_file {
            let mutated = mutate(&text, &mut rng);
            check(mutated, &path.display().to_string(), &env);
            count += 1;
        }
    }
    assert!(count > 3000, "only {count} mutations");
}
