//! Suspicious activity: one row per finding, naming the rule, the user, the count, the
//! time span and what was seen, with the rows behind it.

use leptos::prelude::*;

use super::answers::show_rows;
use super::pager::{Pager, Paging};
use super::state::{use_state, Part};
use crate::report::answers::RowsOf;
use crate::text::{self, en as t};

#[component]
pub fn SuspiciousTable() -> impl IntoView {
    let state = use_state();
    let paging = Paging::new(move || {
        state
            .answers_for(Part::Tables)
            .map_or(0, |a| a.suspicious.len())
    });
    let table = move || {
        let answers = state.answers_for(Part::Tables)?;
        if answers.suspicious.is_empty() {
            return Some(view! { <p>{t::NO_SUSPICIOUS}</p> }.into_any());
        }
        let shown = paging.range(answers.suspicious.len());
        let start = shown.start;
        let rows = state.data.with(|d| {
            answers.suspicious[shown]
                .iter()
                .enumerate()
                .map(|(k, f)| {
                    let user = d.strings.get(f.user).to_string();
                    let detail = t::finding_detail(f, d.strings.get(f.related));
                    let label = format!("{}: {user}", t::rule_label(f.rule));
                    view! {
                        <tr data-rule=f.rule.id()>
                            <td>{t::rule_label(f.rule)}</td>
                            <td>{user}</td>
                            <td class="num">{text::count(f.count)}</td>
                            <td>{t::span(Some(f.first), Some(f.last))}</td>
                            <td>{detail}</td>
                            <td>{show_rows(state, label, RowsOf::Finding(start + k))}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        Some(
            view! {
                <p>{t::answer_suspicious(answers.suspicious.len())}</p>
                <div class="scroll">
                    <table class="compact" id="suspicious-table">
                        <thead><tr>
                            <th scope="col">{t::COL_RULE}</th>
                            <th scope="col">{t::COL_USER}</th>
                            <th scope="col" class="num">{t::COL_COUNT}</th>
                            <th scope="col">{t::COL_SPAN_TIME}</th>
                            <th scope="col">{t::COL_DETAIL}</th>
                            <th scope="col"><span class="visually-hidden">{t::SHOW_ROWS}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any(),
        )
    };
    view! { {table} <Pager paging label=t::FINDING_PAGES/> }
}
