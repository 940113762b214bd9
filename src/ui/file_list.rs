//! The loaded files — kind, rows read and skipped, duplicates, date span, how dates and
//! encoding were read, the first unreadable rows — and the files that could not be used.

use leptos::prelude::*;

use super::state::use_state;
use crate::report::model::Source;
use crate::text::{self, en as t};

#[component]
pub fn FileList() -> impl IntoView {
    let state = use_state();
    let sources = move || state.data.with(|d| d.sources.clone());
    view! {
        <For
            each=move || state.errors.get()
            key=|e| e.id
            children=move |e| {
                let id = e.id;
                view! {
                    <div class="error" role="alert">
                        <strong>{e.file.clone()}</strong>
                        ": "
                        <span class="message">{e.message.clone()}</span>
                        <button
                            type="button"
                            class="button subtle"
                            on:click=move |_| state.errors.update(|es| es.retain(|x| x.id != id))
                        >
                            {t::CLOSE}
                        </button>
                    </div>
                }
            }
        />
        <Show when=move || state.data.with(|d| !d.sources.is_empty())>
            <section class="files" aria-labelledby="files-heading">
                <h2 id="files-heading">{t::FILES_HEADING}</h2>
                <table id="file-table">
                    <thead>
                        <tr>
                            <th scope="col">{t::COL_FILE}</th>
                            <th scope="col">{t::COL_KIND}</th>
                            <th scope="col" class="num">{t::COL_ROWS}</th>
                            <th scope="col" class="num">{t::COL_SKIPPED}</th>
                            <th scope="col" class="num">{t::COL_DUPLICATES}</th>
                            <th scope="col">{t::COL_SPAN}</th>
                            <th scope="col">{t::COL_READING}</th>
                            <th scope="col"><span class="visually-hidden">{t::REMOVE}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=sources key=|s| (s.id, s.duplicate_rows) children=move |s| view! { <FileRow source=s/> }/>
                    </tbody>
                </table>
            </section>
        </Show>
    }
}

#[component]
fn FileRow(source: Source) -> impl IntoView {
    let state = use_state();
    let id = source.id;
    let reading = {
        let mut parts = vec![t::recognised(
            source.format,
            &source.recognised_by,
            source.json,
        )];
        if source.json.is_none() {
            parts.push(t::encoding_note(source.encoding.label(), source.separator));
        }
        if let Some(dates) = &source.dates {
            parts.push(t::date_reading(dates));
        }
        if source.replaced_characters {
            parts.push(t::REPLACED_CHARACTERS.to_string());
        }
        if source.blank_rows > 0 {
            parts.push(t::blank_rows(source.blank_rows));
        }
        parts.join("; ")
    };
    let problems = source.problems.clone();
    let skipped = source.skipped_rows;
    view! {
        <tr>
            <td class="file">{source.file.clone()}</td>
            <td>{t::format_label(source.format)}</td>
            <td class="num">{text::count(source.rows - source.duplicate_rows)}</td>
            <td class="num" class:warn={skipped > 0}>{text::count(skipped)}</td>
            <td class="num">{text::count(source.duplicate_rows)}</td>
            <td>{t::span(source.first_event, source.last_event)}</td>
            <td class="reading-note">{reading}</td>
            <td>
                <button
                    type="button"
                    class="button subtle"
                    aria-label=format!("{} {}", t::REMOVE, source.file)
                    on:click=move |_| state.remove_file(id)
                >
                    {t::REMOVE}
                </button>
            </td>
        </tr>
        {(!problems.is_empty()).then(|| {
            let shown = problems.len();
            view! {
                <tr class="problems">
                    <td colspan="8">
                        <details open=true>
                            <summary>
                                {format!("{} — {}", t::PROBLEMS_SUMMARY, t::more_problems(shown, skipped))}
                            </summary>
                            <ul>
                                {problems.iter().map(|p| view! { <li>{t::row_problem(p)}</li> }).collect_view()}
                            </ul>
                        </details>
                    </td>
                </tr>
            }
        })}
    }
}
