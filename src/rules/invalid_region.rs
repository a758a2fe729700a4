use crate::catalog::{suggest, wildcard};
use crate::finding::{Finding, Target};
use crate::model::policy::Policy;
use crate::rules::Context;

crate::rule_meta!(META, "invalid-region", Error, Validity, Policy, "the ARN region is not a known region id", fixable);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        for st in &policy.statements {
            for (item, arn) in st.arns() {
                let region = arn.region.text;
                if region.is_empty() || wildcard::has_wildcard(region) {
                    continue;
                }
                let allowed = &cx.project.regions;
                if cx.catalog.is_region(region) {
                    if !allowed.is_empty() && !allowed.contains(region) {
                        let list = allowed.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
                        cx.emit(
                            Finding::new(
                                &META,
                                Target::substring(item.pointer.to_string(), arn.region.start, arn.region.end()),
                                format!("`{region}` is not one of this project's regions"),
                            )
                            .severity(crate::finding::Severity::Warning)
                            .label("outside `regions` of ramlint.toml")
                            .help(format!(
                                "the project works in {list}; use one of them or `*`, or add the region to `regions`"
                            )),
                        );
                    }
                    continue;
                }
                let fix = suggest::certain(region, cx.catalog.regions.iter().map(String::as_str)).and_then(|to| {
                    super::fixes::replace_part(
                        cx.text,
                        item.node.span,
                        item.value,
                        (arn.region.start, arn.region.end()),
                        to,
                        format!("replace `{region}` with `{to}`"),
                    )
                });
                let help = suggest::did_you_mean(region, cx.catalog.regions.iter().map(String::as_str))
                    .unwrap_or_else(|| "use a region id such as `cn-hangzhou`, or `*` for every region".into());
                cx.emit(
                    Finding::new(
                        &META,
                        Target::substring(item.pointer.to_string(), arn.region.start, arn.region.end()),
                        format!("`{region}` is not a known region id"),
                    )
                    .label("unknown region")
                    .help(help)
                    .fix(fix),
                );
            }
        }
    }
}
