//! A miette [`SourceCode`] backed by our line index: reading a span's context is
//! a binary search, not a scan of the file, so rendering many diagnostics on a
//! large file stays linear.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};

pub use crate::secret::MASK;

/// A file as the human report shows it: every masked range (a secret
/// overwritten with `*`) shortened or lengthened to [`MASK`]; lines stay
/// where they are, and offsets of the original text map onto it.
pub struct Shown {
    /// The file to render.
    pub file: SourceFile,
    /// The masked ranges of the original text.
    masks: Vec<Span>,
}

impl Shown {
    /// `file` with its masks shown as [`MASK`], or `None` when it has none.
    pub fn of(file: &SourceFile) -> Option<Shown> {
        let masks = file.masks().to_vec();
        if masks.is_empty() {
            return None;
        }
        let text = file.text();
        let mut shown = String::with_capacity(text.len());
        let mut at = 0;
        for m in &masks {
            shown.push_str(&text[at..m.start]);
            shown.push_str(MASK);
            at = m.end;
        }
        shown.push_str(&text[at..]);
        Some(Shown {
            file: SourceFile::new(file.path().to_path_buf(), shown),
            masks,
        })
    }

    /// Where `offset` of the original text is in the shown text.
    pub fn offset(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for m in &self.masks {
            if m.end <= offset {
                shift += MASK.len() as isize - m.len() as isize;
            } else if m.start < offset {
                let inside = (offset - m.start).min(MASK.len());
                return (m.start as isize + shift) as usize + inside;
            } else {
                break;
            }
        }
        (offset as isize + shift) as usize
    }

    /// `span` of the original text in the shown text.
    pub fn span(&self, span: Span) -> Span {
        Span::new(self.offset(span.start), self.offset(span.end))
    }

    /// Where `offset` of the shown text is in the original text (inside a
    /// mask: at most its end).
    pub fn original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for m in &self.masks {
            let shown_start = (m.start as isize + shift) as usize;
            if offset < shown_start {
                break;
            }
            if offset < shown_start + MASK.len() {
                return m.start + (offset - shown_start).min(m.len());
            }
            shift += MASK.len() as isize - m.len() as isize;
        }
        (offset as isize - shift) as usize
    }
}

/// Borrows a [`SourceFile`] for rendering.
pub struct IndexedSource<'a> {
    file: &'a SourceFile,
    name: String,
    /// When `file` is shown with masks: the file as it is, and the masks,
    /// so that positions name the file's own columns.
    original: Option<(&'a SourceFile, &'a Shown)>,
}

impl<'a> IndexedSource<'a> {
    /// Wraps `file`, shown under `name`.
    pub fn new(file: &'a SourceFile, name: String) -> Self {
        IndexedSource {
            file,
            name,
            original: None,
        }
    }

    /// Wraps `file` shown with its masks as `shown`, under `name`.
    pub fn masked(file: &'a SourceFile, shown: &'a Shown, name: String) -> Self {
        IndexedSource {
            file: &shown.file,
            name,
            original: Some((file, shown)),
        }
    }

    /// The 0-based column, in characters, of `offset` of the shown text on
    /// its line, counted in the file as it is.
    fn column(&self, offset: usize) -> usize {
        let (file, offset) = match self.original {
            Some((file, shown)) => (file, shown.original(offset)),
            None => (self.file, offset),
        };
        let line = file.line_start(file.line_index(offset));
        file.text()
            .get(line..offset)
            .map_or(0, |t| t.chars().count())
    }
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.file.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.file.line_index(start);
        let last_span_line = self.file.line_index(end.saturating_sub(1).max(start));
        let first = first_line.saturating_sub(context_lines_before);
        let last = (last_span_line + context_lines_after).min(self.file.line_count() - 1);
        let data_start = self.file.line_start(first);
        let data_end = self
            .file
            .line_start(last + 1)
            .min(text.len())
            .max(data_start);
        let column = if context_lines_before == 0 {
            self.column(start)
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            first,
            column,
            last - first + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceMap};

    #[test]
    fn a_mask_is_shown_at_one_length_and_offsets_follow() {
        let mut map = SourceMap::new();
        let id = map.add(SourceFile::new(
            "f",
            "A: verysecretvalue\nB: x\nC: ab\n".into(),
        ));
        let a = 3..18;
        let c = 27..29;
        map.mask(id, Span::new(a.start, a.end));
        map.mask(id, Span::new(c.start, c.end));
        assert_eq!(id, FileId(0));
        let shown = Shown::of(map.get(id)).unwrap();
        assert_eq!(shown.file.text(), "A: ********\nB: x\nC: ********\n");
        assert_eq!(shown.span(Span::new(3, 18)), Span::new(3, 11));
        // `B: x` moved left by the shortened mask; line numbers stay
        assert_eq!(shown.offset(22), 15);
        assert_eq!(shown.span(Span::new(27, 29)), Span::new(20, 28));
        // and back: a shown offset names the file's own
        assert_eq!(shown.original(3), 3);
        assert_eq!(shown.original(11), 18);
        assert_eq!(shown.original(15), 22);
        assert_eq!(shown.original(24), 29);
    }
}
