use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::arn;
use crate::model::policy::{Policy, Statement};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "privilege-escalation",
    Warning,
    Security,
    Policy,
    "`Allow` of actions that let a principal raise its own rights, on `*`"
);

pub struct Rule;

/// Whether the statement's resources reach any principal: `*`, or a RAM ARN whose id is a
/// wildcard (`acs:ram:*:*:user/*`).
pub fn broad_ram_resource(st: &Statement<'_>) -> bool {
    st.resources().iter().any(|r| {
        // Without a wildcard anywhere, its relative id has none: no ARN needs parsing.
        r.value == "*"
            || (wildcard::has_wildcard(r.value)
                && arn::parse(r.value).is_ok_and(|a| {
                    (a.service.text.eq_ignore_ascii_case("ram") || a.service.text == "*")
                        && wildcard::has_wildcard(a.relative.text)
                }))
    })
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow() || st.is_trust() || !broad_ram_resource(st) {
                continue;
            }
            // Every action that grants a path, so one run shows everything to fix; `*` (and
            // `*:*`) is `full-admin`'s alone.
            let hits = st.actions().iter().filter(|i| !super::full_admin::every_action(i.value)).filter_map(|item| {
                // A pattern whose RAM code is literal matches only the escalation actions of
                // that code: the others are not tried one by one. Only over ASCII, where the
                // match folds case as `eq_ignore_ascii_case` does (an action that is not ASCII
                // is always tried).
                let code = item.value.split_once(':').map_or(item.value, |(code, _)| code);
                if code.is_ascii()
                    && !wildcard::has_wildcard(code)
                    && !cx.catalog.escalation.iter().any(|e| {
                        // `code` (without a `:`) then a `:` opens the action: its code is `code`.
                        !e.action.is_ascii()
                            || (e.action.as_bytes().get(code.len()) == Some(&b':')
                                && e.action.get(..code.len()).is_some_and(|other| other.eq_ignore_ascii_case(code)))
                    })
                {
                    return None;
                }
                cx.catalog
                    .escalation
                    .iter()
                    .filter(|e| !e.action.eq_ignore_ascii_case("ram:PassRole"))
                    .find(|e| wildcard::matches(item.value, &e.action, true))
                    .map(|e| (item, e))
            });
            let hits: Vec<_> = hits.collect();
            for (item, escalation) in hits {
                let why = escalation
                    .why
                    .clone()
                    .unwrap_or_else(|| format!("it is a known escalation path ({})", escalation.path));
                let label = if item.value.eq_ignore_ascii_case(&escalation.action) {
                    "grants an escalation path".to_string()
                } else {
                    format!("covers `{}`", escalation.action)
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        format!("`{}` on every principal lets the caller raise its own permissions", item.value),
                    )
                    .label(label)
                    .help(format!(
                        "`{}`: {why}; limit the resource to the principals it should manage",
                        escalation.action
                    )),
                );
            }
        }
    }
}
