//! Paging through a long list (sessions, findings): which page is shown, and the
//! Previous / Next bar under the list. Only one page of rows is ever in the page.

use std::ops::Range;

use leptos::prelude::*;

use crate::text::en as t;

/// Rows listed per page.
pub const PAGE_SIZE: usize = 50;

/// The page of a list that is shown: the chosen one, kept within the list as it shrinks
/// (after a file is removed or the as-of moves).
#[derive(Clone, Copy)]
pub struct Paging {
    chosen: RwSignal<usize>,
    page: Memo<usize>,
    total: Memo<usize>,
}

impl Paging {
    /// Pages of a list of `total` rows (a tracked count).
    pub fn new(total: impl Fn() -> usize + Send + Sync + 'static) -> Paging {
        let total = Memo::new(move |_| total());
        let chosen = RwSignal::new(0usize);
        let page = Memo::new(move |_| chosen.get().min(total.get().saturating_sub(1) / PAGE_SIZE));
        Paging {
            chosen,
            page,
            total,
        }
    }

    /// The rows on the shown page, within `0..len` (tracked).
    pub fn range(&self, len: usize) -> Range<usize> {
        let start = (self.page.get() * PAGE_SIZE).min(len);
        start..(start + PAGE_SIZE).min(len)
    }
}

/// Previous / Next, and which rows are shown.
#[component]
pub fn Pager(paging: Paging, label: &'static str) -> impl IntoView {
    let Paging {
        chosen,
        page,
        total,
    } = paging;
    view! {
        <nav class="pager" aria-label=label>
            <button type="button" class="button subtle" disabled=move || page.get() == 0 on:click=move |_| chosen.set(page.get_untracked().saturating_sub(1))>
                {t::PREVIOUS}
            </button>
            <span>{move || { let s = page.get() * PAGE_SIZE; t::rows_shown(s + 1, (s + PAGE_SIZE).min(total.get()), total.get()) }}</span>
            <button type="button" class="button subtle" disabled={move || (page.get() + 1) * PAGE_SIZE >= total.get()} on:click=move |_| chosen.set(page.get_untracked() + 1)>
                {t::NEXT}
            </button>
        </nav>
    }
}
