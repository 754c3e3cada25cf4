//! A miette [`SourceCode`] backed by our line index: reading a span's context is
//! a binary search, not a scan of the file, so rendering many diagnostics on a
//! large file stays linear.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::SourceFile;

/// Borrows a [`SourceFile`] for rendering.
pub struct IndexedSource<'a> {
    file: &'a SourceFile,
    name: String,
}

impl<'a> IndexedSource<'a> {
    /// Wraps `file`, shown under `name`.
    pub fn new(file: &'a SourceFile, name: String) -> Self {
        IndexedSource { file, name }
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
            start - self.file.line_start(first_line)
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
