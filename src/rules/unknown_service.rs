use crate::catalog::{suggest, wildcard};
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

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
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
                let help = help(cx, code, Some(name));
                // `eip:UnassociateEipAddress` -> `vpc:UnassociateEipAddress`: certain when the
                // code's documented replacement has that very action (never for a wildcard,
                // which would grant the whole other service).
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
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), 0, code.len()),
                        format!("`{code}` is not the RAM code of any service"),
                    )
                    .label("unknown RAM code")
                    .help(help)
                    .fix(fix),
                );
            }
            for (item, arn) in st.arns() {
                let code = arn.service.text;
                if wildcard::has_wildcard(code) || cx.catalog.is_service(code) {
                    continue;
                }
                let help = help(cx, code, None);
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), arn.service.start, arn.service.end()),
                        format!("`{code}` is not the RAM code of any service"),
                    )
                    .label("unknown RAM code")
                    .help(help),
                );
            }
        }
    }
}
