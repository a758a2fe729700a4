//! A faster parse of Terraform files whose heredocs hold long literal text (the JSON policies
//! of `alicloud_ram_policy` and its kin). `hcl-edit` parses a heredoc's body one character at
//! a time, trying every way a literal may end at each one (about a thousand instructions a
//! byte), while this reader needs only the heredoc's span: it reads the text itself
//! (`template::pieces`). So the parser is given the text with the bodies of literal heredocs
//! (no `${`, no `%{`) taken out, and each span it returns is moved back to the whole text by
//! [`original`]. A cut is kept only when the parsed tree has a heredoc that starts where the
//! cut's `<<` is (otherwise the `<<` was in a comment or a string, and the whole text is
//! parsed as it is); a parse error is always the one of the whole text.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::visit::Visit;
use std::cell::RefCell;

thread_local! {
    /// The cuts of the text being read on this thread: (offset in the shortened text, bytes
    /// removed before it), sorted; empty when the parser had the whole text.
    static SHIFTS: RefCell<Vec<(usize, usize)>> = const { RefCell::new(Vec::new()) };
}

/// While alive, [`original`] maps the offsets of the tree [`parse`] returned; dropping it
/// forgets the cuts.
pub(super) struct Mapped(());

impl Drop for Mapped {
    fn drop(&mut self) {
        SHIFTS.with(|s| s.borrow_mut().clear());
    }
}

/// An offset of the parsed tree as an offset of the text given to [`parse`].
pub(super) fn original(offset: usize) -> usize {
    SHIFTS.with(|s| {
        let shifts = s.borrow();
        let before = shifts.partition_point(|&(at, _)| at <= offset);
        before.checked_sub(1).and_then(|i| shifts.get(i)).map_or(offset, |&(_, removed)| offset + removed)
    })
}

/// Parses a Terraform file as `hcl_edit::parser::parse_body` does, with the same tree and,
/// through [`original`], the same spans.
pub(super) fn parse(text: &str) -> Result<(Body, Mapped), hcl_edit::parser::Error> {
    SHIFTS.with(|s| s.borrow_mut().clear());
    if let Some(cuts) = literal_bodies(text).filter(|c| !c.is_empty()) {
        let mut short = String::with_capacity(text.len());
        let mut shifts = Vec::with_capacity(cuts.len());
        let mut openers = Vec::with_capacity(cuts.len());
        let (mut from, mut removed) = (0usize, 0usize);
        for cut in &cuts {
            short.push_str(text.get(from..cut.body).unwrap_or_default());
            openers.push(cut.opener - removed);
            removed += cut.end - cut.body;
            shifts.push((short.len(), removed));
            from = cut.end;
        }
        short.push_str(text.get(from..).unwrap_or_default());
        if let Ok(body) = hcl_edit::parser::parse_body(&short) {
            let mut found = HeredocStarts(Vec::new());
            found.visit_body(&body);
            found.0.sort_unstable();
            if openers.iter().all(|o| found.0.binary_search(o).is_ok()) {
                SHIFTS.with(|s| *s.borrow_mut() = shifts);
                return Ok((body, Mapped(())));
            }
        }
    }
    hcl_edit::parser::parse_body(text).map(|body| (body, Mapped(())))
}

/// The start offsets of every heredoc expression of a tree.
struct HeredocStarts(Vec<usize>);

impl Visit for HeredocStarts {
    fn visit_expr(&mut self, expr: &Expression) {
        if let Expression::HeredocTemplate(_) = expr {
            if let Some(span) = hcl_edit::Span::span(expr) {
                self.0.push(span.start);
            }
        }
        hcl_edit::visit::visit_expr(self, expr);
    }
}

/// A heredoc body that may be taken out: the `<<` at `opener`, the body from `body` (after
/// the opening line) to `end` (the line ending before the closing delimiter's line).
#[derive(Debug, PartialEq)]
struct Cut {
    opener: usize,
    body: usize,
    end: usize,
}

/// The bodies of the heredocs of a text that hold neither `${` nor `%{`, as the HCL grammar
/// delimits them (`<<ID` or `<<-ID` and a line ending; the body ends before the first line
/// ending followed by blanks and `ID` that no identifier character follows). `None` when the
/// text has a non-ASCII identifier character where that matters (the whole text is parsed
/// then); candidates in comments or strings are weeded out by [`parse`].
fn literal_bodies(text: &str) -> Option<Vec<Cut>> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut i = 0usize;
    while let Some(found) = memchr::memmem::find(bytes.get(i..)?, b"<<") {
        let opener = i + found;
        let mut j = opener + 2;
        if bytes.get(j) == Some(&b'-') {
            j += 1;
        }
        let ident = j;
        match bytes.get(j) {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => j += 1,
            Some(c) if !c.is_ascii() => return None,
            _ => {
                i = opener + 2;
                continue;
            }
        }
        while let Some(&c) = bytes.get(j) {
            if is_ident_continue(c) {
                j += 1;
            } else if !c.is_ascii() {
                return None;
            } else {
                break;
            }
        }
        let delim = bytes.get(ident..j)?;
        let rest = bytes.get(j..)?;
        let body = if rest.starts_with(b"\n") {
            j + 1
        } else if rest.starts_with(b"\r\n") {
            j + 2
        } else {
            i = j;
            continue;
        };
        // An empty heredoc: the delimiter on the first line.
        if ends_here(bytes, body, delim)?.is_some() {
            i = body;
            continue;
        }
        // The first line ending (`\r\n` from its `\r`) that starts the closing line. A closing
        // line holds the delimiter: each of its occurrences (`memmem`, few in a policy) is
        // tried, in order, where only blanks stand between it and a line ending after `body`
        // (the lines in order, as a walk from line to line would try them).
        let mut end = None;
        let finder = memchr::memmem::Finder::new(delim);
        let mut from = body;
        while let Some(found) = finder.find(bytes.get(from..)?) {
            let p = from + found;
            from = p + 1;
            let k = bytes.get(body..p)?.iter().rposition(|c| !matches!(c, b' ' | b'\t')).map(|r| body + r);
            let Some(q) = k.filter(|&q| bytes.get(q) == Some(&b'\n')) else {
                continue;
            };
            if let Some(after) = ends_here(bytes, q + 1, delim)? {
                let at = if q > body && bytes.get(q - 1) == Some(&b'\r') { q - 1 } else { q };
                end = Some((at, after));
                break;
            }
        }
        // Unterminated: the parser reports it from the whole text.
        let (end, after) = end?;
        let inner = bytes.get(body..end)?;
        if end > body && memchr::memmem::find(inner, b"${").is_none() && memchr::memmem::find(inner, b"%{").is_none() {
            cuts.push(Cut { opener, body, end });
        }
        i = after;
    }
    Some(cuts)
}

fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// Whether the line starting at `at` is a closing line: blanks, then `delim` that no
/// identifier character follows. `Some(offset after the delimiter)` when it is, `None`
/// inside when it is not; `None` outside when a non-ASCII character follows the delimiter.
fn ends_here(bytes: &[u8], at: usize, delim: &[u8]) -> Option<Option<usize>> {
    let mut k = at;
    while matches!(bytes.get(k), Some(b' ' | b'\t')) {
        k += 1;
    }
    if !bytes.get(k..).is_some_and(|r| r.starts_with(delim)) {
        return Some(None);
    }
    let after = k + delim.len();
    match bytes.get(after) {
        Some(c) if !c.is_ascii() => None,
        Some(&c) if is_ident_continue(c) => Some(None),
        _ => Some(Some(after)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        struct All(Vec<(usize, usize)>);
        impl Visit for All {
            fn visit_expr(&mut self, expr: &Expression) {
                if let Some(s) = hcl_edit::Span::span(expr) {
                    self.0.push((original(s.start), original(s.end)));
                }
                hcl_edit::visit::visit_expr(self, expr);
            }
        }
        let (body, _mapped) = parse(text).unwrap();
        let mut all = All(Vec::new());
        all.visit_body(&body);
        all.0
    }

    fn whole(text: &str) -> Vec<(usize, usize)> {
        struct All(Vec<(usize, usize)>);
        impl Visit for All {
            fn visit_expr(&mut self, expr: &Expression) {
                if let Some(s) = hcl_edit::Span::span(expr) {
                    self.0.push((s.start, s.end));
                }
                hcl_edit::visit::visit_expr(self, expr);
            }
        }
        let body = hcl_edit::parser::parse_body(text).unwrap();
        let mut all = All(Vec::new());
        all.visit_body(&body);
        all.0
    }

    #[test]
    fn spans_are_those_of_the_whole_text() {
        let cases = [
            "a = <<EOT\n{\"x\": 1}\nEOT\nb = \"y\"\n",
            "a = <<-EOT\n  {\n    \"x\": 1\n  }\n  EOT\nb = <<X\nX\nc = <<Y\n\nY\n",
            "# a <<EOT\nb = <<EOT\nbody\r\n EOT\nc = 1\n",
            "a = \"<<EOT\"\nb = <<EOT\nEOTX\nEOT\n",
            "a = <<EOT\n${var.x}\nEOT\nb = <<E\nplain é\nE\n",
            "a = [<<A\none\nA\n, <<B\ntwo\nB\n]\n",
            "a = <<EOT\nx EOT\n EOTa\n\t EOT_\nEOT-\n  EOT\nb = 1\n",
            "a = <<-EOT\r\n  {\"EOT\": 1}\r\n  EOT\r\nb = <<EOT\nEOT\n",
        ];
        for text in cases {
            assert_eq!(spans(text), whole(text), "{text:?}");
        }
    }

    #[test]
    fn a_policy_heredoc_is_not_given_to_the_parser() {
        let text = "resource \"x\" \"y\" {\n  d = <<-EOT\n    {\"Version\": \"1\"}\n  EOT\n  n = 1\n}\n";
        let (_body, _mapped) = parse(text).unwrap();
        assert_eq!(SHIFTS.with(|s| s.borrow().clone()), vec![(32, 20)]);
        drop(_mapped);
        assert!(SHIFTS.with(|s| s.borrow().is_empty()));
        assert_eq!(spans(text), whole(text));
    }

    #[test]
    fn cuts_only_literal_bodies() {
        let text = "a = <<EOT\nbody\nEOT\nb = <<EOT\n${x}\nEOT\n";
        let cuts = literal_bodies(text).unwrap();
        assert_eq!(cuts, vec![Cut { opener: 4, body: 10, end: 14 }]);
    }

    #[test]
    fn a_broken_text_reports_the_whole_texts_error() {
        let text = "a = <<EOT\nbody\nEOT\nb = {\n";
        let short = parse(text).err().unwrap();
        let whole = hcl_edit::parser::parse_body(text).err().unwrap();
        assert_eq!(short.location().offset(), whole.location().offset());
    }
}
