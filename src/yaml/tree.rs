//! A spanned YAML node tree built from parser events.
//!
//! Unlike a YAML loader, the tree keeps everything a linter needs: duplicate
//! keys (both entries stay, in order), aliases as references to their anchor's
//! node (never copied, so an alias bomb costs nothing here), raw scalar text and
//! style, tags, comments, and every document of a multi-document stream.

use super::events::{self, Backend, Comment, Event, ScalarStyle};
use crate::source::Span;

/// How the message of a YM001 for a document the parser could not read to
/// its end starts: what was modelled of that file is a fragment, and no
/// other finding is reported for it.
pub const SYNTAX_ERROR: &str = "invalid YAML: ";

/// Index of a node in [`Tree::nodes`].
pub type NodeId = usize;

/// An anchor on a node: `&name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The name without `&`.
    pub name: String,
    /// Span of the `&name` token.
    pub span: Span,
}

/// A key/value pair of a mapping, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The key node.
    pub key: NodeId,
    /// The value node.
    pub value: NodeId,
}

/// What a node is. Every variant fits in 32 bytes (text of up to 24 bytes
/// held in place, children as boxed slices, the rare alias boxed) so that a
/// node takes 48: a file's nodes live as long as the model built from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A scalar: the value after YAML escape processing and its style.
    Scalar {
        /// Processed value (quotes removed, escapes applied, lines folded).
        value: crate::source::Text,
        /// How it was written.
        style: ScalarStyle,
    },
    /// A sequence.
    Sequence {
        /// Items in order.
        items: Box<[NodeId]>,
        /// Written as `[...]`.
        flow: bool,
    },
    /// A mapping; duplicate keys are kept, in source order.
    Mapping {
        /// Entries in order.
        entries: Box<[Entry]>,
        /// Written as `{...}`.
        flow: bool,
    },
    /// A reference `*name` to an anchored node.
    Alias(Box<Alias>),
}

/// An alias `*name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    /// Name without `*`.
    pub name: String,
    /// The anchored node; `None` when the anchor is undefined or the alias
    /// would be recursive.
    pub target: Option<NodeId>,
}

/// What is written before a node's content, when anything is: few nodes
/// carry either, so both live behind one pointer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties {
    /// The anchor defined on this node.
    pub anchor: Option<Anchor>,
    /// The tag as written, e.g. `!reset`.
    pub tag: Option<Box<str>>,
}

/// One node with its span and properties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Scalar, sequence, mapping or alias.
    pub kind: NodeKind,
    /// Byte range of the node's content (a collection: first to last child
    /// or bracket), in 32 bits: files are read up to 16 MiB.
    at: [u32; 2],
    /// Anchor and tag, `None` when the node has neither.
    pub properties: Option<Box<Properties>>,
}

/// An offset in 32 bits, saturating (files are read up to 16 MiB).
fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl Node {
    /// Byte range of the node's content (a collection: first to last child or bracket).
    pub fn span(&self) -> Span {
        Span::new(self.at[0] as usize, self.at[1] as usize)
    }

    fn set_end(&mut self, end: usize) {
        self.at[1] = offset32(end);
    }

    /// Calls `f` with each child: items, keys and values, an alias's target.
    fn for_each_child(&self, mut f: impl FnMut(NodeId)) {
        match &self.kind {
            NodeKind::Scalar { .. } => {}
            NodeKind::Alias(alias) => alias.target.into_iter().for_each(f),
            NodeKind::Sequence { items, .. } => items.iter().copied().for_each(f),
            NodeKind::Mapping { entries, .. } => entries.iter().for_each(|e| {
                f(e.key);
                f(e.value);
            }),
        }
    }

    /// The anchor defined on this node.
    pub fn anchor(&self) -> Option<&Anchor> {
        self.properties.as_ref()?.anchor.as_ref()
    }

    /// The tag as written, e.g. `!reset`.
    pub fn tag(&self) -> Option<&str> {
        self.properties.as_ref()?.tag.as_deref()
    }
}

/// A problem found while building the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TreeIssue {
    /// The parser stopped here; `unclosed` is the `[` or `{` of a flow
    /// collection still open there, the usual cause.
    Syntax {
        span: Span,
        message: String,
        unclosed: Option<(Span, char)>,
    },
    /// `second` repeats the key `first` of the same mapping.
    DuplicateKey {
        key: String,
        first: Span,
        second: Span,
    },
    /// An alias naming no anchor defined before it.
    UndefinedAlias { name: String, span: Span },
    /// An alias to a node that contains the alias.
    RecursiveAlias {
        name: String,
        span: Span,
        anchor: Span,
    },
}

/// One YAML document of the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Document {
    /// The root node, `None` for an empty document.
    pub root: Option<NodeId>,
}

/// Bytes of scalar text that weigh as much as one node in [`Tree::expanded_size`].
pub const SCALAR_BYTES_PER_NODE: usize = 32;

/// The parsed file: every document, comment and issue.
#[derive(Debug, Default)]
pub struct Tree {
    /// All nodes; a parent's id is smaller than its children's.
    pub nodes: Vec<Node>,
    /// Documents in order.
    pub documents: Vec<Document>,
    /// Comments in source order.
    pub comments: Vec<Comment>,
    /// Problems found while parsing and building.
    pub issues: Vec<TreeIssue>,
    /// `false` when a syntax error cut the stream short: the tree holds what
    /// came before it, so checks that look for something *missing* must not trust it.
    pub complete: bool,
    /// Number of nodes each node stands for once aliases are expanded,
    /// saturating at four billion: far past any budget, in half the space.
    expanded: Vec<u32>,
}

enum Frame {
    Seq(NodeId, Vec<NodeId>),
    Map(NodeId, Vec<Entry>, Option<NodeId>),
}

impl Tree {
    /// Parses `text` with the default backend.
    pub fn parse(text: &str) -> Tree {
        Tree::parse_with(text, Backend::default())
    }

    /// Parses `text` with the given backend. A leading BOM is skipped; spans stay
    /// byte offsets into `text` itself.
    pub fn parse_with(text: &str, backend: Backend) -> Tree {
        Tree::build(text, backend, true)
    }

    /// [`Tree::parse_with`] without the comments, which the compose model
    /// does not use (suppression directives are read on their own): the
    /// parser does less.
    ///
    /// With the default backend, text in the block subset compose files
    /// are nearly always written in is read by [`super::block`], which
    /// gives the same tree for less; anything else by the full parser.
    pub fn parse_content(text: &str, backend: Backend) -> Tree {
        Tree::build(text, backend, false)
    }

    /// [`Tree::parse_content`] by the full parser alone: what the block
    /// reader's tests compare it with.
    #[doc(hidden)]
    pub fn parse_content_fully(text: &str, backend: Backend) -> Tree {
        Tree::build_by(text, backend, false, false)
    }

    fn build(text: &str, backend: Backend, comments: bool) -> Tree {
        Tree::build_by(
            text,
            backend,
            comments,
            !comments && backend == Backend::Granit,
        )
    }

    fn build_by(text: &str, backend: Backend, comments: bool, block: bool) -> Tree {
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut builder = Builder::default();
        let sink = |builder: &mut Builder, mut ev: Event| {
            if let Event::Scalar {
                style: ScalarStyle::Literal | ScalarStyle::Folded,
                span,
                ..
            } = &mut ev
            {
                // Block scalars' spans run to the next token: end them at their last
                // non-blank character so diagnostics underline the text only.
                let body = text.get(span.start..span.end).unwrap_or("");
                span.end = span.start + body.trim_end().len();
            }
            builder.event(ev);
        };
        let read = block
            && super::block::read(&text[base..], base, &mut |ev| sink(&mut builder, ev)).is_ok();
        let stream = if read {
            events::Parsed::default()
        } else {
            // what the block reader built before it gave up is thrown away
            builder = Builder::default();
            events::parse(&text[base..], base, backend, comments, &mut |ev| {
                sink(&mut builder, ev)
            })
        };
        // the innermost flow collection still open where the parser stopped
        let unclosed = builder.stack.iter().rev().find_map(|frame| {
            let (Frame::Seq(id, _) | Frame::Map(id, _, _)) = frame;
            let id = *id;
            let node = &builder.tree.nodes[id];
            let flow = matches!(
                node.kind,
                NodeKind::Sequence { flow: true, .. } | NodeKind::Mapping { flow: true, .. }
            );
            let start = node.span().start;
            let open = text.get(start..)?.chars().next()?;
            (flow && matches!(open, '[' | '{')).then(|| (Span::new(start, start + 1), open))
        });
        let mut tree = builder.finish();
        // the nodes live as long as the model built from them: give back
        // what growing by doubling left unused
        tree.nodes.shrink_to_fit();
        tree.comments = stream.comments;
        if let Some(err) = stream.error {
            let span = widen_to_char(text, err.span);
            tree.issues.insert(
                0,
                TreeIssue::Syntax {
                    span,
                    message: err.message,
                    unclosed,
                },
            );
            tree.complete = false;
        }
        tree.compute_expanded_sizes();
        tree
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The root of the first document, if any.
    pub fn root(&self) -> Option<NodeId> {
        self.documents.first().and_then(|d| d.root)
    }

    /// The scalar value of `id`, if it is a scalar.
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id].kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// How many nodes `id` stands for once every alias beneath it is expanded;
    /// a scalar counts one more per [`SCALAR_BYTES_PER_NODE`] bytes of text, so
    /// that aliases of long strings are bounded in bytes too.
    pub fn expanded_size(&self, id: NodeId) -> u64 {
        self.expanded.get(id).map_or(1, |&n| u64::from(n))
    }

    fn compute_expanded_sizes(&mut self) {
        // Children have larger ids than parents, and an alias's target is never an
        // ancestor (recursive aliases are cut), but the target may have a larger id than
        // the alias's parent. Process by decreasing id, resolving alias targets on demand
        // through an explicit stack so deep trees cannot overflow the call stack.
        // `PENDING` until computed; totals saturate one below it.
        const PENDING: u32 = u32::MAX;
        let mut size: Vec<u32> = vec![PENDING; self.nodes.len()];
        let mut stack = Vec::new();
        for start in (0..self.nodes.len()).rev() {
            stack.push(start);
            while let Some(&id) = stack.last() {
                if size[id] != PENDING {
                    stack.pop();
                    continue;
                }
                let node = &self.nodes[id];
                let waiting = stack.len();
                node.for_each_child(|c| {
                    if size[c] == PENDING {
                        stack.push(c);
                    }
                });
                if stack.len() == waiting {
                    let mut total = match &node.kind {
                        NodeKind::Alias(_) => 0,
                        NodeKind::Scalar { value, .. } => {
                            let bytes = value.len() / SCALAR_BYTES_PER_NODE;
                            u32::try_from(bytes).unwrap_or(u32::MAX).saturating_add(1)
                        }
                        _ => 1,
                    };
                    node.for_each_child(|c| total = total.saturating_add(size[c]));
                    size[id] = total.min(PENDING - 1);
                    stack.pop();
                }
            }
        }
        self.expanded = size;
    }
}

/// An error at a point is shown on the character there (or the one before at EOF).
fn widen_to_char(text: &str, span: Span) -> Span {
    if !span.is_empty() {
        return span;
    }
    let at = span.start.min(text.len());
    match text[at..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => Span::new(at, at + c.len_utf8()),
        _ => Span::point(at),
    }
}

/// Mappings with at most this many entries are checked for duplicate keys
/// without a map.
const SMALL_MAPPING: usize = 16;

#[derive(Default)]
struct Builder {
    tree: Tree,
    stack: Vec<Frame>,
    anchors: rustc_hash::FxHashMap<usize, NodeId>,
    finished: Vec<bool>,
    in_document: bool,
}

impl Builder {
    fn alloc(&mut self, kind: NodeKind, span: Span, props: events::NodeProps) -> NodeId {
        let id = self.tree.nodes.len();
        let properties = props.map(|props| {
            let anchor = props.anchor.map(|a| {
                self.anchors.insert(a.id, id);
                Anchor {
                    name: a.name,
                    span: a.span,
                }
            });
            let tag = props.tag.map(String::into_boxed_str);
            Box::new(Properties { anchor, tag })
        });
        self.tree.nodes.push(Node {
            kind,
            at: [offset32(span.start), offset32(span.end)],
            properties,
        });
        self.finished.push(false);
        id
    }

    fn event(&mut self, ev: Event) {
        match ev {
            Event::DocumentStart { .. } => {
                self.tree.documents.push(Document { root: None });
                self.in_document = true;
            }
            Event::DocumentEnd { .. } => self.in_document = false,
            Event::Scalar {
                value,
                style,
                props,
                span,
            } => {
                let id = self.alloc(NodeKind::Scalar { value, style }, span, props);
                self.finished[id] = true;
                self.attach(id);
            }
            Event::Alias { name, target, span } => {
                let resolved = target.and_then(|t| self.anchors.get(&t).copied());
                let target = match resolved {
                    Some(t) if !self.finished[t] => {
                        let anchor = self.tree.nodes[t].anchor().map_or(span, |a| a.span);
                        self.tree.issues.push(TreeIssue::RecursiveAlias {
                            name: name.clone(),
                            span,
                            anchor,
                        });
                        None
                    }
                    Some(t) => Some(t),
                    None => {
                        self.tree.issues.push(TreeIssue::UndefinedAlias {
                            name: name.clone(),
                            span,
                        });
                        None
                    }
                };
                let id = self.alloc(
                    NodeKind::Alias(Box::new(Alias { name, target })),
                    span,
                    None,
                );
                self.finished[id] = true;
                self.attach(id);
            }
            Event::SequenceStart { flow, props, span } => {
                let id = self.alloc(
                    NodeKind::Sequence {
                        items: Box::default(),
                        flow,
                    },
                    span,
                    props,
                );
                self.stack.push(Frame::Seq(id, Vec::new()));
            }
            Event::MappingStart { flow, props, span } => {
                let id = self.alloc(
                    NodeKind::Mapping {
                        entries: Box::default(),
                        flow,
                    },
                    span,
                    props,
                );
                self.stack.push(Frame::Map(id, Vec::new(), None));
            }
            Event::SequenceEnd { span } | Event::MappingEnd { span } => self.close(Some(span)),
        }
    }

    /// Closes the innermost collection; `end` is the end event's span, used for
    /// flow collections whose closing bracket ends the node.
    fn close(&mut self, end: Option<Span>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let id = match frame {
            Frame::Seq(id, items) => {
                let last = items.last().map(|&i| self.tree.nodes[i].span().end);
                let node = &mut self.tree.nodes[id];
                let span = node.span();
                if let NodeKind::Sequence { items: slot, flow } = &mut node.kind {
                    let end = span_end(span, *flow, end, last);
                    *slot = items.into_boxed_slice();
                    node.set_end(end);
                }
                id
            }
            // A key still waiting for its value (only after a syntax error) is dropped:
            // its value was never read.
            Frame::Map(id, entries, _pending) => {
                self.check_duplicates(&entries);
                let last = entries.last().map(|e| self.tree.nodes[e.value].span().end);
                let node = &mut self.tree.nodes[id];
                let span = node.span();
                if let NodeKind::Mapping {
                    entries: slot,
                    flow,
                } = &mut node.kind
                {
                    let end = span_end(span, *flow, end, last);
                    *slot = entries.into_boxed_slice();
                    node.set_end(end);
                }
                id
            }
        };
        self.finished[id] = true;
        self.attach(id);
    }

    fn check_duplicates(&mut self, entries: &[Entry]) {
        let nodes = &self.tree.nodes;
        let scalar_key = |e: &Entry| match &nodes[e.key].kind {
            NodeKind::Scalar { value, .. } => Some((value.as_str(), nodes[e.key].span())),
            _ => None,
        };
        let mut duplicates = Vec::new();
        // most mappings hold a few keys: comparing each with those before it
        // costs less than building a map
        if entries.len() <= SMALL_MAPPING {
            for (i, e) in entries.iter().enumerate() {
                let Some((key, span)) = scalar_key(e) else {
                    continue;
                };
                if let Some((_, first)) = entries[..i]
                    .iter()
                    .filter_map(scalar_key)
                    .find(|(k, _)| *k == key)
                {
                    duplicates.push((key, first, span));
                }
            }
        } else {
            let mut seen: rustc_hash::FxHashMap<&str, Span> = Default::default();
            for (key, span) in entries.iter().filter_map(scalar_key) {
                match seen.get(key) {
                    Some(&first) => duplicates.push((key, first, span)),
                    None => {
                        seen.insert(key, span);
                    }
                }
            }
        }
        let issues = duplicates
            .into_iter()
            .map(|(key, first, second)| TreeIssue::DuplicateKey {
                key: key.to_string(),
                first,
                second,
            })
            .collect::<Vec<_>>();
        self.tree.issues.extend(issues);
    }

    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, items)) => items.push(id),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                Some(key) => entries.push(Entry { key, value: id }),
                None => *pending = Some(id),
            },
            None => {
                if !self.in_document || self.tree.documents.is_empty() {
                    self.tree.documents.push(Document { root: None });
                }
                if let Some(doc) = self.tree.documents.last_mut() {
                    if doc.root.is_none() {
                        doc.root = Some(id);
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Tree {
        while !self.stack.is_empty() {
            self.close(None);
        }
        self.tree.complete = true;
        self.tree
    }
}

/// End of a collection: a flow collection ends at its closing bracket; a block one
/// at its last child (the parser's end event often points past trailing blank lines).
fn span_end(start: Span, flow: bool, end: Option<Span>, last_child: Option<usize>) -> usize {
    let by_child = last_child.unwrap_or(start.end);
    match end {
        Some(e) if flow => e.end.max(by_child),
        _ => by_child.max(start.start),
    }
}

impl Tree {
    /// The problems found while building the tree, as diagnostics for `file`.
    pub fn diagnostics(&self, file: crate::source::FileId) -> Vec<crate::diagnostic::Diagnostic> {
        use crate::diagnostic::{codes, Diagnostic};
        self.issues
            .iter()
            .map(|issue| match issue {
                TreeIssue::Syntax {
                    span,
                    message,
                    unclosed: Some((open, bracket)),
                } => {
                    let close = if *bracket == '[' { ']' } else { '}' };
                    let d = Diagnostic::new(
                        codes::YAML_SYNTAX,
                        file,
                        *open,
                        format!("{SYNTAX_ERROR}this `{bracket}` is never closed"),
                    )
                    .with_primary_label(format!("opened here, no `{close}` follows"));
                    // where the parser gave up, unless right at the bracket
                    let d = if span.start > open.end {
                        d.with_label(file, *span, format!("the parser stopped here: {message}"))
                    } else {
                        d
                    };
                    d.with_help(format!(
                        "close it with `{close}` on the same line, or write the list as indented `- ` items; nothing after this point was checked"
                    ))
                }
                TreeIssue::Syntax { span, message, .. } => Diagnostic::new(
                    codes::YAML_SYNTAX,
                    file,
                    *span,
                    format!("{SYNTAX_ERROR}{message}"),
                )
                .with_primary_label("the parser stopped here")
                .with_help("fix the syntax; nothing after this point was checked"),
                TreeIssue::DuplicateKey { key, first, second } => Diagnostic::new(
                    codes::DUPLICATE_KEY,
                    file,
                    *second,
                    format!("key `{key}` is defined twice in the same mapping"),
                )
                .with_primary_label("defined again here")
                .with_label(file, *first, "first defined here")
                .with_help("Compose rejects duplicate keys: keep one and remove the other"),
                TreeIssue::UndefinedAlias { name, span } => Diagnostic::new(
                    codes::UNDEFINED_ALIAS,
                    file,
                    *span,
                    format!("alias `*{name}` refers to no anchor"),
                )
                .with_primary_label("no `&".to_string() + name + "` before this")
                .with_help(format!(
                    "define `&{name}` on a node before this alias, or fix the name"
                )),
                TreeIssue::RecursiveAlias { name, span, anchor } => Diagnostic::new(
                    codes::UNDEFINED_ALIAS,
                    file,
                    *span,
                    format!("alias `*{name}` refers to a node that contains it"),
                )
                .with_primary_label("recursive alias")
                .with_label(file, *anchor, "anchor defined here")
                .with_help("an alias may only refer to a node defined before it, outside it"),
            })
            .collect()
    }
}

impl Tree {
    /// An indented listing of every document and node with its span as
    /// `line:col-line:col` and its source text; comments and issues follow.
    /// For snapshot tests and debugging.
    pub fn outline(&self, src: &crate::source::SourceFile) -> String {
        let mut out = String::new();
        for (i, doc) in self.documents.iter().enumerate() {
            out.push_str(&format!("document {}\n", i + 1));
            if let Some(root) = doc.root {
                self.outline_node(root, 1, "", src, &mut out);
            }
        }
        for c in &self.comments {
            out.push_str(&format!(
                "comment {:?} {:?} @{}\n",
                c.text,
                c.placement,
                at(src, c.span)
            ));
        }
        for issue in &self.issues {
            out.push_str(&format!("issue {issue:?}\n"));
        }
        if !self.complete {
            out.push_str("incomplete\n");
        }
        out
    }

    fn outline_node(
        &self,
        id: NodeId,
        depth: usize,
        prefix: &str,
        src: &crate::source::SourceFile,
        out: &mut String,
    ) {
        let node = &self.nodes[id];
        let pad = "  ".repeat(depth);
        let mut props = String::new();
        if let Some(a) = node.anchor() {
            props.push_str(&format!(" &{}@{}", a.name, at(src, a.span)));
        }
        if let Some(t) = node.tag() {
            props.push_str(&format!(" tag {t}"));
        }
        let pos = at(src, node.span());
        match &node.kind {
            NodeKind::Scalar { value, style } => out.push_str(&format!(
                "{pad}{prefix}scalar {value:?} {style:?} @{pos} text {:?}{props}\n",
                src.slice(node.span())
            )),
            NodeKind::Alias(alias) => out.push_str(&format!(
                "{pad}{prefix}alias *{} -> {} @{pos}\n",
                alias.name,
                alias
                    .target
                    .map_or("undefined".to_string(), |t| format!("node {t}"))
            )),
            NodeKind::Sequence { items, flow } => {
                let style = if *flow { "flow" } else { "block" };
                out.push_str(&format!("{pad}{prefix}sequence {style} @{pos}{props}\n"));
                for &item in items {
                    self.outline_node(item, depth + 1, "- ", src, out);
                }
            }
            NodeKind::Mapping { entries, flow } => {
                let style = if *flow { "flow" } else { "block" };
                out.push_str(&format!("{pad}{prefix}mapping {style} @{pos}{props}\n"));
                for e in entries {
                    self.outline_node(e.key, depth + 1, "key ", src, out);
                    self.outline_node(e.value, depth + 2, "value ", src, out);
                }
            }
        }
    }
}

fn at(src: &crate::source::SourceFile, span: Span) -> String {
    let a = src.line_col(span.start);
    let b = src.line_col(span.end);
    format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_weighs_48_bytes() {
        // a file's nodes live as long as the model built from them
        assert!(std::mem::size_of::<Node>() <= 48);
        assert!(std::mem::size_of::<NodeKind>() <= 32);
    }

    #[test]
    fn a_repeated_key_names_its_first_place_in_small_and_large_mappings() {
        for keys in [3, SMALL_MAPPING, SMALL_MAPPING + 1, 40] {
            let mut text: String = (0..keys).map(|i| format!("k{i}: {i}\n")).collect();
            text.push_str("k1: again\nk1: thrice\n[k0]: not a scalar key\n");
            let tree = Tree::parse(&text);
            let first = text.find("k1").unwrap();
            let dups: Vec<(&str, usize, usize)> = tree
                .issues
                .iter()
                .filter_map(|i| match i {
                    TreeIssue::DuplicateKey { key, first, second } => {
                        Some((key.as_str(), first.start, second.start))
                    }
                    _ => None,
                })
                .collect();
            let again = text.find("k1: again").unwrap();
            let thrice = text.find("k1: thrice").unwrap();
            assert_eq!(
                dups,
                [("k1", first, again), ("k1", first, thrice)],
                "{keys} keys"
            );
        }
    }

    #[test]
    fn trees_are_the_same_with_and_without_comments_however_many_there_are() {
        // comments where the parser looks ahead for a key's `:`, past the
        // hundred it once buffered at most
        let notes: String = (0..150).map(|i| format!("    # note {i}\n")).collect();
        let text = format!(
            "# seaworthy: ignore CM101\nservices:\n  web:\n{notes}    image: nginx # pinned\n    ? key\n{notes}    : value\n"
        );
        for backend in [Backend::Granit, Backend::Saphyr] {
            let with = Tree::parse_with(&text, backend);
            let without = Tree::parse_content(&text, backend);
            assert!(with.issues.is_empty(), "{backend:?}: {:?}", with.issues);
            assert!(
                without.issues.is_empty(),
                "{backend:?}: {:?}",
                without.issues
            );
            assert_eq!(with.nodes, without.nodes, "{backend:?}");
            assert_eq!(with.comments.len(), 302, "{backend:?}");
            assert!(without.comments.is_empty(), "{backend:?}");
        }
        assert_eq!(crate::yaml::events::comments(&text).len(), 302);
    }

    #[test]
    fn expanded_sizes_count_what_aliases_stand_for() {
        let text = "a: &x [1, 2, 3]\nb: *x\nc: [*x, *x]\nd: *nowhere\n";
        let tree = Tree::parse(text);
        let root = tree.root().unwrap();
        let NodeKind::Mapping { entries, .. } = &tree.node(root).kind else {
            panic!("mapping");
        };
        let size = |i: usize| tree.expanded_size(entries[i].value);
        // a sequence of three scalars; an alias adds nothing of its own;
        // an undefined alias stands for nothing
        assert_eq!((size(0), size(1), size(2), size(3)), (4, 4, 9, 0));
        // the root: itself, four keys and the four values
        assert_eq!(tree.expanded_size(root), 1 + 4 + 4 + 4 + 9);
    }
}
