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
}

#[derive(Debug, Deserialize)]
pub struct Service {
    pub code: String,
    #[serde(default)]
    pub product: Option<String>,
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
