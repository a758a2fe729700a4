//! Orchestration: discover -> read -> lint (in parallel) -> report -> exit code.

use crate::audit::spill::Stored;
use crate::catalog::{suggest, Catalog, CatalogError};
use crate::cli::{CheckArgs, Cli, Color, Command, FailOn, ListFormat, RulesArgs};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, DiscoverError, Input, ReadError};
use crate::finding::Severity;
use crate::lint::{FileReport, Linter};
use crate::report::{self, text::TextRenderer, Format, Summary};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

/// Errors that stop a run (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Catalog(#[from] CatalogError),
    #[error("unknown rule `{rule}`")]
    #[diagnostic(code(ramlint::usage), help("{help}"))]
    UnknownRule { rule: String, help: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::baseline::BaselineError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] crate::eval::PolicyError),
    #[error("{message}")]
    #[diagnostic(code(ramlint::usage), help("{help}"))]
    Usage { message: String, help: String },
    #[error("cannot write the report: {0}")]
    #[diagnostic(code(ramlint::io))]
    Output(#[from] std::io::Error),
}

/// The process exit code of a finished run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean = 0,
    Findings = 1,
    Failed = 2,
}

pub fn run(cli: Cli) -> Result<Outcome, AppError> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Actions(args) => crate::actions::run(&args),
        Command::Audit(args) => crate::audit::run(&args),
        Command::Simulate(args) => crate::simulate::run(&args),
        Command::Generate(args) => crate::generate::run(&args),
    }
}

pub fn load_catalog(extra: &[std::path::PathBuf]) -> Result<Arc<Catalog>, AppError> {
    Ok(Arc::new(Catalog::load(extra)?))
}

/// The catalog: embedded, or overlaid by the extra folders of the command line and of the
/// configuration (kept alive in `owned`).
pub fn catalog<'a>(
    config: &Config,
    cli: &[std::path::PathBuf],
    owned: &'a mut Option<Arc<Catalog>>,
) -> Result<&'a Catalog, AppError> {
    let extra: Vec<std::path::PathBuf> = cli.iter().chain(config.catalog.iter()).cloned().collect();
    if extra.is_empty() {
        return Ok(Catalog::embedded()
            .map_err(|e| CatalogError::Parse { file: "embedded rules".into(), message: e.to_string() })?);
    }
    Ok(owned.insert(load_catalog(&extra)?))
}

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

pub fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The configuration in force: `--config`, else the discovered `ramlint.toml`, unless
/// `--no-config`.
pub fn configuration(explicit: Option<&std::path::Path>, none: bool) -> Result<Config, AppError> {
    let known: Vec<&'static crate::finding::RuleMeta> = crate::rules::ALL.iter().map(|r| r.meta()).collect();
    Ok(match (explicit, none) {
        (_, true) => Config::default(),
        (Some(path), false) => Config::load(path, &known)?,
        (None, false) => match crate::config::discover() {
            Some(path) => Config::load(&path, &known)?,
            None => Config::default(),
        },
    })
}

/// The lowest severity that fails a run: the flag, else the configuration, else `error`.
pub fn failure_level(flag: Option<FailOn>, config: &Config) -> Severity {
    match (flag, config.fail_on) {
        (Some(FailOn::Error), _) => Severity::Error,
        (Some(FailOn::Warning), _) => Severity::Warning,
        (None, Some(level)) => level,
        (None, None) => Severity::Error,
    }
}

fn check(args: &CheckArgs) -> Result<Outcome, AppError> {
    let config = configuration(args.lint.config.as_deref(), args.lint.no_config)?;
    let mut inputs = discover::discover(&args.lint.paths)?;
    inputs.retain(|i| !config.excludes(&i.name()));
    let mut owned = None;
    let catalog = catalog(&config, &args.lint.catalog, &mut owned)?;
    let project = config.project();
    let linter = Linter { catalog, kind: args.lint.kind, collect_facts: false, project: &project, replay: None };
    let (mut reports, read_errors) = lint_inputs(&inputs, &linter);
    let mut all: Vec<Diagnostic> = reports.iter_mut().flat_map(|r| std::mem::take(&mut r.diagnostics)).collect();
    let about_config = config.apply(&mut all, crate::config::now_ms());
    if let Some(path) = &args.baseline {
        if path.exists() {
            let hidden = crate::baseline::filter(path, &mut all)?;
            if args.lint.format == Format::Text && hidden > 0 {
                eprintln!(
                    "{hidden} finding{} already in the baseline `{}`",
                    if hidden == 1 { " is" } else { "s are" },
                    path.display()
                );
            }
        } else {
            crate::baseline::write(path, &all.iter().collect::<Vec<_>>())?;
            eprintln!(
                "wrote {} finding{} to the baseline `{}`",
                all.len(),
                if all.len() == 1 { "" } else { "s" },
                path.display()
            );
            all.clear();
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
        });
    }
    let summary = Summary::of(&reports);
    let mut out = std::io::stdout().lock();
    match args.lint.format {
        Format::Json => {
            writeln!(out, "{}", report::json::render(&summary, reports.iter().flat_map(|r| r.diagnostics.iter())))?
        }
        Format::Sarif => {
            let all: Vec<Stored> = reports.iter().flat_map(|r| r.diagnostics.iter()).map(Stored::of).collect();
            let errors: Vec<(String, String)> =
                read_errors.iter().map(|e| (e.name.clone(), e.message.clone())).collect();
            writeln!(out, "{}", report::sarif::render(&all, &errors))?;
        }
        Format::Github => {
            for d in reports.iter().flat_map(|r| r.diagnostics.iter()) {
                writeln!(out, "{}", report::github::annotation(&Stored::of(d)))?;
            }
        }
        Format::Text => {
            let renderer = TextRenderer::new(use_color(args.lint.color));
            for r in &reports {
                if let Some(reason) = &r.skipped {
                    writeln!(out, "skipped {}: {reason}", r.source.name)?;
                }
                for d in &r.diagnostics {
                    write!(out, "{}", renderer.render(d, r.source.text.clone()))?;
                    writeln!(out)?;
                }
            }
            writeln!(out, "{}", report::text::summary_line(&summary))?;
        }
    }
    out.flush()?;
    for e in &read_errors {
        eprintln!("{:?}", miette::Report::new(ReadError { name: e.name.clone(), message: e.message.clone() }));
    }
    if !read_errors.is_empty() {
        return Ok(Outcome::Failed);
    }
    let threshold = failure_level(args.lint.fail_on, &config);
    let failing = reports.iter().flat_map(|r| r.diagnostics.iter()).any(|d| d.severity >= threshold);
    Ok(if failing { Outcome::Findings } else { Outcome::Clean })
}

fn rules(args: &RulesArgs) -> Result<Outcome, AppError> {
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = crate::rules::ALL
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"id": m.id, "severity": m.severity.as_str(), "category": m.category.as_str(), "subject": m.subject.as_str(), "summary": m.summary})
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default())?;
        }
        ListFormat::Text => {
            writeln!(out, "{:<28} {:<8} {:<11} {:<8} SUMMARY", "RULE", "SEVERITY", "CATEGORY", "SUBJECT")?;
            for r in crate::rules::ALL {
                let m = r.meta();
                writeln!(
                    out,
                    "{:<28} {:<8} {:<11} {:<8} {}",
                    m.id,
                    m.severity.as_str(),
                    m.category.as_str(),
                    m.subject.as_str(),
                    m.summary
                )?;
            }
        }
    }
    Ok(Outcome::Clean)
}

fn explain(rule: &str) -> Result<Outcome, AppError> {
    let Some(found) = crate::rules::by_id(rule) else {
        let help = suggest::did_you_mean(rule, crate::rules::ALL.iter().map(|r| r.meta().id))
            .unwrap_or_else(|| "`ramlint rules` lists every rule".into());
        return Err(AppError::UnknownRule { rule: rule.to_string(), help });
    };
    let m = found.meta();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} ({}, {}, {})\n{}\n",
        m.id,
        m.severity.as_str(),
        m.category.as_str(),
        m.subject.as_str(),
        m.summary
    )?;
    write!(out, "{}", m.docs)?;
    Ok(Outcome::Clean)
}
