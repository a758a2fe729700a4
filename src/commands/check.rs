//! `ramlint check`: discover -> read -> lint (in parallel) -> configuration and baseline ->
//! report -> exit code.

use super::{AppError, Outcome, Session};
use crate::cli::CheckArgs;
use crate::diagnostic::Diagnostic;
use crate::discover::{Input, ReadError};
use crate::lint::{FileReport, Linter};
use crate::report::{Format, Item, Summary};
use rayon::prelude::*;
use std::io::Write;
use std::sync::Arc;

/// Lints the inputs in parallel; I/O failures come back beside the reports.
pub fn lint_inputs(inputs: &[Input], linter: &Linter<'_>) -> (Vec<FileReport>, Vec<ReadError>) {
    let results: Vec<Result<FileReport, ReadError>> = inputs.par_iter().map(|input| linter.lint_input(input)).collect();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(report) => reports.push(report),
            Err(e) => errors.push(e),
        }
    }
    reports.sort_by(|a, b| a.source.name.cmp(&b.source.name));
    (reports, errors)
}

/// Lints the files Terraform configurations read policies from (`file()`, `templatefile()`),
/// each once, unless it is an input already (then it was linted as what it is).
fn lint_references(inputs: &[Input], linter: &Linter<'_>, reports: &mut Vec<FileReport>, errors: &mut Vec<ReadError>) {
    let mut seen: std::collections::HashSet<String> = inputs.iter().map(Input::name).collect();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for r in reports.iter() {
        for (path, resource) in &r.references {
            let input = Input::File(std::path::PathBuf::from(path));
            if seen.insert(input.name()) {
                wanted.push((path.clone(), resource.clone()));
            }
        }
    }
    for (path, resource) in wanted {
        match linter.lint_template_file(&Input::File(path.into()), &resource) {
            Ok(report) => reports.push(report),
            Err(e) => errors.push(e),
        }
    }
    reports.sort_by(|a, b| a.source.name.cmp(&b.source.name));
}

pub fn run(args: &CheckArgs) -> Result<Outcome, AppError> {
    let lint = &args.lint;
    let color = super::session::report_color(lint.color, lint.output_file.as_deref());
    let mut session = Session::new(&lint.session, color, lint.fail_on)?;
    session.select(&lint.select, &lint.ignore)?;
    if args.show_settings {
        let mut out = super::session::report_output(lint.output_file.as_deref())?;
        session.settings(&mut out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let mut renderer = super::session::renderer(lint, session.color())?;
    let config = &session.config;
    let default_paths = [".".to_string()];
    let paths = if lint.paths.is_empty() { &default_paths[..] } else { &lint.paths[..] };
    let inputs = session.inputs(paths)?;
    let linter = Linter {
        catalog: session.catalog(),
        kind: lint.kind,
        collect_facts: false,
        project: session.project(),
        replay: None,
        validator: crate::request::Validator::new(session.catalog()),
    };
    let (mut reports, mut read_errors) = lint_inputs(&inputs, &linter);
    lint_references(&inputs, &linter, &mut reports, &mut read_errors);
    let mut all: Vec<Diagnostic> = reports.iter_mut().flat_map(|r| std::mem::take(&mut r.diagnostics)).collect();
    let now = crate::config::now_ms();
    config.filter(&mut all, now);
    if args.fix || args.diff {
        let relint = || lint_inputs(&inputs, &linter);
        let run = super::fixing::Run { diff: args.diff, inputs: &inputs, linter: &linter, config, now };
        if let Some(outcome) = run.fix_or_preview(&mut reports, &mut all, &mut read_errors, relint)? {
            return Ok(outcome);
        }
    }
    let mut about_config = config.resolve(crate::rules::check_config(&config.view(now)));
    config.apply_levels(&mut about_config);
    if let Some(path) = &args.baseline {
        if args.update_baseline {
            crate::baseline::write(path, &all.iter().collect::<Vec<_>>())?;
            crate::report::to_stderr(format_args!(
                "wrote {} finding{} to the baseline `{}`",
                all.len(),
                if all.len() == 1 { "" } else { "s" },
                path.display()
            ));
            return Ok(Outcome::Clean);
        }
        let hidden = crate::baseline::filter(path, &mut all)?;
        if lint.format == Format::Text && hidden > 0 && !lint.quiet {
            crate::report::to_stderr(format_args!(
                "{hidden} finding{} already in the baseline `{}`",
                if hidden == 1 { " is" } else { "s are" },
                path.display()
            ));
        }
    }
    // Back to their files (by name: a linear search per finding is quadratic on big trees).
    let index: std::collections::HashMap<String, usize> =
        reports.iter().enumerate().map(|(i, r)| (r.source.name.clone(), i)).collect();
    for d in all {
        if let Some(r) = index.get(&d.file).and_then(|&i| reports.get_mut(i)) {
            r.diagnostics.push(d);
        }
    }
    if let (Some(path), false) = (&config.path, about_config.is_empty()) {
        let cwd = std::env::current_dir().unwrap_or_default();
        let name = path.strip_prefix(&cwd).unwrap_or(path).display().to_string();
        let source = crate::source::Source { name, text: Arc::from(config.text()) };
        reports.push(FileReport {
            source,
            diagnostics: about_config,
            tally: Default::default(),
            facts: Vec::new(),
            skipped: None,
            kind: Some("config"),
            references: Vec::new(),
            documents: Vec::new(),
        });
    }
    let summary = Summary::of(&reports);
    let unreadable: Vec<(String, String)> = read_errors.iter().map(|e| (e.name.clone(), e.message.clone())).collect();
    let mut out = super::session::report_output(lint.output_file.as_deref())?;
    let files = crate::report::FileEntry::of(&reports);
    renderer.begin(&mut out, &summary, &unreadable, Some(&files))?;
    for r in &reports {
        if let Some(reason) = r.skipped.as_ref().filter(|s| args.lint.verbose || !s.quiet()) {
            renderer.skipped(&mut out, &r.source.name, &reason.to_string())?;
        }
        for d in &r.diagnostics {
            renderer.finding(&mut out, Item::Located(d, &r.source.text))?;
        }
    }
    renderer.end(&mut out, &summary)?;
    out.flush()?;
    for e in &read_errors {
        crate::report::to_stderr(format_args!(
            "{:?}",
            miette::Report::new(ReadError { name: e.name.clone(), message: e.message.clone() })
        ));
    }
    if !read_errors.is_empty() {
        return Ok(Outcome::Failed);
    }
    let threshold = session.failure_level();
    let failing = reports.iter().flat_map(|r| r.diagnostics.iter()).any(|d| d.severity >= threshold)
        || (session.fail_on_skip(args.fail_on_skip)
            && reports.iter().any(|r| r.skipped.as_ref().is_some_and(|s| !s.quiet())));
    Ok(if failing { Outcome::Findings } else { Outcome::Clean })
}
