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
