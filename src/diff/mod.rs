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
    /// For a policy embedded in Terraform, a ROS template or a plan: its template parts and
    /// the way back to the host file, per side (`None`: a policy file, or no such side).
    pub old_embedding: Option<Embedding>,
    pub new_embedding: Option<Embedding>,
}

impl Pair {
    /// Two policy files (no embedding).
    pub fn files(id: DocId, old: Option<String>, new: Option<String>) -> Pair {
        Pair { id, old, new, old_embedding: None, new_embedding: None }
    }
}

/// An embedded document of one side: the spans of its text that are template parts
/// (`${var.x}`, `Fn::Sub`: unknown values), and its host file (the text the user edits and the
/// map from the document's text to it).
#[derive(Debug, Clone)]
pub struct Embedding {
    pub unknown: Vec<crate::json::Span>,
    pub host_name: String,
    pub host_text: std::sync::Arc<str>,
    pub map: crate::json::PosMap,
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
    /// A template part (`${var.x}`, `Fn::Sub`) of either side takes part: an unknown value is
    /// never judged equal or narrower.
    Unknown,
    /// A role trust policy names a principal (a service, an account, a RAM user or role, an
    /// identity provider, `*`) the other side does not let assume the role.
    Principal,
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
            (Why::Unknown, _) => "depends on a template value (`${...}`) that is unknown here",
            (Why::Principal, true) => "principal not trusted before",
            (Why::Principal, false) => "principal no longer trusted",
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
    /// For a role trust policy: the principal that may assume the role, as its kind and value
    /// (`Service`, `ecs.aliyuncs.com`; an empty kind for `"Principal": "*"`); `resources` is
    /// then empty.
    pub principal: Option<(String, String)>,
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
    /// The embeddings of OLD and NEW (where their lines are).
    pub old_embedding: Option<Embedding>,
    pub new_embedding: Option<Embedding>,
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

/// The diff of one document. An embedded document whose text is the same on both sides is no
/// change (a template part that reads a variable reads the same expression); in a changed one,
/// each template part is an unknown value: never judged equal or narrower (see [`bounds`]).
pub fn diff(catalog: &Catalog, project: &crate::rules::Project, pair: &Pair) -> Result<DocDiff, PolicyError> {
    let old = compile(&pair.id, pair.old.as_deref())?;
    let new = compile(&pair.id, pair.new.as_deref())?;
    let empty = PolicySet::new(Vec::new())?;
    let (o, n) = (old.as_ref().unwrap_or(&empty), new.as_ref().unwrap_or(&empty));
    fn unknown(e: &Option<Embedding>) -> &[crate::json::Span] {
        e.as_ref().map(|e| e.unknown.as_slice()).unwrap_or_default()
    }
    let same = pair.old == pair.new;
    let (added, removed) = if same {
        (Vec::new(), Vec::new())
    } else if unknown(&pair.old_embedding).is_empty() && unknown(&pair.new_embedding).is_empty() {
        compare(catalog, o, n)
    } else {
        let (o_low, o_high, o_tainted) = bounds(o, unknown(&pair.old_embedding))?;
        let (n_low, n_high, n_tainted) = bounds(n, unknown(&pair.new_embedding))?;
        let actions = candidates(catalog, &[&o_low, &o_high, &n_low, &n_high]);
        let mark = |mut changes: Vec<Change>, granting: &[String], base: &[String]| {
            for c in &mut changes {
                if !base.is_empty() || granting.contains(&c.statement) {
                    c.exact = false;
                    if c.why != Why::Action && c.why != Why::Principal {
                        c.why = Why::Unknown;
                    }
                }
            }
            changes
        };
        let mut added = one_way(&o_low, &n_high, &actions);
        added.extend(trust_one_way(o, unknown(&pair.old_embedding), n, unknown(&pair.new_embedding)));
        let mut removed = one_way(&n_low, &o_high, &actions);
        removed.extend(trust_one_way(n, unknown(&pair.new_embedding), o, unknown(&pair.old_embedding)));
        // Patterns are reported as written (`acs:vpc:*:${var.account}:eip/*`), not widened.
        let written = |changes: &mut Vec<Change>, set: &PolicySet, high: &PolicySet| {
            let mut names: HashMap<String, String> = HashMap::new();
            for (a, b) in set.statements.iter().zip(&high.statements) {
                for (x, y) in [(&a.action, &b.action), (&a.resource, &b.resource)] {
                    if let (Some(x), Some(y)) = (x, y) {
                        for (p, q) in x.patterns.iter().zip(&y.patterns) {
                            if p.text != q.text {
                                names.insert(q.text.clone(), p.text.clone());
                            }
                        }
                    }
                }
            }
            for c in changes.iter_mut() {
                let (Resources::Patterns(list) | Resources::AllBut(list)) = &mut c.resources;
                for p in list.iter_mut() {
                    if let Some(w) = names.get(p.as_str()) {
                        p.clone_from(w);
                    }
                }
                if !c.expandable {
                    if let Some(w) = names.get(&c.action) {
                        c.action.clone_from(w);
                    }
                }
            }
        };
        written(&mut added, n, &n_high);
        written(&mut removed, o, &o_high);
        (mark(added, &n_tainted, &o_tainted), mark(removed, &o_tainted, &n_tainted))
    };
    let findings = if same {
        Vec::new()
    } else {
        security::introduced(
            catalog,
            project,
            &pair.id.file,
            pair.old.as_deref(),
            pair.new.as_deref(),
            pair.new_embedding.as_ref(),
            pair.id.resource.as_deref(),
        )
    };
    Ok(DocDiff {
        id: pair.id.clone(),
        old,
        new,
        old_embedding: pair.old_embedding.clone(),
        new_embedding: pair.new_embedding.clone(),
        added,
        removed,
        findings,
    })
}

/// (added, removed) between two compiled policies: access to calls, and trust (who may
/// assume the role).
pub fn compare(catalog: &Catalog, old: &PolicySet, new: &PolicySet) -> (Vec<Change>, Vec<Change>) {
    let actions = candidates(catalog, &[old, new]);
    let mut added = one_way(old, new, &actions);
    added.extend(trust_one_way(old, &[], new, &[]));
    let mut removed = one_way(new, old, &actions);
    removed.extend(trust_one_way(new, &[], old, &[]));
    (added, removed)
}

/// The two bounds of a policy whose text has unknown values (`unknown`: spans of its text):
/// the least it may grant (an `Allow` pattern, `NotResource`/`NotAction` exclusion or
/// condition that holds an unknown value matches nothing or never holds; a `Deny` one matches
/// everything or always holds) and the most (the reverse: each unknown part of a pattern is
/// `*`). Added access is what the most of NEW grants beyond the least of OLD, so a change
/// that depends on an unknown value is reported (as may add), never judged equal or narrower.
/// The third list: the pointers of the statements that hold an unknown value.
fn bounds(set: &PolicySet, unknown: &[crate::json::Span]) -> Result<(PolicySet, PolicySet, Vec<String>), PolicyError> {
    let sources = || set.files.iter().map(|f| (f.name.clone(), f.text.to_string())).collect::<Vec<_>>();
    let (mut low, mut high) = (PolicySet::new(sources())?, PolicySet::new(sources())?);
    let mut tainted = Vec::new();
    let Some(file) = set.files.first() else {
        return Ok((low, high, tainted));
    };
    let mut spans = crate::json::Spans::new(&file.root);
    let mut parts = unknown.to_vec();
    parts.sort_unstable();
    let touched = |span: crate::json::Span| -> Vec<crate::json::Span> {
        let from = parts.partition_point(|u| u.end <= span.start);
        parts.get(from..).unwrap_or_default().iter().take_while(|u| u.start < span.end).copied().collect()
    };
    use crate::json::{Occurrence, Part};
    for (i, st) in set.statements.iter().enumerate() {
        let mut any = false;
        let mut at = |pointer: &str, part: Part| spans.span(&file.text, pointer, part, Occurrence::Last);
        // The effect: unknown is `Allow` at the most and `Deny` at the least.
        let effect_unknown = at(&format!("{}/Effect", st.pointer), Part::Value).is_some_and(|s| !touched(s).is_empty());
        let mut widened: Vec<(bool, bool, usize, Option<String>)> = Vec::new(); // (action?, not, index, wide text)
        for (is_action, scope) in [(true, &st.action), (false, &st.resource)] {
            let Some(scope) = scope else { continue };
            for (k, p) in scope.patterns.iter().enumerate() {
                let Some(span) = at(&p.pointer, Part::Value) else { continue };
                let hits = touched(span);
                if hits.is_empty() {
                    continue;
                }
                // The pattern with each unknown part as `*` (the whole string when it has escapes).
                let inner = crate::json::Span::new(span.start + 1, span.end.saturating_sub(1));
                let raw = file.text.get(inner.start..inner.end).unwrap_or_default();
                let wide = if raw == p.text {
                    let mut w = String::new();
                    let mut from = inner.start;
                    for h in &hits {
                        w.push_str(file.text.get(from..h.start.max(from)).unwrap_or_default());
                        w.push('*');
                        from = h.end.max(from);
                    }
                    w.push_str(file.text.get(from..inner.end).unwrap_or_default());
                    Some(w)
                } else {
                    None
                };
                widened.push((is_action, scope.not, k, wide));
            }
        }
        let mut conditions = Vec::new();
        for (k, c) in st.conditions.iter().enumerate() {
            let key = at(&c.pointer, Part::Key);
            let value = at(&c.pointer, Part::Value);
            if key.into_iter().chain(value).any(|s| !touched(s).is_empty()) {
                conditions.push(k);
            }
        }
        if effect_unknown || !widened.is_empty() || !conditions.is_empty() {
            any = true;
        }
        if !any {
            continue;
        }
        tainted.push(st.pointer.clone());
        for (set, most) in [(&mut low, false), (&mut high, true)] {
            let Some(target) = set.statements.get_mut(i) else { continue };
            if effect_unknown {
                target.effect = Some(if most { Effect::Allow } else { Effect::Deny });
            }
            let allow = target.effect == Some(Effect::Allow);
            // Whether an unknown element should match more (`*`) rather than nothing.
            for (is_action, not, k, wide) in &widened {
                let scope = if *is_action { target.action.as_mut() } else { target.resource.as_mut() };
                let Some(scope) = scope else { continue };
                // A pattern that lists grants more when it matches more; an exclusion less.
                let more = most == allow;
                let matches_more = more != *not;
                if let Some(pattern) = scope.patterns.get_mut(*k) {
                    pattern.text = if matches_more {
                        wide.clone().unwrap_or_else(|| "*".to_string())
                    } else {
                        // Matches no action or resource: a character none has.
                        "\u{0}".to_string()
                    };
                }
            }
            // A condition with an unknown value: always holds when that grants more (an `Allow`
            // at the most, a `Deny` at the least), never holds otherwise.
            let holds = most == allow;
            if holds {
                let mut k = 0;
                target.conditions.retain(|_| {
                    let keep = !conditions.contains(&k);
                    k += 1;
                    keep
                });
            } else if !conditions.is_empty() {
                target.effect = None;
            }
        }
    }
    Ok((low, high, tainted))
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
                principal: None,
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
                principal: None,
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

/// One principal a trust statement lets assume a role with one action: the action as written,
/// the principal's kind (`Service`, `RAM`, `Federated`; empty for `"Principal": "*"`) and
/// value, where it is, and the statement's conditions.
#[derive(Debug, Clone)]
struct Trust<'s> {
    action: String,
    kind: String,
    value: String,
    /// The value as written (`value` is `*` for a template part read at its widest).
    written: String,
    /// The value holds a template part (an unknown value).
    unknown: bool,
    pointer: String,
    statement: &'s Statement,
}

impl Trust<'_> {
    /// Whether this grant's principal and action include `other`'s.
    fn covers(&self, other: &Trust<'_>) -> bool {
        let principal = self.kind.is_empty()
            || (self.kind.eq_ignore_ascii_case(&other.kind) && (self.value == "*" || self.value == other.value));
        let action = self.action == "*" || wildcard::covers(&self.action, &other.action, true);
        principal && action
    }

    /// Whether the two grants may name a common principal and action.
    fn meets(&self, other: &Trust<'_>) -> bool {
        let principal = self.kind.is_empty()
            || other.kind.is_empty()
            || (self.kind.eq_ignore_ascii_case(&other.kind)
                && (self.value == "*" || other.value == "*" || self.value == other.value));
        principal && wildcard::intersects(&self.action, &other.action, true).unwrap_or(true)
    }
}

/// The statement node a statement pointer names (`/Statement/2`, or `/Statement`).
fn statement_node<'n>(root: &'n crate::json::Node<'n>, pointer: &str) -> Option<&'n crate::json::Node<'n>> {
    let statement = &root.get("Statement")?.value;
    match pointer.strip_prefix("/Statement/") {
        Some(index) => statement.as_array()?.get(index.parse::<usize>().ok()?),
        None => Some(statement),
    }
}

/// The trust grants of a policy's statements with `effect` (trust statements RAM applies).
/// A principal value that holds a template part (`unknown`: spans of the policy's text) is
/// `*` of its kind when `widest`, and names no one otherwise.
fn trusts<'s>(set: &'s PolicySet, effect: Effect, unknown: &[crate::json::Span], widest: bool) -> Vec<Trust<'s>> {
    use crate::json::Value;
    let mut out = Vec::new();
    let touches = |s: crate::json::Span| unknown.iter().any(|u| u.start < s.end && s.start < u.end);
    for st in set.statements.iter().filter(|s| s.trust && s.effect == Some(effect) && s.malformed.is_none()) {
        if st.conditions.iter().any(Condition::never_holds) {
            continue;
        }
        let Some(file) = set.files.get(st.file) else { continue };
        let Some(node) = statement_node(&file.root, &st.pointer) else {
            continue;
        };
        let Some(principal) = node.get("Principal") else { continue };
        let at = format!("{}/Principal", st.pointer);
        let mut named: Vec<(String, String, String, bool)> = Vec::new();
        match &principal.value.value {
            Value::String(v) if &**v == "*" => {
                named.push((String::new(), "*".to_string(), at.clone(), touches(principal.value.span)));
            }
            Value::Object(members) => {
                for m in members {
                    let key = crate::json::Pointer::root().key(&m.key);
                    let key = key.as_str().trim_start_matches('/');
                    let items: Vec<(&crate::json::Node, String)> = match &m.value.value {
                        Value::Array(items) => {
                            items.iter().enumerate().map(|(i, n)| (n, format!("{at}/{key}/{i}"))).collect()
                        }
                        _ => vec![(&m.value, format!("{at}/{key}"))],
                    };
                    for (n, pointer) in items {
                        if let Some(v) = n.as_str() {
                            named.push((m.key.to_string(), v.to_string(), pointer, touches(n.span)));
                        }
                    }
                }
            }
            _ => {}
        }
        let actions: Vec<String> = match &st.action {
            Some(scope) if !scope.not => scope.patterns.iter().map(|p| p.text.clone()).collect(),
            // `NotAction` in a trust policy: any action but those (as `*`).
            Some(_) => vec!["*".to_string()],
            None => Vec::new(),
        };
        for action in &actions {
            for (kind, value, pointer, unknown) in &named {
                if *unknown && !widest {
                    continue;
                }
                out.push(Trust {
                    action: action.clone(),
                    kind: kind.clone(),
                    value: if *unknown { "*".to_string() } else { value.clone() },
                    written: value.clone(),
                    unknown: *unknown,
                    pointer: pointer.clone(),
                    statement: st,
                });
            }
        }
    }
    out
}

/// The principals `changed` lets assume the role that `base` did not (`+ sts:AssumeRole by
/// ...`): a grant is held when a base `Allow` covers its principal and action under conditions
/// it implies, and no base `Deny` that may meet it was lifted (a base `Deny` the change has no
/// `Deny` covering under implied conditions).
fn trust_one_way(
    base: &PolicySet,
    base_unknown: &[crate::json::Span],
    changed: &PolicySet,
    changed_unknown: &[crate::json::Span],
) -> Vec<Change> {
    // The least `base` grants and the most `changed` grants.
    let base_allows = trusts(base, Effect::Allow, base_unknown, false);
    let base_denies = trusts(base, Effect::Deny, base_unknown, true);
    let changed_denies = trusts(changed, Effect::Deny, changed_unknown, false);
    let mut out = Vec::new();
    for grant in trusts(changed, Effect::Allow, changed_unknown, true) {
        let conditions = &grant.statement.conditions;
        let denied = changed_denies
            .iter()
            .any(|d| d.covers(&grant) && implies(conditions, &d.statement.conditions) == Implies::Yes);
        if denied {
            continue;
        }
        let best = base_allows
            .iter()
            .filter(|h| h.covers(&grant))
            .map(|h| (h, implies(conditions, &h.statement.conditions)))
            .min_by_key(|(_, i)| *i);
        let lifted = base_denies.iter().find(|d| {
            d.meets(&grant)
                && !changed_denies
                    .iter()
                    .any(|n| n.covers(d) && implies(&d.statement.conditions, &n.statement.conditions) == Implies::Yes)
        });
        let (why, exact, other) = match (best, lifted) {
            (Some((_, Implies::Yes)), None) => continue,
            (Some((_, Implies::Yes)), Some(d)) => (Why::Deny, true, Some(d.statement)),
            (Some((h, Implies::Maybe)), _) => (Why::ConditionChanged, false, Some(h.statement)),
            (Some((h, Implies::No)), _) => (Why::ConditionDropped, true, Some(h.statement)),
            (None, _) => (Why::Principal, true, None),
        };
        let unknown = grant.unknown || base_allows.iter().chain(&base_denies).any(|t| t.unknown);
        let exact = exact && !unknown;
        out.push(Change {
            action: grant.action.clone(),
            expandable: true,
            resources: Resources::Patterns(Vec::new()),
            principal: Some((grant.kind.clone(), grant.written.clone())),
            conditions: conditions.clone(),
            exact,
            why,
            statement: grant.statement.pointer.clone(),
            action_pointers: vec![grant.pointer.clone()],
            resource_pointer: String::new(),
            other: other.map(|o| o.pointer.clone()),
        });
    }
    out
}
