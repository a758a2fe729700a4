use crate::catalog::{glob, suggest};
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "invalid-region", Error, Validity, "the ARN region is not a known region id");

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for (item, arn) in st.arns() {
                let region = arn.region.text;
                if region.is_empty() || glob::has_wildcard(region) || cx.catalog.is_region(region) {
                    continue;
                }
                let help = suggest::did_you_mean(region, cx.catalog.regions.iter().map(String::as_str))
                    .unwrap_or_else(|| "use a region id such as `cn-hangzhou`, or `*` for every region".into());
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), arn.region.start, arn.region.end()),
                        format!("`{region}` is not a known region id"),
                    )
                    .label("unknown region")
                    .help(help),
                );
            }
        }
    }
}
