//! `--format json`: the stable, versioned report of the contract, streamed: the envelope and
//! summary first, then each diagnostic as it comes. The bytes are those of the whole report
//! pretty-printed at once.

use super::{nested, Row};
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Writes the report; `first` until a diagnostic is written.
#[derive(Debug)]
pub struct JsonWriter {
    first: bool,
    /// A row's bytes, reused from row to row (one write per row).
    buf: Vec<u8>,
}

impl Default for JsonWriter {
    fn default() -> Self {
        JsonWriter { first: true, buf: Vec::new() }
    }
}

impl JsonWriter {
    /// `files`: every input with its kind and status, written before the diagnostics.
    pub fn begin(
        &mut self,
        out: &mut dyn Write,
        summary: &impl Serialize,
        files: Option<&[super::FileEntry]>,
    ) -> io::Result<()> {
        let tool = Tool { name: "ramlint", version: env!("CARGO_PKG_VERSION") };
        write!(
            out,
            "{{\n  \"version\": 1,\n  \"tool\": {},\n  \"summary\": {},",
            nested(&tool, 2),
            nested(summary, 2)
        )?;
        if let Some(files) = files {
            write!(out, "\n  \"files\": {},", nested(&files, 2))?;
        }
        write!(out, "\n  \"diagnostics\": [")
    }

    pub fn row(&mut self, out: &mut dyn Write, row: &Row) -> io::Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(if self.first { b"\n    " } else { b",\n    " });
        self.first = false;
        write_row(&mut self.buf, row);
        out.write_all(&self.buf)
    }

    pub fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}]\n}}", if self.first { "" } else { "\n  " })
    }
}

/// A row as `nested(row, 4)` writes it (serde's pretty form of [`Row`], its fields in order,
/// `resource` only when there is one), written field by field: the keys are constants and a
/// string with nothing to escape is copied whole, where serde escapes every key and value a
/// byte at a time. `tests::rows_are_written_as_serde_writes_them` holds the two together.
fn write_row(b: &mut Vec<u8>, row: &Row) {
    b.extend_from_slice(b"{\n      \"rule\": ");
    string(b, &row.rule);
    b.extend_from_slice(b",\n      \"severity\": \"");
    b.extend_from_slice(row.severity.as_str().as_bytes());
    b.extend_from_slice(b"\",\n      \"category\": ");
    string(b, &row.category);
    b.extend_from_slice(b",\n      \"message\": ");
    string(b, &row.message);
    b.extend_from_slice(b",\n      \"help\": ");
    match &row.help {
        Some(help) => string(b, help),
        None => b.extend_from_slice(b"null"),
    }
    b.extend_from_slice(b",\n      \"file\": ");
    string(b, &row.file);
    b.extend_from_slice(b",\n      \"record\": ");
    match row.record {
        Some(record) => number(b, record),
        None => b.extend_from_slice(b"null"),
    }
    b.extend_from_slice(b",\n      \"pointer\": ");
    string(b, &row.pointer);
    b.extend_from_slice(b",\n      \"line\": ");
    number(b, row.line);
    b.extend_from_slice(b",\n      \"column\": ");
    number(b, row.column);
    b.extend_from_slice(b",\n      \"end_line\": ");
    number(b, row.end_line);
    b.extend_from_slice(b",\n      \"end_column\": ");
    number(b, row.end_column);
    if let Some(resource) = &row.resource {
        b.extend_from_slice(b",\n      \"resource\": ");
        string(b, resource);
    }
    b.extend_from_slice(b"\n    }");
}

/// A JSON string as serde_json writes it: copied whole when no byte needs an escape.
fn string(b: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|c| c >= 0x20 && c != b'"' && c != b'\\') {
        b.push(b'"');
        b.extend_from_slice(s.as_bytes());
        b.push(b'"');
    } else if serde_json::to_writer(&mut *b, s).is_err() {
        // Writing to a vector cannot fail; the string is then left out, as serde would.
    }
}

/// A number in decimal, as serde_json writes it.
fn number(b: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    b.extend_from_slice(digits.get(at..).unwrap_or_default());
}

/// The whole report as one string (without the final line break).
pub fn render<'a, S: Serialize>(summary: &S, diagnostics: impl Iterator<Item = &'a Diagnostic>) -> String {
    let mut out = Vec::new();
    let mut writer = JsonWriter::default();
    let written = writer
        .begin(&mut out, summary, None)
        .and_then(|()| diagnostics.map(Row::of).try_for_each(|row| writer.row(&mut out, &row)))
        .and_then(|()| writer.end(&mut out));
    match written {
        Ok(()) => String::from_utf8_lossy(&out).trim_end_matches('\n').to_string(),
        Err(e) => format!("{{\"error\": \"{e}\"}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{write_row, Row};
    use crate::finding::Severity;

    #[test]
    fn rows_are_written_as_serde_writes_them() {
        let row = Row {
            rule: "invalid-effect".into(),
            severity: Severity::Error,
            category: "validity".into(),
            message: "a \"quoted\" \\ value\twith\u{1}control and ünïcode".into(),
            help: None,
            file: "policies/p.json".into(),
            record: None,
            pointer: "/Statement/0/Effect".into(),
            line: 0,
            column: usize::MAX,
            end_line: 10,
            end_column: 1234567,
            resource: None,
        };
        let other = Row {
            help: Some("use `Allow`".into()),
            record: Some(7),
            resource: Some("aws_x.y".into()),
            severity: Severity::Info,
            ..row.clone()
        };
        for row in [row, other] {
            let mut written = Vec::new();
            write_row(&mut written, &row);
            assert_eq!(String::from_utf8(written).unwrap(), super::super::nested(&row, 4));
        }
    }
}
