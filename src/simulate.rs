//! `ramlint simulate`: evaluate one call against policies and show the decision's trace.

use crate::app::{AppError, Outcome};
use crate::catalog::{suggest, Catalog, CatalogError};
use crate::cli::{Color, ListFormat, SimulateArgs};
use crate::eval::{Call, Context, Decision, PolicySet};
use std::io::{IsTerminal, Write};

/// `KEY=VALUE` of `--context`.
pub fn parse_context(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not KEY=VALUE, e.g. acs:SourceIp=203.0.113.7")),
    }
}

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
    if crate::catalog::glob::has_wildcard(action) {
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
    if let Some(service) = catalog.service(code).filter(|s| s.catalogued) {
        if service.get(name).is_none() {
            let help = suggest::closest(name, service.actions.iter().map(|a| a.name.as_str()))
                .map(|c| format!("did you mean `{code}:{c}`?"))
                .unwrap_or_else(|| format!("`ramlint actions '{code}:*'` lists the actions of `{code}`"));
            return Err(usage(format!("unknown action `{action}`"), help));
        }
    }
    Ok(())
}

pub fn run(args: &SimulateArgs) -> Result<Outcome, AppError> {
    let catalog = Catalog::embedded()
        .map_err(|e| CatalogError::Parse { file: "embedded rules".into(), message: e.to_string() })?;
    check_action(catalog, &args.action)?;
    let set = PolicySet::read(&args.policy)?;
    for warning in set.warnings(catalog) {
        eprintln!("{warning}");
    }
    let mut context = Context::default();
    for (key, value) in &args.context {
        context.add(key, value);
    }
    if !context.has("acs:CurrentTime") {
        context.add("acs:CurrentTime", &crate::time::format_millis(crate::config::now_ms()));
    }
    let resources = if args.resource.is_empty() { vec!["*".to_string()] } else { args.resource.clone() };
    let call = Call { action: args.action.clone(), resources, context, open: Default::default() };
    let evaluation = set.explain(&call);
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&evaluation.to_json(&set)).unwrap_or_default();
            writeln!(out, "{json}")?;
        }
        ListFormat::Text => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            write!(out, "{}", crate::eval::render::text(&evaluation, &set, color))?;
        }
    }
    out.flush()?;
    Ok(if evaluation.decision == Decision::Allow { Outcome::Clean } else { Outcome::Findings })
}
