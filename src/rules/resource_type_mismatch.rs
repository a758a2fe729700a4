use crate::catalog::{Catalog, Resolved};
use crate::finding::{Finding, Target};
use crate::model::policy::{Item, Policy, Statement};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "resource-type-mismatch",
    Warning,
    Validity,
    Policy,
    "no action of the statement supports the resource's type"
);

pub struct Rule;

/// The first action of the statement, if every action's resource types are documented and
/// none accepts `type_id`; `None` when some action accepts it or is undocumented.
fn unsupported<'s, 'a>(catalog: &Catalog, st: &'s Statement<'a>, type_id: &str) -> Option<&'s Item<'a>> {
    if st.not_action.is_some() {
        return None;
    }
    let items = st.actions();
    for item in items {
        match catalog.resolve(item.value) {
            Resolved::Any | Resolved::Undocumented(_) => return None,
            Resolved::Actions(_, list) => {
                for action in list {
                    let types = action.resources.as_ref()?;
                    let service_wide = |t: &String| {
                        t.strip_suffix(":*")
                            .is_some_and(|s| type_id.split(':').next().is_some_and(|ts| ts.eq_ignore_ascii_case(s)))
                    };
                    if types.iter().any(|t| t.eq_ignore_ascii_case(type_id) || service_wide(t)) {
                        return None;
                    }
                }
            }
        }
    }
    items.first()
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(resources) = &st.resource else { continue };
            for (item, arn) in st.arns() {
                if !resources.items.iter().any(|i| i.pointer == item.pointer)
                    || super::arn_service_mismatch::fires(cx.catalog, st, arn)
                {
                    continue;
                }
                let Some(found) = cx.catalog.resource_types.classify(arn.service.text, arn.relative.text) else {
                    continue;
                };
                let Some(action) = unsupported(cx.catalog, st, &found.ty.spec.id) else { continue };
                let name = found.ty.name().to_string();
                cx.emit(
                    Finding::new(&META, Target::value(item.pointer.to_string()), format!("no action of this statement accepts `{}` resources", found.ty.spec.id))
                        .label(format!("a `{}` ARN ({name})", found.ty.spec.id))
                        .related(Target::value(action.pointer.to_string()), "documented not to take this resource type")
                        .help("RAM never matches this resource for these actions; use the resource type the actions authorize (`ramlint actions <action>` lists them)"),
                );
            }
        }
    }
}
