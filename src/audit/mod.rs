//! `ramlint audit`: request logs at scale. Every input is streamed, linted in parallel and
//! counted; then the sequence rules run over all calls in event-time order, and a summary
//! accounts for every record. Memory is bounded whatever the log's size: the inputs' findings
//! wait on disk, the calls' facts and the findings of the whole run are sorted externally
//! (sorted runs on disk, merged as they are read), and the report is written as a stream.

pub mod external;
pub mod partial;
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
    /// The findings of the whole run (sequence rules, inputs that stopped early, replay,
    /// configuration), sorted in report order.
    sequence: Option<external::Sorted<Row>>,
    /// The temporary file the inputs' findings wait in (removed when the run is dropped).
    _spill: std::sync::Arc<SpillFile>,
    /// `generate`: RAM action -> resources of the successful calls.
    pub observed: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    /// `audit --partial`: what the rules over the whole run still need.
    rest: Option<partial::Rest>,
}

impl AuditRun {
    /// Calls `emit` with every finding, sorted by file, record, line, column and rule.
    pub fn for_each(&mut self, mut emit: impl FnMut(&Row) -> std::io::Result<()>) -> std::io::Result<()> {
        let Some(sequence) = self.sequence.take() else { return Ok(()) };
        let mut pending = sequence.iter().peekable();
        for (name, spill) in &mut self.inputs {
            for stored in spill.read()? {
                while let Some(s) = pending.next_if(|s| s.file < *name || (s.file == *name && s.key() <= stored.key()))
                {
                    emit(&s)?;
                }
                emit(&stored)?;
            }
            while let Some(s) = pending.next_if(|s| s.file <= *name) {
                emit(&s)?;
            }
        }
        for s in pending {
            emit(&s)?;
        }
        sequence.take_error().map_or(Ok(()), Err)
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

/// Memory for the run's findings waiting to be sorted before a sorted run is spilled.
const ROW_BUDGET: usize = 2 << 20;

impl external::Item for Row {
    fn encode(&self, out: &mut Vec<u8>, _: &mut external::Names) {
        let _ = serde_json::to_writer(out, self);
    }

    fn decode(bytes: &[u8], _: &external::Names) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }

    fn size(&self) -> usize {
        self.message.len() + self.help.as_ref().map_or(0, String::len) + self.file.len() + self.pointer.len() + 64
    }
}

/// The report's order of findings (as [`crate::diagnostic::sort`]).
fn row_order(a: &Row, b: &Row) -> std::cmp::Ordering {
    (&a.file, a.record, a.line, a.column, &a.rule, &a.pointer, &a.message)
        .cmp(&(&b.file, b.record, b.line, b.column, &b.rule, &b.pointer, &b.message))
}

/// Audits the inputs: the library entry point behind the command.
pub fn audit(
    inputs: &[Input],
    linter: &Linter<'_>,
    config: &Config,
    window_ms: u64,
    progress: &ProgressBar,
) -> AuditRun {
    audit_with(inputs, linter, config, window_ms, crate::model::call::DEFAULT_TOKEN_RETENTION_MS, progress)
}

/// [`audit`] with how long a client token is honoured (`--token-retention`).
pub fn audit_with(
    inputs: &[Input],
    linter: &Linter<'_>,
    config: &Config,
    window_ms: u64,
    token_retention_ms: i64,
    progress: &ProgressBar,
) -> AuditRun {
    run(inputs, linter, config, window_ms, token_retention_ms, progress, false)
}

/// The part of [`audit_with`] that needs no other input (`audit --partial`): the facts of the
/// sequence rules and what the rules over the whole run need are kept for
/// [`partial::write`] instead of being checked.
pub fn audit_partial(
    inputs: &[Input],
    linter: &Linter<'_>,
    config: &Config,
    window_ms: u64,
    token_retention_ms: i64,
    progress: &ProgressBar,
) -> AuditRun {
    run(inputs, linter, config, window_ms, token_retention_ms, progress, true)
}

/// [`audit_with`], or with `partial` the part of it that needs no other input
/// ([`partial`]): the facts and the statistics the rules over the whole run need are kept in
/// the run instead of being checked.
fn run(
    inputs: &[Input],
    linter: &Linter<'_>,
    config: &Config,
    window_ms: u64,
    token_retention_ms: i64,
    progress: &ProgressBar,
    partial: bool,
) -> AuditRun {
    let now = crate::config::now_ms();
    let filter = |d: &mut Vec<crate::diagnostic::Diagnostic>| config.filter(d, now);
    let file = SpillFile::new();
    let collector = sequence::Collector::new(&file);
    let results: Vec<(String, Result<stream::Audited<'_>, String>)> =
        inputs.par_iter().map(|i| (i.name(), stream::audit(i, linter, &filter, progress, &file, &collector))).collect();
    progress.finish_and_clear();
    let mut tally = Tally::default();
    let mut counts = Counts::default();
    let mut read_errors = Vec::new();
    let mut spills = Vec::new();
    let mut whole_input = Vec::new();
    for (name, result) in results {
        match result {
            Ok(a) => {
                whole_input.extend(a.whole_input);
                tally.merge(a.tally);
                counts.merge(&a.spill.counts);
                spills.push((name, a.spill));
            }
            Err(e) => read_errors.push((name, e)),
        }
    }
    spills.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rows = external::Sorter::new(file.clone(), row_order, ROW_BUDGET);
    let mut failed: Option<std::io::Error> = None;
    let mut keep = |d: crate::diagnostic::Diagnostic, counts: &mut Counts, failed: &mut Option<std::io::Error>| {
        counts.add(d.rule, d.severity);
        if let Err(e) = rows.push(Row::of(&d)) {
            failed.get_or_insert(e);
        }
    };
    let window = i64::try_from(window_ms).unwrap_or(i64::MAX);
    let mut kept_facts = None;
    match collector.finish() {
        Ok(facts) if partial => kept_facts = Some(facts),
        Ok(facts) => {
            let mut sink = |finding| {
                let mut found = crate::diagnostic::resolve_located(vec![finding]);
                config.filter(&mut found, now);
                for d in found {
                    keep(d, &mut counts, &mut failed);
                }
            };
            if let Err(e) = sequence::check(linter.catalog, &facts, window, token_retention_ms, &mut sink) {
                failed.get_or_insert(e);
            }
        }
        Err(e) => {
            failed.get_or_insert(e);
        }
    }
    let mut found = whole_input;
    let mut stats = std::mem::take(&mut tally.replay);
    let policy = linter.replay.and_then(|r| r.policy);
    if let Some(set) = policy.filter(|_| !partial) {
        found.extend(whole_run_replay(set, &stats));
    }
    config.filter(&mut found, now);
    if !partial {
        found.extend(whole_run_config(config, now));
    }
    for d in found {
        keep(d, &mut counts, &mut failed);
    }
    let sequence = match rows.finish() {
        Ok(sorted) => Some(sorted),
        Err(e) => {
            failed.get_or_insert(e);
            None
        }
    };
    if let Some(e) = failed {
        read_errors.push(("(the run's findings)".to_string(), stream::spill_error(e)));
    }
    let mut summary = AuditSummary::new(inputs.len(), tally, counts);
    summary.policy = policy.map(|set| PolicySummary::new(set, &stats));
    let observed = std::mem::take(&mut stats.observed);
    let rest = partial.then(|| partial::Rest {
        facts: kept_facts,
        replay: policy.map(|_| stats),
        suppressions: config.suppression_uses(),
    });
    AuditRun { summary, read_errors, inputs: spills, sequence, observed, _spill: file, rest }
}

/// The findings of the policy replay over the whole run (`unused-permission`), before the
/// configuration's suppressions.
fn whole_run_replay(
    set: &crate::eval::PolicySet,
    stats: &crate::eval::replay::Stats,
) -> Vec<crate::diagnostic::Diagnostic> {
    let run = crate::eval::replay::ReplayedRun { set, stats };
    let findings = crate::rules::check_replay(&crate::eval::replay::ReplayResult::Run(&run));
    let documents = set.files.iter().map(|f| (f.name.as_str(), &*f.text, &f.root));
    crate::diagnostic::resolve_in(documents, findings)
}

/// The findings about the configuration once every finding of the run went through it.
fn whole_run_config(config: &Config, now: i64) -> Vec<crate::diagnostic::Diagnostic> {
    let mut about_config = config.resolve(crate::rules::check_config(&config.view(now)));
    config.apply_levels(&mut about_config);
    about_config
}
