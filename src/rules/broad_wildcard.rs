//! Driven by the action lists of `rules/actions/` (names and access levels).

use crate::catalog::{wildcard, Action, Resolved};
use crate::finding::{Finding, Target};
use crate::model::policy::{Item, Policy};
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

fn is_read(action: &Action) -> bool {
    matches!(action.access.as_deref(), Some("get" | "list"))
}

fn is_write(action: &Action) -> bool {
    matches!(action.access.as_deref(), Some("create" | "update" | "delete"))
}

/// Whether the other actions of the statement are all documented read actions.
fn rest_read_only(cx: &Context<'_>, items: &[Item<'_>], this: &Item<'_>) -> bool {
    let mut others = items.iter().filter(|i| i.pointer != this.pointer).peekable();
    others.peek().is_some()
        && others.all(|i| match cx.catalog.resolve(i.value) {
            Resolved::Actions(_, list) => !list.is_empty() && list.iter().all(|a| is_read(a)),
            _ => false,
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
            for item in items {
                let Some((code, name)) = item.value.split_once(':') else { continue };
                // `vpc:*` names the whole service on purpose; `*` is `full-admin`'s.
                if wildcard::has_wildcard(code)
                    || !wildcard::has_wildcard(name)
                    || name.bytes().all(|b| b == b'*')
                    || !cx.catalog.service(code).is_some_and(|s| s.catalogued)
                {
                    continue;
                }
                let Resolved::Actions(_, matched) = cx.catalog.resolve(item.value) else { continue };
                // RAM matches actions case-insensitively: `*Eip*` reaches `CreateIpam`
                // through `...teIp...`. A match is surprising when a literal part of the
                // pattern is not in its name as written.
                let fragments: Vec<&str> = name.split(['*', '?']).filter(|f| !f.is_empty()).collect();
                let read_only = rest_read_only(cx, items, item);
                let surprising: Vec<&Action> = matched
                    .iter()
                    .copied()
                    .filter(|a| fragments.iter().any(|f| !a.name.contains(f)) || (read_only && is_write(a)))
                    .collect();
                if surprising.is_empty() {
                    continue;
                }
                let examples = surprising
                    .iter()
                    .take(EXAMPLES)
                    .map(|a| format!("`{code}:{}`", a.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                let why = if read_only && surprising.iter().any(|a| is_write(a)) {
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
                            match surprising.len() {
                                1 => "1 action".to_string(),
                                n => format!("{n} actions"),
                            }
                        ),
                    )
                    .label(format!("matches {} actions in all", matched.len()))
                    .help(format!(
                        "it reaches {why}; list the actions meant (`ramlint actions '{}'` shows every match)",
                        item.value
                    )),
                );
            }
        }
    }
}
