//! Reading an input through the framer: opened (gzip recognised by its magic bytes), its form
//! found from its first lines, then read whole (`check`, `simulate`) or in blocks of whole
//! lines (`audit`, `generate`).

use super::{
    blank, continues, decode, detect, end_of, is_object_line, max_record_size, records_with, BadByte, DecodeProblem,
    Form, Oversize, Record, MAX_RATIO, RATIO_FLOOR,
};
use crate::discover::{Input, ReadError};
use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How many non-blank lines (and bytes) the framer reads ahead to find the form.
const DETECT_LINES: usize = 8;
const DETECT_BYTES: usize = 1 << 20;

/// Counts the compressed bytes read, for the decompression ratio.
struct Compressed<R> {
    inner: R,
    read: Arc<AtomicUsize>,
}

impl<R: Read> Read for Compressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n, Ordering::Relaxed);
        Ok(n)
    }
}

/// The decompressed bytes of a gzip stream, stopped with an error once they exceed
/// [`MAX_RATIO`] times the compressed bytes read (past [`RATIO_FLOOR`]).
struct Ratio<R> {
    inner: R,
    compressed: Arc<AtomicUsize>,
    out: usize,
    /// Decompressed bytes before the ratio counts ([`RATIO_FLOOR`]).
    floor: usize,
}

/// The error a [`Ratio`] stops with.
#[derive(Debug)]
struct BombError;

impl std::fmt::Display for BombError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "decompression ratio over {MAX_RATIO}")
    }
}

impl std::error::Error for BombError {}

impl<R: Read> Read for Ratio<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n;
        if self.out > self.floor && self.out / MAX_RATIO > self.compressed.load(Ordering::Relaxed) {
            return Err(std::io::Error::other(BombError));
        }
        Ok(n)
    }
}

const BUFFER: usize = 1 << 16;

/// The most bytes of whole lines [`Framer::read_lines`] appends at once.
const LINES_WINDOW: usize = 2048;

/// The read-ahead of compressed bytes.
const COMPRESSED_BUFFER: usize = 1 << 13;

/// The most a block reserves up front (a larger limit grows the block as lines come).
const MAX_RESERVE: usize = 1 << 24;

/// The raw bytes of an input.
pub fn raw(input: &Input) -> std::io::Result<Box<dyn Read + Send>> {
    Ok(raw_sized(input)?.0)
}

/// [`raw`], and the size of a file (none for standard input).
fn raw_sized(input: &Input) -> std::io::Result<(Box<dyn Read + Send>, Option<u64>)> {
    Ok(match input {
        Input::Stdin => (Box::new(std::io::stdin()), None),
        Input::File(path) => {
            // Opening a FIFO blocks until a writer comes, and a device may never end: only
            // regular files are opened (a FIFO named by a path given to `simulate` too).
            let meta = std::fs::metadata(path)?;
            if !meta.is_file() {
                return Err(std::io::Error::other(crate::discover::not_regular(&meta.file_type())));
            }
            (Box::new(std::fs::File::open(path)?), Some(meta.len()))
        }
        Input::Refused(_, reason) => return Err(std::io::Error::other(reason.clone())),
    })
}

/// A buffered reader of the decompressed bytes, and whether the input is gzip.
pub fn open(raw: Box<dyn Read + Send>) -> std::io::Result<(Box<dyn BufRead + Send>, bool)> {
    open_with(raw, BUFFER)
}

/// [`open`] with a read buffer of `buffer` bytes for an input that is not gzip (a small
/// file needs no 64 KiB buffer, whose allocation and release cost more than reading it).
fn open_with(mut raw: Box<dyn Read + Send>, buffer: usize) -> std::io::Result<(Box<dyn BufRead + Send>, bool)> {
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
    Ok(if gzip {
        let compressed = Arc::new(AtomicUsize::new(0));
        let counted = Compressed { inner: head.chain(raw), read: compressed.clone() };
        // A small buffer on the compressed side: what is read ahead counts as consumed, and a
        // large read-ahead would let a bomb expand further before the ratio notices.
        let reader = BufReader::with_capacity(COMPRESSED_BUFFER, counted);
        let ratio =
            Ratio { inner: flate2::bufread::MultiGzDecoder::new(reader), compressed, out: 0, floor: RATIO_FLOOR };
        (Box::new(BufReader::with_capacity(BUFFER, ratio)), true)
    } else {
        let reader = BufReader::with_capacity(buffer, head.chain(raw));
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
    /// A read error that ended the input early (a truncated gzip stream, a document over the
    /// record size limit: then the text is empty).
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
    read_as(input, &input.name(), requests)
}

/// [`read`] of an input whose [`Input::name`] is `name`.
pub fn read_as(input: &Input, name: &str, requests: bool) -> Result<Whole, ReadError> {
    let error = |e: std::io::Error| ReadError { name: name.to_string(), message: e.to_string() };
    let (raw, size) = raw_sized(input).map_err(error)?;
    // A file's whole size (and a byte to see its end) at most: the reads are the same but
    // for how many bytes each returns.
    let buffer =
        size.map_or(BUFFER, |n| usize::try_from(n).unwrap_or(BUFFER).saturating_add(1).clamp(SMALL_BUFFER, BUFFER));
    let (reader, gzip) = open_with(raw, buffer).map_err(error)?;
    // The text is kept in one allocation of about the file's size (capped) from the start.
    let reserve = size.map_or(0, |n| usize::try_from(n).unwrap_or(MAX_RESERVE).min(MAX_TEXT_RESERVE));
    Ok(Framer::over_with(reader, gzip, name, requests, reserve).whole())
}

/// The most a file read whole reserves for its text up front.
const MAX_TEXT_RESERVE: usize = 1 << 20;

/// The smallest read buffer of a file read whole.
const SMALL_BUFFER: usize = 1 << 10;

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

/// What reading one line found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// Bytes consumed from the input (0 at the end).
    consumed: usize,
    /// Whether the line is over the limit it was read with (then nothing of it was kept).
    over: bool,
    /// Whether the line ended (a line break or the end of the input) rather than being left
    /// part-read (only when over the limit and not skipped).
    ended: bool,
    /// Whether it ended in a line break.
    broken: bool,
    /// The length of that line break (1, or 2 for CRLF).
    brk: usize,
}

/// Reads one input: finds its form from its first lines, then hands out its text whole or in
/// blocks of whole lines. Memory is bounded by the block size and the record size limit: a
/// longer line is dropped as it is read and counted as one unreadable record.
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
    /// Line breaks read so far.
    breaks: usize,
    /// Lines over the limit read and not framed yet.
    oversize: Vec<Oversize>,
    /// A line over the limit whose rest is not read yet: where it started and its bytes so far.
    partial: Option<(Oversize, usize)>,
    /// A line over the limit read after a block of URL lines: the next block's first record.
    carry: Option<Oversize>,
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
    ///
    /// The form comes from the first non-blank lines, not the first alone: a first line that
    /// is an object followed by more lines, or any two consecutive lines that are each a whole
    /// object (which no multi-line JSON document has), make JSON Lines, so that a broken first
    /// record is one unreadable record of a log.
    pub fn over(reader: Box<dyn BufRead + Send>, gzip: bool, name: &str, requests: bool) -> Framer {
        Framer::over_with(reader, gzip, name, requests, 0)
    }

    /// [`Framer::over`] with `reserve` bytes reserved for the text.
    fn over_with(reader: Box<dyn BufRead + Send>, gzip: bool, name: &str, requests: bool, reserve: usize) -> Framer {
        let mut framer = Framer {
            reader,
            gzip,
            form: Form::Document,
            pending: Vec::with_capacity(reserve),
            line: 1,
            offset: 0,
            consumed: 0,
            breaks: 0,
            oversize: Vec::new(),
            partial: None,
            carry: None,
            eof: false,
            problem: None,
            end: (1, 1),
        };
        let limit = max_record_size();
        // The first non-blank line (its place in `pending`), and whether another one follows.
        let mut first: Option<(usize, usize, bool)> = None;
        let mut more = false;
        let mut lines = false;
        let mut previous_object = false;
        let mut seen = 0;
        let mut index = 0;
        loop {
            let start = framer.pending.len();
            let at = framer.consumed;
            let mut pending = std::mem::take(&mut framer.pending);
            let scan = framer.scan_line(&mut pending, limit, false);
            framer.pending = pending;
            if scan.consumed == 0 {
                break;
            }
            if scan.over {
                // Too long to look at: the lines before it decide.
                index += 1;
                let long = Oversize { line: framer.breaks + 1 - usize::from(scan.broken), offset: at, len: 0 };
                more |= first.is_some();
                if scan.ended {
                    framer.drop_line(long, scan);
                } else {
                    framer.partial = Some((long, scan.consumed));
                    break;
                }
                previous_object = false;
                continue;
            }
            let line = framer.pending.get(start..).unwrap_or_default();
            index += 1;
            // Most lines start (after ASCII spaces) with an ASCII character other than `{`: not
            // blank and no object, known without decoding and trimming the line.
            let lead = line.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c));
            let object = match lead {
                Some(&b) if b.is_ascii() && b != b'{' => false,
                _ => {
                    let text = line_text(line, index == 1);
                    if blank(&text) {
                        continue;
                    }
                    is_object_line(&text)
                }
            };
            seen += 1;
            if first.is_some() {
                more = true;
                if previous_object && (object || seen == 2) {
                    lines = true;
                    break;
                }
            } else {
                first = Some((start, framer.pending.len(), index == 1));
            }
            previous_object = object;
            if seen >= DETECT_LINES || framer.pending.len() >= DETECT_BYTES {
                break;
            }
            // Without a first object line, a second line decides nothing yet; with one, the
            // second line makes JSON Lines (above). A first line that is no object needs two
            // object lines after it.
        }
        if let Some((start, end, at_start)) = first {
            let line = line_text(framer.pending.get(start..end).unwrap_or_default(), at_start);
            framer.form = if lines { Form::JsonLines } else { detect(name, &line, more, requests) };
        }
        framer
    }

    pub fn form(&self) -> Form {
        self.form
    }

    /// Reads one line (through `\n`, `\r\n` or a lone `\r`, which becomes `\n`) onto `into`.
    /// A line whose text is longer than `limit` bytes is not kept: with `skip` its rest is
    /// read and dropped, otherwise reading stops in it.
    fn scan_line(&mut self, into: &mut Vec<u8>, limit: usize, skip: bool) -> Scan {
        let mut scan = Scan { consumed: 0, over: false, ended: true, broken: false, brk: 0 };
        if self.eof {
            return scan;
        }
        let before = into.len();
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.fail(&e);
                    break;
                }
            };
            if buf.is_empty() {
                self.eof = true;
                break;
            }
            let found = memchr::memchr2(b'\n', b'\r', buf);
            let take = found.map_or(buf.len(), |i| i + 1);
            let chunk = buf.get(..take).unwrap_or_default();
            let cr = chunk.last() == Some(&b'\r') && found.is_some();
            // CRLF split by the buffer's end, or inside it.
            let crlf = cr && buf.get(take) == Some(&b'\n');
            let text_len = scan.consumed + take - usize::from(found.is_some());
            if !scan.over && text_len > limit {
                scan.over = true;
                into.truncate(before);
            }
            if !scan.over {
                into.extend_from_slice(chunk);
            }
            let take = take + usize::from(crlf);
            if crlf && !scan.over {
                into.push(b'\n');
            }
            self.reader.consume(take);
            scan.consumed += take;
            self.consumed += take;
            if found.is_some() {
                if cr && !crlf {
                    // A `\r` at the end of the buffer: CRLF if the next byte is `\n`.
                    let next = loop {
                        match self.reader.fill_buf() {
                            Ok(b) => break b.first().copied(),
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                            Err(_) => break None,
                        }
                    };
                    if next == Some(b'\n') {
                        scan.brk = 1;
                        self.reader.consume(1);
                        scan.consumed += 1;
                        self.consumed += 1;
                        if !scan.over {
                            into.push(b'\n');
                        }
                    } else if !scan.over {
                        // A lone CR ends a line as LF does (same length, so offsets hold).
                        if let Some(last) = into.last_mut() {
                            *last = b'\n';
                        }
                    }
                }
                self.breaks += 1;
                scan.broken = true;
                scan.brk += 1 + usize::from(crlf);
                return scan;
            }
            if scan.over && !skip {
                scan.ended = false;
                return scan;
            }
        }
        scan
    }

    /// Appends the rest of a document to `into` (whole lines so far) a buffer at a time, as
    /// long as the text stays within `limit` bytes: the bytes [`Framer::scan_line`] would append
    /// (a lone `\r` becomes `\n`, CRLF stays), without a pass per line. It stops at the end of
    /// the input, at a read error (recorded as `scan_line` records it), or before the buffer
    /// that would take the text over `limit`: then it stops on a line boundary only if the
    /// text does, and [`Framer::whole`] goes on line by line from there, so that the limit is
    /// applied exactly as before (a line is over when the text before it plus its own text,
    /// without its break, is longer than `limit`; the room left is `limit` minus the text).
    fn read_bulk(&mut self, into: &mut Vec<u8>, limit: usize) {
        // Whether the last byte appended is a `\r` whose next byte is not read yet.
        let mut open_cr = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    if open_cr {
                        // `scan_line` takes a failed look past a `\r` as no `\n`, and reads
                        // again for the next line.
                        open_cr = false;
                        if let Some(last) = into.last_mut() {
                            *last = b'\n';
                        }
                        continue;
                    }
                    self.fail(&e);
                    return;
                }
            };
            if buf.is_empty() {
                if open_cr {
                    if let Some(last) = into.last_mut() {
                        *last = b'\n';
                    }
                }
                self.eof = true;
                return;
            }
            if open_cr {
                open_cr = false;
                // A `\n` next keeps the CRLF (appended with its buffer, or read line by line
                // below as an empty line: the same bytes, and an empty line is never over).
                if buf.first() != Some(&b'\n') {
                    if let Some(last) = into.last_mut() {
                        *last = b'\n';
                    }
                }
            }
            if into.len().saturating_add(buf.len()) > limit {
                // Near the limit: line by line from here (the text ends on a line boundary,
                // or inside a line whose text so far counts against the room left).
                return;
            }
            let take = buf.len();
            let start = into.len();
            into.extend_from_slice(buf);
            self.reader.consume(take);
            self.consumed += take;
            // Lone `\r`s in what was appended become `\n` (the byte after each is the one read).
            let mut from = start;
            while let Some(i) = into.get(from..).and_then(|rest| memchr::memchr(b'\r', rest)) {
                let at = from + i;
                match into.get(at + 1) {
                    Some(b'\n') => {}
                    Some(_) => {
                        if let Some(b) = into.get_mut(at) {
                            *b = b'\n';
                        }
                    }
                    None => open_cr = true,
                }
                from = at + 1;
            }
        }
    }

    /// Records a line over the limit that has been read to its end: its line break stays in
    /// `pending` so that line numbers hold.
    fn drop_line(&mut self, mut long: Oversize, scan: Scan) {
        long.len = scan.consumed.saturating_sub(scan.brk);
        self.oversize.push(long);
        if scan.broken {
            self.pending.push(b'\n');
        }
    }

    /// Finishes a line left part-read by [`Framer::over`], for a log.
    fn finish_partial(&mut self) {
        if let Some((long, so_far)) = self.partial.take() {
            let mut sink = Vec::new();
            let mut scan = self.scan_line(&mut sink, 0, true);
            scan.consumed += so_far;
            self.drop_line(long, scan);
        }
    }

    /// Appends at once the whole lines of a log that the reader holds, up to the first that
    /// takes `into` to `limit` bytes: the bytes [`Framer::read_line`] would append one line at
    /// a time, for lines without a `\r` and within the record size limit (each is shorter than
    /// what is appended). Whether it appended anything: when not, [`Framer::read_line`] reads
    /// the next line (a `\r`, a line that goes on past the buffer, the end or an error).
    fn read_lines(&mut self, into: &mut Vec<u8>, limit: usize) -> bool {
        if self.eof {
            return false;
        }
        let buf = match self.reader.fill_buf() {
            Ok(buf) => buf,
            // As `scan_line` would: an interrupted read is retried there, an error ends.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return false,
            Err(e) => {
                self.fail(&e);
                return false;
            }
        };
        if buf.is_empty() {
            self.eof = true;
            return false;
        }
        // A few lines at a time: each look for `\r` reads only this much of the buffer, and the
        // copy stays a vector loop (libc copies many kilobytes with `rep movsb`, which callgrind
        // counts a byte at a time).
        let buf = buf.get(..buf.len().min(LINES_WINDOW)).unwrap_or(buf);
        let plain = buf.get(..memchr::memchr(b'\r', buf).unwrap_or(buf.len())).unwrap_or_default();
        let need = limit.saturating_sub(into.len()).max(1);
        let last = match plain.get(need - 1..).and_then(|rest| memchr::memchr(b'\n', rest)) {
            Some(i) => need - 1 + i,
            None => match memchr::memrchr(b'\n', plain) {
                Some(i) => i,
                None => return false,
            },
        };
        let Some(chunk) = plain.get(..=last).filter(|c| c.len() <= max_record_size()) else {
            return false;
        };
        let take = chunk.len();
        into.extend_from_slice(chunk);
        self.breaks += memchr::memchr_iter(b'\n', chunk).count();
        self.reader.consume(take);
        self.consumed += take;
        true
    }

    /// Appends one line of a log (with its break) to `into`; the bytes consumed (0 at the
    /// end). A line over the record size limit leaves only its break.
    fn read_line(&mut self, into: &mut Vec<u8>) -> usize {
        let at = self.consumed;
        let line = self.breaks + 1;
        let scan = self.scan_line(into, max_record_size(), true);
        if scan.over {
            let long = Oversize { line, offset: at, len: scan.consumed.saturating_sub(scan.brk) };
            self.oversize.push(long);
            if scan.broken {
                into.push(b'\n');
            }
        }
        scan.consumed
    }

    fn fail(&mut self, e: &std::io::Error) {
        let offset = self.consumed;
        let bomb = e.get_ref().is_some_and(|inner| inner.is::<BombError>());
        self.problem = Some(if bomb {
            DecodeProblem::Bomb { offset, ratio: MAX_RATIO }
        } else if self.gzip {
            DecodeProblem::TruncatedGzip { offset, cause: e.to_string() }
        } else {
            DecodeProblem::ReadFailed { offset, cause: e.to_string() }
        });
        self.eof = true;
    }

    /// The next block of about `limit` bytes of whole lines (JSON Lines, URL lines); a URL
    /// record is never split between blocks. `None` at the end.
    pub fn next_block(&mut self, limit: usize) -> Option<Block> {
        self.finish_partial();
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.reserve(limit.min(MAX_RESERVE).saturating_add(BUFFER).saturating_sub(bytes.len()));
        while bytes.len() < limit {
            if !self.read_lines(&mut bytes, limit) && self.read_line(&mut bytes) == 0 {
                break;
            }
        }
        if self.form == Form::UrlLines {
            loop {
                let mut next = Vec::new();
                let long = self.oversize.len();
                if self.read_line(&mut next) == 0 {
                    break;
                }
                let text = line_text(&next, false);
                if self.oversize.len() == long && (blank(&text) || continues(&text)) {
                    bytes.extend_from_slice(&next);
                } else {
                    // The next record (an over-long line is one too): it starts the next block.
                    if self.oversize.len() > long {
                        self.carry = self.oversize.pop();
                    }
                    self.pending = next;
                    break;
                }
            }
        }
        let oversize = std::mem::take(&mut self.oversize);
        if let Some(c) = self.carry.take() {
            self.oversize.push(c);
        }
        let (text, first_line, bad) = self.decode(bytes, &oversize)?;
        let records = records_with(&text, first_line, self.form == Form::UrlLines, &bad, &oversize);
        Some(Block { text, first_line, records })
    }

    fn decode(&mut self, bytes: Vec<u8>, oversize: &[Oversize]) -> Option<(String, usize, Vec<BadByte>)> {
        if bytes.is_empty() {
            return None;
        }
        let len = bytes.len();
        let mut decoded = decode(bytes, self.offset);
        // The input offsets of bytes after a dropped line move by its length.
        let mut shift = 0;
        let mut long = oversize.iter().peekable();
        for b in &mut decoded.bad {
            while let Some(o) = long.next_if(|o| o.offset <= b.offset + shift) {
                shift += o.len;
            }
            b.offset += shift;
        }
        self.offset += len + oversize.iter().map(|o| o.len).sum::<usize>();
        let first_line = self.line;
        self.end = end_of(&decoded.text, first_line);
        self.line = self.end.0;
        Some((decoded.text, first_line, decoded.bad))
    }

    /// The rest of the input, framed whole. A document longer than the record size limit is
    /// not read further (its text is dropped); a log's lines are read to the end.
    pub fn whole(mut self) -> Whole {
        let limit = max_record_size();
        if self.form == Form::Document {
            let mut bytes = std::mem::take(&mut self.pending);
            let mut over = self.partial.is_some() || !self.oversize.is_empty();
            if !over {
                self.read_bulk(&mut bytes, limit);
            }
            while !over && !self.eof {
                let room = limit.saturating_sub(bytes.len());
                let scan = self.scan_line(&mut bytes, room, false);
                over = scan.over;
                if scan.consumed == 0 {
                    break;
                }
            }
            if over {
                let problem = Some(DecodeProblem::TooLarge { limit });
                return Whole { text: String::new(), form: self.form, records: Vec::new(), bad: Vec::new(), problem };
            }
            self.pending = bytes;
        } else {
            self.finish_partial();
            let mut bytes = std::mem::take(&mut self.pending);
            while self.read_line(&mut bytes) > 0 {}
            self.pending = bytes;
        }
        let bytes = std::mem::take(&mut self.pending);
        let oversize = std::mem::take(&mut self.oversize);
        let (text, first_line, bad) = self.decode(bytes, &oversize).unwrap_or_default();
        let records = match self.form {
            Form::Document => Vec::new(),
            form => records_with(&text, first_line.max(1), form == Form::UrlLines, &bad, &oversize),
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
