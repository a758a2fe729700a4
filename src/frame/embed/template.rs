//! HCL template strings (quoted strings and heredocs) cut into pieces: literal text with the
//! host bytes it came from, and template parts (`${...}`, `%{...}`) that are unknown values.

use crate::json::Span;

/// One piece of a template string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The decoded text (for an unknown piece: its source text).
    pub text: String,
    pub host: Span,
    /// The same bytes as the host (no escape, no indentation removed inside).
    pub exact: bool,
    /// A template interpolation or directive.
    pub unknown: bool,
    /// A directive (`%{ if }`, `%{ for }`).
    pub directive: bool,
}

/// The pieces of the quoted string or heredoc at `span` of `host`; `None` when it is neither.
pub fn pieces(host: &str, span: Span) -> Option<Vec<Piece>> {
    let raw = host.get(span.start..span.end)?;
    if raw.starts_with('"') && raw.len() >= 2 && raw.ends_with('"') {
        return Some(scan(host, span.start + 1, span.end - 1, true, 0, true));
    }
    let rest = raw.strip_prefix("<<")?;
    let (indented, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let delimiter: &str = rest.split(['\n', '\r']).next()?.trim();
    let open = raw.find('\n')? + 1;
    // The closing line: the last line whose trimmed text is the delimiter.
    let body = raw.get(open..)?;
    let close = body.trim_end().rfind('\n').map_or(0, |i| i + 1);
    let closing = body.get(close..)?.trim();
    let end = if closing == delimiter { close } else { body.len() };
    let start = span.start + open;
    let end = start + end;
    let indent = if indented { common_indent(host.get(start..end)?) } else { 0 };
    Some(scan(host, start, end, false, indent, true))
}

/// The keyword of a directive piece (`%{ for x in y ~}` is `for`).
fn keyword(piece: &Piece) -> &str {
    let inner = piece.text.trim_start_matches("%{").trim_start_matches('~').trim_start();
    inner.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or_default()
}

/// Folds each template directive block (`%{ if }` ... `%{ endif }`, `%{ for }` ... `%{ endfor }`,
/// nested blocks included) into one unknown piece, so that the JSON around it can still be
/// read: what the block writes is unknown, as a `${...}` value is. A comma the block's literal
/// text ends (or starts) with is kept beside it, as a block that writes list items with their
/// separators leaves one. An unclosed block runs to the end.
pub fn fold_directives(pieces: &[Piece]) -> std::borrow::Cow<'_, [Piece]> {
    if !pieces.iter().any(|p| p.directive) {
        return std::borrow::Cow::Borrowed(pieces);
    }
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while let Some(piece) = pieces.get(i) {
        if !(piece.directive && matches!(keyword(piece), "if" | "for")) {
            out.push(piece.clone());
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let mut text = String::new();
        let mut literal = String::new();
        let mut end = piece.host.end;
        while let Some(p) = pieces.get(i) {
            i += 1;
            text.push_str(&p.text);
            end = p.host.end;
            if p.directive {
                match keyword(p) {
                    "if" | "for" => depth += 1,
                    "endif" | "endfor" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            } else if !p.unknown {
                literal.push_str(&p.text);
            }
        }
        let comma = |at: usize| Piece {
            text: ",".to_string(),
            host: Span::new(at, at),
            exact: false,
            unknown: false,
            directive: false,
        };
        let literal = literal.trim();
        let before = literal.starts_with(',');
        let after = literal.ends_with(',') && literal != ",";
        if before {
            out.push(comma(piece.host.start));
        }
        out.push(Piece { text, host: Span::new(piece.host.start, end), exact: false, unknown: true, directive: true });
        if after {
            out.push(comma(end));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The pieces of a whole template file (`templatefile("policy.tpl", ...)`, `file(...)`).
pub fn whole(text: &str) -> Vec<Piece> {
    scan(text, 0, text.len(), false, 0, true)
}

/// The pieces of a JSON string literal at `span` of `host` (quotes included); `templates`:
/// whether `${...}` in it are template parts (a `.tf.json` file) or text (a plan).
pub fn json_string(host: &str, span: Span, templates: bool) -> Option<Vec<Piece>> {
    let raw = host.get(span.start..span.end)?;
    (raw.starts_with('"') && raw.len() >= 2 && raw.ends_with('"'))
        .then(|| scan(host, span.start + 1, span.end - 1, true, 0, templates))
}

/// The smallest leading whitespace of the non-blank lines (what `<<-` strips).
fn common_indent(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut least: Option<usize> = None;
    let mut start = 0;
    // Line by line (`memchr` to each line ending); a line's `\r` is blank to both tests
    // below, so it needs no stripping. Nothing is smaller than 0: the scan stops there (a
    // policy written at the left margin is read to its first line only).
    while start < bytes.len() && least != Some(0) {
        let end = memchr::memchr(b'\n', bytes.get(start..).unwrap_or_default()).map_or(bytes.len(), |n| start + n);
        let line = bytes.get(start..end).unwrap_or_default();
        let lead = line.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
        // A visible ASCII character after the indentation: not blank (the common case,
        // decided without a trim of the whole line).
        let visible = line.get(lead).is_some_and(|b| b.is_ascii_graphic());
        if visible || !text.get(start..end).unwrap_or_default().trim().is_empty() {
            least = Some(least.map_or(lead, |l| l.min(lead)));
        }
        start = end + 1;
    }
    least.unwrap_or(0)
}

/// The end (exclusive) of the template part opened at `at` (`${` or `%{`), or `end`.
pub(super) fn part_end(bytes: &[u8], at: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut i = at + 1;
    while i < end {
        match bytes.get(i) {
            Some(b'{') => depth += 1,
            Some(b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            Some(b'"') => {
                i += 1;
                while i < end && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    end
}

fn scan(host: &str, start: usize, end: usize, quoted: bool, indent: usize, templates: bool) -> Vec<Piece> {
    let bytes = host.as_bytes();
    let mut out: Vec<Piece> = Vec::new();
    let mut run = start;
    let mut i = start;
    let mut line_start = true;
    let special = Special::new(quoted, indent, templates);
    let flush = |out: &mut Vec<Piece>, from: usize, to: usize| {
        if from < to {
            let text = host.get(from..to).unwrap_or_default().to_string();
            out.push(Piece { text, host: Span::new(from, to), exact: true, unknown: false, directive: false });
        }
    };
    while i < end {
        if line_start && indent > 0 {
            flush(&mut out, run, i);
            let mut skipped = 0;
            while skipped < indent && i < end && matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
                skipped += 1;
            }
            run = i;
        }
        line_start = false;
        // A run of bytes none of the branches below acts on is plain text: skipped at once
        // with `memchr` to the next byte that matters.
        let plain = bytes.get(i..end).map_or(0, |r| special.find(r).unwrap_or(r.len()));
        if plain > 0 {
            i += plain;
            continue;
        }
        let Some(c) = host.get(i..end).and_then(|s| s.chars().next()) else {
            break;
        };
        let next = bytes.get(i + 1).copied();
        let third = bytes.get(i + 2).copied();
        if !(templates || quoted && c == '\\') {
            i += c.len_utf8();
        } else if (c == '$' || c == '%') && next == Some(c as u8) && third == Some(b'{') {
            // `$${` and `%%{` are the literal `${` and `%{`.
            flush(&mut out, run, i);
            let text = format!("{c}{{");
            out.push(Piece { text, host: Span::new(i, i + 3), exact: false, unknown: false, directive: false });
            i += 3;
            run = i;
        } else if (c == '$' || c == '%') && next == Some(b'{') {
            flush(&mut out, run, i);
            let to = part_end(bytes, i + 1, end);
            let text = host.get(i..to).unwrap_or_default().to_string();
            out.push(Piece { text, host: Span::new(i, to), exact: false, unknown: true, directive: c == '%' });
            i = to;
            run = i;
        } else if quoted && c == '\\' {
            flush(&mut out, run, i);
            let (decoded, len) = unescape(host.get(i..end).unwrap_or_default());
            out.push(Piece {
                text: decoded,
                host: Span::new(i, i + len),
                exact: false,
                unknown: false,
                directive: false,
            });
            i += len;
            run = i;
        } else {
            i += c.len_utf8();
            line_start = c == '\n';
        }
    }
    flush(&mut out, run, end.max(run));
    out
}

/// The bytes [`scan`] acts on: `$` and `%` when templates are read, `\\` in a quoted string,
/// a line ending when indentation is stripped (a quoted string has none, so at most three).
/// Any other byte (those four included where their branch would leave them as text) is plain.
struct Special {
    needles: [u8; 4],
    count: usize,
}

impl Special {
    fn new(quoted: bool, indent: usize, templates: bool) -> Special {
        let mut needles = [0u8; 4];
        let mut count = 0;
        for (on, byte) in [(templates, b'$'), (templates, b'%'), (quoted, b'\\'), (indent > 0, b'\n')] {
            if on {
                if let Some(slot) = needles.get_mut(count) {
                    *slot = byte;
                    count += 1;
                }
            }
        }
        Special { needles, count }
    }

    /// The offset of the first byte that matters in `r`.
    fn find(&self, r: &[u8]) -> Option<usize> {
        let [a, b, c, _] = self.needles;
        match self.count {
            0 => None,
            1 => memchr::memchr(a, r),
            2 => memchr::memchr2(a, b, r),
            3 => memchr::memchr3(a, b, c, r),
            _ => r.iter().position(|x| self.needles.contains(x)),
        }
    }
}

/// An HCL escape at the start of `text`: its value and its length in bytes.
fn unescape(text: &str) -> (String, usize) {
    let mut chars = text.chars();
    chars.next();
    let Some(c) = chars.next() else {
        return (String::new(), text.len());
    };
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        // JSON's escapes (a string of a `.tf.json` file or a plan).
        '/' => Some('/'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        _ => None,
    };
    if let Some(v) = simple {
        return (v.to_string(), 2);
    }
    let digits = match c {
        'u' => 4,
        'U' => 8,
        _ => return (c.to_string(), 1 + c.len_utf8()),
    };
    let hex = text.get(2..2 + digits).unwrap_or_default();
    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
        Some(v) if hex.len() == digits => (v.to_string(), 2 + digits),
        _ => (c.to_string(), 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line-by-line `common_indent` this module had before its `memchr` walk.
    fn common_indent_lines(text: &str) -> usize {
        text.lines()
            .filter_map(|l| {
                let lead = l.len() - l.trim_start_matches([' ', '\t']).len();
                (!l.trim().is_empty()).then_some(lead)
            })
            .min()
            .unwrap_or(0)
    }

    #[test]
    fn common_indent_is_that_of_the_lines() {
        let cases = [
            "",
            "\n",
            "  a\n    b\n",
            "    a\r\n  \r\n      b",
            "\t x\n \t\n\t  y\n",
            "  {\n\n   }\n  ",
            "{\n  \"a\": 1\n}\n",
            "   \u{a0}\n     é\n",
            "  \u{2003}x\n    y",
        ];
        for text in cases {
            assert_eq!(common_indent(text), common_indent_lines(text), "{text:?}");
        }
    }

    #[test]
    fn scan_cuts_at_the_bytes_that_matter() {
        let text = "  {\"a\": \"${x}\",\n   \"b\": \"$${y} 100% %{ if z }\\\\n\"}\n";
        let indented = scan(text, 0, text.len(), false, 2, true);
        let joined: String = indented.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "{\"a\": \"${x}\",\n \"b\": \"${y} 100% %{ if z }\\\\n\"}\n");
        assert_eq!(indented.iter().filter(|p| p.unknown).count(), 2);
        let quoted = scan("a\\nb${c}", 0, 8, true, 0, true);
        let texts: Vec<&str> = quoted.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["a", "\n", "b", "${c}"]);
        let plain = scan("a\\nb${c}", 0, 8, true, 0, false);
        let texts: Vec<&str> = plain.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["a", "\n", "b${c}"]);
    }
}
