//! The coverage strip: which days each loaded file has events on, and the days no file
//! covers — gaps are common when tenants keep only 7 or 30 days of audit logs.

use leptos::prelude::*;

use super::state::use_state;
use crate::report::charts::MAX_DAYS;
use crate::report::dates::{day_start, format_day, Millis, DAY};
use crate::text::en as t;

/// A file's name and, per day, whether it has events.
type Strip = (String, Vec<bool>);

/// The days drawn: from the first to the last event of all files (at most the last
/// [`MAX_DAYS`]), and per file which have events.
struct Days {
    first_day: Millis,
    days: usize,
    rows: Vec<Strip>,
    /// The day of the earliest event, when it is before the days drawn.
    left_out: Option<Millis>,
}

fn coverage(data: &crate::report::model::Dataset) -> Option<Days> {
    // Each file knows its first and last event: one pass over the rows, to fill the strips.
    let first = data.sources.iter().filter_map(|s| s.first_event).min()?;
    let last = data.sources.iter().filter_map(|s| s.last_event).max()?;
    let last_day = day_start(last);
    let earliest = day_start(first);
    let first_day = earliest.max(last_day - (MAX_DAYS as Millis - 1) * DAY);
    let days = ((last_day - first_day) / DAY + 1) as usize;
    let mut rows: Vec<Strip> = data
        .sources
        .iter()
        .map(|s| (s.file.clone(), vec![false; days]))
        .collect();
    for e in data.events.iter().filter(|e| e.at >= first_day) {
        if let Some(k) = data.sources.iter().position(|s| s.id == e.source) {
            rows[k].1[((day_start(e.at) - first_day) / DAY) as usize] = true;
        }
    }
    Some(Days {
        first_day,
        days,
        rows,
        left_out: (earliest < first_day).then_some(earliest),
    })
}

/// Runs of days no file covers, as (first, last) day starts.
fn gaps(first_day: Millis, rows: &[Strip], days: usize) -> Vec<(Millis, Millis)> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None;
    for d in 0..=days {
        let covered = d == days || rows.iter().any(|r| r.1[d]);
        match (covered, run) {
            (false, None) => run = Some(d),
            (true, Some(s)) => {
                out.push((
                    first_day + s as Millis * DAY,
                    first_day + (d - 1) as Millis * DAY,
                ));
                run = None;
            }
            _ => {}
        }
    }
    out
}

#[component]
pub fn Coverage() -> impl IntoView {
    let state = use_state();
    move || {
        let Days {
            first_day,
            days,
            rows,
            left_out,
        } = state.data.with(coverage)?;
        let gaps = gaps(first_day, &rows, days);
        let cell = (720 / days as i64).clamp(3, 16);
        let label_w = 240;
        let row_h = 18;
        let width = label_w + days as i64 * cell + 8;
        let height = (rows.len() + 1) as i64 * row_h + 20;
        let strips = rows
            .iter()
            .enumerate()
            .map(|(r, (file, covered))| {
                let y = r as i64 * row_h;
                let cells = covered
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c)
                    .map(|(d, _)| view! { <rect x=label_w + d as i64 * cell y=y + 3 width=cell - 1 height=row_h - 6 class="covered"/> })
                    .collect_view();
                let name: String = if file.chars().count() > 34 { file.chars().take(33).chain(['…']).collect() } else { file.clone() };
                view! { <g><text x=label_w - 6 y=y + 13 class="axis-label" text-anchor="end">{name}</text>{cells}</g> }
            })
            .collect_view();
        let y = rows.len() as i64 * row_h;
        let gap_cells = gaps
            .iter()
            .map(|(a, b)| {
                let x = label_w + (a - first_day) / DAY * cell;
                let w = ((b - a) / DAY + 1) * cell - 1;
                view! { <rect x=x y=y + 3 width=w height=row_h - 6 class="gap"><title>{t::gap_text(&format_day(*a), &format_day(*b))}</title></rect> }
            })
            .collect_view();
        let gap_list: Vec<String> = gaps
            .iter()
            .map(|(a, b)| t::gap_text(&format_day(*a), &format_day(*b)))
            .collect();
        let alt = t::coverage_alt(rows.len(), &format_day(first_day), days, &gap_list);
        Some(view! {
            <section class="coverage" aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">{t::COVERAGE_HEADING}</h2>
            <figure class="chart" id="coverage">
                <div class="scroll-x">
                    <svg role="img" aria-label=alt.clone() viewBox=format!("0 0 {width} {height}") width=width height=height>
                        {strips}
                        <text x=label_w - 6 y=y + 13 class="axis-label" text-anchor="end">{t::GAPS}</text>
                        {gap_cells}
                        <text x=label_w y=height - 3 class="axis-label">{format_day(first_day)}</text>
                        <text x=width - 8 y=height - 3 class="axis-label" text-anchor="end">{format_day(first_day + (days as Millis - 1) * DAY)}</text>
                    </svg>
                </div>
                <p class="hint" id="coverage-text">{alt}</p>
                {left_out.map(|day| view! { <p class="hint" id="coverage-cut">{t::coverage_cut(MAX_DAYS, &format_day(day))}</p> })}
            </figure>
            </section>
        })
    }
}
