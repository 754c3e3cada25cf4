//! Stable identities of findings, for baselines, GitLab Code Quality and
//! SARIF `partialFingerprints`.
//!
//! A fingerprint hashes what a finding *is*, not where it sits: the rule
//! code, the file (as displayed, or relative to a baseline), the message and the text of the primary span
//! with its whitespace collapsed (secrets already masked). Lines moving above
//! or below it leave it unchanged. Identical findings in one file are told
//! apart by their order of appearance, so every fingerprint of a run is unique.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::source::{display_path, SourceMap};

/// The fingerprint of each of `diagnostics`, in order: 16 hex digits. Files
/// are named as displayed (relative to the working directory).
pub fn fingerprints(diagnostics: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    fingerprints_naming(diagnostics, sources, &display_path)
}

/// As [`fingerprints`], with files named by `name`.
pub fn fingerprints_naming(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    name: &dyn Fn(&Path) -> String,
) -> Vec<String> {
    let mut seen: HashMap<u64, u64> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.file);
            let text = file.text().get(d.span.start..d.span.end).unwrap_or("");
            let mut h = Fnv::new();
            h.field(d.code.as_bytes());
            h.field(name(file.path()).as_bytes());
            h.field(d.message.as_bytes());
            for word in text.split_whitespace() {
                h.write(word.as_bytes());
                h.write(b" ");
            }
            let base = h.finish();
            let n = seen.entry(base).or_insert(0);
            let mut h = Fnv(base);
            h.field(&n.to_le_bytes());
            *n += 1;
            format!("{:016x}", h.finish())
        })
        .collect()
}

/// 64-bit FNV-1a: tiny, and its output is fixed by its definition (unlike
/// the standard library's hasher, which may change between releases).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Writes `bytes` and a separator no text contains.
    fn field(&mut self, bytes: &[u8]) {
        self.write(bytes);
        self.write(&[0xff]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::codes;
    use crate::source::{SourceFile, Span};

    fn prints(text: &str, spans: &[(usize, usize)]) -> Vec<String> {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("compose.yaml", text.to_string()));
        let diags: Vec<Diagnostic> = spans
            .iter()
            .map(|&(s, e)| {
                Diagnostic::new(codes::OBSOLETE_VERSION, id, Span::new(s, e), "the message")
            })
            .collect();
        fingerprints(&diags, &sources)
    }

    #[test]
    fn survive_lines_moving_and_tell_twins_apart() {
        let before = prints("version: '3'\n", &[(0, 7)]);
        let after = prints("# a comment\n\nversion: '3'\n", &[(13, 20)]);
        assert_eq!(before, after);
        assert_eq!(before[0].len(), 16);
        let twins = prints("version\nversion\n", &[(0, 7), (8, 15)]);
        assert_ne!(twins[0], twins[1]);
        assert_eq!(twins[0], before[0]);
    }

    #[test]
    fn change_with_the_text_at_the_span() {
        assert_ne!(
            prints("version\n", &[(0, 7)]),
            prints("services\n", &[(0, 8)])
        );
    }

    #[test]
    fn fnv_matches_its_definition() {
        let mut h = Fnv::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}
