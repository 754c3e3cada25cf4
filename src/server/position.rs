//! Byte offsets to LSP positions and back. LSP counts a line's characters in
//! UTF-16 code units unless client and server agree on another encoding
//! (`positionEncoding`, LSP 3.17); seaworthy offers UTF-8 and UTF-16.

use lsp_types::{Position, Range};

use crate::source::SourceFile;

/// How a position's `character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: LSP's default.
    Utf16,
}

/// A text with its line index ([`SourceFile`]'s), for converting positions.
pub struct Lines {
    file: SourceFile,
    encoding: Encoding,
}

impl Lines {
    /// Indexes `text`.
    pub fn new(text: impl Into<String>, encoding: Encoding) -> Self {
        Lines {
            file: SourceFile::new("", text.into()),
            encoding,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        self.file.text()
    }

    /// The position of byte `offset` (clamped to the text, moved back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let text = self.file.text();
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.file.line_index(offset);
        let before = &text[self.file.line_start(line)..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, span: crate::source::Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`; a character past the line's end is
    /// its end (line break excluded), a line past the text its end.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.file.line_count() {
            return self.file.text().len();
        }
        let span = self.file.line_span(line);
        let want = position.character as usize;
        let mut units = 0;
        for (i, c) in self.file.slice(span).char_indices() {
            if units >= want {
                return span.start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        span.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_code_units_and_utf8_bytes() {
        // `é` is 2 bytes and 1 unit; `𝄞` 4 bytes and 2 units
        let text = "a: é𝄞x\r\nb: 1\n";
        let x = text.find('x').unwrap();
        let utf16 = Lines::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(x), Position::new(0, 6));
        assert_eq!(utf16.offset(Position::new(0, 6)), x);
        assert_eq!(utf16.position(text.find('b').unwrap()), Position::new(1, 0));
        let utf8 = Lines::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(0, 9));
        assert_eq!(utf8.offset(Position::new(0, 9)), x);
        // past the end of a line, of the text; inside a character
        assert_eq!(utf16.offset(Position::new(0, 99)), x + 1);
        assert_eq!(utf16.offset(Position::new(9, 0)), text.len());
        assert_eq!(utf16.position(4), Position::new(0, 3));
    }
}
