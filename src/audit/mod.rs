//! `ramlint audit`: request logs at scale. Every input is streamed, linted in parallel and
//! counted; then the sequence rules run over all calls in event-time order, and a summary
//! accounts for every record.

pub mod sequence;
pub mod spill;
pub mod stream;
mod summary;

use crate::config::Config;
use crate::discover::{self, Input};
use crate::finding::Severity;
use crate::lint::{Linter, Tally};
use crate::report::{Row, Totals};
use indicatif::ProgressBar;
use rayon::prelude::*;
use spill::{Counts, Spill, SpillFile};
pub use summary::{AuditSummary, PolicySummary};

impl Totals for AuditSummary {
    fn footer(&self) -> String {
        self.table()
    }
}

/// Everything an audit found, before rendering. The inputs' findings wait on disk; the
/// sequence rules' findings are merged into them, in order, when the report is written.
pub struct AuditRun {
    pub summary: AuditSummary,
    pub read_errors: Vec<(String, String)>,
    inputs: Vec<(String, Spill)>,
    sequence: Vec<Row>,
    /// The temporary file the inputs' findings wait in (removed when the run is dropped).
    _spill: std::sync::Arc<SpillFile>,
    /// `generate`: RAM action -> resources of the successful calls.
    pub observed: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl AuditRun {
    /// Calls `emit` with every finding, sorted by file, record, line, column and rule.
    pub fn for_each(&mut self, mut emit: impl FnMut(&Row) -> std::io::Result<()>) -> std::io::Result<()> {
        let sequence = std::mem::take(&mut self.sequence);
        let mut pending = sequence.iter().peekable();
        for (name, spill) in &mut self.inputs {
            for stored in spill.read()? {
                while let Some(s) = pending.next_if(|s| s.file < *name || (s.file == *name && s.key() <= stored.key()))
                {
                    emit(s)?;
                }
                emit(&stored)?;
            }
            while let Some(s) = pending.next_if(|s| s.file <= *name) {
                emit(s)?;
            }
        }
        for s in pending {
            emit(s)?;
        }
        Ok(())
    }

    /// Prints the inputs that could not be read to standard error; whether there were any.
    pub fn report_read_errors(&self) -> bool {
        for (name, message) in &self.read_errors {
            crate::report::to_stderr(format_args!(
                "{:?}",
                miette::Report::new(discover::ReadError { name: name.clone(), message: message.clone() })
            ));
        }
        !self.read_errors.is_empty()
    }

    /// Whether any finding is at or above `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        match threshold {
            Severity::Error => self.summary.errors > 0,
            Severity::Warning => self.summary.errors + self.summary.warnings > 0,
            Severity::Info => self.summary.errors + self.summary.warnings + self.summary.infos > 0,
        }
    }
}

/// Audits the inputs: the library entry point behind the command.
pub fn audit(
    inputs: &[Input],
    linter: &Linter<'_>,
    config: &Config,
    window_ms: u64,
    progress: &ProgressBar,
) -> AuditRun {
    let now = crate::config::now_ms();
    let filter = |d: &mut Vec<crate::diagnostic::Diagnostic>| config.filter(d, now);
    let file = SpillFile::new();
    let results: Vec<(String, Result<stream::Audited<'_>, String>)> =
        inputs.par_iter().map(|i| (i.name(), stream::audit(i, linter, &filter, progress, &file))).collect();
    progress.finish_and_clear();
    let mut tally = Tally::default();
    let mut counts = Counts::default();
    let mut facts = Vec::new();
    let mut read_errors = Vec::new();
    let mut spills = Vec::new();
    let mut whole_input = Vec::new();
    for (name, result) in results {
        match result {
            Ok(a) => {
                whole_input.extend(a.whole_input);
                tally.merge(a.tally);
                counts.merge(&a.spill.counts);
                facts.extend(a.facts);
                spills.push((name, a.spill));
            }
            Err(e) => read_errors.push((name, e)),
        }
    }
    spills.sort_by(|a, b| a.0.cmp(&b.0));
    let all: Vec<&crate::model::call::CallFact> = facts.iter().flat_map(|chunk: &Vec<_>| chunk.iter()).collect();
    let mut found = sequence::check(linter.catalog, all, i64::try_from(window_ms).unwrap_or(i64::MAX));
    found.extend(whole_input);
    let stats = std::mem::take(&mut tally.replay);
    let policy = linter.replay.and_then(|r| r.policy);
    if let Some(set) = policy {
        let run = crate::eval::replay::ReplayedRun { set, stats: &stats };
        let findings = crate::rules::check_replay(&crate::eval::replay::ReplayResult::Run(&run));
        let documents = set.files.iter().map(|f| (f.name.as_str(), &*f.text, &f.root));
        found.extend(crate::diagnostic::resolve_in(documents, findings));
    }
    config.filter(&mut found, now);
    let mut about_config = config.resolve(crate::rules::check_config(&config.view(now)));
    config.apply_levels(&mut about_config);
    found.extend(about_config);
    crate::diagnostic::sort(&mut found);
    for d in &found {
        counts.add(d.rule, d.severity);
    }
    let mut summary = AuditSummary::new(inputs.len(), tally, counts);
    summary.policy = policy.map(|set| PolicySummary::new(set, &stats));
    AuditRun {
        summary,
        read_errors,
        inputs: spills,
        sequence: found.iter().map(Row::of).collect(),
        observed: stats.observed,
        _spill: file,
    }
}
