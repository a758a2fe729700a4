//! A recorded call checked against its API's specification (`rules/apis/`): the subject of
//! the request rules. The request engine (`crate::request`) reads the record, looks its API
//! up and validates its parameters; what the specification says about the call is a list of
//! typed [`Violation`]s, which each rule turns into its findings.

use super::{Param, Request};
use crate::catalog::apis::{ApiSpec, CrossRule, ProductSpec};
use crate::finding::Target;
use crate::json::Node;
use std::fmt;

/// What the request rules look at: one record of a request input.
pub enum CheckedRequest<'a> {
    /// A record of a request log (an element of an array, a line) that is JSON but not a
    /// recorded call: not an object, or an object without `Action` or `eventName`.
    NotARequest(&'a Node<'a>),
    /// A line of a URL log with parameters but no `Action`: a query string on a line of its
    /// own, such as a continuation line that does not start with `&`.
    QueryWithoutAction(&'a Request<'a>),
    /// A recorded call of an API, known to the catalog or not.
    Call(CheckedCall<'a>),
}

/// A recorded call and what its API's specification says about it.
pub struct CheckedCall<'a> {
    pub request: &'a Request<'a>,
    /// The API the call resolved to; `None` when the catalog does not hold it (then the
    /// violations hold a [`Violation::UnknownApi`]).
    pub api: Option<KnownApi<'a>>,
    /// What the call breaks, in the order validation found it (the same problem may be
    /// reported more than once).
    pub violations: Vec<Violation<'a>>,
}

/// An API of the catalog.
#[derive(Clone, Copy)]
pub struct KnownApi<'a> {
    pub name: &'a str,
    pub product: &'a ProductSpec,
    pub spec: &'a ApiSpec,
}

/// A parameter value a violation is about.
#[derive(Debug, Clone)]
pub struct ValueAt {
    /// The parameter (its top-level name: `Tag`, for `Tag.1.Key`).
    pub param: String,
    /// The value as validated (typed, then shown as text).
    pub value: String,
    /// Where the value is in the record.
    pub target: Target,
}

/// One way a call breaks its API's specification.
pub enum Violation<'a> {
    /// The API is not in the catalog; `product`: the product the record names, when the
    /// catalog holds it.
    UnknownApi { name: &'a str, target: &'a Target, product: Option<&'a ProductSpec> },
    /// The record names an API version that its product does not have (or, without a
    /// product, that no product with an API of that name has); `versions`: the (product,
    /// version) pairs that exist.
    UnknownVersion { version: &'a str, target: Target, versions: Vec<(&'a str, &'a str)> },
    /// A parameter the API does not define (common parameters are not reported).
    UnknownParameter { param: &'a Param<'a> },
    /// A required parameter is absent; `when`: the cross-parameter rule that requires it,
    /// if it is one.
    Missing { name: String, when: Option<&'a CrossRule> },
    /// A signing parameter (`Signature`, `Timestamp`, `SignatureNonce`) written with an empty
    /// value.
    EmptySigning { param: &'a Param<'a> },
    /// A value that is not of the parameter's type (`expected`: the spec's type name).
    WrongType { at: ValueAt, expected: &'a str },
    /// A value outside the parameter's allowed values.
    NotInEnum { at: ValueAt, allowed: Vec<String> },
    /// A value that does not have the parameter's format (a format id of `rules/formats.json`).
    BadFormat { at: ValueAt, format: String },
    /// A value outside the parameter's limits.
    OutOfLimits { at: ValueAt, limit: Limit },
    /// A parameter the API ignores given the others (`rule`: the cross-parameter rule).
    NotApplicable { name: String, target: Target, rule: &'a CrossRule },
    /// An id that does not fit the instance type the call gives (or defaults to).
    InstanceTypeMismatch { at: ValueAt, rule: &'a CrossRule },
}

/// A limit of a parameter's specification that a value breaks (numbers as the spec writes
/// them).
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    Maximum(String),
    Minimum(String),
    ExclusiveMaximum(String),
    ExclusiveMinimum(String),
    MaxLength(u64),
    MinLength(u64),
    MaxItems(u64),
    MinItems(u64),
    Pattern(String),
    /// Any other constraint of the schema.
    Other,
}

/// Why a record was not linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// An ActionTrail event of another type (its `eventType`).
    NotApiCall(String),
    /// The record names no API.
    NoApiName,
    /// The product (or endpoint host) the record names is not in the catalog; `?` when it
    /// names neither.
    UnknownProduct(String),
    /// An ActionTrail event without `requestParameters` (missing log data).
    NoRequestParameters,
}

impl SkipReason {
    /// The group the summary counts the reason under.
    pub fn group(&self) -> &'static str {
        match self {
            SkipReason::NotApiCall(_) => "not an API call",
            SkipReason::NoApiName => "no API name",
            SkipReason::UnknownProduct(_) => "product not in the catalog",
            SkipReason::NoRequestParameters => "no requestParameters in the event",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NotApiCall(event_type) => write!(f, "an ActionTrail `{event_type}` event, not an API call"),
            SkipReason::NoApiName => f.write_str("no API name"),
            SkipReason::UnknownProduct(product) => write!(f, "product `{product}` is not in the catalog"),
            SkipReason::NoRequestParameters => f.write_str("the event has no `requestParameters` (missing log data)"),
        }
    }
}
