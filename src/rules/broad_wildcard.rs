//! Driven by the action lists of `rules/actions/` (names and access levels).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::catalog::{wildcard, Action, Catalog, Resolved, Summarized, Summary};
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "broad-wildcard",
    Warning,
    Security,
    Policy,
    "an `Allow` wildcard action matches actions its pattern does not name"
);

pub struct Rule;

/// How many surprising matches a message names.
const EXAMPLES: usize = 3;

fn is_write(action: &Action) -> bool {
    matches!(action.access.as_deref(), Some("create" | "update" | "delete"))
}

/// Whether the other actions of the statement (all but the `this`-th, each with its resolution)
/// are all documented read actions.
fn rest_read_only(summaries: &[Summarized], this: usize) -> bool {
    let mut others = summaries.iter().enumerate().filter(|(i, _)| *i != this).peekable();
    others.peek().is_some() && others.all(|(_, s)| s.matched().is_some_and(|m| m.read_only))
}

/// What a wildcard pattern matches that it does not name: how many actions, the first
/// [`EXAMPLES`] of them as a message lists them, whether one of them is a write action, and
/// how many actions it matches in all.
struct Surprise {
    count: usize,
    examples: String,
    write: bool,
    matched: usize,
}

/// The most patterns the per-thread cache of [`surprise`] keeps.
const SURPRISE_CACHE: usize = 1 << 16;

type SurpriseCache = (u64, HashMap<(String, bool), Option<Rc<Surprise>>, foldhash::fast::FixedState>);

thread_local! {
    /// [`surprise`] by catalog, pattern as written and `read_only`: the same patterns come back
    /// policy after policy, and each answer walks every action the pattern matches.
    static SURPRISES: RefCell<SurpriseCache> = RefCell::new((0, HashMap::default()));
}

/// The surprising matches of `pattern` (`code:name`) when the rest of its statement is
/// `read_only`, or `None` when it has none or matches no catalogued action; cached per thread.
fn surprise(catalog: &Catalog, pattern: &str, code: &str, name: &str, read_only: bool) -> Option<Rc<Surprise>> {
    let key = (pattern.to_string(), read_only);
    let cached = SURPRISES.with(|cell| {
        let cache = cell.try_borrow().ok()?;
        (cache.0 == catalog.id()).then(|| cache.1.get(&key).cloned()).flatten()
    });
    if let Some(found) = cached {
        return found;
    }
    let found = surprise_uncached(catalog, pattern, code, name, read_only).map(Rc::new);
    SURPRISES.with(|cell| {
        if let Ok(mut cache) = cell.try_borrow_mut() {
            if cache.0 != catalog.id() {
                *cache = (catalog.id(), HashMap::default());
            }
            if cache.1.len() < SURPRISE_CACHE {
                cache.1.insert(key, found.clone());
            }
        }
    });
    found
}

fn surprise_uncached(catalog: &Catalog, pattern: &str, code: &str, name: &str, read_only: bool) -> Option<Surprise> {
    let Resolved::Actions(_, matched) = catalog.resolve(pattern) else { return None };
    // RAM matches actions case-insensitively: `*Eip*` reaches `CreateIpam` through
    // `...teIp...`. A match is surprising when a literal part of the pattern is not in its
    // name as written.
    let fragments: Vec<&str> = name.split(['*', '?']).filter(|f| !f.is_empty()).collect();
    let surprising: Vec<&Action> = matched
        .iter()
        .copied()
        .filter(|a| fragments.iter().any(|f| !a.name.contains(f)) || (read_only && is_write(a)))
        .collect();
    if surprising.is_empty() {
        return None;
    }
    let examples =
        surprising.iter().take(EXAMPLES).map(|a| format!("`{code}:{}`", a.name)).collect::<Vec<_>>().join(", ");
    Some(Surprise {
        count: surprising.len(),
        examples,
        write: surprising.iter().any(|a| is_write(a)),
        matched: matched.len(),
    })
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow() || st.is_trust() {
                continue;
            }
            let items = st.actions();
            let summaries = st.summaries(cx.catalog);
            let summaries = summaries.get(..items.len()).unwrap_or_default();
            for (at, (item, summary)) in items.iter().zip(summaries).enumerate() {
                let Some((code, name)) = item.value.split_once(':') else { continue };
                // `vpc:*` names the whole service on purpose; `*` is `full-admin`'s.
                if wildcard::has_wildcard(code)
                    || !wildcard::has_wildcard(name)
                    || name.bytes().all(|b| b == b'*')
                    || !cx.catalog.service(code).is_some_and(|s| s.catalogued)
                {
                    continue;
                }
                if !matches!(summary.get(), Summary::Actions(..)) {
                    continue;
                }
                let read_only = rest_read_only(summaries, at);
                let Some(surprise) = surprise(cx.catalog, item.value, code, name, read_only) else { continue };
                let Surprise { count, examples, write, matched } = &*surprise;
                let why = if read_only && *write {
                    "write or delete actions beside read-only ones, or names that only match case-insensitively"
                } else {
                    "names that only match case-insensitively (RAM ignores case)"
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        format!(
                            "`{}` also matches {} it does not name: {examples}",
                            item.value,
                            match count {
                                1 => "1 action".to_string(),
                                n => format!("{n} actions"),
                            }
                        ),
                    )
                    .label(format!("matches {matched} actions in all"))
                    .help(format!(
                        "it reaches {why}; list the actions meant (`ramlint actions '{}'` shows every match)",
                        item.value
                    )),
                );
            }
        }
    }
}
