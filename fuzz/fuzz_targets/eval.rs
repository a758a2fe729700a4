//! The evaluation engine (`ramlint simulate`): a policy, then a NUL byte, then the call: its
//! action on the first line, then lines of `KEY=VALUE` (context) or a resource ARN. The fast
//! decision (`decide`, used by `audit --policy`) must equal the traced one (`explain`), and the
//! trace renders as text and JSON.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ramlint::eval::{Call, PolicySet};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (policy, call_text) = text.split_once('\0').unwrap_or((&text, "ecs:DescribeInstances"));
    let mut lines = call_text.lines();
    let mut call = Call { action: lines.next().unwrap_or_default().to_string(), ..Call::default() };
    for line in lines {
        match line.split_once('=') {
            Some((key, value)) if !key.contains(':') || key.starts_with("acs:") => call.context.add(key, value),
            _ => call.resources.push(line.to_string()),
        }
    }
    let flags = data.last().copied().unwrap_or_default();
    call.open.region = flags & 1 != 0;
    call.open.account = flags & 2 != 0;
    call.open.relative = flags & 4 != 0;
    let Ok(set) = PolicySet::new(vec![("policy.json".to_string(), policy.to_string())]) else { return };
    let fast = set.decide(&call, |_, _, _| {});
    let evaluation = set.explain(&call);
    assert_eq!(fast, evaluation.decision, "decide and explain disagree");
    let _ = ramlint::eval::render::text(&evaluation, &set, false);
    let _ = evaluation.to_json(&set);
    let _ = evaluation.summary(&set);
});
