use super::*;

fn span_of<'a>(text: &'a str, ptr: &str, part: Part) -> Option<&'a str> {
    let root = parse(text).unwrap();
    let s = span(&root, text, ptr, part, Occurrence::Last)?;
    text.get(s.start..s.end)
}

#[test]
fn resolves_values_and_keys() {
    let text = r#"{"a": [1, {"b/c": "x"}], "a": true}"#;
    assert_eq!(span_of(text, "/a", Part::Value), Some("true"));
    assert_eq!(span_of(text, "/a", Part::Key), Some("\"a\""));
    let root = parse(text).unwrap();
    let first = span(&root, text, "/a", Part::Value, Occurrence::Nth(0)).unwrap();
    assert_eq!(&text[first.start..first.end], r#"[1, {"b/c": "x"}]"#);
    let text2 = r#"{"a": [1, {"b/c": "x"}]}"#;
    assert_eq!(span_of(text2, "/a/1/b~1c", Part::Value), Some("\"x\""));
    assert_eq!(span_of(text2, "", Part::Value), Some(text2));
    assert_eq!(span_of(text2, "/a/2", Part::Value), None);
    assert_eq!(span_of(text2, "/a/01", Part::Value), None);
}

#[test]
fn substring_spans_only_without_escapes() {
    let text = r#"{"r": "acs:vpc:cn-hangzou:*:eip/*", "e": "a\u0041b"}"#;
    assert_eq!(span_of(text, "/r", Part::Substring { start: 8, end: 18 }), Some("cn-hangzou"));
    assert_eq!(span_of(text, "/e", Part::Substring { start: 1, end: 2 }), Some(r#""a\u0041b""#));
}

#[test]
fn rejects_what_rfc_8259_forbids() {
    for (text, needle) in [
        ("{\"a\": 1,}", ","),
        ("[1, 2,]", ","),
        ("{\"a\": 1 // c\n}", "// c"),
        ("{\n\u{a0}\"a\": 1}", "\u{a0}"),
        ("{'a': 1}", "'"),
        ("{\"a\": 01}", "01"),
        ("{\"a\": tru}", "tru"),
        ("{\"a\": \"x\ny\"}", "\n"),
        ("{} {}", "{"),
        ("\"\\u00é\"", "\\u00é"),
        ("\"\\u12", "\\u12"),
    ] {
        let err = parse(text).unwrap_err();
        let got = &text[err.span.start..err.span.end];
        assert!(got.starts_with(needle), "{text:?}: span {got:?}, message {}", err.message);
    }
}

#[test]
fn accepts_bom_escapes_and_numbers() {
    let node = parse("\u{feff}{\"a\": [-0.5e+3, \"\\ud83d\\ude00\\n\", null, false]}").unwrap();
    let items = node.get("a").unwrap().value.as_array().unwrap();
    assert_eq!(items[1].as_str(), Some("😀\n"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let err = parse(&text).unwrap_err();
    assert!(err.message.contains("deeper"));
}

#[test]
fn pointer_round_trip() {
    let p = Pointer::root().key("Condition").key("acs:RequestTag/team").index(2);
    assert_eq!(p.as_str(), "/Condition/acs:RequestTag~1team/2");
    assert_eq!(Pointer::tokens(p.as_str()).unwrap(), vec!["Condition", "acs:RequestTag/team", "2"]);
}

/// Found by the `json_parse` fuzz target: an escape cut off at the end of the text (`["\`)
/// gave an error span one byte past the text.
#[test]
fn error_spans_stay_inside_the_text() {
    for text in ["[\"\\", "\"\\", "{\"a\\", "[\"\\u12", "[\"\\ud800", "[\"\\ud800\\u", "[1e", "[tru", "{", "\"é\\"] {
        let e = parse(text).unwrap_err();
        assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{text:?}: {:?}", e.span);
    }
}
