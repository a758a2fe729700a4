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
}

impl Default for JsonWriter {
    fn default() -> Self {
        JsonWriter { first: true }
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
        out.write_all(if self.first { b"\n    " } else { b",\n    " })?;
        self.first = false;
        out.write_all(nested(row, 4).as_bytes())
    }

    pub fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}]\n}}", if self.first { "" } else { "\n  " })
    }
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
