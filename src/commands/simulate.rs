//! `ramlint simulate`: evaluate one call against policies and show the decision's trace.

use super::{AppError, Outcome, Session};
use crate::catalog::{suggest, Catalog};
use crate::cli::{ListFormat, SimulateArgs};
use crate::eval::{Call, Context, Decision, PolicySet};
use crate::frame;
use std::io::Write;

/// Checks the action names one catalogued action (or any action of an uncatalogued service).
fn check_action(catalog: &Catalog, action: &str) -> Result<(), AppError> {
    let usage = |message: String, help: String| AppError::Usage { message, help };
    let Some((code, name)) = action.split_once(':') else {
        return Err(usage(
            format!("`{action}` is not an action"),
            "give a RAM action as `<ram-code>:<ApiName>`, e.g. `vpc:UnassociateEipAddress`".into(),
        ));
    };
    if name.is_empty() {
        return Err(usage(
            format!("`{action}` names no action"),
            "give `<ram-code>:<ApiName>`, e.g. `vpc:UnassociateEipAddress`".into(),
        ));
    }
    if crate::catalog::wildcard::has_wildcard(action) {
        return Err(usage(
            format!("`{action}` is a pattern, not one action"),
            "simulate evaluates one call: name its action, e.g. `vpc:UnassociateEipAddress`".into(),
        ));
    }
    if !catalog.is_service(code) {
        let help = match catalog.alias(code) {
            Some(alias) => format!("`{code}:` actions are `{}:` actions: `{}:{name}`", alias.use_code, alias.use_code),
            None => "`ramlint actions '<code>:*'` lists the actions of a RAM code".to_string(),
        };
        return Err(usage(format!("unknown RAM code `{code}`"), help));
    }
    // Only an authoritative list rules an action out: a derived one lacks non-API actions.
    if let Some(service) =
        catalog.service(code).filter(|s| s.catalogued && s.provenance == crate::catalog::Provenance::Authoritative)
    {
        if service.get(name).is_none() {
            let help = suggest::closest(name, service.actions.iter().map(|a| a.name.as_str()))
                .map(|c| format!("did you mean `{code}:{c}`?"))
                .unwrap_or_else(|| format!("`ramlint actions '{code}:*'` lists the actions of `{code}`"));
            return Err(usage(format!("unknown action `{action}`"), help));
        }
    }
    Ok(())
}

/// The call a recorded request makes, as `audit --policy` replays it: record `number`
/// (1-based, numbered as findings number records), or the first.
fn recorded_call(
    catalog: &Catalog,
    path: &std::path::Path,
    account: Option<&str>,
    number: Option<usize>,
) -> Result<Call, AppError> {
    let name = path.display().to_string();
    let usage = |message: String| AppError::Usage {
        message,
        help: "give a file holding one recorded call: an RPC object, an ActionTrail event or a request URL".into(),
    };
    let cannot =
        |message: String| AppError::Usage { message: format!("cannot read `{name}`: {message}"), help: String::new() };
    let input = crate::discover::Input::File(path.to_path_buf());
    let raw = frame::raw(&input).map_err(|e| cannot(e.to_string()))?;
    // Read as requests: `Action=` lines are URL lines whatever the file's name.
    let mut framer = frame::Framer::new(raw, &name, true).map_err(|e| cannot(e.to_string()))?;
    let want = crate::request::Want { facts: false, calls: true, account, keys: None };
    let no_record = |n: usize| AppError::Usage {
        message: format!("`{name}` has no record {n}"),
        help: "records are numbered from 1: array elements in order, lines by line number".into(),
    };
    let validator = crate::request::Validator::new(catalog);
    let outcome = match framer.form() {
        frame::Form::Document => {
            let whole = framer.whole();
            if let Some(problem) = whole.problem.or_else(|| whole.bad.first().map(frame::BadByte::problem)) {
                return Err(cannot(problem.to_string()));
            }
            match crate::json::parse(&whole.text) {
                Ok(root) => {
                    // A delivery array: its n-th record (the first by default).
                    let record = match (root.as_array(), number) {
                        (Some(items), n) => {
                            items.get(n.unwrap_or(1).saturating_sub(1)).ok_or(no_record(n.unwrap_or(1)))?
                        }
                        (None, Some(n)) if n != 1 => return Err(no_record(n)),
                        (None, _) => &root,
                    };
                    validator.lint_record(record, &whole.text, want)
                }
                Err(_) => {
                    let line = match number {
                        Some(n) => whole.text.lines().nth(n.saturating_sub(1)).ok_or(no_record(n))?,
                        None => frame::first_line(&whole.text).unwrap_or_default(),
                    };
                    validator.lint_url_line(line, 0, want)
                }
            }
        }
        form => {
            // JSON Lines or URL lines: the record of that line (the first by default).
            let mut block = framer.next_block(1);
            if let Some(n) = number {
                while block.as_ref().is_some_and(|b| !b.records.iter().any(|r| r.number >= n)) {
                    block = framer.next_block(1 << 20);
                }
            }
            let (text, record) = match (&block, number) {
                (Some(b), None) => (b.text.as_str(), b.records.first()),
                (Some(b), Some(n)) => {
                    (b.text.as_str(), Some(b.records.iter().find(|r| r.number == n).ok_or(no_record(n))?))
                }
                (None, Some(n)) => return Err(no_record(n)),
                (None, None) => ("", None),
            };
            if let Some(byte) = record.and_then(|r| r.bad) {
                return Err(cannot(byte.problem().to_string()));
            }
            let first = record.map(|r| r.text(text)).unwrap_or_default();
            match crate::json::parse(first) {
                Ok(root) if form == frame::Form::JsonLines => validator.lint_record(&root, first, want),
                _ => validator.lint_url_line(first, 0, want),
            }
        }
    };
    match outcome.call {
        Some(recorded) => Ok(recorded.call),
        None => Err(usage(match (outcome.skipped, outcome.api) {
            (Some(reason), _) => format!("`{name}` holds no call to evaluate: {reason}"),
            _ => format!("`{name}` holds no call of a known API"),
        })),
    }
}

pub fn run(args: &SimulateArgs) -> Result<Outcome, AppError> {
    let session = Session::new(&args.session, args.color, None)?;
    let catalog = session.catalog();
    let mut call = match (&args.request, &args.action) {
        (Some(path), _) => recorded_call(catalog, path, args.account.as_deref(), args.record)?,
        (None, Some(action)) => {
            check_action(catalog, action)?;
            let resources = if args.resource.is_empty() { vec!["*".to_string()] } else { args.resource.clone() };
            Call { action: action.clone(), resources, context: Context::default(), open: Default::default() }
        }
        (None, None) => {
            return Err(AppError::Usage {
                message: "nothing to evaluate".into(),
                help: "give `--action` (and `--resource`), or `--request FILE`".into(),
            })
        }
    };
    let set = PolicySet::read(&args.policy)?;
    for warning in crate::lint::policy_warnings(&set, catalog) {
        crate::report::to_stderr(format_args!("{warning}"));
    }
    // The command line's keys replace the record's.
    for (key, _) in &args.context {
        call.context.remove(key);
    }
    for (key, value) in &args.context {
        call.context.add(key, value);
    }
    if !call.context.has("acs:CurrentTime") {
        call.context.add("acs:CurrentTime", &crate::time::format_millis(crate::config::now_ms()));
    }
    let evaluation = set.explain(&call);
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&evaluation.to_json(&set)).unwrap_or_default();
            writeln!(out, "{json}")?;
        }
        ListFormat::Text => {
            write!(out, "{}", crate::eval::render::text(&evaluation, &set, session.color()))?;
        }
    }
    out.flush()?;
    Ok(if evaluation.decision == Decision::Allow { Outcome::Clean } else { Outcome::Findings })
}
