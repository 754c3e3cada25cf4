//! One finding where services share the fix. A literal written once in an
//! `x-` anchor and merged into six services is one finding at the literal,
//! not six; a setting every service merging an anchor lacks is one finding
//! at the anchor, where it belongs.
//!
//! Compose findings about a service start their message with its name
//! (``service `web` has no health check``); that is how the service a finding
//! concerns is read here.

use std::collections::BTreeMap;

use crate::compose::Service;
use crate::diagnostic::{Diagnostic, Label};
use crate::project::Linked;
use crate::source::{FileId, SourceMap, Span};

/// The service a finding's message names, and the rest of the message.
fn about_service(d: &Diagnostic) -> Option<(&str, &str)> {
    let rest = d.message.strip_prefix("service `")?;
    let (name, rest) = rest.split_once("` ")?;
    Some((name, rest))
}

/// The names, quoted, `a`, `b` and `c`; past four, "and N more".
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] if quoted.len() <= 4 => format!("{} and {last}", first.join(", ")),
        _ => format!("{} and {} more", quoted[..3].join(", "), quoted.len() - 3),
    }
}

/// Joins findings of one rule about the same spot in several services.
pub fn group(
    diagnostics: Vec<Diagnostic>,
    project: &Linked,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    let diagnostics = group_values(diagnostics, sources);
    group_missing(diagnostics, project, sources)
}

/// Findings of one rule at one value, for several services: one finding.
fn group_values(diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> Vec<Diagnostic> {
    // the findings about a service, ordered by rule, file, span and what is
    // said: the findings to join are neighbours, in input order
    let key = |i: usize| {
        let d = &diagnostics[i];
        let rest = about_service(d).map_or("", |(_, rest)| rest);
        (d.code, d.file, d.span.start, d.span.end, rest)
    };
    let mut about: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| about_service(&diagnostics[i]).is_some())
        .collect();
    about.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    let mut merged: BTreeMap<usize, Diagnostic> = BTreeMap::new();
    let mut dropped = vec![false; diagnostics.len()];
    for members in about.chunk_by(|&a, &b| key(a) == key(b)) {
        if members.len() < 2 {
            continue;
        }
        let (_, file, start, end, rest) = key(members[0]);
        let names: Vec<&str> = members
            .iter()
            .filter_map(|&i| about_service(&diagnostics[i]).map(|(n, _)| n))
            .collect();
        let mut d = diagnostics[members[0]].clone();
        let text = sources.get(file).text();
        let subject = enclosing_anchor(text, Span::new(start, end))
            .map_or_else(|| "this value".to_string(), |a| format!("`&{a}`"));
        d.message = format!("{subject} {rest} (merged into {})", name_list(&names));
        for &i in &members[1..] {
            join_labels(&mut d, &diagnostics[i]);
            dropped[i] = true;
        }
        merged.insert(members[0], d);
    }
    diagnostics
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dropped[*i])
        .map(|(i, d)| merged.remove(&i).unwrap_or(d))
        .collect()
}

/// The labels and masks of `other` that `d` lacks.
fn join_labels(d: &mut Diagnostic, other: &Diagnostic) {
    for l in &other.labels {
        if !d
            .labels
            .iter()
            .any(|m| m.file == l.file && m.span == l.span)
        {
            d.labels.push(l.clone());
        }
    }
    for m in &other.masks {
        if !d.masks.contains(m) {
            d.masks.push(*m);
        }
    }
}

/// The name of the anchor whose definition encloses `span`: the last
/// `&name` before it on a line indented less than the span's line.
fn enclosing_anchor(text: &str, span: Span) -> Option<&str> {
    let indent_at = |offset: usize| {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..];
        (line_start, line.len() - line.trim_start_matches(' ').len())
    };
    let (_, inner_indent) = indent_at(span.start.min(text.len()));
    let before = text.get(..span.start)?;
    let mut search = before.len();
    while let Some(at) = before[..search].rfind('&') {
        search = at;
        let name: &str = {
            let rest = &before[at + 1..];
            let end = rest
                .find(|c: char| c.is_whitespace() || ",[]{}".contains(c))
                .unwrap_or(rest.len());
            &rest[..end]
        };
        let (_, indent) = indent_at(at);
        if !name.is_empty() && indent < inner_indent {
            return Some(name);
        }
    }
    None
}

/// The anchors a service's definition merges at its top (`<<: *defaults`),
/// by name, with where each is merged.
fn merged_anchors<'a>(svc: &Service<'_>, text: &'a str) -> Vec<(&'a str, Span)> {
    let mut out: Vec<(&str, Span)> = Vec::new();
    let Some(map) = svc.def.value.as_map() else {
        return out;
    };
    for item in &map.items {
        if let Some((_, source)) = item.value.merged_from() {
            let alias = text.get(source.start..source.end).unwrap_or("");
            if let Some(name) = alias.strip_prefix('*') {
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, source));
                }
            }
        }
    }
    out
}

/// Where `&name` is defined: the last definition before `before`.
fn anchor_definition(text: &str, name: &str, before: usize) -> Option<Span> {
    let needle = format!("&{name}");
    let head = text.get(..before)?;
    head.match_indices(&needle)
        .filter(|(at, _)| {
            let after = text[at + needle.len()..].chars().next();
            after.is_none_or(|c| c.is_whitespace() || ",[]{}".contains(c))
        })
        .last()
        .map(|(at, _)| Span::new(at, at + needle.len()))
}

/// A service merging an anchor: its name, the span of its key, and where it
/// merges the anchor.
type Merger = (String, Span, Span);

/// Findings of one rule at the keys of every service merging one anchor,
/// saying the same thing: one finding at the anchor.
fn group_missing(
    diagnostics: Vec<Diagnostic>,
    project: &Linked,
    sources: &SourceMap,
) -> Vec<Diagnostic> {
    // anchor (file, name) → services merging it first
    let mut by_anchor: BTreeMap<(FileId, String), Vec<Merger>> = BTreeMap::new();
    // Only an anchor that makes the services what they are — their `image`
    // or `build` comes through it — is where their missing settings belong;
    // one that only sets `logging:` for unrelated services is not.
    let mut identity: BTreeMap<(FileId, String), bool> = BTreeMap::new();
    for svc in project.compose.model.services() {
        let text = sources.get(svc.key.file).text();
        if let Some(&(name, site)) = merged_anchors(&svc, text).first() {
            let key = (svc.key.file, name.to_string());
            let through = ["image", "build"].iter().any(|k| {
                svc.get(k)
                    .and_then(|v| v.merged_from())
                    .is_some_and(|(_, source)| source == site)
            });
            *identity.entry(key.clone()).or_insert(true) &= through;
            by_anchor
                .entry(key)
                .or_default()
                .push((svc.name().to_string(), svc.key.span, site));
        }
    }
    by_anchor.retain(|key, _| identity.get(key).copied().unwrap_or(false));
    let mut dropped = vec![false; diagnostics.len()];
    let mut added = Vec::new();
    for ((file, anchor), services) in &by_anchor {
        if services.len() < 2 {
            continue;
        }
        // per rule and message: the findings at these services' keys
        let mut found: BTreeMap<(&'static str, &str), Vec<usize>> = BTreeMap::new();
        for (i, d) in diagnostics.iter().enumerate() {
            let Some((name, rest)) = about_service(d) else {
                continue;
            };
            if d.file == *file
                && services
                    .iter()
                    .any(|(n, key, _)| n == name && *key == d.span)
            {
                found.entry((d.code, rest)).or_default().push(i);
            }
        }
        for ((_, rest), members) in found {
            if members.len() != services.len() {
                continue;
            }
            let text = sources.get(*file).text();
            let Some(at) = anchor_definition(text, anchor, services[0].2.start) else {
                continue;
            };
            let names: Vec<&str> = services.iter().map(|(n, _, _)| n.as_str()).collect();
            let mut d = diagnostics[members[0]].clone();
            d.message = format!(
                "`&{anchor}` {rest} (merged into {}: set it there)",
                name_list(&names)
            );
            d.span = at;
            d.labels.clear();
            for (name, _, site) in services {
                d.labels.push(Label {
                    file: *file,
                    span: *site,
                    message: format!("merged into `{name}` here"),
                });
            }
            for &i in &members {
                dropped[i] = true;
            }
            added.push(d);
        }
    }
    diagnostics
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !dropped[*i])
        .map(|(_, d)| d)
        .chain(added)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_names() {
        assert_eq!(name_list(&["a"]), "`a`");
        assert_eq!(name_list(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(
            name_list(&["a", "b", "c", "d", "e", "f"]),
            "`a`, `b`, `c` and 3 more"
        );
    }

    /// Six services merging one anchor that holds a literal secret and no
    /// health check.
    fn six() -> String {
        let mut yaml = String::from(
            "x-node: &node\n  image: example/redis:7.4\n  environment:\n    REDIS_PASSWORD: hunter2hunter2\nservices:\n",
        );
        for i in 0..6 {
            yaml.push_str(&format!("  node-{i}:\n    <<: *node\n"));
        }
        yaml
    }

    #[test]
    fn a_literal_in_an_anchor_is_one_finding_naming_every_service() {
        let found = crate::rules::testing::compose("CM402", &six());
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .starts_with("`&node` sets `REDIS_PASSWORD` to a literal secret"),
            "{}",
            found[0].message
        );
        assert!(found[0]
            .message
            .contains("`node-0`, `node-1`, `node-2` and 3 more"));
    }

    #[test]
    fn a_setting_every_merging_service_lacks_belongs_in_the_anchor() {
        let yaml = six();
        let found = crate::rules::testing::compose("CM101", &yaml);
        assert_eq!(found.len(), 1, "{found:?}");
        let at = yaml.find("&node").unwrap();
        assert_eq!(found[0].span, Span::new(at, at + 5));
        assert!(found[0].message.ends_with(": set it there)"));
        assert_eq!(found[0].labels.len(), 6);
        // one service sets it: the others lack it each, reported each
        let one_has_it = yaml.replace(
            "  node-5:\n    <<: *node\n",
            "  node-5:\n    <<: *node\n    healthcheck: {test: [\"CMD\", \"true\"]}\n",
        );
        assert_eq!(
            crate::rules::testing::compose("CM101", &one_has_it).len(),
            5
        );
    }

    #[test]
    fn an_anchor_that_does_not_make_the_services_is_not_where_their_settings_belong() {
        let yaml = "x-log: &log\n  logging: {driver: local}\nservices:\n  db:\n    <<: *log\n    image: postgres:17\n  web:\n    <<: *log\n    image: nginx:1.27\n";
        assert_eq!(crate::rules::testing::compose("CM101", yaml).len(), 2);
    }

    #[test]
    fn the_anchor_enclosing_a_value() {
        let text = "x-env: &env\n  TOKEN: abc\nservices:\n  a:\n    environment:\n      <<: *env\n";
        let at = text.find("abc").unwrap();
        assert_eq!(enclosing_anchor(text, Span::new(at, at + 3)), Some("env"));
        assert_eq!(
            anchor_definition(text, "env", text.len()),
            Some(Span::new(7, 11))
        );
    }
}
