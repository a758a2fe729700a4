//! A strict RFC 8259 parser with byte spans. Recursion is bounded by [`MAX_DEPTH`], so
//! deeply nested input yields a diagnostic instead of overflowing the stack.

use super::{Member, Node, Span, Text, Value};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

/// Parses one JSON text. A leading UTF-8 byte order mark is skipped.
pub fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    // The members of the objects being read wait on one stack, kept per thread from one text
    // to the next (a log parses millions of records): each object then takes one allocation
    // of its exact size, not a vector grown member by member.
    let kept = SCRATCH.with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default());
    let mut p = Parser { bytes: text.as_bytes(), text, pos: 0, members: recycle(kept) };
    let result = p.document();
    let members = p.members;
    if members.capacity() <= SCRATCH_KEPT {
        let members = recycle(members);
        SCRATCH.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = members;
            }
        });
    }
    result
}

/// The allocation of a stack of members, emptied, for members of another lifetime (the kept
/// stack holds none, so it can be `'static`). Collecting a vector's own `into_iter` reuses its
/// buffer when the item layouts agree, as they do here (only the lifetime differs): no
/// allocation (a test checks it), and the items left are dropped.
fn recycle<'b>(members: Vec<Member<'_>>) -> Vec<Member<'b>> {
    members.into_iter().map_while(|_| None).collect()
}

/// The most members the per-thread stack keeps between texts (memory stays bounded after a
/// document with a huge object).
const SCRATCH_KEPT: usize = 1024;

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<Member<'static>>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Members of the objects being read, innermost last.
    members: Vec<Member<'a>>,
}

/// The bytes of a word of 8 (little-endian) that end the scan of a string: `"`, `\\` or a
/// control character. The lowest set high bit is exact (a borrow only runs upward from a byte
/// that matches), so its position is the first such byte; bits above it may be spurious.
fn string_enders(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let quote = zero_in(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_in(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control
}

/// The offset of the first `"`, `\\` or control character of `body`, 8 bytes at a time (the
/// last few bytes padded with `0xff`, which ends nothing).
fn string_run(body: &[u8]) -> Option<usize> {
    let mut chunks = body.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        let enders = string_enders(word);
        if enders != 0 {
            return Some(at + (enders.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = chunks.remainder();
    let mut word = [0xffu8; 8];
    for (slot, &b) in word.iter_mut().zip(rest) {
        *slot = b;
    }
    let enders = string_enders(u64::from_le_bytes(word));
    let i = (enders.trailing_zeros() / 8) as usize;
    (enders != 0 && i < rest.len()).then_some(at + i)
}

/// The members of `stack` from `first` on, in a vector of their exact size, moved in one copy
/// (a `drain(..).collect()` moved them one by one). `split_off(0)` would hand over the whole
/// stack with its spare capacity, hence `append` for the outermost object.
fn take_from<'a>(stack: &mut Vec<Member<'a>>, first: usize) -> Vec<Member<'a>> {
    if first == 0 {
        let mut all = Vec::with_capacity(stack.len());
        all.append(stack);
        all
    } else {
        stack.split_off(first)
    }
}

impl<'a> Parser<'a> {
    fn document(&mut self) -> Result<Node<'a>, ParseError> {
        if self.text.starts_with('\u{feff}') {
            self.pos = 3;
        }
        self.skip_ws()?;
        let node = self.value(0)?;
        self.skip_ws()?;
        if self.pos < self.bytes.len() {
            return Err(self.error_here("unexpected content after the JSON value"));
        }
        Ok(node)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn char_len_at(&self, pos: usize) -> usize {
        self.text.get(pos..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
    }

    fn error(&self, message: impl Into<String>, start: usize, end: usize) -> ParseError {
        // Inside the text: an escape cut off at the end (`["\`) must not point past it.
        let end = end.min(self.bytes.len());
        ParseError { message: message.into(), span: Span::new(start, end.max(start)) }
    }

    /// An error at the current position, describing what is there.
    fn error_here(&self, context: &str) -> ParseError {
        let Some(c) = self.text.get(self.pos..).and_then(|s| s.chars().next()) else {
            return self.error(format!("{context}: the text ends too early"), self.pos, self.pos);
        };
        let end = self.pos + c.len_utf8();
        let what = match c {
            '\u{a0}' => "a no-break space (U+00A0) is not JSON whitespace".to_string(),
            '\u{feff}' => "a byte order mark is only allowed at the start".to_string(),
            '/' if matches!(self.bytes.get(self.pos + 1), Some(b'/') | Some(b'*')) => {
                let end = self.comment_end();
                return self.error("comments are not allowed in JSON", self.pos, end);
            }
            '\'' => "strings must use double quotes, not `'`".to_string(),
            c if c.is_whitespace() => format!("`{}` (U+{:04X}) is not JSON whitespace", c.escape_default(), c as u32),
            c if c.is_control() => format!("unexpected control character U+{:04X}", c as u32),
            c => format!("unexpected `{c}`"),
        };
        self.error(format!("{context}: {what}"), self.pos, end)
    }

    fn comment_end(&self) -> usize {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = if rest.starts_with(b"//") {
            rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())
        } else {
            rest.windows(2).position(|w| w == b"*/").map_or(rest.len(), |i| i + 2)
        };
        self.pos + len
    }

    fn skip_ws(&mut self) -> Result<(), ParseError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node { value: Value::String(s), span: Span::new(start, self.pos) })
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error_here("expected a JSON value")),
        }
    }

    fn enter(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting is deeper than {MAX_DEPTH} levels"), self.pos, self.pos + 1));
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<Node<'a>, ParseError> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let first = self.members.len();
        self.skip_ws()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node { value: Value::Object(Vec::new()), span: Span::new(start, self.pos) });
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error_here("expected a key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_ws()?;
            let value = self.value(depth)?;
            self.members.push(Member { key, key_span, value });
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.peek() == Some(b'}') {
                        return Err(self.error("trailing comma before `}`", comma, comma + 1));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    let members = take_from(&mut self.members, first);
                    return Ok(Node { value: Value::Object(members), span: Span::new(start, self.pos) });
                }
                _ => return Err(self.error_here("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node<'a>, ParseError> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node { value: Value::Array(items), span: Span::new(start, self.pos) });
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    let comma = self.pos;
                    self.pos += 1;
                    self.skip_ws()?;
                    if self.peek() == Some(b']') {
                        return Err(self.error("trailing comma before `]`", comma, comma + 1));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node { value: Value::Array(items), span: Span::new(start, self.pos) });
                }
                _ => return Err(self.error_here("expected `,` or `]`")),
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        if self.bytes.get(start..start + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node { value, span: Span::new(start, self.pos) })
        } else {
            let end = self.bytes.get(start..).map_or(start, |rest| {
                start + rest.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(rest.len())
            });
            Err(self.error("unexpected word; strings must be in double quotes", start, end.max(start + 1)))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("numbers cannot have leading zeros", start, self.pos + 1));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error_here("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error_here("expected a digit after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let raw = self.text.get(start..self.pos).unwrap_or_default();
        Ok(Node { value: Value::Number(Text::Borrowed(raw)), span: Span::new(start, self.pos) })
    }

    /// Parses a string starting at the opening quote and returns its decoded text.
    ///
    /// Fast path: no escape before the closing quote, so the text is the value (borrowed, no
    /// allocation). It is small enough to inline into its callers, with the scan's constants
    /// kept in registers; the rest is [`Parser::decoded_string`].
    #[inline]
    fn string(&mut self) -> Result<Text<'a>, ParseError> {
        let first = self.pos + 1;
        let body = self.bytes.get(first..).unwrap_or_default();
        if let Some(len) = string_run(body) {
            if body.get(len) == Some(&b'"') {
                let value = self.text.get(first..first + len).unwrap_or_default();
                self.pos = first + len + 1;
                return Ok(Text::Borrowed(value));
            }
        }
        self.decoded_string()
    }

    /// A string with escapes (or an error), decoded into an owned text; from the opening quote.
    #[inline(never)]
    fn decoded_string(&mut self) -> Result<Text<'a>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            self.pos += string_run(rest).unwrap_or(rest.len());
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Text::Owned(out));
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    let what = match self.peek() {
                        Some(b'\n') => "a string cannot span lines (unescaped line break)".to_string(),
                        Some(b) => format!("unescaped control character U+{b:04X} in a string"),
                        None => String::new(),
                    };
                    return Err(self.error(what, self.pos, self.pos + 1));
                }
                None => return Err(self.error("unterminated string", start, self.pos)),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let first = self.hex4(start)?;
                let c = if (0xD800..0xDC00).contains(&first) {
                    if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.error("unpaired surrogate in a \\u escape", start, self.pos));
                    }
                    self.pos += 2;
                    let second = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.error("unpaired surrogate in a \\u escape", start, self.pos));
                    }
                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                } else {
                    char::from_u32(first)
                };
                let Some(c) = c else {
                    return Err(self.error("unpaired surrogate in a \\u escape", start, self.pos));
                };
                out.push(c);
                return Ok(());
            }
            _ => {
                let end = self.pos + self.char_len_at(self.pos);
                return Err(self.error("invalid escape sequence", start, end));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, ParseError> {
        let digits = self.bytes.get(self.pos..self.pos + 4).unwrap_or_default();
        let text = std::str::from_utf8(digits).unwrap_or_default();
        match (digits.len() == 4 && digits.iter().all(u8::is_ascii_hexdigit)).then(|| u32::from_str_radix(text, 16)) {
            Some(Ok(v)) => {
                self.pos += 4;
                Ok(v)
            }
            _ => {
                // Underline the hex digits and the character that breaks them (which may be
                // a multi-byte one: stay on character boundaries).
                let available = self.bytes.get(self.pos..).unwrap_or_default();
                let bad = self.pos + available.iter().take(4).take_while(|b| b.is_ascii_hexdigit()).count();
                let end = if bad < self.bytes.len() { bad + self.char_len_at(bad) } else { bad };
                Err(self.error("a \\u escape needs four hex digits", escape_start, end))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{recycle, string_run, Member};

    #[test]
    fn recycle_keeps_the_buffer() {
        let text = String::from(r#"{"a": 1, "b": [2]}"#);
        let root = super::parse(&text).unwrap();
        let mut members: Vec<Member<'_>> = Vec::with_capacity(64);
        members.extend(root.as_object().unwrap().iter().cloned());
        let (ptr, cap) = (members.as_ptr() as usize, members.capacity());
        let recycled: Vec<Member<'static>> = recycle(members);
        assert!(recycled.is_empty());
        assert_eq!((recycled.as_ptr() as usize, recycled.capacity()), (ptr, cap));
    }

    #[test]
    fn string_run_finds_the_first_ender_at_every_position() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        for len in 0..20 {
            for at in 0..=len {
                for ender in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                    // Bytes around the ender that come close to matching (borrows, high bytes).
                    for fill in [b'a', 0x20, 0x21, 0x7f, 0x80, 0xa0, 0xff, b'#', b']'] {
                        let mut body = vec![fill; len];
                        if let Some(slot) = body.get_mut(at) {
                            *slot = ender;
                        }
                        assert_eq!(string_run(&body), naive(&body), "{body:?}");
                        if let Some(slot) = body.get_mut(at + 1) {
                            *slot = b'"';
                        }
                        assert_eq!(string_run(&body), naive(&body), "{body:?}");
                    }
                }
            }
        }
    }
}
