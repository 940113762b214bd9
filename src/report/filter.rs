//! The rows table's filters and sort orders, applied to the compact model.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::activity::Status;
use super::answers::is_admin_role;
use super::dates::Millis;
use super::intern::Sym;
use super::methods::MethodFamily;
use super::model::{Dataset, Event, EventKind};
use super::outcome::ResetResult;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleFilter {
    #[default]
    Everyone,
    Admins,
    Users,
}

/// Raw filter inputs; the default shows every counted row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<EventKind>,
    /// Empty: any result.
    pub results: Vec<ResetResult>,
    pub family: Option<MethodFamily>,
    pub role: RoleFilter,
    /// Case-insensitive substring of the user (or, for audit events, the initiator).
    pub user_text: String,
    /// Inclusive bounds.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub include_duplicates: bool,
    /// Audit events: any of these activity names (empty: any).
    pub activities: Vec<Sym>,
    /// Audit events: this status.
    pub status: Option<Status>,
    /// Exactly these rows (the rows behind a number), sorted; and what they are.
    pub rows: Option<Arc<Vec<u32>>>,
    pub rows_label: String,
}

impl Filter {
    pub fn is_default(&self) -> bool {
        *self == Filter::default()
    }

    /// Only `rows`, labelled: what a "show rows" action sets.
    pub fn rows_behind(label: impl Into<String>, rows: Vec<u32>) -> Filter {
        Filter {
            rows: Some(Arc::new(rows)),
            rows_label: label.into(),
            include_duplicates: true,
            ..Filter::default()
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Time,
    User,
    Kind,
    Methods,
    Result,
    Details,
    File,
    Who,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Indices of the events that pass `filter`, in load order.
pub fn apply(data: &Dataset, filter: &Filter) -> Vec<u32> {
    let needle = filter.user_text.trim().to_ascii_lowercase();
    // Per-string answers are computed once, not per row.
    let mut user_match: FxHashMap<Sym, bool> = FxHashMap::default();
    let mut admin: FxHashMap<Sym, bool> = FxHashMap::default();
    let activities: FxHashSet<Sym> = filter.activities.iter().copied().collect();
    let mut out = Vec::new();
    let all: Box<dyn Iterator<Item = u32>> = match &filter.rows {
        Some(rows) => Box::new(rows.iter().copied()),
        None => Box::new(0..data.events.len() as u32),
    };
    for i in all {
        let Some(e) = data.events.get(i as usize) else {
            continue;
        };
        if e.duplicate && !filter.include_duplicates {
            continue;
        }
        if (!activities.is_empty() && !activities.contains(&e.activity_name))
            || filter
                .status
                .is_some_and(|s| e.kind != EventKind::Audit || e.status != s)
        {
            continue;
        }
        if filter.kind.is_some_and(|k| k != e.kind)
            || filter.from.is_some_and(|t| e.at < t)
            || filter.to.is_some_and(|t| e.at > t)
            || filter.family.is_some_and(|f| !e.methods.contains(f))
            || !(filter.results.is_empty() || e.result.is_some_and(|r| filter.results.contains(&r)))
        {
            continue;
        }
        if !needle.is_empty() {
            // Users are lower-case already; an app's display name keeps its case.
            let mut matches = |s: Sym| {
                *user_match
                    .entry(s)
                    .or_insert_with(|| data.strings.get(s).to_ascii_lowercase().contains(&needle))
            };
            if !matches(e.user) && !matches(e.actor) {
                continue;
            }
        }
        if filter.role != RoleFilter::Everyone {
            let is_admin = *admin
                .entry(e.role)
                .or_insert_with(|| is_admin_role(data.strings.get(e.role)));
            if is_admin != (filter.role == RoleFilter::Admins) {
                continue;
            }
        }
        out.push(i);
    }
    out
}

/// Sorts row indices; ties keep time order, then load order.
pub fn sort(data: &Dataset, rows: &mut [u32], sort: Sort) {
    let events = &data.events;
    match sort.key {
        SortKey::Time => super::order::sort_by_time(rows, |&i| (events[i as usize].at, i)),
        SortKey::User => sort_by_text(data, rows, |e| e.user),
        SortKey::Methods => sort_by_text(data, rows, |e| e.methods_text),
        SortKey::Details => sort_by_text(data, rows, |e| e.detail),
        SortKey::Who => sort_by_text(
            data,
            rows,
            |e| if e.role.is_empty() { e.actor } else { e.role },
        ),
        SortKey::Kind => {
            rows.sort_by_key(|&i| (events[i as usize].kind as u8, events[i as usize].at, i))
        }
        SortKey::Result => rows.sort_by_key(|&i| {
            let e = &events[i as usize];
            (
                e.result.map_or(u8::MAX, |r| r as u8),
                e.status as u8,
                e.at,
                i,
            )
        }),
        SortKey::File => rows.sort_by_key(|&i| {
            let e = &events[i as usize];
            (e.source, e.line, i)
        }),
    }
    if sort.descending {
        rows.reverse();
    }
}

/// Sorts by an interned text: the distinct strings are ordered once, rows by their rank.
fn sort_by_text(data: &Dataset, rows: &mut [u32], pick: fn(&Event) -> Sym) {
    let events = &data.events;
    let mut syms: Vec<Sym> = rows.iter().map(|&i| pick(&events[i as usize])).collect();
    syms.sort_unstable();
    syms.dedup();
    syms.sort_by(|a, b| data.strings.get(*a).cmp(data.strings.get(*b)));
    let ranks: FxHashMap<Sym, u32> = syms
        .into_iter()
        .enumerate()
        .map(|(r, s)| (s, r as u32))
        .collect();
    rows.sort_by_key(|&i| {
        let e = &events[i as usize];
        (ranks[&pick(e)], e.at, i)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows whose user or initiator contains `needle`, among a user's event and an
    /// app-initiated one.
    fn check(needle: &str, expected: &[u32]) {
        let mut data = Dataset::default();
        let user = data.strings.intern("alice@contoso.com");
        let app = data.strings.intern("Microsoft password reset service");
        data.events.push(Event {
            user,
            actor: user,
            ..Event::new(EventKind::Audit)
        });
        data.events.push(Event {
            user,
            actor: app,
            ..Event::new(EventKind::Audit)
        });
        data.events.push(Event {
            actor: app,
            ..Event::new(EventKind::Audit)
        });
        let filter = Filter {
            user_text: needle.to_string(),
            ..Filter::default()
        };
        assert_eq!(apply(&data, &filter), expected, "{needle:?}");
    }

    #[test]
    fn user_text_ignores_case_in_users_and_app_initiators() {
        check("alice", &[0, 1]);
        check("ALICE@Contoso", &[0, 1]);
        check("microsoft", &[1, 2]);
        check("Microsoft Password", &[1, 2]);
        check("RESET SERVICE", &[1, 2]);
        check("bob", &[]);
        check("  ", &[0, 1, 2]);
    }
}
