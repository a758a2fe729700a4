//! `ramlint check --fix` and `--diff`: the certain fixes of the findings a check reports,
//! applied to the files as byte edits, pass after pass until no fix is left (a fix may
//! reveal another: `Statment` renamed, then its statement's `Alow`).

use super::{AppError, Outcome};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::Input;
use crate::discover::ReadError;
use crate::finding::Fix;
use crate::lint::{FileReport, Linter};
use crate::source::Source;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Passes over one file at most: each pass applies the fixes that do not overlap.
const PASSES: usize = 8;

/// One file whose fixes change it.
#[derive(Debug)]
pub struct Changed {
    pub path: PathBuf,
    pub name: String,
    pub old: Arc<str>,
    pub new: String,
    /// What was fixed, in order.
    pub titles: Vec<String>,
}

/// What the run settled: the files to change, and the files it could not fix (with why).
#[derive(Debug, Default)]
pub struct Plan {
    pub changed: Vec<Changed>,
    pub refused: Vec<(String, String)>,
}

/// The fixes of the reported diagnostics (`diagnostics`, after the configuration), applied
/// to each file's text in memory.
pub fn plan(
    inputs: &[Input],
    reports: &[FileReport],
    diagnostics: &[Diagnostic],
    linter: &Linter<'_>,
    config: &Config,
    now: i64,
) -> Plan {
    let mut by_file: HashMap<&str, Vec<&Fix>> = HashMap::new();
    for d in diagnostics {
        if let Some(fix) = &d.fix {
            by_file.entry(d.file.as_str()).or_default().push(fix);
        }
    }
    let paths: HashMap<String, &PathBuf> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::File(p) => Some((i.name(), p)),
            _ => None,
        })
        .collect();
    let mut plan = Plan::default();
    for report in reports {
        let name = &report.source.name;
        let Some(fixes) = by_file.get(name.as_str()) else { continue };
        let Some(path) = paths.get(name) else {
            plan.refused.push((name.clone(), "standard input cannot be fixed in place".into()));
            continue;
        };
        // The edits index into the text that was linted: fix only a file that is that text.
        match std::fs::read(path) {
            Ok(bytes) if bytes == report.source.text.as_bytes() => {}
            Ok(_) => {
                plan.refused
                    .push((name.clone(), "its text was decoded (compressed or re-encoded) before linting".into()));
                continue;
            }
            Err(e) => {
                plan.refused.push((name.clone(), e.to_string()));
                continue;
            }
        }
        let (new, titles) = fix_text(name, &report.source.text, fixes, linter, config, now);
        if titles.is_empty() {
            continue;
        }
        plan.changed.push(Changed {
            path: (*path).clone(),
            name: name.clone(),
            old: report.source.text.clone(),
            new,
            titles,
        });
    }
    plan
}

/// Applies fixes to one text until none is left; the result is kept only when it still
/// lints without a syntax error.
fn fix_text(
    name: &str,
    text: &str,
    first: &[&Fix],
    linter: &Linter<'_>,
    config: &Config,
    now: i64,
) -> (String, Vec<String>) {
    let mut current = text.to_string();
    let mut titles = Vec::new();
    let mut fixes: Vec<Fix> = first.iter().map(|f| (*f).clone()).collect();
    for _ in 0..PASSES {
        let applied = crate::fix::apply(&current, &fixes);
        if applied.titles.is_empty() {
            break;
        }
        titles.extend(applied.titles);
        current = applied.text;
        let report = linter.lint(Source { name: name.to_string(), text: Arc::from(current.as_str()) });
        let mut diagnostics = report.diagnostics;
        if diagnostics.iter().any(|d| d.rule == crate::rules::json_syntax::META.id) {
            // Never write a file that no longer parses (a fix is built not to do that).
            return (text.to_string(), Vec::new());
        }
        config.filter(&mut diagnostics, now);
        fixes = diagnostics.into_iter().filter_map(|d| d.fix).collect();
    }
    (current, titles)
}

/// Writes the changed files.
pub fn write(plan: &Plan) -> Result<(), AppError> {
    for c in &plan.changed {
        std::fs::write(&c.path, c.new.as_bytes())?;
    }
    Ok(())
}

/// What `--fix` and `--diff` need of a check run.
pub struct Run<'r> {
    /// `--diff`: print the fixes instead of applying them.
    pub diff: bool,
    pub inputs: &'r [Input],
    pub linter: &'r Linter<'r>,
    pub config: &'r Config,
    pub now: i64,
}

impl Run<'_> {
    /// Applies (or, with `--diff`, prints) the fixes of the reported diagnostics `all`.
    /// `Some(outcome)`: the run ends here (`--diff`). Otherwise, when files changed, `reports`,
    /// `all` and `read_errors` become those of the fixed files, linted again by `relint`.
    pub fn fix_or_preview(
        &self,
        reports: &mut Vec<FileReport>,
        all: &mut Vec<Diagnostic>,
        read_errors: &mut Vec<ReadError>,
        relint: impl FnOnce() -> (Vec<FileReport>, Vec<ReadError>),
    ) -> Result<Option<Outcome>, AppError> {
        let plan = plan(self.inputs, reports, all, self.linter, self.config, self.now);
        for (name, why) in &plan.refused {
            crate::report::to_stderr(format_args!("warning: `{name}` was not fixed: {why}"));
        }
        let fixed: usize = plan.changed.iter().map(|c| c.titles.len()).sum();
        let files = plan.changed.len();
        let fixes = if fixed == 1 { "1 fix".to_string() } else { format!("{fixed} fixes") };
        let in_files = if files == 1 { "1 file".to_string() } else { format!("{files} files") };
        if self.diff {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for c in &plan.changed {
                write!(out, "{}", crate::fix::unified_diff(&c.name, &c.old, &c.new))?;
            }
            out.flush()?;
            crate::report::to_stderr(format_args!("{fixes} would be applied to {in_files} (`--fix` applies them)"));
            return Ok(Some(if files == 0 { Outcome::Clean } else { Outcome::Findings }));
        }
        write(&plan)?;
        if fixed > 0 {
            crate::report::to_stderr(format_args!("applied {fixes} to {in_files}"));
            // Report what is left: the fixed files are linted again.
            let (again, errors) = relint();
            *reports = again;
            *read_errors = errors;
            *all = reports.iter_mut().flat_map(|r| std::mem::take(&mut r.diagnostics)).collect();
            self.config.filter(all, self.now);
        }
        Ok(None)
    }
}
