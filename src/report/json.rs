//! `--format json`: the stable, versioned report of the contract.

use crate::diagnostic::Diagnostic;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a, S: Serialize> {
    version: u32,
    tool: Tool,
    summary: &'a S,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    category: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    record: Option<usize>,
    pointer: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub fn render<'a, S: Serialize>(summary: &S, diagnostics: impl Iterator<Item = &'a Diagnostic>) -> String {
    let report = Report {
        version: 1,
        tool: Tool { name: "ramlint", version: env!("CARGO_PKG_VERSION") },
        summary,
        diagnostics: diagnostics
            .map(|d| JsonDiagnostic {
                rule: d.rule,
                severity: d.severity.as_str(),
                category: d.category.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                file: &d.file,
                record: d.record,
                pointer: &d.pointer,
                line: d.line,
                column: d.column,
                end_line: d.end_line,
                end_column: d.end_column,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
