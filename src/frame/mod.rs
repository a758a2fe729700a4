//! One record framer for every command (`check`, `audit`, `simulate --request`, `generate`):
//! inputs (files, standard input, gzip) are read as bytes, decoded, and cut into records the
//! same way whether the caller wants the whole text (to render snippets) or streams blocks of
//! whole lines (to bound memory).
//!
//! The forms: one JSON document (a policy, an event, a delivery array), JSON Lines (one object
//! per line) and URL lines (a request URL or query string per line, continued by lines that
//! start with `&`). A leading byte order mark, CRLF line breaks and blank lines are allowed in
//! all of them. Invalid UTF-8 is never replaced silently: the record (or document) that holds
//! it knows where it is.

mod read;

pub use read::{open, raw, read, text, whole, Block, Framer, Whole};

/// How a file holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One JSON document: a policy, a request, or a delivery array of requests.
    Document,
    /// One JSON object per line.
    JsonLines,
    /// One request URL or query string per line (lines starting with `&` continue it).
    UrlLines,
}

/// What went wrong while decoding an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeProblem {
    /// A byte that is not UTF-8, at `offset` of the (decompressed) input.
    #[error("the file is not valid UTF-8 (invalid byte at offset {offset})")]
    InvalidUtf8 { offset: usize },
    /// The gzip stream ends early or is corrupt, after `offset` decompressed bytes.
    #[error("the gzip stream is truncated or corrupt ({cause})")]
    TruncatedGzip { offset: usize, cause: String },
    /// Reading a plain input failed after `offset` bytes.
    #[error("the input is truncated or corrupt ({cause})")]
    ReadFailed { offset: usize, cause: String },
}

/// Why a whole file was not linted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// A JSON document that is neither a policy nor a recorded request.
    #[error("not a RAM policy or a recorded request")]
    NotPolicyOrRequest,
}

/// A byte sequence that is not UTF-8: where its replacement character is in the decoded text,
/// and where the byte is in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadByte {
    /// Byte offset of the U+FFFD that stands for it in the decoded text.
    pub at: usize,
    /// Byte offset in the (decompressed) input.
    pub offset: usize,
}

impl BadByte {
    pub fn problem(&self) -> DecodeProblem {
        DecodeProblem::InvalidUtf8 { offset: self.offset }
    }
}

/// One record of a JSON Lines or URL-lines text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The record number reported to users: the 1-based line number of its first line.
    pub number: usize,
    /// The 1-based line of the file its text starts on.
    pub line: usize,
    /// Byte offsets of its text (without the line break, `\r` or byte order mark).
    pub start: usize,
    pub end: usize,
    /// The first byte of the record that is not UTF-8.
    pub bad: Option<BadByte>,
}

impl Record {
    /// The record's text in the text it was framed from.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Decoded text and the places where it was not UTF-8.
pub struct Decoded {
    pub text: String,
    pub bad: Vec<BadByte>,
}

/// Decodes bytes that start at byte `offset` of the input: each invalid sequence becomes one
/// U+FFFD (as `String::from_utf8_lossy` does) and is listed.
pub fn decode(bytes: Vec<u8>, offset: usize) -> Decoded {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Decoded { text, bad: Vec::new() },
        Err(e) => e.into_bytes(),
    };
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut bad = Vec::new();
    let mut raw = offset;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        raw += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad.push(BadByte { at: text.len(), offset: raw });
            text.push(char::REPLACEMENT_CHARACTER);
            raw += chunk.invalid().len();
        }
    }
    Decoded { text, bad }
}

/// A line of `text` without its line break: (start, end) with a `\r` before `\n` cut, and a
/// byte order mark cut when `first` (the file's first line).
fn content(text: &str, start: usize, end: usize, first: bool) -> (usize, usize) {
    let raw = text.get(start..end).unwrap_or_default();
    let mut line = raw.strip_suffix('\r').unwrap_or(raw);
    let mut start = start;
    if first {
        if let Some(rest) = line.strip_prefix('\u{feff}') {
            line = rest;
            start += '\u{feff}'.len_utf8();
        }
    }
    (start, start + line.len())
}

/// Whether a line (without its break) holds nothing.
fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Whether a URL line continues the query of the line before it.
fn continues(line: &str) -> bool {
    line.trim_start().starts_with('&')
}

/// Cuts a decoded text of whole lines into records; `first_line` is the file's line number of
/// its first line (1 for a whole file), `bad` its invalid bytes in order.
pub fn records(text: &str, first_line: usize, url: bool, bad: &[BadByte]) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in text.split('\n').enumerate() {
        let (start, end) = content(text, offset, offset + raw.len(), first_line == 1 && i == 0);
        offset += raw.len() + 1;
        let line = text.get(start..end).unwrap_or_default();
        if blank(line) {
            continue;
        }
        match records.last_mut() {
            Some(last) if url && continues(line) => last.end = end,
            _ => records.push(Record { number: first_line + i, line: first_line + i, start, end, bad: None }),
        }
    }
    let mut next = bad.iter().peekable();
    for record in &mut records {
        while next.next_if(|b| b.at < record.start).is_some() {}
        record.bad = next.peek().filter(|b| b.at < record.end).map(|b| **b);
    }
    records
}

/// The first non-blank line of a text (without its break, `\r` or byte order mark).
pub fn first_line(text: &str) -> Option<&str> {
    let mut offset = 0usize;
    text.split('\n').enumerate().find_map(|(i, raw)| {
        let (start, end) = content(text, offset, offset + raw.len(), i == 0);
        offset += raw.len() + 1;
        text.get(start..end).filter(|l| !blank(l))
    })
}

/// Whether a file that is not JSON holds request URL or query-string lines: its name ends in
/// `.log`, `.txt` or `.url` (or the kind is forced to request) and its first non-blank line
/// has an `Action=` parameter.
pub fn looks_like_url_lines(name: &str, first: &str, forced: bool) -> bool {
    let lower = name.to_lowercase();
    let by_name = [".log", ".txt", ".url", ".log.gz", ".txt.gz"].iter().any(|e| lower.ends_with(e));
    (by_name || forced) && first.contains("Action=")
}

/// The form of a file from its first non-blank line and whether another non-blank line follows:
/// a first line that is a JSON object with more lines after it is JSON Lines; `Action=` lines
/// in a file named as a log (or read as requests) are URL lines, unless the file is one line
/// of valid JSON; anything else is one document (a single line that is an object is one
/// document too, so that a one-line policy or request is framed as it would be pretty-printed).
pub fn detect(name: &str, first: &str, more: bool, forced: bool) -> Form {
    let object =
        || first.trim_start().starts_with('{') && crate::json::parse(first).is_ok_and(|n| n.as_object().is_some());
    if more && object() {
        Form::JsonLines
    } else if looks_like_url_lines(name, first, forced) && (more || crate::json::parse(first).is_err()) {
        Form::UrlLines
    } else {
        Form::Document
    }
}

/// 1-based line and column (in characters) of the end of a text whose first line is
/// `first_line` of the file, as [`crate::source::LineIndex`] places it.
pub fn end_of(text: &str, first_line: usize) -> (usize, usize) {
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    let tail = text.rfind('\n').map_or(text, |i| text.get(i + 1..).unwrap_or_default());
    let tail = if newlines == 0 && first_line == 1 { tail.strip_prefix('\u{feff}').unwrap_or(tail) } else { tail };
    (first_line + newlines, tail.chars().count() + 1)
}

#[cfg(test)]
mod tests;
