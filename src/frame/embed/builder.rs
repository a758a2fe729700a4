//! Building a derived JSON text piece by piece, each piece with the host bytes it stands for.

use super::template::Piece;
use crate::json::{PosMap, Span};

/// A derived JSON text, its map to the host, and its unknown (template) parts.
#[derive(Debug, Default)]
pub struct Builder {
    pub text: String,
    pub map: PosMap,
    pub unknown: Vec<Span>,
    /// Whether the text is inside a JSON string at its end (for template text that is JSON),
    /// as of the literal template text before `pending`.
    in_string: bool,
    escaped: bool,
    /// Ranges of `text` written by [`Builder::json_pieces`] as literal template text and not
    /// yet read for `in_string`: only an unknown piece needs that state, so a document
    /// without one (a plain policy heredoc) is never read byte by byte. One range per
    /// literal piece, cleared at each unknown piece.
    pending: Vec<(usize, usize)>,
    /// Template directives (`%{ if }`, `%{ for }`) were met: the text may not be JSON.
    pub directives: bool,
}

/// How an unknown value is written in the derived text: its own text when that needs no JSON
/// escape (`${var.account}`), otherwise a neutral stand-in.
fn stand_in(raw: &str) -> &str {
    if raw.chars().all(|c| c != '"' && c != '\\' && !c.is_control()) {
        raw
    } else {
        "${…}"
    }
}

impl Builder {
    /// Appends text that stands for `host` (`exact`: the same bytes).
    pub fn push(&mut self, text: &str, host: Span, exact: bool) {
        self.map.push(self.text.len(), text.len(), host, exact);
        self.text.push_str(text);
    }

    /// Appends JSON structure (`{`, `,`, a key's quotes) that stands for `host`.
    pub fn punct(&mut self, text: &str, host: Span) {
        self.push(text, host, false);
    }

    /// Appends template text that is itself JSON (a heredoc or a string holding a document):
    /// literal pieces as they are, unknown pieces as a stand-in (quoted when outside a string),
    /// each directive block (`%{ for }` ... `%{ endfor }`) as one unknown piece.
    pub fn json_pieces(&mut self, pieces: &[Piece]) {
        let folded = super::template::fold_directives(pieces);
        for piece in folded.iter() {
            if piece.directive {
                self.directives = true;
            }
            if piece.unknown {
                self.settle();
                let quote = !self.in_string;
                let start = self.text.len();
                if quote {
                    self.punct("\"", Span::new(piece.host.start, piece.host.start));
                }
                self.push(stand_in(&piece.text), piece.host, false);
                if quote {
                    self.punct("\"", Span::new(piece.host.end, piece.host.end));
                }
                self.unknown.push(Span::new(start, self.text.len()));
                continue;
            }
            let start = self.text.len();
            self.push(&piece.text, piece.host, piece.exact);
            self.pending.push((start, self.text.len()));
        }
    }

    /// Reads the pending literal text for `in_string`, from one `"` or `\\` to the next (a
    /// character after `\\` in a string is skipped by its first byte: the bytes after it
    /// are never a `"` or a `\\`).
    fn settle(&mut self) {
        for (start, end) in std::mem::take(&mut self.pending) {
            let bytes = self.text.as_bytes().get(start..end).unwrap_or_default();
            let mut i = 0;
            if self.escaped && !bytes.is_empty() {
                self.escaped = false;
                i = 1;
            }
            while let Some(found) = bytes.get(i..).and_then(|r| memchr::memchr2(b'"', b'\\', r)) {
                let at = i + found;
                i = at + 1;
                if bytes.get(at) == Some(&b'"') {
                    self.in_string = !self.in_string;
                } else if self.in_string {
                    if at + 1 < bytes.len() {
                        i = at + 2;
                    } else {
                        self.escaped = true;
                    }
                }
            }
        }
    }

    /// Appends a JSON string whose value is the template `pieces` (an HCL string in
    /// `jsonencode` or a `statement` block): characters JSON must escape are escaped.
    pub fn string_pieces(&mut self, pieces: &[Piece], host: Span) {
        self.punct("\"", Span::new(host.start, host.start.saturating_add(1).min(host.end)));
        for piece in pieces {
            if piece.directive {
                self.directives = true;
            }
            if piece.unknown {
                let start = self.text.len();
                self.push(stand_in(&piece.text), piece.host, false);
                self.unknown.push(Span::new(start, self.text.len()));
                continue;
            }
            let escaped = escape(&piece.text);
            let exact = piece.exact && escaped.len() == piece.text.len();
            self.push(&escaped, piece.host, exact);
        }
        self.punct("\"", Span::new(host.end.saturating_sub(1).max(host.start), host.end));
    }

    /// Appends an unknown value (a variable, a function call, a `for` expression) as a string.
    pub fn unknown_value(&mut self, raw: &str, host: Span) {
        let start = self.text.len();
        self.punct("\"", Span::new(host.start, host.start));
        self.push(stand_in(raw.trim()), host, false);
        self.punct("\"", Span::new(host.end, host.end));
        self.unknown.push(Span::new(start, self.text.len()));
    }
}

/// `text` as the inside of a JSON string.
pub fn escape(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default().to_string()
}
