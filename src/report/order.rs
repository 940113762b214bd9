//! Sorting with one compiled sort. Every `sort_by` call site compiles its own copy of the
//! standard library's sort (about 4 KB of WebAssembly each); sorting positions through
//! one comparator type instead keeps a single copy, which matters for the download.
//! For the small and mid-sized lists of answers and tables; the hot sorts of rows keep
//! their own.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp`, like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = positions(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// Sorts `items` stably by the key `key` gives, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..n` in the order `cmp` gives (stable): the one compiled sort.
fn positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[(u8, char)], expected: &[(u8, char)]) {
        let mut items = input.to_vec();
        sort_by_key(&mut items, |p| p.0);
        assert_eq!(items, expected);
        let mut std = input.to_vec();
        std.sort_by_key(|p| p.0);
        assert_eq!(items, std, "as the standard library sorts");
    }

    #[test]
    fn sorts_stably() {
        check(&[], &[]);
        check(
            &[(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')],
            &[(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')],
        );
        let mut words = vec!["pear", "fig", "apple", "kiwi"];
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()));
        assert_eq!(words, ["apple", "pear", "kiwi", "fig"]);
    }
}
