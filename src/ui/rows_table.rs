//! The rows table: filters with live counts, sortable columns, pages of rows, the
//! filtered rows as CSV, and the row detail when a row is clicked.

use leptos::prelude::*;

use super::activity_filter::ActivityFilter;
use super::row_detail::RowDetail;
use super::rows_download::RowsDownload;
use super::sort_header::SortHeader;
use super::state::{timed, use_state, AppState, Part};
use crate::report::activity::Status;
use crate::report::dates::{day_start, format_day, format_display, parse_day, DAY};
use crate::report::filter::{RoleFilter, SortKey};
use crate::report::methods::MethodFamily;
use crate::report::model::{Dataset, EventKind};
use crate::report::outcome::ResetResult;
use crate::text::en as t;

#[component]
pub fn RowsTable() -> impl IntoView {
    let state = use_state();
    // Until the rows are drawn (see `Part`), no count: it would filter every row.
    let count = move || {
        state
            .drawn_to(Part::Rows)
            .then(|| t::rows_match(state.filtered.with(|rows| rows.len())))
    };
    view! {
        <section class="rows" id="rows" aria-labelledby="rows-heading">
            <div class="section-head">
                <h2 id="rows-heading">{t::ROWS_HEADING}</h2>
                <p id="row-count" class="count" role="status">{count}</p>
                <RowsDownload/>
            </div>
            <Filters/>
            <div class="rows-layout">
                <RowsPage/>
                <RowDetail/>
            </div>
        </section>
    }
}

#[component]
fn Filters() -> impl IntoView {
    let state = use_state();
    let f = state.filter;
    let kinds = [
        (EventKind::ResetAttempt, "reset"),
        (EventKind::Registration, "registration"),
        (EventKind::Audit, "audit"),
        (EventKind::RegistrationState, "state"),
    ];
    // Rows per report kind, for the options: one pass over the rows per data change, once
    // the rows are drawn (see `Part`).
    let kind_counts = Memo::new(move |_| {
        if !state.drawn_to(Part::Rows) {
            return [0; 4];
        }
        timed("kinds", || state.data.with(kind_counts))
    });
    let kind_count = move |kind: EventKind| kind_counts.with(|c| c[kind as usize]);
    let has_duplicates = move || {
        state
            .data
            .with(|d| d.sources.iter().any(|s| s.duplicate_rows > 0))
    };

    let day_input = move |bound: Option<i64>| bound.map(format_day).unwrap_or_default();
    let rows_label = move || {
        f.with(|f| {
            f.rows
                .as_ref()
                .map(|rows| t::rows_behind_chip(&f.rows_label, rows.len()))
        })
    };

    view! {
        <div class="filters" role="group" aria-label=t::FILTERS_LABEL>
            <label>
                {t::FILTER_REPORT}
                <select
                    id="filter-report"
                    prop:value=move || f.with(|f| kinds.iter().find(|k| Some(k.0) == f.kind).map_or("", |k| k.1))
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        state.set_filter(|f| f.kind = kinds.iter().find(|k| k.1 == v).map(|k| k.0));
                    }
                >
                    <option value="">{t::FILTER_ALL_REPORTS}</option>
                    {kinds
                        .iter()
                        .map(|(kind, id)| {
                            let kind = *kind;
                            view! { <option value=*id>{move || t::option_count(t::kind_label(kind), kind_count(kind))}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                {t::FILTER_STATUS}
                <select
                    id="filter-status"
                    prop:value=move || f.with(|f| f.status.map_or("", Status::id))
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        state.set_filter(|f| f.status = Status::ALL.into_iter().find(|s| s.id() == v));
                    }
                >
                    <option value="">{t::FILTER_ANY}</option>
                    {Status::ALL.map(|s| view! { <option value=s.id()>{t::status_label(s)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t::FILTER_RESULT}
                <select
                    id="filter-result"
                    prop:value=move || f.with(|f| match f.results.as_slice() { [r] => r.id(), _ => "" })
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        state.set_filter(|f| f.results = ResetResult::from_id(&v).into_iter().collect());
                    }
                >
                    <option value="">{t::FILTER_ANY}</option>
                    {ResetResult::ALL.map(|r| view! { <option value=r.id()>{t::result_label(r)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t::FILTER_METHOD}
                <select
                    id="filter-method"
                    prop:value=move || f.with(|f| f.family.map_or("", MethodFamily::id))
                    on:change=move |e| {
                        let v = event_target_value(&e);
                        state.set_filter(|f| f.family = MethodFamily::from_id(&v));
                    }
                >
                    <option value="">{t::FILTER_ANY}</option>
                    {MethodFamily::ALL.map(|m| view! { <option value=m.id()>{t::family_label(m)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t::FILTER_ROLE}
                <select
                    id="filter-role"
                    prop:value=move || match f.with(|f| f.role) {
                        RoleFilter::Everyone => "",
                        RoleFilter::Admins => "admins",
                        RoleFilter::Users => "users",
                    }
                    on:change=move |e| {
                        let role = match event_target_value(&e).as_str() {
                            "admins" => RoleFilter::Admins,
                            "users" => RoleFilter::Users,
                            _ => RoleFilter::Everyone,
                        };
                        state.set_filter(|f| f.role = role);
                    }
                >
                    <option value="">{t::FILTER_EVERYONE}</option>
                    <option value="admins">{t::FILTER_ADMINS}</option>
                    <option value="users">{t::FILTER_USERS}</option>
                </select>
            </label>
            <label>
                {t::FILTER_USER}
                <input
                    id="filter-user"
                    type="search"
                    autocomplete="off"
                    prop:value=move || f.with(|f| f.user_text.clone())
                    on:input=move |e| {
                        let v = event_target_value(&e);
                        state.set_filter(|f| f.user_text = v);
                    }
                />
            </label>
            <label>
                {t::FILTER_FROM}
                <input
                    id="filter-from"
                    type="date"
                    prop:value=move || day_input(f.with(|f| f.from))
                    on:change=move |e| {
                        let day = parse_day(&event_target_value(&e));
                        state.set_filter(|f| f.from = day);
                    }
                />
            </label>
            <label>
                {t::FILTER_TO}
                <input
                    id="filter-to"
                    type="date"
                    prop:value=move || day_input(f.with(|f| f.to).map(day_start))
                    on:change=move |e| {
                        let day = parse_day(&event_target_value(&e)).map(|d| d + DAY - 1);
                        state.set_filter(|f| f.to = day);
                    }
                />
            </label>
            <Show when=has_duplicates>
                <label class="check">
                    <input
                        id="filter-duplicates"
                        type="checkbox"
                        prop:checked=move || f.with(|f| f.include_duplicates)
                        on:change=move |e| {
                            let on = event_target_checked(&e);
                            state.set_filter(|f| f.include_duplicates = on);
                        }
                    />
                    {t::FILTER_DUPLICATES}
                </label>
            </Show>
            <button
                id="filter-clear"
                type="button"
                class="button subtle"
                disabled=move || f.with(|f| f.is_default())
                on:click=move |_| state.set_filter(|f| *f = Default::default())
            >
                {t::FILTER_RESET}
            </button>
        </div>
        <div class="chips">
            {move || rows_label().map(|label| chip(state, t::FILTER_ROWS, label, |f| {
                f.rows = None;
                f.rows_label.clear();
            }))}
        </div>
        <ActivityFilter/>
    }
}

/// A filter set by "show rows" that has no control of its own, removable.
fn chip(
    state: AppState,
    label: &'static str,
    value: String,
    clear: fn(&mut crate::report::filter::Filter),
) -> impl IntoView {
    view! {
        <span class="chip" id="rows-chip">
            {label} ": " <span class="chip-value">{value}</span>
            <button type="button" class="chip-remove" aria-label=t::REMOVE_FILTER on:click=move |_| state.set_filter(clear)>
                "×"
            </button>
        </span>
    }
}

/// Height of one row in pixels; `style/tables.css` fixes rows to it.
const ROW_HEIGHT: f64 = 30.0;
/// Rows drawn above and below the visible ones, so fast scrolling shows no gap.
const OVERSCAN: usize = 15;
/// Rows the viewport holds (it is 36rem tall).
const VISIBLE: usize = 20;
/// The tallest the scrolled table may be: browsers cap element heights near 33.5
/// million pixels, and laying out less is faster. Beyond it, a pixel of scroll stands
/// for more than a pixel of rows.
const MAX_HEIGHT: f64 = 8_000_000.0;

/// Pixels of scroll per row: the row height, or less when the rows would be too tall.
fn pitch(total: usize) -> f64 {
    if total as f64 * ROW_HEIGHT > MAX_HEIGHT {
        MAX_HEIGHT / total as f64
    } else {
        ROW_HEIGHT
    }
}

/// The rows to draw for a scroll position, and the space above them. The row at
/// `scroll / pitch` (fractional) sits at the top of the view: with the full row height
/// that is the usual layout; with a compressed pitch the drawn rows, which keep their
/// full height, are placed so that the row the scroll stands for is the one in view.
fn window(total: usize, scroll: f64) -> Window {
    let at = scroll / pitch(total);
    // Near the top, no more rows below than elsewhere (at the top of 75,000 rows, laying
    // out the 50 rows drawn took ~8 ms of the first drawing).
    let first = (at as usize).saturating_sub(OVERSCAN).min(total);
    let last = (at as usize + VISIBLE + OVERSCAN).min(total).max(first);
    let above = (scroll - (at - first as f64) * ROW_HEIGHT).max(0.0);
    Window {
        top: at as usize,
        first,
        last,
        above,
    }
}

/// What [`window`] gives: the row the scroll stands for, the rows drawn
/// (`first..last`) and the space above them.
#[derive(Clone, Copy, PartialEq)]
struct Window {
    top: usize,
    first: usize,
    last: usize,
    above: f64,
}

/// The sorted rows, virtualised: only the rows in view are in the DOM, between two
/// spacers for the rows above and below; each row opens its detail.
#[component]
fn RowsPage() -> impl IntoView {
    let state = use_state();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = NodeRef::<leptos::html::Div>::new();
    // No rows until they are drawn (see `Part`): sorting and laying out waits till then.
    let drawn = move || state.drawn_to(Part::Rows);
    let rows = Memo::new(move |_| drawn().then(|| state.sorted.get()));
    let total = move || rows.with(|r| r.as_ref().map_or(0, |r| r.len()));
    let window = Memo::new(move |_| window(total(), scroll_top.get()));
    let range = Memo::new(move |_| {
        let w = window.get();
        (w.first, w.last)
    });
    // New rows: back to the top (this only syncs the DOM's scroll position). Setting it
    // forces a layout, so only when it is not at the top already.
    Effect::new(move |_| {
        if rows.with(Option::is_none) {
            return;
        }
        if scroll_top.get_untracked() != 0.0 {
            if let Some(div) = viewport.get_untracked() {
                div.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });
    let visible = Memo::new(move |_| {
        let (first, last) = range.get();
        let Some(sorted) = rows.get() else {
            return Vec::new();
        };
        state.data.with(|d| {
            sorted[first..last]
                .iter()
                .map(|&i| {
                    let e = &d.events[i as usize];
                    let file = d.source(e.source).map_or("", |s| s.file.as_str());
                    let what = if e.activity_name.is_empty() {
                        t::kind_label(e.kind)
                    } else {
                        d.strings.get(e.activity_name)
                    };
                    let methods = if e.methods_text.is_empty() {
                        e.methods
                            .iter()
                            .map(t::family_label)
                            .collect::<Vec<_>>()
                            .join(", ")
                    } else {
                        d.strings.get(e.methods_text).to_string()
                    };
                    let outcome = match (e.result, e.kind) {
                        (Some(r), _) => t::result_label(r),
                        (None, EventKind::Audit) => t::status_label(e.status),
                        (None, EventKind::RegistrationState) if e.sspr_registered => {
                            t::STATE_REGISTERED
                        }
                        (None, EventKind::RegistrationState) => t::STATE_NOT_REGISTERED,
                        (None, _) => "",
                    };
                    let who = if e.role.is_empty() { e.actor } else { e.role };
                    (
                        i,
                        e.duplicate,
                        [
                            format_display(e.at),
                            d.strings.get(e.user).to_string(),
                            what.to_string(),
                            methods,
                            outcome.to_string(),
                            d.strings.get(e.detail).to_string(),
                            d.strings.get(who).to_string(),
                            format!("{file}:{}", e.line),
                        ],
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let headers = [
        (t::COL_TIME, SortKey::Time),
        (t::COL_USER, SortKey::User),
        (t::COL_ACTIVITY, SortKey::Kind),
        (t::COL_METHODS, SortKey::Methods),
        (t::COL_RESULT_STATUS, SortKey::Result),
        (t::COL_DETAILS_REASON, SortKey::Details),
        (t::COL_WHO, SortKey::Who),
        (t::COL_FILE, SortKey::File),
    ];
    let header_cells = headers
        .into_iter()
        .map(|(label, key)| view! { <SortHeader label=label key=key sort=state.sort/> })
        .collect_view();
    let spacer = move |height: f64| format!("{}px", height as i64);
    view! {
        <div class="rows-main">
            <div
                class="scroll tall virtual"
                node_ref=viewport
                on:scroll=move |e| {
                    if let Some(div) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok()) {
                        scroll_top.set(f64::from(div.scroll_top()));
                    }
                }
            >
                <table id="rows-table" class="rows-table">
                    <colgroup>
                        <col class="c-time"/><col class="c-user"/><col class="c-what"/><col class="c-methods"/>
                        <col class="c-result"/><col class="c-detail"/><col class="c-who"/><col class="c-file"/>
                    </colgroup>
                    <thead><tr>{header_cells}</tr></thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=move || spacer(window.get().above)></tr>
                        <For
                            each=move || visible.get()
                            key=|row| row.0
                            children=move |(i, duplicate, cells)| {
                                let selected = move || state.selected.get() == Some(i);
                                view! {
                                    <tr
                                        tabindex="0"
                                        class:selected=selected
                                        class:duplicate=duplicate
                                        aria-selected=move || selected().to_string()
                                        on:click=move |_| state.selected.set(Some(i))
                                        on:keydown=move |e| if e.key() == "Enter" { state.selected.set(Some(i)) }
                                    >
                                        {cells.into_iter().map(|c| { let title = c.clone(); view! { <td title=title>{c}</td> } }).collect_view()}
                                    </tr>
                                }
                            }
                        />
                        <tr class="spacer" aria-hidden="true" style:height=move || {
                            let w = window.get();
                            let shown = (w.last - w.first) as f64 * ROW_HEIGHT;
                            spacer((total() as f64 * pitch(total()) - w.above - shown).max(0.0))
                        }></tr>
                    </tbody>
                </table>
            </div>
            <p class="hint" id="page-status">
                {move || {
                    let Window { top, first, last, .. } = window.get();
                    let shown_last = (top + VISIBLE).min(last).max(first);
                    drawn().then(|| t::rows_shown((top + 1).min(total()), shown_last, total()))
                }}
            </p>
        </div>
    }
}

/// Counted rows per report kind (by `EventKind`'s place).
fn kind_counts(d: &Dataset) -> [u64; 4] {
    let mut counts = [0u64; 4];
    for e in d.counted() {
        counts[e.kind as usize] += 1;
    }
    counts
}
