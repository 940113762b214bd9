//! String interning: every distinct text (user, role, details sentence, method label)
//! is stored once and rows refer to it by a small [`Sym`].

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Hashes text eight bytes at a time in 64-bit arithmetic, on every target: in the
/// browser (wasm32) `FxHasher` works in 32-bit words, and interning was the worker's
/// second-largest cost after the CSV parser itself.
#[derive(Default)]
struct WordHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(K).rotate_left(26);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.add(u64::from_le_bytes(w.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its control byte from the top bits: mix the low ones up.
        self.0.wrapping_mul(K) ^ (self.0 >> 32)
    }
}

type TextMap = HashMap<Arc<str>, Sym, BuildHasherDefault<WordHasher>>;

/// A handle to an interned string. `Sym::EMPTY` is always the empty string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const EMPTY: Sym = Sym(0);

    pub fn is_empty(self) -> bool {
        self == Sym::EMPTY
    }
}

/// Owns the strings; lookups by text and by [`Sym`] are both O(1). Each string is one
/// allocation, shared by the map and the list.
#[derive(Clone, Debug)]
pub struct Interner {
    by_text: TextMap,
    texts: Vec<Arc<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            by_text: TextMap::default(),
            texts: Vec::new(),
        };
        interner.intern("");
        interner
    }
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.by_text.get(text) {
            return sym;
        }
        let sym = Sym(self.texts.len() as u32);
        let text: Arc<str> = text.into();
        self.texts.push(text.clone());
        self.by_text.insert(text, sym);
        sym
    }

    /// Interns the lower-case form of `text`: user principal names compare
    /// case-insensitively. Entra allows only ASCII in them, so only ASCII letters fold.
    pub fn intern_lower(&mut self, text: &str) -> Sym {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            self.intern(&text.to_ascii_lowercase())
        } else {
            self.intern(text)
        }
    }

    pub fn lookup(&self, text: &str) -> Option<Sym> {
        self.by_text.get(text).copied()
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.texts.get(sym.0 as usize).map_or("", |t| t)
    }

    /// Room for `more` strings without growing.
    pub fn reserve(&mut self, more: usize) {
        self.texts.reserve(more);
        self.by_text.reserve(more);
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.len() <= 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_once_and_looks_up_both_ways() {
        let mut i = Interner::default();
        let a = i.intern("alice@contoso.com");
        let b = i.intern("alice@contoso.com");
        assert_eq!(a, b);
        assert_eq!(i.get(a), "alice@contoso.com");
        assert_eq!(i.intern(""), Sym::EMPTY);
        assert_eq!(i.intern_lower("Alice@Contoso.COM"), a);
        assert_eq!(i.intern_lower("ZOë@contoso.se"), i.intern("zoë@contoso.se"));
        assert_eq!(i.lookup("nobody"), None);
    }

    #[test]
    fn texts_that_differ_only_past_a_word_or_in_length_stay_apart() {
        let mut i = Interner::default();
        let texts = [
            "",
            "a",
            "a\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgj",
            "ip 10.0.0.1",
        ];
        let syms: Vec<Sym> = texts.iter().map(|t| i.intern(t)).collect();
        for (t, s) in texts.iter().zip(&syms) {
            assert_eq!(i.get(*s), *t);
            assert_eq!(i.lookup(t), Some(*s));
        }
        assert_eq!(i.len(), texts.len());
    }
}
