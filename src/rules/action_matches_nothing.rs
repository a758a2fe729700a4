use crate::catalog::{wildcard, Provenance, Resolved};
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "action-matches-nothing",
    Error,
    Validity,
    Policy,
    "a wildcard action of a catalogued service matches no action"
);

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
                if wildcard::has_wildcard(code) || !wildcard::has_wildcard(name) || is_template(item.value) {
                    continue;
                }
                // It matches some action, as the statement's resolution already says.
                if summary.matched().is_some() {
                    continue;
                }
                // A derived list (API names) lacks the console and other non-API actions, so a
                // wildcard that matches none of its names is judged only against an
                // authoritative list.
                let Some(service) =
                    cx.catalog.service(code).filter(|s| s.catalogued && s.provenance == Provenance::Authoritative)
                else {
                    continue;
                };
                // The resolution is cached per pattern (the same wildcard over the same list).
                if matches!(cx.catalog.resolve(item.value), Resolved::Actions(_, list) if !list.is_empty()) {
                    continue;
                }
                let date = service.catalog_date.as_deref().unwrap_or("unknown date");
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), code.len() + 1, item.value.len()),
                        format!("`{}` matches no `{}` action", item.value, service.code),
                    )
                    .label(format!("no match in the `{}` catalog of {date}", service.code))
                    .help(format!(
                        "check the spelling; `ramlint actions '{}:*'` lists the known actions",
                        service.code
                    )),
                );
            }
        }
    }
}
