//! String interning: every distinct text (user, role, details sentence, method label)
//! is stored once and rows refer to it by a small [`Sym`].

use hashbrown::HashTable;

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// A text's 32-bit hash, kept beside its symbol: a probe compares hashes before it
/// reads any text, and the table grows without reading the texts again. The text is
/// taken eight bytes at a time in 64-bit arithmetic on every target (in the browser,
/// wasm32, `FxHasher` works in 32-bit words), then its length.
fn hash_of(text: &str) -> u32 {
    let add = |h: u64, word: u64| (h ^ word).wrapping_mul(K).rotate_left(26);
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    let mut h = (&mut words).fold(0, |h, w| {
        add(h, u64::from_le_bytes(w.try_into().unwrap_or_default()))
    });
    let rest = words.remainder().len();
    if rest > 0 {
        // The last eight bytes, overlapping the words before, without their part: one
        // load. (Copying the rest into a zeroed word first stalled each hash on the
        // store.) Shorter texts are read a byte at a time.
        let last = match bytes.len().checked_sub(8) {
            Some(from) => {
                let word = bytes[from..].try_into().unwrap_or_default();
                u64::from_le_bytes(word) >> (64 - 8 * rest)
            }
            None => bytes
                .iter()
                .rev()
                .fold(0, |word, &b| word << 8 | u64::from(b)),
        };
        h = add(h, last);
    }
    h = add(h, text.len() as u64);
    // Mix the high bits into the low ones that are kept.
    (h.wrapping_mul(K) ^ (h >> 32)) as u32
}

/// Whether `a` and `b` hold the same bytes, compared eight at a time. (In the page's
/// build, slice equality called a `memcmp` that compares a byte at a time: ~13 % of the
/// time a worker spent reading the classic report, profiled in Node.)
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    if !(&mut x).zip(&mut y).all(|(x, y)| word(x) == word(y)) {
        return false;
    }
    // The last eight bytes, overlapping the words before, in one load; shorter texts a
    // byte at a time.
    match a.len().checked_sub(8) {
        Some(from) => x.remainder().is_empty() || word(&a[from..]) == word(&b[from..]),
        None => x.remainder() == y.remainder(),
    }
}

/// The table's 64-bit hash from the kept 32 bits: hashbrown takes the bucket from the low
/// bits and the control byte from the top of the word (of 32 bits on wasm32, 64 natively).
fn spread(hash: u32) -> u64 {
    u64::from(hash) * 0x1_0000_0001
}

/// A handle to an interned string. `Sym::EMPTY` is always the empty string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

impl Sym {
    pub const EMPTY: Sym = Sym(0);

    pub fn is_empty(self) -> bool {
        self == Sym::EMPTY
    }
}

/// Owns the strings; lookups by text and by [`Sym`] are both O(1). The strings lie end
/// to end in one buffer (no allocation per string); the table holds 8 bytes per string.
#[derive(Clone, Debug)]
pub struct Interner {
    /// Every string's bytes, in [`Sym`] order.
    text: String,
    /// Where each string starts in `text`, and one more: where the last one ends.
    starts: Vec<usize>,
    /// Each string's hash and symbol.
    by_text: HashTable<(u32, Sym)>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            text: String::new(),
            starts: vec![0],
            by_text: HashTable::new(),
        };
        interner.intern("");
        interner
    }
}

impl Interner {
    pub fn intern(&mut self, text: &str) -> Sym {
        let hash = hash_of(text);
        if let Some(sym) = self.find(hash, text) {
            return sym;
        }
        let sym = Sym((self.starts.len() - 1) as u32);
        self.text.push_str(text);
        self.starts.push(self.text.len());
        self.by_text
            .insert_unique(spread(hash), (hash, sym), |&(h, _)| spread(h));
        sym
    }

    /// The symbol of `text` (whose hash is `hash`), if interned.
    fn find(&self, hash: u32, text: &str) -> Option<Sym> {
        // Bytes, not `get`'s `str`: slicing a `str` checks both ends are character
        // boundaries, which the page's size-optimised build did in a call (nearly a
        // third of the interning time there, profiled in Node on the classic 75k).
        let text = text.as_bytes();
        let same = |&(h, sym): &(u32, Sym)| {
            h == hash
                && self
                    .span(sym)
                    .and_then(|at| self.text.as_bytes().get(at))
                    .is_some_and(|kept| same_bytes(kept, text))
        };
        self.by_text.find(spread(hash), same).map(|&(_, sym)| sym)
    }

    /// Where string `sym` lies in `text` (`None` for an unknown symbol).
    fn span(&self, sym: Sym) -> Option<std::ops::Range<usize>> {
        let k = sym.0 as usize;
        Some(*self.starts.get(k)?..*self.starts.get(k + 1)?)
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
        self.find(hash_of(text), text)
    }

    /// String `sym` ("" for an unknown symbol).
    pub fn get(&self, sym: Sym) -> &str {
        self.span(sym)
            .and_then(|at| self.text.get(at))
            .unwrap_or("")
    }

    /// Room for `more` strings without growing.
    pub fn reserve(&mut self, more: usize) {
        self.starts.reserve(more);
        self.by_text.reserve(more, |&(h, _)| spread(h));
    }

    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The bytes of all the strings together.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() <= 1
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
    fn bytes_compare_as_slices_do() {
        // Every length to 24, equal and differing at each place, and of other lengths.
        for len in 0..=24 {
            let a: Vec<u8> = (0..len as u8).map(|i| b'a' + i).collect();
            assert!(same_bytes(&a, &a.clone()));
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 1;
                assert!(!same_bytes(&a, &b), "length {len}, differing at {at}");
            }
            assert!(!same_bytes(&a, &a[..len.saturating_sub(1)]) || len == 0);
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same_bytes(&a, &longer));
        }
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

    #[test]
    fn every_string_is_found_again_after_the_table_grows() {
        let mut i = Interner::default();
        i.reserve(3);
        let texts: Vec<String> = (0..20_000)
            .map(|k| format!("user{k}@contoso.com"))
            .collect();
        let syms: Vec<Sym> = texts.iter().map(|t| i.intern(t)).collect();
        for (t, s) in texts.iter().zip(&syms) {
            assert_eq!(i.intern(t), *s);
            assert_eq!(i.get(*s), t);
        }
        assert_eq!(i.len(), texts.len() + 1);
        assert_eq!(
            i.get(Sym(u32::MAX)),
            "",
            "an unknown symbol is the empty string"
        );
    }
}
