//! The rows table's filters and sort orders, applied to the compact model.

use rustc_hash::FxHashMap;

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
    /// Case-insensitive substring of the user.
    pub user_text: String,
    /// Exactly this user (set by "show rows" actions).
    pub user: Option<Sym>,
    /// Any of these Details texts (set by "show rows" on an issue).
    pub details: Vec<Sym>,
    /// Inclusive bounds.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub include_duplicates: bool,
}

impl Filter {
    pub fn is_default(&self) -> bool {
        *self == Filter::default()
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Time,
    User,
    Role,
    Kind,
    Methods,
    Result,
    Details,
    File,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Indices of the events that pass `filter`, in load order.
pub fn apply(data: &Dataset, filter: &Filter) -> Vec<u32> {
    let needle = filter.user_text.trim().to_lowercase();
    // Per-string answers are computed once, not per row.
    let mut user_match: FxHashMap<Sym, bool> = FxHashMap::default();
    let mut admin: FxHashMap<Sym, bool> = FxHashMap::default();
    let mut out = Vec::new();
    for (i, e) in data.events.iter().enumerate() {
        if e.duplicate && !filter.include_duplicates {
            continue;
        }
        if filter.kind.is_some_and(|k| k != e.kind)
            || filter.user.is_some_and(|u| u != e.user)
            || filter.from.is_some_and(|t| e.at < t)
            || filter.to.is_some_and(|t| e.at > t)
            || filter.family.is_some_and(|f| !e.methods.contains(f))
            || !(filter.results.is_empty() || e.result.is_some_and(|r| filter.results.contains(&r)))
            || !(filter.details.is_empty() || filter.details.contains(&e.detail))
        {
            continue;
        }
        if !needle.is_empty()
            && !*user_match
                .entry(e.user)
                .or_insert_with(|| data.strings.get(e.user).contains(&needle))
        {
            continue;
        }
        if filter.role != RoleFilter::Everyone {
            let is_admin = *admin
                .entry(e.role)
                .or_insert_with(|| is_admin_role(data.strings.get(e.role)));
            if is_admin != (filter.role == RoleFilter::Admins) {
                continue;
            }
        }
        out.push(i as u32);
    }
    out
}

/// Sorts row indices; ties keep time order, then load order.
pub fn sort(data: &Dataset, rows: &mut [u32], sort: Sort) {
    let events = &data.events;
    match sort.key {
        SortKey::Time => rows.sort_by_key(|&i| (events[i as usize].at, i)),
        SortKey::User => sort_by_text(data, rows, |e| e.user),
        SortKey::Role => sort_by_text(data, rows, |e| e.role),
        SortKey::Methods => sort_by_text(data, rows, |e| e.methods_text),
        SortKey::Details => sort_by_text(data, rows, |e| e.detail),
        SortKey::Kind => {
            rows.sort_by_key(|&i| (events[i as usize].kind as u8, events[i as usize].at, i))
        }
        SortKey::Result => rows.sort_by_key(|&i| {
            let e = &events[i as usize];
            (e.result.map_or(u8::MAX, |r| r as u8), e.at, i)
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
