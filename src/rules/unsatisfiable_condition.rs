//! Conditions that can never hold again, judged against the run's current time
//! ([`crate::rules::Project::now_ms`]).

use crate::catalog::formats::IpNetwork;
use crate::finding::{Finding, Target};
use crate::json::Node;
use crate::model::policy::{ConditionEntry, Policy};
use crate::rules::Context;

crate::rule_meta!(
    META,
    "unsatisfiable-condition",
    Warning,
    Validity,
    Policy,
    "an `Allow` whose condition can never be true again grants nothing"
);

pub struct Rule;

/// The string values of a condition entry (one string or a list of them).
fn strings<'n>(node: &'n Node<'n>) -> Vec<&'n str> {
    match node.as_array() {
        Some(items) => items.iter().filter_map(Node::as_str).collect(),
        None => node.as_str().into_iter().collect(),
    }
}

/// The dates of an entry, all of them or none (a value that is not a date is another rule's).
fn dates(entry: &ConditionEntry<'_>) -> Option<Vec<i64>> {
    let values = strings(&entry.member.value);
    let dates: Vec<i64> = values.iter().filter_map(|v| crate::time::parse_iso8601(v).ok()).collect();
    (!dates.is_empty() && dates.len() == values.len()).then_some(dates)
}

fn networks(entry: &ConditionEntry<'_>) -> Option<Vec<IpNetwork>> {
    let values = strings(&entry.member.value);
    let nets: Vec<IpNetwork> = values.iter().filter_map(|v| IpNetwork::parse(v).ok()).collect();
    (!nets.is_empty() && nets.len() == values.len()).then_some(nets)
}

/// Whether block `outer` holds every address of `inner` (an address or a block).
fn covers(outer: &IpNetwork, inner: &IpNetwork) -> bool {
    let max = if inner.address.is_ipv4() { 32 } else { 128 };
    let address = IpNetwork { address: inner.address, prefix: None };
    let outer_bits = outer.prefix.unwrap_or(if outer.address.is_ipv4() { 32 } else { 128 });
    outer.contains(&address)
        && outer_bits <= inner.prefix.unwrap_or(max)
        && outer.address.is_ipv4() == inner.address.is_ipv4()
}

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }

    fn check_policy(&self, policy: &Policy<'_>, cx: &mut Context<'_>) {
        let now = cx.project.now_ms.unwrap_or_else(clock);
        for st in &policy.statements {
            if !st.is_allow() {
                continue;
            }
            let blocks = st.conditions();
            // The bounds on `acs:CurrentTime`: values of one key are ORed, so the latest upper
            // bound and the earliest lower bound are the ones that count.
            let mut upper: Option<(i64, bool, &ConditionEntry<'_>, &str)> = None;
            let mut lower: Option<(i64, bool, &ConditionEntry<'_>, &str)> = None;
            let mut allowed: Vec<(&ConditionEntry<'_>, Vec<IpNetwork>)> = Vec::new();
            let mut denied: Vec<(&str, Vec<IpNetwork>)> = Vec::new();
            for block in blocks {
                for entry in &block.entries {
                    match block.operator {
                        "DateLessThan" | "DateLessThanEquals" | "DateGreaterThan" | "DateGreaterThanEquals"
                            if entry.key.eq_ignore_ascii_case("acs:CurrentTime") =>
                        {
                            let Some(dates) = dates(entry) else { continue };
                            let strict = !block.operator.ends_with("Equals");
                            if block.operator.starts_with("DateLess") {
                                let max = dates.iter().copied().max().unwrap_or(i64::MIN);
                                if upper.is_none_or(|(u, _, _, _)| max > u) {
                                    upper = Some((max, strict, entry, block.operator));
                                }
                            } else {
                                let min = dates.iter().copied().min().unwrap_or(i64::MAX);
                                if lower.is_none_or(|(l, _, _, _)| min < l) {
                                    lower = Some((min, strict, entry, block.operator));
                                }
                            }
                        }
                        "IpAddress" => {
                            if let Some(nets) = networks(entry) {
                                allowed.push((entry, nets));
                            }
                        }
                        "NotIpAddress" => {
                            if let Some(nets) = networks(entry) {
                                denied.push((entry.key, nets));
                            }
                        }
                        _ => {}
                    }
                }
            }
            if let Some((u, strict, entry, op)) = upper {
                let past = if strict { u <= now } else { u < now };
                if past {
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::key(entry.pointer.to_string()),
                            format!("`{op}` on `{}` is in the past: this statement can never apply again", entry.key),
                        )
                        .label("every date is before the run's current time")
                        .help("remove the statement, or move the date if the grant is still meant (`--now` or `RAMLINT_NOW` sets the time ramlint judges against)"),
                    );
                    continue;
                }
                if let Some((l, lower_strict, lower_entry, lower_op)) = lower {
                    let empty = if strict || lower_strict { l >= u } else { l > u };
                    if empty {
                        cx.emit(
                            Finding::new(
                                &META,
                                Target::key(entry.pointer.to_string()),
                                format!("`{lower_op}` and `{op}` on `{}` exclude each other", entry.key),
                            )
                            .label("no time is before this date")
                            .related(Target::key(lower_entry.pointer.to_string()), "and after this one")
                            .help(
                                "the time must be after the one date and before the other: swap or correct the dates",
                            ),
                        );
                        continue;
                    }
                }
            }
            for (entry, nets) in &allowed {
                let cancelled = denied
                    .iter()
                    .filter(|(key, _)| key.eq_ignore_ascii_case(entry.key))
                    .any(|(_, not)| nets.iter().all(|n| not.iter().any(|d| covers(d, n))));
                if cancelled {
                    cx.emit(
                        Finding::new(
                            &META,
                            Target::key(entry.pointer.to_string()),
                            format!("`NotIpAddress` on `{}` excludes every address `IpAddress` allows", entry.key),
                        )
                        .label("no address can satisfy both")
                        .help("keys are ANDed: the address must be in one `IpAddress` block and in no `NotIpAddress` block; narrow `NotIpAddress` to the addresses to exclude"),
                    );
                    break;
                }
            }
        }
    }
}

fn clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
