//! Output formats. A run is written as a stream: the summary, then each finding as a [`Row`]
//! (or, for the text report, the diagnostic with its text), then the closing lines; no format
//! holds all findings in memory. [`Renderer::new`] is the one place a format is chosen.

pub mod diff;
pub mod github;
pub mod json;
mod row;
pub mod sarif;
pub mod text;

use crate::diagnostic::Diagnostic;
use crate::finding::Severity;
use crate::lint::FileReport;
pub use row::{fingerprint, fingerprint_in, Row};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// Counts over a run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub records: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// What each input was read as (`files[].kind` in JSON, with the languages of the documents
    /// a Terraform, ROS or plan file holds); the text report names it.
    #[serde(skip)]
    pub kinds: Vec<(String, &'static str, Vec<&'static str>)>,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            records: reports.iter().map(|r| r.tally.records).sum(),
            kinds: reports
                .iter()
                .filter_map(|r| {
                    let languages = r.documents.iter().map(|(_, language)| *language).collect();
                    r.kind.map(|k| (r.source.name.clone(), k, languages))
                })
                .collect(),
            ..Summary::default()
        };
        for d in reports.iter().flat_map(|r| r.diagnostics.iter()) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// A run's summary, as the formats show it: the JSON report's `summary` object, and the text
/// report's closing lines.
pub trait Totals: Serialize {
    /// The last lines of the text report.
    fn footer(&self) -> String;
}

impl Totals for Summary {
    fn footer(&self) -> String {
        format!("{}{}\n", text::kinds_line(&self.kinds), text::summary_line(self))
    }
}

/// One input of a run, as the JSON report's `files` lists it: what it was read as, and
/// whether it was linted or skipped (and why), so that a skipped file is never silent.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileEntry {
    pub file: String,
    /// The detected input or policy language (`ram-policy`, `trust-policy`, `request`,
    /// `request-log`); `null` for a skipped file.
    pub kind: Option<&'static str>,
    /// `linted` or `skipped`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a Terraform, ROS or plan file: each policy document in it, with the resource that
    /// holds it and its language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentEntry>,
}

/// One policy document embedded in a Terraform, ROS or plan file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentEntry {
    pub resource: String,
    /// Its policy language (`oss-bucket-policy`, ...).
    pub kind: &'static str,
}

impl FileEntry {
    /// The entries of a run's reports, in report order.
    pub fn of(reports: &[FileReport]) -> Vec<FileEntry> {
        reports
            .iter()
            .map(|r| FileEntry {
                file: r.source.name.clone(),
                kind: r.kind,
                status: if r.skipped.as_ref().is_some_and(crate::frame::SkipReason::whole) {
                    "skipped"
                } else {
                    "linted"
                },
                reason: r.skipped.as_ref().map(ToString::to_string),
                documents: r
                    .documents
                    .iter()
                    .map(|(resource, kind)| DocumentEntry { resource: resource.clone(), kind })
                    .collect(),
            })
            .collect()
    }
}

/// One finding handed to a renderer.
#[derive(Clone, Copy)]
pub enum Item<'a> {
    /// A diagnostic with the text it points into: the text report underlines it.
    Located(&'a Diagnostic, &'a Arc<str>),
    /// A finding whose text is not kept (a streamed log): one line in the text report.
    Row(&'a Row),
}

/// Writes a run in one format. Call [`begin`](Renderer::begin) once, then
/// [`skipped`](Renderer::skipped) and [`finding`](Renderer::finding) in report order, then
/// [`end`](Renderer::end).
pub enum Renderer {
    Text(Box<text::TextWriter>),
    Json(json::JsonWriter),
    Sarif(sarif::SarifWriter),
    Github,
    /// `--statistics`: how many findings each rule reported, instead of the findings.
    Statistics(Statistics),
}

/// The finding counts per rule (`--statistics`): one entry per rule, whatever the number of
/// findings.
#[derive(Debug, Default)]
pub struct Statistics {
    json: bool,
    quiet: bool,
    counts: std::collections::BTreeMap<String, (Severity, String, usize)>,
}

/// One line of the statistics.
#[derive(Debug, Serialize)]
struct Count<'a> {
    rule: &'a str,
    count: usize,
    severity: Severity,
    category: &'a str,
}

impl Statistics {
    fn end<S: Totals>(&self, out: &mut dyn Write, summary: &S) -> io::Result<()> {
        let mut rows: Vec<Count<'_>> = self
            .counts
            .iter()
            .map(|(rule, (severity, category, count))| Count { rule, count: *count, severity: *severity, category })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(b.rule)));
        if self.json {
            return writeln!(out, "{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        }
        for r in &rows {
            writeln!(out, "{:>7}  {:<32} {:<8} {}", r.count, r.rule, r.severity.as_str(), r.category)?;
        }
        if self.quiet {
            return Ok(());
        }
        write!(out, "{}", summary.footer())
    }
}

impl Item<'_> {
    fn row(&self) -> std::borrow::Cow<'_, Row> {
        match self {
            Item::Located(d, _) => std::borrow::Cow::Owned(Row::of(d)),
            Item::Row(r) => std::borrow::Cow::Borrowed(*r),
        }
    }
}

impl Renderer {
    /// The renderer of `format` (`color`: the text report's theme).
    pub fn new(format: Format, color: bool) -> Renderer {
        match format {
            Format::Text => Renderer::Text(Box::new(text::TextWriter::new(color))),
            Format::Json => Renderer::Json(json::JsonWriter::default()),
            Format::Sarif => Renderer::Sarif(sarif::SarifWriter::default()),
            Format::Github => Renderer::Github,
        }
    }

    /// The `--statistics` renderer of `format` (`text` or `json`; `None` for the others).
    pub fn statistics(format: Format) -> Option<Renderer> {
        match format {
            Format::Text | Format::Json => {
                Some(Renderer::Statistics(Statistics { json: format == Format::Json, ..Statistics::default() }))
            }
            Format::Sarif | Format::Github => None,
        }
    }

    /// `--quiet`: the text report prints its findings only (no skipped inputs, no summary).
    pub fn quiet(mut self) -> Renderer {
        match &mut self {
            Renderer::Text(w) => w.quiet = true,
            Renderer::Statistics(s) => s.quiet = true,
            _ => {}
        }
        self
    }

    /// Opens the report: the summary (JSON writes it first), the inputs that could not be
    /// read (SARIF reports them as tool notifications) and, when the command knows them, the
    /// inputs with their kind and status (JSON lists them as `files`; SARIF reports the skipped
    /// ones as notifications).
    pub fn begin<S: Totals>(
        &mut self,
        out: &mut dyn Write,
        summary: &S,
        unreadable: &[(String, String)],
        files: Option<&[FileEntry]>,
    ) -> io::Result<()> {
        match self {
            Renderer::Json(w) => w.begin(out, summary, files),
            Renderer::Sarif(w) => w.begin(out, unreadable, files.unwrap_or_default()),
            Renderer::Text(_) | Renderer::Github | Renderer::Statistics(_) => Ok(()),
        }
    }

    /// An input that was not linted, and why (the text report says so).
    pub fn skipped(&mut self, out: &mut dyn Write, file: &str, reason: &str) -> io::Result<()> {
        match self {
            Renderer::Text(w) if !w.quiet => writeln!(out, "skipped {file}: {reason}"),
            _ => Ok(()),
        }
    }

    pub fn finding(&mut self, out: &mut dyn Write, item: Item<'_>) -> io::Result<()> {
        match self {
            Renderer::Text(w) => w.finding(out, item),
            Renderer::Json(w) => w.row(out, &item.row()),
            Renderer::Sarif(w) => w.result(out, &item.row()),
            Renderer::Github => writeln!(out, "{}", github::annotation(&item.row())),
            Renderer::Statistics(s) => {
                let row = item.row();
                let entry = s.counts.entry(row.rule.clone()).or_insert((row.severity, row.category.clone(), 0));
                entry.2 += 1;
                Ok(())
            }
        }
    }

    /// Closes the report.
    pub fn end<S: Totals>(&mut self, out: &mut dyn Write, summary: &S) -> io::Result<()> {
        match self {
            Renderer::Text(w) if w.quiet => Ok(()),
            Renderer::Text(_) => write!(out, "{}", summary.footer()),
            Renderer::Json(w) => w.end(out),
            Renderer::Sarif(w) => w.end(out),
            Renderer::Github => Ok(()),
            Renderer::Statistics(s) => s.end(out, summary),
        }
    }
}

/// `value` as pretty JSON, nested `indent` spaces deep in a pretty document (its lines after
/// the first indented; JSON strings hold no raw line breaks).
fn nested(value: &impl Serialize, indent: usize) -> String {
    let mut out = Vec::with_capacity(512);
    nested_into(&mut out, value, indent);
    String::from_utf8(out).unwrap_or_default()
}

/// [`nested`] appended to `out` (nothing on a serialisation error): written in one pass by a
/// pretty formatter whose line breaks carry the `indent`, not pretty-printed and then
/// re-indented by a second pass over the text.
fn nested_into(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) {
    let start = out.len();
    let formatter = Nested { pad: indent, level: 0, has_value: false };
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, formatter);
    if value.serialize(&mut serializer).is_err() {
        out.truncate(start);
    }
}

/// serde_json's `PrettyFormatter` (two spaces a level, the same bytes) with `pad` more spaces
/// after every line break.
struct Nested {
    pad: usize,
    level: usize,
    has_value: bool,
}

/// A line break and the spaces of the deepest indentation written in one piece.
const BREAK: &[u8] = b"\n                                                                ";

impl Nested {
    /// A line break and the indentation of the current level.
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let spaces = self.pad.saturating_add(self.level.saturating_mul(2));
        match BREAK.get(..spaces.saturating_add(1)) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(b"\n")?;
                (0..spaces).try_for_each(|_| w.write_all(b" "))
            }
        }
    }

    /// An array's or object's opening bracket, one level deeper.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// The closing bracket, on a line of its own when the container held a value.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: the comma after the one before, then a line break.
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes a line to standard error. A standard error that cannot be written (closed, a full
/// disk, `2>/dev/full`) loses the line, never the run: the exit code still tells.
pub fn to_stderr(line: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}
