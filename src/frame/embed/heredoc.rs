//! A faster parse of Terraform files whose heredocs hold long literal text (the JSON policies
//! of `alicloud_ram_policy` and its kin). `hcl-edit` parses a heredoc's body one character at
//! a time, trying every way a literal may end at each one (about a thousand instructions a
//! byte), while this reader needs only the heredoc's span: it reads the text itself
//! (`template::pieces`). So the parser is given the text with the bodies of literal heredocs
//! (no `${`, no `%{`) taken out, and in heredocs with interpolations (`${`, no `%{`) the
//! literal runs between them each replaced by one marker character (the interpolations are
//! still parsed, alone), and each span it returns is moved back to the whole text by
//! [`original`]. The cuts are kept only when the parsed tree has a heredoc that starts where
//! each cut's `<<` is (otherwise the `<<` was in a comment or a string) and reads each marker
//! as a literal of that heredoc; otherwise the whole text is parsed as it is. A parse error
//! is always the one of the whole text.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::template::Element;
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
        // (opener, marker) in the shortened text: each marker must be read as literal text
        // of its heredoc.
        let mut markers = Vec::new();
        let (mut from, mut removed) = (0usize, 0usize);
        let mut last_opener = None;
        for cut in &cuts {
            short.push_str(text.get(from..cut.body).unwrap_or_default());
            if last_opener.map(|(o, _)| o) != Some(cut.opener) {
                last_opener = Some((cut.opener, cut.opener - removed));
                openers.push(cut.opener - removed);
            }
            removed += cut.end - cut.body;
            if cut.marker {
                markers.push((last_opener.map_or(0, |(_, o)| o), short.len()));
                short.push(MARKER);
                removed -= 1;
            }
            shifts.push((short.len(), removed));
            from = cut.end;
        }
        short.push_str(text.get(from..).unwrap_or_default());
        if let Ok(body) = hcl_edit::parser::parse_body(&short) {
            let mut found = HeredocStarts(Vec::new(), Vec::new());
            found.visit_body(&body);
            found.0.sort_unstable();
            found.1.sort_unstable();
            let literal = |&(opener, at): &(usize, usize)| {
                let i = found.1.partition_point(|&(o, start, _)| (o, start) <= (opener, at));
                i.checked_sub(1).and_then(|i| found.1.get(i)).is_some_and(|&(o, _, end)| o == opener && at < end)
            };
            if openers.iter().all(|o| found.0.binary_search(o).is_ok()) && markers.iter().all(literal) {
                SHIFTS.with(|s| *s.borrow_mut() = shifts);
                return Ok((body, Mapped(())));
            }
        }
    }
    hcl_edit::parser::parse_body(text).map(|body| (body, Mapped(())))
}

/// The start offsets of every heredoc expression of a tree, and the spans of the literal
/// elements of each heredoc's template (start of the heredoc, start and end of the literal).
struct HeredocStarts(Vec<usize>, Vec<(usize, usize, usize)>);

impl Visit for HeredocStarts {
    fn visit_expr(&mut self, expr: &Expression) {
        if let Expression::HeredocTemplate(heredoc) = expr {
            if let Some(span) = hcl_edit::Span::span(expr) {
                self.0.push(span.start);
                for element in heredoc.template.iter() {
                    if let Element::Literal(literal) = element {
                        if let Some(at) = hcl_edit::Span::span(literal) {
                            self.1.push((span.start, at.start, at.end));
                        }
                    }
                }
            }
        }
        hcl_edit::visit::visit_expr(self, expr);
    }
}

/// What stands for a literal run taken out of a heredoc with interpolations: one character
/// that is literal text wherever the run was.
const MARKER: char = 'x';

/// Text that may be taken out of a heredoc: the `<<` at `opener`; `body` to `end`, the
/// whole body (after the opening line, up to the line ending before the closing line) of a
/// literal heredoc, or (`marker`) a literal run of a heredoc with interpolations, replaced
/// by [`MARKER`].
#[derive(Debug, PartialEq)]
struct Cut {
    opener: usize,
    body: usize,
    end: usize,
    marker: bool,
}

/// The bodies of the heredocs of a text that hold neither `${` nor `%{`, and the literal runs
/// of those that hold `${` but no `%{` ([`template_runs`]), as the HCL grammar
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
        if memchr::memmem::find(inner, b"%{").is_some() {
            // Directives: the grammar reads their bodies with other rules; parsed as written.
        } else if memchr::memmem::find(inner, b"${").is_some() {
            template_runs(bytes, opener, body, end, &mut cuts);
        } else if end > body {
            cuts.push(Cut { opener, body, end, marker: false });
        }
        i = after;
    }
    Some(cuts)
}

/// The literal runs of a heredoc body with interpolations (`${...}`, no directive) that may
/// be taken out: those of two bytes or more without a `$` (so without an escape `$${` or
/// the start of an interpolation), each to be replaced by [`MARKER`]. The interpolations
/// stay, so the parser still reads them; it reads a few bytes where it read the whole
/// policy. Nothing is taken out when an interpolation is not closed before the body's end.
/// [`parse`] keeps the cuts only when each marker is read as a literal of its heredoc: the
/// run it stands for is then literal text too (it holds no `$`, no `%{`, and no closing
/// line, the body ending before the first one), read the same way.
fn template_runs(bytes: &[u8], opener: usize, body: usize, end: usize, cuts: &mut Vec<Cut>) {
    let mut runs = Vec::new();
    let (mut run, mut i) = (body, body);
    // The run since `run` holds a `$` (a `$${` escape, a lone `$`): kept as written.
    let mut kept = false;
    while let Some(found) = bytes.get(i..end).and_then(|r| memchr::memchr(b'$', r)) {
        let at = i + found;
        if bytes.get(at + 1) != Some(&b'{') {
            kept = true;
            // Past a `$${` escape, whose `${` opens nothing.
            i = if bytes.get(at + 1..at + 3) == Some(b"${") { at + 3 } else { at + 1 };
            continue;
        }
        let to = super::template::part_end(bytes, at + 1, end);
        if to <= at + 2 || bytes.get(to - 1) != Some(&b'}') {
            return;
        }
        if !kept {
            runs.push((run, at));
        }
        (run, i, kept) = (to, to, false);
    }
    if !kept {
        runs.push((run, end));
    }
    for (from, to) in runs {
        if to >= from + 2 {
            cuts.push(Cut { opener, body: from, end: to, marker: true });
        }
    }
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
            "a = <<-EOT\n  {\"R\": \"acs:vpc:${var.region}:*:eip/*\"}\n  EOT\nb = 1\n",
            "a = <<EOT\n${x}${y} and $${z} cost $5 ${ \"}\" }\n${f(\n  1,\n  2)}\nEOT\n",
            "a = <<EOT\n${x}\n%{ if y }z%{ endif }\nEOT\nb = <<EOT\n$$${q} ${ {a = 1}.a } ${w}\nEOT\n",
            "a = <<EOT\nab${x}\nEOT\nb = <<EOT\n${x}ab\nEOT\nc = <<EOT\n${x}\nEOT\n",
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
    fn interpolations_are_parsed_without_the_text_around_them() {
        let text = "d = <<-EOT\n  {\"R\": \"acs:vpc:${var.region}:*:eip/*\"}\n  EOT\n";
        let (_body, _mapped) = parse(text).unwrap();
        // `  {"R": "acs:vpc:` (17 bytes) and `:*:eip/*"}` (10 bytes) are one marker each.
        assert_eq!(SHIFTS.with(|s| s.borrow().clone()), vec![(12, 16), (26, 25)]);
        drop(_mapped);
        assert_eq!(spans(text), whole(text));
        // A marker read as part of an expression (the run after `${ {a = 1}`, which the
        // template reader closes at its first `}`): the whole text is parsed.
        let text = "d = <<EOT\n${ {a = 1}.a } and more\nEOT\n";
        let (_body, _mapped) = parse(text).unwrap();
        assert!(SHIFTS.with(|s| s.borrow().is_empty()));
    }

    #[test]
    fn cuts_only_literal_bodies() {
        let text = "a = <<EOT\nbody\nEOT\nb = <<EOT\n${x}\nEOT\n";
        let cuts = literal_bodies(text).unwrap();
        assert_eq!(cuts, vec![Cut { opener: 4, body: 10, end: 14, marker: false }]);
    }

    #[test]
    fn a_broken_text_reports_the_whole_texts_error() {
        let text = "a = <<EOT\nbody\nEOT\nb = {\n";
        let short = parse(text).err().unwrap();
        let whole = hcl_edit::parser::parse_body(text).err().unwrap();
        assert_eq!(short.location().offset(), whole.location().offset());
    }
}
