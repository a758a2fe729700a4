#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failed unwrap or index is a failed test"
)]

use super::*;
use std::io::Write as _;

fn reader(bytes: &[u8]) -> Box<dyn std::io::Read + Send> {
    Box::new(std::io::Cursor::new(bytes.to_vec()))
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// (record number, line, text, bad byte offset) of a record.
type Row = (usize, usize, String, Option<usize>);

fn summary(text: &str, records: &[Record]) -> Vec<Row> {
    records.iter().map(|r| (r.number, r.line, r.text(text).to_string(), r.bad.map(|b| b.offset))).collect()
}

/// The records of an input read in blocks of `limit` bytes, as if read whole.
fn streamed(bytes: &[u8], name: &str, limit: usize) -> (Form, Vec<Row>) {
    let mut framer = Framer::new(reader(bytes), name, false).unwrap();
    let form = framer.form();
    let mut out = Vec::new();
    while let Some(block) = framer.next_block(limit) {
        out.extend(summary(&block.text, &block.records));
    }
    (form, out)
}

#[test]
fn decoding_lists_each_invalid_sequence_once() {
    let decoded = decode(b"ab\xff\xfecd\xc3".to_vec(), 100);
    assert_eq!(decoded.text, "ab\u{fffd}\u{fffd}cd\u{fffd}");
    assert_eq!(String::from_utf8_lossy(b"ab\xff\xfecd\xc3"), decoded.text.as_str());
    let at: Vec<(usize, usize)> = decoded.bad.iter().map(|b| (b.at, b.offset)).collect();
    assert_eq!(at, [(2, 102), (5, 103), (10, 106)]);
    assert!(decode(b"plain".to_vec(), 0).bad.is_empty());
}

#[test]
fn records_skip_blank_lines_and_cut_crlf_and_the_bom() {
    let text = "\u{feff}{\"a\":1}\r\n\r\n  \n{\"b\":2}\n";
    let records = records(text, 1, false, &[]);
    assert_eq!(summary(text, &records), [(1, 1, "{\"a\":1}".into(), None), (4, 4, "{\"b\":2}".into(), None)]);
    // A block that starts later in the file: no byte order mark to cut, numbers from there.
    let records = super::records("x\ny", 10, false, &[]);
    assert_eq!(summary("x\ny", &records), [(10, 10, "x".into(), None), (11, 11, "y".into(), None)]);
}

#[test]
fn url_records_take_their_continuation_lines() {
    let text = "https://vpc.aliyuncs.com/?Action=A\n&X=1\n\n  &Y=2\nAction=B\n";
    let records = records(text, 1, true, &[]);
    assert_eq!(
        summary(text, &records),
        [(1, 1, "https://vpc.aliyuncs.com/?Action=A\n&X=1\n\n  &Y=2".into(), None), (5, 5, "Action=B".into(), None)]
    );
}

#[test]
fn an_invalid_byte_belongs_to_its_record_only() {
    let bytes = b"{\"a\":1}\n{\"b\":\"x\xffy\"}\n{\"c\":3}\n";
    let whole = whole(reader(bytes), "log.jsonl", false).unwrap();
    assert_eq!(whole.form, Form::JsonLines);
    let found = summary(&whole.text, &whole.records);
    assert_eq!(found[0].3, None);
    assert_eq!(found[1].3, Some(15));
    assert_eq!(found[2].3, None);
    assert_eq!(
        whole.records[1].bad.unwrap().problem().to_string(),
        "the file is not valid UTF-8 (invalid byte at offset 15)"
    );
}

#[test]
fn the_form_comes_from_the_first_lines() {
    let form = |name: &str, text: &str| Framer::new(reader(text.as_bytes()), name, false).unwrap().form();
    assert_eq!(form("a.jsonl", "{\"a\":1}\n{\"b\":2}\n"), Form::JsonLines);
    assert_eq!(form("a.jsonl", "\n\n{\"a\":1}\n\n{\"b\":2}"), Form::JsonLines);
    // One object on one line is one document, as it would be pretty-printed.
    assert_eq!(form("a.jsonl", "{\"a\":1}\n\n"), Form::Document);
    assert_eq!(form("a.json", "{\n  \"a\": 1\n}\n"), Form::Document);
    assert_eq!(form("a.json", "[{\"a\":1},\n{\"b\":2}]\n"), Form::Document);
    assert_eq!(form("a.json", ""), Form::Document);
    assert_eq!(form("calls.log", "Action=A&X=1\nAction=B\n"), Form::UrlLines);
    assert_eq!(form("calls.txt", "https://vpc.aliyuncs.com/?Action=A"), Form::UrlLines);
    assert_eq!(form("calls.json", "Action=A&X=1\nAction=B\n"), Form::Document);
    assert!(Framer::new(reader(b"Action=A\n"), "calls.json", true).unwrap().form() == Form::UrlLines);
    // A first line that is an object wins over `Action=` in it.
    assert_eq!(form("calls.txt", "{\"u\":\"?Action=A\"}\n{\"u\":\"?Action=B\"}\n"), Form::JsonLines);
}

#[test]
fn streaming_in_small_blocks_frames_as_reading_whole() {
    let mut json = String::from("\u{feff}");
    let mut urls = String::new();
    for i in 0..200 {
        json.push_str(&format!("{{\"Action\":\"A{i}\"}}\r\n"));
        if i % 7 == 0 {
            json.push_str("\n \n");
        }
        urls.push_str(&format!("Action=A{i}\n&X={i}\n"));
        if i % 5 == 0 {
            urls.push_str("\n&Y=1\n");
        }
    }
    let mut broken = json.clone().into_bytes();
    broken.splice(500..500, [0xff]);
    for (name, bytes) in [("a.jsonl", json.into_bytes()), ("a.txt", urls.into_bytes()), ("b.jsonl", broken)] {
        let whole = whole(reader(&bytes), name, false).unwrap();
        let expected = summary(&whole.text, &whole.records);
        assert!(expected.len() >= 200, "{name}");
        for limit in [1, 37, 1000, usize::MAX] {
            assert_eq!(streamed(&bytes, name, limit), (whole.form, expected.clone()), "{name} in blocks of {limit}");
        }
    }
}

#[test]
fn gzip_is_read_and_a_truncated_stream_is_a_problem_at_the_end_of_the_text() {
    let text = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}";
    let whole = whole(reader(&gzip(text.as_bytes())), "a.jsonl.gz", false).unwrap();
    assert_eq!((whole.text.as_str(), whole.records.len(), whole.problem), (text, 3, None));
    let mut cut = gzip(text.repeat(50).as_bytes());
    cut.truncate(cut.len() - 8);
    let whole = super::whole(reader(&cut), "a.json.gz", false).unwrap();
    assert!(matches!(whole.problem, Some(DecodeProblem::TruncatedGzip { .. })), "{:?}", whole.problem);
    assert!(whole.problem.unwrap().to_string().starts_with("the gzip stream is truncated or corrupt ("));
    let mut framer = Framer::new(reader(&cut), "a.json.gz", false).unwrap();
    while framer.next_block(64).is_some() {}
    let (problem, end) = framer.finish().unwrap();
    assert!(matches!(problem, DecodeProblem::TruncatedGzip { .. }));
    let index = crate::source::LineIndex::new(&whole.text);
    assert_eq!(end, index.position(&whole.text, whole.text.len()));
}

#[test]
fn the_end_of_a_text_is_where_the_line_index_puts_it() {
    for text in ["", "a", "a\n", "ab\ncé", "\u{feff}ab", "\u{feff}a\nb", "a\r\n\r\n"] {
        let index = crate::source::LineIndex::new(text);
        assert_eq!(end_of(text, 1), index.position(text, text.len()), "{text:?}");
    }
}

#[test]
fn skip_reasons_and_problems_say_what_they_did() {
    assert_eq!(SkipReason::NotPolicyOrRequest.to_string(), "not a RAM policy or a recorded request");
    assert_eq!(
        DecodeProblem::InvalidUtf8 { offset: 7 }.to_string(),
        "the file is not valid UTF-8 (invalid byte at offset 7)"
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_ratio_with_every_line_before_framed() {
    // 80 MiB of blank lines in about 80 KB: over 500 times once 8 MiB are out.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let lines = vec![b'\n'; 1 << 20];
    for _ in 0..80 {
        encoder.write_all(&lines).unwrap();
    }
    encoder.write_all(b"{}\n{}\n").unwrap();
    let bytes = encoder.finish().unwrap();
    let mut framer = super::Framer::new(Box::new(std::io::Cursor::new(bytes)), "bomb.jsonl.gz", false).unwrap();
    while framer.next_block(1 << 20).is_some() {}
    let (problem, _) = framer.finish().unwrap();
    assert!(matches!(problem, DecodeProblem::Bomb { ratio: 500, .. }), "{problem:?}");
    assert!(problem.to_string().contains("decompression bomb"));
}

#[test]
fn a_line_over_the_limit_is_a_record_of_its_own_and_lone_cr_ends_a_line() {
    let long = "x".repeat(super::max_record_size() + 10);
    let text = format!("{{}}\r{long}\r\n{{}}\r\n\n{{\"a\":1}}");
    let whole = super::text("log.jsonl", &text, false);
    assert_eq!(whole.form, Form::JsonLines);
    let found: Vec<(usize, Option<usize>)> = whole.records.iter().map(|r| (r.number, r.oversize)).collect();
    assert_eq!(found, [(1, None), (2, Some(long.len())), (3, None), (5, None)]);
    assert!(whole.text.len() < 100);
}
