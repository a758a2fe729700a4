//! Driven by the `deprecated` flag of `rules/actions/<code>.json` (Openmeta `deprecated` of
//! every product version that has the API).

use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(META, "deprecated-action", Info, Suggestion, Policy, "an action whose API is deprecated");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let summaries = st.summaries(cx.catalog);
            for (item, summary) in st.action_items().zip(summaries.iter()) {
                let Some((code, name)) = item.value.split_once(':') else { continue };
                if name.is_empty() || wildcard::has_wildcard(item.value) || is_template(item.value) {
                    continue;
                }
                // A catalogued action that is not deprecated, as the statement's resolution
                // already says.
                if summary.matched().is_some_and(|m| !m.deprecated) {
                    continue;
                }
                let Some(service) = cx.catalog.service(code) else { continue };
                let Some(action) = service.get(name).filter(|a| a.deprecated) else { continue };
                let svc = service.code.as_str();
                let date = service.catalog_date.as_deref().unwrap_or("unknown date");
                // The same API, current, in a code the product publishes with this one (the
                // deprecated ECS copies of the VPC EIP APIs are current in `vpc`).
                let current = cx
                    .catalog
                    .action_services()
                    .filter(|other| *other != svc && cx.catalog.same_product(svc, other))
                    .find_map(|other| {
                        let found = cx.catalog.service(other)?.get(&action.name).filter(|a| !a.deprecated)?;
                        Some(format!("{other}:{}", found.name))
                    });
                let help = match current {
                    Some(current) => format!("the same API is current as `{current}`; grant that action"),
                    None => format!("see the `{svc}` API reference for the API that replaces `{}`", action.name),
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), code.len() + 1, item.value.len()),
                        format!("`{}` is a deprecated `{svc}` API", item.value),
                    )
                    .label(format!("deprecated in the API metadata of {date}"))
                    .help(help),
                );
            }
        }
    }
}
