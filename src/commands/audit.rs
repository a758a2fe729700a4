//! `ramlint audit`: the command over the audit engine ([`crate::audit`]): setup, a progress
//! bar, the report and the exit code.

use super::{AppError, Outcome, Session};
use crate::audit::audit_with;
use crate::cli::{AuditArgs, Color};
use crate::discover::Input;
use crate::lint::Linter;
use crate::report::Item;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};

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

pub fn run(args: &AuditArgs) -> Result<Outcome, AppError> {
    let lint = &args.lint;
    if lint.paths.is_empty() {
        return Err(AppError::Usage {
            message: "no request log to audit".into(),
            help: "give files, folders or glob patterns, or `-` for standard input: `ramlint audit logs/`".into(),
        });
    }
    let color = super::session::report_color(lint.color, lint.output_file.as_deref());
    let mut session = Session::new(&lint.session, color, lint.fail_on)?;
    session.select(&lint.select, &lint.ignore)?;
    if args.facts {
        return check_facts(args, &session);
    }
    let mut renderer = super::session::renderer(lint, session.color())?;
    let inputs = session.inputs(&lint.paths)?;
    if args.list_inputs {
        return list_inputs(&inputs, lint.output_file.as_deref());
    }
    let catalog = session.catalog();
    let policy = if args.policy.is_empty() { None } else { Some(crate::eval::PolicySet::read(&args.policy)?) };
    for warning in policy.iter().flat_map(|p| crate::lint::policy_warnings(p, catalog)) {
        crate::report::to_stderr(format_args!("{warning}"));
    }
    let replay = crate::eval::replay::Replay {
        policy: policy.as_ref(),
        account: args.account.clone(),
        observe: false,
        principal: None,
        context: args.context.clone(),
    };
    let linter = Linter {
        catalog,
        kind: args.lint.kind,
        collect_facts: true,
        project: session.project(),
        replay: policy.as_ref().map(|_| &replay),
        validator: crate::request::Validator::new(session.catalog()),
    };
    let progress = progress_bar(&inputs, args.progress);
    let retention = i64::try_from(args.token_retention).unwrap_or(i64::MAX);
    if args.partial {
        let mut result =
            crate::audit::audit_partial(&inputs, &linter, &session.config, args.window, retention, &progress);
        let mut out = super::session::report_output(lint.output_file.as_deref())?;
        crate::audit::partial::write(&mut result, &mut out)?;
        out.flush()?;
        return Ok(Outcome::Clean);
    }
    let mut result = audit_with(&inputs, &linter, &session.config, args.window, retention, &progress);
    write_report(&mut result, &mut renderer, lint, &session)
}

/// Writes an audit's report (the whole run's, or the merge of its parts) as `--format` and
/// `--output-file` say, and the exit code it earns.
pub(super) fn write_report(
    result: &mut crate::audit::AuditRun,
    renderer: &mut crate::report::Renderer,
    lint: &crate::cli::LintArgs,
    session: &Session,
) -> Result<Outcome, AppError> {
    let mut out = super::session::report_output(lint.output_file.as_deref())?;
    renderer.begin(&mut out, &result.summary, &result.read_errors, None)?;
    result.for_each(|row| renderer.finding(&mut out, Item::Row(row)))?;
    renderer.end(&mut out, &result.summary)?;
    out.flush()?;
    if result.report_read_errors() {
        return Ok(Outcome::Failed);
    }
    Ok(if result.fails(session.failure_level()) { Outcome::Findings } else { Outcome::Clean })
}

/// `--list-inputs`: the inputs an audit of the paths reads, for a job that spreads them over
/// its tasks.
fn list_inputs(inputs: &[Input], output_file: Option<&std::path::Path>) -> Result<Outcome, AppError> {
    let mut out = super::session::report_output(output_file)?;
    for input in inputs {
        let bytes = match input {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin | Input::Refused(..) => 0,
        };
        serde_json::to_writer(&mut out, &serde_json::json!({"file": input.name(), "bytes": bytes}))
            .map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(Outcome::Clean)
}

/// `--partial --facts`: the sequence rules over facts of whole key groups.
fn check_facts(args: &AuditArgs, session: &Session) -> Result<Outcome, AppError> {
    let lint = &args.lint;
    let mut inputs = crate::audit::partial::open(&lint.paths)?;
    let mut out = super::session::report_output(lint.output_file.as_deref())?;
    let window = i64::try_from(args.window).unwrap_or(i64::MAX);
    let retention = i64::try_from(args.token_retention).unwrap_or(i64::MAX);
    crate::audit::partial::check_facts(&mut inputs, session.catalog(), &session.config, window, retention, &mut out)?;
    out.flush()?;
    Ok(Outcome::Clean)
}
