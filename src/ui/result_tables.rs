//! The Result table (six results: count, share, meaning) and the Details table
//! (sentence, Result type, count, documented fix), both sortable, both computed with
//! the current as-of.

use leptos::prelude::*;

use super::state::use_state;
use crate::report::answers::IssueKey;
use crate::report::filter::Filter;
use crate::report::model::EventKind;
use crate::report::outcome::ResetResult;
use crate::text::{self, en as t};

/// Which column a table is sorted by, and the direction.
#[derive(Clone, Copy, PartialEq, Eq)]
struct TableSort {
    column: u8,
    descending: bool,
}

/// A column header that sorts its table when clicked.
#[component]
fn SortHeader(
    label: &'static str,
    column: u8,
    sort: RwSignal<TableSort>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let aria = move || match sort.get() {
        s if s.column != column => "none",
        s if s.descending => "descending",
        _ => "ascending",
    };
    let click = move |_| {
        sort.update(|s| {
            if s.column == column {
                s.descending = !s.descending;
            } else {
                *s = TableSort {
                    column,
                    descending: numeric,
                };
            }
        })
    };
    view! {
        <th scope="col" aria-sort=aria class:num=numeric>
            <button type="button" class="sort" on:click=click>{label}</button>
        </th>
    }
}

fn order<T: Ord>(a: T, b: T, descending: bool) -> std::cmp::Ordering {
    if descending {
        b.cmp(&a)
    } else {
        a.cmp(&b)
    }
}

#[component]
pub fn ResultTable() -> impl IntoView {
    let state = use_state();
    let sort = RwSignal::new(TableSort {
        column: 0,
        descending: false,
    });
    let rows = move || {
        let answers = state.answers.get()?;
        let total = answers.reset_attempts;
        let mut results = ResetResult::ALL.to_vec();
        let s = sort.get();
        results.sort_by(|a, b| match s.column {
            1 | 2 => order(
                answers.results[a.index()],
                answers.results[b.index()],
                s.descending,
            ),
            _ => order(t::result_label(*a), t::result_label(*b), s.descending),
        });
        Some(
            results
                .into_iter()
                .map(|r| {
                    let n = answers.results[r.index()];
                    let filter = Filter {
                        kind: Some(EventKind::ResetAttempt),
                        results: vec![r],
                        to: Some(answers.as_of),
                        ..Filter::default()
                    };
                    view! {
                        <tr>
                            <th scope="row">{t::result_label(r)}</th>
                            <td class="num">{text::count(n)}</td>
                            <td class="num">{text::percent(n, total)}</td>
                            <td>{t::result_meaning(r)}</td>
                            <td>
                                <button type="button" class="button subtle show-rows" on:click=move |_| state.show_rows(filter.clone())>
                                    {t::SHOW_ROWS}
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <section class="table-section" aria-labelledby="results-heading">
            <h2 id="results-heading">{t::RESULTS_HEADING}</h2>
            <table id="result-table">
                <thead><tr>
                    <SortHeader label=t::COL_RESULT column=0 sort=sort/>
                    <SortHeader label=t::COL_COUNT column=1 sort=sort numeric=true/>
                    <SortHeader label=t::COL_SHARE column=2 sort=sort numeric=true/>
                    <th scope="col">{t::COL_MEANING}</th>
                    <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
pub fn DetailsTable() -> impl IntoView {
    let state = use_state();
    let sort = RwSignal::new(TableSort {
        column: 2,
        descending: true,
    });
    let rows = move || {
        let answers = state.answers.get()?;
        let s = sort.get();
        let rows = state.data.with(|d| {
            let mut rows: Vec<_> = answers
                .details
                .iter()
                .map(|issue| {
                    let (sentence, fix, documented) = match issue.key {
                        IssueKey::Documented(id) => {
                            (id.entry().sentence.to_string(), id.entry().fix, true)
                        }
                        IssueKey::Unknown(s) if s.is_empty() => {
                            (t::NO_DETAILS_TEXT.to_string(), None, false)
                        }
                        IssueKey::Unknown(s) => (d.strings.get(s).to_string(), None, false),
                    };
                    (
                        sentence,
                        issue.result,
                        issue.count,
                        fix,
                        documented,
                        issue.texts.clone(),
                    )
                })
                .collect();
            rows.sort_by(|a, b| match s.column {
                1 => order(t::result_label(a.1), t::result_label(b.1), s.descending)
                    .then_with(|| b.2.cmp(&a.2)),
                2 => order(a.2, b.2, s.descending).then_with(|| a.0.cmp(&b.0)),
                _ => order(&a.0, &b.0, s.descending),
            });
            rows
        });
        let as_of = answers.as_of;
        Some(
            rows.into_iter()
                .map(|(sentence, result, count, fix, documented, texts)| {
                    let filter = Filter {
                        kind: Some(EventKind::ResetAttempt),
                        details: texts,
                        to: Some(as_of),
                        ..Filter::default()
                    };
                    view! {
                        <tr class:undocumented=!documented>
                            <td>
                                {sentence}
                                {(!documented).then(|| view! { <span class="tag">{t::UNDOCUMENTED}</span> })}
                            </td>
                            <td>{t::result_label(result)}</td>
                            <td class="num">{text::count(count)}</td>
                            <td>{fix.unwrap_or("")}</td>
                            <td>
                                <button type="button" class="button subtle show-rows" on:click=move |_| state.show_rows(filter.clone())>
                                    {t::SHOW_ROWS}
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <section class="table-section" aria-labelledby="details-heading">
            <h2 id="details-heading">{t::DETAILS_HEADING}</h2>
            <div class="scroll tall">
                <table id="details-table">
                    <thead><tr>
                        <SortHeader label=t::COL_SENTENCE column=0 sort=sort/>
                        <SortHeader label=t::COL_RESULT_TYPE column=1 sort=sort/>
                        <SortHeader label=t::COL_COUNT column=2 sort=sort numeric=true/>
                        <th scope="col">{t::COL_FIX}</th>
                        <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
