//! `ramlint actions PATTERN`: query the action catalog.

use super::{AppError, Outcome, Session};
use crate::catalog::{suggest, wildcard, Catalog, Provenance};
use crate::cli::ListFormat as Format;
use crate::cli::{ActionsArgs, Color};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Entry {
    action: String,
    access: Option<String>,
    catalogued: bool,
    /// Where the service's list comes from: `authoritative`, `derived` (API names) or `partial`.
    list: Provenance,
    /// The date of the metadata snapshot the list was built from.
    catalog_date: Option<String>,
    /// The API is deprecated (still a known action).
    deprecated: bool,
    /// `None` when the catalog does not document the action's resource types.
    resources: Option<Vec<Resource>>,
    condition_keys: Vec<String>,
}

#[derive(Serialize)]
struct Resource {
    #[serde(rename = "type")]
    type_id: String,
    arn: Option<String>,
}

fn entries(catalog: &Catalog, pattern: &str) -> Vec<Entry> {
    let (code, name) = pattern.split_once(':').unwrap_or((pattern, "*"));
    let codes: Vec<String> =
        catalog.action_services().filter(|c| wildcard::matches(code, c, true)).map(str::to_string).collect();
    let mut out = Vec::new();
    for c in codes {
        let Some(service) = catalog.service(&c) else { continue };
        for action in service.matching(name) {
            let resources = action.resources.as_ref().map(|types| {
                types
                    .iter()
                    .map(|t| Resource {
                        type_id: t.clone(),
                        arn: catalog
                            .resource_types
                            .get(t)
                            .map(|ty| ty.spec.arn.clone())
                            .or_else(|| (t == "*").then(|| "*".to_string())),
                    })
                    .collect()
            });
            out.push(Entry {
                action: format!("{c}:{}", action.name),
                access: action.access.clone(),
                catalogued: service.catalogued,
                list: service.provenance,
                catalog_date: service.catalog_date.clone(),
                deprecated: action.deprecated,
                resources,
                condition_keys: action.condition_keys.clone(),
            });
        }
    }
    out
}

/// What to say when a pattern matches nothing: the RAM code to use instead of an alias (`eip`
/// -> `vpc`), the closest code, or, for a bare API name, the actions of that name.
fn no_match_hint(catalog: &Catalog, pattern: &str) -> Option<String> {
    let Some((code, name)) = pattern.split_once(':') else {
        // A bare name: an API name is looked up in every list (this parses them all, once).
        if wildcard::has_wildcard(pattern) || pattern.is_empty() {
            return None;
        }
        let all: Vec<(String, bool)> = catalog
            .action_services()
            .filter_map(|c| catalog.service(c)?.get(pattern).map(|a| (format!("{c}:{}", a.name), a.deprecated)))
            .collect();
        // A deprecated copy (`ecs:UnassociateEipAddress`) only when nothing current has the name.
        let current = all.iter().any(|(_, deprecated)| !deprecated);
        let found: Vec<String> =
            all.into_iter().filter(|(_, deprecated)| !current || !deprecated).map(|(a, _)| a).take(5).collect();
        return match found.as_slice() {
            [] => suggest::did_you_mean(pattern, catalog.service_codes()),
            [one] => Some(format!("an action is `<ram-code>:<name>`: did you mean `{one}`?")),
            many => Some(format!(
                "an action is `<ram-code>:<name>`: did you mean one of {}?",
                many.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            )),
        };
    };
    if wildcard::has_wildcard(code) {
        return None;
    }
    if let Some(alias) = catalog.alias(code) {
        let reason = alias.reason.clone().unwrap_or_else(|| format!("this product's RAM code is `{}`", alias.use_code));
        return Some(format!("{reason}: did you mean `{}:{name}`?", alias.use_code));
    }
    if !catalog.is_service(code) {
        let codes: Vec<&str> = catalog.action_services().collect();
        return suggest::closest(code, codes.iter().copied())
            .map(|c| format!("`{code}` is not a RAM code with an action list: did you mean `{c}:{name}`?"))
            .or_else(|| Some(format!("`{code}` is not a RAM code with an action list")));
    }
    let Some(service) = catalog.service(code) else {
        return Some(format!("the catalog lists no actions of `{code}`"));
    };
    if wildcard::has_wildcard(name) {
        return None;
    }
    suggest::closest(name, service.actions.iter().map(|a| a.name.as_str()))
        .map(|c| format!("did you mean `{}:{c}`?", service.code))
}

pub fn run(args: &ActionsArgs) -> Result<Outcome, AppError> {
    let session = Session::new(&args.session, Color::Never, None)?;
    let found = entries(session.catalog(), &args.pattern);
    if found.is_empty() {
        let hint = no_match_hint(session.catalog(), &args.pattern);
        let mut err = std::io::stderr().lock();
        writeln!(err, "no action matches `{}`", args.pattern)?;
        if let Some(hint) = hint {
            writeln!(err, "  help: {hint}")?;
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&found).unwrap_or_default())?,
        Format::Text => {
            let detailed = found.len() == 1;
            let mut last_service = String::new();
            for e in &found {
                let service = e.action.split_once(':').map(|(c, _)| c).unwrap_or_default();
                if service != last_service {
                    last_service = service.to_string();
                    let date = e.catalog_date.as_deref().unwrap_or("unknown date");
                    let about = match e.list {
                        Provenance::Authoritative => format!("authoritative list, catalog of {date}"),
                        // Mostly the snapshot's API names, with the names of retired API
                        // versions and of official policies (rules/README.md).
                        Provenance::Derived => format!(
                            "derived list: API names of the product (metadata snapshot of {date}, plus retired API \
                             versions and official policies)"
                        ),
                        Provenance::Partial => format!("partial list (unknown actions not judged), {date}"),
                    };
                    writeln!(out, "# {service}: {about}")?;
                }
                let types = match &e.resources {
                    Some(r) => r.iter().map(|r| r.type_id.as_str()).collect::<Vec<_>>().join(", "),
                    None => "(resource types not documented)".into(),
                };
                let deprecated = if e.deprecated { " (deprecated)" } else { "" };
                writeln!(out, "{:<48} {:<7} {types}{deprecated}", e.action, e.access.as_deref().unwrap_or("-"))?;
                if detailed {
                    for r in e.resources.iter().flatten() {
                        writeln!(out, "    {:<20} {}", r.type_id, r.arn.as_deref().unwrap_or("(no ARN template)"))?;
                    }
                    if !e.condition_keys.is_empty() {
                        writeln!(out, "    condition keys: {}", e.condition_keys.join(", "))?;
                    }
                }
            }
            writeln!(out, "{} action{}", found.len(), if found.len() == 1 { "" } else { "s" })?;
        }
    }
    Ok(if found.is_empty() { Outcome::Findings } else { Outcome::Clean })
}
