//! Recorded API requests: RPC parameter objects, ActionTrail events and request URLs.

pub mod url;

use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::json::{Node, Pointer};
use crate::rules::Context;

/// Lints one recorded request (a JSON record).
pub fn lint_record(catalog: &Catalog, root: &Node, text: &str) -> Vec<Finding> {
    let mut cx = Context::new(catalog, text);
    crate::rules::duplicate_key_check(root, &Pointer::root(), &mut cx);
    cx.into_findings()
}

/// Lints one request URL or query-string line starting at byte `base` of the file.
pub fn lint_url_line(_catalog: &Catalog, _line: &str, _base: usize) -> Vec<Finding> {
    Vec::new()
}
