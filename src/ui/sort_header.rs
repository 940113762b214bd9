//! A column header that sorts its table when clicked, for any table's sort state: the
//! result tables' (by column number) and the rows table's (by `SortKey`).

use leptos::prelude::*;

use crate::report::filter::{Sort, SortKey};

/// A table's sort: which key, which direction.
pub trait SortState: Copy + PartialEq + Send + Sync + 'static {
    type Key: Copy + PartialEq + Send + Sync + 'static;
    fn key(self) -> Self::Key;
    fn descending(self) -> bool;
    fn by(key: Self::Key, descending: bool) -> Self;
}

impl SortState for Sort {
    type Key = SortKey;
    fn key(self) -> SortKey {
        self.key
    }
    fn descending(self) -> bool {
        self.descending
    }
    fn by(key: SortKey, descending: bool) -> Sort {
        Sort { key, descending }
    }
}

/// Clicking sorts by `key`, or turns the direction when already sorted by it. A numeric
/// column starts with the largest first.
#[component]
pub fn SortHeader<S: SortState>(
    label: &'static str,
    key: S::Key,
    sort: RwSignal<S>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let aria = move || match sort.get() {
        s if s.key() != key => "none",
        s if s.descending() => "descending",
        _ => "ascending",
    };
    let click = move |_| {
        sort.update(|s| {
            *s = if s.key() == key {
                S::by(key, !s.descending())
            } else {
                S::by(key, numeric)
            }
        })
    };
    view! {
        <th scope="col" aria-sort=aria class:num=numeric>
            <button type="button" class="sort" on:click=click>{label}</button>
        </th>
    }
}
