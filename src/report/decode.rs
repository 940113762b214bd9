//! Bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or recognised by
//! its zero bytes), and Windows-1252 when the bytes are not valid UTF-8.
//!
//! These three are all the exports use, so they are decoded here rather than with
//! `encoding_rs`, whose tables for every other legacy encoding cost the page more than
//! 100 KB gzipped (measured with twiggy). Windows-1252 follows the WHATWG mapping.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TextEncoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "UTF-8 with BOM")]
    Utf8Bom,
    #[serde(rename = "UTF-16LE")]
    Utf16Le,
    #[serde(rename = "UTF-16BE")]
    Utf16Be,
    #[serde(rename = "Windows-1252")]
    Windows1252,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 5] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1252,
    ];

    /// UTF-8, with or without a BOM.
    pub fn is_utf8(self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What kind of non-text file was dropped, when it is recognisable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryKind {
    /// A ZIP container: an Excel workbook (.xlsx) or a zipped export.
    Zip,
    Pdf,
    /// An old Excel workbook (.xls).
    OleCompound,
    Unknown,
}

/// Windows-1252 differs from Latin-1 only in 0x80–0x9F.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

pub fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => CP1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The Windows-1252 byte of a character, if it has one (for writing test files).
pub fn to_windows_1252(c: char) -> Option<u8> {
    match u32::from(c) {
        n @ (0..=0x7F | 0xA0..=0xFF) => Some(n as u8),
        _ => CP1252_HIGH
            .iter()
            .position(|&h| h == c)
            .map(|i| 0x80 + i as u8),
    }
}

fn binary_kind(bytes: &[u8]) -> Option<BinaryKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(BinaryKind::Zip)
    } else if bytes.starts_with(b"%PDF") {
        Some(BinaryKind::Pdf)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(BinaryKind::OleCompound)
    } else {
        None
    }
}

/// UTF-16 text of ASCII-range characters has a zero in every other byte: Some(big endian).
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(1024) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(false)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = (bom.then_some(0xFEFF))
            .into_iter()
            .chain(text.encode_utf16());
        for u in units {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    /// Reads all of `bytes` through the streaming decoder: (text, encoding, replaced).
    fn decode(bytes: &[u8]) -> Result<(String, TextEncoding, bool), BinaryKind> {
        let mut reader = DecodeReader::new(bytes, None)?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut reader, &mut text).expect("the decoder writes UTF-8");
        Ok((text, reader.encoding, reader.replaced))
    }

    fn check(bytes: &[u8], expected_text: &str, expected: TextEncoding) {
        let (text, encoding, _) = decode(bytes).unwrap_or_else(|k| panic!("binary {k:?}"));
        assert_eq!(text, expected_text);
        assert_eq!(encoding, expected);
    }

    #[test]
    fn every_encoding_the_exports_use() {
        let text = "User,Role\r\nåsa@contoso.se,Användare\r\n";
        check(text.as_bytes(), text, TextEncoding::Utf8);
        check(
            &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            text,
            TextEncoding::Utf8Bom,
        );
        check(&utf16(text, false, true), text, TextEncoding::Utf16Le);
        check(&utf16(text, true, true), text, TextEncoding::Utf16Be);
        check(&utf16(text, false, false), text, TextEncoding::Utf16Le);
        check(&utf16(text, true, false), text, TextEncoding::Utf16Be);
        let cp1252: Vec<u8> = text.chars().map(|c| to_windows_1252(c).unwrap()).collect();
        check(&cp1252, text, TextEncoding::Windows1252);
        check(b"\x80 \x93x\x94 \xE9", "€ “x” é", TextEncoding::Windows1252);
        let (text, _, replaced) = decode(b"\xFF\xFEa\x00\x00\xD8").unwrap();
        assert_eq!(
            (text.as_str(), replaced),
            ("a\u{FFFD}", true),
            "a lone surrogate at the end"
        );
        let (text, _, replaced) = decode(b"\xFF\xFEa\x00b").unwrap();
        assert_eq!(
            (text.as_str(), replaced),
            ("a\u{FFFD}", true),
            "half a unit at the end"
        );
        check("使用者".as_bytes(), "使用者", TextEncoding::Utf8);
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(decode(b"PK\x03\x04rest").err(), Some(BinaryKind::Zip));
        assert_eq!(decode(b"%PDF-1.7").err(), Some(BinaryKind::Pdf));
        assert_eq!(
            decode(b"\xD0\xCF\x11\xE0\xA1\xB1").err(),
            Some(BinaryKind::OleCompound)
        );
        assert_eq!(
            decode(b"ab\0\0\0\0cdef\0\0").err(),
            Some(BinaryKind::Unknown)
        );
    }
}

/// Bytes read from the source per refill.
const CHUNK: usize = 1 << 16;

/// Decodes a stream chunk by chunk into UTF-8, whatever the source encoding, so a file
/// is never held whole. The encoding is decided from the first chunk (BOM, zero bytes,
/// UTF-8 validity). Readers count their own lines.
pub struct DecodeReader<R> {
    inner: R,
    pub encoding: TextEncoding,
    /// Decoded bytes not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    /// An odd byte of UTF-16 left over from the last chunk.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// The source bytes of the last refill (kept to reuse its allocation).
    raw: Vec<u8>,
    eof: bool,
    /// Source bytes consumed, for progress.
    pub bytes_in: u64,
    pub replaced: bool,
}

impl<R: std::io::Read> DecodeReader<R> {
    /// Reads the first chunk and decides the encoding, unless `forced` gives it (to read
    /// a file again as Windows-1252); a binary file is refused here.
    pub fn new(mut inner: R, forced: Option<TextEncoding>) -> Result<Self, BinaryKind> {
        let mut first = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < first.len() {
            match inner.read(&mut first[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        first.truncate(filled);
        let (encoding, bom) = if let Some(forced) = forced {
            (forced, 0)
        } else if first.starts_with(b"\xEF\xBB\xBF") {
            (TextEncoding::Utf8Bom, 3)
        } else if first.starts_with(b"\xFF\xFE") {
            (TextEncoding::Utf16Le, 2)
        } else if first.starts_with(b"\xFE\xFF") {
            (TextEncoding::Utf16Be, 2)
        } else if let Some(kind) = binary_kind(&first) {
            return Err(kind);
        } else if let Some(big_endian) = utf16_without_bom(&first) {
            (
                if big_endian {
                    TextEncoding::Utf16Be
                } else {
                    TextEncoding::Utf16Le
                },
                0,
            )
        } else if first.contains(&0) {
            return Err(BinaryKind::Unknown);
        } else {
            // Valid UTF-8 but for a sequence cut at the chunk's end.
            let valid = match std::str::from_utf8(&first) {
                Ok(_) => true,
                Err(e) => e.error_len().is_none(),
            };
            (
                if valid {
                    TextEncoding::Utf8
                } else {
                    TextEncoding::Windows1252
                },
                0,
            )
        };
        let mut reader = DecodeReader {
            inner,
            encoding,
            out: Vec::with_capacity(CHUNK * 2),
            out_pos: 0,
            odd: None,
            high: None,
            raw: Vec::new(),
            eof: filled < CHUNK,
            bytes_in: filled as u64,
            replaced: false,
        };
        reader.decode_into_out(&first[bom..]);
        if reader.eof {
            // The whole file was in the first chunk: flush a half-read character now.
            reader.finish();
        }
        Ok(reader)
    }

    /// At least `n` decoded bytes ahead (fewer at the end of the file).
    pub fn head(&mut self, n: usize) -> &[u8] {
        while self.out.len() - self.out_pos < n && self.refill() {}
        &self.out[self.out_pos..]
    }

    /// Drops `n` bytes of the head without counting them as handed out.
    pub fn skip(&mut self, n: usize) {
        self.out_pos = (self.out_pos + n).min(self.out.len());
    }

    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.out_pos > 0 {
            self.out.drain(..self.out_pos);
            self.out_pos = 0;
        }
        let mut raw = std::mem::take(&mut self.raw);
        if raw.len() < CHUNK {
            raw.resize(CHUNK, 0);
        }
        let n = loop {
            match self.inner.read(&mut raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break 0,
            }
        };
        if n == 0 {
            self.eof = true;
            self.finish();
            return false;
        }
        self.bytes_in += n as u64;
        self.decode_into_out(&raw[..n]);
        self.raw = raw;
        true
    }

    fn decode_into_out(&mut self, bytes: &[u8]) {
        match self.encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => self.out.extend_from_slice(bytes),
            TextEncoding::Windows1252 => {
                for &b in bytes {
                    if b < 0x80 {
                        self.out.push(b);
                    } else {
                        let mut buf = [0u8; 4];
                        self.out
                            .extend_from_slice(windows_1252(b).encode_utf8(&mut buf).as_bytes());
                    }
                }
            }
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let big_endian = self.encoding == TextEncoding::Utf16Be;
                let mut rest = bytes;
                if let Some(first) = self.odd.take() {
                    if let Some((&second, tail)) = rest.split_first() {
                        self.utf16_unit([first, second], big_endian);
                        rest = tail;
                    } else {
                        self.odd = Some(first);
                    }
                }
                let mut pairs = rest.chunks_exact(2);
                for pair in &mut pairs {
                    self.utf16_unit([pair[0], pair[1]], big_endian);
                }
                if let [last] = pairs.remainder() {
                    self.odd = Some(*last);
                }
            }
        }
    }

    fn utf16_unit(&mut self, pair: [u8; 2], big_endian: bool) {
        let unit = if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        };
        let c = match (self.high.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return;
            }
            (Some(high), 0xDC00..=0xDFFF) => char::from_u32(
                0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00),
            ),
            (Some(_), _) => {
                self.replaced = true;
                self.push_char(char::REPLACEMENT_CHARACTER);
                return self.utf16_unit(pair, big_endian);
            }
            (None, _) => char::from_u32(u32::from(unit)),
        };
        let c = c.unwrap_or_else(|| {
            self.replaced = true;
            char::REPLACEMENT_CHARACTER
        });
        self.push_char(c);
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn finish(&mut self) {
        if self.odd.take().is_some() || self.high.take().is_some() {
            self.replaced = true;
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
    }
}

impl<R: std::io::Read> std::io::Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // UTF-8 needs no decoding: once the head is handed out, read straight through.
        let utf8 = self.encoding.is_utf8();
        if utf8 && self.out_pos == self.out.len() && !self.eof && buf.len() >= 4096 {
            let n = loop {
                match self.inner.read(buf) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    other => break other.unwrap_or(0),
                }
            };
            if n == 0 {
                self.eof = true;
                return Ok(0);
            }
            self.bytes_in += n as u64;
            return Ok(n);
        }
        // A refill may decode to nothing (half a UTF-16 unit): keep going until there is
        // output or the source has ended.
        while self.out_pos == self.out.len() {
            if !self.refill() && self.out_pos == self.out.len() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod stream_tests {
    use std::io::Read;

    use super::*;

    /// A source that hands out one byte per read, the worst case for chunk boundaries.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&b, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = b;
            self.0 = rest;
            Ok(1)
        }
    }

    fn check(bytes: &[u8], text: &str, encoding: TextEncoding) {
        for trickle in [false, true] {
            let mut reader = if trickle {
                DecodeReader::new(Box::new(Trickle(bytes)) as Box<dyn Read>, None)
            } else {
                DecodeReader::new(Box::new(bytes) as Box<dyn Read>, None)
            }
            .unwrap_or_else(|k| panic!("binary {k:?}"));
            let mut out = String::new();
            reader.read_to_string(&mut out).unwrap();
            let mismatch = out.bytes().zip(text.bytes()).position(|(a, b)| a != b);
            assert!(
                out.len() == text.len() && mismatch.is_none(),
                "{encoding:?} trickle {trickle}: {} bytes for {}, first difference at {mismatch:?}",
                out.len(),
                text.len()
            );
            assert_eq!(reader.encoding, encoding);
        }
    }

    #[test]
    fn streams_every_encoding_across_chunk_boundaries() {
        let text = "User,Role\r\nåsa@contoso.se,Användare 𝄞 €\r\n".repeat(3000);
        let utf16 = |big: bool, bom: bool| -> Vec<u8> {
            (bom.then_some(0xFEFF))
                .into_iter()
                .chain(text.encode_utf16())
                .flat_map(|u| {
                    if big {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect()
        };
        check(text.as_bytes(), &text, TextEncoding::Utf8);
        check(
            &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            &text,
            TextEncoding::Utf8Bom,
        );
        check(&utf16(false, true), &text, TextEncoding::Utf16Le);
        check(&utf16(true, true), &text, TextEncoding::Utf16Be);
        check(&utf16(false, false), &text, TextEncoding::Utf16Le);
        let latin = "Användare;é;€\r\n".repeat(3000);
        let cp1252: Vec<u8> = latin.chars().map(|c| to_windows_1252(c).unwrap()).collect();
        check(&cp1252, &latin, TextEncoding::Windows1252);
    }
}
