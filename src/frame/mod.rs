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

pub mod embed;
mod read;

pub use read::{open, raw, read, read_as, text, whole, Block, Framer, Whole};

use std::sync::atomic::{AtomicUsize, Ordering};

/// The default of `--max-record-size`: 64 MiB. RAM caps a policy at 6,144 characters and an
/// ActionTrail event is a few kilobytes; a record this long is no policy or event.
pub const DEFAULT_MAX_RECORD: usize = 64 << 20;

/// A gzip stream that expands more than this many times is stopped (a decompression bomb):
/// JSON logs compress 10 to 30 times, a stream of zeros about 1,000 times.
pub const MAX_RATIO: usize = 500;

/// The ratio is checked once this many bytes are decompressed (a small file may expand more).
pub const RATIO_FLOOR: usize = 8 << 20;

static MAX_RECORD: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_RECORD);

/// Sets the record size limit for the run (`--max-record-size`): a line of a log, or a whole
/// document, longer than this is one unreadable record.
pub fn set_max_record_size(bytes: usize) {
    MAX_RECORD.store(bytes.max(1), Ordering::Relaxed);
}

/// The record size limit in force.
pub fn max_record_size() -> usize {
    MAX_RECORD.load(Ordering::Relaxed)
}

/// A line of a log longer than the record size limit: dropped from the text (its line break
/// stays), counted as one unreadable record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oversize {
    /// The file's 1-based line number.
    pub line: usize,
    /// Byte offset of the line in the (decompressed) input.
    pub offset: usize,
    /// Its length in bytes, without the line break.
    pub len: usize,
}

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
    /// One document longer than the record size limit; it is not read further.
    #[error("the document is longer than the record size limit of {limit} bytes (`--max-record-size`)")]
    TooLarge { limit: usize },
    /// A gzip stream that expands more than [`MAX_RATIO`] times, stopped after `offset` bytes.
    #[error("the gzip stream expands more than {ratio} times its size (a decompression bomb?): reading stopped after {offset} bytes")]
    Bomb { offset: usize, ratio: usize },
}

impl DecodeProblem {
    /// Whether the problem is a document over the size limit (nothing of it was kept).
    pub fn too_large(&self) -> bool {
        matches!(self, DecodeProblem::TooLarge { .. })
    }
}

/// Why a whole file was not linted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// A JSON document that is neither a policy nor a recorded request.
    #[error("not a RAM policy or a recorded request")]
    NotPolicyOrRequest,
    /// A Terraform file, ROS template or plan that holds no RAM policy (or a YAML file that is
    /// not a ROS template): skipped quietly (listed with `--verbose`).
    #[error("{}", .0.nothing())]
    NotEmbedding(embed::Host),
    /// A Terraform file, template or plan that does not parse.
    #[error("{1}")]
    HostSyntax(embed::Host, String),
    /// Policies whose JSON a Terraform template directive (`%{ for }`, `%{ if }`) writes in a
    /// way that cannot be read before Terraform renders it: `documents` names each (resource
    /// and line); `all`: no other policy of the file was linted (the file is skipped).
    #[error("{}", not_rendered(.documents))]
    NotRendered { documents: Vec<String>, all: bool },
}

fn not_rendered(documents: &[String]) -> String {
    let (what, verb) = if documents.len() == 1 { ("the policy of", "is") } else { ("the policies of", "are") };
    format!(
        "{what} {} {verb} written by a Terraform template directive (`%{{ for }}`, `%{{ if }}`): what is left is not JSON until Terraform renders it, so it was not linted",
        documents.join(", ")
    )
}

impl SkipReason {
    /// A skip that is no problem: a file of a host language that holds no policy.
    pub fn quiet(&self) -> bool {
        matches!(self, SkipReason::NotEmbedding(_))
    }

    /// Whether nothing of the file was linted (a file some of whose policies were linted is
    /// reported as linted, with the reason for the others).
    pub fn whole(&self) -> bool {
        !matches!(self, SkipReason::NotRendered { all: false, .. })
    }
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
    /// The record's length in bytes when it is over the record size limit (its text is empty).
    pub oversize: Option<usize>,
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
    // A line that starts with a printable ASCII character (`{`) is not blank, known without
    // trimming it.
    !line.as_bytes().first().is_some_and(u8::is_ascii_graphic) && line.trim().is_empty()
}

/// Whether a URL line continues the query of the line before it.
fn continues(line: &str) -> bool {
    line.trim_start().starts_with('&')
}

/// Cuts a decoded text of whole lines into records; `first_line` is the file's line number of
/// its first line (1 for a whole file), `bad` its invalid bytes in order.
pub fn records(text: &str, first_line: usize, url: bool, bad: &[BadByte]) -> Vec<Record> {
    records_with(text, first_line, url, bad, &[])
}

/// [`records`] of a text whose lines `oversize` (in order) were dropped for their length:
/// each is a record of its own, with no text.
pub fn records_with(text: &str, first_line: usize, url: bool, bad: &[BadByte], oversize: &[Oversize]) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut offset = 0usize;
    let mut long = oversize.iter().peekable();
    // The lines as `split('\n')` gives them (the last one empty when the text ends with a
    // break), their breaks found by memchr rather than a character search per byte.
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for (i, brk) in breaks.enumerate() {
        let (start, end) = content(text, offset, brk, first_line == 1 && i == 0);
        offset = brk + 1;
        let line = text.get(start..end).unwrap_or_default();
        let number = first_line + i;
        while long.next_if(|o| o.line < number).is_some() {}
        if let Some(o) = long.next_if(|o| o.line == number) {
            records.push(Record { number, line: number, start, end: start, bad: None, oversize: Some(o.len) });
            continue;
        }
        if blank(line) {
            continue;
        }
        match records.last_mut() {
            Some(last) if url && continues(line) && last.oversize.is_none() => last.end = end,
            _ => records.push(Record { number, line: number, start, end, bad: None, oversize: None }),
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
    if more && is_object_line(first) {
        Form::JsonLines
    } else if looks_like_url_lines(name, first, forced) && (more || crate::json::parse(first).is_err()) {
        Form::UrlLines
    } else {
        Form::Document
    }
}

/// Whether a line is one whole JSON object.
pub fn is_object_line(line: &str) -> bool {
    // An object's text holds its closing `}`: the lines of a pretty-printed document that open
    // an object (`{`) are not parsed.
    line.trim_start().starts_with('{')
        && memchr::memchr(b'}', line.as_bytes()).is_some()
        && crate::json::parse(line).is_ok_and(|n| n.as_object().is_some())
}

/// 1-based line and column (in characters) of the end of a text whose first line is
/// `first_line` of the file, as [`crate::source::LineIndex`] places it.
pub fn end_of(text: &str, first_line: usize) -> (usize, usize) {
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let tail = text.rfind('\n').map_or(text, |i| text.get(i + 1..).unwrap_or_default());
    let tail = if newlines == 0 && first_line == 1 { tail.strip_prefix('\u{feff}').unwrap_or(tail) } else { tail };
    (first_line + newlines, tail.chars().count() + 1)
}

#[cfg(test)]
mod tests;
