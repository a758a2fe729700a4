//! Differential: ramlint's strict RFC 8259 parser against serde_json, on accept or reject and,
//! when both accept, on the value (the last duplicate key wins in both).
//!
//! Where they may differ, by design (docs/fuzzing.md):
//! - nesting: ramlint stops at `json::MAX_DEPTH` levels and serde_json at its recursion limit
//!   (128); a disagreement where either reports its nesting cap is not compared;
//! - numbers: ramlint keeps a number as written, serde_json rejects one outside the `f64`
//!   range (`1e400`) when it builds a value;
//! - a leading byte order mark: ramlint skips it, serde_json does not (it is given the text
//!   without it);
//! - bytes that are not UTF-8: ramlint's framer decodes before parsing; not compared.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = ramlint::json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text.strip_prefix('\u{feff}').unwrap_or(text));
    match (&ours, &theirs) {
        (Ok(node), Ok(value)) => {
            assert_eq!(&node.to_serde(), value, "the parsers read different values");
            assert!(node.span.end <= text.len());
        }
        (Err(e), Err(_)) => {
            assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "error span {:?} out of the text", e.span);
        }
        (Ok(_), Err(e)) => {
            let why = e.to_string();
            assert!(
                why.contains("recursion limit exceeded") || why.contains("number out of range"),
                "ramlint accepts what serde_json rejects: {why}"
            );
        }
        (Err(e), Ok(_)) => {
            assert!(e.message.contains("nesting is deeper"), "ramlint rejects what serde_json accepts: {}", e.message);
        }
    }
});
