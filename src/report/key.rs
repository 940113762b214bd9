//! Comparison keys without allocating: a cell reduced to lower-case ASCII letters and
//! digits (non-ASCII characters kept as they are), written into a small stack buffer.
//! Cells are parsed this way once per row, so it must not allocate. And [`trim`], the
//! cells' trimming.

/// What `text` names: found as written in `spelt` (an export's own spellings: nearly
/// every cell, without building a key), or else what `by_key` makes of its [`Key`].
pub fn named<T: Copy>(text: &str, spelt: &[(&str, T)], by_key: impl FnOnce(&str) -> T) -> T {
    match spelt.iter().find(|(s, _)| *s == text) {
        Some(&(_, named)) => named,
        None => by_key(Key::of(text).as_str()),
    }
}

/// `str::trim`, without decoding characters when the text starts and ends with a
/// printable ASCII character, as nearly every cell does. (In the page's size-optimised
/// build, `str::trim` decoded the character at each end in calls: ~8 % of the time a
/// worker spent reading the audit CSV, profiled in Node.)
pub fn trim(text: &str) -> &str {
    match text.as_bytes() {
        [] | [b'!'..=b'~'] | [b'!'..=b'~', .., b'!'..=b'~'] => text,
        _ => text.trim(),
    }
}

/// A character that counts in names and keys when comparing them: ASCII letters and
/// digits, and every non-ASCII character (so `Categoría` and `使用者` keep their letters).
/// Cheaper than `char::is_alphanumeric`, whose Unicode tables would ship in the page.
/// [`Key::of`] keeps the same bytes.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || !c.is_ascii()
}

/// The longest key kept; longer cells match nothing.
const MAX: usize = 96;

pub struct Key {
    buf: [u8; MAX],
    len: usize,
}

impl Key {
    /// `Method(s) Used` → `methodsused`; `Categoría` → `categoría`.
    pub fn of(text: &str) -> Key {
        let mut key = Key {
            buf: [0; MAX],
            len: 0,
        };
        for &b in text.as_bytes() {
            let keep = if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase()
            } else if b >= 0x80 {
                b
            } else {
                continue;
            };
            if key.len == MAX {
                key.len = 0;
                return key;
            }
            key.buf[key.len] = keep;
            key.len += 1;
        }
        key
    }

    pub fn as_str(&self) -> &str {
        // Only whole UTF-8 sequences and ASCII were copied, so this cannot fail.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(Key::of("Method(s) Used").as_str(), "methodsused");
        assert_eq!(Key::of(" Contacted Admin ").as_str(), "contactedadmin");
        assert_eq!(Key::of("Categoría").as_str(), "categoría");
        assert_eq!(Key::of("使用者").as_str(), "使用者");
        assert_eq!(Key::of(&"x".repeat(200)).as_str(), "");
    }

    #[test]
    fn trims_as_str_trim_does() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "ab",
            " a b\t",
            "\u{a0}a",
            "a\u{3000}",
            "é",
            " é ",
            "\r\n",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }
}
