//! `ramlint generate`: a least-privilege policy for the successful calls of request logs.
//! Calls are replayed into authorization requests (the same mapping `audit --policy` uses),
//! grouped by action, and actions that need the same resources share a statement. A policy
//! over RAM's size limit is widened step by step until it fits.

use super::{AppError, Outcome, Session};
use crate::cli::{Color, GenerateArgs};
use crate::eval::replay::Replay;
use crate::generate::{fitting, Widen};
use crate::lint::Linter;
use crate::rules::policy_too_large::LIMIT;
use std::io::Write;

pub fn run(args: &GenerateArgs) -> Result<Outcome, AppError> {
    let session = Session::new(&args.session, Color::Never, None)?;
    let inputs = session.inputs(&args.paths)?;
    let catalog = session.catalog();
    let replay = Replay {
        policy: None,
        account: args.account.clone(),
        observe: true,
        principal: args.principal.clone(),
        context: Vec::new(),
    };
    let linter = Linter {
        catalog,
        kind: args.kind,
        collect_facts: false,
        project: session.project(),
        replay: Some(&replay),
        validator: crate::request::Validator::new(catalog),
    };
    let mut run = crate::audit::audit(&inputs, &linter, &session.config, 0, &indicatif::ProgressBar::hidden());
    if run.report_read_errors() {
        return Ok(Outcome::Failed);
    }
    // Text that could not be read (a cut or corrupt gzip stream, bytes that are not UTF-8):
    // said on standard error, one line each, and the run fails as `audit` fails on it. The
    // policy still covers the calls that were read.
    let mut unreadable = 0;
    let mut err = std::io::stderr().lock();
    run.for_each(|row| {
        if row.rule == crate::rules::json_syntax::META.id {
            unreadable += 1;
            writeln!(err, "{}", crate::report::text::compact(row))?;
        }
        Ok(())
    })?;
    drop(err);
    if let (true, Some(principal)) = (run.observed.is_empty(), &args.principal) {
        return Err(AppError::Usage {
            message: format!("no successful call of `{principal}` to generate a policy from"),
            help: "`--principal` is compared with the caller a record names (its `userIdentity` user name, principal id or AccessKey id), as the `calls by principal` table of `ramlint audit --policy` lists them".into(),
        });
    }
    if run.observed.is_empty() {
        return Err(AppError::Usage {
            message: "no successful call of a known API to generate a policy from".into(),
            help: format!(
                "{} read: calls with a recorded error code, unknown APIs and unreadable records are left out",
                if run.summary.records == 1 {
                    "1 record".to_string()
                } else {
                    format!("{} records", run.summary.records)
                }
            ),
        });
    }
    let from = if args.widen { Widen::Ids } else { Widen::None };
    let (document, how) = fitting(catalog, &run.observed, from);
    if how != from {
        crate::report::to_stderr(format_args!(
            "note: the exact policy exceeds RAM's limit of {LIMIT} characters; resources are widened to {}",
            match how {
                Widen::Ids => "every resource of each type (as with `--widen`)",
                Widen::Services => "every resource of each service",
                _ => "`*`",
            }
        ));
    }
    let mut out = std::io::stdout().lock();
    write!(out, "{}", document.to_text())?;
    out.flush()?;
    if unreadable > 0 {
        eprintln!(
            "error: {unreadable} part{} of the input could not be read; the policy covers only the calls that were read",
            if unreadable == 1 { "" } else { "s" },
        );
        return Ok(Outcome::Findings);
    }
    Ok(Outcome::Clean)
}
