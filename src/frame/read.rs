//! Reading an input through the framer: opened (gzip recognised by its magic bytes), its form
//! found from its first lines, then read whole (`check`, `simulate`) or in blocks of whole
//! lines (`audit`, `generate`).

use super::{blank, continues, decode, detect, end_of, records, BadByte, DecodeProblem, Form, Record};
use crate::discover::{Input, ReadError};
use std::io::{BufRead, BufReader, Read};

const BUFFER: usize = 1 << 16;

/// The most a block reserves up front (a larger limit grows the block as lines come).
const MAX_RESERVE: usize = 1 << 24;

/// The raw bytes of an input.
pub fn raw(input: &Input) -> std::io::Result<Box<dyn Read + Send>> {
    Ok(match input {
        Input::Stdin => Box::new(std::io::stdin()),
        Input::File(path) => {
            // Opening a FIFO blocks until a writer comes, and a device may never end: only
            // regular files are opened (a FIFO named by a path given to `simulate` too).
            let meta = std::fs::metadata(path)?;
            if !meta.is_file() {
                return Err(std::io::Error::other(crate::discover::not_regular(&meta.file_type())));
            }
            Box::new(std::fs::File::open(path)?)
        }
        Input::Refused(_, reason) => return Err(std::io::Error::other(reason.clone())),
    })
}

/// A buffered reader of the decompressed bytes, and whether the input is gzip.
pub fn open(mut raw: Box<dyn Read + Send>) -> std::io::Result<(Box<dyn BufRead + Send>, bool)> {
    let mut magic = [0u8; 2];
    let mut n = 0;
    while let Some(rest) = magic.get_mut(n..).filter(|r| !r.is_empty()) {
        match raw.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let gzip = n == 2 && magic == [0x1f, 0x8b];
    let head = std::io::Cursor::new(magic.get(..n).unwrap_or_default().to_vec());
    let reader = BufReader::with_capacity(BUFFER, head.chain(raw));
    Ok(if gzip {
        (Box::new(BufReader::with_capacity(BUFFER, flate2::read::MultiGzDecoder::new(reader))), true)
    } else {
        (Box::new(reader), false)
    })
}

/// A whole input, framed.
#[derive(Debug)]
pub struct Whole {
    /// The decoded text (each invalid UTF-8 sequence is one U+FFFD, listed in `bad`).
    pub text: String,
    pub form: Form,
    /// The records of JSON Lines and URL lines (none for a document).
    pub records: Vec<Record>,
    pub bad: Vec<BadByte>,
    /// A read error that ended the input early (a truncated gzip stream).
    pub problem: Option<DecodeProblem>,
}

/// Whole lines of a streamed log and their records.
#[derive(Debug)]
pub struct Block {
    pub text: String,
    /// The file's line number of the block's first line.
    pub first_line: usize,
    pub records: Vec<Record>,
}

/// Reads an input and frames it whole.
pub fn read(input: &Input, requests: bool) -> Result<Whole, ReadError> {
    let error = |e: std::io::Error| ReadError { name: input.name(), message: e.to_string() };
    whole(raw(input).map_err(error)?, &input.name(), requests).map_err(error)
}

/// Frames the bytes of a reader whole; `requests` when the kind is forced to request.
pub fn whole(raw: Box<dyn Read + Send>, name: &str, requests: bool) -> std::io::Result<Whole> {
    Ok(Framer::new(raw, name, requests)?.whole())
}

/// Frames an already decoded text (never gzip).
pub fn text(name: &str, text: &str, requests: bool) -> Whole {
    let reader = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
    Framer::over(reader, false, name, requests).whole()
}

/// The text of a line as read (its break, a `\r` before it and, on the first line, a byte
/// order mark cut).
fn line_text(bytes: &[u8], first: bool) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let bytes = if first { bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes) } else { bytes };
    String::from_utf8_lossy(bytes)
}

/// Reads one input: finds its form from its first lines, then hands out its text whole or in
/// blocks of whole lines. Memory is bounded by the block size (and the longest line).
pub struct Framer {
    reader: Box<dyn BufRead + Send>,
    gzip: bool,
    form: Form,
    /// Bytes read and not framed yet: the lines read to find the form, or the line read after
    /// a block.
    pending: Vec<u8>,
    /// The file's line number of the first line of `pending`.
    line: usize,
    /// Bytes of the decompressed input before `pending`.
    offset: usize,
    /// Bytes read so far.
    consumed: usize,
    eof: bool,
    problem: Option<DecodeProblem>,
    /// The line and column where the text handed out so far ends.
    end: (usize, usize),
}

impl Framer {
    /// Opens raw bytes (gzip or not) and reads as far as needed to know the form.
    pub fn new(raw: Box<dyn Read + Send>, name: &str, requests: bool) -> std::io::Result<Framer> {
        let (reader, gzip) = open(raw)?;
        Ok(Framer::over(reader, gzip, name, requests))
    }

    /// Frames decompressed bytes; `requests` when the kind is forced to request.
    pub fn over(reader: Box<dyn BufRead + Send>, gzip: bool, name: &str, requests: bool) -> Framer {
        let mut framer = Framer {
            reader,
            gzip,
            form: Form::Document,
            pending: Vec::new(),
            line: 1,
            offset: 0,
            consumed: 0,
            eof: false,
            problem: None,
            end: (1, 1),
        };
        // The first non-blank line (its place in `pending`), and whether another one follows.
        let mut first: Option<(usize, usize, bool)> = None;
        let mut more = false;
        let mut index = 0;
        loop {
            let start = framer.pending.len();
            let mut pending = std::mem::take(&mut framer.pending);
            let n = framer.read_line(&mut pending);
            framer.pending = pending;
            if n == 0 {
                break;
            }
            let line = framer.pending.get(start..).unwrap_or_default();
            index += 1;
            if blank(&line_text(line, index == 1)) {
                continue;
            }
            if first.is_some() {
                more = true;
                break;
            }
            first = Some((start, framer.pending.len(), index == 1));
        }
        if let Some((start, end, at_start)) = first {
            let line = line_text(framer.pending.get(start..end).unwrap_or_default(), at_start);
            framer.form = detect(name, &line, more, requests);
        }
        framer
    }

    pub fn form(&self) -> Form {
        self.form
    }

    /// Appends one line (with its break) to `into`; the number of bytes read (0 at the end).
    fn read_line(&mut self, into: &mut Vec<u8>) -> usize {
        if self.eof {
            return 0;
        }
        let before = into.len();
        let result = self.reader.read_until(b'\n', into);
        let n = into.len() - before;
        self.consumed += n;
        match result {
            Ok(0) => self.eof = true,
            Ok(_) => {}
            Err(e) => self.fail(&e),
        }
        n
    }

    fn read_rest(&mut self, into: &mut Vec<u8>) {
        if self.eof {
            return;
        }
        let before = into.len();
        let result = self.reader.read_to_end(into);
        self.consumed += into.len() - before;
        self.eof = true;
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn fail(&mut self, e: &std::io::Error) {
        let (offset, cause) = (self.consumed, e.to_string());
        self.problem = Some(if self.gzip {
            DecodeProblem::TruncatedGzip { offset, cause }
        } else {
            DecodeProblem::ReadFailed { offset, cause }
        });
        self.eof = true;
    }

    /// The next block of about `limit` bytes of whole lines (JSON Lines, URL lines); a URL
    /// record is never split between blocks. `None` at the end.
    pub fn next_block(&mut self, limit: usize) -> Option<Block> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.reserve(limit.min(MAX_RESERVE).saturating_add(BUFFER).saturating_sub(bytes.len()));
        while bytes.len() < limit && self.read_line(&mut bytes) > 0 {}
        if self.form == Form::UrlLines {
            loop {
                let mut next = Vec::new();
                if self.read_line(&mut next) == 0 {
                    break;
                }
                let text = line_text(&next, false);
                if blank(&text) || continues(&text) {
                    bytes.extend_from_slice(&next);
                } else {
                    self.pending = next;
                    break;
                }
            }
        }
        let (text, first_line, bad) = self.decode(bytes)?;
        let records = records(&text, first_line, self.form == Form::UrlLines, &bad);
        Some(Block { text, first_line, records })
    }

    fn decode(&mut self, bytes: Vec<u8>) -> Option<(String, usize, Vec<BadByte>)> {
        if bytes.is_empty() {
            return None;
        }
        let len = bytes.len();
        let decoded = decode(bytes, self.offset);
        self.offset += len;
        let first_line = self.line;
        self.end = end_of(&decoded.text, first_line);
        self.line = self.end.0;
        Some((decoded.text, first_line, decoded.bad))
    }

    /// The rest of the input, framed whole.
    pub fn whole(mut self) -> Whole {
        let mut bytes = std::mem::take(&mut self.pending);
        self.read_rest(&mut bytes);
        let (text, first_line, bad) = self.decode(bytes).unwrap_or_default();
        let records = match self.form {
            Form::Document => Vec::new(),
            form => records(&text, first_line.max(1), form == Form::UrlLines, &bad),
        };
        Whole { text, form: self.form, records, bad, problem: self.problem }
    }

    /// The read error that ended the input, if one did, and the line and column where the
    /// text read ends.
    pub fn finish(self) -> Option<(DecodeProblem, (usize, usize))> {
        let end = self.end;
        self.problem.map(|p| (p, end))
    }
}
