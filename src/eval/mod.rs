//! Policy evaluation with RAM's documented semantics: a call is implicitly denied unless a
//! statement allows it, and an explicit `Deny` wins over any `Allow`. A statement applies
//! to a call when its action, its resource and all its conditions match. A call that names
//! several resources is allowed only when every one of them is.

pub mod call;
mod compile;
pub mod condition;
mod matching;
pub mod render;
pub mod replay;
pub mod trace;

use crate::json::{self, Node};
use crate::model::policy::Policy;
use compile::compile;
use condition::{Check, Condition};
use matching::{action_matches, overlaps, resource_matches};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn describe(self) -> &'static str {
        match self {
            Decision::Allow => "allowed",
            Decision::ExplicitDeny => "explicitly denied",
            Decision::ImplicitDeny => "implicitly denied",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// The request context: condition keys (compared case-insensitively) and their values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, Vec<String>)>,
}

impl Context {
    /// Adds a value to a key (a key given twice is multi-valued).
    pub fn add(&mut self, key: &str, value: &str) {
        match self.entries.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, values)) => values.push(value.to_string()),
            None => self.entries.push((key.to_string(), vec![value.to_string()])),
        }
    }

    /// Forgets a key (before the command line gives it anew).
    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }

    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_slice())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// An authorization request: a RAM action on resources, with its context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Call {
    /// `vpc:UnassociateEipAddress`.
    pub action: String,
    /// ARNs; an id that is not known is `*` (all resources of that form).
    pub resources: Vec<String>,
    pub context: Context,
    /// ARN fields the record does not name (a log without the caller's account): they match
    /// whatever a statement names there. Unlike a `*` id, which needs a grant on all ids.
    pub open: Open,
}

impl Call {
    /// The resources to evaluate: a call that names none is on `*`.
    pub fn resources_or_all(&self) -> &[String] {
        static ALL: std::sync::LazyLock<[String; 1]> = std::sync::LazyLock::new(|| [String::from("*")]);
        if self.resources.is_empty() {
            ALL.as_slice()
        } else {
            &self.resources
        }
    }
}

/// Which ARN fields of a call's resources are unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Open {
    pub region: bool,
    pub account: bool,
    /// The action's resource types are not documented: the call's resource is its service's
    /// `...:*`, and any resource pattern of that service (or `*`) may be the one RAM checks.
    pub relative: bool,
}

/// A pattern of `Action`, `NotAction`, `Resource` or `NotResource`, with where it is.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    pub pointer: String,
}

/// `Action`/`Resource` (the listed ones) or `NotAction`/`NotResource` (all but them).
#[derive(Debug, Clone)]
pub struct Scope {
    pub not: bool,
    /// The element's pointer (`/Statement/0/NotAction`).
    pub pointer: String,
    pub patterns: Vec<Pattern>,
}

/// One statement, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Index of its file in [`PolicySet::files`].
    pub file: usize,
    pub pointer: String,
    /// `None` when `Effect` is not `Allow` or `Deny` (the statement never applies).
    pub effect: Option<Effect>,
    pub action: Option<Scope>,
    pub resource: Option<Scope>,
    pub conditions: Vec<Condition>,
    /// A role trust statement (`Principal`): it decides who may assume a role, not calls.
    pub trust: bool,
    /// An element RAM would reject (pointer, why): the statement never applies, rather than
    /// applying without that element.
    pub malformed: Option<(String, String)>,
}

impl Statement {
    /// The indices of the action patterns that match `action` (for `NotAction`, none of them
    /// may match), or `None` when the statement's actions do not include it.
    pub fn matching_actions(&self, action: &str) -> Option<Vec<usize>> {
        let scope = self.action.as_ref()?;
        let hits: Vec<usize> = scope
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| action_matches(&p.text, action))
            .map(|(i, _)| i)
            .collect();
        match (scope.not, hits.is_empty()) {
            (false, false) => Some(hits),
            (true, true) => Some(Vec::new()),
            _ => None,
        }
    }

    fn resource_in_scope(&self, resource: &str, open: Open) -> bool {
        match &self.resource {
            None => false,
            // All but the excluded: a request for many resources (`eip/*`) is in scope only
            // when no excluded resource is among them.
            Some(scope) if scope.not && crate::catalog::wildcard::has_wildcard(resource) => {
                !scope.patterns.iter().any(|p| overlaps(&p.text, resource, open))
            }
            Some(scope) => scope.patterns.iter().any(|p| resource_matches(&p.text, resource, open)) != scope.not,
        }
    }

    /// Whether the statement can apply to any call: an effect RAM knows, not a trust
    /// statement, nothing malformed, and no condition that can never hold (what
    /// [`PolicySet::decide`] considers).
    pub fn can_apply(&self) -> bool {
        self.effect.is_some()
            && !self.trust
            && self.malformed.is_none()
            && !self.conditions.iter().any(Condition::never_holds)
    }

    fn conditions_hold(&self, context: &Context) -> bool {
        self.conditions.iter().all(|c| c.check(context) == Check::Met)
    }
}

/// A policy file: its text and tree are kept to render the statements that decided.
pub struct PolicyFile {
    pub name: String,
    pub text: Arc<str>,
    pub root: Node<'static>,
}

/// The statements whose actions include an action, each with its matching action patterns.
type Candidates = Arc<[(usize, Vec<usize>)]>;

/// Several policies evaluated together (the policies attached to one principal).
pub struct PolicySet {
    pub files: Vec<PolicyFile>,
    pub statements: Vec<Statement>,
    /// Per action as written: the statements whose actions include it, with the matching
    /// action patterns. Logs repeat a few actions, so this is computed once per action.
    by_action: RwLock<HashMap<String, Candidates>>,
    /// Every condition key the statements use: a replay extracts only these from a record.
    pub keys: Vec<String>,
}

/// Why `--policy` files yield no policy set.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PolicyError {
    #[error("`{file}` is not a policy document: {message}")]
    #[diagnostic(code(ramlint::policy), help("run `ramlint check {file}` to see its problems"))]
    NotAPolicy { file: String, message: String },
    #[error("cannot read the policy `{file}`: {message}")]
    #[diagnostic(code(ramlint::io))]
    Read { file: String, message: String },
}

impl PolicySet {
    /// Compiles policies given as (name, text).
    pub fn new(sources: Vec<(String, String)>) -> Result<PolicySet, PolicyError> {
        let mut files = Vec::new();
        let mut statements = Vec::new();
        for (index, (name, text)) in sources.into_iter().enumerate() {
            let root = json::parse(&text).map_err(|e| PolicyError::NotAPolicy {
                file: name.clone(),
                message: format!("invalid JSON: {}", e.message),
            })?;
            let policy = Policy::new(&root);
            if policy.statement.is_none() {
                return Err(PolicyError::NotAPolicy { file: name, message: "it has no `Statement`".into() });
            }
            statements.extend(policy.statements.iter().map(|s| compile(index, s)));
            let root = root.into_owned();
            files.push(PolicyFile { name, text: Arc::from(text.as_str()), root });
        }
        let mut keys: Vec<String> =
            statements.iter().flat_map(|s: &Statement| s.conditions.iter().map(|c| c.key.to_lowercase())).collect();
        keys.sort();
        keys.dedup();
        Ok(PolicySet { files, statements, by_action: RwLock::new(HashMap::new()), keys })
    }

    /// Reads and compiles policy files (`-`: standard input); a file given twice counts once.
    pub fn read(paths: &[std::path::PathBuf]) -> Result<PolicySet, PolicyError> {
        use crate::discover::Input;
        let mut sources: Vec<(String, String)> = Vec::new();
        for path in paths {
            let name = path.display().to_string();
            if sources.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let read = |message: String| PolicyError::Read { file: name.clone(), message };
            // Through the framer, as every input: gzip is recognised, and only regular files
            // (or `-`) are read.
            let input = if name == "-" { Input::Stdin } else { Input::File(path.clone()) };
            let whole = crate::frame::read(&input, false).map_err(|e| read(e.message))?;
            if let Some(problem) = whole.problem.or_else(|| whole.bad.first().map(crate::frame::BadByte::problem)) {
                return Err(read(problem.to_string()));
            }
            sources.push((name, whole.text));
        }
        PolicySet::new(sources)
    }

    /// The name of the file a statement is in.
    pub fn file_name(&self, statement: &Statement) -> &str {
        self.files.get(statement.file).map_or("", |f| f.name.as_str())
    }

    fn for_action(&self, action: &str) -> Candidates {
        // Keyed by the action as written: logs spell each action one way.
        if let Some(hit) = self.by_action.read().ok().and_then(|m| m.get(action).cloned()) {
            return hit;
        }
        let key = action.to_string();
        let list: Candidates = self
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.effect.is_some() && !s.trust && s.malformed.is_none())
            .filter_map(|(i, s)| s.matching_actions(action).map(|hits| (i, hits)))
            .collect();
        if let Ok(mut map) = self.by_action.write() {
            map.insert(key, list.clone());
        }
        list
    }

    /// The decision alone (the fast path of a replay). `used` is called with each statement
    /// that allowed the call on at least one resource, its matching action patterns, and
    /// whether the call was allowed (`false`: another statement or resource denied it).
    pub fn decide(&self, call: &Call, mut used: impl FnMut(usize, &[usize], bool)) -> Decision {
        let candidates = self.for_action(&call.action);
        let mut holds: Vec<Option<bool>> = vec![None; candidates.len()];
        let mut decision = Decision::Allow;
        let resources = call.resources_or_all();
        let mut allowed_by = vec![false; candidates.len()];
        for resource in resources {
            let (mut allowed, mut denied) = (false, false);
            for (slot, (index, _)) in candidates.iter().enumerate() {
                let Some(statement) = self.statements.get(*index) else { continue };
                if !statement.resource_in_scope(resource, call.open) {
                    continue;
                }
                let Some(cell) = holds.get_mut(slot) else { continue };
                let ok = *cell.get_or_insert_with(|| statement.conditions_hold(&call.context));
                if !ok {
                    continue;
                }
                match statement.effect {
                    Some(Effect::Deny) => denied = true,
                    Some(Effect::Allow) => {
                        allowed = true;
                        if let Some(flag) = allowed_by.get_mut(slot) {
                            *flag = true;
                        }
                    }
                    None => {}
                }
            }
            if denied {
                decision = Decision::ExplicitDeny;
            } else if !allowed && decision == Decision::Allow {
                decision = Decision::ImplicitDeny;
            }
        }
        // An allowed call uses a grant; a denied one only met it.
        for ((index, hits), flag) in candidates.iter().zip(&allowed_by) {
            if *flag {
                used(*index, hits, decision == Decision::Allow);
            }
        }
        decision
    }

    /// The context keys a denied call's decision depends on: the keys the record lacks whose
    /// absence alone keeps an `Allow` statement (matching the action and every resource) from
    /// applying, sorted. Empty when the call is denied whatever those keys hold (an explicit
    /// deny, no grant, or a grant failing on a key the record does carry). `pending` is
    /// called with each such statement and its matching action patterns.
    pub fn missing_keys(&self, call: &Call, mut pending: impl FnMut(usize, &[usize])) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for (index, hits) in self.for_action(&call.action).iter() {
            let Some(statement) = self.statements.get(*index) else { continue };
            if statement.effect != Some(Effect::Allow)
                || !call.resources_or_all().iter().all(|r| statement.resource_in_scope(r, call.open))
            {
                continue;
            }
            let checks: Vec<(Check, &str)> =
                statement.conditions.iter().map(|c| (c.check(&call.context), c.key.as_str())).collect();
            if checks.iter().all(|(c, _)| matches!(c, Check::Met | Check::Missing)) {
                pending(*index, hits);
                keys.extend(checks.iter().filter(|(c, _)| *c == Check::Missing).map(|(_, k)| k.to_string()));
            }
        }
        keys.sort_by_key(|k| k.to_lowercase());
        keys.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        keys
    }

    /// The decision with its trace: for each resource, the statements that decided; for
    /// each statement, why it applies or not.
    pub fn explain(&self, call: &Call) -> trace::Evaluation {
        trace::explain(self, call)
    }
}

#[cfg(test)]
mod tests;
