//! Every field of the clicked row, with what the viewer made of it.

use leptos::prelude::*;

use super::state::use_state;
use crate::report::activity::ActivityGroup;
use crate::report::answers::{is_admin_role, IssueKey};
use crate::report::dates::format_iso;
use crate::report::model::EventKind;
use crate::text::en as t;

#[component]
pub fn RowDetail() -> impl IntoView {
    let state = use_state();
    move || {
        let i = state.selected.get()?;
        let fields = state.data.with(|d| {
            let e = d.events.get(i as usize)?;
            let source = d.source(e.source);
            let detail = d.strings.get(e.detail);
            let documented = match IssueKey::of(e.detail, detail) {
                IssueKey::Documented(id) => Some(id.entry()),
                IssueKey::Unknown(_) => None,
            };
            let text = |sym| d.strings.get(sym).to_string();
            let role = d.strings.get(e.role);
            let families: Vec<&str> = e.methods.iter().map(t::family_label).collect();
            let mut fields = vec![
                (
                    t::COL_FILE,
                    source.map_or(String::new(), |s| s.file.clone()),
                ),
                (t::COL_LINE, e.line.to_string()),
                (
                    t::COL_KIND,
                    source.map_or("", |s| t::format_label(s.format)).to_string(),
                ),
                (
                    t::COL_TIME,
                    if e.at == 0 {
                        t::NO_TIME.to_string()
                    } else {
                        format_iso(e.at)
                    },
                ),
                (t::COL_USER, text(e.user)),
            ];
            if !role.is_empty() || e.kind != EventKind::Audit {
                let who = if is_admin_role(role) {
                    t::FILTER_ADMINS
                } else {
                    t::FILTER_USERS
                };
                fields.push((t::COL_ROLE, format!("{role} ({who})")));
            }
            if e.kind == EventKind::Audit {
                fields.push((t::COL_ACTIVITY_NAME, text(e.activity_name)));
                fields.push((t::COL_SERVICE, t::service_label(e.service).to_string()));
                fields.push((t::COL_STATUS, t::status_label(e.status).to_string()));
                fields.push((t::COL_CORRELATION, text(e.correlation)));
                fields.push((t::COL_INITIATED_BY, text(e.actor)));
                fields.push((t::COL_IP, text(e.ip)));
                if e.activity.group() == ActivityGroup::Other {
                    fields.push((t::COL_ANSWERED, t::NOT_ANSWERED.to_string()));
                }
            }
            if e.kind == EventKind::RegistrationState {
                let registered = if e.sspr_registered {
                    t::STATE_REGISTERED
                } else {
                    t::STATE_NOT_REGISTERED
                };
                fields.push((t::COL_STATUS, registered.to_string()));
                fields.push((
                    t::COL_IS_ADMIN,
                    if e.admin { t::YES } else { t::NO }.to_string(),
                ));
            }
            if e.kind != EventKind::Audit || !e.methods_text.is_empty() {
                fields.push((t::COL_METHODS, text(e.methods_text)));
            }
            fields.push((t::COL_METHOD_FAMILIES, families.join(", ")));
            if let Some(result) = e.result {
                fields.push((t::COL_RESULT, t::result_label(result).to_string()));
            }
            if e.result.is_some() || !detail.is_empty() {
                let label = if e.kind == EventKind::Audit {
                    t::COL_REASON
                } else {
                    t::COL_SENTENCE
                };
                fields.push((label, detail.to_string()));
                // The documented sentences are reset outcomes: say so only for attempts,
                // or where a sentence matched.
                if e.result.is_some() || documented.is_some() {
                    fields.push((
                        t::COL_DOCUMENTED_AS,
                        documented
                            .map_or(t::UNDOCUMENTED.to_string(), |doc| doc.sentence.to_string()),
                    ));
                }
                if let Some(fix) = documented.and_then(|doc| doc.fix) {
                    fields.push((t::COL_FIX, fix.to_string()));
                }
            }
            if e.duplicate {
                fields.push((t::COL_DUPLICATES, t::DUPLICATE_NOTE.to_string()));
            }
            Some(fields)
        })?;
        Some(view! {
            <aside class="row-detail" id="row-detail" aria-labelledby="row-detail-heading">
                <div class="section-head">
                    <h3 id="row-detail-heading">{t::ROW_DETAIL_HEADING}</h3>
                    <button type="button" class="button subtle" on:click=move |_| state.selected.set(None)>{t::CLOSE}</button>
                </div>
                <dl>
                    {fields.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                </dl>
            </aside>
        })
    }
}
