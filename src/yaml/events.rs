//! The only module that imports a YAML parser crate.
//!
//! Both backends (granit-parser, the default, and saphyr-parser, the fallback)
//! are adapted to one event type carrying **byte** spans into the original text.

use crate::source::Span;

/// Which parser crate produces the events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Backend {
    /// granit-parser: comments, anchor names and byte offsets.
    #[default]
    Granit,
    /// saphyr-parser: the fallback; no comments, anchor names recovered from the
    /// text, character offsets converted to bytes here.
    Saphyr,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalarStyle {
    /// `value`
    Plain,
    /// `'value'`
    SingleQuoted,
    /// `"value"`
    DoubleQuoted,
    /// `|` block
    Literal,
    /// `>` block
    Folded,
}

/// An anchor definition on a node: `&name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorDef {
    /// The parser's anchor id (unique per stream).
    pub id: usize,
    /// The name without `&`.
    pub name: String,
    /// The span of the `&name` token.
    pub span: Span,
}

/// Node properties shared by scalars and collections.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Props {
    /// The anchor defined on this node.
    pub anchor: Option<AnchorDef>,
    /// The tag as written (`!reset`, `!!str`), if any.
    pub tag: Option<String>,
}

/// A node's properties as an event carries them: `None` when it has
/// neither anchor nor tag, as nearly every node has, so that an event stays
/// small (events are moved one by one from the parser into the tree).
pub type NodeProps = Option<Box<Props>>;

impl Props {
    /// `anchor` and `tag` as an event carries them.
    pub fn of(anchor: Option<AnchorDef>, tag: Option<String>) -> NodeProps {
        (anchor.is_some() || tag.is_some()).then(|| Box::new(Props { anchor, tag }))
    }
}

/// A parse event with byte spans.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A document begins; `explicit` when written as `---`.
    DocumentStart { explicit: bool, span: Span },
    /// A document ends.
    DocumentEnd { span: Span },
    /// A scalar with its processed value, style and properties.
    Scalar {
        value: crate::source::Text,
        style: ScalarStyle,
        props: NodeProps,
        span: Span,
    },
    /// A sequence begins; `flow` when written `[...]`.
    SequenceStart {
        flow: bool,
        props: NodeProps,
        span: Span,
    },
    /// A sequence ends.
    SequenceEnd { span: Span },
    /// A mapping begins; `flow` when written `{...}`.
    MappingStart {
        flow: bool,
        props: NodeProps,
        span: Span,
    },
    /// A mapping ends.
    MappingEnd { span: Span },
    /// An alias `*name`; `target` is the anchor id, `None` when undefined.
    Alias {
        name: String,
        target: Option<usize>,
        span: Span,
    },
}

/// Where a comment stands relative to content on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommentPlacement {
    /// Alone on its line.
    OwnLine,
    /// After content on the same line.
    Trailing,
}

/// A `# comment` with the span of the whole comment including `#`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    /// Text after `#`.
    pub text: String,
    /// Span of `#…` up to the end of the line.
    pub span: Span,
    /// Own line or trailing.
    pub placement: CommentPlacement,
}

/// A syntax error: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the error (an empty span there, widened to one char if possible).
    pub span: Span,
    /// The parser's description.
    pub message: String,
}

/// What parsing leaves besides the events.
#[derive(Debug, Default)]
pub struct Parsed {
    /// All comments, in source order.
    pub comments: Vec<Comment>,
    /// The first syntax error, after which no events follow.
    pub error: Option<SyntaxError>,
}

/// Parses `text`, handing each event to `sink` as it is read: the events of
/// a large file are never all held at once. `base` is added to every span
/// (used to skip a BOM). Comments are collected only when `comments` is
/// set: the parser does less without them.
pub fn parse(
    text: &str,
    base: usize,
    backend: Backend,
    comments: bool,
    sink: &mut dyn FnMut(Event),
) -> Parsed {
    match backend {
        Backend::Granit => granit::parse(text, base, comments, sink),
        Backend::Saphyr => {
            // saphyr does not report comments: recover them by YAML's rule, a `#` at
            // line start or after a blank, outside any scalar.
            let (events, error) = saphyr::parse(text, base);
            let comments = if comments {
                scan_comments(text, base, &events)
            } else {
                Vec::new()
            };
            events.into_iter().for_each(sink);
            Parsed { comments, error }
        }
    }
}

/// Every comment of `text` (a leading BOM skipped; spans into `text`). Comments
/// after a syntax error are not found.
pub fn comments(text: &str) -> Vec<Comment> {
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    parse(&text[base..], base, Backend::default(), true, &mut |_| {}).comments
}

/// Finds comments for backends that do not report them: a `#` preceded by
/// whitespace or at line start, outside any scalar span.
fn scan_comments(text: &str, base: usize, events: &[Event]) -> Vec<Comment> {
    let mut scalar_spans: Vec<Span> = events
        .iter()
        .filter_map(|e| match e {
            Event::Scalar { span, .. } => Some(Span::new(span.start - base, span.end - base)),
            _ => None,
        })
        .collect();
    scalar_spans.sort();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut si = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line_start = i + 1;
            continue;
        }
        if b != b'#' || (i > line_start && !matches!(bytes[i - 1], b' ' | b'\t')) {
            continue;
        }
        while si < scalar_spans.len() && scalar_spans[si].end <= i {
            si += 1;
        }
        if scalar_spans.get(si).is_some_and(|s| s.start <= i) {
            continue;
        }
        let end = text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n);
        let own_line = text[line_start..i].trim().is_empty();
        out.push(Comment {
            text: text[i + 1..end].to_string(),
            span: Span::new(base + i, base + end),
            placement: if own_line {
                CommentPlacement::OwnLine
            } else {
                CommentPlacement::Trailing
            },
        });
    }
    out
}

mod granit {
    use super::*;
    use granit_parser::{Event as G, Parser, Placement, ScalarStyle as S, StructureStyle};

    fn span(s: &granit_parser::Span, base: usize) -> Span {
        match s.byte_range() {
            Some(r) => Span::new(base + r.start, base + r.end),
            None => Span::point(base),
        }
    }

    fn tag(
        t: &Option<std::borrow::Cow<'_, granit_parser::Tag>>,
        sp: &granit_parser::Span,
        text: &str,
    ) -> Option<String> {
        let t = t.as_ref()?;
        if let Some(raw) = sp.tag_span().and_then(|ts| ts.slice(text)) {
            return Some(raw.to_string());
        }
        Some(t.to_string())
    }

    pub(super) fn parse(
        text: &str,
        base: usize,
        comments: bool,
        sink: &mut dyn FnMut(Event),
    ) -> Parsed {
        let options = granit_parser::options! {
            emit_anchor_events: true,
            emit_unresolved_aliases: true,
            emit_comments: comments,
            // comments before a key whose kind is not known yet wait until
            // it is: however many there are, as other YAML parsers accept
            // (they are bounded by the file's size)
            max_buffered_comment_events: usize::MAX,
        };
        let mut out = Parsed::default();
        // an anchor comes after the event of its node: each event waits here
        // until the next one is read
        let mut last: Option<Event> = None;
        let mut anchor_names: std::collections::HashMap<usize, String> = Default::default();
        for item in Parser::new_from_str_with_options(text, options) {
            let (ev, sp) = match item {
                Ok(x) => x,
                Err(e) => {
                    let at = e
                        .marker()
                        .byte_offset()
                        .unwrap_or(text.len())
                        .min(text.len());
                    out.error = Some(SyntaxError {
                        span: Span::point(base + at),
                        message: e.info().to_string(),
                    });
                    break;
                }
            };
            let s = span(&sp, base);
            let ev = match ev {
                G::StreamStart | G::StreamEnd => continue,
                G::DocumentStart(explicit, _) => Event::DocumentStart { explicit, span: s },
                G::DocumentEnd => Event::DocumentEnd { span: s },
                G::Alias(id) => Event::Alias {
                    name: anchor_names.get(&id).cloned().unwrap_or_default(),
                    target: Some(id),
                    span: s,
                },
                G::UnresolvedAlias(name) => Event::Alias {
                    name: name.into_owned(),
                    target: None,
                    span: s,
                },
                G::Anchor(id, name) => {
                    anchor_names.insert(id, name.to_string());
                    let def = AnchorDef {
                        id,
                        name: name.into_owned(),
                        span: s,
                    };
                    if let Some(
                        Event::Scalar { props, .. }
                        | Event::SequenceStart { props, .. }
                        | Event::MappingStart { props, .. },
                    ) = &mut last
                    {
                        props.get_or_insert_with(Box::default).anchor = Some(def);
                    }
                    continue;
                }
                G::Comment(body, placement) => {
                    out.comments.push(Comment {
                        text: body.into_owned(),
                        span: s,
                        placement: match placement {
                            Placement::Right => CommentPlacement::Trailing,
                            _ => CommentPlacement::OwnLine,
                        },
                    });
                    continue;
                }
                G::Scalar(value, style, _anchor, t) => Event::Scalar {
                    // An absent value is reported as `~` with an empty span: keep it empty.
                    value: if s.is_empty() && style == S::Plain {
                        crate::source::Text::default()
                    } else {
                        value.into()
                    },
                    style: match style {
                        S::Plain => ScalarStyle::Plain,
                        S::SingleQuoted => ScalarStyle::SingleQuoted,
                        S::DoubleQuoted => ScalarStyle::DoubleQuoted,
                        S::Literal => ScalarStyle::Literal,
                        S::Folded => ScalarStyle::Folded,
                    },
                    props: Props::of(None, tag(&t, &sp, text)),
                    span: s,
                },
                G::SequenceStart(style, _anchor, t) => Event::SequenceStart {
                    flow: style == StructureStyle::Flow,
                    props: Props::of(None, tag(&t, &sp, text)),
                    span: s,
                },
                G::SequenceEnd => Event::SequenceEnd { span: s },
                G::MappingStart(style, _anchor, t) => Event::MappingStart {
                    flow: style == StructureStyle::Flow,
                    props: Props::of(None, tag(&t, &sp, text)),
                    span: s,
                },
                G::MappingEnd => Event::MappingEnd { span: s },
                _ => continue,
            };
            if let Some(ev) = last.replace(ev) {
                sink(ev);
            }
        }
        if let Some(ev) = last {
            sink(ev);
        }
        out
    }
}

mod saphyr {
    use super::*;
    use saphyr_parser::{Event as E, Parser, ScalarStyle as S};

    /// Maps saphyr's character indices to byte offsets.
    struct CharToByte<'a> {
        text: &'a str,
        ascii: bool,
        offsets: Vec<usize>,
    }

    impl<'a> CharToByte<'a> {
        fn new(text: &'a str) -> Self {
            let ascii = text.is_ascii();
            let offsets = if ascii {
                Vec::new()
            } else {
                text.char_indices().map(|(b, _)| b).collect()
            };
            CharToByte {
                text,
                ascii,
                offsets,
            }
        }

        fn byte(&self, chars: usize) -> usize {
            if self.ascii {
                chars.min(self.text.len())
            } else {
                self.offsets.get(chars).copied().unwrap_or(self.text.len())
            }
        }
    }

    fn token_len(text: &str) -> usize {
        text.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .unwrap_or(text.len())
    }

    /// saphyr starts a node's span at its properties (`&name`, `!tag`): recover the
    /// anchor from there and move the start past properties, blanks and comments.
    fn split_props(
        text: &str,
        mut start: usize,
        end: usize,
        id: usize,
        base: usize,
    ) -> (Option<AnchorDef>, usize) {
        let mut anchor = None;
        loop {
            let rest = &text[start..end.max(start)];
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let skip = rest.len() - trimmed.len();
            if let Some(after) = trimmed.strip_prefix('&') {
                let len = token_len(after);
                let at = start + skip;
                anchor = Some(AnchorDef {
                    id,
                    name: after[..len].to_string(),
                    span: Span::new(base + at, base + at + 1 + len),
                });
                start = at + 1 + len;
            } else if trimmed.starts_with('!') {
                start += skip + token_len(trimmed);
            } else if trimmed.starts_with('#') || trimmed.starts_with(['\n', '\r']) {
                let nl = trimmed.find('\n').map_or(trimmed.len(), |n| n + 1);
                start += skip + nl;
            } else {
                return (anchor, start + skip);
            }
            if start >= end {
                return (anchor, end);
            }
        }
    }

    /// saphyr may extend a quoted scalar's span over a trailing comment: end it at
    /// the closing quote.
    fn quoted_end(text: &str, start: usize, quote: u8) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    }

    /// The events (saphyr does not report comments, which are found in the
    /// text once all scalars are known) and the first syntax error.
    pub(super) fn parse(text: &str, base: usize) -> (Vec<Event>, Option<SyntaxError>) {
        let map = CharToByte::new(text);
        let mut events = Vec::new();
        let mut error = None;
        let mut parser = Parser::new_from_str(text);
        loop {
            let (ev, sp) = match parser.next_event() {
                None => break,
                Some(Ok(x)) => x,
                Some(Err(e)) => {
                    let at = map.byte(e.marker().index());
                    let message = e.info().to_string();
                    if message.contains("unknown anchor") {
                        // saphyr stops at an undefined alias; report it as such.
                        let name: String = text[at..]
                            .trim_start_matches('*')
                            .chars()
                            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                            .collect();
                        events.push(Event::Alias {
                            span: Span::new(base + at, base + at + 1 + name.len()),
                            name,
                            target: None,
                        });
                    }
                    error = Some(SyntaxError {
                        span: Span::point(base + at),
                        message,
                    });
                    break;
                }
            };
            let mut s = Span::new(
                base + map.byte(sp.start.index()),
                base + map.byte(sp.end.index()),
            );
            let node_start = match &ev {
                E::Scalar(_, _, id, _) | E::SequenceStart(id, _) | E::MappingStart(id, _) => {
                    let (anchor, start) =
                        split_props(text, s.start - base, s.end - base, *id, base);
                    s.start = base + start;
                    s.end = s.end.max(s.start);
                    anchor
                }
                _ => None,
            };
            if let E::Scalar(_, style @ (S::SingleQuoted | S::DoubleQuoted), _, _) = &ev {
                let quote = if *style == S::SingleQuoted {
                    b'\''
                } else {
                    b'"'
                };
                if let Some(end) = quoted_end(text, s.start - base, quote) {
                    s.end = base + end;
                }
            }
            let props_for =
                |anchor: usize, tag: Option<std::borrow::Cow<'_, saphyr_parser::Tag>>| {
                    let anchor = if anchor == 0 {
                        None
                    } else {
                        node_start.clone()
                    };
                    Props::of(
                        anchor,
                        tag.map(|t| {
                            if t.handle == "!" {
                                format!("!{}", t.suffix)
                            } else if t.handle == "tag:yaml.org,2002:" {
                                format!("!!{}", t.suffix)
                            } else {
                                format!("{}{}", t.handle, t.suffix)
                            }
                        }),
                    )
                };
            let ev = match ev {
                E::Nothing | E::StreamStart | E::StreamEnd => continue,
                E::DocumentStart(explicit) => Event::DocumentStart { explicit, span: s },
                E::DocumentEnd => Event::DocumentEnd { span: s },
                E::Alias(id) => Event::Alias {
                    name: text
                        .get(s.start - base..s.end - base)
                        .unwrap_or("")
                        .trim_start_matches('*')
                        .to_string(),
                    target: Some(id),
                    span: s,
                },
                E::Scalar(value, style, anchor, tag) => Event::Scalar {
                    value: value.into(),
                    style: match style {
                        S::Plain => ScalarStyle::Plain,
                        S::SingleQuoted => ScalarStyle::SingleQuoted,
                        S::DoubleQuoted => ScalarStyle::DoubleQuoted,
                        S::Literal => ScalarStyle::Literal,
                        S::Folded => ScalarStyle::Folded,
                    },
                    props: props_for(anchor, tag),
                    span: s,
                },
                E::SequenceStart(anchor, tag) => Event::SequenceStart {
                    flow: text.as_bytes().get(s.start - base) == Some(&b'['),
                    props: props_for(anchor, tag),
                    span: s,
                },
                E::SequenceEnd => Event::SequenceEnd { span: s },
                E::MappingStart(anchor, tag) => Event::MappingStart {
                    flow: text.as_bytes().get(s.start - base) == Some(&b'{'),
                    props: props_for(anchor, tag),
                    span: s,
                },
                E::MappingEnd => Event::MappingEnd { span: s },
            };
            events.push(ev);
        }
        (events, error)
    }
}
