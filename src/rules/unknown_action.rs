//! Driven by `rules/actions/<code>.json`: an authoritative list (`ramActions`, a RAM
//! authorization table, a list verified against the RAM documentation) makes an unknown action
//! an error; a derived list (the product's API names under its RAM code) makes it a warning that
//! says so, with the metadata snapshot's date.

use crate::catalog::{wildcard, Provenance};
use crate::finding::{Finding, Severity, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unknown-action",
    Error,
    Validity,
    Policy,
    "the service is catalogued but the action is not",
    fixable,
    wins_over = ["redundant-action"]
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
                if name.is_empty() || wildcard::has_wildcard(item.value) || is_template(item.value) {
                    continue;
                }
                // A catalogued action, as the statement's resolution already says.
                if summary.matched().is_some() {
                    continue;
                }
                let Some(service) = cx.catalog.service(code).filter(|s| s.catalogued) else { continue };
                if service.get(name).is_some() {
                    continue;
                }
                let svc = service.code.as_str();
                let date = service.catalog_date.as_deref().unwrap_or("unknown date");
                let suggestion = cx
                    .catalog
                    .closest(&format!("actions:{svc}"), name, || service.actions.iter().map(|a| a.name.as_str()))
                    .map(|c| format!("did you mean `{svc}:{c}`?"));
                let target = Target::substring(item.pointer.to_string(), code.len() + 1, item.value.len());
                // The suggestion is a fix when no other action of the service is as close, and only
                // for an authoritative list: a derived one lacks the console actions, so a name
                // missing from it may be right. A certain candidate is within the distance
                // `closest` allows, so without a suggestion there is none (and nothing to scan).
                let fix = (service.provenance != Provenance::Derived && suggestion.is_some())
                    .then(|| {
                        cx.catalog.certain(&service.code, name, || service.actions.iter().map(|a| a.name.as_str()))
                    })
                    .flatten()
                    .and_then(|to| {
                        super::fixes::replace_part(
                            cx.text,
                            item.node.span,
                            item.value,
                            (code.len() + 1, item.value.len()),
                            &to,
                            format!("replace `{name}` with `{to}`"),
                        )
                    });
                let finding = if service.provenance == Provenance::Derived {
                    let weak = cx
                        .catalog
                        .service_info(svc)
                        .filter(|s| s.weak)
                        .map(|_| format!("; the RAM code `{svc}` itself rests on weak evidence"))
                        .unwrap_or_default();
                    Finding::new(
                        &META,
                        target,
                        format!(
                            "`{}` is not among the `{svc}` API names of the metadata snapshot of {date}",
                            item.value
                        ),
                    )
                    .severity(Severity::Warning)
                    .label(format!("not in the `{svc}` list derived from API names ({date})"))
                    .help(format!(
                        "{}the `{svc}` list is derived from the product's API names, and RAM actions that are not API \
                         names (console actions) are missing from it{weak}; add a real action with `--catalog`",
                        suggestion.map(|s| format!("{s} ")).unwrap_or_default()
                    ))
                } else {
                    Finding::new(&META, target, format!("`{}` is not a known `{svc}` action", item.value))
                        .label(format!("not in the `{svc}` catalog of {date}"))
                        .help(suggestion.unwrap_or_else(|| {
                            format!("if `{name}` is newer than the catalog, add it with `--catalog`")
                        }))
                };
                cx.emit(finding.fix(fix));
            }
        }
    }
}
