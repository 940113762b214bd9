//! Who registered: the first users registered for SSPR, when and with which data; the
//! rest are behind "show rows" and in the summary download. Drawn with the answers'
//! cards, from the same data and answers.

use leptos::prelude::*;

use crate::report::answers::Answers;
use crate::report::dates::format_display;
use crate::report::model::Dataset;
use crate::text::en as t;

/// Most rows listed inline, as many as a page of the other lists.
const LISTED: usize = super::pager::PAGE_SIZE;

pub fn registered_table(d: &Dataset, a: &Answers) -> impl IntoView + use<> {
    if a.registered.is_empty() {
        return None;
    }
    let rows = a
        .registered
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
        .collect_view();
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
