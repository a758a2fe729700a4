//! Audit findings go to one temporary file as they are found, so a large log's findings do
//! not have to fit in memory; they are read back, in order, when the report is written. The
//! file holds [`Row`]s, one JSON object a line, in segments: each input buffers its rows and
//! appends them as a segment when the buffer fills or the input ends, so that a run holds one
//! descriptor for all its inputs however many there are. At most [`MAX_LISTED`] findings of a
//! rule are kept per input; the rest are counted (`not_listed`), so the file stays bounded.

use crate::diagnostic::Diagnostic;
use crate::finding::Severity;
use crate::report::Row;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The most findings of one rule listed per input; the summary counts them all.
pub const MAX_LISTED: usize = 100_000;

/// An input's rows are appended to the file once this many bytes wait in memory.
const SEGMENT: usize = 1 << 20;

/// Counts of what was spilled.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_rule: BTreeMap<String, usize>,
    /// Findings counted but not listed, by rule (over [`MAX_LISTED`] in an input).
    pub not_listed: BTreeMap<String, usize>,
}

impl Counts {
    pub fn add(&mut self, rule: &str, severity: Severity) {
        *self.by_rule.entry(rule.to_string()).or_default() += 1;
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        for (rule, n) in &other.by_rule {
            *self.by_rule.entry(rule.clone()).or_default() += n;
        }
        for (rule, n) in &other.not_listed {
            *self.not_listed.entry(rule.clone()).or_default() += n;
        }
    }
}

/// The run's temporary file, shared by the inputs. It is unlinked as soon as it is open
/// (where the system allows), so nothing is left behind on any exit; otherwise it is deleted
/// when dropped.
pub struct SpillFile {
    path: PathBuf,
    /// The file and its length.
    file: Mutex<Option<(File, u64)>>,
}

impl SpillFile {
    /// A file is created on the first write only.
    pub fn new() -> Arc<SpillFile> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("ramlint-audit-{}-{n}.jsonl", std::process::id()));
        Arc::new(SpillFile { path, file: Mutex::new(None) })
    }

    /// Appends bytes; their offset.
    pub(crate) fn append(&self, bytes: &[u8]) -> std::io::Result<u64> {
        let mut guard = self.file.lock().map_err(|_| std::io::Error::other("the spill file lock is poisoned"))?;
        if guard.is_none() {
            let file = File::options().read(true).write(true).create_new(true).open(&self.path)?;
            #[cfg(unix)]
            let _ = std::fs::remove_file(&self.path);
            *guard = Some((file, 0));
        }
        let Some((file, len)) = guard.as_mut() else { return Err(std::io::Error::other("no spill file")) };
        let at = *len;
        file.seek(SeekFrom::Start(at))?;
        file.write_all(bytes)?;
        *len += bytes.len() as u64;
        Ok(at)
    }

    /// Reads `len` bytes at `at`.
    pub(crate) fn read(&self, at: u64, len: u64) -> std::io::Result<Vec<u8>> {
        let mut guard = self.file.lock().map_err(|_| std::io::Error::other("the spill file lock is poisoned"))?;
        let Some((file, _)) = guard.as_mut() else { return Ok(Vec::new()) };
        file.seek(SeekFrom::Start(at))?;
        let mut bytes = Vec::new();
        Read::take(&mut *file, len).read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.file.lock() {
            *guard = None;
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// One input's findings: segments of the shared file, then the rows still in memory.
pub struct Spill {
    file: Arc<SpillFile>,
    segments: Vec<(u64, u64)>,
    buffer: Vec<u8>,
    listed: BTreeMap<&'static str, usize>,
    pub counts: Counts,
}

impl Spill {
    pub fn new(file: Arc<SpillFile>) -> Spill {
        Spill { file, segments: Vec::new(), buffer: Vec::new(), listed: BTreeMap::new(), counts: Counts::default() }
    }

    /// Appends findings (sorted here; callers push them in record order, block by block).
    pub fn push(&mut self, mut diagnostics: Vec<Diagnostic>) -> std::io::Result<()> {
        crate::diagnostic::sort(&mut diagnostics);
        for d in &diagnostics {
            self.counts.add(d.rule, d.severity);
            let listed = self.listed.entry(d.rule).or_default();
            if *listed >= MAX_LISTED {
                *self.counts.not_listed.entry(d.rule.to_string()).or_default() += 1;
                continue;
            }
            *listed += 1;
            serde_json::to_writer(&mut self.buffer, &Row::of(d))?;
            self.buffer.push(b'\n');
        }
        if self.buffer.len() >= SEGMENT {
            self.flush()?;
        }
        Ok(())
    }

    /// Appends the rows in memory to the file.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let at = self.file.append(&self.buffer)?;
        self.segments.push((at, self.buffer.len() as u64));
        self.buffer = Vec::new();
        Ok(())
    }

    /// The findings, in the order they were pushed (a segment in memory at a time).
    pub fn read(&mut self) -> std::io::Result<impl Iterator<Item = Row> + '_> {
        let file = self.file.clone();
        let segments = std::mem::take(&mut self.segments);
        let tail = std::mem::take(&mut self.buffer);
        let chunks = segments
            .into_iter()
            .map(move |(at, len)| file.read(at, len))
            .chain(std::iter::once(Ok(tail)))
            .map_while(Result::ok);
        Ok(chunks.flat_map(|bytes| {
            BufReader::new(std::io::Cursor::new(bytes))
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| serde_json::from_str(&l).ok())
                .collect::<Vec<Row>>()
        }))
    }
}
