//! `ramlint actions PATTERN`: query the action catalog.

use super::{AppError, Outcome, Session};
use crate::catalog::{wildcard, Catalog};
use crate::cli::ListFormat as Format;
use crate::cli::{ActionsArgs, Color};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Entry {
    action: String,
    access: Option<String>,
    catalogued: bool,
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
                resources,
                condition_keys: action.condition_keys.clone(),
            });
        }
    }
    out
}

pub fn run(args: &ActionsArgs) -> Result<Outcome, AppError> {
    let session = Session::new(&args.session, Color::Never, None)?;
    let found = entries(session.catalog(), &args.pattern);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&found).unwrap_or_default())?,
        Format::Text => {
            let detailed = found.len() == 1;
            for e in &found {
                let types = match &e.resources {
                    Some(r) => r.iter().map(|r| r.type_id.as_str()).collect::<Vec<_>>().join(", "),
                    None => "(resource types not documented)".into(),
                };
                writeln!(out, "{:<48} {:<7} {types}", e.action, e.access.as_deref().unwrap_or("-"))?;
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
