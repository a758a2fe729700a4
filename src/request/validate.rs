//! Validation of one recorded call against its API specification: the record's API is looked
//! up, its parameters resolved and typed, and the JSON Schema compiled from the spec reports
//! what they break, as typed [`Violation`]s for the request rules.

use super::instance::{self, Params, Resolution};
use super::schema::Compiled;
use super::schema::Regions;
use super::{Outcome, Want};
use crate::catalog::apis::{ApiSpec, CrossRule, CrossRuleKind, Lookup, ProductSpec};
use crate::catalog::Catalog;
use crate::eval::call::Plan;
use crate::model::request::checked::{CheckedCall, CheckedRequest, KnownApi, Limit, SkipReason, ValueAt, Violation};
use crate::model::request::{Param, Request, Shape};
use jsonschema::error::ValidationErrorKind;
use std::collections::{HashMap, HashSet};
use std::sync::{OnceLock, RwLock};

/// Checks recorded calls against the catalog's API specs. Made once per run and shared by
/// its threads: it keeps, per API, what the run worked out (the compiled schema, the
/// parameter sets found valid, how calls are authorized).
pub struct Validator<'c> {
    catalog: &'c Catalog,
    /// Per product (by its index in the catalog), per API name; filled when a product's API
    /// is first checked.
    products: Vec<OnceLock<HashMap<&'c str, ApiCache<'c>, foldhash::fast::FixedState>>>,
    /// Parameter sets remembered as valid, over every API (at most [`KNOWN_VALID_LIMIT`]).
    known_total: std::sync::atomic::AtomicUsize,
    /// The catalog's regions, hashed for the schemas' `region` format: made when the first
    /// schema compiles (a run that validates no request never pays for it).
    regions: OnceLock<std::sync::Arc<Regions>>,
}

/// The hasher of the known-valid fingerprints, in place of SipHash: a fingerprint (already a
/// mixed 128-bit hash) folded to 64 bits instead of hashed again (FNV-1a for anything else).
/// Fingerprints are kept in a set capped at [`KNOWN_VALID_LIMIT`], so no input can grow it.
#[derive(Clone, Copy)]
struct QuickHasher(u64);

impl Default for QuickHasher {
    fn default() -> Self {
        QuickHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for QuickHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u128(&mut self, n: u128) {
        let [low, high] = [n, n >> 64].map(|half| u64::try_from(half & u128::from(u64::MAX)).unwrap_or_default());
        self.0 ^= low ^ high.rotate_left(32);
    }
}

type Quick = std::hash::BuildHasherDefault<QuickHasher>;

/// What a run keeps about one API.
struct ApiCache<'c> {
    /// The API's spec (found by name in this table instead of the product's ordered map).
    spec: &'c ApiSpec,
    /// The JSON Schema compiled from the spec (`None`: it does not compile).
    schema: OnceLock<Option<Compiled>>,
    /// Fingerprints of parameter sets already found valid.
    known_valid: RwLock<HashSet<u128, Quick>>,
    /// How the API's calls become authorization requests.
    plan: OnceLock<Plan>,
    /// The spec's parameters by name.
    params: OnceLock<Params<'c>>,
}

impl<'c> ApiCache<'c> {
    fn new(spec: &'c ApiSpec) -> Self {
        ApiCache {
            spec,
            schema: OnceLock::new(),
            known_valid: RwLock::default(),
            plan: OnceLock::new(),
            params: OnceLock::new(),
        }
    }
}

impl<'c> Validator<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Validator {
            catalog,
            products: catalog.apis.products.iter().map(|_| OnceLock::new()).collect(),
            known_total: std::sync::atomic::AtomicUsize::new(0),
            regions: OnceLock::new(),
        }
    }

    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// What the run keeps about the product's API `api`; `None`: the product has no such API.
    fn cache(&self, index: usize, product: &'c ProductSpec, api: &str) -> Option<&ApiCache<'c>> {
        let apis = self
            .products
            .get(index)?
            .get_or_init(|| product.apis.iter().map(|(name, spec)| (name.as_str(), ApiCache::new(spec))).collect());
        apis.get(api)
    }

    /// Checks a request read from any shape and runs the request rules over it, keeping
    /// what `want` asks for.
    pub(super) fn validate(&self, request: &Request<'_>, text: &str, want: Want<'_>) -> Outcome {
        let catalog = self.catalog;
        let mut outcome = Outcome::default();
        if let Some(reason) = &request.not_api_call {
            outcome.skipped = Some(reason.clone());
            return outcome;
        }
        let Some((api_name, api_target)) = &request.api else {
            outcome.skipped = Some(SkipReason::NoApiName);
            // A line of `Name=value` pairs (not an elision such as `…` in an API reference).
            if request.shape == Shape::Url && !request.params.is_empty() && text.contains('=') {
                outcome.findings = super::check(catalog, text, &CheckedRequest::QueryWithoutAction(request));
            }
            return outcome;
        };
        let unknown_api = |product: Option<&'c ProductSpec>| {
            let violations = vec![Violation::UnknownApi { name: api_name, target: api_target, product }];
            let checked = CheckedRequest::Call(CheckedCall { request, api: None, violations });
            super::check(catalog, text, &checked)
        };
        let (product, cache) = match catalog.apis.lookup(api_name, &request.hints()) {
            Lookup::Found(index, product) => match self.cache(index, product, api_name) {
                Some(cache) => (product, cache),
                None => {
                    outcome.findings = unknown_api(None);
                    return outcome;
                }
            },
            Lookup::UnknownProduct => {
                let named = request.product.as_deref().or(request.host.as_deref()).unwrap_or("?");
                outcome.skipped = Some(SkipReason::UnknownProduct(named.to_string()));
                return outcome;
            }
            Lookup::UnknownVersion(versions) => {
                let version = request.version.as_deref().unwrap_or_default();
                let violations =
                    vec![Violation::UnknownVersion { version, target: request.version_target(), versions }];
                let checked = CheckedRequest::Call(CheckedCall { request, api: None, violations });
                outcome.findings = super::check(catalog, text, &checked);
                return outcome;
            }
            Lookup::UnknownApi(product) => {
                outcome.findings = unknown_api(product);
                return outcome;
            }
        };
        if request.no_parameters {
            outcome.skipped = Some(SkipReason::NoRequestParameters);
            return outcome;
        }
        let api = cache.spec;
        outcome.api = Some(api_name.clone());
        outcome.error_code = request.error_code.as_ref().map(|(c, _)| c.clone());
        if want.facts {
            outcome.fact = Some(super::fact::extract(catalog, request, api_name, api, text));
        }
        if want.calls {
            let plan = cache.plan.get_or_init(|| Plan::new(catalog, product, api_name, api));
            outcome.call = Some(plan.call(catalog, request, text, want.account, want.keys));
        }
        let rpc = product.style.as_deref().is_none_or(|s| s == "RPC");
        let violations = self.violations(request, api, cache, text, rpc);
        let known = KnownApi { name: api_name, product, spec: api };
        let checked = CheckedRequest::Call(CheckedCall { request, api: Some(known), violations });
        outcome.findings = super::check(catalog, text, &checked);
        outcome
    }

    /// What the call's parameters break: unknown parameters, then the schema's errors.
    fn violations<'a>(
        &self,
        request: &'a Request<'a>,
        api: &'c ApiSpec,
        cache: &ApiCache<'c>,
        text: &str,
        rpc: bool,
    ) -> Vec<Violation<'a>>
    where
        'c: 'a,
    {
        let catalog = self.catalog;
        let common = &catalog.apis.common;
        let mut violations = Vec::new();
        let mut resolved: Vec<(&Param<'_>, Resolution<'_>)> = Vec::new();
        let params = cache.params.get_or_init(|| Params::new(api));
        for param in &request.params {
            if SIGNING.contains(&&*param.name) && param.value.text(text).trim().is_empty() {
                violations.push(Violation::EmptySigning { param });
            }
            let resolution = instance::resolve(params, &param.name);
            if matches!(resolution, Resolution::Unknown) {
                let exempt = common.rpc.contains(&*param.name)
                    || (request.shape == Shape::Event && common.actiontrail.contains(&*param.name))
                    || common.region_when_undefined.contains(&*param.name);
                // Only an RPC call names every parameter in the request (ROA calls put some in
                // the path or body, which logs record in their own ways).
                if !exempt && rpc {
                    violations.push(Violation::UnknownParameter { param });
                }
                continue;
            }
            resolved.push((param, resolution));
        }
        // Validation is a pure function of the API and the parameters: a parameter set already
        // found valid (logs repeat the same calls) skips building and validating the instance.
        let fingerprint = fingerprint(&resolved, text);
        if cache.known_valid.read().is_ok_and(|set| set.contains(&fingerprint)) {
            return violations;
        }
        let inst = instance::build(api, &resolved, text);
        let compiled = cache.schema.get_or_init(|| {
            let regions = self.regions.get_or_init(|| std::sync::Arc::new(catalog.regions.iter().cloned().collect()));
            super::schema::compile(api, &catalog.formats, regions)
        });
        let Some(compiled) = compiled.as_ref() else {
            return violations;
        };
        if compiled.validator.is_valid(&inst.value) {
            // One budget for every API: a log of many products and distinct parameters would
            // otherwise hold a full set per API.
            if self.known_total.load(std::sync::atomic::Ordering::Relaxed) < KNOWN_VALID_LIMIT {
                if let Ok(mut set) = cache.known_valid.write() {
                    if set.insert(fingerprint) {
                        self.known_total.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            return violations;
        }
        for error in compiled.validator.iter_errors(&inst.value) {
            let instance_path = error.instance_path().as_str();
            let param = instance_path.split('/').nth(1).map(unescape).unwrap_or_default();
            let at = || ValueAt {
                value: value_text(&inst.value, instance_path),
                target: inst.target(request, instance_path),
                param: param.clone(),
            };
            let violation = match cross_rule(api, error.schema_path().as_str()) {
                Some(rule) => match rule.kind {
                    CrossRuleKind::InstanceTypeMismatch => Violation::InstanceTypeMismatch { at: at(), rule },
                    CrossRuleKind::ParameterNotApplicable => {
                        let name = rule.absent.iter().find(|a| request.param(a).is_some()).cloned().unwrap_or_default();
                        let target = request.param(&name).map_or(request.params_target(), |p| p.key());
                        Violation::NotApplicable { name, target, rule }
                    }
                    CrossRuleKind::MissingParameter => {
                        let name =
                            rule.require.iter().find(|p| request.param(p).is_none()).cloned().unwrap_or_default();
                        Violation::Missing { name, when: Some(rule) }
                    }
                },
                None => match error.kind() {
                    ValidationErrorKind::Required { .. } if !rpc => continue,
                    ValidationErrorKind::Required { property } => {
                        Violation::Missing { name: property.as_str().unwrap_or_default().to_string(), when: None }
                    }
                    ValidationErrorKind::Type { .. } => {
                        Violation::WrongType { at: at(), expected: spec_kind(api, &param) }
                    }
                    ValidationErrorKind::Enum { options } => {
                        let allowed = options.as_array().map(|a| a.iter().map(display).collect()).unwrap_or_default();
                        Violation::NotInEnum { at: at(), allowed }
                    }
                    ValidationErrorKind::Format { format } => Violation::BadFormat { at: at(), format: format.clone() },
                    other => Violation::OutOfLimits { at: at(), limit: limit_of(other) },
                },
            };
            violations.push(violation);
        }
        violations
    }
}

/// The common parameters that sign a request: required, so never empty when written.
const SIGNING: &[&str] = &["Signature", "Timestamp", "SignatureNonce"];

/// How many valid parameter sets the run remembers, over all APIs.
const KNOWN_VALID_LIMIT: usize = 1 << 16;

/// A 128-bit hash of the resolved parameters' names and values, as written. It is only a key
/// of the run's in-memory set of valid parameter sets (never stored), so it reads 8 bytes at a
/// time instead of FNV-1a's one: see [`Words128`].
fn fingerprint(params: &[(&Param<'_>, Resolution<'_>)], text: &str) -> u128 {
    let mut h = Words128::default();
    for (param, _) in params {
        h.field(param.name.as_bytes());
        match &param.value {
            crate::model::request::ParamValue::Text(t) => {
                h.field(b"t");
                h.field(t.as_bytes());
            }
            crate::model::request::ParamValue::Json(node) => {
                h.field(b"j");
                h.field(text.get(node.span.start..node.span.end).unwrap_or_default().as_bytes());
            }
        }
    }
    h.finish()
}

/// A 128-bit hash over fields, a word of 8 bytes at a time: each word is mixed in by a
/// multiplication by an odd constant (carrying every bit upward) and a shift (carrying the
/// high half down), both bijections of the state, so that two different parameter sets meet
/// with a chance of about 2^-64 per pair at worst. A field ends with its length, so that
/// `("ab", "c")` and `("a", "bc")` differ.
struct Words128(u128);

impl Default for Words128 {
    fn default() -> Self {
        Words128(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
}

impl Words128 {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    const MIX: u128 = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835;

    fn word(&mut self, word: u64) {
        let h = (self.0 ^ u128::from(word)).wrapping_mul(Self::MIX);
        self.0 = h ^ (h >> 67);
    }

    fn field(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(<[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes));
        }
        let mut last = [0u8; 8];
        for (slot, &b) in last.iter_mut().zip(chunks.remainder()) {
            *slot = b;
        }
        self.word(u64::from_le_bytes(last));
        self.word(bytes.len() as u64);
    }

    fn finish(self) -> u128 {
        self.0.wrapping_mul(Self::PRIME)
    }
}

/// The cross-parameter rule an error came from: `/allOf/<n>/...` is the spec's rule `n`
/// (see `schema::api_schema`).
fn cross_rule<'a>(api: &'a ApiSpec, schema_path: &str) -> Option<&'a CrossRule> {
    let rest = schema_path.strip_prefix("/allOf/")?;
    let index: usize = rest.split('/').next()?.parse().ok()?;
    api.rules.get(index)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn value_text(root: &serde_json::Value, path: &str) -> String {
    root.pointer(path).map(display).unwrap_or_default()
}

fn spec_kind<'a>(api: &'a ApiSpec, param: &str) -> &'a str {
    api.parameters.get(param).map_or("string", |p| p.kind.as_str())
}

fn limit_of(kind: &ValidationErrorKind) -> Limit {
    match kind {
        ValidationErrorKind::Maximum { limit } => Limit::Maximum(limit.to_string()),
        ValidationErrorKind::Minimum { limit } => Limit::Minimum(limit.to_string()),
        ValidationErrorKind::ExclusiveMinimum { limit } => Limit::ExclusiveMinimum(limit.to_string()),
        ValidationErrorKind::ExclusiveMaximum { limit } => Limit::ExclusiveMaximum(limit.to_string()),
        ValidationErrorKind::MaxLength { limit } => Limit::MaxLength(*limit),
        ValidationErrorKind::MinLength { limit } => Limit::MinLength(*limit),
        ValidationErrorKind::MaxItems { limit } => Limit::MaxItems(*limit),
        ValidationErrorKind::MinItems { limit } => Limit::MinItems(*limit),
        ValidationErrorKind::Pattern { pattern } => Limit::Pattern(pattern.clone()),
        _ => Limit::Other,
    }
}
