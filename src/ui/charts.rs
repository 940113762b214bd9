//! The charts, drawn by the app as SVG: reset attempts per day stacked by result,
//! successful resets per method family, registrations per method family. Each has a
//! text alternative and its numbers as a table. They follow the row filters.

use leptos::prelude::*;

use super::state::{use_state, Part};
use crate::report::charts::{Series, MAX_DAYS};
use crate::report::dates::format_day;
use crate::report::methods::MethodFamily;
use crate::report::outcome::ResetResult;
use crate::text::{self, en as t};

#[component]
pub fn Charts() -> impl IntoView {
    let state = use_state();
    view! {
        <section class="charts" aria-labelledby="charts-heading">
            <h2 id="charts-heading">{t::CHARTS_HEADING}</h2>
            <p class="hint">{t::CHARTS_NOTE}</p>
            {move || {
                // Drawn in its part (see `Part`): the series are worked out only then.
                if !state.drawn_to(Part::Charts) {
                    return None;
                }
                let series = state.series.get();
                Some(view! {
                    <DayChart series=series.clone()/>
                    <div class="chart-pair">
                        <BarChart id="chart-methods" title=t::CHART_METHODS counts=series.reset_methods/>
                        <BarChart id="chart-registrations" title=t::CHART_REGISTRATIONS counts=series.registrations/>
                    </div>
                })
            }}
        </section>
    }
}

const DAY_HEIGHT: i64 = 180;
const AXIS: i64 = 36;

#[component]
fn DayChart(series: super::state::Shared<Series>) -> impl IntoView {
    let days = &series.days;
    if days.is_empty() {
        return view! {
            <figure class="chart" id="chart-days"><figcaption>{t::CHART_DAYS}</figcaption><p class="hint">{t::CHART_EMPTY}</p></figure>
        }
        .into_any();
    }
    let totals: Vec<u32> = days.iter().map(|(_, c)| c.iter().sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let (busiest, busiest_count) = days
        .iter()
        .zip(&totals)
        .max_by_key(|(d, n)| (**n, std::cmp::Reverse(d.0)))
        .map(|((day, _), n)| (format_day(*day), *n))
        .unwrap_or_default();
    let all: u64 = totals.iter().map(|&n| u64::from(n)).sum();
    let bar = 14;
    let width = AXIS + days.len() as i64 * bar + 8;
    let height = DAY_HEIGHT + 28;

    let label_every = (days.len() / 8).max(1);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, (day, counts))| {
            let x = AXIS + i as i64 * bar;
            let mut y = DAY_HEIGHT;
            let day_text = format_day(*day);
            let segments = ResetResult::ALL
                .into_iter()
                .filter(|r| counts[r.index()] > 0)
                .map(|r| {
                    let h = i64::from(counts[r.index()]) * DAY_HEIGHT / i64::from(max);
                    y -= h;
                    let tip = format!("{day_text} {}: {}", t::result_label(r), counts[r.index()]);
                    view! {
                        <rect x=x + 1 y=y width=bar - 2 height=h class=format!("bar r-{}", r.id())>
                            <title>{tip}</title>
                        </rect>
                    }
                })
                .collect_view();
            let label = (i % label_every == 0).then(|| {
                view! { <text x=x + bar / 2 y=DAY_HEIGHT + 16 class="axis-label" text-anchor="middle">{day_text[5..].to_string()}</text> }
            });
            view! { <g>{segments}{label}</g> }
        })
        .collect_view();
    let alt = t::chart_days_alt(days.len(), all, &busiest, busiest_count);
    let legend = ResetResult::ALL
        .into_iter()
        .map(|r| view! { <li><span class=format!("swatch r-{}", r.id())></span>{t::result_label(r)}</li> })
        .collect_view();
    let table_rows = days
        .iter()
        .filter(|(_, c)| c.iter().any(|&n| n > 0))
        .map(|(day, counts)| {
            view! {
                <tr>
                    <th scope="row">{format_day(*day)}</th>
                    {ResetResult::ALL.into_iter().map(|r| view! { <td class="num">{counts[r.index()]}</td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" id="chart-days">
            <figcaption>{t::CHART_DAYS}</figcaption>
            <div class="scroll-x">
                <svg role="img" aria-label=alt.clone() viewBox=format!("0 0 {width} {height}") width=width height=height>
                    <line x1=AXIS y1=DAY_HEIGHT x2=width y2=DAY_HEIGHT class="axis"/>
                    <text x=AXIS - 4 y=10 class="axis-label" text-anchor="end">{max}</text>
                    <text x=AXIS - 4 y=DAY_HEIGHT class="axis-label" text-anchor="end">"0"</text>
                    {bars}
                </svg>
            </div>
            <ul class="legend">{legend}</ul>
            {(days.len() >= MAX_DAYS).then(|| view! { <p class="hint">{t::chart_cut(MAX_DAYS)}</p> })}
            <p class="visually-hidden">{alt}</p>
            <details>
                <summary>{t::CHART_AS_TABLE}</summary>
                <div class="scroll">
                    <table class="compact">
                        <thead><tr>
                            <th scope="col">{t::COL_DAY}</th>
                            {ResetResult::ALL.into_iter().map(|r| view! { <th scope="col" class="num">{t::result_label(r)}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
    .into_any()
}

#[component]
fn BarChart(id: &'static str, title: &'static str, counts: [u64; 7]) -> impl IntoView {
    let parts: Vec<(MethodFamily, u64)> =
        Series::families(&counts).filter(|(_, n)| *n > 0).collect();
    let labels: Vec<(&str, u64)> = parts
        .iter()
        .map(|(f, n)| (t::family_label(*f), *n))
        .collect();
    let alt = t::chart_bars_alt(title, &labels);
    if parts.is_empty() {
        return view! { <figure class="chart" id=id><figcaption>{title}</figcaption><p class="hint">{t::CHART_EMPTY}</p></figure> }.into_any();
    }
    let max = parts.iter().map(|p| p.1).max().unwrap_or(1).max(1) as i64;
    let (label_w, bar_w, row_h) = (150, 220, 24);
    let width = label_w + bar_w + 60;
    let height = parts.len() as i64 * row_h + 4;
    let bars = parts
        .iter()
        .enumerate()
        .map(|(i, (family, n))| {
            let y = i as i64 * row_h + 2;
            let w = (*n as i64 * bar_w / max).max(1);
            view! {
                <g>
                    <text x=label_w - 6 y=y + 15 class="axis-label" text-anchor="end">{t::family_label(*family)}</text>
                    <rect x=label_w y=y + 3 width=w height=row_h - 6 class=format!("bar f-{}", family.id())>
                        <title>{format!("{}: {n}", t::family_label(*family))}</title>
                    </rect>
                    <text x=label_w + w + 4 y=y + 15 class="axis-label">{text::count(*n)}</text>
                </g>
            }
        })
        .collect_view();
    let table_rows = labels
        .iter()
        .map(|(label, n)| view! { <tr><th scope="row">{label.to_string()}</th><td class="num">{text::count(*n)}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart" id=id>
            <figcaption>{title}</figcaption>
            <svg role="img" aria-label=alt.clone() viewBox=format!("0 0 {width} {height}") width=width height=height>
                {bars}
            </svg>
            <p class="visually-hidden">{alt}</p>
            <details>
                <summary>{t::CHART_AS_TABLE}</summary>
                <table class="compact">
                    <thead><tr><th scope="col">{t::COL_METHOD}</th><th scope="col" class="num">{t::COL_COUNT}</th></tr></thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
