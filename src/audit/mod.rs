//! `ramlint audit`: request logs at scale. Every input is streamed, linted in parallel and
//! counted; then the sequence rules run over all calls in event-time order, and a summary
//! accounts for every record.

mod sequence;
pub mod stream;
mod summary;

use crate::app::{AppError, Outcome};
use crate::catalog::{Catalog, CatalogError};
use crate::cli::{AuditArgs, Color, FailOn};
use crate::discover::{self, Input};
use crate::finding::Severity;
use crate::lint::{Linter, Tally};
use crate::report::{self, Format};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
pub use summary::AuditSummary;

/// Everything an audit found, before rendering.
pub struct AuditRun {
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    pub summary: AuditSummary,
    pub read_errors: Vec<(String, String)>,
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
pub fn audit(inputs: &[Input], linter: &Linter<'_>, window_ms: u64, progress: &ProgressBar) -> AuditRun {
    let results: Vec<(String, Result<stream::Audited, String>)> =
        inputs.par_iter().map(|i| (i.name(), stream::audit(i, linter, progress))).collect();
    progress.finish_and_clear();
    let mut diagnostics = Vec::new();
    let mut tally = Tally::default();
    let mut facts = Vec::new();
    let mut read_errors = Vec::new();
    for (name, result) in results {
        match result {
            Ok(a) => {
                diagnostics.extend(a.diagnostics);
                tally.merge(a.tally);
                facts.extend(a.facts);
            }
            Err(e) => read_errors.push((name, e)),
        }
    }
    diagnostics.extend(sequence::check(linter.catalog, &facts, i64::try_from(window_ms).unwrap_or(i64::MAX)));
    crate::diagnostic::sort(&mut diagnostics);
    let summary = AuditSummary::new(inputs.len(), tally, &diagnostics);
    AuditRun { diagnostics, summary, read_errors }
}

pub fn run(args: &AuditArgs) -> Result<Outcome, AppError> {
    let inputs = discover::discover(&args.paths)?;
    let owned;
    let catalog: &Catalog = if args.catalog.is_empty() {
        Catalog::embedded()
            .map_err(|e| CatalogError::Parse { file: "embedded rules".into(), message: e.to_string() })?
    } else {
        owned = crate::app::load_catalog(&args.catalog)?;
        &owned
    };
    let linter = Linter { catalog, kind: args.kind };
    let progress = progress_bar(&inputs, args.progress);
    let result = audit(&inputs, &linter, args.window, &progress);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", report::json::render(&result.summary, result.diagnostics.iter()))?,
        Format::Text => {
            for d in &result.diagnostics {
                writeln!(out, "{}", report::text::compact(d))?;
            }
            write!(out, "{}", result.summary.table())?;
        }
    }
    out.flush()?;
    for (name, message) in &result.read_errors {
        eprintln!("{:?}", miette::Report::new(discover::ReadError { name: name.clone(), message: message.clone() }));
    }
    if !result.read_errors.is_empty() {
        return Ok(Outcome::Failed);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(if result.diagnostics.iter().any(|d| d.severity >= threshold) { Outcome::Findings } else { Outcome::Clean })
}
