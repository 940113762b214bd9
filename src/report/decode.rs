//! Bytes to text: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or recognised by
//! its zero bytes), and Windows-1252 when the bytes are not valid UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
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
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let kind = if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else if encoding == UTF_16BE {
            TextEncoding::Utf16Be
        } else {
            TextEncoding::Utf8Bom
        };
        let (text, replaced) = encoding.decode_without_bom_handling(body);
        return Ok(Decoded {
            text,
            encoding: kind,
            replaced,
        });
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(kind);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, replaced) = encoding.decode_without_bom_handling(bytes);
        let kind = if encoding == UTF_16LE {
            TextEncoding::Utf16Le
        } else {
            TextEncoding::Utf16Be
        };
        return Ok(Decoded {
            text,
            encoding: kind,
            replaced,
        });
    }
    if bytes.contains(&0) {
        return Err(BinaryKind::Unknown);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: TextEncoding::Utf8,
            replaced: false,
        }),
        Err(_) => {
            let (text, replaced) = WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Decoded {
                text,
                encoding: TextEncoding::Windows1252,
                replaced,
            })
        }
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

/// UTF-16 text of ASCII-range characters has a zero in every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
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
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(UTF_16BE)
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
        let (cp1252, _, _) = WINDOWS_1252.encode(text);
        check(&cp1252, text, TextEncoding::Windows1252);
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
