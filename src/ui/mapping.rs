//! The column-mapping step: a CSV whose header no format knows (a portal set to another
//! language, a custom export) is not a dead end. The user assigns the columns the viewer
//! needs, sees a preview, and loads it.

use leptos::prelude::*;

use super::state::{use_state, PendingMapping, PendingSource};
use crate::browser::jobs::Work;
use crate::report::formats::mapped::Role;
use crate::report::formats::normalise_header;
use crate::report::ingest;
use crate::text::en as t;

/// Header fragments (normalised, several languages) that suggest a role.
fn hints(role: Role) -> &'static [&'static str] {
    match role {
        Role::Time => &[
            "dateutc", "fecha", "date", "datum", "time", "hora", "tid", "日期", "時間",
        ],
        Role::User => &[
            "target1userprincipalname",
            "userprincipalname",
            "user",
            "usuario",
            "gebruiker",
            "användare",
            "upn",
            "使用者",
        ],
        Role::Activity => &[
            "activity",
            "actividad",
            "activit",
            "aktivit",
            "operation",
            "活動",
        ],
        Role::Service => &["service", "servicio", "dienst", "tjänst", "服務"],
        Role::Result => &[
            "result",
            "resultado",
            "resultaat",
            "ergebnis",
            "status",
            "estado",
            "結果",
        ],
        Role::Reason => &[
            "reason", "motivo", "reden", "grund", "details", "detalles", "原因",
        ],
        Role::Methods => &["method", "método", "metod", "dataregistered", "方法"],
        Role::UserRole => &["role", "rol", "roll", "角色"],
        Role::Correlation => &["correlation", "correlación", "correlatie", "相互關聯"],
        Role::Actor => &["actoruserprincipalname", "initiatedby", "actor", "iniciado"],
        Role::Ip => &["ipaddress", "ip", "direcciónip"],
    }
}

/// A first guess: each role takes the first unused column whose name hints at it.
fn guess(header: &[String]) -> Vec<Option<usize>> {
    let names: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let mut used = vec![false; header.len()];
    Role::ALL
        .iter()
        .map(|&role| {
            let found = hints(role).iter().find_map(|hint| {
                names
                    .iter()
                    .enumerate()
                    .position(|(i, n)| !used[i] && n.contains(hint))
            });
            if let Some(i) = found {
                used[i] = true;
            }
            found
        })
        .collect()
}

#[component]
pub fn MappingDialog() -> impl IntoView {
    let state = use_state();
    // The form stays (with the user's choices) while other files join the queue.
    let head = Memo::new(move |_| state.pending.with(|p| p.first().cloned()));
    move || {
        let pending = head.get()?;
        Some(view! { <MappingForm pending=pending/> })
    }
}

#[component]
fn MappingForm(pending: PendingMapping) -> impl IntoView {
    let state = use_state();
    let header = pending.preview.header.clone();
    let mapping = RwSignal::new(guess(&header));
    let id = pending.id;
    let file = pending.file.clone();
    let source = pending.source.clone();
    let ready = move || {
        mapping.with(|m| {
            m[Role::Time as usize].is_some()
                && (m[Role::User as usize].is_some() || m[Role::Activity as usize].is_some())
        })
    };
    let load = move |_| {
        let at = mapping.get_untracked();
        state.pending.update(|p| p.retain(|m| m.id != id));
        match &source {
            PendingSource::File(f) => {
                let f: web_sys::File = (**f).clone();
                let size = f.size();
                if !state.read_in_worker(&file, size, Work::File(f, Some(at))) {
                    state.push_error(&file, t::FILE_UNREADABLE);
                }
            }
            PendingSource::Bytes(bytes) => {
                let outcome = state.update_data(|d| ingest::load_mapped(d, &file, bytes, &at));
                if let Some(Err(error)) = outcome {
                    state.push_error(&file, &t::load_error(&error));
                }
            }
        }
    };
    let cancel = move |_| state.pending.update(|p| p.retain(|m| m.id != id));
    let selects = Role::ALL
        .into_iter()
        .enumerate()
        .map(|(r, role)| {
            let options = header
                .iter()
                .enumerate()
                .map(|(i, h)| view! { <option value=i.to_string()>{format!("{} · {h}", i + 1)}</option> })
                .collect_view();
            view! {
                <label>
                    {t::role_label(role)} {role.required().then_some(" *")}
                    <select
                        data-role=r.to_string()
                        prop:value=move || mapping.with(|m| m[r].map(|i| i.to_string()).unwrap_or_default())
                        on:change=move |e| {
                            let value = event_target_value(&e).parse::<usize>().ok();
                            mapping.update(|m| m[r] = value);
                        }
                    >
                        <option value="">{t::NOT_IN_FILE}</option>
                        {options}
                    </select>
                </label>
            }
        })
        .collect_view();
    let rows = pending.preview.rows.clone();
    let preview = move || {
        let m = mapping.get();
        let used: Vec<(Role, usize)> = Role::ALL
            .iter()
            .zip(&m)
            .filter_map(|(r, i)| Some((*r, (*i)?)))
            .collect();
        let head = used
            .iter()
            .map(|(r, _)| view! { <th scope="col">{t::role_label(*r)}</th> })
            .collect_view();
        let body = rows
            .iter()
            .map(|row| {
                let cells = used
                    .iter()
                    .map(|(_, i)| view! { <td>{row.get(*i).cloned().unwrap_or_default()}</td> })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        view! { <table class="compact" id="mapping-preview"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table> }
    };
    view! {
        <section class="mapping" id="mapping" role="dialog" aria-labelledby="mapping-heading">
            <h2 id="mapping-heading">{t::mapping_heading(&pending.file)}</h2>
            <p>{t::MAPPING_INTRO}</p>
            <div class="filters">{selects}</div>
            <p class="hint">{t::MAPPING_PREVIEW}</p>
            <div class="scroll">{preview}</div>
            <div class="section-head">
                <button id="mapping-load" type="button" class="button primary" disabled=move || !ready() on:click=load>{t::MAPPING_LOAD}</button>
                <button type="button" class="button" on:click=cancel>{t::MAPPING_CANCEL}</button>
            </div>
        </section>
    }
}
