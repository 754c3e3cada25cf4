//! The block YAML that compose files are nearly always written in, read
//! directly into the events the full parser gives for it.
//!
//! A general YAML parser is written for every corner of the language, and it
//! pays for that on every byte; compose files use a small part of it: block
//! mappings and sequences, one-line plain and quoted scalars, literal and
//! folded block scalars, one- or few-line flow sequences and mappings,
//! anchors and aliases (and so merge keys). [`read`] reads that part only.
//! Anything else (tags, document markers and directives, `?` keys, scalars
//! over several lines other than block scalars, tabs, carriage returns,
//! control characters, nesting deeper than [`MAX_DEPTH`], and every error)
//! makes it give up, and the caller reads the text again with the full
//! parser, from the start: the reader never decides anything the full
//! parser would decide differently.
//!
//! The events are those the full parser gives where the tree reads them:
//! the same values, styles and spans of scalars and of the start of every
//! collection, and of both brackets of a flow collection. A test reads every
//! YAML file of the corpora, and many variants of each, both ways and
//! compares the trees built from them.

use super::events::{AnchorDef, Event, NodeProps, Props, ScalarStyle};
use crate::source::{Span, Text};

/// The text is not in the subset: read it with the full parser.
#[derive(Debug)]
pub struct Beyond;

type R<T> = Result<T, Beyond>;

/// The longest key the full parser takes without a `?` (YAML's limit on an
/// implicit key).
const MAX_KEY: usize = 1024;

/// How deep collections may nest before the reader leaves the text to the
/// full parser, which has limits of its own (and the reader's recursion
/// stays small on any thread's stack).
const MAX_DEPTH: usize = 64;

/// Reads `text` (`base` added to every span), handing each event to `sink`.
/// On `Err`, events already handed on are to be thrown away.
pub fn read(text: &str, base: usize, sink: &mut dyn FnMut(Event)) -> Result<(), Beyond> {
    if !printable(text) {
        return Err(Beyond);
    }
    let mut r = Reader {
        b: text.as_bytes(),
        s: text,
        base,
        pos: 0,
        depth: 0,
        anchors: Default::default(),
        defined: 0,
        pending: None,
        pending_inline: false,
        sink,
    };
    r.document()
}

/// Whether `text` holds only line feeds and characters YAML calls
/// printable: no tab, carriage return or control character, and none of the
/// characters some parsers take for line breaks or a byte-order mark.
fn printable(text: &str) -> bool {
    if text.is_ascii() {
        return text
            .bytes()
            .all(|b| b == b'\n' || (b' '..=b'~').contains(&b));
    }
    text.chars().all(|c| {
        matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
            && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
    })
}

/// A scalar read but not handed on yet: whether it is a key is known only
/// once what follows it is.
struct Scalar {
    value: Text,
    style: ScalarStyle,
    span: Span,
}

/// Where a scalar stands: flow collections end plain scalars at `,`, `]`,
/// `}` too.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Block,
    Flow,
}

struct Reader<'t, 's> {
    b: &'t [u8],
    s: &'t str,
    base: usize,
    pos: usize,
    /// How many collections are open.
    depth: usize,
    /// The id of the last anchor of each name defined so far: an alias
    /// names it.
    anchors: rustc_hash::FxHashMap<&'t str, usize>,
    /// How many anchors have been defined.
    defined: usize,
    /// An anchor read and not yet given to its node (the next node to start).
    pending: Option<AnchorDef>,
    /// Whether that node starts on the anchor's line.
    pending_inline: bool,
    sink: &'s mut dyn FnMut(Event),
}

fn flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'t> Reader<'t, '_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// Whether `i` is a blank or the end of a line or of the text.
    fn blank(&self, i: usize) -> bool {
        matches!(self.at(i), None | Some(b' ' | b'\n'))
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    /// A collection opens: one level deeper.
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Beyond);
        }
        Ok(())
    }

    /// A collection closes.
    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn emit(&mut self, ev: Event) {
        (self.sink)(ev);
    }

    /// The properties of the node starting now: the anchor read before it.
    fn props(&mut self) -> NodeProps {
        Props::of(self.pending.take(), None)
    }

    fn emit_scalar(&mut self, s: Scalar) {
        let props = self.props();
        self.emit(Event::Scalar {
            value: s.value,
            style: s.style,
            props,
            span: s.span,
        });
    }

    /// An absent value or entry at `at`; one with an anchor is left to the
    /// full parser.
    fn empty_scalar(&mut self, at: usize) -> R<()> {
        if self.pending.is_some() {
            return Err(Beyond);
        }
        let span = self.span(at, at);
        self.emit(Event::Scalar {
            value: Text::default(),
            style: ScalarStyle::Plain,
            props: None,
            span,
        });
        Ok(())
    }

    /// The name after `&` or `*` at `pos`: up to a blank or a flow
    /// indicator; `pos` is left after it.
    fn name(&mut self) -> R<&'t str> {
        let b: &'t [u8] = self.b;
        let s: &'t str = self.s;
        let start = self.pos + 1;
        let len = b[start..]
            .iter()
            .position(|&c| c == b' ' || c == b'\n' || flow_indicator(c))
            .unwrap_or(b.len() - start);
        let name = &s[start..start + len];
        // a name with `:` could be a key's: left to the full parser
        if name.is_empty() || name.contains(':') {
            return Err(Beyond);
        }
        self.pos = start + len;
        Ok(name)
    }

    /// An anchor `&name` at `pos`, held for the node after it.
    fn anchor(&mut self) -> R<()> {
        let at = self.pos;
        let name = self.name()?;
        if self.pending.is_some() || !self.blank(self.pos) {
            return Err(Beyond);
        }
        self.defined += 1;
        let id = self.defined;
        self.anchors.insert(name, id);
        self.pending = Some(AnchorDef {
            id,
            name: name.to_string(),
            span: self.span(at, self.pos),
        });
        self.spaces();
        self.pending_inline = !matches!(self.at(self.pos), None | Some(b'\n' | b'#'));
        Ok(())
    }

    /// An alias `*name` at `pos`.
    fn alias(&mut self) -> R<()> {
        let at = self.pos;
        let name = self.name()?;
        if self.pending.is_some() {
            return Err(Beyond);
        }
        let target = self.anchors.get(name).copied();
        let span = self.span(at, self.pos);
        self.emit(Event::Alias {
            name: name.to_string(),
            target,
            span,
        });
        Ok(())
    }

    /// The column of byte `i`.
    fn col(&self, i: usize) -> usize {
        i - self.b[..i]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |nl| nl + 1)
    }

    /// Moves to the next token across blanks, line ends and comments, and
    /// gives its column; `None` at the end of the text.
    fn next_token(&mut self) -> R<Option<usize>> {
        loop {
            match self.at(self.pos) {
                None => return Ok(None),
                Some(b' ' | b'\n') => self.pos += 1,
                Some(b'#') => self.comment()?,
                Some(_) => {
                    let col = self.col(self.pos);
                    if col == 0 && self.marker_or_directive() {
                        return Err(Beyond);
                    }
                    return Ok(Some(col));
                }
            }
        }
    }

    /// Skips a comment at `pos`, which must follow a blank or start its line.
    fn comment(&mut self) -> R<()> {
        if self.pos > 0 && !matches!(self.b[self.pos - 1], b' ' | b'\n') {
            return Err(Beyond);
        }
        self.pos = self.line_end(self.pos);
        Ok(())
    }

    fn line_end(&self, from: usize) -> usize {
        self.b[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.b.len(), |i| from + i)
    }

    /// A `---`, `...` or `%` at the start of a line.
    fn marker_or_directive(&self) -> bool {
        let rest = &self.b[self.pos..];
        rest.first() == Some(&b'%')
            || ((rest.starts_with(b"---") || rest.starts_with(b"...")) && self.blank(self.pos + 3))
    }

    /// Skips blanks on this line.
    fn spaces(&mut self) {
        while self.at(self.pos) == Some(b' ') {
            self.pos += 1;
        }
    }

    /// Skips blanks on this line, then wants its end, its comment or the
    /// end of the text.
    fn end_of_line(&mut self) -> R<()> {
        self.spaces();
        match self.at(self.pos) {
            None | Some(b'\n') => Ok(()),
            Some(b'#') => self.comment(),
            Some(_) => Err(Beyond),
        }
    }

    fn document(&mut self) -> R<()> {
        // an empty stream, or one of comments only: the full parser says
        // what it is
        if self.next_token()?.is_none() {
            return Err(Beyond);
        }
        let start = self.span(self.pos, self.pos);
        self.emit(Event::DocumentStart {
            explicit: false,
            span: start,
        });
        // a compose file is a mapping; any other root is left to the full
        // parser
        if matches!(self.b[self.pos], b'-' | b'[' | b'{' | b'|' | b'>') {
            return Err(Beyond);
        }
        let c = self.col(self.pos);
        let key = self.scalar(Context::Block)?;
        if !self.key_follows(&key) {
            return Err(Beyond);
        }
        self.block_map(c, key)?;
        if self.next_token()?.is_some() {
            return Err(Beyond);
        }
        let end = self.span(self.b.len(), self.b.len());
        self.emit(Event::DocumentEnd { span: end });
        Ok(())
    }

    /// Whether the scalar just read is a key: a `:` right after it, then a
    /// blank. (A key spaced from its `:`, or longer than the full parser
    /// takes, is left to it.)
    fn key_follows(&self, key: &Scalar) -> bool {
        key.span.len() < MAX_KEY
            && key.span.end - self.base == self.pos
            && self.at(self.pos) == Some(b':')
            && self.blank(self.pos + 1)
    }

    /// A node on its own line or after `- `, its column more than `parent`'s.
    fn block_node(&mut self, parent: usize) -> R<()> {
        // an anchor on a line of its own is the next line's node's
        if self.b[self.pos] == b'&' {
            self.anchor()?;
            if !self.pending_inline {
                return match self.next_token()? {
                    Some(c) if c > parent => self.block_node(parent),
                    _ => Err(Beyond),
                };
            }
        }
        let c = self.col(self.pos);
        // a collection after an anchor on the same line: the anchor is its
        // first key's or item's, left to the full parser
        let inline = self.pending.is_some() && self.pending_inline;
        match self.b[self.pos] {
            b'-' if self.blank(self.pos + 1) && !inline => return self.block_seq(c, false),
            b'-' if self.blank(self.pos + 1) => return Err(Beyond),
            b'*' => {
                self.alias()?;
                return self.end_of_line();
            }
            b'[' | b'{' => {
                self.flow_node()?;
                return self.end_of_line();
            }
            b'|' | b'>' => return self.block_scalar(parent),
            _ => {}
        }
        let scalar = self.scalar(Context::Block)?;
        if self.key_follows(&scalar) {
            if inline {
                return Err(Beyond);
            }
            return self.block_map(c, scalar);
        }
        self.emit_scalar(scalar);
        self.end_of_line()
    }

    /// A block mapping at column `n` whose first key was just read; `pos` is
    /// at that key's `:`.
    fn block_map(&mut self, n: usize, first: Scalar) -> R<()> {
        self.enter()?;
        let start = self.span(first.span.start - self.base, first.span.start - self.base);
        let props = self.props();
        self.emit(Event::MappingStart {
            flow: false,
            props,
            span: start,
        });
        let mut key = first;
        loop {
            let colon = self.pos;
            self.pos += 1;
            self.emit_scalar(key);
            self.map_value(n, colon)?;
            match self.next_token()? {
                Some(c) if c == n => {}
                Some(c) if c > n => return Err(Beyond),
                _ => break,
            }
            if matches!(
                self.b[self.pos],
                b'-' | b'[' | b'{' | b'|' | b'>' | b'?' | b':'
            ) {
                return Err(Beyond);
            }
            key = self.scalar(Context::Block)?;
            if !self.key_follows(&key) {
                return Err(Beyond);
            }
        }
        let end = self.span(self.pos, self.pos);
        self.emit(Event::MappingEnd { span: end });
        self.leave();
        Ok(())
    }

    /// After a `:` or a `-`: skips the blanks and reads the anchor of the
    /// node that follows, if it has one.
    fn before_node(&mut self) -> R<()> {
        self.spaces();
        if self.at(self.pos) == Some(b'&') {
            self.anchor()?;
        }
        Ok(())
    }

    /// The value of the key whose `:` is at `colon`, in a mapping at `n`.
    fn map_value(&mut self, n: usize, colon: usize) -> R<()> {
        self.before_node()?;
        match self.at(self.pos) {
            None | Some(b'\n' | b'#') => match self.next_token()? {
                Some(c) if c > n => self.block_node(n),
                // a sequence may stand at its key's column
                Some(c) if c == n && self.b[self.pos] == b'-' && self.blank(self.pos + 1) => {
                    self.block_seq(n, true)
                }
                _ => self.empty_scalar(colon),
            },
            Some(b'|' | b'>') => self.block_scalar(n),
            Some(b'*') => {
                self.alias()?;
                self.end_of_line()
            }
            Some(b'[' | b'{') => {
                self.flow_node()?;
                self.end_of_line()
            }
            Some(_) => {
                let value = self.scalar(Context::Block)?;
                self.emit_scalar(value);
                self.end_of_line()
            }
        }
    }

    /// A block sequence whose first `-` is at `pos`, column `n`;
    /// `indentless` when it stands at its key's column, where the full
    /// parser starts it at its first item rather than at its `-`.
    fn block_seq(&mut self, n: usize, indentless: bool) -> R<()> {
        self.enter()?;
        let mut start = self.pos;
        if indentless {
            start += 1;
            while self.at(start) == Some(b' ') {
                start += 1;
            }
            if matches!(self.at(start), None | Some(b'\n' | b'#')) {
                return Err(Beyond);
            }
        }
        let start = self.span(start, start);
        let props = self.props();
        self.emit(Event::SequenceStart {
            flow: false,
            props,
            span: start,
        });
        loop {
            let dash = self.pos;
            self.pos += 1;
            self.before_node()?;
            match self.at(self.pos) {
                None | Some(b'\n' | b'#') => match self.next_token()? {
                    Some(c) if c > n => self.block_node(n)?,
                    // the full parser puts an empty entry at its line's end
                    _ => self.empty_scalar(self.line_end(dash))?,
                },
                Some(_) => self.block_node(n)?,
            }
            match self.next_token()? {
                Some(c) if c > n => return Err(Beyond),
                Some(c) if c == n && self.b[self.pos] == b'-' && self.blank(self.pos + 1) => {}
                _ => break,
            }
        }
        let end = self.span(self.pos, self.pos);
        self.emit(Event::SequenceEnd { span: end });
        self.leave();
        Ok(())
    }

    /// A plain or quoted scalar on one line, at `pos`; `pos` is left after it.
    fn scalar(&mut self, cx: Context) -> R<Scalar> {
        match self.b[self.pos] {
            b'"' | b'\'' => self.quoted(),
            _ => self.plain(cx),
        }
    }

    fn plain(&mut self, cx: Context) -> R<Scalar> {
        let start = self.pos;
        let first = self.b[start];
        let starts_plain = match first {
            // `-x` is a scalar, `- x` an entry (and so for `:` and `?`)
            b'-' | b':' | b'?' => {
                let next = self.at(start + 1);
                !(self.blank(start + 1)
                    || (cx == Context::Flow && next.is_some_and(flow_indicator)))
            }
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        };
        if !starts_plain {
            return Err(Beyond);
        }
        let mut i = start;
        let mut end = start;
        while let Some(b) = self.at(i) {
            match b {
                b'\n' => break,
                b':' if self.blank(i + 1)
                    || (cx == Context::Flow && self.at(i + 1).is_some_and(flow_indicator)) =>
                {
                    break
                }
                b'#' if self.b[i - 1] == b' ' => break,
                b if cx == Context::Flow && flow_indicator(b) => break,
                b' ' => {}
                _ => end = i + 1,
            }
            i += 1;
        }
        self.pos = end;
        Ok(Scalar {
            value: Text::from(&self.s[start..end]),
            style: ScalarStyle::Plain,
            span: self.span(start, end),
        })
    }

    /// A single- or double-quoted scalar on one line.
    fn quoted(&mut self) -> R<Scalar> {
        let start = self.pos;
        let quote = self.b[start];
        // made only when an escape makes the value differ from the text
        let mut value: Option<String> = None;
        let mut i = start + 1;
        let mut run = i;
        loop {
            // what an escape at `i` stands for, and its length
            let escape = match self.at(i) {
                None | Some(b'\n') => return Err(Beyond),
                Some(b'\'') if quote == b'\'' && self.at(i + 1) == Some(b'\'') => ('\'', 2),
                Some(b) if b == quote => break,
                Some(b'\\') if quote == b'"' => {
                    let (c, len) = self.escape(i + 1)?;
                    (c, 1 + len)
                }
                Some(_) => {
                    i += 1;
                    continue;
                }
            };
            let value = value.get_or_insert_with(String::new);
            value.push_str(&self.s[run..i]);
            value.push(escape.0);
            i += escape.1;
            run = i;
        }
        self.pos = i + 1;
        let value = match value {
            None => Text::from(&self.s[run..i]),
            Some(mut value) => {
                value.push_str(&self.s[run..i]);
                Text::from(value)
            }
        };
        Ok(Scalar {
            value,
            style: if quote == b'"' {
                ScalarStyle::DoubleQuoted
            } else {
                ScalarStyle::SingleQuoted
            },
            span: self.span(start, self.pos),
        })
    }

    /// The character an escape stands for (`at` is just after its `\`) and
    /// the escape's length after the `\`.
    fn escape(&self, at: usize) -> R<(char, usize)> {
        let hex = |len: usize| -> R<(char, usize)> {
            let digits = self.s.get(at + 1..at + 1 + len).ok_or(Beyond)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Beyond);
            }
            let code = u32::from_str_radix(digits, 16).map_err(|_| Beyond)?;
            Ok((char::from_u32(code).ok_or(Beyond)?, 1 + len))
        };
        let c = match self.at(at).ok_or(Beyond)? {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return hex(2),
            b'u' => return hex(4),
            b'U' => return hex(8),
            _ => return Err(Beyond),
        };
        Ok((c, 1))
    }

    /// A flow sequence or mapping at `pos`, on one line or several.
    fn flow_node(&mut self) -> R<()> {
        self.enter()?;
        let open = self.pos;
        let seq = self.b[open] == b'[';
        let close = if seq { b']' } else { b'}' };
        let span = self.span(open, open + 1);
        let props = self.props();
        self.emit(if seq {
            Event::SequenceStart {
                flow: true,
                props,
                span,
            }
        } else {
            Event::MappingStart {
                flow: true,
                props,
                span,
            }
        });
        self.pos += 1;
        loop {
            self.flow_blanks()?;
            if self.at(self.pos) == Some(close) {
                break;
            }
            if seq {
                self.flow_item()?;
            } else {
                let key = match self.at(self.pos) {
                    Some(b) if !flow_indicator(b) => self.scalar(Context::Flow)?,
                    _ => return Err(Beyond),
                };
                if !self.key_follows(&key) {
                    return Err(Beyond);
                }
                self.pos += 1;
                self.emit_scalar(key);
                self.flow_blanks()?;
                if matches!(self.at(self.pos), Some(b',' | b'}')) {
                    return Err(Beyond);
                }
                self.flow_item()?;
            }
            self.flow_blanks()?;
            match self.at(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                _ => return Err(Beyond),
            }
        }
        let span = self.span(self.pos, self.pos + 1);
        self.pos += 1;
        self.emit(if seq {
            Event::SequenceEnd { span }
        } else {
            Event::MappingEnd { span }
        });
        self.leave();
        Ok(())
    }

    /// An item of a flow sequence or a value of a flow mapping.
    fn flow_item(&mut self) -> R<()> {
        if self.at(self.pos) == Some(b'&') {
            self.anchor()?;
        }
        match self.at(self.pos) {
            Some(b'*') => self.alias(),
            Some(b'[' | b'{') => self.flow_node(),
            Some(b',' | b']' | b'}') | None => Err(Beyond),
            Some(_) => {
                let value = self.scalar(Context::Flow)?;
                // `[a: b]` is a mapping in a sequence: left to the full parser
                let mut i = self.pos;
                while self.at(i) == Some(b' ') {
                    i += 1;
                }
                if self.at(i) == Some(b':') {
                    return Err(Beyond);
                }
                self.emit_scalar(value);
                Ok(())
            }
        }
    }

    /// Blanks, line ends and comments inside a flow collection.
    fn flow_blanks(&mut self) -> R<()> {
        loop {
            match self.at(self.pos) {
                Some(b' ') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    let mut i = self.pos;
                    while self.at(i) == Some(b' ') {
                        i += 1;
                    }
                    // the full parser does not weigh a flow line's
                    // indentation; one at the line's start could be a
                    // document marker, and is left to it
                    if !matches!(self.at(i), Some(b'\n') | None) && i == self.pos {
                        return Err(Beyond);
                    }
                }
                Some(b'#') => self.comment()?,
                None => return Err(Beyond),
                Some(_) => return Ok(()),
            }
        }
    }

    /// A literal (`|`) or folded (`>`) scalar whose indicator is at `pos`,
    /// in a block at column `parent`.
    fn block_scalar(&mut self, parent: usize) -> R<()> {
        let literal = self.b[self.pos] == b'|';
        self.pos += 1;
        let chomp = match self.at(self.pos) {
            Some(b'-') => Some(false),
            Some(b'+') => Some(true),
            _ => None,
        };
        if chomp.is_some() {
            self.pos += 1;
        }
        // an indentation indicator, or anything else on the line but a comment
        if !self.blank(self.pos) {
            return Err(Beyond);
        }
        self.end_of_line()?;
        // the body's lines: where each starts and ends (the same offset for
        // a line of blanks only, which is empty)
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut indent = None;
        let mut line = self.pos + 1;
        let mut stop = self.b.len();
        while line < self.b.len() {
            let end = self.line_end(line);
            let text = &self.b[line..end];
            let lead = text.iter().take_while(|&&b| b == b' ').count();
            if lead == text.len() {
                // empty: a line of more blanks than the body's indentation
                // holds blanks, which this reader leaves alone
                if indent.is_some_and(|ind| lead > ind) {
                    return Err(Beyond);
                }
                lines.push((line, line));
            } else {
                let ind = *indent.get_or_insert(lead);
                if lead < ind {
                    stop = line;
                    break;
                }
                lines.push((line, end));
            }
            line = end + 1;
        }
        let Some(indent) = indent.filter(|&ind| ind > parent) else {
            return Err(Beyond);
        };
        // blank lines before the first line of text, wider than it: an error
        let first = lines.iter().position(|&(s, e)| s != e).ok_or(Beyond)?;
        if lines[..first]
            .iter()
            .any(|&(s, _)| self.line_end(s) - s > indent)
        {
            return Err(Beyond);
        }
        let last = lines.iter().rposition(|&(s, e)| s != e).ok_or(Beyond)?;
        let trailing = lines.len() - 1 - last;
        // a last line with no line break after it, or trailing lines kept
        // up to the end of the text: left to the full parser
        if (chomp != Some(false) && lines[last].1 == self.b.len())
            || (chomp == Some(true) && stop == self.b.len())
        {
            return Err(Beyond);
        }
        let body = |&(s, e): &(usize, usize)| if s == e { "" } else { &self.s[s + indent..e] };
        let mut value = String::new();
        if literal {
            for (i, l) in lines[..=last].iter().enumerate() {
                if i > 0 {
                    value.push('\n');
                }
                value.push_str(body(l));
            }
        } else {
            // a line break between two lines of text is folded into a
            // space, or into the empty lines after it; one next to a
            // more-indented line is kept
            let mut empties = 0;
            let mut before: Option<bool> = None;
            for l in &lines[..=last] {
                let text = body(l);
                if text.is_empty() {
                    empties += 1;
                    continue;
                }
                let spaced = text.starts_with(' ');
                let breaks = match before {
                    None => empties,
                    Some(false) if !spaced && empties == 0 => {
                        value.push(' ');
                        0
                    }
                    Some(false) if !spaced => empties,
                    Some(_) => empties + 1,
                };
                for _ in 0..breaks {
                    value.push('\n');
                }
                empties = 0;
                before = Some(spaced);
                value.push_str(text);
            }
        }
        match chomp {
            Some(false) => {}
            None => value.push('\n'),
            Some(true) => {
                for _ in 0..=trailing {
                    value.push('\n');
                }
            }
        }
        let start = lines[first].0 + indent;
        let span = self.span(start, stop);
        let props = self.props();
        self.emit(Event::Scalar {
            value: Text::from(value),
            style: if literal {
                ScalarStyle::Literal
            } else {
                ScalarStyle::Folded
            },
            props,
            span,
        });
        self.pos = stop;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Backend, Tree};

    /// The reader takes `text`, and builds the tree the full parser builds.
    fn same(text: &str) {
        assert!(
            read(text, 0, &mut |_| {}).is_ok(),
            "left to the full parser:\n{text}"
        );
        let by_reader = Tree::parse_content(text, Backend::Granit);
        let by_parser = Tree::parse_content_fully(text, Backend::Granit);
        assert!(by_parser.complete, "not valid YAML:\n{text}");
        assert_eq!(
            format!("{by_reader:?}"),
            format!("{by_parser:?}"),
            "\n{text}"
        );
    }

    /// The reader leaves `text` to the full parser.
    fn left(text: &str) {
        assert!(read(text, 0, &mut |_| {}).is_err(), "read:\n{text}");
    }

    #[test]
    fn mappings_sequences_and_one_line_scalars() {
        same("services:\n  web:\n    image: nginx:1.2 # pinned\n    ports:\n      - '80:80'\n      - \"443:443\"\n");
        same("a:\n- x\n- y\nb: 1\n");
        same("a:\n  - - n\n    - o\n  - p: 1\n    q: 2\n  - r\n");
        same("a:\n  b:\n    - k: v\n      l:\n      - m\n  c: d\n");
        same("url: http://x:80/a#b\nneg: -1\nflag: --x=y\nsp: a  b\n");
        same("args:\n  - :2016\n  - ?q\n  - [:x, ?y]\n");
        same("# commentaire: é ✓ 😀\nnom: café # à\nclé: \"ünï\"\nliste: [ä, 'ö']\n");
        same("  indented: root\n  second: 2\n");
    }

    #[test]
    fn absent_values_and_entries_stand_where_the_full_parser_puts_them() {
        same("a:\nb:   # c\nc:   \nd:");
        same("a:\n  -\n  - # c\n  -   \n  - x\nb:\n  -");
        // a sequence at its key's column starts at its first item
        same("a:\n- x\nb:\n-   y # c\n");
    }

    #[test]
    fn quoted_scalars_with_escapes() {
        same(r#"a: "tab\t nl\n q\" bs\\ sl\/ x\x41 u\u00e9 U\U0001F600 sp\ e\e n\N""#);
        same("a: 'it''s'\nb: ''\nc: \"\"\n\"d\": 'e'\n'f': 1\n");
    }

    #[test]
    fn block_scalars_literal_and_folded_with_every_chomping() {
        same("a: |\n  one\n   two\n\n  three\nb: 1\n");
        same("a: |-\n  x\n\n\nb: |+\n  y\n\n\nc: >\n  p\n  q\n\n  r\nd: >-\n\n  s\n  t\ne: 1\n");
        same("a: |\n  x\n# a comment after it\nb: |\n  trailing   \nc: >\n  trailing   \n  next\n");
        same("a:\n  - |\n    in a sequence\n  - x\n");
        // more-indented lines keep the line breaks around them
        same("a: >\n  x\n    more\n  y\n\n    again\n\n  z\n  w\nb: 1\n");
    }

    #[test]
    fn flow_collections_on_one_line_or_several() {
        same("a: [x, \"y\", 'z', -1]\nb: {k: v, \"m\": n, o: [p]}\nc: []\nd: {}\n");
        same("a:\n  b: [\n    \"x\",   # c\n    y,\n  ]\n  c: {\n    k: v\n  }\n");
        same("a: [x y, http://h:1/p]\n");
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        same("x-l: &l\n  driver: json\nx-s: &s v\nsvc:\n  <<: *l\n  k: *s\n  f: &q [a, *s]\n");
        same("a:\n  - &i x\n  - *i\n  - &m\n    b: 1\n  - &n\n    - c\nd: *m\n");
        same("b: &w |\n  text\nc: [&v p, *v, {k: *w}]\n");
        // an anchor on a line of its own
        same("x-env:\n  &env\n  A: 1\nsvc:\n  environment:\n    <<: *env\n");
        // the last anchor of a name counts; an unknown or open one is the
        // tree's to report, as after the full parser
        same("a: &x 1\nb: &x 2\nc: *x\nd: *nope\ne: &r [*r]\n");
    }

    #[test]
    fn many_anchors_and_aliases_are_looked_up_by_name() {
        // a quadratic look-up would take minutes here
        let mut text = String::from("a:\n");
        for i in 0..50_000 {
            text.push_str(&format!("  k{i}: &a{i} v\n"));
        }
        text.push_str("b:\n");
        for i in 0..50_000 {
            text.push_str(&format!("  - *a{i}\n"));
        }
        let mut aliases = 0;
        let read = read(&text, 0, &mut |ev| {
            if let Event::Alias { target, .. } = ev {
                assert!(target.is_some());
                aliases += 1;
            }
        });
        assert!(read.is_ok());
        assert_eq!(aliases, 50_000);
    }

    #[test]
    fn duplicate_keys_are_reported_as_by_the_full_parser() {
        same("a: 1\nb: 2\na: 3\n");
    }

    #[test]
    fn everything_else_is_left_to_the_full_parser() {
        for text in [
            "",
            "# only a comment\n",
            "a: !reset []\n",
            "---\na: 1\n",
            "a: 1\n...\n",
            "%YAML 1.2\n---\na: 1\n",
            "? a\n: 1\n",
            "a: multi\n  line\n",
            "a: \"multi\n  line\"\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "a: caf\u{85}\n",
            "a: \u{feff}x\n",
            "a: \u{2028}\n",
            "a: |2\n   x\n",
            "a: |\n  no line break at the end",
            "- a\n",
            "[a]\n",
            "a: [b: c]\n",
            "a: {b}\n",
            "a: [b, , c]\n",
            "a : 1\n",
            "a: b: c\n",
            "a: 1\n b: 2\n",
            "a:\n  b: 1\n c: 2\n",
            "a: [x]#c\n",
            "a: \"x\\q\"\n",
            "a: [x,\ny]\n",
            "a: &e\nb: 1\n",
            "a:\n  - &k b: 1\n",
            "a: &k *x\n",
            "a: *k: 1\n",
        ] {
            left(text);
        }
        // a key longer than the full parser takes, in a block or a flow
        left(&format!("{}: 1\n", "k".repeat(MAX_KEY)));
        left(&format!("a: {{{}: 1}}\n", "k".repeat(MAX_KEY)));
        same(&format!("{}: 1\n", "k".repeat(MAX_KEY - 1)));
    }

    #[test]
    fn deep_nesting_is_left_to_the_full_parser_and_its_limits() {
        let nested = |depth: usize| {
            let mut text = String::new();
            for i in 0..depth {
                text.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
            }
            text.push_str(&format!("{}leaf: 1\n", " ".repeat(depth)));
            text
        };
        same(&nested(MAX_DEPTH - 1));
        left(&nested(MAX_DEPTH));
        left(&format!(
            "a: {}1{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ));
    }

    #[test]
    fn a_reader_that_gives_up_leaves_no_trace_in_the_tree() {
        // read well past its start before it gives up at the tag
        let text = "a: &a\n  b: [1, 2]\n  c: |\n    x\nd: !reset []\n";
        left(text);
        let tree = Tree::parse_content(text, Backend::Granit);
        let full = Tree::parse_content_fully(text, Backend::Granit);
        assert_eq!(format!("{tree:?}"), format!("{full:?}"));
    }
}
