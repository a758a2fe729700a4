//! Least-privilege policies from observed calls: the calls' actions grouped by the resources
//! they need (actions that need the same resources share a statement), widened as asked, and
//! widened further, step by step, until the policy fits RAM's size limit.

use crate::catalog::Catalog;
use crate::model::arn;
use crate::rules::policy_too_large::{minified_len, LIMIT};
use std::collections::{BTreeMap, BTreeSet};

/// How far resources are widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Widen {
    /// The ids seen.
    None,
    /// Every resource of each type (`eip/*`).
    Ids,
    /// Every resource of each service in each region and account (`acs:vpc:cn-hangzhou:123:*`).
    Services,
    /// `*`.
    All,
}

/// Widens one ARN (a non-ARN, such as `*`, stays as it is).
pub fn widen(catalog: &Catalog, resource: &str, how: Widen) -> String {
    let Ok(a) = arn::parse(resource) else { return resource.to_string() };
    match how {
        Widen::None => resource.to_string(),
        Widen::Ids => match catalog.resource_types.classify(a.service.text, a.relative.text) {
            Some(m) => format!(
                "{}{}*",
                resource.get(..a.relative.start).unwrap_or_default(),
                a.relative.text.get(..m.id_offset).unwrap_or_default()
            ),
            None => resource.to_string(),
        },
        Widen::Services => format!("acs:{}:{}:{}:*", a.service.text, a.region.text, a.account.text),
        Widen::All => "*".to_string(),
    }
}

/// Drops resources another pattern of the list already covers. Only a pattern with a
/// wildcard covers anything else, and those are few: this stays linear in the ids seen.
fn minimal(resources: BTreeSet<String>) -> Vec<String> {
    use crate::catalog::wildcard;
    let (patterns, ids): (Vec<String>, Vec<String>) = resources.into_iter().partition(|r| wildcard::has_wildcard(r));
    let strictly_covers = |a: &str, b: &str| a != b && wildcard::covers(a, b, false) && !wildcard::covers(b, a, false);
    let kept_patterns: Vec<&String> =
        patterns.iter().filter(|p| !patterns.iter().any(|other| strictly_covers(other, p))).collect();
    let kept_ids = ids.iter().filter(|id| !kept_patterns.iter().any(|p| wildcard::matches(p, id, false)));
    let mut out: Vec<String> = kept_patterns.iter().map(|p| (*p).clone()).chain(kept_ids.cloned()).collect();
    out.sort();
    out
}

/// A generated policy: `Allow` statements of (actions, resources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub statements: Vec<(Vec<String>, Vec<String>)>,
}

impl Generated {
    /// The document, members in RAM's usual order, two-space indented.
    pub fn to_text(&self) -> String {
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let list = |items: &[String]| match items {
            [one] => quote(one),
            _ => format!(
                "[\n{}\n      ]",
                items.iter().map(|i| format!("        {}", quote(i))).collect::<Vec<_>>().join(",\n")
            ),
        };
        let statements: Vec<String> = self
            .statements
            .iter()
            .map(|(actions, resources)| {
                format!(
                    "    {{\n      \"Effect\": \"Allow\",\n      \"Action\": {},\n      \"Resource\": {}\n    }}",
                    list(actions),
                    list(resources)
                )
            })
            .collect();
        format!("{{\n  \"Version\": \"1\",\n  \"Statement\": [\n{}\n  ]\n}}\n", statements.join(",\n"))
    }

    /// Characters without insignificant whitespace (what RAM's size limit counts).
    pub fn compact_len(&self) -> usize {
        minified_len(&self.to_text())
    }
}

/// The policy for the observed calls (action -> resources), widened as asked.
pub fn policy(catalog: &Catalog, observed: &BTreeMap<String, BTreeSet<String>>, how: Widen) -> Generated {
    // Resources -> the actions that need exactly them.
    let mut groups: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (action, resources) in observed {
        let widened: BTreeSet<String> = resources.iter().map(|r| widen(catalog, r, how)).collect();
        let widened =
            if widened.contains("*") || widened.is_empty() { vec!["*".to_string()] } else { minimal(widened) };
        groups.entry(widened).or_default().push(action.clone());
    }
    let mut statements: Vec<(Vec<String>, Vec<String>)> = groups.into_iter().map(|(r, a)| (a, r)).collect();
    for (actions, _) in &mut statements {
        actions.sort_by_key(|a| a.to_lowercase());
    }
    statements.sort();
    Generated { statements }
}

/// The narrowest policy, starting at `from`, that fits RAM's size limit, and how far it
/// had to be widened.
pub fn fitting(catalog: &Catalog, observed: &BTreeMap<String, BTreeSet<String>>, from: Widen) -> (Generated, Widen) {
    let mut how = from;
    loop {
        let generated = policy(catalog, observed, how);
        let next = match how {
            Widen::None => Widen::Ids,
            Widen::Ids => Widen::Services,
            Widen::Services => Widen::All,
            Widen::All => return (generated, how),
        };
        if generated.compact_len() <= LIMIT {
            return (generated, how);
        }
        how = next;
    }
}
