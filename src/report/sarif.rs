//! `--format sarif`: SARIF 2.1.0, with the rule list, physical locations with regions, the JSON
//! Pointer as a logical location, and fingerprints that survive reformatting.

use super::{nested, Row};
use crate::finding::Severity;
use serde_json::{json, Value};
use std::io::{self, Write};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub code scanning's `security-severity` of a security rule (a score out of 10: 7.0 to 8.9
/// is shown as high, 4.0 to 6.9 as medium, below 4.0 as low), from the rule's severity, so that
/// an error-level security finding (`full-admin`, `public-role-trust`) ranks above a warning.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// GitHub code scanning's `precision` of a rule (`very-high`, `high`, `medium`, `low`: how
/// likely a finding is a true positive), from its severity: an error claims what RAM or the API
/// rejects or never matches, with a documented source (CONTRIBUTING.md); a warning is a risk or
/// a likely mistake that can be intended; an info is a suggestion.
fn precision(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "very-high",
        Severity::Warning => "high",
        Severity::Info => "medium",
    }
}

/// Where a rule's page is read on the web: its file in the repository.
pub fn help_uri(id: &str) -> String {
    format!("https://github.com/ramlint/ramlint/blob/main/docs/rules/{id}.md")
}

/// The first paragraph of a rule page's "What it does" section.
fn what_it_does(docs: &str) -> String {
    docs.split("## What it does")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").find(|p| !p.trim().is_empty()))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A file name as a SARIF `uri-reference`: segments percent-encoded, absolute paths as
/// `file:///` URIs, standard input as `stdin`.
pub fn uri(file: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    if file == "<stdin>" {
        return "stdin".to_string();
    }
    let normal = file.replace('\\', "/");
    let encoded: Vec<String> = normal.split('/').map(|seg| utf8_percent_encode(seg, SEGMENT).to_string()).collect();
    let joined = encoded.join("/");
    if normal.starts_with('/') {
        format!("file://{joined}")
    } else {
        joined
    }
}

/// A rule's SARIF `name`: its id in PascalCase (`invalid-effect` -> `InvalidEffect`).
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|w| w.get(..1).map(str::to_uppercase).unwrap_or_default() + w.get(1..).unwrap_or_default())
        .collect()
}

/// The rule list, from the registry (every rule, whatever the run found).
fn rules() -> Vec<Value> {
    crate::rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            // GitHub reads `security-severity` only of rules tagged `security`.
            let mut properties = json!({
                "category": m.category.as_str(),
                "tags": [m.category.as_str()],
                "precision": precision(m.severity)
            });
            if let (crate::finding::Category::Security, Some(obj)) = (m.category, properties.as_object_mut()) {
                obj.insert("security-severity".into(), json!(security_severity(m.severity)));
            }
            json!({
                "id": m.id,
                "name": pascal(m.id),
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": what_it_does(m.docs)},
                "helpUri": help_uri(m.id),
                "help": {"text": m.docs, "markdown": m.docs},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": properties
            })
        })
        .collect()
}

fn result(d: &Row) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!(" ({help})"));
    }
    let mut result = json!({
        "ruleId": d.rule,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&d.file)},
                "region": {"startLine": d.line.max(1), "startColumn": d.column.max(1), "endLine": d.end_line.max(d.line).max(1), "endColumn": d.end_column.max(1)}
            },
            "logicalLocations": [{"fullyQualifiedName": if d.pointer.is_empty() { "/".to_string() } else { d.pointer.clone() }, "kind": "member"}]
        }],
        "partialFingerprints": {"ramlintFinding/v1": d.fingerprint()}
    });
    if let (Some(i), Some(obj)) = (crate::rules::ALL.iter().position(|r| r.meta().id == d.rule), result.as_object_mut())
    {
        obj.insert("ruleIndex".into(), json!(i));
    }
    if let (Some(record), Some(obj)) = (d.record, result.as_object_mut()) {
        let properties = match &d.resource {
            Some(resource) => json!({"record": record, "resource": resource}),
            None => json!({"record": record}),
        };
        obj.insert("properties".into(), properties);
    }
    if let (Some(resource), Some(logical)) =
        (&d.resource, result.pointer_mut("/locations/0/logicalLocations").and_then(Value::as_array_mut))
    {
        logical.push(json!({"fullyQualifiedName": resource, "kind": "resource"}));
    }
    result
}

/// Writes the SARIF log, results streamed. The bytes are those of the whole log
/// pretty-printed at once (members in name order: `invocations`, then `results`, then `tool`).
#[derive(Debug)]
pub struct SarifWriter {
    first: bool,
}

impl Default for SarifWriter {
    fn default() -> Self {
        SarifWriter { first: true }
    }
}

impl SarifWriter {
    /// `unreadable`: tool-level problems (inputs that could not be read), reported as error
    /// notifications; the skipped inputs of `files` are warning notifications (never silent).
    pub fn begin(
        &mut self,
        out: &mut dyn Write,
        unreadable: &[(String, String)],
        files: &[super::FileEntry],
    ) -> io::Result<()> {
        let notification = |level: &str, file: &str, text: String| {
            json!({
                "level": level,
                "message": {"text": text},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(file)}}}]
            })
        };
        let notifications: Vec<Value> = unreadable
            .iter()
            .map(|(file, message)| notification("error", file, format!("cannot read `{file}`: {message}")))
            .chain(files.iter().filter(|f| f.reason.is_some()).map(|f| {
                let reason = f.reason.as_deref().unwrap_or("not linted");
                notification("warning", &f.file, format!("skipped `{}`: {reason}", f.file))
            }))
            .collect();
        let invocations =
            json!([{"executionSuccessful": unreadable.is_empty(), "toolExecutionNotifications": notifications}]);
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {{\n      \"columnKind\": \"unicodeCodePoints\",\n      \"invocations\": {},\n      \"results\": [",
            nested(&invocations, 6)
        )
    }

    pub fn result(&mut self, out: &mut dyn Write, row: &Row) -> io::Result<()> {
        out.write_all(if self.first { b"\n        " } else { b",\n        " })?;
        self.first = false;
        out.write_all(nested(&result(row), 8).as_bytes())
    }

    pub fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let tool = json!({"driver": {"name": "ramlint", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/ramlint/ramlint", "rules": rules()}});
        writeln!(
            out,
            "{}],\n      \"tool\": {}\n    }}\n  ],\n  \"version\": \"2.1.0\"\n}}",
            if self.first { "" } else { "\n      " },
            nested(&tool, 6)
        )
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris() {
        assert_eq!(super::uri("policies/a b.json"), "policies/a%20b.json");
        assert_eq!(super::uri("/tmp/x.json"), "file:///tmp/x.json");
        assert_eq!(super::uri("<stdin>"), "stdin");
        assert_eq!(super::pascal("invalid-effect"), "InvalidEffect");
    }

    /// Streamed, the log is byte for byte the whole log pretty-printed at once.
    #[test]
    fn streamed_bytes_are_the_pretty_log() {
        let row = crate::report::Row {
            rule: "invalid-effect".into(),
            severity: crate::finding::Severity::Error,
            category: "syntax".into(),
            message: "`Alow` is not a valid effect".into(),
            help: Some("did you mean `Allow`?".into()),
            file: "a b.json".into(),
            record: Some(2),
            pointer: "/Statement/0/Effect".into(),
            line: 3,
            column: 4,
            end_line: 3,
            end_column: 10,
            resource: None,
        };
        for (rows, unreadable) in [(0, vec![]), (2, vec![("x.json".to_string(), "denied".to_string())])] {
            let mut out = Vec::new();
            let mut w = super::SarifWriter::default();
            w.begin(&mut out, &unreadable, &[]).unwrap();
            for _ in 0..rows {
                w.result(&mut out, &row).unwrap();
            }
            w.end(&mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let log: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string_pretty(&log).unwrap() + "\n");
            assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), rows);
        }
    }
}
