//! Reading one log without holding it in memory: lines are read in batches of about
//! [`BATCH_BYTES`], and each batch is linted in parallel. Files that are one JSON document
//! (ActionTrail delivery arrays, single events) are read whole: they are small by design.

use super::spill::Spill;
use crate::diagnostic::{Diagnostic, Resolver};
use crate::discover::Input;
use crate::json;
use crate::lint::{Kind, Linter, Run, Tally};
use crate::model::call::CallFact;
use crate::rules::json_syntax;
use crate::source::{LineIndex, Source};
use indicatif::ProgressBar;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

/// About how much text one parallel batch holds.
pub const BATCH_BYTES: usize = 1 << 20;

/// What auditing one input produced: its findings (on disk), counts and facts.
pub struct Audited<'f> {
    pub spill: Spill,
    filter: Filter<'f>,
    /// Findings about the input as a whole (it stops early), merged in order at the end.
    pub whole_input: Vec<Diagnostic>,
    pub tally: Tally,
    /// Facts in chunks (one per batch), so that a large log never reallocates one huge vector.
    pub facts: Vec<Vec<CallFact>>,
}

impl<'f> Audited<'f> {
    fn new(filter: Filter<'f>) -> Result<Self, String> {
        let spill = Spill::new().map_err(|e| format!("cannot create a temporary file: {e}"))?;
        Ok(Audited { spill, filter, whole_input: Vec::new(), tally: Tally::default(), facts: Vec::new() })
    }

    fn findings(&mut self, mut diagnostics: Vec<Diagnostic>) -> Result<(), String> {
        (self.filter)(&mut diagnostics);
        self.spill.push(diagnostics).map_err(|e| format!("cannot write a temporary file: {e}"))
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

/// A line as read (without its line break).
struct Line {
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
        Some(Line { text })
    }
}

/// Audits one input.
/// The configuration's levels and suppressions, applied to each block's findings.
pub type Filter<'f> = &'f (dyn Fn(&mut Vec<Diagnostic>) + Sync);

pub fn audit<'f>(
    input: &Input,
    linter: &Linter<'_>,
    filter: Filter<'f>,
    progress: &ProgressBar,
) -> Result<Audited<'f>, String> {
    let name = input.name();
    let reader = open(input, progress).map_err(|e| e.to_string())?;
    let mut lines = Lines { reader, number: 0, buf: Vec::new(), error: None };
    let mut head: Vec<Line> = Vec::new();
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
    let mut out = Audited::new(filter)?;
    if !json_lines && !url_lines {
        whole(name, head, lines, linter, &mut out)?;
        return Ok(out);
    }
    let mut first_block = String::new();
    for line in &head {
        first_block.push_str(&line.text);
        first_block.push('\n');
    }
    let Lines { reader, number: head_lines, error: head_error, .. } = lines;
    if let Some(error) = head_error {
        let block = Block::new(first_block, 1, url_lines);
        block.lint(&name, url_lines, linter, &mut out)?;
        out.whole_input.push(stopped_early(&name, error, head_lines + 1));
        return Ok(out);
    }
    let mut stopped = None;
    let mut failed = None;
    std::thread::scope(|scope| {
        let (sender, blocks) = std::sync::mpsc::sync_channel::<Block>(2);
        let reading = scope.spawn(move || read_blocks(reader, first_block, head_lines, url_lines, &sender));
        for block in blocks {
            if let Err(e) = block.lint(&name, url_lines, linter, &mut out) {
                failed = Some(e);
                break;
            }
        }
        stopped = reading.join().unwrap_or_else(|_| Some((0, "the reader stopped".to_string())));
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if let Some((line, error)) = stopped {
        out.whole_input.push(stopped_early(&name, error, line));
    }
    Ok(out)
}

/// Whole lines of a log, linted together in parallel while the next block is read and
/// prepared (split into records, indexed by line) on the reading thread.
struct Block {
    text: String,
    /// The file's line number of the block's first line.
    first_line: usize,
    /// Records: (line number, start, end) in `text`.
    records: Vec<(usize, usize, usize)>,
}

impl Block {
    fn new(text: String, first_line: usize, url: bool) -> Block {
        let mut records: Vec<(usize, usize, usize)> = Vec::new();
        let mut offset = 0usize;
        for (i, raw) in text.split('\n').enumerate() {
            let start = offset;
            offset += raw.len() + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                continue;
            }
            match records.last_mut() {
                Some(last) if url && line.trim_start().starts_with('&') => last.2 = start + line.len(),
                _ => records.push((first_line + i, start, start + line.len())),
            }
        }
        Block { text, first_line, records }
    }
}

/// Reads the input in blocks of about [`BATCH_BYTES`] whole lines and sends them on; returns
/// the line and message of a read error (a truncated gzip stream) that ended the input.
fn read_blocks(
    mut reader: Box<dyn BufRead + Send>,
    first: String,
    first_lines: usize,
    url: bool,
    sender: &std::sync::mpsc::SyncSender<Block>,
) -> Option<(usize, String)> {
    let mut next_line = 1;
    let mut bytes = first.into_bytes();
    let mut lines = first_lines;
    loop {
        let mut error = None;
        let mut eof = false;
        while bytes.len() < BATCH_BYTES {
            match reader.read_until(b'\n', &mut bytes) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(_) => lines += 1,
                Err(e) => {
                    error = Some(format!("the input is truncated or corrupt ({e})"));
                    break;
                }
            }
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let ended_partial = error.is_some() && !text.ends_with('\n') && !text.is_empty();
        let block = Block::new(text, next_line, url);
        next_line += lines + usize::from(ended_partial);
        lines = 0;
        if sender.send(block).is_err() {
            return None;
        }
        if let Some(e) = error {
            return Some((next_line, e));
        }
        if eof {
            return None;
        }
        bytes = Vec::with_capacity(BATCH_BYTES + (1 << 16));
    }
}

impl Block {
    fn lint(self, name: &str, url: bool, linter: &Linter<'_>, out: &mut Audited<'_>) -> Result<(), String> {
        if self.records.is_empty() {
            return Ok(());
        }
        let records: Vec<(usize, usize, &str)> = self
            .records
            .iter()
            .map(|&(n, start, end)| (n, start, self.text.get(start..end).unwrap_or_default()))
            .collect();
        // One record per line (or a URL and its `&` continuation lines): positions are counted
        // from each record's start, so the block needs no line index.
        let resolver = Resolver { file: name, text: &self.text, lines: None, first_line: self.first_line - 1 };
        let mut run = Run::new(resolver, linter.collect_facts);
        linter.lint_lines(&records, url, &mut run);
        out.tally.merge(run.tally);
        run.facts.shrink_to_fit();
        if !run.facts.is_empty() {
            out.facts.push(run.facts);
        }
        out.findings(run.diagnostics)
    }
}

/// Reads the rest of a one-document input and lints it whole.
fn whole(
    name: String,
    head: Vec<Line>,
    mut lines: Lines,
    linter: &Linter<'_>,
    out: &mut Audited<'_>,
) -> Result<(), String> {
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
    out.tally.merge(report.tally);
    out.facts.push(report.facts);
    out.findings(report.diagnostics)
}

fn stopped_early(name: &str, message: String, line: usize) -> Diagnostic {
    let finding = json_syntax::unreadable_input(&message, json::Span::new(0, 0));
    let index = LineIndex::new("");
    let resolver = Resolver { file: name, text: "", lines: Some(&index), first_line: line.saturating_sub(1) };
    resolver.resolve(finding, None, 0, None)
}
