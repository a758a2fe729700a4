use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unknown-action",
    Error,
    Validity,
    Policy,
    "the service is catalogued but the action is not",
    fixable
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for item in st.action_items() {
                let Some((code, name)) = item.value.split_once(':') else { continue };
                if name.is_empty() || wildcard::has_wildcard(item.value) || is_template(item.value) {
                    continue;
                }
                let Some(service) = cx.catalog.service(code).filter(|s| s.catalogued) else { continue };
                if service.get(name).is_some() {
                    continue;
                }
                let date = service.catalog_date.as_deref().unwrap_or("unknown date");
                let help = cx
                    .catalog
                    .closest(&format!("actions:{}", service.code), name, || {
                        service.actions.iter().map(|a| a.name.as_str())
                    })
                    .map(|c| format!("did you mean `{}:{c}`?", service.code))
                    .unwrap_or_else(|| format!("if `{name}` is newer than the catalog, add it with `--catalog`"));
                // The suggestion is a fix when no other action of the service is as close.
                let fix = crate::catalog::suggest::certain(name, service.actions.iter().map(|a| a.name.as_str()))
                    .and_then(|to| {
                        super::fixes::replace_part(
                            cx.text,
                            item.node.span,
                            item.value,
                            (code.len() + 1, item.value.len()),
                            to,
                            format!("replace `{name}` with `{to}`"),
                        )
                    });
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), code.len() + 1, item.value.len()),
                        format!("`{}` is not a known `{code}` action", item.value),
                    )
                    .label(format!("not in the `{code}` catalog of {date}"))
                    .help(help)
                    .fix(fix),
                );
            }
        }
    }
}
