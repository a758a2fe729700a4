use crate::finding::{Finding, Target};
use crate::model::arn;
use crate::model::policy::{Item, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "full-admin",
    Error,
    Security,
    Policy,
    "`Allow` of every action (or every RAM action) on every resource without a condition"
);

pub struct Rule;

/// Whether a pattern is made of `*` only (`*`, `**`): it matches every string.
fn all_stars(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b'*')
}

/// Whether an action pattern matches every action: `*`, or `*:*` (any pattern whose service
/// code and action name are only `*`).
pub fn every_action(action: &str) -> bool {
    all_stars(action) || action.split_once(':').is_some_and(|(code, name)| all_stars(code) && all_stars(name))
}

/// Whether an action pattern matches every RAM action (`ram:*`, any case: RAM matches actions
/// case-insensitively).
fn every_ram_action(action: &str) -> bool {
    action.split_once(':').is_some_and(|(code, name)| code.eq_ignore_ascii_case("ram") && all_stars(name))
}

/// Whether a resource pattern matches every resource: `*`, or an ARN whose five fields are
/// only `*` (`acs:*:*:*:*`).
pub fn every_resource(resource: &str) -> bool {
    all_stars(resource)
        || arn::parse(resource)
            .is_ok_and(|a| [a.service.text, a.region.text, a.account.text, a.relative.text].into_iter().all(all_stars))
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            if !st.is_allow() || st.has_condition() || st.is_trust() {
                continue;
            }
            // `Resource` and `Action` lists are ORed: one item that matches everything makes
            // the whole statement match everything, whatever the other items say.
            let Some(resource) = st.resources().iter().find(|i| every_resource(i.value)) else { continue };
            let actions = st.actions();
            if let Some(action) = actions.iter().find(|i| every_action(i.value)) {
                cx.emit(finding(
                    st.pointer.to_string(),
                    action,
                    resource,
                    "this statement grants every action on every resource",
                    "every action",
                    "grant the actions and resources the principal needs, or limit the statement with a `Condition`",
                ));
            } else if let Some(action) = actions.iter().find(|i| every_ram_action(i.value)) {
                cx.emit(finding(
                    st.pointer.to_string(),
                    action,
                    resource,
                    format!("`{}` on every resource is administrator access", action.value),
                    "every RAM action",
                    "with every RAM action the caller can attach `AdministratorAccess` to itself; grant the RAM actions it needs (for example `ram:Get*`, `ram:List*`) or limit `Resource` to the users, groups, roles and policies it manages",
                ));
            }
        }
    }
}

fn finding(
    statement: String,
    action: &Item<'_>,
    resource: &Item<'_>,
    message: impl Into<String>,
    what: &str,
    help: &str,
) -> Finding {
    Finding::new(&META, Target::Anchored { pointer: statement, at: action.pointer.to_string() }, message)
        .label(format!("{what}: full administrator access"))
        .related(Target::value(resource.pointer.to_string()), "every resource")
        .help(help)
}
