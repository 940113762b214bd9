//! Reset sessions rebuilt from the audit log, and the funnel: how many sessions reached
//! each step of the reset flow, the drop-off between steps, and which methods lose users.

use leptos::prelude::*;

use super::answers::show_rows;
use super::pager::{Pager, Paging};
use super::state::{use_state, Part};
use crate::report::answers::RowsOf;
use crate::report::dates::format_display;
use crate::report::methods::MethodFamily;
use crate::report::sessions::FunnelStep;
use crate::text::{self, en as t};

#[component]
pub fn Sessions() -> impl IntoView {
    let state = use_state();
    let has = move || state.with_answers(|a| !a.sessions.is_empty());
    view! {
        <Show when=has>
            <section class="sessions" aria-labelledby="sessions-heading">
                <h2 id="sessions-heading">{t::SESSIONS_HEADING}</h2>
                <p class="hint">{t::SESSIONS_NOTE}</p>
                <Funnel/>
                <SessionsTable/>
            </section>
        </Show>
    }
}

#[component]
fn Funnel() -> impl IntoView {
    let state = use_state();
    move || {
        let answers = state.answers_for(Part::Sessions)?;
        let f = &answers.funnel;
        let first = f.reached[0].max(1);
        let (label_w, bar_w, row_h) = (190, 360, 30);
        let width = label_w + bar_w + 150;
        let height = FunnelStep::ALL.len() as i64 * row_h + 4;
        let bars = FunnelStep::ALL
            .into_iter()
            .map(|step| {
                let i = step.index();
                let n = f.reached[i];
                let y = i as i64 * row_h + 2;
                let w = (n as i64 * bar_w / first as i64).max(1);
                let lost = if i == 0 { None } else { Some(f.reached[i - 1].saturating_sub(n)) };
                let note = match lost {
                    Some(lost) => format!("{} (−{})", text::count(n), text::count(lost)),
                    None => text::count(n),
                };
                view! {
                    <g>
                        <text x=label_w - 6 y=y + 19 class="axis-label" text-anchor="end">{t::funnel_label(step)}</text>
                        <rect x=label_w y=y + 4 width=w height=row_h - 8 class="bar funnel"><title>{note.clone()}</title></rect>
                        <text x=label_w + w + 6 y=y + 19 class="axis-label">{note}</text>
                    </g>
                }
            })
            .collect_view();
        let steps: Vec<(&str, u64)> = FunnelStep::ALL
            .iter()
            .map(|s| (t::funnel_label(*s), f.reached[s.index()]))
            .collect();
        let alt = t::chart_bars_alt(t::FUNNEL_HEADING, &steps);
        let methods = MethodFamily::ALL
            .into_iter()
            .filter(|m| f.started[m.index()] > 0)
            .map(|m| {
                let (started, completed) = (f.started[m.index()], f.completed[m.index()]);
                let lost = started.saturating_sub(completed);
                (m, started, completed, lost)
            })
            .collect::<Vec<_>>();
        let mut methods = methods;
        crate::report::order::sort_by(&mut methods, |a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
        let method_rows = methods
            .into_iter()
            .map(|(m, started, completed, lost)| {
                view! {
                    <tr>
                        <th scope="row">{t::family_label(m)}</th>
                        <td class="num">{text::count(started)}</td>
                        <td class="num">{text::count(completed)}</td>
                        <td class="num">{text::count(lost)}</td>
                        <td class="num">{text::percent(lost, started)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <div class="chart-pair">
                <figure class="chart" id="funnel">
                    <figcaption>{t::FUNNEL_HEADING}</figcaption>
                    <svg role="img" aria-label=alt.clone() viewBox=format!("0 0 {width} {height}") width=width height=height>{bars}</svg>
                    <p class="visually-hidden">{alt}</p>
                </figure>
                <figure class="chart">
                    <figcaption>{t::METHOD_LOSS_HEADING}</figcaption>
                    <table class="compact" id="method-loss">
                        <thead><tr>
                            <th scope="col">{t::COL_METHOD}</th>
                            <th scope="col" class="num">{t::COL_STARTED}</th>
                            <th scope="col" class="num">{t::COL_COMPLETED}</th>
                            <th scope="col" class="num">{t::COL_LOST}</th>
                            <th scope="col" class="num">{t::COL_SHARE}</th>
                        </tr></thead>
                        <tbody>{method_rows}</tbody>
                    </table>
                </figure>
            </div>
        })
    }
}

#[component]
fn SessionsTable() -> impl IntoView {
    let state = use_state();
    let paging = Paging::new(move || {
        state
            .answers_for(Part::Sessions)
            .map_or(0, |a| a.sessions.len())
    });
    let rows = move || {
        let answers = state.answers_for(Part::Sessions)?;
        let shown = paging.range(answers.sessions.len());
        let start = shown.start;
        Some(state.data.with(|d| {
            answers.sessions[shown]
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let families = |set: crate::report::methods::MethodSet| {
                        set.iter().map(t::family_label).collect::<Vec<_>>().join(", ")
                    };
                    let user = d.strings.get(s.user).to_string();
                    view! {
                        <tr>
                            <td>{user.clone()}</td>
                            <td>{format_display(s.start)}</td>
                            <td>{format_display(s.end)}</td>
                            <td class="num">{s.steps}</td>
                            <td>{families(s.started)}</td>
                            <td>{families(s.completed)}</td>
                            <td>{s.furthest.map(t::funnel_label).unwrap_or("–")}</td>
                            <td>{t::result_label(s.result)}</td>
                            <td>{show_rows(state, format!("{} {user}", t::SESSION), RowsOf::Session(start + k))}</td>
                        </tr>
                    }
                })
                .collect_view()
        }))
    };
    view! {
        <div class="scroll tall">
            <table id="sessions-table" class="compact">
                <thead><tr>
                    <th scope="col">{t::COL_USER}</th>
                    <th scope="col">{t::COL_START}</th>
                    <th scope="col">{t::COL_END}</th>
                    <th scope="col" class="num">{t::COL_STEPS}</th>
                    <th scope="col">{t::COL_STARTED}</th>
                    <th scope="col">{t::COL_COMPLETED}</th>
                    <th scope="col">{t::COL_FURTHEST}</th>
                    <th scope="col">{t::COL_OUTCOME}</th>
                    <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager paging label=t::SESSION_PAGES/>
    }
}
