//! The fast paths of the spanned JSON parser (strings scanned 8 bytes at a time, objects
//! built from a per-thread stack) and of repeated-key detection (fingerprints compared pair
//! by pair) give the same results as the plain ways they replace.

use proptest::prelude::*;
use ramlint::json::{self, Value};

/// Text with what ends or breaks a string's fast scan: quotes, backslashes, control
/// characters, multi-byte characters, at every offset modulo 8.
fn string_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("\\n".to_string()),
        Just("\\u00e9".to_string()),
        Just("\n".to_string()),
        Just("\u{1}".to_string()),
        Just("\u{1f}".to_string()),
        Just(" ".to_string()),
        Just("é".to_string()),
        Just("中".to_string()),
        "[a-z0-9]{1,9}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

/// Object members over a few keys, so that some repeat.
fn members() -> impl Strategy<Value = Vec<String>> {
    let key = prop_oneof![
        Just("RegionId".to_string()),
        Just("RegionIds".to_string()),
        Just("Tag.1.Key".to_string()),
        Just("Tag.2.Key".to_string()),
        Just("ab".to_string()),
        Just("ba".to_string()),
        Just(String::new()),
        Just("AVeryLongParameterName1".to_string()),
        Just("AVeryLongParameterName2".to_string()),
        Just("BVeryLongParameterName1".to_string()),
        "[a-c]{1,3}",
    ];
    prop::collection::vec(key, 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_quoted_text_parses_as_serde_json_reads_it(raw in string_soup()) {
        let text = format!("\"{raw}\"");
        let ours = json::parse(&text);
        let theirs = serde_json::from_str::<String>(&text);
        match (&ours, &theirs) {
            (Ok(node), Ok(s)) => prop_assert_eq!(node.as_str(), Some(s.as_str())),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "ramlint {:?}, serde_json {:?} on {:?}", ours, theirs, text),
        }
    }

    #[test]
    fn any_string_round_trips(s in any::<String>()) {
        let text = serde_json::to_string(&s).unwrap();
        let node = json::parse(&text).unwrap();
        prop_assert_eq!(node.as_str(), Some(s.as_str()));
        prop_assert_eq!(node.span, json::Span::new(0, text.len()));
    }

    #[test]
    fn repeated_keys_are_found_exactly(keys in members()) {
        let body: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("{}: {i}", serde_json::to_string(k).unwrap())).collect();
        let text = format!("{{{}}}", body.join(", "));
        let node = json::parse(&text).unwrap();
        let members = node.as_object().unwrap();
        prop_assert_eq!(members.len(), keys.len());
        let distinct: std::collections::HashSet<&String> = keys.iter().collect();
        prop_assert_eq!(json::has_repeated_keys(members), distinct.len() < keys.len());
        // The members in effect: the last of each key, in source order.
        let expected: Vec<usize> =
            (0..keys.len()).filter(|&i| !keys.iter().skip(i + 1).any(|k| *k == keys[i])).collect();
        let kept: Vec<usize> = node.members_in_effect().iter().map(|m| members.iter().position(|n| std::ptr::eq(n, *m)).unwrap()).collect();
        prop_assert_eq!(kept, expected);
    }
}

#[test]
fn nested_objects_keep_their_own_members_across_texts() {
    // The stack the objects are built from is shared by the texts a thread parses: a text
    // that fails half-way must not leave members behind for the next one.
    assert!(json::parse(r#"{"a": {"b": 1, "c": {"d": [1, {"e": 2}]}, "f": tru"#).is_err());
    let node = json::parse(r#"{"a": {"b": 1, "c": {"d": [1, {"e": 2}]}}, "g": {}, "h": 3}"#).unwrap();
    let top: Vec<&str> = node.as_object().unwrap().iter().map(|m| &*m.key).collect();
    assert_eq!(top, ["a", "g", "h"]);
    let a = &node.get("a").unwrap().value;
    let inner: Vec<&str> = a.as_object().unwrap().iter().map(|m| &*m.key).collect();
    assert_eq!(inner, ["b", "c"]);
    assert!(matches!(&node.get("g").unwrap().value.value, Value::Object(m) if m.is_empty()));
    let e = node.get("a").unwrap().value.get("c").unwrap().value.get("d").unwrap().value.as_array().unwrap();
    assert_eq!(e[1].get("e").unwrap().value.value, Value::Number("2".into()));
}

#[test]
fn a_huge_object_parses_and_the_next_small_one_too() {
    let body: Vec<String> = (0..5000).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!("{{{}}}", body.join(","));
    let node = json::parse(&text).unwrap();
    assert_eq!(node.as_object().unwrap().len(), 5000);
    assert!(!json::has_repeated_keys(node.as_object().unwrap()));
    let small = json::parse(r#"{"x": 1, "x": 2}"#).unwrap();
    assert!(json::has_repeated_keys(small.as_object().unwrap()));
    assert_eq!(small.members_in_effect().len(), 1);
}
