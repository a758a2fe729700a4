//! The rules: one file each, named after the rule id, registered in [`ALL`] (sorted by id).

use crate::catalog::Catalog;
use crate::eval::replay::ReplayResult;
use crate::finding::{Finding, RuleMeta, Subject};
use crate::model::call::OrderedCalls;
use crate::model::config::ConfigView;
use crate::model::language::Language;
use crate::model::policy::Policy;
use crate::model::request::checked::CheckedRequest;

mod action_matches_nothing;
mod allow_not_action;
mod arn_service_mismatch;
mod broad_wildcard;
mod calls;
mod client_token_reuse;
mod concurrent_operation;
mod condition_operator_mismatch;
mod condition_value_type;
mod conflicting_elements;
mod denied_by_policy;
mod deprecated_action;
mod duplicate_key;
mod duplicate_statement;
mod expired_suppression;
mod fixes;
mod full_admin;
mod instance_type_mismatch;
mod invalid_account_id;
mod invalid_action_format;
mod invalid_arn;
mod invalid_condition_key;
mod invalid_condition_operator;
mod invalid_effect;
mod invalid_enum_value;
mod invalid_parameter_format;
mod invalid_parameter_type;
mod invalid_principal;
mod invalid_region;
mod invalid_resource_id;
mod invalid_statement;
mod invalid_trust_action;
mod invalid_value_type;
mod invalid_version;
pub mod json_syntax;
mod missing_action;
mod missing_parameter;
mod missing_resource;
mod not_a_request;
mod operation_while_pending;
mod parameter_not_applicable;
mod pass_role_wildcard;
mod placeholder_value;
pub mod policy_too_large;
mod privilege_escalation;
mod public_role_trust;
mod recorded_error;
mod redundant_action;
mod resource_type_mismatch;
mod unconstrained_oidc_trust;
mod undocumented_element;
mod unknown_action;
mod unknown_api;
mod unknown_api_version;
mod unknown_condition_key;
mod unknown_element;
mod unknown_parameter;
mod unknown_service;
mod unsatisfiable_condition;
mod unused_permission;
mod unused_suppression;

/// What a rule sees besides the document: the knowledge base, and where to put findings.
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub text: &'a str,
    /// Project settings rules may use (`ramlint.toml`).
    pub project: &'a Project,
    /// The policy language of the document (a RAM identity policy unless told otherwise).
    pub language: Language,
    findings: Vec<Finding>,
}

/// What a project's configuration tells the rules: the regions it uses and the accounts it
/// trusts (empty: no restriction).
#[derive(Debug, Default, Clone)]
pub struct Project {
    pub regions: std::collections::BTreeSet<String>,
    pub trusted_accounts: std::collections::BTreeSet<String>,
    /// The run's current time (milliseconds since the epoch), against which dates in
    /// conditions are judged: `--now` or `RAMLINT_NOW`, else the clock. `None`: the clock.
    pub now_ms: Option<i64>,
    /// The policy language of the files a glob matches (`[[kinds]]` of `ramlint.toml`), first
    /// match wins.
    pub kinds: Vec<(glob::Pattern, Language)>,
}

/// The project of a record linted on its own (no configuration): one static instead of a
/// default made and dropped twice for every record of a log.
pub static NO_PROJECT: Project = Project {
    regions: std::collections::BTreeSet::new(),
    trusted_accounts: std::collections::BTreeSet::new(),
    now_ms: None,
    kinds: Vec::new(),
};

impl Project {
    /// The language `[[kinds]]` names for a file, if an entry's glob matches its name.
    pub fn language_of(&self, file: &str) -> Option<Language> {
        self.kinds.iter().find(|(glob, _)| glob.matches(file)).map(|(_, l)| *l)
    }
}

impl<'a> Context<'a> {
    pub fn new(catalog: &'a Catalog, text: &'a str, project: &'a Project) -> Self {
        Context { catalog, text, project, language: Language::RamPolicy, findings: Vec::new() }
    }

    /// The same context for a document of another policy language.
    pub fn with_language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    pub fn emit(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// A lint rule. Metadata is declared once, next to the logic, with `rule_meta!`.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks any parsed JSON document or record, before its kind matters (subject `file`).
    fn check_document(&self, _root: &crate::json::Node, _cx: &mut Context<'_>) {}

    /// Checks a policy document (after it parsed as JSON).
    fn check_policy(&self, _policy: &Policy<'_>, _cx: &mut Context<'_>) {}

    /// Checks one record of a request input: a call checked against its API's specification.
    fn check_request(&self, _request: &CheckedRequest<'_>, _cx: &mut Context<'_>) {}

    /// Checks the linted calls of a whole run, in event-time order (subject `log`).
    fn check_calls(&self, _calls: &OrderedCalls<'_>, _cx: &mut Findings) {}

    /// Checks what replaying the calls against the policies gave (subject `replay`).
    fn check_replay(&self, _replay: &ReplayResult<'_>, _cx: &mut Findings) {}

    /// Checks the configuration once every finding went through it (subject `config`).
    fn check_config(&self, _config: &ConfigView<'_>, _cx: &mut Findings) {}
}

/// Where the rules without a document at hand (subjects `log`, `replay`, `config`) put their
/// findings; their targets say where they point ([`crate::finding::Target::Located`], or a
/// file named by [`Finding::file`]).
#[derive(Default)]
pub struct Findings<'s> {
    findings: Vec<Finding>,
    /// Where findings go as they are emitted, instead of the list (an audit spills them).
    sink: Option<&'s mut dyn FnMut(Finding)>,
}

impl<'s> Findings<'s> {
    /// Findings handed to `sink` as they are emitted.
    pub fn streaming(sink: &'s mut dyn FnMut(Finding)) -> Self {
        Findings { findings: Vec::new(), sink: Some(sink) }
    }

    pub fn emit(&mut self, finding: Finding) {
        match &mut self.sink {
            Some(sink) => sink(finding),
            None => self.findings.push(finding),
        }
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.findings
    }
}

/// Every rule, sorted by id.
pub static ALL: &[&dyn Rule] = &[
    &action_matches_nothing::Rule,
    &allow_not_action::Rule,
    &arn_service_mismatch::Rule,
    &broad_wildcard::Rule,
    &client_token_reuse::Rule,
    &concurrent_operation::Rule,
    &condition_operator_mismatch::Rule,
    &condition_value_type::Rule,
    &conflicting_elements::Rule,
    &denied_by_policy::Rule,
    &deprecated_action::Rule,
    &duplicate_key::Rule,
    &duplicate_statement::Rule,
    &expired_suppression::Rule,
    &full_admin::Rule,
    &instance_type_mismatch::Rule,
    &invalid_account_id::Rule,
    &invalid_action_format::Rule,
    &invalid_arn::Rule,
    &invalid_condition_key::Rule,
    &invalid_condition_operator::Rule,
    &invalid_effect::Rule,
    &invalid_enum_value::Rule,
    &invalid_parameter_format::Rule,
    &invalid_parameter_type::Rule,
    &invalid_principal::Rule,
    &invalid_region::Rule,
    &invalid_resource_id::Rule,
    &invalid_statement::Rule,
    &invalid_trust_action::Rule,
    &invalid_value_type::Rule,
    &invalid_version::Rule,
    &json_syntax::Rule,
    &missing_action::Rule,
    &missing_parameter::Rule,
    &missing_resource::Rule,
    &not_a_request::Rule,
    &operation_while_pending::Rule,
    &parameter_not_applicable::Rule,
    &pass_role_wildcard::Rule,
    &placeholder_value::Rule,
    &policy_too_large::Rule,
    &privilege_escalation::Rule,
    &public_role_trust::Rule,
    &recorded_error::Rule,
    &redundant_action::Rule,
    &resource_type_mismatch::Rule,
    &unconstrained_oidc_trust::Rule,
    &undocumented_element::Rule,
    &unknown_action::Rule,
    &unknown_api::Rule,
    &unknown_api_version::Rule,
    &unknown_condition_key::Rule,
    &unknown_element::Rule,
    &unknown_parameter::Rule,
    &unknown_service::Rule,
    &unsatisfiable_condition::Rule,
    &unused_permission::Rule,
    &unused_suppression::Rule,
];

/// Emits each finding once by place and message: validation may report the same problem
/// more than once (one error per schema path that catches it).
/// The set is made on the first finding: six request rules call this for every record of a
/// log, nearly always with none, and dropping even an empty `BTreeSet` is a call.
fn emit_distinct(cx: &mut Context<'_>, findings: impl IntoIterator<Item = Finding>) {
    let mut seen: Option<std::collections::BTreeSet<(String, String)>> = None;
    for finding in findings {
        let key = (finding.primary.pointer().to_string(), finding.message.clone());
        if seen.get_or_insert_with(std::collections::BTreeSet::new).insert(key) {
            cx.emit(finding);
        }
    }
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().id == id)
}

/// Runs every rule of a parsed document (subject `file`) over a JSON document or record.
pub fn check_document(root: &crate::json::Node, cx: &mut Context<'_>) {
    for rule in of_subject(Subject::File) {
        rule.check_document(root, cx);
    }
}

/// Runs every rule of a document, then every policy rule, over a parsed policy; then keeps
/// one finding per root cause ([`apply_precedence`]).
pub fn check_policy(policy: &Policy<'_>, cx: &mut Context<'_>) {
    check_document(policy.root, cx);
    let language = cx.language;
    for rule in ALL.iter().filter(|r| applies(language, r.meta().id)) {
        rule.check_policy(policy, cx);
    }
    cx.findings = apply_precedence(std::mem::take(&mut cx.findings));
}

/// One finding per root cause: a finding is dropped when a finding of a rule that declares it
/// wins over its rule ([`crate::finding::RuleMeta::wins_over`]) points at the same JSON
/// Pointer. Linear in the findings (one map of the winners' pointers).
pub fn apply_precedence(findings: Vec<Finding>) -> Vec<Finding> {
    if findings.iter().all(|f| f.rule.wins_over.is_empty()) {
        return findings;
    }
    let mut beaten: std::collections::HashMap<String, Vec<&'static str>> = std::collections::HashMap::new();
    for f in findings.iter().filter(|f| !f.rule.wins_over.is_empty()) {
        beaten.entry(f.primary.pointer().to_string()).or_default().extend(f.rule.wins_over.iter().copied());
    }
    findings
        .into_iter()
        .filter(|f| beaten.get(f.primary.pointer()).is_none_or(|ids| !ids.contains(&f.rule.id)))
        .collect()
}

/// The grammar checks every policy language gets: the document structure and element types
/// that all of Alibaba Cloud's policy languages share (`docs/policy-languages.md`).
const GRAMMAR: &[&str] = &[
    "condition-value-type",
    "conflicting-elements",
    "duplicate-statement",
    "invalid-condition-operator",
    "invalid-effect",
    "invalid-statement",
    "invalid-value-type",
    "missing-action",
    "placeholder-value",
    "unknown-element",
];

/// The RAM checks an OSS bucket policy gets besides the grammar: its actions are RAM actions
/// of `oss`, its resources OSS ARNs, its `Principal` a list of account or RAM user ids.
const OSS_BUCKET_POLICY: &[&str] = &[
    "action-matches-nothing",
    "allow-not-action",
    "invalid-account-id",
    "invalid-action-format",
    "invalid-arn",
    "invalid-principal",
    "invalid-region",
    "invalid-version",
    "missing-resource",
    "redundant-action",
    "unknown-action",
    "unknown-service",
];

/// The RAM checks a KMS key policy gets besides the grammar: `kms:` actions, a `RAM` principal
/// of account ARNs (`acs:ram::<uid>:*`), `Sid` allowed.
const KMS_KEY_POLICY: &[&str] = &[
    "invalid-account-id",
    "invalid-action-format",
    "invalid-principal",
    "invalid-version",
    "missing-resource",
    "redundant-action",
    "unknown-service",
];

/// The checks a language ramlint knows only by its documented grammar gets besides the
/// grammar: `Version` `"1"` and the `<code>:<action>` form.
const VERSIONED: &[&str] = &["invalid-action-format", "invalid-version"];

/// Whether a policy rule applies to a document of `language`: RAM identity, trust and control
/// policies get every rule; the other languages their grammar checks and the RAM checks their
/// documentation supports, never identity-policy findings that do not apply to them.
pub fn applies(language: Language, id: &str) -> bool {
    let extra: &[&str] = match language {
        Language::RamPolicy | Language::TrustPolicy | Language::ControlPolicy => return true,
        Language::OssBucketPolicy => OSS_BUCKET_POLICY,
        Language::KmsKeyPolicy => KMS_KEY_POLICY,
        Language::MaxComputePolicy => VERSIONED,
        // The default endpoint policy has no `Version` (PrivateLink "Endpoint policies").
        Language::VpcEndpointPolicy => &["invalid-action-format"],
        // A ROS stack policy has no `Version`, and its actions are `Update:<operation>`.
        Language::RosStackPolicy => &[],
    };
    GRAMMAR.contains(&id) || extra.contains(&id)
}

/// Runs every rule over the ordered calls of a run.
pub fn check_calls(calls: &OrderedCalls<'_>) -> Vec<Finding> {
    let mut cx = Findings::default();
    for rule in ALL {
        rule.check_calls(calls, &mut cx);
    }
    cx.into_vec()
}

/// Runs every rule over the ordered calls of a run, handing each finding to `sink` as it is
/// found (a log's sequence findings are not held in memory).
pub fn check_calls_into(calls: &OrderedCalls<'_>, sink: &mut dyn FnMut(Finding)) {
    let mut cx = Findings::streaming(sink);
    for rule in ALL {
        rule.check_calls(calls, &mut cx);
    }
}

/// The rules of one subject, in registry order, found once: the hooks that run once per
/// record or call (`check_request`, `check_replay`) skip the rules of other subjects, whose
/// hooks for them are empty.
fn of_subject(subject: Subject) -> &'static [&'static dyn Rule] {
    static BY_SUBJECT: std::sync::OnceLock<Vec<(Subject, Vec<&'static dyn Rule>)>> = std::sync::OnceLock::new();
    let all = BY_SUBJECT.get_or_init(|| {
        let mut subjects: Vec<Subject> = ALL.iter().map(|r| r.meta().subject).collect();
        subjects.sort();
        subjects.dedup();
        subjects.into_iter().map(|s| (s, ALL.iter().copied().filter(|r| r.meta().subject == s).collect())).collect()
    });
    all.iter().find(|(s, _)| *s == subject).map_or(&[], |(_, rules)| rules.as_slice())
}

/// Runs the request rules over one checked record.
pub fn check_request(request: &CheckedRequest<'_>, cx: &mut Context<'_>) {
    for rule in of_subject(Subject::Request) {
        rule.check_request(request, cx);
    }
}

/// Runs the replay rules over a replay result (once per replayed call).
pub fn check_replay(replay: &ReplayResult<'_>) -> Vec<Finding> {
    let mut cx = Findings::default();
    for rule in of_subject(Subject::Replay) {
        rule.check_replay(replay, &mut cx);
    }
    cx.into_vec()
}

/// Runs every rule over the configuration.
pub fn check_config(config: &ConfigView<'_>) -> Vec<Finding> {
    let mut cx = Findings::default();
    for rule in ALL {
        rule.check_config(config, &mut cx);
    }
    cx.into_vec()
}
