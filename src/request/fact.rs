//! What the sequence rules need to know about a linted call: which API, when, whether it
//! was accepted, which resources it names, and its client token.

use crate::catalog::apis::ApiSpec;
use crate::catalog::Catalog;
use crate::finding::Target;
use crate::model::request::Request;

#[derive(Debug, Clone)]
pub struct Fact {
    pub api: String,
    /// A query (read-only) API: allowed while a resource is pending.
    pub query: bool,
    /// Event time in milliseconds since the epoch (`eventTime`, or the `Timestamp` parameter).
    pub time: Option<i64>,
    /// No error code was recorded.
    pub accepted: bool,
    /// Resource keys of `rules/sequences.json` present in the call: (parameter, value, where).
    pub keys: Vec<(String, String, Target)>,
    pub token: Option<(String, Target)>,
    /// A hash of the call's parameters other than the client token and common parameters.
    pub fingerprint: u64,
    /// The record is an ActionTrail event.
    pub in_event: bool,
}

pub fn extract(catalog: &Catalog, request: &Request<'_>, api_name: &str, api: &ApiSpec, text: &str) -> Fact {
    let time = request.event_time.as_deref().or_else(|| {
        request.param("Timestamp").and_then(|p| match &p.value {
            crate::model::request::ParamValue::Text(t) => Some(t.as_str()),
            crate::model::request::ParamValue::Json(n) => n.as_str(),
        })
    });
    let query = api.read_only || matches!(api.access.as_deref(), Some("get" | "list"));
    // Queries take no part in the pending-state rules: their resource keys are not kept.
    let keys = if query {
        Vec::new()
    } else {
        catalog
            .sequences
            .iter()
            .filter_map(|r| request.param(&r.key).map(|p| (r.key.clone(), p.value.text(text), p.value_target())))
            .collect()
    };
    let token = request.param("ClientToken").map(|p| (p.value.text(text), p.value_target()));
    // The fingerprint only matters to compare calls that share a client token.
    let fingerprint = if token.is_some() {
        let common = &catalog.apis.common;
        let mut params: Vec<(&str, String)> = request
            .params
            .iter()
            .filter(|p| {
                p.name != "ClientToken" && !common.rpc.contains(&*p.name) && !common.actiontrail.contains(&*p.name)
            })
            .map(|p| (&*p.name, p.value.text(text)))
            .collect();
        params.sort();
        let mut hasher = crate::hash::Fnv64::default().field(api_name.as_bytes());
        for (name, value) in &params {
            hasher = hasher.field(name.as_bytes()).field(value.as_bytes());
        }
        hasher.finish()
    } else {
        0
    };
    Fact {
        api: api_name.to_string(),
        query,
        time: time.and_then(crate::time::parse_millis),
        accepted: request.error_code.is_none(),
        keys,
        token,
        fingerprint,
        in_event: request.shape == crate::model::request::Shape::Event,
    }
}
