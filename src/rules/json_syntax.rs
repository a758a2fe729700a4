//! `json-syntax` fires where the input cannot be read as strict JSON: the parser's first error
//! in a document or record, a byte that is not UTF-8, a cut gzip stream. Those are found by the
//! engine while it frames and parses an input (`crate::frame`, `crate::json`), before any
//! document exists for a hook to look at; this file builds the findings it reports.

use crate::finding::{Finding, Target};
use crate::json::ParseError;

crate::rule_meta!(META, "json-syntax", Error, Syntax, File, "the text is not strict RFC 8259 JSON");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// What did not parse: the help speaks of what the input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unparsed {
    /// A whole `.json` document (a policy or a recorded request).
    Document,
    /// A whole `.txt`, `.log` or `.url` file, read as a request log.
    TextLog,
    /// One record (line) of a request log.
    Record,
}

/// The finding for a parse error of a whole document; `base` is the byte offset of the parsed
/// text in the file.
pub fn finding(err: &ParseError, base: usize) -> Finding {
    finding_in(err, base, Unparsed::Document)
}

/// The finding for a parse error of `what`.
pub fn finding_in(err: &ParseError, base: usize, what: Unparsed) -> Finding {
    let at = Target::Span { span: err.span.offset(base), pointer: String::new() };
    let (message, help) = match what {
        Unparsed::Document => (
            "the document is not valid JSON",
            "RAM accepts strict JSON only (RFC 8259): no comments, no trailing commas, only ASCII whitespace between tokens",
        ),
        Unparsed::TextLog => (
            "the file is neither JSON nor a log of request URLs",
            "a `.txt`, `.log` or `.url` file is read as a request log: one request URL or query string (`...?Action=...`) per line, or one JSON object per line",
        ),
        Unparsed::Record => (
            "the record is not valid JSON",
            "a JSON Lines log holds one JSON object per line; this record is counted as unreadable and the other records are read",
        ),
    };
    Finding::new(&META, at, message).label(err.message.clone()).help(help)
}

/// The finding for an input with no text but whitespace.
pub fn empty_file(span: crate::json::Span) -> Finding {
    Finding::new(&META, Target::Span { span, pointer: String::new() }, "empty file")
        .label("nothing to read")
        .help("a policy, a recorded request or a request log holds at least one JSON document")
}

/// The finding for an input that could not be decoded whole (a truncated gzip stream,
/// invalid UTF-8): `message` says what happened, at `span` of the decoded text.
pub fn unreadable_input(message: &str, span: crate::json::Span) -> Finding {
    Finding::new(&META, Target::Span { span, pointer: String::new() }, message.to_string())
        .label("the readable text ends here")
        .help("the records before this point were read; re-fetch or re-compress the file to read the rest")
}

/// The finding for a record of a log that is not UTF-8 (the log's other records are read):
/// `message` says where the byte is in the input, at `span` of the decoded text.
pub fn invalid_record(message: &str, span: crate::json::Span) -> Finding {
    Finding::new(&META, Target::Span { span, pointer: String::new() }, message.to_string())
        .label("not UTF-8")
        .help("RAM reads UTF-8 JSON only: this record is counted as unreadable and the file's other records are read")
}

/// The finding for a record of a log longer than the record size limit (`--max-record-size`):
/// it is counted as unreadable and not kept; the log's other records are read.
pub fn oversize_record(len: usize, limit: usize, span: crate::json::Span) -> Finding {
    Finding::new(
        &META,
        Target::Span { span, pointer: String::new() },
        format!("the record is {len} bytes long, over the record size limit of {limit} bytes"),
    )
    .label("this line is too long to read")
    .help("the record is counted as unreadable and the file's other records are read; raise `--max-record-size` to read it")
}

/// The finding for a document longer than the record size limit: it is not read further.
pub fn oversize_document(message: &str, span: crate::json::Span) -> Finding {
    Finding::new(&META, Target::Span { span, pointer: String::new() }, message.to_string())
        .label("not read")
        .help("no RAM policy or recorded event is this long; raise `--max-record-size` to read it anyway")
}
