//! The shapes of the files under `rules/` (see `rules/README.md` and `rules/schema/`).

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, Default)]
pub struct RegionsFile {
    #[serde(default)]
    pub regions: Vec<Region>,
}

#[derive(Debug, Deserialize)]
pub struct Region {
    pub id: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct ServicesFile {
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub aliases: Vec<Alias>,
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
    /// Products whose RAM code no document was found for.
    #[serde(default)]
    pub unmapped_products: Vec<UnmappedProduct>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Service {
    pub code: String,
    #[serde(default)]
    pub product: Option<String>,
    /// The kind of evidence the code rests on (`ramcode-sentence`, `system-policy`...).
    #[serde(default)]
    pub evidence: Option<String>,
    /// Every piece of evidence for the code is weak.
    #[serde(default)]
    pub weak: bool,
}

/// An Alibaba Cloud product whose RAM code is not documented in the sources.
#[derive(Debug, Deserialize, Clone)]
pub struct UnmappedProduct {
    pub product: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Alias {
    pub code: String,
    #[serde(rename = "use")]
    pub use_code: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct FormatsFile {
    #[serde(default)]
    pub formats: BTreeMap<String, FormatSpec>,
}

#[derive(Debug, Deserialize, Clone, Default)]
pub struct FormatSpec {
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub builtin: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ResourceTypesFile {
    #[serde(default)]
    pub types: Vec<ResourceType>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ResourceType {
    pub id: String,
    pub service: String,
    #[serde(default)]
    pub name: Option<String>,
    pub arn: String,
    #[serde(default)]
    pub id_format: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ConditionKeysFile {
    #[serde(default)]
    pub operators: Vec<Operator>,
    #[serde(default)]
    pub qualifiers: Vec<String>,
    #[serde(default)]
    pub keys: Vec<ConditionKey>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Operator {
    pub name: String,
    pub category: String,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ConditionKey {
    pub key: String,
    #[serde(rename = "type", default)]
    pub value_type: Option<String>,
    #[serde(rename = "match", default)]
    pub match_kind: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ActionsFile {
    #[serde(default)]
    pub catalogued: bool,
    /// `authoritative`, `derived` or `partial`; absent in `--catalog` files (authoritative when
    /// `catalogued`).
    #[serde(default)]
    pub list: Option<String>,
    #[serde(default)]
    pub catalog_date: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Action {
    pub name: String,
    #[serde(default)]
    pub access: Option<String>,
    /// Deprecated in the API metadata (still a known action).
    #[serde(default)]
    pub deprecated: bool,
    /// Resource type ids the action is documented to accept; `None` when undocumented.
    #[serde(default)]
    pub resources: Option<Vec<String>>,
    #[serde(default)]
    pub condition_keys: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct EscalationFile {
    #[serde(default)]
    pub actions: Vec<Escalation>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct Escalation {
    pub action: String,
    pub path: String,
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct SequencesFile {
    #[serde(default)]
    pub resources: Vec<SequenceResource>,
}

/// A resource that asynchronous operations put in a pending state (`rules/sequences.json`).
#[derive(Debug, Deserialize, Clone)]
pub struct SequenceResource {
    pub name: String,
    /// The request parameter that names the resource (`AllocationId`).
    pub key: String,
    pub operations: Vec<PendingOperation>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct PendingOperation {
    pub api: String,
    pub state: String,
    pub queries_only: bool,
}

/// How a recorded call becomes an authorization request (`rules/authorization.json`).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct AuthorizationFile {
    #[serde(default)]
    pub call: CallFields,
    #[serde(default)]
    pub actions: Vec<ActionResources>,
}

/// Where a call's region, account, principal and context keys are recorded.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct CallFields {
    #[serde(default)]
    pub region: FieldSources,
    #[serde(default)]
    pub account: FieldSources,
    #[serde(default)]
    pub principal: FieldSources,
    #[serde(default)]
    pub context: Vec<ContextSource>,
}

/// JSON Pointers into an ActionTrail event, then request parameters (or the other way round
/// with `params_first`); the first present wins.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct FieldSources {
    #[serde(default)]
    pub params: Vec<String>,
    #[serde(default)]
    pub event: Vec<String>,
    #[serde(default)]
    pub params_first: bool,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ContextSource {
    pub key: String,
    #[serde(flatten)]
    pub from: FieldSources,
    /// The key is `true` for an `https` request URL and `false` for `http`.
    #[serde(default)]
    pub url_scheme: bool,
}

/// The resources a RAM action authorizes, when its parameters do not name them plainly.
#[derive(Debug, Deserialize, Clone)]
pub struct ActionResources {
    pub action: String,
    /// Only for the API of this product code (`ecs` for the ECS copies of the EIP APIs).
    #[serde(default)]
    pub product: Option<String>,
    /// Empty: the API has no resource-level authorization (its resource is `*`).
    pub resources: Vec<ResourceBinding>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct ResourceBinding {
    /// A resource type id of `rules/resource-types.json`.
    #[serde(rename = "type")]
    pub type_id: String,
    /// Only when every placeholder is bound; otherwise an unbound id is `*`.
    #[serde(default)]
    pub optional: bool,
    /// Placeholder -> the parameter that fills it (`*`: every resource of the type).
    #[serde(default)]
    pub bind: BTreeMap<String, String>,
    /// Only when these parameters (or their defaults) have one of these values.
    #[serde(default)]
    pub when: BTreeMap<String, Vec<String>>,
    /// The parameter holds the whole ARN (`RoleArn`); the template applies when it is absent.
    #[serde(default)]
    pub arn_param: Option<String>,
}
