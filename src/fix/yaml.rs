//! Edits of compose files that keep the file as its author wrote it: new
//! entries take the mapping's own indentation and style (block or flow) and
//! the file's line breaks; nothing else moves.
//!
//! Every helper refuses (returns `None`) rather than guess: a mapping that
//! comes through an alias, a merge key or a variable, one with no entry of
//! its own to take the indentation from, a block scalar that would swallow
//! the new line.

use super::{column, line_break, line_end, starts_line, Edit};
use crate::compose::value::{Map, MapItem, Spanned, Text, Value};
use crate::source::{FileId, Span};

/// Inserts `snippet` as new entries at the end of the mapping `value` (the
/// value of `key`). `snippet` is YAML written at indentation 0 with a
/// two-space step (`"logging:\n  options:\n    max-size: 10m"`); it is
/// re-indented to the mapping's entries and the file's step. A flow mapping
/// (`{image: x}`) takes the snippet in flow style on one line.
pub fn insert_entries(
    text: &str,
    key: &Spanned<Text>,
    value: &Spanned<Value>,
    snippet: &str,
) -> Option<Edit> {
    if value.file != key.file || !value.via.is_empty() {
        return None;
    }
    let Value::Map(map) = &value.value else {
        return None;
    };
    let file = value.file;
    // the model leaves out entries Compose refuses: the text is asked whether
    // a key the snippet adds is written already
    let adds: Vec<&str> = snippet
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .collect();
    let written = text.get(value.span.start..value.span.end)?;
    if written.trim_start().starts_with('{') {
        if adds.iter().any(|k| written.contains(&format!("{k}:"))) {
            return None;
        }
        return flow_insert(text, value, '{', '}', snippet)?;
    }
    let items: Vec<_> = own_items(map, file, value.span).collect();
    let first = items.iter().map(|i| i.key.span.start).min()?;
    if !starts_line(text, first) || !starts_line(text, key.span.start) {
        return None;
    }
    let indent = column(text, first);
    let below_key = (line_end(text, key.span.end) + 1).min(text.len());
    // the mapping's text holds every key written in it: only when it holds
    // the name of one the snippet adds are its lines read
    if adds.iter().any(|k| written.contains(k))
        && keys_at(text, below_key, indent).any(|k| adds.contains(&k))
    {
        return None;
    }
    let step = indent.checked_sub(column(text, key.span.start))?;
    if step == 0 {
        return None;
    }
    let last = items
        .iter()
        .max_by_key(|i| i.value.span.end.max(i.key.span.end))?;
    let at = after_last_line(
        text,
        indent,
        last.key.span.end,
        last.value.span.start,
        last.value.span.end.max(last.key.span.end),
    )?;
    if lone_cr(&text[key.span.start..at]) {
        return None;
    }
    Some(Edit::insert(
        file,
        at,
        block_lines(text, snippet, indent, step, ""),
    ))
}

/// Whether `region` holds a carriage return that is not part of `\r\n`: YAML
/// breaks the line there, the line helpers here do not.
fn lone_cr(region: &str) -> bool {
    let b = region.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

/// The keys written at column `indent` from the line starting at `start`
/// to the end of the block (the first line indented less).
fn keys_at(text: &str, start: usize, indent: usize) -> impl Iterator<Item = &str> {
    text[start..]
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take_while(move |l| l.len() - l.trim_start_matches(' ').len() >= indent)
        .filter(move |l| l.len() - l.trim_start_matches(' ').len() == indent)
        .filter_map(|l| {
            l.trim_start()
                .split_once(':')
                .map(|(k, _)| k.trim_matches(['"', '\'']))
        })
}

/// Appends `item` (a plain scalar or a one-line flow value) to the list
/// `value`, in its style: `- item` on a line of its own in a block list,
/// `, item` in a flow list.
pub fn append_item(text: &str, value: &Spanned<Value>, item: &str) -> Option<Edit> {
    if !value.via.is_empty() {
        return None;
    }
    let Value::List(items) = &value.value else {
        return None;
    };
    if let Some(edit) = flow_insert(text, value, '[', ']', item) {
        return edit;
    }
    if items.is_empty()
        || items
            .iter()
            .any(|i| !i.via.is_empty() || i.file != value.file)
    {
        return None;
    }
    let first = items[0].span.start;
    let dash = text[..first].rfind('-')?;
    if !starts_line(text, dash) || !text[dash + 1..first].bytes().all(|b| b == b' ') {
        return None;
    }
    let last = items.last()?;
    let dash_of_last = text[..last.span.start]
        .rfind('-')
        .unwrap_or(last.span.start);
    let at = after_last_line(
        text,
        column(text, dash),
        dash_of_last + 1,
        last.span.start,
        last.span.end,
    )?;
    if lone_cr(&text[dash..at]) {
        return None;
    }
    let prefix = format!("{}- ", " ".repeat(column(text, dash)));
    Some(Edit::insert(
        value.file,
        at,
        format!("{}{prefix}{item}", line_break(text)),
    ))
}

/// Inserts `new` as the list item after `item`, in the list's style: `,
/// new` in a flow list (quoted as `item` is), a `- new` line in a block list.
pub fn insert_item_after(text: &str, item: &Spanned<Value>, new: &str) -> Option<Edit> {
    if !item.via.is_empty() {
        return None;
    }
    let before = text.get(..item.span.start)?.trim_end_matches([' ', '\t']);
    let written = text.get(item.span.start..item.span.end)?;
    if before.ends_with(['[', ',']) {
        let quote = match written.as_bytes().first() {
            Some(b'"') => "\"",
            Some(b'\'') => "'",
            _ => "",
        };
        return Some(Edit::insert(
            item.file,
            item.span.end,
            format!(", {quote}{new}{quote}"),
        ));
    }
    let dash = before.strip_suffix('-')?.len();
    if !starts_line(text, dash)
        || written.contains('\n')
        || lone_cr(&text[dash..line_end(text, item.span.end)])
    {
        return None;
    }
    Some(Edit::insert(
        item.file,
        line_end(text, item.span.end),
        format!(
            "{}{}- {new}",
            line_break(text),
            " ".repeat(column(text, dash))
        ),
    ))
}

/// The insertion into a flow collection `open … close` at `value`, when it
/// is one: `Some(None)` when it is but does not end where it should.
fn flow_insert(
    text: &str,
    value: &Spanned<Value>,
    open: char,
    close: char,
    snippet: &str,
) -> Option<Option<Edit>> {
    let body = text.get(value.span.start..value.span.end)?;
    let inner = body.trim();
    if !inner.starts_with(open) {
        return None;
    }
    Some((|| {
        if !inner.ends_with(close) {
            return None;
        }
        let snippet = flow_form(snippet);
        let close_at = value.span.start + body.trim_end().len() - 1;
        let content = inner[1..inner.len() - 1].trim_end();
        // after the last entry, before the spaces and the closing bracket
        let at = value.span.start + body.trim_end().len()
            - 1
            - (inner[..inner.len() - 1].len() - inner[..inner.len() - 1].trim_end().len());
        debug_assert!(at <= close_at);
        let sep = if content.trim().is_empty() {
            ""
        } else if content.ends_with(',') {
            " "
        } else {
            ", "
        };
        Some(Edit::insert(value.file, at, format!("{sep}{snippet}")))
    })())
}

/// `snippet` (block YAML at two-space steps, as the helpers take it) on one
/// line, in flow style: `a:\n  b: c\n  d:\n    - e` is `a: {b: c, d: [e]}`.
fn flow_form(snippet: &str) -> String {
    let lines: Vec<(usize, &str)> = snippet
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| (l.len() - l.trim_start().len(), l.trim_start()))
        .collect();
    fn entries(lines: &[(usize, &str)]) -> Vec<String> {
        let Some(&(depth, _)) = lines.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let (_, line) = lines[i];
            let nested = lines[i + 1..]
                .iter()
                .take_while(|(d, _)| *d > depth)
                .count();
            let inner = &lines[i + 1..i + 1 + nested];
            let line = line.strip_prefix("- ").unwrap_or(line);
            out.push(if inner.is_empty() {
                line.to_string()
            } else {
                let list = inner[0].1.starts_with("- ");
                let body = entries(inner).join(", ");
                if list {
                    format!("{line} [{body}]")
                } else {
                    format!("{line} {{{body}}}")
                }
            });
            i += 1 + nested;
        }
        out
    }
    entries(&lines).join(", ")
}

/// Where a new line goes after the entry (or item) written at column
/// `indent`, whose value is written at `start..end` after the key ending at
/// `key_end` (or the item's dash): the end of its last line, the lines
/// below indented deeper than `indent` included (a value's continuation, a
/// comment inside it), the blank lines after it not. `None` for a block
/// scalar that keeps its trailing line breaks (`|+`), which a new line would
/// change.
fn after_last_line(
    text: &str,
    indent: usize,
    key_end: usize,
    start: usize,
    end: usize,
) -> Option<usize> {
    let written = text.get(start..end)?;
    // the header `|+` or `>2+` stands on the key's line, before any comment
    let head = text.get(key_end..line_end(text, key_end.min(start)))?;
    let head = &head[..head.find('#').unwrap_or(head.len())];
    if let Some(at) = head.find(['|', '>']) {
        if head[at..].contains('+') {
            return None;
        }
    }
    let mut at = line_end(text, (start + written.trim_end().len()).max(start));
    let mut next = at;
    while let Some(nl) = text[next..].find('\n') {
        let line_start = next + nl + 1;
        let end = line_end(text, line_start);
        let line = &text[line_start..end];
        let content = line.trim_start_matches(' ');
        if !content.trim().is_empty() {
            if line.len() - content.len() <= indent {
                break;
            }
            at = end;
        }
        next = end;
    }
    Some(at)
}

/// `snippet`'s lines, each on a new line, indented by `indent` plus `step`
/// per two spaces it carries, after `lead` on its first.
fn block_lines(text: &str, snippet: &str, indent: usize, step: usize, lead: &str) -> String {
    let nl = line_break(text);
    let mut out = String::from(lead);
    for line in snippet.lines() {
        let depth = line.len() - line.trim_start().len();
        out.push_str(nl);
        out.push_str(&" ".repeat(indent + depth / 2 * step));
        out.push_str(line.trim_start());
    }
    out
}

/// The entries of `map` written in `file` inside `within`: the mapping's own
/// entries there, not those merged in from anchors or other files.
fn own_items(map: &Map, file: FileId, within: Span) -> impl Iterator<Item = &MapItem> {
    map.items.iter().filter(move |i| {
        i.key.file == file && within.contains(i.key.span) && i.value.via.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::{self, Environment, LoadOptions, Service};
    use crate::fix::apply;
    use crate::source::{SourceFile, SourceMap};

    /// `text` with the edit `edit` makes of service `web`, or `None` when
    /// it refuses.
    fn edited(text: &str, edit: impl Fn(&Service<'_>) -> Option<Edit>) -> Option<String> {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("compose.yaml", text.to_string()));
        let loaded =
            compose::load_file(&sources, id, &Environment::empty(), &LoadOptions::default());
        let svc = loaded.compose.services().find(|s| s.name() == "web")?;
        Some(apply(text, &[&edit(&svc)?]))
    }

    fn insert(text: &str, snippet: &str) -> Option<String> {
        edited(text, |svc| insert_entries(text, svc.key, svc.def, snippet))
    }

    fn append(text: &str, item: &str) -> Option<String> {
        edited(text, |svc| append_item(text, svc.get("ports")?, item))
    }

    #[test]
    fn a_block_mapping_takes_the_entry_at_its_indentation_after_its_last_line() {
        let text = "services:\n    web:\n        image: x   # pinned\n        command: >\n          run it\n\n    db:\n        image: y\n";
        assert_eq!(
            insert(text, "logging:\n  options:\n    max-size: 10m").unwrap(),
            "services:\n    web:\n        image: x   # pinned\n        command: >\n          run it\n        logging:\n            options:\n                max-size: 10m\n\n    db:\n        image: y\n"
        );
    }

    #[test]
    fn line_breaks_and_a_missing_final_break_are_kept() {
        assert_eq!(
            insert("services:\r\n  web:\r\n    image: x", "restart: always").unwrap(),
            "services:\r\n  web:\r\n    image: x\r\n    restart: always"
        );
    }

    #[test]
    fn a_flow_mapping_takes_a_one_line_entry() {
        assert_eq!(
            insert("services:\n  web: {image: x }\n", "restart: always").unwrap(),
            "services:\n  web: {image: x, restart: always }\n"
        );
        assert_eq!(
            insert("services:\n  web: {image: x,}\n", "restart: always").unwrap(),
            "services:\n  web: {image: x, restart: always}\n"
        );
        assert_eq!(
            insert(
                "services:\n  web: {image: x}\n",
                "a:\n  b: c\n  d:\n    - e\n    - f\ng: h"
            )
            .unwrap(),
            "services:\n  web: {image: x, a: {b: c, d: [e, f]}, g: h}\n"
        );
    }

    #[test]
    fn aliases_merge_keys_and_keep_scalars_are_refused() {
        let alias = "x: &base\n  image: x\nservices:\n  web: *base\n";
        assert_eq!(insert(alias, "restart: always"), None);
        let merged_only = "x: &base\n  image: x\nservices:\n  web:\n    <<: *base\n";
        assert_eq!(insert(merged_only, "restart: always"), None);
        let keep = "services:\n  web:\n    image: x\n    command: |+\n      run\n\n";
        assert_eq!(insert(keep, "restart: always"), None);
        // a merge key beside own entries: the service's own mapping takes it
        let beside = "x: &base\n  image: x\nservices:\n  web:\n    <<: *base\n    init: true\n";
        assert_eq!(
            insert(beside, "restart: always").unwrap(),
            "x: &base\n  image: x\nservices:\n  web:\n    <<: *base\n    init: true\n    restart: always\n"
        );
    }

    #[test]
    fn a_key_written_but_refused_is_not_added_again() {
        // `logging: dr` is not a mapping: the model leaves it out
        let text = "services:\n  web:\n    logging: dr\n    image: x\n";
        assert_eq!(insert(text, "logging:\n  driver: local"), None);
        assert_eq!(
            insert("services:\n  web: {logging: 1, image: x}\n", "logging: {}"),
            None
        );
    }

    #[test]
    fn lists_take_items_in_their_style() {
        assert_eq!(
            append(
                "services:\n  web:\n    ports:\n    - \"80:80\" # web\n",
                "x"
            )
            .unwrap(),
            "services:\n  web:\n    ports:\n    - \"80:80\" # web\n    - x\n"
        );
        assert_eq!(
            append("services:\n  web:\n    ports: [\"80:80\"]\n", "x").unwrap(),
            "services:\n  web:\n    ports: [\"80:80\", x]\n"
        );
        assert_eq!(
            append("services:\n  web:\n    ports: []\n", "x").unwrap(),
            "services:\n  web:\n    ports: [x]\n"
        );
    }
}
