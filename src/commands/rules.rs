//! `ramlint rules`: the registry, as a table or JSON.

use super::{AppError, Outcome};
use crate::cli::{ListFormat, RulesArgs};
use std::io::Write;

pub fn run(args: &RulesArgs) -> Result<Outcome, AppError> {
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = crate::rules::ALL
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"id": m.id, "severity": m.severity.as_str(), "category": m.category.as_str(), "subject": m.subject.as_str(), "fixable": m.fixable, "summary": m.summary})
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default())?;
        }
        ListFormat::Text => {
            writeln!(out, "{:<28} {:<8} {:<11} {:<8} {:<3} SUMMARY", "RULE", "SEVERITY", "CATEGORY", "SUBJECT", "FIX")?;
            for r in crate::rules::ALL {
                let m = r.meta();
                writeln!(
                    out,
                    "{:<28} {:<8} {:<11} {:<8} {:<3} {}",
                    m.id,
                    m.severity.as_str(),
                    m.category.as_str(),
                    m.subject.as_str(),
                    if m.fixable { "yes" } else { "" },
                    m.summary
                )?;
            }
        }
    }
    Ok(Outcome::Clean)
}
