//! Robustness: whatever the input, linting returns a report without panicking, every
//! diagnostic points inside the text on character boundaries, and the JSON report parses.

use crate::common::{lint_bytes, lint_text};
use proptest::prelude::*;
use ramlint::lint::{FileReport, Kind};
use ramlint::report::Summary;

/// A policy that exercises most policy rules' code paths while being clean.
const POLICY: &str = include_str!("../../fixtures/condition-value-type/valid-typed-values.json");

/// A request log with an RPC object, an ActionTrail event and a broken line.
const REQUESTS: &str = concat!(
    r#"{"Action":"UnassociateEipAddress","Version":"2016-04-28","RegionId":"cn-hangzhou","AllocationId":"eip-bp1k4t7x2m9q5w3e8r6y1","InstanceId":"i-bp1f5g8h2j6k9l3m7n4q","Force":true}"#,
    "\n",
    r#"{"eventName":"AssociateEipAddress","eventType":"ApiCall","serviceName":"Vpc","apiVersion":"2016-04-28","requestParameters":{"AllocationId":"eip-2ze8w3r6t1y4u7i0o5p2a","InstanceId":"lb-1","InstanceType":"Nat"},"errorCode":"TaskConflict"}"#,
    "\n",
    "https://vpc.aliyuncs.com/?Action=ReleaseEipAddress&AllocationId=eip-%E4%B8%AD&Tag.1.Key=a\n",
);

/// Checks the invariants every report must hold, and returns its JSON rendering.
fn check_report(report: &FileReport) -> Result<(), TestCaseError> {
    let text = &*report.source.text;
    for d in &report.diagnostics {
        for span in std::iter::once(&d.span).chain(d.related.iter().map(|(s, _)| s)) {
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{} span {:?} outside a text of {} bytes",
                d.rule,
                span,
                text.len()
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{} span {:?} splits a character",
                d.rule,
                span
            );
        }
        prop_assert!(
            d.line >= 1 && d.column >= 1 && (d.line, d.column) <= (d.end_line, d.end_column),
            "{} at {}:{}-{}:{}",
            d.rule,
            d.line,
            d.column,
            d.end_line,
            d.end_column
        );
        prop_assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "{} pointer {:?}", d.rule, d.pointer);
        prop_assert!(ramlint::rules::by_id(d.rule).is_some(), "unregistered rule {}", d.rule);
    }
    let json = ramlint::report::json::render(&Summary::of(std::slice::from_ref(report)), report.diagnostics.iter());
    let parsed: serde_json::Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("the JSON report does not parse: {e}")))?;
    prop_assert_eq!(parsed["diagnostics"].as_array().map(Vec::len), Some(report.diagnostics.len()));
    Ok(())
}

fn kind() -> impl Strategy<Value = Option<Kind>> {
    prop_oneof![Just(None), Just(Some(Kind::Policy)), Just(Some(Kind::Request))]
}

fn name() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("input.json"), Just("input.jsonl"), Just("input.txt"), Just("input.json.gz")]
}

/// Text made of JSON punctuation, policy words and odd characters, so that the parser and the
/// rules past it are reached far more often than with random bytes.
fn json_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        Just("\"Version\":\"1\"".to_string()),
        Just("\"Statement\":".to_string()),
        Just("\"Effect\":\"Allow\"".to_string()),
        Just("\"Action\":".to_string()),
        Just("\"Resource\":".to_string()),
        Just("\"Condition\":".to_string()),
        Just("\"acs:vpc:cn-hangzhou:*:eip/*\"".to_string()),
        Just("\"vpc:*Eip*\"".to_string()),
        Just("\"UnassociateEipAddress\"".to_string()),
        Just("\"InstanceId\":".to_string()),
        Just("Action=".to_string()),
        Just("&".to_string()),
        Just("\u{feff}".to_string()),
        Just("é".to_string()),
        Just("\\u00".to_string()),
        "[ -~]{0,6}",
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Insert(usize, char),
    Duplicate(usize, usize, usize),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), prop::sample::select(vec!['{', '}', '[', ']', ',', ':', '"']))
            .prop_map(|(at, c)| Mutation::Insert(at, c)),
        (any::<usize>(), 0usize..40, any::<usize>()).prop_map(|(from, len, to)| Mutation::Duplicate(from, len, to)),
    ];
    prop::collection::vec(one, 1..8)
}

/// Applies mutations to the bytes of a text (so that they may break UTF-8 too).
fn mutate(text: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Delete(at) => {
                if !bytes.is_empty() {
                    bytes.remove(at % len);
                }
            }
            Mutation::Insert(at, c) => bytes.insert(at % (bytes.len() + 1), c as u8),
            Mutation::Duplicate(from, n, to) => {
                let from = from % len;
                let slice: Vec<u8> = bytes.iter().skip(from).take(n).copied().collect();
                let to = to % (bytes.len() + 1);
                bytes.splice(to..to, slice);
            }
        }
    }
    bytes
}

// 256 cases each by default; `PROPTEST_CASES=10000 cargo test --test it props::` searches harder.
proptest! {
    #[test]
    fn arbitrary_bytes_give_a_report(bytes in prop::collection::vec(any::<u8>(), 0..512), name in name(), kind in kind()) {
        check_report(&lint_bytes(name, bytes, kind))?;
    }

    #[test]
    fn gzip_of_arbitrary_bytes_gives_a_report(bytes in prop::collection::vec(any::<u8>(), 0..256), cut in any::<usize>()) {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&bytes).unwrap();
        let mut gz = encoder.finish().unwrap();
        gz.truncate(2 + cut % gz.len().max(1));
        check_report(&lint_bytes("input.json.gz", gz, None))?;
    }

    #[test]
    fn json_like_text_gives_a_report(text in json_soup(), name in name(), kind in kind()) {
        check_report(&lint_text(name, &text, kind))?;
    }

    #[test]
    fn mutated_policies_give_a_report(mutations in mutations(), kind in kind()) {
        check_report(&lint_bytes("policy.json", mutate(POLICY, &mutations), kind))?;
    }

    #[test]
    fn mutated_request_logs_give_a_report(mutations in mutations(), name in prop_oneof![Just("log.jsonl"), Just("log.txt")]) {
        check_report(&lint_bytes(name, mutate(REQUESTS, &mutations), None))?;
    }
}

#[test]
fn the_unmutated_inputs_are_meaningful() {
    let policy = lint_text("policy.json", POLICY, None);
    assert!(policy.diagnostics.is_empty() && policy.skipped.is_none(), "{:?}", policy.diagnostics);
    let requests = lint_text("log.txt", REQUESTS, None);
    assert_eq!(Summary::of(std::slice::from_ref(&requests)).records, 3);
    assert!(!requests.diagnostics.is_empty());
    assert_eq!(
        mutate("abc", &[Mutation::Delete(1), Mutation::Insert(0, '{'), Mutation::Duplicate(0, 2, 99)]),
        b"{ac{a"
    );
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_stack_overflow() {
    for text in
        ["[".repeat(100_000), "{\"a\":".repeat(100_000), format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))]
    {
        for name in ["deep.json", "deep.jsonl"] {
            let report = lint_text(name, &text, None);
            assert_eq!(crate::common::rule_ids(&report), ["json-syntax"], "{name}");
            assert!(report.diagnostics[0].span.end <= text.len());
        }
    }
    let line = format!("{}\n{}", r#"{"Action":"DescribeEipAddresses"}"#, "[".repeat(100_000));
    let report = lint_text("deep.jsonl", &line, None);
    assert!(
        report.diagnostics.iter().any(|d| d.rule == "json-syntax" && d.record == Some(2)),
        "{:?}",
        crate::common::rule_ids(&report)
    );
}

#[test]
fn a_truncated_gzip_of_invalid_utf8_points_at_the_end_of_the_text() {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(&[b'{', 0x80, b'"', 0xff, b'a'].repeat(50)).unwrap();
    let gz = encoder.finish().unwrap();
    let report = lint_bytes("cut.json.gz", gz[..gz.len() - 8].to_vec(), None);
    let text = &*report.source.text;
    let truncation =
        report.diagnostics.iter().find(|d| d.message.contains("gzip")).expect("the truncation is reported");
    assert_eq!((truncation.span.start, truncation.span.end), (text.len(), text.len()));
}
