//! Deciding what a file is from its first lines: a YAML file is a compose
//! file when its top level is a mapping with a `services:` mapping and no key
//! Compose does not know; a file is a Dockerfile when its first instruction is
//! `FROM` or `ARG` (or it starts with a parser directive).
//!
//! Reading stops as soon as the answer is known: a Kubernetes manifest is
//! refused at `apiVersion:`, a CI workflow at `on:`/`jobs:`, a `render.yaml`
//! at the `- ` under `services:`.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::source::MAX_FILE_BYTES;

/// Top-level keys of the Compose specification (besides `x-*` extensions).
pub const COMPOSE_TOP_KEYS: &[&str] = &[
    "version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models",
];

/// Whether the file at `path` reads as a compose file (see the module
/// documentation); a file that cannot be read is not one.
pub fn is_compose(path: &Path) -> bool {
    // only regular files: opening a FIFO would wait for a writer
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    looks_like_compose(BufReader::new(file.take(MAX_FILE_BYTES))) && !in_helm_chart(path)
}

/// Whether the text read from `reader` is a compose file by content.
pub fn looks_like_compose(mut reader: impl BufRead) -> bool {
    let mut line = Vec::new();
    let mut first = true;
    // `services:` was read with nothing after it: the next line decides.
    let mut services_pending = false;
    let mut keys_seen = false;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        let mut text = String::from_utf8_lossy(&line).into_owned();
        if first {
            first = false;
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                text = rest.to_string();
            }
        }
        let text = text.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = text.len() != trimmed.len();
        if services_pending {
            // A mapping of services, indented under the key; a sequence
            // (`render.yaml`) or a key at the top level (null) is not.
            return indented && !is_sequence_item(trimmed);
        }
        if indented {
            continue;
        }
        if text.starts_with('%') && !keys_seen {
            continue;
        }
        if text == "---" || text.starts_with("--- ") {
            if keys_seen {
                return false;
            }
            continue;
        }
        if text == "..." || is_sequence_item(text) || text.starts_with(['{', '[']) {
            return false;
        }
        let Some((key, rest)) = split_key(text) else {
            return false;
        };
        keys_seen = true;
        if key == "services" {
            let value = value_start(rest);
            if value.is_empty() {
                services_pending = true;
                continue;
            }
            return value.starts_with('{') || value.starts_with('*');
        }
        if !(COMPOSE_TOP_KEYS.contains(&key.as_str()) || key.starts_with("x-") || key == "<<") {
            return false;
        }
    }
}

fn is_sequence_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ") || text.starts_with("-\t")
}

/// The key of a top-level `key: value` line and what follows the colon.
fn split_key(text: &str) -> Option<(String, &str)> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let close = text[1..].find(quote)? + 1;
        let rest = text[close + 1..].trim_start().strip_prefix(':')?;
        return Some((text[1..close].to_string(), rest));
    }
    let bytes = text.as_bytes();
    let colon = (0..bytes.len()).find(|&i| {
        bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t')
    })?;
    Some((text[..colon].trim_end().to_string(), &text[colon + 1..]))
}

/// A value's first token, past an anchor or tag and without a comment.
fn value_start(rest: &str) -> &str {
    let mut v = rest.trim();
    loop {
        if v.starts_with('#') {
            return "";
        }
        if v.starts_with('&') || v.starts_with('!') {
            v = v
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r)
                .trim_start();
            continue;
        }
        return v;
    }
}

/// Whether `path` lies in a Helm chart (a `Chart.yaml` beside it or one
/// level up, for `templates/`): its values files are not compose files.
fn in_helm_chart(path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take(2)
        .any(|dir| dir.join("Chart.yaml").is_file())
}

/// Whether `text` reads as a Dockerfile: its first line that is not blank or
/// a comment is a `FROM` or `ARG` instruction, or it opens with a parser
/// directive (`# syntax=`, `# escape=`, `# check=`).
pub fn looks_like_dockerfile(text: &str) -> bool {
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(comment) = t.strip_prefix('#') {
            let directive = comment.trim_start().to_ascii_lowercase();
            if ["syntax=", "escape=", "check="]
                .iter()
                .any(|d| directive.replace(' ', "").starts_with(d))
            {
                return true;
            }
            continue;
        }
        let word = t.split_whitespace().next().unwrap_or("");
        return word.eq_ignore_ascii_case("FROM") || word.eq_ignore_ascii_case("ARG");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compose(text: &str) -> bool {
        looks_like_compose(text.as_bytes())
    }

    #[test]
    fn a_services_mapping_makes_a_compose_file() {
        assert!(compose("services:\n  web:\n    image: nginx\n"));
        assert!(compose(
            "\u{feff}# stack\n---\nversion: '3.8'\nservices:\n\n  # web\n  web: {}\n"
        ));
        assert!(compose(
            "x-common: &c\n  restart: always\nservices: &s\n  web:\n    <<: *c\n"
        ));
        assert!(compose("name: app\nservices: {web: {image: nginx}}\n"));
        assert!(compose("\"services\":\n  web:\n    image: nginx\n"));
        assert!(compose("services: # the app\n  web:\n    image: nginx\n"));
    }

    #[test]
    fn other_yaml_is_not() {
        for text in [
            "",
            "# only a comment\n",
            "apiVersion: apps/v1\nkind: Deployment\n",
            "name: CI\non: [push]\njobs:\n  build:\n    services:\n      db:\n        image: postgres\n",
            "services:\n- type: web\n  name: api\n",
            "services:\n  - type: web\n",
            "services:\nvolumes:\n  data:\n",
            "services: []\n",
            "openapi: 3.0.0\npaths: {}\n",
            "image: nginx\nservices:\n  web:\n    port: 80\n",
            "- hosts: all\n",
            "stages: [build]\nservices:\n  - docker:dind\n",
            "just a scalar\n",
        ] {
            assert!(!compose(text), "{text:?}");
        }
    }

    #[test]
    fn the_first_document_decides() {
        assert!(!compose("name: a\n---\nservices:\n  web: {}\n"));
        assert!(compose(
            "---\nservices:\n  web: {}\n---\nservices:\n  db: {}\n"
        ));
    }

    #[test]
    fn dockerfiles_by_content() {
        assert!(looks_like_dockerfile("# comment\n\nFROM alpine:3\n"));
        assert!(looks_like_dockerfile("ARG V=1\nFROM alpine:$V\n"));
        assert!(looks_like_dockerfile(
            "# syntax=docker/dockerfile:1\nfrom x\n"
        ));
        assert!(!looks_like_dockerfile("services:\n  web: {}\n"));
        assert!(!looks_like_dockerfile("RUN x\n"));
    }
}
