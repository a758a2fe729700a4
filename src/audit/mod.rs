//! `ramlint audit`: request logs at scale. Every input is streamed, linted in parallel and
//! counted; then the sequence rules run over all calls in event-time order, and a summary
//! accounts for every record.

pub mod sequence;
pub mod spill;
pub mod stream;
mod summary;

use crate::app::{AppError, Outcome};
use crate::cli::{AuditArgs, Color};
use crate::config::Config;
use crate::discover::{self, Input};
use crate::finding::Severity;
use crate::lint::{Linter, Tally};
use crate::report::{self, Format};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use spill::{Counts, Spill, Stored};
use std::io::{IsTerminal, Write};
pub use summary::{AuditSummary, PolicySummary};

/// Everything an audit found, before rendering. The inputs' findings wait on disk; the
/// sequence rules' findings are merged into them, in order, when the report is written.
pub struct AuditRun {
    pub summary: AuditSummary,
    pub read_errors: Vec<(String, String)>,
    inputs: Vec<(String, Spill)>,
    sequence: Vec<Stored>,
    /// `generate`: RAM action -> resources of the successful calls.
    pub observed: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl AuditRun {
    /// Calls `emit` with every finding, sorted by file, record, line, column and rule.
    pub fn for_each(&mut self, mut emit: impl FnMut(&Stored) -> std::io::Result<()>) -> std::io::Result<()> {
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
            eprintln!(
                "{:?}",
                miette::Report::new(discover::ReadError { name: name.clone(), message: message.clone() })
            );
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

fn progress_bar(inputs: &[Input], choice: Color) -> ProgressBar {
    let show = match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal(),
    };
    if !show {
        return ProgressBar::hidden();
    }
    let total: u64 = inputs
        .iter()
        .filter_map(|i| if let Input::File(p) = i { std::fs::metadata(p).ok().map(|m| m.len()) } else { None })
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
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
    let results: Vec<(String, Result<stream::Audited<'_>, String>)> =
        inputs.par_iter().map(|i| (i.name(), stream::audit(i, linter, &filter, progress))).collect();
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
    found.extend(config.resolve(crate::rules::check_config(&config.view(now))));
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
        sequence: found.iter().map(Stored::of).collect(),
        observed: stats.observed,
    }
}

pub fn run(args: &AuditArgs) -> Result<Outcome, AppError> {
    let config = crate::app::configuration(args.lint.config.as_deref(), args.lint.no_config)?;
    let mut inputs = discover::discover(&args.lint.paths)?;
    inputs.retain(|i| !config.excludes(&i.name()));
    let mut owned = None;
    let catalog = crate::app::catalog(&config, &args.lint.catalog, &mut owned)?;
    let policy = if args.policy.is_empty() { None } else { Some(crate::eval::PolicySet::read(&args.policy)?) };
    for warning in policy.iter().flat_map(|p| p.warnings(catalog)) {
        eprintln!("{warning}");
    }
    let replay = crate::eval::replay::Replay { policy: policy.as_ref(), account: args.account.clone(), observe: false };
    let project = config.project();
    let linter = Linter {
        catalog,
        kind: args.lint.kind,
        collect_facts: true,
        project: &project,
        replay: policy.as_ref().map(|_| &replay),
        validator: crate::request::Validator::new(catalog),
    };
    let progress = progress_bar(&inputs, args.progress);
    let mut result = audit(&inputs, &linter, &config, args.window, &progress);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.lint.format {
        Format::Json => {
            let head = serde_json::json!({"version": 1, "tool": {"name": "ramlint", "version": env!("CARGO_PKG_VERSION")}, "summary": &result.summary});
            let head = serde_json::to_string_pretty(&head).unwrap_or_default();
            write!(out, "{},\n  \"diagnostics\": [", head.trim_end().trim_end_matches('}').trim_end())?;
            let mut first = true;
            result.for_each(|d| {
                out.write_all(if first { b"\n    " } else { b",\n    " })?;
                first = false;
                serde_json::to_writer(&mut out, d).map_err(std::io::Error::other)
            })?;
            writeln!(out, "{}]\n}}", if first { "" } else { "\n  " })?;
        }
        Format::Text => {
            result.for_each(|d| writeln!(out, "{}", report::text::compact(d)))?;
            write!(out, "{}", result.summary.table())?;
        }
        Format::Github => {
            result.for_each(|d| writeln!(out, "{}", report::github::annotation(d)))?;
        }
        Format::Sarif => {
            let mut all = Vec::new();
            result.for_each(|d| {
                all.push(d.clone());
                Ok(())
            })?;
            writeln!(out, "{}", report::sarif::render(&all, &result.read_errors))?;
        }
    }
    out.flush()?;
    if result.report_read_errors() {
        return Ok(Outcome::Failed);
    }
    let threshold = crate::app::failure_level(args.lint.fail_on, &config);
    Ok(if result.fails(threshold) { Outcome::Findings } else { Outcome::Clean })
}
