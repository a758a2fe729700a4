//! Where the bytes of a derived text came from: a policy document taken out of a Terraform
//! heredoc, a quoted string with escapes, or built from HCL (`jsonencode({...})`) has spans in
//! its own text; a [`PosMap`] carries them back to the bytes of the file the user edits.

use super::Span;

/// One run of the derived text and the host bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Start in the derived text and its length.
    at: usize,
    len: usize,
    /// The host bytes it came from.
    host: Span,
    /// Byte for byte the same text (so an offset inside maps to the same offset inside).
    exact: bool,
}

/// Offsets of a derived text → offsets of its host file. Segments are added in order of the
/// derived text; a derived byte outside every segment maps to the end of the segment before it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PosMap {
    segments: Vec<Segment>,
}

impl PosMap {
    /// Records that `len` bytes at `at` of the derived text came from `host`; `exact` when
    /// they are the same bytes (then `host` has `len` bytes too).
    pub fn push(&mut self, at: usize, len: usize, host: Span, exact: bool) {
        let exact = exact && host.len() == len;
        if let Some(last) = self.segments.last_mut() {
            if exact && last.exact && last.at + last.len == at && last.host.end == host.start {
                last.len += len;
                last.host.end = host.end;
                return;
            }
        }
        self.segments.push(Segment { at, len, host, exact });
    }

    /// The segment that holds derived byte `offset`, or the last one before it.
    fn find(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.at <= offset);
        self.segments.get(i.checked_sub(1)?)
    }

    /// The host offset of a derived span's start.
    pub fn start(&self, offset: usize) -> usize {
        match self.find(offset) {
            Some(s) if offset < s.at + s.len.max(1) => {
                if s.exact {
                    s.host.start + (offset - s.at)
                } else {
                    s.host.start
                }
            }
            Some(s) => s.host.end,
            None => self.segments.first().map_or(0, |s| s.host.start),
        }
    }

    /// The host offset of a derived span's end (exclusive).
    pub fn end(&self, offset: usize) -> usize {
        let Some(before) = offset.checked_sub(1) else {
            return self.start(0);
        };
        match self.find(before) {
            Some(s) if s.exact && before < s.at + s.len => s.host.start + (offset - s.at),
            Some(s) => s.host.end,
            None => self.start(0),
        }
    }

    /// A derived span in host offsets (an empty span stays empty).
    pub fn span(&self, span: Span) -> Span {
        let start = self.start(span.start);
        if span.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.end(span.end).max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_runs_map_inside_and_others_to_their_whole_source() {
        let mut map = PosMap::default();
        // `ab` from host 10..12, an escape `\n` (host 12..14) as one byte, `cd` from 14..16.
        map.push(0, 2, Span::new(10, 12), true);
        map.push(2, 1, Span::new(12, 14), false);
        map.push(3, 2, Span::new(14, 16), true);
        assert_eq!(map.span(Span::new(1, 2)), Span::new(11, 12));
        assert_eq!(map.span(Span::new(2, 3)), Span::new(12, 14));
        assert_eq!(map.span(Span::new(0, 5)), Span::new(10, 16));
        assert_eq!(map.span(Span::new(4, 4)), Span::new(15, 15));
    }
}
