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
    /// For each character of more than one byte, in order: the byte offset just after it and
    /// the bytes beyond the first of every such character up to there. A column is then a
    /// byte difference less a difference of these sums (a binary search, not a count of the
    /// line's characters: many findings on one long line stay fast).
    wide: Vec<(usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0;
            for (i, c) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
                extra += c.len_utf8() - 1;
                wide.push((i + c.len_utf8(), extra));
            }
        }
        LineIndex { starts, wide }
    }

    /// The extra bytes of the wide characters that end at or before `offset`.
    fn extra_before(&self, offset: usize) -> usize {
        let n = self.wide.partition_point(|&(end, _)| end <= offset);
        n.checked_sub(1).and_then(|i| self.wide.get(i)).map_or(0, |&(_, extra)| extra)
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
        let column = if text.is_char_boundary(offset) && text.is_char_boundary(start) {
            offset
                .saturating_sub(start)
                .saturating_sub(self.extra_before(offset).saturating_sub(self.extra_before(start)))
        } else {
            offset.saturating_sub(start)
        } + 1;
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
