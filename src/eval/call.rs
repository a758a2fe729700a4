//! From a recorded call to an authorization request: the RAM action (the product's RAM code,
//! not its name: EIP APIs are `vpc:`), the resource ARNs from the knowledge base's templates
//! filled from the parameters, and the context keys the record carries. Which fields hold
//! what is data (`rules/authorization.json`).

use super::{Call, Context};
use crate::catalog::apis::{ApiSpec, ProductSpec};
use crate::catalog::data::{FieldSources, ResourceBinding};
use crate::catalog::Catalog;
use crate::json::{Node, Pointer, Value};
use crate::model::request::Request;

/// A recorded call as RAM would authorize it, and who made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub call: Call,
    /// The caller (`userIdentity.userName`, its principal id or AccessKey id), when recorded.
    pub principal: Option<String>,
}

/// One piece of an ARN template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Region,
    Account,
    Param(String),
    /// An id the template leaves open: every resource of the type.
    Star,
}

#[derive(Debug, Clone)]
struct Planned {
    parts: Vec<Part>,
    /// A parameter that holds the whole ARN, used when present.
    arn_param: Option<String>,
    /// Left out unless every parameter it needs is present.
    optional: bool,
    /// (parameter, allowed values, the parameter's default).
    when: Vec<(String, Vec<String>, Option<String>)>,
}

/// How an API's calls become authorization requests, worked out once per API.
#[derive(Debug, Clone)]
pub struct Plan {
    pub action: String,
    resources: Vec<Planned>,
    /// Used when no resource of `resources` applies.
    fallback: Planned,
    /// The action has no documented type of its own service: the fallback's unnamed part is
    /// open (it may be any resource a statement names).
    undocumented: bool,
}

fn template(arn: &str, bind: &std::collections::BTreeMap<String, String>) -> Vec<Part> {
    // A global service's ARN has `*` as its region; the request carries an empty one.
    let arn = match arn.splitn(4, ':').collect::<Vec<_>>().as_slice() {
        ["acs", service, "*", rest] => format!("acs:{service}::{rest}"),
        _ => arn.to_string(),
    };
    let mut parts = Vec::new();
    let mut rest = arn.as_str();
    while let Some(open) = rest.find("{#") {
        let (literal, after) = rest.split_at(open);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal.to_string()));
        }
        let Some(close) = after.find('}') else {
            parts.push(Part::Literal(after.to_string()));
            rest = "";
            break;
        };
        let name = after.get(2..close).unwrap_or_default();
        parts.push(if name.eq_ignore_ascii_case("regionId") {
            Part::Region
        } else if name.eq_ignore_ascii_case("accountId") {
            Part::Account
        } else {
            match bind.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()) {
                Some("*") => Part::Star,
                Some(param) => Part::Param(param.to_string()),
                None => Part::Param(name.to_string()),
            }
        });
        rest = after.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest.to_string()));
    }
    parts
}

fn default_of(api: &ApiSpec, param: &str) -> Option<String> {
    api.parameters.get(param).and_then(|p| p.default.as_ref()).map(|d| match d {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

impl Plan {
    pub fn new(catalog: &Catalog, product: &ProductSpec, api_name: &str, api: &ApiSpec) -> Plan {
        let code = product.ram_code.clone().unwrap_or_else(|| product.code.clone());
        let action = api.ram_action.clone().unwrap_or_else(|| format!("{code}:{api_name}"));
        let (service, name) = action.split_once(':').unwrap_or((code.as_str(), api_name));
        let arn_of = |id: &str| catalog.resource_types.get(id).map(|t| t.spec.arn.clone());
        let planned = |b: &ResourceBinding| {
            arn_of(&b.type_id).map(|arn| Planned {
                parts: template(&arn, &b.bind),
                arn_param: b.arn_param.clone(),
                optional: b.optional,
                when: b.when.iter().map(|(k, v)| (k.clone(), v.clone(), default_of(api, k))).collect(),
            })
        };
        let none = std::collections::BTreeMap::new();
        let plain = |parts: Vec<Part>| Planned { parts, arn_param: None, optional: false, when: Vec::new() };
        let all = plain(template(&format!("acs:{service}:{{#regionId}}:{{#accountId}}:*"), &none));
        // An entry for this product's API wins over one for the action in general.
        let curated = catalog
            .authorization
            .actions
            .iter()
            .filter(|a| a.action.eq_ignore_ascii_case(&action))
            .filter(|a| a.product.as_ref().is_none_or(|p| p.eq_ignore_ascii_case(&product.code)))
            .max_by_key(|a| a.product.is_some());
        if let Some(entry) = curated {
            let resources: Vec<Planned> = entry.resources.iter().filter_map(planned).collect();
            // No resource-level authorization: RAM checks `*`.
            let fallback = if entry.resources.is_empty() { plain(vec![Part::Literal("*".into())]) } else { all };
            return Plan { action, resources, fallback, undocumented: false };
        }
        // The action's documented resource types, each when the call names its resource.
        let documented = catalog.service(service).and_then(|s| s.get(name)).and_then(|a| a.resources.clone());
        let types: Vec<String> = documented.unwrap_or_default().into_iter().filter(|t| !t.ends_with(":*")).collect();
        let resources = types
            .iter()
            .filter_map(|t| arn_of(t).map(|arn| Planned { optional: true, ..plain(template(&arn, &none)) }))
            .collect();
        // Its own service's first type, strictly (a `Describe` call without ids needs `eip/*`);
        // otherwise another service's type, or the service's `...:*`, whose unnamed part may
        // be any resource a statement names.
        let own = types.iter().filter(|t| t.split(':').next() == Some(service)).find_map(|t| arn_of(t));
        let undocumented = own.is_none();
        let fallback =
            own.or_else(|| types.iter().find_map(|t| arn_of(t))).map_or(all, |arn| plain(template(&arn, &none)));
        Plan { action, resources, fallback, undocumented }
    }

    /// The authorization request of a call to this API.
    /// `keys`: the context keys to extract (lowercase), or `None` for all.
    pub fn call(
        &self,
        catalog: &Catalog,
        request: &Request<'_>,
        text: &str,
        account: Option<&str>,
        keys: Option<&[String]>,
    ) -> Recorded {
        let fields = &catalog.authorization.call;
        let region = lookup(&fields.region, request, text);
        let account = lookup(&fields.account, request, text).or_else(|| account.map(str::to_string));
        let fill = |p: &Planned| -> Option<String> {
            for (param, values, default) in &p.when {
                let value = param_text(request, param, text).or_else(|| default.clone());
                if !value.is_some_and(|v| values.contains(&v)) {
                    return None;
                }
            }
            if let Some(whole) = p.arn_param.as_deref().and_then(|name| param_text(request, name, text)) {
                return Some(whole);
            }
            let mut arn = String::new();
            for part in &p.parts {
                match part {
                    Part::Literal(l) => arn.push_str(l),
                    Part::Region => arn.push_str(region.as_deref().unwrap_or("*")),
                    Part::Account => arn.push_str(account.as_deref().unwrap_or("*")),
                    Part::Star => arn.push('*'),
                    Part::Param(name) => match param_text(request, name, text) {
                        Some(v) => arn.push_str(&v),
                        None if p.optional => return None,
                        None => arn.push('*'),
                    },
                }
            }
            Some(arn)
        };
        let mut resources: Vec<String> = self.resources.iter().filter_map(fill).collect();
        let fell_back = resources.is_empty();
        if fell_back {
            resources.extend(fill(&self.fallback));
        }
        resources.dedup();
        let mut context = Context::default();
        for source in &fields.context {
            if keys.is_some_and(|k| !k.iter().any(|k| k.eq_ignore_ascii_case(&source.key))) {
                continue;
            }
            if source.url_scheme {
                if let Some(secure) = request.secure {
                    context.add(&source.key, if secure { "true" } else { "false" });
                }
            } else if let Some(value) = lookup(&source.from, request, text) {
                context.add(&source.key, &value);
            }
        }
        Recorded {
            call: Call {
                action: self.action.clone(),
                resources,
                context,
                open: super::Open {
                    region: region.is_none(),
                    account: account.is_none(),
                    relative: fell_back && self.undocumented,
                },
            },
            principal: lookup(&fields.principal, request, text),
        }
    }
}

/// A parameter's value as text (the name compared ignoring ASCII case); `null`, lists and
/// objects name no resource and count as absent.
fn param_text(request: &Request<'_>, name: &str, text: &str) -> Option<String> {
    let exact = request.param(name);
    let param = exact.or_else(|| request.params.iter().rev().find(|p| p.name.eq_ignore_ascii_case(name)))?;
    if let crate::model::request::ParamValue::Json(node) = &param.value {
        if matches!(node.value, Value::Null | Value::Array(_) | Value::Object(_)) {
            return None;
        }
    }
    Some(param.value.text(text)).filter(|v| !v.is_empty())
}

/// The first of the event's fields, then of the parameters, that the record holds (the
/// event's own `userIdentity` says more about the caller than an `AccessKeyId` parameter);
/// parameters first with `params_first` (a call's `RegionId` is where its resources are).
fn lookup(sources: &FieldSources, request: &Request<'_>, text: &str) -> Option<String> {
    let from_event =
        || request.root.and_then(|root| sources.event.iter().find_map(|pointer| scalar(at(root, pointer)?)));
    let from_params = || sources.params.iter().find_map(|p| param_text(request, p, text));
    if sources.params_first {
        from_params().or_else(from_event)
    } else {
        from_event().or_else(from_params)
    }
}

/// The node at `pointer` (tokens are unescaped only when they hold `~`: this runs per call).
fn at<'n>(root: &'n Node<'n>, pointer: &str) -> Option<&'n Node<'n>> {
    let mut node = root;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let token: std::borrow::Cow<'_, str> = if raw.contains('~') {
            std::borrow::Cow::Owned(raw.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(raw)
        };
        node = match &node.value {
            Value::Object(_) => &node.get(&token)?.value,
            Value::Array(items) => items.get(Pointer::index_of(&token)?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) if !s.is_empty() => Some(s.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
