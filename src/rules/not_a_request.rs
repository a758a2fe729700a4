use super::Context;
use crate::finding::{Finding, Target};
use crate::json::Node;
use crate::model::request::checked::CheckedRequest;

crate::rule_meta!(
    META,
    "not-a-request",
    Warning,
    Audit,
    Request,
    "a record of a request log that is not a recorded API call"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_request(&self, request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
        match request {
            CheckedRequest::NotARequest(record) => cx.emit(finding(record)),
            CheckedRequest::QueryWithoutAction(line) => cx.emit(query_finding(line)),
            CheckedRequest::Call(_) => {}
        }
    }
}

/// The record (an element of an array or a line of a log) is JSON but names no API.
fn finding(record: &Node) -> Finding {
    let what = if record.as_object().is_some() {
        "an object without `Action` or `eventName`".to_string()
    } else {
        record.type_name().to_string()
    };
    Finding::new(&META, Target::opening(""), format!("this record is {what}, not a recorded API call"))
        .label("not a request")
        .help("a request log holds RPC parameter objects (with `Action`) or ActionTrail events (with `eventName`); the record is counted as unreadable")
}

/// A URL log line with parameters and no `Action`: its parameters belong to no call.
fn query_finding(line: &crate::model::request::Request<'_>) -> Finding {
    let target = line.params.first().map_or_else(|| Target::opening(""), |p| p.key());
    Finding::new(&META, target, "this line holds parameters but no `Action`, so they belong to no call".to_string())
        .label("no `Action` on this line")
        .help("a line that continues a request URL starts with `&`; a line that starts a request names its `Action`")
}
