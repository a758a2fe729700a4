//! Reading one log without holding it in memory: lines are read in batches of about
//! [`BATCH_BYTES`], and each batch is linted in parallel. Files that are one JSON document
//! (ActionTrail delivery arrays, single events) are read whole: they are small by design.

use crate::diagnostic::{Diagnostic, Resolver};
use crate::discover::Input;
use crate::json;
use crate::lint::{FileReport, Kind, Linter, LocatedFact, Run, Tally};
use crate::rules::json_syntax;
use crate::source::{LineIndex, Source};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

/// About how much text one parallel batch holds.
pub const BATCH_BYTES: usize = 1 << 20;

/// What auditing one input produced.
#[derive(Default)]
pub struct Audited {
    pub diagnostics: Vec<Diagnostic>,
    pub tally: Tally,
    pub facts: Vec<LocatedFact>,
}

impl From<FileReport> for Audited {
    fn from(r: FileReport) -> Self {
        Audited { diagnostics: r.diagnostics, tally: r.tally, facts: r.facts }
    }
}

/// Counts the bytes read from the underlying file for the progress bar.
struct Counting<R> {
    inner: R,
    progress: ProgressBar,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

fn open(input: &Input, progress: &ProgressBar) -> std::io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(std::io::stdin()),
        Input::File(p) => Box::new(std::fs::File::open(p)?),
    };
    let mut reader = BufReader::with_capacity(1 << 16, Counting { inner: raw, progress: progress.clone() });
    let gzip = reader.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    })
}

/// A line as read: its number, its text, and whether reading stopped with an error after it.
struct Line {
    number: usize,
    text: String,
}

struct Lines {
    reader: Box<dyn BufRead + Send>,
    number: usize,
    buf: Vec<u8>,
    /// A read error (a truncated gzip stream) that ended the input.
    error: Option<String>,
}

impl Lines {
    fn next_line(&mut self) -> Option<Line> {
        if self.error.is_some() {
            return None;
        }
        self.buf.clear();
        let read = self.reader.read_until(b'\n', &mut self.buf);
        if let Err(e) = &read {
            self.error = Some(format!("the input is truncated or corrupt ({e})"));
        }
        if self.buf.is_empty() {
            return None;
        }
        self.number += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let mut text = String::from_utf8_lossy(&self.buf).into_owned();
        if self.number == 1 && text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        Some(Line { number: self.number, text })
    }
}

/// Audits one input.
pub fn audit(input: &Input, linter: &Linter<'_>, progress: &ProgressBar) -> Result<Audited, String> {
    let name = input.name();
    let reader = open(input, progress).map_err(|e| e.to_string())?;
    let mut lines = Lines { reader, number: 0, buf: Vec::new(), error: None };
    let mut head = Vec::new();
    while let Some(line) = lines.next_line() {
        let blank = line.text.trim().is_empty();
        head.push(line);
        if !blank {
            break;
        }
    }
    let first = head.last().map(|l| l.text.as_str()).unwrap_or_default();
    let json_lines = first.trim_start().starts_with('{') && json::parse(first).is_ok_and(|n| n.as_object().is_some());
    let url_lines =
        !json_lines && crate::request::url::looks_like_url_lines(&name, first, linter.kind == Some(Kind::Request));
    if !json_lines && !url_lines {
        return Ok(whole(name, head, lines, linter));
    }
    let mut out = Audited::default();
    let mut batch: Vec<Line> = head;
    let mut size: usize = batch.iter().map(|l| l.text.len()).sum();
    loop {
        let line = lines.next_line();
        let done = line.is_none();
        if let Some(line) = line {
            size += line.text.len();
            match batch.last_mut() {
                Some(last) if url_lines && line.text.trim_start().starts_with('&') => {
                    last.text.push('\n');
                    last.text.push_str(&line.text);
                }
                _ => batch.push(line),
            }
        }
        if size >= BATCH_BYTES || done {
            lint_batch(&name, std::mem::take(&mut batch), url_lines, linter, &mut out);
            size = 0;
        }
        if done {
            break;
        }
    }
    if let Some(error) = lines.error {
        out.diagnostics.push(stopped_early(&name, error, lines.number + 1));
    }
    Ok(out)
}

fn lint_batch(name: &str, batch: Vec<Line>, url: bool, linter: &Linter<'_>, out: &mut Audited) {
    let results: Vec<Audited> = batch
        .par_iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|line| {
            let index = LineIndex::new(&line.text);
            let mut run =
                Run::new(Resolver { file: name, text: &line.text, lines: &index, first_line: line.number - 1 });
            linter.lint_line(&line.text, 0, line.number, url, &mut run);
            Audited { diagnostics: run.diagnostics, tally: run.tally, facts: run.facts }
        })
        .collect();
    for r in results {
        out.diagnostics.extend(r.diagnostics);
        out.tally.merge(r.tally);
        out.facts.extend(r.facts);
    }
}

/// Reads the rest of a one-document input and lints it whole.
fn whole(name: String, head: Vec<Line>, mut lines: Lines, linter: &Linter<'_>) -> Audited {
    let mut text = String::new();
    for line in head {
        text.push_str(&line.text);
        text.push('\n');
    }
    while let Some(line) = lines.next_line() {
        text.push_str(&line.text);
        text.push('\n');
    }
    let problem = lines.error.map(|e| (text.len(), e, false));
    let report = linter.lint_decoded(Source { name, text: Arc::from(text) }, problem);
    report.into()
}

fn stopped_early(name: &str, message: String, line: usize) -> Diagnostic {
    let finding = json_syntax::unreadable_input(&message, json::Span::new(0, 0));
    let index = LineIndex::new("");
    let resolver = Resolver { file: name, text: "", lines: &index, first_line: line.saturating_sub(1) };
    resolver.resolve(finding, None, 0, None)
}
