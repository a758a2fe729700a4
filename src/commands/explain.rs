//! `ramlint explain RULE`: a rule's documentation page.

use super::{AppError, Outcome};
use crate::catalog::suggest;
use std::io::Write;

pub fn run(rule: &str) -> Result<Outcome, AppError> {
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
