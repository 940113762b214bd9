//! The Result table (six results: count, share, meaning) and the Details table
//! (sentence, Result type, count, documented fix), and their audit-log twins, the
//! status table and the reason table; sortable, computed with the current as-of.

use leptos::prelude::*;

use super::answers::{issue_text, show_rows};
use super::state::use_state;
use crate::report::activity::Status;
use crate::report::answers::{AttemptQuery, IssueKey, RowsOf};
use crate::report::catalogue::match_detail;
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
                    let what = RowsOf::Attempts(AttemptQuery {
                        result: Some(r),
                        ..AttemptQuery::default()
                    });
                    view! {
                        <tr>
                            <th scope="row">{t::result_label(r)}</th>
                            <td class="num">{text::count(n)}</td>
                            <td class="num">{text::percent(n, total)}</td>
                            <td>{t::result_meaning(r)}</td>
                            <td>{show_rows(state, t::result_label(r).into(), what)}</td>
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
                    let (sentence, fix) = issue_text(d, issue.key);
                    let documented = matches!(issue.key, IssueKey::Documented(_));
                    (
                        sentence,
                        issue.result,
                        issue.count,
                        fix,
                        documented,
                        issue.key,
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
        Some(
            rows.into_iter()
                .map(|(sentence, result, count, fix, documented, key)| {
                    let what = RowsOf::Attempts(AttemptQuery { issue: Some((key, result)), ..AttemptQuery::default() });
                    let label = sentence.clone();
                    view! {
                        <tr class:undocumented=!documented>
                            <td>
                                {sentence}
                                {(!documented).then(|| view! { <span class="tag">{t::UNDOCUMENTED}</span> })}
                            </td>
                            <td>{t::result_label(result)}</td>
                            <td class="num">{text::count(count)}</td>
                            <td>{fix.unwrap_or("")}</td>
                            <td>{show_rows(state, label, what)}</td>
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

/// Audit events per status (success / failure / …): the Result table's twin.
#[component]
pub fn StatusTable() -> impl IntoView {
    let state = use_state();
    let rows = move || {
        let answers = state.answers.get()?;
        let total: u64 = answers.statuses.iter().sum();
        (total > 0).then(|| {
            let rows = Status::ALL
                .into_iter()
                .filter(|s| answers.statuses[*s as usize] > 0)
                .map(|s| {
                    let n = answers.statuses[s as usize];
                    view! {
                        <tr>
                            <th scope="row">{t::status_label(s)}</th>
                            <td class="num">{text::count(n)}</td>
                            <td class="num">{text::percent(n, total)}</td>
                            <td>{show_rows(state, t::status_label(s).into(), RowsOf::Status(s))}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="table-section" aria-labelledby="status-heading">
                    <h2 id="status-heading">{t::STATUS_HEADING}</h2>
                    <p class="hint">{t::STATUS_NOTE}</p>
                    <table id="status-table">
                        <thead><tr>
                            <th scope="col">{t::COL_STATUS}</th>
                            <th scope="col" class="num">{t::COL_COUNT}</th>
                            <th scope="col" class="num">{t::COL_SHARE}</th>
                            <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
    };
    view! { {rows} }
}

/// Audit events per ResultReason, with the documented meaning and fix where the text is
/// a documented sentence: the Details table's twin.
#[component]
pub fn ReasonTable() -> impl IntoView {
    let state = use_state();
    let sort = RwSignal::new(TableSort {
        column: 2,
        descending: true,
    });
    let rows = move || {
        let answers = state.answers.get()?;
        if answers.reasons.is_empty() {
            return None;
        }
        let s = sort.get();
        let mut rows: Vec<_> = state.data.with(|d| {
            answers
                .reasons
                .iter()
                .map(|r| {
                    let text = d.strings.get(r.text).to_string();
                    let meaning = t::reason_meaning(&text, match_detail(&text));
                    (text, r.status, r.count, meaning, r.text)
                })
                .collect()
        });
        rows.sort_by(|a, b| match s.column {
            1 => order(a.1 as u8, b.1 as u8, s.descending).then_with(|| b.2.cmp(&a.2)),
            2 => order(a.2, b.2, s.descending).then_with(|| a.0.cmp(&b.0)),
            _ => order(&a.0, &b.0, s.descending),
        });
        let body = rows
            .into_iter()
            .map(|(text, status, count, meaning, sym)| {
                let label = text.clone();
                view! {
                    <tr>
                        <td>{text}</td>
                        <td>{t::status_label(status)}</td>
                        <td class="num">{text::count(count)}</td>
                        <td>{meaning}</td>
                        <td>{show_rows(state, label, RowsOf::Reason(sym, status))}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section class="table-section" aria-labelledby="reasons-heading">
                <h2 id="reasons-heading">{t::REASONS_HEADING}</h2>
                <div class="scroll tall">
                    <table id="reason-table">
                        <thead><tr>
                            <SortHeader label=t::COL_REASON column=0 sort=sort/>
                            <SortHeader label=t::COL_STATUS column=1 sort=sort/>
                            <SortHeader label=t::COL_COUNT column=2 sort=sort numeric=true/>
                            <th scope="col">{t::COL_MEANING_FIX}</th>
                            <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </section>
        })
    };
    view! { {rows} }
}
