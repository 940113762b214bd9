//! The Result table (six results: count, share, meaning) and the Details table
//! (sentence, Result type, count, documented fix), and their audit-log twins, the
//! status table and the reason table; sortable, computed with the current as-of.

use leptos::either::Either;
use leptos::prelude::*;

use super::answers::{issue_text, show_rows};
use super::sort_header::{SortHeader, SortState};
use super::state::{use_state, Part};
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

impl SortState for TableSort {
    type Key = u8;
    fn key(self) -> u8 {
        self.column
    }
    fn descending(self) -> bool {
        self.descending
    }
    fn by(column: u8, descending: bool) -> TableSort {
        TableSort { column, descending }
    }
}

fn order<T: Ord>(a: T, b: T, descending: bool) -> std::cmp::Ordering {
    if descending {
        b.cmp(&a)
    } else {
        a.cmp(&b)
    }
}

/// Sorts rows of (text, kind, count) as the Details and Reason tables do: by text
/// (column 0), by kind then most frequent (1), or by count then text (2).
fn sort_rows<R, K: Ord>(rows: &mut Vec<R>, s: TableSort, key: fn(&R) -> (&str, K, u64)) {
    crate::report::order::sort_by(rows, |a, b| {
        let (a, b) = (key(a), key(b));
        match s.column {
            1 => order(a.1, b.1, s.descending).then_with(|| b.2.cmp(&a.2)),
            2 => order(a.2, b.2, s.descending).then_with(|| a.0.cmp(b.0)),
            _ => order(a.0, b.0, s.descending),
        }
    });
}

/// The shell every table here shares: a section with its heading and an optional note,
/// the table (in a tall scrolling box when `tall`), the header cells given as children
/// and a last, unlabelled "show rows" column.
#[component]
fn TableSection(
    heading_id: &'static str,
    heading: &'static str,
    table_id: &'static str,
    #[prop(optional)] note: Option<&'static str>,
    #[prop(optional)] tall: bool,
    #[prop(into)] body: ViewFn,
    children: Children,
) -> impl IntoView {
    let table = view! {
        <table id=table_id>
            <thead><tr>
                {children()}
                <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
            </tr></thead>
            <tbody>{move || body.run()}</tbody>
        </table>
    };
    view! {
        <section class="table-section" aria-labelledby=heading_id>
            <h2 id=heading_id>{heading}</h2>
            {note.map(|n| view! { <p class="hint">{n}</p> })}
            {if tall {
                Either::Left(view! { <div class="scroll tall">{table}</div> })
            } else {
                Either::Right(table)
            }}
        </section>
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
        let answers = state.answers_for(Part::Tables)?;
        let total = answers.reset_attempts;
        let mut results = ResetResult::ALL.to_vec();
        let s = sort.get();
        crate::report::order::sort_by(&mut results, |a, b| match s.column {
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
        <TableSection heading_id="results-heading" heading=t::RESULTS_HEADING table_id="result-table" body=rows>
            <SortHeader label=t::COL_RESULT key=0 sort=sort/>
            <SortHeader label=t::COL_COUNT key=1 sort=sort numeric=true/>
            <SortHeader label=t::COL_SHARE key=2 sort=sort numeric=true/>
            <th scope="col">{t::COL_MEANING}</th>
        </TableSection>
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
        let answers = state.answers_for(Part::Tables)?;
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
            sort_rows(&mut rows, s, |r| (&r.0, t::result_label(r.1), r.2));
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
        <TableSection heading_id="details-heading" heading=t::DETAILS_HEADING table_id="details-table" tall=true body=rows>
            <SortHeader label=t::COL_SENTENCE key=0 sort=sort/>
            <SortHeader label=t::COL_RESULT_TYPE key=1 sort=sort/>
            <SortHeader label=t::COL_COUNT key=2 sort=sort numeric=true/>
            <th scope="col">{t::COL_FIX}</th>
        </TableSection>
    }
}

/// Audit events per status (success / failure / …): the Result table's twin. Shown
/// when the data has audit events.
#[component]
pub fn StatusTable() -> impl IntoView {
    let state = use_state();
    let total = move || state.with_answers(|a| a.statuses.iter().sum::<u64>());
    let rows = move || {
        let answers = state.answers_for(Part::Tables)?;
        let total = total();
        Some(
            Status::ALL
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
                .collect_view(),
        )
    };
    view! {
        <Show when=move || total() != 0>
            <TableSection heading_id="status-heading" heading=t::STATUS_HEADING table_id="status-table" note=t::STATUS_NOTE body=rows>
                <th scope="col">{t::COL_STATUS}</th>
                <th scope="col" class="num">{t::COL_COUNT}</th>
                <th scope="col" class="num">{t::COL_SHARE}</th>
            </TableSection>
        </Show>
    }
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
        let answers = state.answers_for(Part::Tables)?;
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
        sort_rows(&mut rows, s, |r| (&r.0, r.1 as u8, r.2));
        Some(
            rows.into_iter()
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
                .collect_view(),
        )
    };
    let shown = move || state.with_answers(|a| !a.reasons.is_empty());
    view! {
        <Show when=shown>
            <TableSection heading_id="reasons-heading" heading=t::REASONS_HEADING table_id="reason-table" tall=true body=rows>
                <SortHeader label=t::COL_REASON key=0 sort=sort/>
                <SortHeader label=t::COL_STATUS key=1 sort=sort/>
                <SortHeader label=t::COL_COUNT key=2 sort=sort numeric=true/>
                <th scope="col">{t::COL_MEANING_FIX}</th>
            </TableSection>
        </Show>
    }
}
