//! "Download rows (CSV)": the rows as filtered and sorted, written a slice per task so
//! that the page stays responsive (a million rows written at once held it for 1.5 s),
//! with how far it got on the button. If the data changes meanwhile, row numbers may
//! point at other rows: nothing is saved, and the user is told.

use leptos::prelude::*;

use super::download::FileParts;
use super::state::{now, use_state, AppState, Shared, SLICE_MS};
use crate::browser::tasks::next_task;
use crate::report::export::{write_rows, write_rows_header};
use crate::text::en as t;

/// Rows written between clock checks (~3 ms at a million events).
const ROWS_PER_CHECK: usize = 2_000;

/// What became of the last download.
#[derive(Clone, Copy, PartialEq)]
enum Progress {
    Idle,
    /// Percent of the rows written.
    Writing(u32),
    Failed(&'static str),
}

#[component]
pub fn RowsDownload() -> impl IntoView {
    let state = use_state();
    let progress = RwSignal::new(Progress::Idle);
    let writing = move || matches!(progress.get(), Progress::Writing(_));
    let start = move |_| {
        if matches!(progress.get_untracked(), Progress::Writing(_)) {
            return;
        }
        let mut text = String::new();
        write_rows_header(&mut text);
        let export = Export {
            rows: state.sorted.get_untracked(),
            written: 0,
            generation: state.generation(),
            file: FileParts::default(),
            text,
        };
        export.write(state, progress);
    };
    let label = move || match progress.get() {
        Progress::Writing(percent) => t::writing_rows(percent),
        _ => t::DOWNLOAD_ROWS.to_string(),
    };
    let failed = move || match progress.get() {
        Progress::Failed(why) => Some(view! { <p class="count" role="alert">{why}</p> }),
        _ => None,
    };
    view! {
        <button id="download-rows" type="button" class="button"
            disabled=move || state.busy() || writing() on:click=start>
            {label}
        </button>
        {failed}
    }
}

/// A rows download being written.
struct Export {
    rows: Shared<Vec<u32>>,
    /// How many of `rows` are written.
    written: usize,
    /// The data's generation the row numbers belong to.
    generation: u64,
    /// The parts written so far, kept by the browser.
    file: FileParts,
    /// What this slice wrote.
    text: String,
}

impl Export {
    /// Writes rows for a slice, then goes on in a new task; saves the file at the end.
    fn write(mut self, state: AppState, progress: RwSignal<Progress>) {
        if state.generation() != self.generation {
            return progress.set(Progress::Failed(t::ROWS_CHANGED));
        }
        let start = now();
        let rows = &self.rows.0;
        // Without a clock (NaN), all in one slice.
        while self.written < rows.len() {
            let to = rows.len().min(self.written + ROWS_PER_CHECK);
            state
                .data
                .with_untracked(|d| write_rows(&mut self.text, d, &rows[self.written..to]));
            self.written = to;
            if now() - start >= SLICE_MS {
                break;
            }
        }
        if !self.file.push(&self.text) {
            return progress.set(Progress::Failed(t::DOWNLOAD_FAILED));
        }
        self.text.clear();
        if self.written < rows.len() {
            let percent = (self.written * 100 / rows.len()) as u32;
            progress.set(Progress::Writing(percent));
            next_task(move || self.write(state, progress));
        } else if self.file.save("sspr-rows.csv", "text/csv") {
            progress.set(Progress::Idle);
        } else {
            progress.set(Progress::Failed(t::DOWNLOAD_FAILED));
        }
    }
}
