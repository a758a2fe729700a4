//! Why a call is allowed or denied: for each resource, the statements that decided; for
//! each statement, whether it applies and, if not, the first element that does not match.

use super::condition::Check;
use super::{Call, Decision, Effect, PolicySet, Statement};
use serde::Serialize;

pub struct Evaluation {
    pub action: String,
    pub decision: Decision,
    pub resources: Vec<ResourceVerdict>,
    /// One per statement of the set, in order.
    pub statements: Vec<Outcome>,
}

pub struct ResourceVerdict {
    pub resource: String,
    pub decision: Decision,
    /// The statements that decided (indices into [`PolicySet::statements`]).
    pub deciding: Vec<usize>,
}

/// What one statement did for the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It applies to these resources (indices into the call's resources); `at` is its first
    /// matching action pattern (or its `NotAction`).
    Applies { resources: Vec<usize>, at: String },
    /// It is not evaluated for calls; `at` is the element that says why.
    NotEvaluated { at: String, reason: String },
    /// It does not apply: `at` is the first element that does not match, of this kind.
    NoMatch { element: Element, at: String, reason: String },
}

/// Which part of a statement kept it from applying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Action,
    Resource,
    Condition,
}

impl Outcome {
    pub fn at(&self) -> &str {
        match self {
            Outcome::Applies { at, .. } | Outcome::NotEvaluated { at, .. } | Outcome::NoMatch { at, .. } => at,
        }
    }

    /// Why the statement does not apply (`None` when it does).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Applies { .. } => None,
            Outcome::NotEvaluated { reason, .. } | Outcome::NoMatch { reason, .. } => Some(reason),
        }
    }

    /// Whether the statement failed to apply on this element.
    pub fn failed_on(&self, element: Element) -> bool {
        matches!(self, Outcome::NoMatch { element: e, .. } if *e == element)
    }
}

fn list(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn outcome(statement: &Statement, call: &Call, resources: &[String]) -> Outcome {
    let not_evaluated = |at: String, reason: &str| Outcome::NotEvaluated { at, reason: reason.to_string() };
    if statement.trust {
        return not_evaluated(
            format!("{}/Principal", statement.pointer),
            "a trust statement decides who may assume the role; it does not grant calls",
        );
    }
    if statement.effect.is_none() {
        return not_evaluated(format!("{}/Effect", statement.pointer), "its `Effect` is not `Allow` or `Deny`");
    }
    if let Some((at, reason)) = &statement.malformed {
        return not_evaluated(at.clone(), &format!("{reason}: RAM would reject it, so it never applies"));
    }
    let Some(action) = &statement.action else {
        return not_evaluated(statement.pointer.clone(), "it has neither `Action` nor `NotAction`");
    };
    let Some(hits) = statement.matching_actions(&call.action) else {
        let excluded = action.patterns.iter().find(|p| super::action_matches(&p.text, &call.action));
        return match (action.not, excluded) {
            (true, Some(p)) => Outcome::NoMatch {
                element: Element::Action,
                at: p.pointer.clone(),
                reason: format!("`NotAction` pattern `{}` excludes `{}`", p.text, call.action),
            },
            _ => Outcome::NoMatch {
                element: Element::Action,
                at: action.pointer.clone(),
                reason: format!("no pattern of `Action` matches `{}`", call.action),
            },
        };
    };
    let at_action =
        hits.first().and_then(|&i| action.patterns.get(i)).map_or(action.pointer.clone(), |p| p.pointer.clone());
    let Some(scope) = &statement.resource else {
        return not_evaluated(statement.pointer.clone(), "it has neither `Resource` nor `NotResource`");
    };
    let matched: Vec<usize> = resources
        .iter()
        .enumerate()
        .filter(|(_, r)| statement.resource_in_scope(r, call.open))
        .map(|(i, _)| i)
        .collect();
    if matched.is_empty() {
        let element = if scope.not { "`NotResource` excludes" } else { "no pattern of `Resource` matches" };
        return Outcome::NoMatch {
            element: Element::Resource,
            at: scope.pointer.clone(),
            reason: format!("{element} {}", list(resources)),
        };
    }
    for condition in &statement.conditions {
        let reason = match condition.check(&call.context) {
            Check::Met => continue,
            Check::Missing => {
                format!("the call carries no `{}` (a condition on a missing key does not hold)", condition.key)
            }
            Check::NotMet => format!(
                "`{}` is {}, which does not satisfy `{}` {}",
                condition.key,
                list(call.context.get(&condition.key).unwrap_or_default()),
                condition.operator,
                list(&condition.values)
            ),
            Check::Unsupported => {
                format!("RAM does not support the operator `{}`: the condition never holds", condition.operator)
            }
        };
        return Outcome::NoMatch { element: Element::Condition, at: condition.pointer.clone(), reason };
    }
    Outcome::Applies { resources: matched, at: at_action }
}

pub fn explain(set: &PolicySet, call: &Call) -> Evaluation {
    let resources = call.resources_or_all();
    let statements: Vec<Outcome> = set.statements.iter().map(|s| outcome(s, call, resources)).collect();
    let applying = |effect: Effect, r: usize| -> Vec<usize> {
        statements
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                set.statements.get(*i).and_then(|s| s.effect) == Some(effect)
                    && matches!(o, Outcome::Applies { resources, .. } if resources.contains(&r))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let verdicts: Vec<ResourceVerdict> = resources
        .iter()
        .enumerate()
        .map(|(r, resource)| {
            let deny = applying(Effect::Deny, r);
            let (decision, deciding) = if !deny.is_empty() {
                (Decision::ExplicitDeny, deny)
            } else {
                let allow = applying(Effect::Allow, r);
                if allow.is_empty() {
                    (Decision::ImplicitDeny, allow)
                } else {
                    (Decision::Allow, allow)
                }
            };
            ResourceVerdict { resource: resource.clone(), decision, deciding }
        })
        .collect();
    let decision = if verdicts.iter().any(|v| v.decision == Decision::ExplicitDeny) {
        Decision::ExplicitDeny
    } else if verdicts.iter().any(|v| v.decision == Decision::ImplicitDeny) {
        Decision::ImplicitDeny
    } else {
        Decision::Allow
    };
    Evaluation { action: call.action.clone(), decision, resources: verdicts, statements }
}

impl Evaluation {
    /// The statements that decided the call: the `Deny`s for an explicit deny, the `Allow`s
    /// for an allow, none for an implicit deny.
    pub fn deciding(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .resources
            .iter()
            .filter(|v| v.decision == self.decision)
            .flat_map(|v| v.deciding.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// One sentence for a finding's help: what decided, or why nothing allowed the call.
    pub fn summary(&self, set: &PolicySet) -> String {
        let name = |i: usize| {
            set.statements.get(i).map_or(String::new(), |s| format!("`{}` of `{}`", s.pointer, set.file_name(s)))
        };
        match self.decision {
            Decision::ExplicitDeny => {
                let denied: Vec<String> = self.deciding().into_iter().map(name).collect();
                let noun = if denied.len() == 1 { "statement" } else { "statements" };
                format!("denied by the `Deny` {noun} {}", denied.join(" and "))
            }
            Decision::Allow => "allowed".into(),
            Decision::ImplicitDeny => {
                let missing: Vec<String> = self
                    .resources
                    .iter()
                    .filter(|v| v.decision == Decision::ImplicitDeny)
                    .map(|v| v.resource.clone())
                    .collect();
                // The `Allow`s that name the action, and why each did not apply; the others
                // differ by action, which one sentence says.
                let reasons: Vec<String> = self
                    .statements
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| set.statements.get(*i).and_then(|s| s.effect) == Some(Effect::Allow))
                    .filter(|(_, o)| !o.failed_on(Element::Action))
                    .map(|(i, o)| match o.reason() {
                        Some(reason) => format!("{}: {reason}", name(i)),
                        None => format!("{} does not cover {}", name(i), list(&missing)),
                    })
                    .collect();
                const SHOWN: usize = 5;
                let more = reasons.len().saturating_sub(SHOWN);
                let mut shown: Vec<String> = reasons.into_iter().take(SHOWN).collect();
                if more > 0 {
                    shown.push(format!("and {more} more (`ramlint simulate` shows them all)"));
                }
                if shown.is_empty() {
                    format!("no `Allow` statement grants `{}`", self.action)
                } else {
                    format!("no statement allows it on {}; {}", list(&missing), shown.join("; "))
                }
            }
        }
    }
}

#[derive(Serialize)]
struct Matched<'a> {
    file: &'a str,
    pointer: &'a str,
    effect: Option<Effect>,
}

#[derive(Serialize)]
struct StatementJson<'a> {
    file: &'a str,
    pointer: &'a str,
    effect: Option<Effect>,
    applies: bool,
    at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl Evaluation {
    fn matched<'s>(&self, set: &'s PolicySet, indices: &[usize]) -> Vec<Matched<'s>> {
        indices
            .iter()
            .filter_map(|&i| set.statements.get(i))
            .map(|s| Matched { file: set.file_name(s), pointer: &s.pointer, effect: s.effect })
            .collect()
    }

    /// The JSON report of `ramlint simulate --format json`.
    pub fn to_json(&self, set: &PolicySet) -> serde_json::Value {
        let statements: Vec<StatementJson<'_>> = set
            .statements
            .iter()
            .zip(&self.statements)
            .map(|(s, o)| StatementJson {
                file: set.file_name(s),
                pointer: &s.pointer,
                effect: s.effect,
                applies: matches!(o, Outcome::Applies { .. }),
                at: o.at(),
                reason: o.reason(),
            })
            .collect();
        serde_json::json!({
            "decision": self.decision,
            "matched": self.matched(set, &self.deciding()),
            "action": self.action,
            "resources": self.resources.iter().map(|v| serde_json::json!({
                "resource": v.resource,
                "decision": v.decision,
                "matched": self.matched(set, &v.deciding),
            })).collect::<Vec<_>>(),
            "statements": statements,
        })
    }
}
