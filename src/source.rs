//! Source texts and byte-offset to line/column conversion.

use std::sync::Arc;

/// One input's text (decompressed and decoded), with the name shown to users.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: Arc<str>,
}

/// Start offsets of lines, for turning byte offsets into 1-based line and column.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each multiple of [`MARK`] bytes: a column on a long line is counted
    /// from the nearest mark, not from the line's start (many findings on one long line would
    /// otherwise count it again for each).
    marks: Vec<usize>,
}

/// Bytes between two marks of [`LineIndex`].
const MARK: usize = 1024;

/// Characters in a byte range (the bytes that start a UTF-8 sequence); ASCII, the common
/// case of logs, is checked a word at a time.
fn chars_in(bytes: &[u8]) -> usize {
    if bytes.is_ascii() {
        return bytes.len();
    }
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        let mut marks = Vec::with_capacity(text.len() / MARK + 1);
        let mut before = 0;
        for chunk in text.as_bytes().chunks(MARK) {
            marks.push(before);
            before += chars_in(chunk);
        }
        marks.push(before);
        LineIndex { starts, marks }
    }

    /// Characters of `text` before a byte offset.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let mark = offset / MARK;
        let from = mark * MARK;
        let counted = self.marks.get(mark).copied().unwrap_or(0);
        counted + text.as_bytes().get(from.min(offset)..offset).map_or(0, chars_in)
    }

    /// 1-based line and column (in characters) of a byte offset. A leading byte order mark
    /// is not a column, as in editors.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let mut start = self.starts.get(line - 1).copied().unwrap_or(0);
        let offset = offset.min(text.len());
        if start == 0 && text.starts_with('\u{feff}') {
            start = '\u{feff}'.len_utf8().min(offset);
        }
        let column = if offset - start < MARK {
            text.get(start..offset).map_or(offset - start, |s| s.chars().count())
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        } + 1;
        (line, column)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn positions() {
        let text = "ab\ncé\nx";
        let index = super::LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 3), (2, 1));
        assert_eq!(index.position(text, 6), (2, 3));
        assert_eq!(index.position(text, 7), (3, 1));
        let bom = "\u{feff}{}";
        let index = super::LineIndex::new(bom);
        assert_eq!(index.position(bom, 0), (1, 1));
        assert_eq!(index.position(bom, 3), (1, 1));
        assert_eq!(index.position(bom, 4), (1, 2));
    }

    #[test]
    fn long_line_columns_count_characters() {
        let text = format!("x\n{}é{}", "a".repeat(3000), "b".repeat(5000));
        let index = super::LineIndex::new(&text);
        let naive = |offset: usize| {
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            text[start..offset].chars().count() + 1
        };
        for offset in [2, 1000, 3002, 3004, 4000, 5000, 8003, text.len()] {
            assert_eq!(index.position(&text, offset), (2, naive(offset)), "offset {offset}");
        }
    }

    #[test]
    fn snippets_read_what_miette_reads() {
        use miette::SourceCode;
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("line {i} {}", "é".repeat(i % 5)));
            text.push_str(["\n", "\r\n", "\r", "\n\n"][i % 4]);
        }
        let snippets = super::Snippets::new(std::sync::Arc::from(text.as_str()));
        let mut checked = 0;
        for start in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            for len in [0, 1, 7, 30] {
                let end = (start + len).min(text.len());
                let span = miette::SourceSpan::new(start.into(), end - start);
                for context in [0, 1, 3] {
                    let theirs = text.as_str().read_span(&span, context, context);
                    let ours = snippets.read_span(&span, context, context);
                    match (theirs, ours) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(a.data(), b.data(), "{start}+{len} ±{context}");
                            assert_eq!(a.span(), b.span(), "{start}+{len} ±{context}");
                            assert_eq!((a.line(), a.column()), (b.line(), b.column()), "{start}+{len} ±{context}");
                            checked += 1;
                        }
                        (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "{start}+{len} ±{context}"),
                    }
                }
            }
        }
        assert!(checked > 1000);
    }
}

/// A place on one line of a file, compactly (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Place {
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
}

/// The widest column (and longest span, in characters) a snippet underlines: miette pads
/// with a formatting width, which cannot exceed 65,535, and a line that long is no snippet
/// anyway. Beyond it a diagnostic is printed with its position instead of its text.
pub const MAX_UNDERLINE: usize = 4096;

/// Whether the span at byte `start`, `len` bytes long, can be underlined in a snippet of
/// `text`: both its ends sit within [`MAX_UNDERLINE`] characters of their line's start and
/// it covers fewer characters than that. Each end's line start is searched backwards, at most
/// [`MAX_UNDERLINE`] characters (so a long line costs no more than the limit, however far
/// into the file the span is).
pub fn underlinable(text: &str, start: usize, len: usize) -> bool {
    let column = |at: usize| {
        let at = at.min(text.len());
        let Some(before) = text.get(..at) else { return usize::MAX };
        // Counting stops at the limit or at the line break, whichever comes first.
        before.chars().rev().take_while(|c| *c != '\n').take(MAX_UNDERLINE + 1).count()
    };
    let spanned = text.get(start.min(text.len())..start.saturating_add(len).min(text.len())).unwrap_or_default();
    column(start) <= MAX_UNDERLINE
        && column(start.saturating_add(len)) <= MAX_UNDERLINE
        && spanned.chars().take(MAX_UNDERLINE + 1).count() <= MAX_UNDERLINE
}

/// A text for miette's snippets that reads only the lines around a span: miette's own
/// `SourceCode` for a string counts lines from the start of the text for every snippet, which
/// makes a report of many findings in one large file quadratic. Line breaks are found once
/// (as miette counts them: `\n`, `\r\n` and a lone `\r`); each snippet then hands miette only
/// a window of whole lines around its span, and shifts miette's answer back into the file.
#[derive(Debug, Clone)]
pub struct Snippets {
    text: Arc<str>,
    /// Byte offsets just after each line break.
    breaks: Arc<[usize]>,
    /// Show only the lines of the span, whatever context miette asks for (a record of a log
    /// is shown alone, not with its neighbours).
    span_lines_only: bool,
}

impl Snippets {
    pub fn new(text: Arc<str>) -> Self {
        let bytes = text.as_bytes();
        let mut breaks = Vec::new();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b == b'\n' || b == b'\r' {
                if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                breaks.push(i + 1);
            }
            i += 1;
        }
        Snippets { text, breaks: breaks.into(), span_lines_only: false }
    }

    /// These snippets, showing only the lines a span covers.
    pub fn span_lines_only(mut self) -> Self {
        self.span_lines_only = true;
        self
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    /// The 0-based line of a byte offset, as miette counts lines.
    fn line_of(&self, offset: usize) -> usize {
        self.breaks.partition_point(|&b| b <= offset)
    }

    /// The byte offset where a 0-based line starts (the text's end past the last line).
    fn line_start(&self, line: usize) -> usize {
        match line.checked_sub(1) {
            None => 0,
            Some(i) => self.breaks.get(i).copied().unwrap_or(self.text.len()),
        }
    }
}

impl From<Arc<str>> for Snippets {
    fn from(text: Arc<str>) -> Self {
        Snippets::new(text)
    }
}

impl miette::SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let first = self.line_of(span.offset());
        // miette asks without context for the header's position: that answer is the span's.
        if self.span_lines_only && (context_lines_before > 0 || context_lines_after > 0) {
            let last = self.line_of(span.offset().saturating_add(span.len().saturating_sub(1)));
            let start = self.line_start(first);
            let end = self.line_start(last.saturating_add(1)).max(start);
            let window = self.text.get(start..end).unwrap_or_default();
            return Ok(Box::new(miette::MietteSpanContents::new(
                window.as_bytes(),
                miette::SourceSpan::new(start.into(), window.len()),
                first,
                0,
                last.saturating_sub(first).saturating_add(1),
            )));
        }
        let last = self.line_of(span.offset().saturating_add(span.len()));
        // Whole lines, with one more than miette looks at on each side.
        let skipped = first.saturating_sub(context_lines_before.saturating_add(1));
        let start = self.line_start(skipped);
        let end = self.line_start(last.saturating_add(context_lines_after).saturating_add(3)).max(start);
        let window = self.text.as_bytes().get(start..end).unwrap_or_default();
        let inner = miette::SourceSpan::new(span.offset().saturating_sub(start).into(), span.len());
        let contents =
            <[u8] as miette::SourceCode>::read_span(window, &inner, context_lines_before, context_lines_after)?;
        let at = contents.span();
        Ok(Box::new(miette::MietteSpanContents::new(
            contents.data(),
            miette::SourceSpan::new((at.offset() + start).into(), at.len()),
            contents.line() + skipped,
            contents.column(),
            contents.line_count() + skipped,
        )))
    }
}
