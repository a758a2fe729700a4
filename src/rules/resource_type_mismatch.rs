use crate::catalog::{suggest, wildcard, Catalog, Resolved};
use crate::finding::{Finding, Target};
use crate::model::arn::Arn;
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
                    unknown_type(cx, st, item, arn);
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

/// The type segment of a relative id: the text before its first `/` (`eip` of
/// `eip/eip-1`), or before its first `:` when it has no `/` (`eip:eip-1`, a colon for a
/// slash); `None` for a relative id without either (`*`, a bucket name), or one whose type
/// is a wildcard or a template.
fn type_segment(relative: &str) -> Option<(&str, char)> {
    let (segment, sep) = match relative.split_once('/') {
        Some((segment, _)) => (segment, '/'),
        None => (relative.split_once(':')?.0, ':'),
    };
    (!segment.is_empty() && !wildcard::has_wildcard(segment) && !crate::model::policy::is_template(segment))
        .then_some((segment, sep))
}

/// The literal type segments of a service's resource types (`eip`, `vpc`...), or `None` when
/// one of its types starts with a placeholder or a wildcard (any relative id may be one).
fn service_segments<'c>(catalog: &'c Catalog, service: &str) -> Option<Vec<&'c str>> {
    let mut segments = Vec::new();
    for ty in catalog.resource_types.of_service(service) {
        let literal = ty.literal_prefix.split_once('/').map(|(s, _)| s)?;
        if literal.is_empty() || wildcard::has_wildcard(literal) {
            return None;
        }
        segments.push(literal);
    }
    (!segments.is_empty()).then_some(segments)
}

/// A resource whose type its service does not have (`eips/...`, `eip:...`, `acs:ecs:...:eip/...`),
/// when every action of the statement documents its resource types and none takes every type
/// of that service: RAM never matches it for these actions.
fn unknown_type(cx: &mut Context<'_>, st: &Statement<'_>, item: &Item<'_>, arn: &Arn<'_>) {
    let service = arn.service.text;
    if wildcard::has_wildcard(service) {
        return;
    }
    let Some((segment, sep)) = type_segment(arn.relative.text) else { return };
    let Some(segments) = service_segments(cx.catalog, service) else { return };
    let lower = segment.to_ascii_lowercase();
    let known = segments.iter().any(|s| s.eq_ignore_ascii_case(segment));
    if known && sep == '/' {
        return;
    }
    // The colon form names no type at all: look up a type id no action documents.
    let type_id = match sep {
        '/' => format!("{}:{lower}", service.to_ascii_lowercase()),
        _ => format!("{}:{}", service.to_ascii_lowercase(), arn.relative.text),
    };
    if any_action_takes_all(cx.catalog, st) {
        return;
    }
    let Some(action) = unsupported(cx.catalog, st, &type_id) else { return };
    let (message, label, help) = if known {
        // A known type, then a colon where the id should follow a slash.
        let fixed = format!("{segment}/{}", arn.relative.text.get(segment.len() + 1..).unwrap_or_default());
        (
            format!(
                "`{}` is not a `{service}` resource: the type and the id are separated by a colon",
                arn.relative.text
            ),
            "a colon for a slash: RAM never matches it".to_string(),
            format!("did you mean `{fixed}`? a resource id follows its type after a `/`"),
        )
    } else if let Some(other) = other_service(cx.catalog, service, segment) {
        (
            format!("`{segment}` is not a resource type of `{service}`"),
            format!("`{segment}` is a `{other}` resource type: RAM never matches it under `{service}`"),
            format!(
                "did you mean `acs:{other}:{}:{}:{}`? an ARN names the service that owns its resource type",
                arn.region.text, arn.account.text, arn.relative.text
            ),
        )
    } else {
        let help = suggest::did_you_mean(segment, segments.iter().copied()).unwrap_or_else(|| {
            format!(
                "`{service}` resource types are {}",
                segments.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            )
        });
        (
            format!("`{segment}` is not a resource type of `{service}`"),
            "unknown resource type: RAM never matches it".to_string(),
            help,
        )
    };
    cx.emit(
        Finding::new(
            &META,
            Target::substring(item.pointer.to_string(), arn.relative.start, arn.relative.start + segment.len() + 1),
            message,
        )
        .label(label)
        .related(Target::value(action.pointer.to_string()), "documented to take other resource types")
        .help(help),
    );
}

/// Whether an action of the statement is documented to take any resource (`*`).
fn any_action_takes_all(catalog: &Catalog, st: &Statement<'_>) -> bool {
    st.actions().iter().any(|item| match catalog.resolve(item.value) {
        Resolved::Actions(_, list) => {
            list.iter().any(|a| a.resources.as_ref().is_some_and(|t| t.iter().any(|t| t == "*")))
        }
        _ => false,
    })
}

/// Another service that has `segment` as a resource type (`vpc` for `eip`).
fn other_service<'c>(catalog: &'c Catalog, service: &str, segment: &str) -> Option<&'c str> {
    catalog
        .resource_types
        .types
        .iter()
        .filter(|t| !t.spec.service.eq_ignore_ascii_case(service))
        .find(|t| t.literal_prefix.split_once('/').is_some_and(|(s, _)| s.eq_ignore_ascii_case(segment)))
        .map(|t| t.spec.service.as_str())
}
