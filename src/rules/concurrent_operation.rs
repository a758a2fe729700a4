use crate::diagnostic::Diagnostic;
use crate::lint::LocatedFact;

crate::rule_meta!(
    META,
    "concurrent-operation",
    Warning,
    Audit,
    "a second call of the same asynchronous operation on a resource while the first is in progress"
);

pub struct Rule;

impl super::Rule for Rule {
    fn meta(&self) -> &'static crate::finding::RuleMeta {
        &META
    }
}

/// `later` repeats `earlier`'s operation on the resource named by `key` within the window.
pub fn diagnostic(
    later: &LocatedFact,
    earlier: &LocatedFact,
    key: usize,
    resource: &str,
    state: &str,
    gap_ms: i64,
) -> Option<Diagnostic> {
    let (param, value, at) = later.keys.get(key)?;
    let mut d = Diagnostic::located(
        &META,
        &later.file,
        later.record,
        at,
        format!(
            "`{}` on {resource} `{value}` while an earlier `{}` is still in progress",
            later.fact.api, earlier.fact.api
        ),
    );
    d.label = Some(format!("{} after the earlier call", seconds(gap_ms)));
    d.help = Some(format!(
        "the earlier call ({}) left the {resource} `{state}`; the operation does not support concurrent requests for the same {resource} and the API answers `TaskConflict`: wait until {} shows the {resource} stable before calling again",
        place(earlier),
        if resource == "EIP" { "DescribeEipAddresses" } else { "a Describe call" }
    ));
    if earlier.file == later.file && earlier.record.is_some() {
        if let Some((_, _, first)) = earlier.keys.iter().find(|(p, _, _)| p == param) {
            d.related.push((first.span, "the earlier call".into()));
        }
    }
    Some(d)
}

/// `record 3 of logs/a.jsonl, 2025-03-04T08:15:02Z`.
pub fn place(f: &LocatedFact) -> String {
    match f.record {
        Some(r) => format!("record {r} of {}", f.file),
        None => f.file.clone(),
    }
}

pub fn seconds(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}
