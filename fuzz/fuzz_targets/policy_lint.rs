//! `ramlint check` of one file (kind detected: a policy, a request or a log) and its text
//! report: no panic, every record counted, every span inside the text.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use ramlint::report::Format;

fuzz_target!(|data: &[u8]| {
    let Some(report) = common::lint_bytes("policy.json", data, None) else { return };
    common::render(&report, Format::Text);
});
