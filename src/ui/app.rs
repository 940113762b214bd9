//! The page layout: header, load area, and the results region.

use leptos::prelude::*;

use super::answers::AnswersPanel;
use super::charts::Charts;
use super::coverage::Coverage;
use super::file_list::FileList;
use super::load_panel::LoadPanel;
use super::mapping::MappingDialog;
use super::result_tables::{DetailsTable, ReasonTable, ResultTable, StatusTable};
use super::rows_table::RowsTable;
use super::sessions::Sessions;
use super::state::AppState;
use crate::text::en as t;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    super::warm_up::warm_up(state);
    let has_data = move || state.data.with(|d| !d.sources.is_empty());
    view! {
        <header class="top">
            <h1>{t::APP_TITLE}</h1>
            <p class="tagline">{t::TAGLINE}</p>
            <span class="badge" title=t::TAGLINE>{t::OFFLINE_BADGE}</span>
        </header>
        <main>
            <LoadPanel/>
            <section
                id="results"
                class="results"
                aria-live="polite"
                aria-busy=move || if state.busy() { "true" } else { "false" }
            >
                <MappingDialog/>
                <FileList/>
                <Show
                    when=has_data
                    fallback=|| view! { <p class="empty">{t::NOTHING_LOADED}</p> }
                >
                    <Results/>
                </Show>
            </section>
        </main>
    }
}

/// The results for the loaded data, below the list of files.
#[component]
pub fn Results() -> impl IntoView {
    view! {
        <Coverage/>
        <AnswersPanel/>
        <ResultTable/>
        <DetailsTable/>
        <StatusTable/>
        <ReasonTable/>
        <Sessions/>
        <Charts/>
        <RowsTable/>
    }
}
