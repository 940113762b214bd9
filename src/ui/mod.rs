//! The Leptos app: one component (or one tight family) per file. Components read the
//! shared [`state::AppState`] from context; none renders data as HTML.

mod activity_filter;
mod answers;
mod app;
mod as_of;
mod charts;
mod coverage;
mod download;
mod file_list;
mod load_panel;
mod mapping;
mod pager;
mod registered_table;
mod result_tables;
mod row_detail;
mod rows_download;
mod rows_table;
mod sessions;
mod sort_header;
mod state;
mod suspicious;
mod warm_up;

pub use app::App;

/// Starts the app in the page, then (once it has painted) a spare parsing worker.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
    leptos::prelude::set_timeout(
        crate::browser::jobs::prepare,
        std::time::Duration::from_millis(0),
    );
}
