use crate::catalog::wildcard;
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(
    META,
    "invalid-resource-id",
    Warning,
    Validity,
    Policy,
    "the ARN's resource id does not fit its type"
);

pub struct Rule;

/// Whether an id pattern (wildcards allowed) can fit an id with `prefix` followed by
/// letters and digits.
pub fn fits_prefix(id: &str, prefix: &str) -> bool {
    let literal = id.split(['*', '?']).next().unwrap_or_default();
    if wildcard::has_wildcard(id) && prefix.starts_with(literal) {
        return true;
    }
    let Some(rest) = id.strip_prefix(prefix) else { return false };
    (!rest.is_empty() || wildcard::has_wildcard(id))
        && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for (item, arn) in st.arns() {
                let Some(found) = cx.catalog.resource_types.classify(arn.service.text, arn.relative.text) else {
                    continue;
                };
                let Some(format) = found.ty.spec.id_format.as_deref().and_then(|f| cx.catalog.formats.get(f)) else {
                    continue;
                };
                let Some(prefix) = format.spec.prefix.as_deref() else { continue };
                if found.id == "*" || fits_prefix(found.id, prefix) {
                    continue;
                }
                let start = arn.relative.start + found.id_offset;
                let other = cx
                    .catalog
                    .formats
                    .prefixed()
                    .filter(|(_, p)| found.id.starts_with(p))
                    .max_by_key(|(_, p)| p.len())
                    .map(|(f, _)| f.describe());
                let kind = found.ty.spec.id.as_str();
                let help = match other {
                    Some(other) => format!("this looks like {other}; a `{kind}` id starts with `{prefix}`"),
                    None => format!("a `{kind}` id starts with `{prefix}` followed by letters and digits"),
                };
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), start, start + found.id.len()),
                        format!("`{}` is not a valid `{}` id", found.id, found.ty.spec.id),
                    )
                    .label(format!("expected `{prefix}...`"))
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fits_prefix;

    #[test]
    fn prefixes() {
        assert!(fits_prefix("eip-bp1m6u2o8y4r7t3w5q9z0", "eip-"));
        assert!(fits_prefix("eip-*", "eip-"));
        assert!(fits_prefix("ei*", "eip-"));
        assert!(fits_prefix("i-001", "i-"));
        assert!(!fits_prefix("i-bp1c8k3n7s2q9x4v6m1t", "eip-"));
        assert!(!fits_prefix("eip-", "eip-"));
    }
}
