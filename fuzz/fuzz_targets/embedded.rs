//! The readers of policies where they live (Terraform HCL, `.tf.json`, ROS JSON and YAML,
//! Terraform plans), then the policy rules over what they extract: no panic, and every span
//! of a derived document maps inside the host text.
//!
//! Input: a mode byte (bits 0-2 pick the host and file name), then the file's text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ramlint::frame::embed::{self, Body, Host};
use ramlint::json::Span;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (host, name) = match mode & 7 {
        0 | 1 => (Host::Terraform, "main.tf"),
        2 => (Host::Terraform, "main.tf.json"),
        3 => (Host::Ros, "template.json"),
        4 | 5 => (Host::Ros, "template.yaml"),
        _ => (Host::Plan, "plan.json"),
    };
    let out = embed::extract(host, name, text);
    for doc in &out.documents {
        match &doc.body {
            Body::Text { text: derived, map, unknown, .. } => {
                for at in [0, derived.len() / 2, derived.len()] {
                    let s = map.span(Span::new(at, derived.len()));
                    assert!(s.start <= s.end && s.end <= text.len(), "{s:?} outside the host");
                }
                for u in unknown {
                    assert!(u.start <= u.end && u.end <= derived.len());
                }
                let _ = ramlint::json::parse(derived);
            }
            Body::Tree { root, .. } => assert!(root.span.end <= text.len()),
            Body::File { at, .. } => assert!(at.end <= text.len()),
        }
    }
    let _ = embed::template_file(text);
});
