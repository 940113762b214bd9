//! The activity-type filter: every audit activity present in the loaded data, grouped by
//! service, with counts. Activities marked "other" are browsable but never answered.

use leptos::prelude::*;
use rustc_hash::FxHashMap;

use super::state::{timed, use_state, Part};
use crate::report::activity::{ActivityGroup, Service};
use crate::report::intern::Sym;
use crate::report::model::{Dataset, EventKind};
use crate::text::{self, en as t};

#[derive(Clone, PartialEq)]
struct ActivityCount {
    name: Sym,
    label: String,
    count: u64,
    answered: bool,
}

#[component]
pub fn ActivityFilter() -> impl IntoView {
    let state = use_state();
    // A pass over every row: drawn with the rows (see `Part`). With the charts, that part
    // took up to 44 ms of script at a million events; the rows' part 18.
    let groups = Memo::new(move |_| {
        if !state.drawn_to(Part::Rows) {
            return Vec::new();
        }
        timed("activities", || state.data.with(activity_groups))
    });
    let toggle = move |name: Sym, on: bool| {
        state.set_filter(|f| {
            f.activities.retain(|a| *a != name);
            if on {
                f.activities.push(name);
            }
        })
    };
    view! {
        <Show when=move || groups.with(|g| !g.is_empty())>
            <details class="activity-filter" open=true>
                <summary>{t::ACTIVITY_FILTER} " " {move || t::activities_selected(state.filter.with(|f| f.activities.len()))}</summary>
                <div class="activity-groups" id="activity-filter">
                    {move || {
                        groups
                            .get()
                            .into_iter()
                            .map(|(service, list)| {
                                let total: u64 = list.iter().map(|a| a.count).sum();
                                view! {
                                    <fieldset>
                                        <legend>{format!("{} ({})", t::service_label(service), text::count(total))}</legend>
                                        {list
                                            .into_iter()
                                            .map(|a| {
                                                let name = a.name;
                                                let checked = move || state.filter.with(|f| f.activities.contains(&name));
                                                view! {
                                                    <label class="check" class:other=!a.answered>
                                                        <input type="checkbox" prop:checked=checked on:change=move |e| toggle(name, event_target_checked(&e))/>
                                                        {format!("{} ({})", a.label, text::count(a.count))}
                                                        {(!a.answered).then(|| view! { <span class="tag">{t::NOT_ANSWERED}</span> })}
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </details>
        </Show>
    }
}

/// The audit activities of the counted rows, by service, most frequent first.
fn activity_groups(d: &Dataset) -> Vec<(Service, Vec<ActivityCount>)> {
    let mut counts: FxHashMap<(Service, Sym), (u64, bool)> = FxHashMap::default();
    for e in d.counted().filter(|e| e.kind == EventKind::Audit) {
        let entry = counts
            .entry((e.service, e.activity_name))
            .or_insert((0, e.activity.group() != ActivityGroup::Other));
        entry.0 += 1;
    }
    let mut by_service: Vec<(Service, Vec<ActivityCount>)> = Vec::new();
    for service in Service::ALL {
        let mut list: Vec<ActivityCount> = counts
            .iter()
            .filter(|((s, _), _)| *s == service)
            .map(|((_, name), (count, answered))| ActivityCount {
                name: *name,
                label: d.strings.get(*name).to_string(),
                count: *count,
                answered: *answered,
            })
            .collect();
        crate::report::order::sort_by(&mut list, |a, b| {
            b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label))
        });
        if !list.is_empty() {
            by_service.push((service, list));
        }
    }
    by_service
}
