use crate::catalog::{suggest, wildcard};
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unknown-condition-key",
    Warning,
    Validity,
    Policy,
    "a key that is neither a global `acs:` key nor a key of the statement's services"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            // Without a condition there is no key to judge (nor codes to gather).
            if st.conditions().is_empty() {
                continue;
            }
            let codes: Vec<&str> = [&st.action, &st.not_action]
                .into_iter()
                .flatten()
                .flat_map(|v| v.items.iter())
                .map(|i| i.value.split_once(':').map_or(i.value, |(c, _)| c))
                .collect();
            let any_service = st.not_action.is_some() || codes.iter().any(|c| *c == "*" || wildcard::has_wildcard(c));
            for block in st.conditions() {
                for entry in &block.entries {
                    let key = entry.key;
                    let Some((code, _)) = key.split_once(':') else { continue };
                    if !super::invalid_condition_key::is_well_formed(key) {
                        continue;
                    }
                    let is_global = code.eq_ignore_ascii_case("acs");
                    let statement_service =
                        codes.iter().any(|c| c.eq_ignore_ascii_case(code) || cx.catalog.same_product(c, code));
                    let known = cx.catalog.condition_key(key).is_some();
                    let message = if is_global && !known {
                        format!("`{key}` is not a known global condition key")
                    } else if is_global || (known && statement_service) {
                        continue;
                    } else if statement_service && cx.catalog.has_keys_for(code) {
                        format!("`{key}` is not a known condition key of `{code}`")
                    } else if !statement_service && !any_service && !st.is_trust() {
                        format!("`{key}` is not a key of this statement's services")
                    } else {
                        continue;
                    };
                    let candidates = cx
                        .catalog
                        .condition_key_names()
                        .filter(|k| k.split_once(':').is_some_and(|(c, _)| c.eq_ignore_ascii_case(code)));
                    // `aws:SourceIp`: an AWS IAM global key, whose RAM twin is `acs:SourceIp`.
                    let twin = key
                        .split_once(':')
                        .filter(|(c, _)| c.eq_ignore_ascii_case("aws"))
                        .map(|(_, rest)| format!("acs:{rest}"))
                        .and_then(|k| cx.catalog.condition_key_names().find(|n| n.eq_ignore_ascii_case(&k)));
                    let help = match twin {
                        Some(twin) => format!("`aws:` is the prefix of AWS IAM's global keys; RAM's global keys use `acs:`: did you mean `{twin}`?"),
                        None => suggest::did_you_mean(key, candidates)
                            .unwrap_or_else(|| "a condition on a key the request never carries is never met".into()),
                    };
                    cx.emit(
                        Finding::new(&META, Target::key(entry.pointer.to_string()), message)
                            .label("unknown key")
                            .help(help),
                    );
                }
            }
        }
    }
}
