//! Recorded API requests: RPC parameter objects, ActionTrail events and request URLs,
//! validated against the API specifications of `rules/apis/`. The engine of the request
//! subject: [`Validator`] checks each record into a `model::request::checked::CheckedRequest`
//! and every rule's `check_request` turns it into findings.

pub mod fact;
pub mod instance;
pub mod schema;
mod validate;

pub use validate::Validator;

use crate::catalog::Catalog;
use crate::finding::Finding;
use crate::json::Node;
use crate::model::request::checked::{CheckedRequest, SkipReason};
use crate::model::request::{self as model, Request};
use crate::rules::{self, Context};

/// What linting one record found, and whether it was linted at all.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Why the record was not linted (not an API call, product not in the catalog).
    pub skipped: Option<SkipReason>,
    /// The API, when it resolved.
    pub api: Option<String>,
    /// The recorded error code, if any.
    pub error_code: Option<String>,
    /// What the sequence rules need, for linted calls.
    pub fact: Option<fact::Fact>,
    /// The call as RAM would authorize it (when asked for, and the API resolved).
    pub call: Option<crate::eval::call::Recorded>,
}

/// What linting a record should keep besides findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Want<'a> {
    /// What the sequence rules need (`audit`).
    pub facts: bool,
    /// The authorization request (`audit --policy`, `generate`).
    pub calls: bool,
    /// The account of calls whose record names none.
    pub account: Option<&'a str>,
    /// The context keys to extract (lowercase); `None`: all of them.
    pub keys: Option<&'a [String]>,
}

impl Validator<'_> {
    /// Lints one recorded request (a JSON record).
    pub fn lint_record(&self, root: &Node, text: &str, want: Want<'_>) -> Outcome {
        let mut cx = Context::new(self.catalog(), text, &rules::NO_PROJECT);
        rules::check_document(root, &mut cx);
        let request = model::from_json(root);
        let mut outcome = self.lint_request(&request, text, want);
        let mut findings = cx.into_findings();
        findings.append(&mut outcome.findings);
        outcome.findings = findings;
        outcome
    }

    /// Lints one request URL or query-string line starting at byte `base` of the file.
    pub fn lint_url_line(&self, line: &str, base: usize, want: Want<'_>) -> Outcome {
        let request = model::from_url(line, base);
        self.lint_request(&request, line, want)
    }

    /// Lints a request read from any shape, keeping what `want` asks for.
    pub fn lint_request(&self, request: &Request<'_>, text: &str, want: Want<'_>) -> Outcome {
        self.validate(request, text, want)
    }
}

/// Lints a record of a request log that is JSON but not a recorded call (`text`: what its
/// spans index into).
pub fn lint_not_a_request(catalog: &Catalog, record: &Node, text: &str) -> Vec<Finding> {
    check(catalog, text, &CheckedRequest::NotARequest(record))
}

/// Runs every rule's request hook over a checked record.
fn check(catalog: &Catalog, text: &str, subject: &CheckedRequest<'_>) -> Vec<Finding> {
    let mut cx = Context::new(catalog, text, &rules::NO_PROJECT);
    rules::check_request(subject, &mut cx);
    cx.into_findings()
}
