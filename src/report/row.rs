//! A finding in the contract's shape: the row every format writes, and what the audit keeps of
//! a finding on disk.

use crate::diagnostic::Diagnostic;
use crate::finding::Severity;
use serde::{Deserialize, Serialize};

/// One diagnostic of the JSON report (`/work/shared/docs/contract.md`, "JSON output"); the
/// field order is the report's.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Row {
    pub rule: String,
    pub severity: Severity,
    pub category: String,
    pub message: String,
    pub help: Option<String>,
    pub file: String,
    pub record: Option<usize>,
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The resource that holds an embedded policy (Terraform address and attribute, ROS path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
}

impl Row {
    pub fn of(d: &Diagnostic) -> Row {
        Row {
            rule: d.rule.to_string(),
            severity: d.severity,
            category: d.category.as_str().to_string(),
            message: d.message.clone(),
            help: d.help.clone(),
            file: d.file.clone(),
            record: d.record,
            pointer: d.pointer.clone(),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            resource: d.resource.clone(),
        }
    }

    /// The contract's order within a file: record, line, column, rule.
    pub fn key(&self) -> (Option<usize>, usize, usize, &str, &str) {
        (self.record, self.line, self.column, &self.rule, &self.message)
    }

    /// What identifies the finding regardless of layout (see [`fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint_in(&self.rule, &self.file, self.record, self.resource.as_deref(), &self.pointer)
    }
}

/// The fingerprint of a finding, from rule, file, record and JSON Pointer (not line and
/// column, so that reformatting keeps it): baselines and SARIF's `partialFingerprints`.
pub fn fingerprint(rule: &str, file: &str, record: Option<usize>, pointer: &str) -> String {
    let record = record.map(|r| r.to_string()).unwrap_or_default();
    let h = crate::hash::Fnv64::default()
        .field(rule.as_bytes())
        .field(file.trim_start_matches("./").as_bytes())
        .field(record.as_bytes())
        .field(pointer.as_bytes());
    format!("{:016x}", h.finish())
}

/// [`fingerprint`] of a finding that may be in an embedded policy: there the resource that
/// holds it stands for the record number, so that adding a resource before it keeps it.
pub fn fingerprint_in(rule: &str, file: &str, record: Option<usize>, resource: Option<&str>, pointer: &str) -> String {
    match resource {
        Some(resource) => {
            let h = crate::hash::Fnv64::default()
                .field(rule.as_bytes())
                .field(file.trim_start_matches("./").as_bytes())
                .field(resource.as_bytes())
                .field(pointer.as_bytes());
            format!("{:016x}", h.finish())
        }
        None => fingerprint(rule, file, record, pointer),
    }
}

#[cfg(test)]
mod tests {
    /// Baselines and SARIF fingerprints are stored by users: the value must never change.
    #[test]
    fn fingerprint_is_pinned() {
        assert_eq!(
            super::fingerprint("invalid-effect", "./policies/eip.json", None, "/Statement/0/Effect"),
            "dad1098617e4c97e"
        );
    }
}
