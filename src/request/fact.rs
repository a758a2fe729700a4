//! What the sequence rules need to know about a linted call: which API, when, whether it
//! was accepted, which resource it names, and its client token.

use crate::catalog::apis::ApiSpec;
use crate::catalog::Catalog;
use crate::model::request::{At, Request};
use std::sync::Arc;

/// What the sequence rules keep of a call. Only a call that names a resource key or a client
/// token is kept, so the rest (the interned API name, the parsed time) is only worked out for
/// those: `api` is `None` for a call that is not kept.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The API, interned; `None` when the call names no resource key and no client token.
    pub api: Option<Arc<str>>,
    /// A query (read-only) API: allowed while a resource is pending.
    pub query: bool,
    /// Event time in milliseconds since the epoch (`eventTime`, or the `Timestamp` parameter).
    pub time: Option<i64>,
    /// No error code was recorded.
    pub accepted: bool,
    /// The first resource of `rules/sequences.json` whose key a call that is no query names:
    /// (its index, the key's value, where the value is).
    pub key: Option<(usize, String, At)>,
    /// The hash of the client token, and where it is.
    pub token: Option<(u64, At)>,
    /// A hash of the call's parameters other than the client token and common parameters.
    pub fingerprint: u64,
    /// The record is an ActionTrail event.
    pub in_event: bool,
}

pub fn extract(catalog: &Catalog, request: &Request<'_>, api_name: &str, api: &ApiSpec, text: &str) -> Fact {
    let query = api.read_only || matches!(api.access.as_deref(), Some("get" | "list"));
    // Queries take no part in the pending-state rules: their resource keys are not kept.
    let key = if query {
        None
    } else {
        catalog.sequences.iter().enumerate().find_map(|(kind, r)| {
            request.param(&r.key).map(|p| (kind, p.value.as_text(text).to_string(), p.value_at()))
        })
    };
    let token = request.param("ClientToken");
    let mut fact = Fact {
        api: None,
        query,
        time: None,
        accepted: request.error_code.is_none(),
        key: None,
        token: None,
        fingerprint: 0,
        in_event: request.shape == crate::model::request::Shape::Event,
    };
    if key.is_none() && token.is_none() {
        return fact;
    }
    let time = request.event_time.as_deref().or_else(|| {
        request.param("Timestamp").and_then(|p| match &p.value {
            crate::model::request::ParamValue::Text(t) => Some(t.as_str()),
            crate::model::request::ParamValue::Json(n) => n.as_str(),
        })
    });
    fact.time = time.and_then(crate::time::parse_millis);
    fact.api = Some(catalog.intern(api_name));
    fact.key = key;
    // The fingerprint only matters to compare calls that share a client token.
    if let Some(token) = token {
        fact.token = Some((crate::hash::of_str(token.value.as_text(text)), token.value_at()));
        let common = &catalog.apis.common;
        let mut params: Vec<(&str, &str)> = request
            .params
            .iter()
            .filter(|p| {
                p.name != "ClientToken" && !common.rpc.contains(&*p.name) && !common.actiontrail.contains(&*p.name)
            })
            .map(|p| (&*p.name, p.value.as_text(text)))
            .collect();
        // Equal pairs hash alike whatever their order: no stable sort needed.
        params.sort_unstable();
        let mut hasher = crate::hash::Fnv64::default().field(api_name.as_bytes());
        for (name, value) in &params {
            hasher = hasher.field(name.as_bytes()).field(value.as_bytes());
        }
        fact.fingerprint = hasher.finish();
    }
    fact
}
