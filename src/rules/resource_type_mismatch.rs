use crate::catalog::{suggest, wildcard, Catalog, Resolved, Summarized, Summary};
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

/// A resource pattern as RAM's wildcards see it: a Terraform or ROS part (`${var.project}`)
/// may stand for anything, so it reads as `*`.
fn as_glob(relative: &str) -> std::borrow::Cow<'_, str> {
    if !crate::model::policy::is_template(relative) {
        return std::borrow::Cow::Borrowed(relative);
    }
    let mut out = String::with_capacity(relative.len());
    let mut rest = relative;
    while let Some(at) = rest.find("${") {
        out.push_str(rest.get(..at).unwrap_or_default());
        out.push('*');
        rest = match rest.get(at..).and_then(|r| r.find('}')) {
            Some(close) => rest.get(at + close + 1..).unwrap_or_default(),
            None => "",
        };
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether a documented resource type of an action can match the ARN. `*` (no resource-level
/// authorization) takes only an ARN that names none of the documented types; `<svc>:*` every
/// ARN of that service; a type its template's resources (see [`CompiledType::may_match`]).
fn accepts(catalog: &Catalog, ty: &str, arn: &Arn<'_>, glob: &str, named: &dyn Fn() -> bool) -> bool {
    if ty == "*" {
        return !named();
    }
    if let Some(service) = ty.strip_suffix(":*") {
        return service.eq_ignore_ascii_case(arn.service.text);
    }
    match catalog.resource_types.get(ty) {
        Some(t) => t.spec.service.eq_ignore_ascii_case(arn.service.text) && t.may_match(glob),
        None => true,
    }
}

/// One action string of a statement, resolved once per statement for all its ARNs (and the
/// other rules, see [`Statement::summaries`]): the catalog's cached summary of it (its
/// services and documented resource types are computed once per action string).
struct ItemTypes<'s>(&'s Summarized);

impl ItemTypes<'_> {
    /// Whether the action could apply to an ARN of `service`; `None` for `*` (as
    /// [`crate::rules::arn_service_mismatch::service_fits`] of that action alone).
    fn fits(&self, catalog: &Catalog, service: &str) -> Option<bool> {
        Some(match self.0.get() {
            Summary::Any => return None,
            Summary::Undocumented(code) => catalog.same_product(code, service) || code.is_empty(),
            Summary::Actions(code, matched) => {
                code.eq_ignore_ascii_case(service)
                    || matched.resource_services.iter().any(|s| s.eq_ignore_ascii_case(service))
                    || (!matched.documented && catalog.same_product(code, service))
            }
        })
    }

    /// The resource types its actions document (sorted, without repeats); `None` when one of
    /// them documents none, or it names no catalogued action (an unknown action is
    /// `unknown-action`'s finding alone): it may then take anything of its service.
    fn types(&self) -> Option<&[String]> {
        match self.0.get() {
            Summary::Actions(_, matched) => matched.types.as_deref(),
            _ => None,
        }
    }
}

/// What RAM does with one ARN of a statement, each action judged on its own.
enum Verdict {
    /// Some action may match it.
    Matches,
    /// No action applies to its service: `arn-service-mismatch`'s finding.
    OtherService,
    /// Every action applies to its service or not, and none of them matches it.
    Never,
}

/// Whether RAM never matches the ARN for any action of the statement: for each action alone,
/// it never applies to the ARN's service (`arn-service-mismatch` for that action alone), or its
/// actions document their resource types and none of them can match. So adding an action can
/// only take a finding away, and a finding on a statement is a finding on each of its actions.
fn verdict(catalog: &Catalog, items: &[ItemTypes<'_>], arn: &Arn<'_>, named: &dyn Fn() -> bool) -> Verdict {
    let service = arn.service.text;
    // An unknown service is `unknown-service`'s finding alone.
    if items.is_empty() || wildcard::has_wildcard(service) || !catalog.is_service(service) {
        return Verdict::Matches;
    }
    let glob = as_glob(arn.relative.text);
    let mut other_service = true;
    for item in items {
        match item.fits(catalog, service) {
            None => return Verdict::Matches,
            Some(false) => continue,
            Some(true) => other_service = false,
        }
        let Some(types) = item.types() else { return Verdict::Matches };
        if types.iter().any(|t| accepts(catalog, t, arn, &glob, named)) {
            return Verdict::Matches;
        }
    }
    if other_service {
        Verdict::OtherService
    } else {
        Verdict::Never
    }
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            let Some(resources) = &st.resource else { continue };
            if st.not_action.is_some() || st.arns().is_empty() {
                continue;
            }
            let summaries = st.summaries(cx.catalog);
            let items: Vec<ItemTypes<'_>> = summaries.iter().take(st.actions().len()).map(ItemTypes).collect();
            for (item, arn) in st.arns() {
                if !resources.items.iter().any(|i| i.pointer == item.pointer) {
                    continue;
                }
                let found = std::cell::OnceCell::new();
                let classify = || cx.catalog.resource_types.classify(arn.service.text, arn.relative.text);
                let named = || found.get_or_init(classify).is_some();
                if !matches!(verdict(cx.catalog, &items, arn, &named), Verdict::Never) {
                    continue;
                }
                let Some(action) = st.actions().first() else { continue };
                let Some(found) = found.get_or_init(classify) else {
                    unknown_type(cx, st, item, arn, action);
                    continue;
                };
                let name = found.ty.name().to_string();
                cx.emit(
                    Finding::new(
                        &META,
                        Target::value(item.pointer.to_string()),
                        format!("no action of this statement accepts `{}` resources", found.ty.spec.id),
                    )
                    .label(format!("a `{}` ARN ({name})", found.ty.spec.id))
                    .related(Target::value(action.pointer.to_string()), "documented not to take this resource type")
                    .help(help(cx.catalog, st)),
                );
            }
        }
    }
}

/// The help of a finding: the resource types the statement's actions are documented to take.
fn help(catalog: &Catalog, st: &Statement<'_>) -> String {
    let mut templates: Vec<String> = Vec::new();
    for item in st.actions() {
        if let Resolved::Actions(_, list) = catalog.resolve(item.value) {
            for ty in list.iter().flat_map(|a| a.resources.iter().flatten()) {
                let shown = catalog.resource_types.get(ty).map_or_else(|| ty.clone(), |t| format!("`{}`", t.spec.arn));
                if !templates.contains(&shown) && templates.len() < 4 {
                    templates.push(shown);
                }
            }
        }
    }
    if templates.is_empty() {
        return "RAM never matches this resource for these actions; use the resource type the actions authorize (`ramlint actions <action>` lists them)".to_string();
    }
    format!(
        "RAM never matches this resource for these actions; they authorize {} (`ramlint actions <action>` lists them)",
        templates.join(", ")
    )
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
fn unknown_type(cx: &mut Context<'_>, st: &Statement<'_>, item: &Item<'_>, arn: &Arn<'_>, action: &Item<'_>) {
    let service = arn.service.text;
    let named = type_segment(arn.relative.text).and_then(|(segment, sep)| {
        let segments = service_segments(cx.catalog, service)?;
        let known = segments.iter().any(|s| s.eq_ignore_ascii_case(segment));
        (!known || sep != '/').then_some((segment, sep, segments, known))
    });
    let Some((segment, _, segments, known)) = named else {
        // The ARN names no single type by its path (`project/p/*`, an OSS object): say which
        // types of its service it can match, none of which the actions take.
        let glob = as_glob(arn.relative.text);
        let fits: Vec<String> = cx
            .catalog
            .resource_types
            .types
            .iter()
            .filter(|t| {
                t.spec.service.eq_ignore_ascii_case(service) && !t.spec.id.ends_with(":*") && t.may_match(&glob)
            })
            .take(4)
            .map(|t| format!("`{}`", t.spec.id))
            .collect();
        let (message, label) = if fits.is_empty() || fits.len() > 3 {
            let label = match fits.len() {
                0 => format!("fits no documented `{service}` resource type"),
                _ => "fits several resource types, none of which these actions take".to_string(),
            };
            (format!("no action of this statement matches `{}`", arn.relative.text), label)
        } else {
            (
                format!("no action of this statement accepts the {} resources of this ARN", fits.join(", ")),
                format!("can match only {} resources", fits.join(", ")),
            )
        };
        cx.emit(
            Finding::new(&META, Target::value(item.pointer.to_string()), message)
                .label(label)
                .related(Target::value(action.pointer.to_string()), "documented to take other resource types")
                .help(help(cx.catalog, st)),
        );
        return;
    };
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
