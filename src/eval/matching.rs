//! Matching patterns of a statement against a request: actions ignore case, resources do
//! not; a request resource with a wildcard (an id the call does not name) must be covered as
//! a whole; ARN fields the record does not name (`Open`) match anything.

use super::Open;
use crate::catalog::wildcard;

/// Whether an action pattern matches an action (ignoring case).
pub(super) fn action_matches(pattern: &str, action: &str) -> bool {
    pattern == "*" || wildcard::matches(pattern, action, true)
}

/// Whether a resource pattern matches a request resource; one with a wildcard (an id the
/// call does not name) must be covered as a whole.
pub(super) fn resource_matches(pattern: &str, resource: &str, open: Open) -> bool {
    if pattern == "*" {
        return true;
    }
    let whole = |p: &str, r: &str| {
        if wildcard::has_wildcard(r) {
            wildcard::covers(p, r, false)
        } else {
            wildcard::matches(p, r, false)
        }
    };
    if !open.region && !open.account && !open.relative {
        return whole(pattern, resource);
    }
    field_wise(pattern, resource, open, whole)
}

/// Whether some resource matches both patterns (sufficient for the cases that occur: in each
/// field one side is literal, or one covers the other).
pub(super) fn overlaps(a: &str, b: &str, open: Open) -> bool {
    if a == "*" || b == "*" {
        return true;
    }
    let field = |x: &str, y: &str| {
        wildcard::matches(x, y, false) || wildcard::matches(y, x, false) || wildcard::covers(x, y, false)
    };
    field_wise(a, b, open, field)
}

/// `field` over the five ARN fields of both sides, skipping the unknown (`open`) ones; over
/// the whole texts when either is not a five-field ARN.
fn field_wise(a: &str, b: &str, open: Open, field: impl Fn(&str, &str) -> bool) -> bool {
    let fa: Vec<&str> = a.splitn(5, ':').collect();
    let fb: Vec<&str> = b.splitn(5, ':').collect();
    match (fa.as_slice(), fb.as_slice()) {
        ([a0, a1, a2, a3, a4], [b0, b1, b2, b3, b4]) => {
            field(a0, b0)
                && field(a1, b1)
                && (open.region || field(a2, b2))
                && (open.account || field(a3, b3))
                && (open.relative || field(a4, b4))
        }
        _ => field(a, b),
    }
}
