//! Reading one log without holding it in memory: the framer hands out blocks of about
//! [`BATCH_BYTES`] of whole lines, read on their own thread, and each block is linted in
//! parallel. Files that are one JSON document (ActionTrail delivery arrays, single events)
//! are read whole: they are small by design.

use super::sequence::Collector;
use super::spill::{Spill, SpillFile};
use crate::diagnostic::{Diagnostic, Resolver};
use crate::discover::Input;
use crate::frame::{self, Block, DecodeProblem, Form, Framer};
use crate::json;
use crate::lint::{Linter, Run, Tally};
use crate::model::call::CallFact;
use crate::rules::json_syntax;
use crate::source::LineIndex;
use indicatif::ProgressBar;
use std::io::Read;

/// About how much text one parallel batch holds.
pub const BATCH_BYTES: usize = 1 << 20;

/// What auditing one input produced: its findings (on disk), counts and facts.
pub struct Audited<'f> {
    pub spill: Spill,
    filter: Filter<'f>,
    /// Findings about the input as a whole (it stops early), merged in order at the end.
    pub whole_input: Vec<Diagnostic>,
    pub tally: Tally,
    /// Where the calls' facts go (sorted for the rules over the whole run).
    facts: &'f Collector,
}

impl<'f> Audited<'f> {
    fn new(filter: Filter<'f>, file: &std::sync::Arc<SpillFile>, facts: &'f Collector) -> Self {
        let spill = Spill::new(file.clone());
        Audited { spill, filter, whole_input: Vec::new(), tally: Tally::default(), facts }
    }

    fn facts(&mut self, facts: Vec<CallFact>) -> Result<(), String> {
        if facts.is_empty() {
            return Ok(());
        }
        self.facts.push(facts).map_err(spill_error)
    }

    fn findings(&mut self, mut diagnostics: Vec<Diagnostic>) -> Result<(), String> {
        (self.filter)(&mut diagnostics);
        self.spill.push(diagnostics).map_err(spill_error)
    }

    /// Writes what waits in memory to the temporary file (the input is done).
    fn done(mut self) -> Result<Self, String> {
        self.spill.flush().map_err(spill_error)?;
        Ok(self)
    }
}

/// The error of a temporary file that cannot be written (a full disk names itself).
pub(crate) fn spill_error(e: std::io::Error) -> String {
    format!(
        "cannot write the findings to a temporary file in `{}`: {e} (set `TMPDIR` to a folder with space)",
        std::env::temp_dir().display()
    )
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

/// Audits one input.
/// The configuration's levels and suppressions, applied to each block's findings.
pub type Filter<'f> = &'f (dyn Fn(&mut Vec<Diagnostic>) + Sync);

pub fn audit<'f>(
    input: &Input,
    linter: &Linter<'_>,
    filter: Filter<'f>,
    progress: &ProgressBar,
    file: &std::sync::Arc<SpillFile>,
    facts: &'f Collector,
) -> Result<Audited<'f>, String> {
    let name = input.name();
    let raw = frame::raw(input).map_err(|e| e.to_string())?;
    let counting = Box::new(Counting { inner: raw, progress: progress.clone() });
    let mut framer = Framer::new(counting, &name, linter.requests()).map_err(|e| e.to_string())?;
    let mut out = Audited::new(filter, file, facts);
    let url = match framer.form() {
        Form::Document => {
            // One JSON document (a delivery array, a single event): small by design, read whole.
            let report = linter.lint_whole(name, framer.whole());
            out.tally.merge(report.tally);
            out.facts(report.facts)?;
            out.findings(report.diagnostics)?;
            return out.done();
        }
        Form::JsonLines => false,
        Form::UrlLines => true,
    };
    let mut ended = None;
    let mut failed = None;
    std::thread::scope(|scope| {
        let (sender, blocks) = std::sync::mpsc::sync_channel::<Block>(2);
        let reading = scope.spawn(move || {
            while let Some(block) = framer.next_block(BATCH_BYTES) {
                if sender.send(block).is_err() {
                    return None;
                }
            }
            framer.finish()
        });
        // Each block's results are merged (filtered, written to the temporary file, facts
        // sorted) while the next block is linted, so that the serial merge does not leave a
        // core idle. At most one linted block waits to be merged.
        let mut waiting: Option<Linted> = None;
        for block in blocks {
            let merging = waiting.take();
            let (linted, merged) =
                rayon::join(|| lint_block(block, &name, url, linter), || merging.map_or(Ok(()), |l| l.merge(&mut out)));
            waiting = linted;
            if let Err(e) = merged {
                failed = Some(e);
                break;
            }
        }
        if failed.is_none() {
            if let Some(Err(e)) = waiting.map(|l| l.merge(&mut out)) {
                failed = Some(e);
            }
        }
        ended = reading.join().unwrap_or_else(|_| {
            Some((DecodeProblem::ReadFailed { offset: 0, cause: "the reader stopped".into() }, (1, 1)))
        });
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if let Some((problem, end)) = ended {
        out.whole_input.push(stopped_early(&name, &problem, end));
    }
    out.done()
}

/// What linting a block found, waiting to be merged into the input's results.
struct Linted {
    tally: Tally,
    facts: Vec<CallFact>,
    diagnostics: Vec<Diagnostic>,
}

impl Linted {
    fn merge(self, out: &mut Audited<'_>) -> Result<(), String> {
        out.tally.merge(self.tally);
        out.facts(self.facts)?;
        out.findings(self.diagnostics)
    }
}

/// Lints a block of whole lines of a log (read and cut into records on the reading thread
/// while the block before is linted); `None` for a block without records.
fn lint_block(block: Block, name: &str, url: bool, linter: &Linter<'_>) -> Option<Linted> {
    if block.records.is_empty() {
        return None;
    }
    // A line index of the block: a column is counted from a mark near it, not from its
    // record's start (a record of many findings on one long line would be quadratic).
    let lines = LineIndex::new(&block.text);
    let resolver =
        Resolver { file: name, text: &block.text, lines: Some(&lines), first_line: block.first_line.saturating_sub(1) };
    let mut run = Run::new(resolver, linter.collect_facts);
    linter.lint_lines(&block.records, &block.text, url, &mut run);
    Some(Linted { tally: run.tally, facts: run.facts, diagnostics: run.diagnostics })
}

/// The finding of an input that ended early, at the `(line, column)` where its text ends (as
/// `ramlint check` places it).
fn stopped_early(name: &str, problem: &DecodeProblem, (line, column): (usize, usize)) -> Diagnostic {
    let finding = json_syntax::unreadable_input(&problem.to_string(), json::Span::new(0, 0));
    let index = LineIndex::new("");
    let resolver = Resolver { file: name, text: "", lines: Some(&index), first_line: line.saturating_sub(1) };
    let mut d = resolver.resolve(finding, None, 0, None);
    d.column = column;
    d.end_column = column;
    d
}
