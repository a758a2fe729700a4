//! `--format sarif`: SARIF 2.1.0, with the rule list, physical locations with regions, the JSON
//! Pointer as a logical location, and fingerprints that survive reformatting.

use crate::audit::spill::Stored;
use crate::finding::Severity;
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph of a rule page's "What it does" section.
fn what_it_does(docs: &str) -> String {
    docs.split("## What it does")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").find(|p| !p.trim().is_empty()))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A fingerprint from what identifies a finding regardless of layout: rule, file, record and
/// pointer (not line and column).
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

fn fingerprint(d: &Stored) -> String {
    crate::baseline::fingerprint(&d.rule, &d.file, d.record, &d.pointer)
}

/// The whole SARIF log. `errors` are tool-level problems (unreadable inputs), reported as
/// notifications.
pub fn render(diagnostics: &[Stored], errors: &[(String, String)]) -> String {
    let rules: Vec<Value> = crate::rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": pascal(m.id),
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": what_it_does(m.docs)},
                "help": {"text": m.docs, "markdown": m.docs},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"category": m.category.as_str()}
            })
        })
        .collect();
    let index = |id: &str| crate::rules::ALL.iter().position(|r| r.meta().id == id);
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
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
                "partialFingerprints": {"ramlintFinding/v1": fingerprint(d)}
            });
            if let (Some(i), Some(obj)) = (index(&d.rule), result.as_object_mut()) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            if let (Some(record), Some(obj)) = (d.record, result.as_object_mut()) {
                obj.insert("properties".into(), json!({"record": record}));
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = errors
        .iter()
        .map(|(file, message)| {
            json!({
                "level": "error",
                "message": {"text": format!("cannot read `{file}`: {message}")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(file)}}}]
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "ramlint", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/ramlint/ramlint", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{"executionSuccessful": errors.is_empty(), "toolExecutionNotifications": notifications}]
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
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
}
