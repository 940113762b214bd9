//! Delimited text → records of fields, read from a stream a buffer at a time.
//!
//! Reads exactly as the `csv` crate's reader does with sspr-viewer's settings (any
//! one-byte separator; `"` quoting with doubled quotes; CR, LF or CRLF line ends; empty
//! lines skipped; records of any length): the tests compare the two on every short text
//! of the bytes that matter and on many random ones, cut into chunks of every size.
//! What differs is the work per field. `csv` copies every field into a record; here a
//! field is a span of the buffer, its end found eight bytes at a time, and only a field
//! with a doubled quote (or text after its closing quote) is copied, unescaped. An
//! audit-log row has 86 fields of which a format reads about a dozen.
//!
//! A record's text is checked to be UTF-8 once, as a whole. A record knows its line
//! (1-based, counted by `\n` as a text editor counts) and a reader its position in the
//! stream, so rows can be named and a file can be read in two parts.
//!
//! It is a crate of its own so that the page's build can compile it for speed and the
//! rest of the viewer for size; sspr-viewer re-exports it as `report::delimited`.

use memchr::memchr;

/// The buffer's first size; it grows when one record does not fit.
const BUFFER: usize = 1 << 17;

/// A span of a field: `start..end` in the record's text, or in its copied fields when
/// `start` has [`OWNED`] set.
type Span = (u32, u32);
const OWNED: u32 = 1 << 31;

/// Why a record could not be read; the reader has moved past it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The record on `line` is not UTF-8: `field` (0-based) is the first field that is
    /// not.
    NotUtf8 { line: u64, field: usize },
}

/// Reads records from a text stream (already decoded to UTF-8, or meant to be).
pub struct Records<R> {
    inner: R,
    separator: u8,
    buf: Vec<u8>,
    /// `buf[..filled]` holds text read and not yet dropped.
    filled: usize,
    /// Where the next record (or the line ends before it) starts in `buf`.
    at: usize,
    /// The stream offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// `\n` bytes in the stream before `buf[at]`.
    newlines: u64,
    /// `buf[..clean_to]` from the end of the record that last ended an ASCII run (records
    /// are read in order, so none starts before it) is known to be ASCII.
    clean_to: usize,
    /// Whether a record read so far (since [`Self::forget_non_ascii`]) had non-ASCII text.
    non_ascii: bool,
    /// The fields of the record last read.
    fields: Fields,
}

/// How reading one record in the buffer ended.
enum Scan {
    /// The record ends before `next` (just past its line end, or at the end of the
    /// text), having passed `newlines` line breaks.
    Done { next: usize, newlines: u64 },
    /// The buffer ends inside the record and more text may follow.
    More,
}

impl<R: std::io::Read> Records<R> {
    /// Reads `inner`, its fields split by `separator`.
    pub fn new(inner: R, separator: u8) -> Records<R> {
        Records::with_buffer(inner, separator, BUFFER)
    }

    /// A reader whose buffer starts at `size` bytes.
    fn with_buffer(inner: R, separator: u8, size: usize) -> Records<R> {
        Records {
            inner,
            separator,
            buf: vec![0; size.max(1)],
            filled: 0,
            at: 0,
            base: 0,
            eof: false,
            newlines: 0,
            clean_to: 0,
            non_ascii: false,
            fields: Fields::default(),
        }
    }

    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The stream offset where the next record, or the empty lines before it, starts:
    /// just past the line end of the record last read.
    pub fn position(&self) -> u64 {
        self.base + self.at as u64
    }

    /// Whether a record read since [`Self::forget_non_ascii`] had non-ASCII text.
    pub fn had_non_ascii(&self) -> bool {
        self.non_ascii
    }

    /// Forgets the records read so far for [`Self::had_non_ascii`] (a header's, say).
    pub fn forget_non_ascii(&mut self) {
        self.non_ascii = false;
    }

    /// The line at [`Self::position`].
    pub fn line_here(&self) -> u64 {
        self.newlines + 1
    }

    /// Skips the line ends before the next record, but none at or after the stream
    /// offset `limit`; gives the position reached.
    pub fn skip_line_ends_to(&mut self, limit: u64) -> u64 {
        loop {
            let stop = usize::try_from(limit.saturating_sub(self.base))
                .map_or(self.filled, |l| l.min(self.filled));
            while self.at < stop {
                match self.buf[self.at] {
                    b'\n' => self.newlines += 1,
                    b'\r' => {}
                    _ => return self.position(),
                }
                self.at += 1;
            }
            if self.at < self.filled || self.position() >= limit || !self.refill(1) {
                return self.position();
            }
        }
    }

    /// Reads the next record: `None` at the end of the text. A record that is not UTF-8
    /// is an error, and the next call reads the record after it.
    pub fn read(&mut self) -> Result<Option<Record<'_>>, RecordError> {
        self.skip_line_ends_to(u64::MAX);
        if self.at == self.filled {
            return Ok(None);
        }
        loop {
            let text = &self.buf[..self.filled];
            match self.fields.scan(text, self.at, self.separator, self.eof) {
                Scan::Done { next, newlines } => {
                    let (start, line) = (self.at, self.line_here());
                    self.newlines += newlines;
                    self.at = next;
                    return self.checked(start, next, line);
                }
                Scan::More => {
                    // The record is scanned again from its start: wait for as much text
                    // again as it has so far, so that a long record costs no more than
                    // twice its length whatever the source hands out at a time.
                    self.refill(self.filled - self.at);
                }
            }
        }
    }

    /// The record just read (`buf[start..end]`, on `line`), its text checked to be
    /// UTF-8; notes whether it is ASCII.
    fn checked(
        &mut self,
        start: usize,
        end: usize,
        line: u64,
    ) -> Result<Option<Record<'_>>, RecordError> {
        // Once a record had non-ASCII text, none other needs looking at for it.
        let seen = self.non_ascii;
        if !seen && end > self.clean_to {
            // The ASCII run ends before this record does: find the next one past it.
            self.clean_to = end + ascii_prefix(&self.buf[end..self.filled]);
            self.non_ascii = !self.buf[start..end].is_ascii();
        }
        let record = &self.buf[start..end];
        let text = match std::str::from_utf8(record) {
            Ok(text) => text,
            Err(_) => {
                // The fields are what must be UTF-8: a quote taken out of a field
                // (`"\xC3"\xA9`) can join a character that the record's text splits.
                // Each field is checked (joined, valid fields are valid; the converse
                // does not hold), then all are copies.
                let Fields { spans, owned } = &mut self.fields;
                own_all(record, spans, owned);
                let bad = spans.iter().position(|&(s, e)| {
                    std::str::from_utf8(&owned[(s & !OWNED) as usize..e as usize]).is_err()
                });
                if let Some(field) = bad {
                    // A record that is not UTF-8 tells nothing of the ones before.
                    self.non_ascii = seen;
                    return Err(RecordError::NotUtf8 { line, field });
                }
                self.non_ascii = true;
                ""
            }
        };
        // The copied fields are the record's text less some quotes, or were each checked.
        let owned = std::str::from_utf8(&self.fields.owned).unwrap_or_default();
        Ok(Some(Record {
            text,
            owned,
            spans: &self.fields.spans,
            line,
            start: self.base + start as u64,
        }))
    }

    /// Reads at least `wanted` more bytes of text into the buffer (fewer if it fills up
    /// or the text ends), first dropping what was read before the next record; grows the
    /// buffer when that record fills it. `false` when the text ended before anything
    /// more came.
    fn refill(&mut self, wanted: usize) -> bool {
        if self.eof {
            return false;
        }
        if self.at > 0 {
            self.buf.copy_within(self.at..self.filled, 0);
            self.base += self.at as u64;
            self.filled -= self.at;
            self.clean_to = self.clean_to.saturating_sub(self.at);
            self.at = 0;
        }
        if self.filled == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let old = self.filled;
        while self.filled < self.buf.len() && self.filled - old < wanted.max(1) {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    self.eof = true;
                    break;
                }
            }
        }
        if self.filled == old {
            return false;
        }
        if self.clean_to == old {
            // The ASCII run reached the end of the text: it may go on.
            self.clean_to = old + ascii_prefix(&self.buf[old..self.filled]);
        }
        true
    }
}

/// The fields of the record being read: spans of the buffer, and copies.
#[derive(Default)]
struct Fields {
    spans: Vec<Span>,
    owned: Vec<u8>,
}

impl Fields {
    /// Finds the fields of the record at `text[from]` (not a line end); `eof` when the
    /// text ends where `text` does. Spans are kept from `from`.
    fn scan(&mut self, text: &[u8], from: usize, separator: u8, eof: bool) -> Scan {
        self.spans.clear();
        self.owned.clear();
        let mut newlines = 0;
        let mut p = from;
        loop {
            // `p` is the start of a field. Most fields of an audit-log export are `""`.
            if let Some(&[b'"', b'"', b]) = text.get(p..p + 3) {
                if b == separator {
                    let at = (p + 1 - from) as u32;
                    self.spans.push((at, at));
                    p += 3;
                    continue;
                }
            }
            let end = if text.get(p) == Some(&b'"') {
                let mut q = p + 1;
                let mut doubled = false;
                let close = loop {
                    let Some(k) = find_quote_or_lf(&text[q..]) else {
                        break None;
                    };
                    let at = q + k;
                    if text[at] == b'\n' {
                        newlines += 1;
                        q = at + 1;
                    } else if text.get(at + 1) == Some(&b'"') {
                        doubled = true;
                        q = at + 2;
                    } else {
                        break Some(at);
                    }
                };
                let Some(close) = close else {
                    if !eof {
                        return Scan::More;
                    }
                    // No closing quote: the field runs to the end of the text.
                    self.push_quoted(text, from, p + 1, text.len(), doubled, text.len());
                    return Scan::Done {
                        next: text.len(),
                        newlines,
                    };
                };
                match text.get(close + 1) {
                    None if !eof => return Scan::More,
                    Some(&b) if b != separator && b != b'\r' && b != b'\n' => {
                        // Text after the closing quote belongs to the field, as it is,
                        // up to the separator or line end.
                        let rest = &text[close + 1..];
                        let Some(k) = find_end(rest, separator).or(eof.then_some(rest.len()))
                        else {
                            return Scan::More;
                        };
                        let end = close + 1 + k;
                        self.push_quoted(text, from, p + 1, close, true, end);
                        end
                    }
                    Some(&b) if b == separator => {
                        self.push_quoted(text, from, p + 1, close, doubled, close);
                        p = close + 2;
                        continue;
                    }
                    _ => {
                        self.push_quoted(text, from, p + 1, close, doubled, close);
                        close + 1
                    }
                }
            } else {
                let end = match find_end(&text[p..], separator) {
                    Some(k) => p + k,
                    None if eof => text.len(),
                    None => return Scan::More,
                };
                self.spans.push(((p - from) as u32, (end - from) as u32));
                end
            };
            // `end` is just past the field: a separator, a line end or the end of the text.
            match text.get(end) {
                Some(&b) if b == separator => p = end + 1,
                Some(&b) => {
                    newlines += u64::from(b == b'\n');
                    return Scan::Done {
                        next: end + 1,
                        newlines,
                    };
                }
                None => {
                    return Scan::Done {
                        next: end,
                        newlines,
                    }
                }
            }
        }
    }

    /// Adds a quoted field of the record at `text[record]`: its text `text[from..close]`,
    /// with doubled quotes when `doubled`, then `text[close + 1..end]` as it is (text
    /// after the closing quote; none when `end` is `close`). Only a field that needs it
    /// is copied.
    #[inline(always)]
    fn push_quoted(
        &mut self,
        text: &[u8],
        record: usize,
        from: usize,
        close: usize,
        doubled: bool,
        end: usize,
    ) {
        if !doubled && end == close {
            self.spans
                .push(((from - record) as u32, (close - record) as u32));
        } else {
            self.push_copy(text, from, close, end);
        }
    }

    /// Adds a quoted field that must be copied (see [`Self::push_quoted`]).
    #[cold]
    #[inline(never)]
    fn push_copy(&mut self, text: &[u8], from: usize, close: usize, end: usize) {
        let start = self.owned.len();
        let mut i = from;
        while i < close {
            let j = memchr(b'"', &text[i..close]).map_or(close, |k| i + k);
            self.owned.extend_from_slice(&text[i..j]);
            if j < close {
                // A doubled quote: keep one.
                self.owned.push(b'"');
                i = j + 2;
            } else {
                i = j;
            }
        }
        if end > close {
            self.owned.extend_from_slice(&text[close + 1..end]);
        }
        self.spans
            .push((start as u32 | OWNED, self.owned.len() as u32));
    }
}

/// Eight copies of `byte`.
const fn splat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// The high bit of each byte of `word` that equals `byte` (and maybe of bytes above the
/// first such: only the lowest is exact).
#[inline(always)]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ splat(byte);
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// Where the first byte that `found` flags is, looked at eight bytes at a time: one
/// comparison per word, and no call (most fields are a few bytes long).
#[inline(always)]
fn find(bytes: &[u8], found: impl Fn(u64) -> u64, is: impl Fn(u8) -> bool) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let hits = found(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| is(b))
        .map(|k| at + k)
}

/// The first `"` or line feed in a quoted field's text.
#[inline(always)]
fn find_quote_or_lf(bytes: &[u8]) -> Option<usize> {
    find(
        bytes,
        |w| bytes_equal(w, b'"') | bytes_equal(w, b'\n'),
        |b| b == b'"' || b == b'\n',
    )
}

/// The first separator or line end in an unquoted field's text.
#[inline(always)]
fn find_end(bytes: &[u8], separator: u8) -> Option<usize> {
    find(
        bytes,
        |w| bytes_equal(w, separator) | bytes_equal(w, b'\r') | bytes_equal(w, b'\n'),
        |b| b == separator || b == b'\r' || b == b'\n',
    )
}

/// The fields of one record, as [`Records::read`] read it, and its line.
#[derive(Clone, Copy)]
pub struct Record<'a> {
    /// The record's text: fields not copied are spans of it.
    text: &'a str,
    /// The copied fields.
    owned: &'a str,
    spans: &'a [Span],
    /// The line the record starts on.
    pub line: u64,
    /// Where the record starts in the stream.
    pub start: u64,
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i` (`None` past the last).
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let &(s, e) = self.spans.get(i)?;
        if s & OWNED != 0 {
            self.owned.get((s & !OWNED) as usize..e as usize)
        } else {
            self.text.get(s as usize..e as usize)
        }
    }

    /// Every field.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or(""))
    }
}

/// Copies every field of a record (`text`) that is a span of it into `owned`.
fn own_all(text: &[u8], spans: &mut [Span], owned: &mut Vec<u8>) {
    for span in spans {
        let (s, e) = *span;
        if s & OWNED == 0 {
            let at = owned.len() as u32;
            owned.extend_from_slice(&text[s as usize..e as usize]);
            *span = (at | OWNED, owned.len() as u32);
        }
    }
}

/// How many bytes at the start of `bytes` are ASCII, looked at eight at a time.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut n = 0;
    for word in &mut words {
        let high = u64::from_le_bytes(word.try_into().unwrap_or_default()) & 0x8080_8080_8080_8080;
        if high != 0 {
            return n + (high.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let rest = words.remainder();
    n + rest
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out at most `step` bytes per read.
    struct Chunks<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.text.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    /// Each record: its fields, line and start offset; or the error.
    type Read = Result<(Vec<String>, u64, u64), RecordError>;

    fn ours(text: &[u8], sep: u8, step: usize) -> Vec<Read> {
        // A small buffer, so that it grows and moves often.
        let mut records = Records::with_buffer(Chunks { text, step }, sep, step.min(16));
        let mut out = Vec::new();
        loop {
            out.push(match records.read() {
                Ok(None) => return out,
                Ok(Some(r)) => Ok((r.iter().map(String::from).collect(), r.line, r.start)),
                Err(e) => Err(e),
            });
        }
    }

    /// The `csv` crate's records of `text`: fields only.
    fn theirs(text: &[u8], sep: u8) -> Vec<Result<Vec<String>, usize>> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        // A BOM at the very start is the decoder's to take, never this reader's.
        while reader
            .read_byte_record(&mut record)
            .expect("csv reads bytes")
        {
            out.push(match csv::StringRecord::from_byte_record(record.clone()) {
                Ok(r) => Ok(r.iter().map(String::from).collect()),
                Err(e) => Err(e.utf8_error().field()),
            });
        }
        out
    }

    /// The line a record starting at `offset` is on.
    fn line_at(text: &[u8], offset: u64) -> u64 {
        1 + text[..offset as usize]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    }

    fn check(text: &[u8], sep: u8) {
        let expected = theirs(text, sep);
        for step in [1, 2, 3, 7, 64, 1 << 20] {
            let got = ours(text, sep, step);
            let fields: Vec<_> = got
                .iter()
                .map(|r| match r {
                    Ok((fields, _, _)) => Ok(fields.clone()),
                    Err(RecordError::NotUtf8 { field, .. }) => Err(*field),
                })
                .collect();
            assert_eq!(
                fields,
                expected,
                "{} in steps of {step}",
                text.escape_ascii()
            );
            for (fields, line, start) in got.into_iter().flatten() {
                assert_eq!(line, line_at(text, start), "{fields:?}");
                let first = text[start as usize];
                assert!(
                    first != b'\r' && first != b'\n',
                    "a record starts at its text"
                );
            }
        }
    }

    #[test]
    fn reads_as_csv_reads() {
        check(b"a,b,c\r\n1,2,3\r\n", b',');
        check(b"a,b\n\n\n1,2\n", b',');
        check(b"a;b\r\n\"x;y\";\"say \"\"hi\"\"\"\r\n", b';');
        check(b"\"multi\nline\",2\n3,4", b',');
        check(b"\"abc\"def,ghi\n\"a\"\"b\"c\"d\n", b',');
        check(b"\"unterminated,\nfield", b',');
        check(b"a,\"b\"", b',');
        check(b"a,\"\"", b',');
        check(b"a,b,\n,\n", b',');
        check(b"\r\r\n\n", b',');
        check(b"", b',');
        check(b"x\ty\t\"z\"\r", b'\t');
        check(b"na\xC3\xAFve,caf\xC3\xA9\n\xE9t\xE9,ok\nnext,row\n", b',');
        check(b"a,\"b\xFF\"\"\",c\nd\n", b',');
        check(b" \"a\",b\"c\n", b',');
    }

    /// Every text of up to six bytes from the bytes that matter, and random longer ones.
    #[test]
    fn reads_every_short_text_as_csv_reads() {
        const ALPHABET: &[u8] = b"a,\"\r\n\xC3";
        let mut text = Vec::new();
        for len in 0..=6u32 {
            for n in 0..ALPHABET.len().pow(len) {
                text.clear();
                let mut k = n;
                for _ in 0..len {
                    text.push(ALPHABET[k % ALPHABET.len()]);
                    k /= ALPHABET.len();
                }
                check(&text, b',');
            }
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        const WIDE: &[u8] = b"ab ,,,\"\"\"\r\n\n\xC3\xA9;";
        for _ in 0..3000 {
            let len = (next() % 200) as usize;
            text = (0..len)
                .map(|_| WIDE[(next() % WIDE.len() as u64) as usize])
                .collect();
            check(&text, b',');
            check(&text, b';');
        }
    }

    #[test]
    fn a_record_larger_than_the_buffer_grows_it() {
        let long = "x".repeat(3 * BUFFER);
        let text = format!("a,\"{long}\nmore\",b\nc,d\n");
        check(text.as_bytes(), b',');
        let got = ours(text.as_bytes(), b',', 1 << 16);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[1].as_ref().map(|r| r.1),
            Ok(3),
            "the line after the field's break"
        );
    }

    #[test]
    fn notes_non_ascii_records_and_skips_bad_ones() {
        let text = b"ab\ncaf\xC3\xA9\nbad\xFF,x\nlast\n";
        let mut records = Records::new(&text[..], b',');
        assert!(records.read().is_ok_and(|r| r.is_some()));
        assert!(!records.had_non_ascii());
        assert!(records.read().is_ok_and(|r| r.is_some()));
        assert!(records.had_non_ascii());
        records.forget_non_ascii();
        assert!(!records.had_non_ascii());
        assert_eq!(
            records.read().err(),
            Some(RecordError::NotUtf8 { line: 3, field: 0 })
        );
        assert!(
            !records.had_non_ascii(),
            "a record that is not UTF-8 is not noted"
        );
        let last = records.read().ok().flatten().map(|r| (r.get(0), r.line));
        assert_eq!(last, Some((Some("last"), 4)));
        assert!(records.read().is_ok_and(|r| r.is_none()));
    }

    #[test]
    fn finds_where_ascii_ends() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xC3;
                }
                assert_eq!(ascii_prefix(&bytes), at, "{len} {at}");
            }
        }
    }
}
