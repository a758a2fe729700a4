//! Driven by `rules/services.json`: every RAM code some evidence supports (ram-codes-all.json,
//! the Openmeta ram blocks, the OSS page, official policies), its aliases (common mistakes such
//! as `eip`) and the products whose code the sources do not name (`unmapped_products`).

use crate::catalog::{suggest, wildcard, Catalog};
use crate::finding::{Finding, Target};
use crate::model::policy::{is_template, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unknown-service",
    Warning,
    Validity,
    Policy,
    "a RAM code that no Alibaba Cloud service uses",
    fixable
);

pub struct Rule;

fn help(cx: &Context<'_>, code: &str, name: Option<&str>) -> String {
    if let Some(alias) = cx.catalog.alias(code) {
        let reason = alias.reason.clone().unwrap_or_else(|| format!("this product's RAM code is `{}`", alias.use_code));
        return match name {
            Some(name) => format!("{reason}: did you mean `{}:{name}`?", alias.use_code),
            None => format!("{reason}: did you mean `{}`?", alias.use_code),
        };
    }
    suggest::did_you_mean(code, cx.catalog.service_codes()).unwrap_or_else(|| {
        "use the service's RAM code (see `ramlint actions`), which is not always the product name".into()
    })
}

/// A product without a documented RAM code whose own code is `code` (`OssSddp` for `osssddp`):
/// the verdict is then uncertain, since that product may use it.
fn unmapped_product<'c>(catalog: &'c Catalog, code: &str) -> Option<&'c crate::catalog::UnmappedProduct> {
    let squash = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let wanted = squash(code);
    catalog.unmapped_products().iter().find(|p| squash(&p.product) == wanted)
}

/// One use of an unknown code: where, and the action name when it is an action.
struct Use<'p> {
    pointer: String,
    start: usize,
    end: usize,
    code: &'p str,
    name: Option<&'p str>,
    /// A certain correction of this use (`eip:` -> `vpc:`).
    fix: Option<crate::finding::Fix>,
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        // Every use of an unknown code, in document order; one finding per code, at its first use.
        let mut uses: Vec<Use<'_>> = Vec::new();
        for st in &policy.statements {
            for item in st.action_items() {
                let Some((code, name)) = item.value.split_once(':') else { continue };
                if code.is_empty()
                    || wildcard::has_wildcard(code)
                    || is_template(item.value)
                    || cx.catalog.is_service(code)
                {
                    continue;
                }
                // `eip:UnassociateEipAddress` -> `vpc:UnassociateEipAddress`: certain when the
                // code's documented replacement has that very action (never for a wildcard,
                // which would grant the whole other service). The finding is at the first use,
                // so its fix is that use's; `--fix` reaches the others in its next passes.
                let fix = cx
                    .catalog
                    .alias(code)
                    .map(|a| a.use_code.as_str())
                    .filter(|to| {
                        !wildcard::has_wildcard(name)
                            && cx.catalog.service(to).is_some_and(|s| s.catalogued && s.get(name).is_some())
                    })
                    .and_then(|to| {
                        super::fixes::replace_part(
                            cx.text,
                            item.node.span,
                            item.value,
                            (0, code.len()),
                            to,
                            format!("replace `{code}:` with `{to}:`"),
                        )
                    });
                uses.push(Use {
                    pointer: item.pointer.to_string(),
                    start: 0,
                    end: code.len(),
                    code,
                    name: Some(name),
                    fix,
                });
            }
            for (item, arn) in st.arns() {
                let code = arn.service.text;
                if wildcard::has_wildcard(code) || cx.catalog.is_service(code) {
                    continue;
                }
                uses.push(Use {
                    pointer: item.pointer.to_string(),
                    start: arn.service.start,
                    end: arn.service.end(),
                    code,
                    name: None,
                    fix: None,
                });
            }
        }
        if uses.is_empty() {
            return;
        }
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for u in &uses {
            *counts.entry(u.code.to_lowercase()).or_default() += 1;
        }
        let mut reported = std::collections::HashSet::new();
        for u in uses {
            let lower = u.code.to_lowercase();
            if !reported.insert(lower.clone()) {
                continue;
            }
            let more = counts.get(&lower).copied().unwrap_or(1).saturating_sub(1);
            let unmapped = unmapped_product(cx.catalog, u.code);
            let mut message = match unmapped {
                // The product of that name has no documented code: say the verdict is uncertain.
                Some(p) => format!(
                    "`{}` is not a documented RAM code (low confidence: the RAM code of the product `{}` is not documented)",
                    u.code, p.product
                ),
                None => format!("`{}` is not the RAM code of any service", u.code),
            };
            if more > 0 {
                message.push_str(&format!(", {more} more use{} in this document", if more == 1 { "" } else { "s" }));
            }
            let help = match unmapped {
                Some(p) => format!(
                    "{} ({}) may use `{}`; no document names its RAM code, so add it with `--catalog` if it does",
                    p.product, p.name, u.code
                ),
                None => help(cx, u.code, u.name),
            };
            cx.emit(
                Finding::new(&META, Target::substring(u.pointer, u.start, u.end), message)
                    .label("unknown RAM code")
                    .help(help)
                    .fix(u.fix),
            );
        }
    }
}
