//! Who registered: the first users registered for SSPR, when and with which data; the
//! rest are behind "show rows" and in the summary download.

use leptos::prelude::*;

use super::state::use_state;
use crate::report::dates::format_display;
use crate::text::en as t;

/// Most rows listed inline.
const LISTED: usize = 100;

#[component]
pub fn RegisteredTable() -> impl IntoView {
    let state = use_state();
    move || {
        let a = state.answers.get()?;
        if a.registered.is_empty() {
            return None;
        }
        let rows = state.data.with(|d| {
            a.registered
                .iter()
                .take(LISTED)
                .map(|r| {
                    let families: Vec<&str> = r.families.iter().map(t::family_label).collect();
                    let when = r
                        .last_registered
                        .map(format_display)
                        .unwrap_or_else(|| t::FROM_STATE.to_string());
                    view! {
                        <tr>
                            <td>{d.strings.get(r.user).to_string()}</td>
                            <td>{when}</td>
                            <td>{families.join(", ")}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        Some(view! {
            <div class="scroll">
                <table class="compact" id="registered-table">
                    <thead><tr>
                        <th scope="col">{t::COL_USER}</th>
                        <th scope="col">{t::COL_LAST_REGISTERED}</th>
                        <th scope="col">{t::COL_DATA}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(a.registered.len() > LISTED).then(|| view! { <p class="hint">{t::listed_first(LISTED, a.registered.len())}</p> })}
        })
    }
}
