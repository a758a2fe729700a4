//! The record framer over plain, gzip and cut gzip bytes, streamed in blocks (as `audit`
//! reads) and whole (as `check` reads): no panic, every record inside its text, and both
//! ways frame the same number of records.
//!
//! Input: a mode byte, then the content. Mode bits 0-1: plain, plain, gzip, gzip cut short;
//! bit 2: `--kind request`; bit 3: a `.txt` name (URL lines may be detected); bits 4-7: the
//! block size of the streamed read.

#![no_main]

use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use ramlint::frame::{self, Framer};
use std::io::{Cursor, Write};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn check_records(text: &str, records: &[frame::Record]) {
    for r in records {
        assert!(
            r.start <= r.end && r.end <= text.len(),
            "record {} at {}..{} out of the text",
            r.number,
            r.start,
            r.end
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        let _ = r.text(text);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let bytes = match mode & 3 {
        0 | 1 => rest.to_vec(),
        2 => gzip(rest),
        _ => {
            let mut g = gzip(rest);
            let keep = rest.len() % g.len().max(1);
            g.truncate(keep);
            g
        }
    };
    let requests = mode & 4 != 0;
    let name = if mode & 8 != 0 { "calls.txt" } else { "input.json" };
    let limit = 1 + usize::from(mode >> 4) * 64;

    let mut streamed = 0;
    let mut form = None;
    if let Ok(mut framer) = Framer::new(Box::new(Cursor::new(bytes.clone())), name, requests) {
        form = Some(framer.form());
        if framer.form() != frame::Form::Document {
            while let Some(block) = framer.next_block(limit) {
                check_records(&block.text, &block.records);
                streamed += block.records.len();
            }
        }
        let _ = framer.finish();
    }
    if let Ok(whole) = frame::whole(Box::new(Cursor::new(bytes)), name, requests) {
        check_records(&whole.text, &whole.records);
        if form == Some(whole.form) && whole.form != frame::Form::Document {
            assert_eq!(streamed, whole.records.len(), "streamed and whole framing count different records");
        }
    }
});
