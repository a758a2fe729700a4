//! Access diff: what a policy change grants that the old policy did not, and what it takes
//! away (`ramlint diff`, semantics in `docs/diff.md`). Built on the evaluation engine: the
//! statements are compiled by [`crate::eval`], an action's statements are those the engine
//! would consider for it, and patterns are compared with the catalog's wildcard functions.
//!
//! A diff runs over a list of [`Pair`]s, one per policy document identified by its file and,
//! for policies embedded in Terraform or ROS, its resource address, so that embedded
//! documents plug in as more pairs.

mod security;
pub mod sets;

use crate::catalog::{wildcard, Catalog, Resolved};
use crate::eval::condition::Condition;
use crate::eval::{Effect, PolicyError, PolicySet, Scope, Statement};
use sets::{implies, Implies, Resources};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which policy document of a change: its file and, for an embedded policy, its resource
/// address (`alicloud_ram_policy.eip.policy_document`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId {
    pub file: String,
    pub resource: Option<String>,
}

/// One document before and after the change (`None`: it did not exist, or no longer does).
#[derive(Debug, Clone)]
pub struct Pair {
    pub id: DocId,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Why access changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// No statement of the other side allows the action.
    Action,
    /// The other side allows the action, on fewer resources.
    Resource,
    /// The other side allows it on these resources only under a condition this side drops.
    ConditionDropped,
    /// Both sides test a key differently: not comparable exactly.
    ConditionChanged,
    /// A `Deny` of the other side no longer applies.
    Deny,
    /// A `NotAction` allows actions outside the catalog the other side may not.
    NotAction,
}

impl Why {
    /// The reason as the report states it, for added access (`added`) or removed access.
    pub fn describe(self, added: bool) -> &'static str {
        match (self, added) {
            (Why::Action, true) => "action not allowed before",
            (Why::Action, false) => "action no longer allowed",
            (Why::Resource, true) => "wider resources",
            (Why::Resource, false) => "narrower resources",
            (Why::ConditionDropped, true) => "condition dropped or weakened",
            (Why::ConditionDropped, false) => "condition added or strengthened",
            (Why::ConditionChanged, _) => "condition changed",
            (Why::Deny, true) => "a `Deny` no longer applies",
            (Why::Deny, false) => "a `Deny` applies now",
            (Why::NotAction, _) => "`NotAction` reaches actions outside the catalog",
        }
    }
}

/// One access that one side grants and the other does not.
#[derive(Debug, Clone)]
pub struct Change {
    /// A catalog action (`vpc:UnassociateEipAddress`), or the pattern as written when it may
    /// match actions outside the catalog (`expandable` false).
    pub action: String,
    pub expandable: bool,
    pub resources: Resources,
    /// The conditions under which the access is granted.
    pub conditions: Vec<Condition>,
    /// `false`: "may add access" (the comparison could not be decided).
    pub exact: bool,
    pub why: Why,
    /// The granting statement's pointer, in the side that grants.
    pub statement: String,
    /// The pointers of its action patterns that match the action (its `NotAction` element
    /// for a `NotAction` statement).
    pub action_pointers: Vec<String>,
    /// The pointer of the resource pattern (or `NotResource` element).
    pub resource_pointer: String,
    /// The statement of the other side that explains the change (the narrower grant, the
    /// conditional grant, the `Deny` that no longer applies), when there is one.
    pub other: Option<String>,
}

/// The diff of one document.
pub struct DocDiff {
    pub id: DocId,
    pub old: Option<PolicySet>,
    pub new: Option<PolicySet>,
    /// Access NEW grants that OLD did not.
    pub added: Vec<Change>,
    /// Access OLD granted that NEW does not.
    pub removed: Vec<Change>,
    /// Security findings of NEW that OLD did not have.
    pub findings: Vec<crate::diagnostic::Diagnostic>,
}

fn compile(id: &DocId, text: Option<&str>) -> Result<Option<PolicySet>, PolicyError> {
    text.map(|t| PolicySet::new(vec![(id.file.clone(), t.to_string())])).transpose()
}

/// The diff of one document.
pub fn diff(catalog: &Catalog, project: &crate::rules::Project, pair: &Pair) -> Result<DocDiff, PolicyError> {
    let old = compile(&pair.id, pair.old.as_deref())?;
    let new = compile(&pair.id, pair.new.as_deref())?;
    let empty = PolicySet::new(Vec::new())?;
    let (o, n) = (old.as_ref().unwrap_or(&empty), new.as_ref().unwrap_or(&empty));
    let (added, removed) = compare(catalog, o, n);
    let findings = security::introduced(catalog, project, &pair.id.file, pair.old.as_deref(), pair.new.as_deref());
    Ok(DocDiff { id: pair.id.clone(), old, new, added, removed, findings })
}

/// (added, removed) between two compiled policies.
pub fn compare(catalog: &Catalog, old: &PolicySet, new: &PolicySet) -> (Vec<Change>, Vec<Change>) {
    let actions = candidates(catalog, &[old, new]);
    (one_way(old, new, &actions), one_way(new, old, &actions))
}

/// An action to compare: a catalog action, or a pattern that may reach beyond the catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    name: String,
    expandable: bool,
}

/// The statements that can apply, with effect.
fn live(set: &PolicySet) -> impl Iterator<Item = (usize, &Statement)> {
    set.statements.iter().enumerate().filter(|(_, s)| s.can_apply())
}

/// Every action an `Allow` of either side may grant: action patterns expanded over the
/// catalog (case-insensitively, by [`Catalog::resolve`]), `NotAction` as every catalog
/// action, and each pattern that may match actions the catalog does not list, as written.
fn candidates(catalog: &Catalog, sets: &[&PolicySet]) -> Vec<Candidate> {
    let mut concrete: BTreeSet<String> = BTreeSet::new();
    let mut beyond: BTreeMap<String, String> = BTreeMap::new();
    let mut everything = false;
    for set in sets {
        for (_, st) in live(set).filter(|(_, s)| s.effect == Some(Effect::Allow)) {
            let Some(scope) = &st.action else { continue };
            if scope.not {
                everything = true;
                continue;
            }
            for pattern in &scope.patterns {
                let text = pattern.text.as_str();
                match catalog.resolve(text) {
                    Resolved::Any => {
                        everything = true;
                        beyond.entry(text.to_lowercase()).or_insert_with(|| text.to_string());
                    }
                    Resolved::Undocumented(_) => {
                        beyond.entry(text.to_lowercase()).or_insert_with(|| text.to_string());
                    }
                    Resolved::Actions(code, list) => {
                        concrete.extend(list.iter().map(|a| format!("{code}:{}", a.name)));
                        let complete = catalog.service(&code).is_some_and(|s| s.catalogued);
                        if !complete && wildcard::has_wildcard(text) {
                            beyond.entry(text.to_lowercase()).or_insert_with(|| text.to_string());
                        }
                    }
                }
            }
        }
    }
    if everything {
        for code in catalog.action_services() {
            if let Some(service) = catalog.service(code) {
                concrete.extend(service.actions.iter().map(|a| format!("{}:{}", service.code, a.name)));
            }
        }
    }
    let mut out: Vec<Candidate> = concrete.into_iter().map(|name| Candidate { name, expandable: true }).collect();
    out.extend(beyond.into_values().map(|name| Candidate { name, expandable: false }));
    out
}

/// A statement's part in an action: its index and the indices of its matching action
/// patterns (none for `NotAction`).
type Applies = Vec<(usize, Vec<usize>)>;

/// The statements of `set` that apply to the candidate. A catalog action is matched as the
/// engine matches it; a pattern beyond the catalog is covered by a pattern that covers it, and
/// by a `NotAction` none of whose patterns may meet it.
fn applying(set: &PolicySet, candidate: &Candidate) -> Applies {
    live(set)
        .filter_map(|(i, st)| {
            let hits = if candidate.expandable {
                st.matching_actions(&candidate.name)?
            } else {
                pseudo_hits(st.action.as_ref()?, &candidate.name)?
            };
            Some((i, hits))
        })
        .collect()
}

fn pseudo_hits(scope: &Scope, pattern: &str) -> Option<Vec<usize>> {
    if scope.not {
        let meets = scope.patterns.iter().any(|p| wildcard::intersects(&p.text, pattern, true).unwrap_or(true));
        return (!meets).then(Vec::new);
    }
    let hits: Vec<usize> = scope
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| p.text == "*" || wildcard::covers(&p.text, pattern, true))
        .map(|(i, _)| i)
        .collect();
    (!hits.is_empty()).then_some(hits)
}

/// The access `changed` grants that `base` does not, per candidate action. Actions whose
/// statements are the same (say, every action `*` reaches) are compared once.
fn one_way(base: &PolicySet, changed: &PolicySet, actions: &[Candidate]) -> Vec<Change> {
    let mut memo: HashMap<(Applies, Applies), Vec<Change>> = HashMap::new();
    let mut out = Vec::new();
    for candidate in actions {
        let from = applying(base, candidate);
        let to = applying(changed, candidate);
        if !to.iter().any(|(i, _)| changed.statements.get(*i).is_some_and(|s| s.effect == Some(Effect::Allow))) {
            continue;
        }
        let key = (from, to);
        let changes = match memo.get(&key) {
            Some(hit) => hit.clone(),
            None => {
                let computed = grants(base, &key.0, changed, &key.1);
                memo.insert(key, computed.clone());
                computed
            }
        };
        out.extend(changes.into_iter().map(|mut c| {
            c.action = candidate.name.clone();
            c.expandable = candidate.expandable;
            c
        }));
    }
    out.extend(not_action_beyond(base, changed));
    out
}

/// A statement split into what it grants: one piece per `Resource` pattern, one for a
/// `NotResource`.
fn pieces(st: &Statement) -> Vec<(Resources, String)> {
    match &st.resource {
        Some(scope) if !scope.not => {
            scope.patterns.iter().map(|p| (Resources::Patterns(vec![p.text.clone()]), p.pointer.clone())).collect()
        }
        Some(scope) => vec![(Resources::of(scope), scope.pointer.clone())],
        None => Vec::new(),
    }
}

fn resources_of(st: &Statement) -> Option<Resources> {
    st.resource.as_ref().map(Resources::of)
}

/// Whether `deny` applies wherever `allow` (resources, conditions) does (a sufficient test).
fn denies_all(deny: &Statement, resources: &Resources, conditions: &[Condition]) -> bool {
    resources_of(deny).is_some_and(|r| r.covers(resources)) && implies(conditions, &deny.conditions) == Implies::Yes
}

/// What the `changed` statements of one action grant beyond the `base` statements; the
/// changes carry no action yet.
fn grants(base: &PolicySet, from: &Applies, changed: &PolicySet, to: &Applies) -> Vec<Change> {
    let pick = |set: &'_ PolicySet, list: &Applies, effect: Effect| -> Vec<(usize, Vec<usize>)> {
        list.iter().filter(|(i, _)| set.statements.get(*i).is_some_and(|s| s.effect == Some(effect))).cloned().collect()
    };
    let get = |set: &'_ PolicySet, i: usize| set.statements.get(i).cloned();
    let base_allows: Vec<Statement> =
        pick(base, from, Effect::Allow).iter().filter_map(|(i, _)| get(base, *i)).collect();
    let base_denies: Vec<Statement> =
        pick(base, from, Effect::Deny).iter().filter_map(|(i, _)| get(base, *i)).collect();
    let changed_denies: Vec<Statement> =
        pick(changed, to, Effect::Deny).iter().filter_map(|(i, _)| get(changed, *i)).collect();
    let mut out = Vec::new();
    for (index, hits) in pick(changed, to, Effect::Allow) {
        let Some(st) = changed.statements.get(index) else { continue };
        let action_pointers: Vec<String> = match &st.action {
            Some(scope) if scope.not => vec![scope.pointer.clone()],
            Some(scope) => hits.iter().filter_map(|h| scope.patterns.get(*h)).map(|p| p.pointer.clone()).collect(),
            None => Vec::new(),
        };
        for (piece, resource_pointer) in pieces(st) {
            if changed_denies.iter().any(|d| denies_all(d, &piece, &st.conditions)) {
                continue;
            }
            let change = |resources: Resources, exact: bool, why: Why, other: Option<&Statement>| Change {
                action: String::new(),
                expandable: true,
                resources,
                conditions: st.conditions.clone(),
                exact,
                why,
                statement: st.pointer.clone(),
                action_pointers: action_pointers.clone(),
                resource_pointer: resource_pointer.clone(),
                other: other.map(|o| o.pointer.clone()),
            };
            // The base grants that hold the piece, and how their conditions compare.
            let holding: Vec<(&Statement, Implies)> = base_allows
                .iter()
                .filter(|t| resources_of(t).is_some_and(|r| r.covers(&piece)))
                .map(|t| (t, implies(&st.conditions, &t.conditions)))
                .collect();
            let best = holding.iter().min_by_key(|(_, i)| *i);
            match best {
                Some((_, Implies::Yes)) => {
                    // Granted before too, unless a base `Deny` took part of it that no `Deny` of
                    // the change takes.
                    for d in base_denies.iter() {
                        let Some(denied) = resources_of(d) else { continue };
                        if !denied.may_intersect(&piece) {
                            continue;
                        }
                        let kept = changed_denies
                            .iter()
                            .map(|n| {
                                let covers = resources_of(n).is_some_and(|r| r.covers(&denied) || r.covers(&piece));
                                if covers {
                                    implies(&d.conditions, &n.conditions)
                                } else {
                                    Implies::No
                                }
                            })
                            .min()
                            .unwrap_or(Implies::No);
                        if kept != Implies::Yes {
                            let resources = if piece.covers(&denied) { denied } else { piece.clone() };
                            let why = if kept == Implies::Maybe { Why::ConditionChanged } else { Why::Deny };
                            out.push(change(resources, kept == Implies::No, why, Some(d)));
                        }
                    }
                }
                Some((t, Implies::Maybe)) => out.push(change(piece, false, Why::ConditionChanged, Some(t))),
                Some((t, Implies::No)) => out.push(change(piece, true, Why::ConditionDropped, Some(t))),
                None => {
                    let (why, other) = match (base_allows.first(), base_denies.first()) {
                        (Some(t), _) => (Why::Resource, Some(t)),
                        (None, Some(d)) => (Why::Deny, Some(d)),
                        (None, None) => (Why::Action, None),
                    };
                    out.push(change(piece, true, why, other));
                }
            }
        }
    }
    out
}

/// The `NotAction` grants of `changed` that may reach actions outside the catalog which
/// `base` did not grant: "may add access" on the pattern `*`, not expandable. A base
/// `NotAction` grant excluding no more (each of its patterns covered by one of the change's),
/// or a grant of `*`, on the same resources under weaker conditions, holds it.
fn not_action_beyond(base: &PolicySet, changed: &PolicySet) -> Vec<Change> {
    let allows = |set: &PolicySet| -> Vec<Statement> {
        live(set).filter(|(_, s)| s.effect == Some(Effect::Allow)).map(|(_, s)| s.clone()).collect()
    };
    let base_allows = allows(base);
    let mut out = Vec::new();
    for st in allows(changed) {
        let Some(scope) = st.action.as_ref().filter(|s| s.not) else { continue };
        let Some(resources) = resources_of(&st) else { continue };
        let held = base_allows.iter().any(|t| {
            let actions_held = t.action.as_ref().is_some_and(|a| {
                if a.not {
                    a.patterns.iter().all(|p| scope.patterns.iter().any(|q| wildcard::covers(&q.text, &p.text, true)))
                } else {
                    a.patterns.iter().any(|p| p.text == "*" || p.text == "*:*")
                }
            });
            actions_held
                && resources_of(t).is_some_and(|r| r.covers(&resources))
                && implies(&st.conditions, &t.conditions) == Implies::Yes
        });
        if !held {
            out.push(Change {
                action: "*".to_string(),
                expandable: false,
                resources,
                conditions: st.conditions.clone(),
                exact: false,
                why: Why::NotAction,
                statement: st.pointer.clone(),
                action_pointers: vec![scope.pointer.clone()],
                resource_pointer: st.resource.as_ref().map(|r| r.pointer.clone()).unwrap_or_default(),
                other: None,
            });
        }
    }
    out
}
