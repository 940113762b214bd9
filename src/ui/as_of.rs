//! The "as of" control: the latest event in the data (default), now, or the end of a
//! chosen UTC day.

use leptos::prelude::*;

use super::state::{use_state, AsOfChoice};
use crate::report::dates::{format_day, format_display, parse_day, DAY};
use crate::text::en as t;

#[component]
pub fn AsOfControl() -> impl IntoView {
    let state = use_state();
    let choice = state.as_of_choice;
    let mode = move || match choice.get() {
        AsOfChoice::Latest => "latest",
        AsOfChoice::Now(_) => "now",
        AsOfChoice::EndOfDay(_) => "day",
    };
    let day_value = move || state.as_of.get().map(format_day).unwrap_or_default();
    let on_mode = move |e| match event_target_value(&e).as_str() {
        "now" => state.set_as_of(AsOfChoice::Now(js_sys::Date::now() as i64)),
        "day" => {
            let at = state
                .as_of
                .get_untracked()
                .unwrap_or(js_sys::Date::now() as i64);
            state.set_as_of(AsOfChoice::EndOfDay(
                crate::report::dates::day_start(at) + DAY - 1,
            ));
        }
        _ => state.set_as_of(AsOfChoice::Latest),
    };
    let on_day = move |e| {
        if let Some(day) = parse_day(&event_target_value(&e)) {
            state.set_as_of(AsOfChoice::EndOfDay(day + DAY - 1));
        }
    };
    view! {
        <div class="as-of">
            <label>
                {t::AS_OF_LABEL} " "
                <select id="as-of-mode" on:change=on_mode prop:value=mode>
                    <option value="latest">{t::AS_OF_LATEST}</option>
                    <option value="now">{t::AS_OF_NOW}</option>
                    <option value="day">{t::AS_OF_DATE}</option>
                </select>
            </label>
            <Show when=move || mode() == "day">
                <input id="as-of-day" type="date" aria-label=t::AS_OF_DATE prop:value=day_value on:change=on_day/>
            </Show>
            <p class="as-of-note">
                {move || state.as_of.get().map(|at| t::as_of_note(&format_display(at)))}
            </p>
        </div>
    }
}
