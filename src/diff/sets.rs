//! Resource sets and condition blocks compared by what they allow: `Resource` patterns or
//! `NotResource` (all but some patterns), and conjunctions of conditions. Every answer is
//! sound in one direction: `covers` says yes only when the set surely holds the other, and
//! `may_intersect` says no only when the sets surely share nothing.

use crate::catalog::wildcard;
use crate::eval::condition::Condition;
use crate::eval::Scope;

/// The resources a statement names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resources {
    /// Any resource one of the patterns matches (`Resource`).
    Patterns(Vec<String>),
    /// Any resource none of the patterns matches (`NotResource`).
    AllBut(Vec<String>),
}

impl Resources {
    pub fn of(scope: &Scope) -> Resources {
        let patterns = scope.patterns.iter().map(|p| p.text.clone()).collect();
        if scope.not {
            Resources::AllBut(patterns)
        } else {
            Resources::Patterns(patterns)
        }
    }

    /// Whether `pattern` matches every resource `other` can match (resources compare with
    /// case, as RAM matches them).
    fn pattern_covers(pattern: &str, other: &str) -> bool {
        pattern == "*" || wildcard::covers(pattern, other, false)
    }

    /// Whether two patterns may match a common resource (`true` when undecided).
    fn patterns_meet(a: &str, b: &str) -> bool {
        wildcard::intersects(a, b, false).unwrap_or(true)
    }

    /// Whether every resource of `other` is in `self` (a sufficient test).
    pub fn covers(&self, other: &Resources) -> bool {
        match (self, other) {
            (Resources::Patterns(a), Resources::Patterns(b)) => {
                b.iter().all(|q| a.iter().any(|p| Self::pattern_covers(p, q)))
            }
            (Resources::Patterns(a), Resources::AllBut(_)) => {
                a.iter().any(|p| !p.is_empty() && p.chars().all(|c| c == '*'))
            }
            (Resources::AllBut(a), Resources::Patterns(b)) => {
                b.iter().all(|q| a.iter().all(|p| !Self::patterns_meet(p, q)))
            }
            (Resources::AllBut(a), Resources::AllBut(b)) => {
                a.iter().all(|p| b.iter().any(|q| Self::pattern_covers(q, p)))
            }
        }
    }

    /// Whether the two sets may share a resource (`false` only when they surely do not).
    pub fn may_intersect(&self, other: &Resources) -> bool {
        match (self, other) {
            (Resources::Patterns(a), Resources::Patterns(b)) => {
                a.iter().any(|p| b.iter().any(|q| Self::patterns_meet(p, q)))
            }
            (Resources::Patterns(a), Resources::AllBut(n)) | (Resources::AllBut(n), Resources::Patterns(a)) => {
                !a.iter().all(|p| n.iter().any(|q| Self::pattern_covers(q, p)))
            }
            (Resources::AllBut(_), Resources::AllBut(_)) => true,
        }
    }

    /// Whether a concrete resource is in the set.
    pub fn contains(&self, resource: &str) -> bool {
        let hit = |patterns: &[String]| patterns.iter().any(|p| wildcard::matches(p, resource, false));
        match self {
            Resources::Patterns(p) => hit(p),
            Resources::AllBut(n) => !hit(n),
        }
    }

    /// The patterns as the report lists them: `*` for all but some (see [`Resources::except`]).
    pub fn patterns(&self) -> Vec<String> {
        match self {
            Resources::Patterns(p) => p.clone(),
            Resources::AllBut(_) => vec!["*".to_string()],
        }
    }

    /// The excluded patterns of a `NotResource` set.
    pub fn except(&self) -> &[String] {
        match self {
            Resources::Patterns(_) => &[],
            Resources::AllBut(n) => n,
        }
    }

    /// `a`, `b` (and for `NotResource`: `all but `a``).
    pub fn describe(&self) -> String {
        let list = |p: &[String]| p.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        match self {
            Resources::Patterns(p) => list(p),
            Resources::AllBut(n) => format!("all but {}", list(n)),
        }
    }
}

/// How one condition block relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Implies {
    /// Every call the first block lets through, the second does too.
    Yes,
    /// Undecided: a key is tested by both blocks in ways that are not comparable exactly.
    Maybe,
    /// The second block tests a key the first does not: calls without it (or with any value)
    /// pass the first and not the second.
    No,
}

/// Whether the operator holds when the context value matches none of its values.
fn negated(operator: &str) -> bool {
    let base = operator.rsplit(':').next().unwrap_or(operator);
    base.contains("Not")
}

/// Whether every call that satisfies all of `strong` also satisfies all of `weak`. Values of
/// one key are OR'd, so a positive operator with a subset of the values is stronger, and a
/// negated one (`StringNotEquals`, `NotIpAddress`) with a superset; a key both blocks test in
/// other ways is [`Implies::Maybe`] ("condition changed").
pub fn implies(strong: &[Condition], weak: &[Condition]) -> Implies {
    let mut answer = Implies::Yes;
    for w in weak {
        let same_key: Vec<&Condition> = strong.iter().filter(|s| s.key.eq_ignore_ascii_case(&w.key)).collect();
        let stronger = same_key.iter().any(|s| {
            s.operator == w.operator
                && if negated(&w.operator) {
                    w.values.iter().all(|v| s.values.contains(v))
                } else {
                    s.values.iter().all(|v| w.values.contains(v))
                }
        });
        let this = if stronger {
            Implies::Yes
        } else if same_key.is_empty() {
            Implies::No
        } else {
            Implies::Maybe
        };
        answer = answer.max(this);
    }
    answer
}

/// A condition block as the JSON report shows it: `{operator: {key: [values]}}`, `null`
/// for none.
pub fn to_json(conditions: &[Condition]) -> serde_json::Value {
    if conditions.is_empty() {
        return serde_json::Value::Null;
    }
    let mut block = serde_json::Map::new();
    for c in conditions {
        let entry = block.entry(c.operator.clone()).or_insert_with(|| serde_json::json!({}));
        if let Some(keys) = entry.as_object_mut() {
            keys.insert(c.key.clone(), serde_json::json!(c.values));
        }
    }
    serde_json::Value::Object(block)
}

/// `IpAddress acs:SourceIp 10.0.0.0/8` for the text report.
pub fn describe(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| {
            format!(
                "{} `{}` {}",
                c.operator,
                c.key,
                c.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
