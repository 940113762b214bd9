//! The load area: drop zone, file picker and the built-in sample.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DragEvent, File, FileList, HtmlInputElement};

use super::state::{use_state, AppState};
use crate::browser::jobs::Work;
use crate::report::generate::{sample_audit_files, sample_files};
use crate::text::en as t;

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads files in workers, each added as soon as it is read; on the page itself when
/// no worker can be started (the development server).
fn read_files(state: AppState, files: Vec<File>) {
    let files: Vec<File> = files
        .into_iter()
        .filter(|f| !state.read_in_worker(&f.name(), f.size(), Work::File(f.clone(), None)))
        .collect();
    if files.is_empty() {
        return;
    }
    state.reading.update(|n| *n += files.len() as u32);
    leptos::task::spawn_local(async move {
        for file in files {
            let name = file.name();
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    state.load_bytes(&name, &bytes);
                }
                Err(_) => state.push_error(&name, t::FILE_UNREADABLE),
            }
            state.reading.update(|n| *n = n.saturating_sub(1));
        }
    });
}

#[component]
pub fn LoadPanel() -> impl IntoView {
    let state = use_state();
    let dragging = RwSignal::new(false);

    // A file dropped outside the zone must not make the browser navigate away.
    let guards = [
        window_event_listener(ev::dragover, |e| e.prevent_default()),
        window_event_listener(ev::drop, |e| e.prevent_default()),
    ];
    on_cleanup(move || guards.into_iter().for_each(|g| g.remove()));

    let on_drop = move |e: DragEvent| {
        e.prevent_default();
        dragging.set(false);
        read_files(state, files_of(e.data_transfer().and_then(|d| d.files())));
    };
    let on_pick = move |e: ev::Event| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        read_files(state, files_of(input.files()));
        // Choosing the same file again must load it again.
        input.set_value("");
    };
    let load_sample = move |audit: bool| {
        let label = if audit {
            t::TRY_AUDIT_SAMPLE
        } else {
            t::TRY_SAMPLE
        };
        if state.read_in_worker(
            label,
            0.0,
            Work::Sample(if audit { "audit" } else { "classic" }),
        ) {
            return;
        }
        state.reading.update(|n| *n += 1);
        let files = if audit {
            sample_audit_files()
        } else {
            sample_files()
        };
        for (name, bytes) in files {
            state.load_bytes(name, &bytes);
        }
        state.reading.update(|n| *n -= 1);
    };
    let clear = move |_| state.clear();

    view! {
        <section class="load" aria-labelledby="load-heading">
            <h2 id="load-heading">{t::LOAD_HEADING}</h2>
            <div
                class="dropzone"
                class:dragging=move || dragging.get()
                on:dragenter=move |e: DragEvent| { e.prevent_default(); dragging.set(true) }
                on:dragover=move |e: DragEvent| e.prevent_default()
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p>{t::DROP_HINT}</p>
                <label class="button primary">
                    {t::CHOOSE_FILES}
                    <input
                        id="file-input"
                        class="visually-hidden"
                        type="file"
                        multiple
                        accept=".csv,.tsv,.txt,.json"
                        on:change=on_pick
                    />
                </label>
                <button id="sample" type="button" class="button" on:click=move |_| load_sample(false)>
                    {t::TRY_SAMPLE}
                </button>
                <button id="sample-audit" type="button" class="button" on:click=move |_| load_sample(true)>
                    {t::TRY_AUDIT_SAMPLE}
                </button>
                <Show when=move || state.data.with(|d| !d.sources.is_empty())>
                    <button type="button" class="button subtle" on:click=clear>{t::CLEAR_ALL}</button>
                </Show>
                <p class="hint">{t::ACCEPTED_FILES}</p>
                <Show when=move || state.busy()>
                    <p class="reading" role="status">{t::READING}</p>
                </Show>
                <For
                    each=move || state.jobs.get()
                    key=|j| j.id
                    children=move |job| {
                        let id = job.id;
                        let size = job.size;
                        let progress = job.progress.clone();
                        let bar = job.progress.clone();
                        view! {
                            <div class="job">
                                <span class="job-file">{job.file.clone()}</span>
                                <progress max={size.max(1.0) as i64} value=move || bar.get().0 as i64 aria-label=job.file.clone()></progress>
                                <span class="hint">{move || { let (bytes, rows) = progress.get(); t::job_progress(bytes, size, rows) }}</span>
                                <button type="button" class="button subtle" on:click=move |_| state.cancel(id)>{t::CANCEL}</button>
                            </div>
                        }
                    }
                />
            </div>
        </section>
    }
}
