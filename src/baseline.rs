//! `--baseline FILE`: accept the findings of today and report only new ones later. Findings
//! are matched by a fingerprint of rule, file, record and JSON Pointer, so reformatting a
//! document (which moves lines and columns) does not make old findings new.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    rule: String,
    file: String,
    record: Option<usize>,
    pointer: String,
    fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

fn of(d: &Diagnostic) -> String {
    crate::report::fingerprint_in(d.rule, &d.file, d.record, d.resource.as_deref(), &d.pointer)
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot use the baseline `{path}`: {message}")]
#[diagnostic(code(ramlint::baseline), help("{help}"))]
pub struct BaselineError {
    path: String,
    message: String,
    help: &'static str,
}

/// The help of a baseline that cannot be used: how to (re)write it.
const REWRITE: &str =
    "write the findings of today with `ramlint check --baseline FILE --update-baseline ...`, and commit the file";

/// Writes the findings as a baseline.
pub fn write(path: &Path, diagnostics: &[&Diagnostic]) -> Result<(), BaselineError> {
    let err = |message: String| BaselineError {
        path: path.display().to_string(),
        message,
        help: "check that the folder exists and can be written",
    };
    let findings = diagnostics
        .iter()
        .map(|d| Entry {
            rule: d.rule.to_string(),
            file: d.file.clone(),
            record: d.record,
            pointer: d.pointer.clone(),
            fingerprint: of(d),
        })
        .collect();
    let text = serde_json::to_string_pretty(&File { version: 1, findings }).map_err(|e| err(e.to_string()))?;
    std::fs::write(path, text + "\n").map_err(|e| err(e.to_string()))
}

/// Removes the findings the baseline holds (each baseline entry hides as many findings as it
/// was written for); returns how many were hidden. A baseline that does not exist is an error:
/// a run that hid nothing because of a wrong path must not pass.
pub fn filter(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<usize, BaselineError> {
    let err = |message: String| BaselineError { path: path.display().to_string(), message, help: REWRITE };
    if !path.exists() {
        return Err(err("the file does not exist".into()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let file: File = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
    let mut known: BTreeMap<String, usize> = BTreeMap::new();
    for e in file.findings {
        *known.entry(e.fingerprint).or_default() += 1;
    }
    let before = diagnostics.len();
    diagnostics.retain(|d| match known.get_mut(&of(d)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    Ok(before - diagnostics.len())
}
