//! Audit findings go to a temporary file as they are found, so a large log's findings do not
//! have to fit in memory; they are read back, in order, when the report is written. The file
//! holds [`Row`]s, one JSON object a line.

use crate::diagnostic::Diagnostic;
use crate::finding::Severity;
use crate::report::Row;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts of what was spilled.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_rule: BTreeMap<String, usize>,
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
    }
}

/// One input's findings on disk. The file is unlinked as soon as it is open (where the
/// system allows), so nothing is left behind even if the process is killed; otherwise it is
/// deleted when dropped.
pub struct Spill {
    path: PathBuf,
    file: File,
    writer: Option<BufWriter<File>>,
    pub counts: Counts,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Spill {
    pub fn new() -> std::io::Result<Spill> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("ramlint-audit-{}-{n}.jsonl", std::process::id()));
        let file = File::options().read(true).write(true).create_new(true).open(&path)?;
        let writer = BufWriter::with_capacity(1 << 16, file.try_clone()?);
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Spill { path, file, writer: Some(writer), counts: Counts::default() })
    }

    /// Appends findings (sorted here; callers push them in record order, block by block).
    pub fn push(&mut self, mut diagnostics: Vec<Diagnostic>) -> std::io::Result<()> {
        crate::diagnostic::sort(&mut diagnostics);
        let Some(writer) = self.writer.as_mut() else { return Ok(()) };
        for d in &diagnostics {
            self.counts.add(d.rule, d.severity);
            serde_json::to_writer(&mut *writer, &Row::of(d))?;
            writer.write_all(b"\n")?;
        }
        Ok(())
    }

    /// The findings, in the order they were pushed.
    pub fn read(&mut self) -> std::io::Result<impl Iterator<Item = Row> + '_> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(0))?;
        let reader = BufReader::new(file);
        Ok(reader.lines().map_while(Result::ok).filter_map(|l| serde_json::from_str(&l).ok()))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer = None;
        let _ = std::fs::remove_file(&self.path);
    }
}
