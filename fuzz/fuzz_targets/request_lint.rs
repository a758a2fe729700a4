//! `ramlint check --kind request` of one file (a recorded call, an array, JSON Lines, URL
//! lines) and its JSON and SARIF reports.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use ramlint::lint::Kind;
use ramlint::report::Format;

fuzz_target!(|data: &[u8]| {
    let name = if data.first() == Some(&b'/') || data.starts_with(b"http") { "calls.txt" } else { "calls.jsonl" };
    let Some(report) = common::lint_bytes(name, data, Some(Kind::Request)) else { return };
    let json = common::render(&report, Format::Json);
    assert!(serde_json::from_slice::<serde_json::Value>(&json).is_ok(), "the JSON report is not JSON");
    common::render(&report, Format::Sarif);
});
