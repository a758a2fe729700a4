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
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        LineIndex { starts }
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
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1)
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
/// it covers fewer characters than that.
pub fn underlinable(text: &str, start: usize, len: usize) -> bool {
    let column = |at: usize| {
        let at = at.min(text.len());
        let Some(before) = text.get(..at) else { return usize::MAX };
        let line = before.rfind('\n').map_or(before, |i| before.get(i + 1..).unwrap_or_default());
        // Counting stops at the limit, so that a long line costs no more than the limit.
        line.chars().rev().take(MAX_UNDERLINE + 1).count()
    };
    let spanned = text.get(start.min(text.len())..start.saturating_add(len).min(text.len())).unwrap_or_default();
    column(start) <= MAX_UNDERLINE
        && column(start.saturating_add(len)) <= MAX_UNDERLINE
        && spanned.chars().take(MAX_UNDERLINE + 1).count() <= MAX_UNDERLINE
}
