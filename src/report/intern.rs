//! String interning: every distinct text (user, role, details sentence, method label)
//! is stored once and rows refer to it by a small [`Sym`].

use std::sync::Arc;

use rustc_hash::FxHashMap;

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
    by_text: FxHashMap<Arc<str>, Sym>,
    texts: Vec<Arc<str>>,
}

impl Default for Interner {
    fn default() -> Self {
        let mut interner = Interner {
            by_text: FxHashMap::default(),
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
}
