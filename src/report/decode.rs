//! Bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or recognised by
//! its zero bytes), and Windows-1252 when the bytes are not valid UTF-8.
//!
//! These three are all the exports use, so they are decoded here rather than with
//! `encoding_rs`, whose tables for every other legacy encoding cost the page more than
//! 100 KB gzipped (measured with twiggy). Windows-1252 follows the WHATWG mapping.

use std::borrow::Cow;

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

pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: TextEncoding,
    /// Some bytes were not valid in the encoding and became U+FFFD.
    pub replaced: bool,
}

/// Decodes a whole file. Never fails on text; returns the kind of binary file otherwise.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, BinaryKind> {
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(utf8_or_1252(body, TextEncoding::Utf8Bom));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(utf16(body, false));
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(utf16(body, true));
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(kind);
    }
    if let Some(big_endian) = utf16_without_bom(bytes) {
        return Ok(utf16(bytes, big_endian));
    }
    if bytes.contains(&0) {
        return Err(BinaryKind::Unknown);
    }
    Ok(utf8_or_1252(bytes, TextEncoding::Utf8))
}

fn utf8_or_1252(bytes: &[u8], utf8: TextEncoding) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: Cow::Borrowed(text),
            encoding: utf8,
            replaced: false,
        },
        Err(_) => Decoded {
            text: Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
            encoding: TextEncoding::Windows1252,
            replaced: false,
        },
    }
}

fn utf16(bytes: &[u8], big_endian: bool) -> Decoded<'static> {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut replaced = bytes.len() % 2 == 1;
    let text = char::decode_utf16(units)
        .map(|c| {
            c.unwrap_or_else(|_| {
                replaced = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    let encoding = if big_endian {
        TextEncoding::Utf16Be
    } else {
        TextEncoding::Utf16Le
    };
    Decoded {
        text: Cow::Owned(text),
        encoding,
        replaced,
    }
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

    fn check(bytes: &[u8], expected_text: &str, expected: TextEncoding) {
        let decoded = decode(bytes).unwrap_or_else(|k| panic!("binary {k:?}"));
        assert_eq!(decoded.text, expected_text);
        assert_eq!(decoded.encoding, expected);
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
        assert!(decode(b"\xFF\xFEa\x00\x00\xD8").unwrap().replaced, "a lone surrogate");
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
