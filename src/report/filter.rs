//! The rows table's filters and sort orders, applied to the compact model.

use std::sync::Arc;

use rustc_hash::FxHashSet;

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

/// A yes or no per string, worked out the first time it is asked, kept by symbol (a
/// hash lookup per row, for the user and the initiator, took most of a "user contains"
/// filter's time at a million events).
#[derive(Default)]
struct PerText(Vec<Option<bool>>);

impl PerText {
    fn get_or(&mut self, data: &Dataset, s: Sym, decide: impl FnOnce(&str) -> bool) -> bool {
        if self.0.is_empty() {
            self.0 = vec![None; data.strings.len()];
        }
        match self.0.get_mut(s.0 as usize) {
            Some(Some(known)) => *known,
            Some(slot) => *slot.insert(decide(data.strings.get(s))),
            None => decide(data.strings.get(s)),
        }
    }
}

/// Indices of the events that pass `filter`, in load order.
pub fn apply(data: &Dataset, filter: &Filter) -> Vec<u32> {
    let needle = filter.user_text.trim().to_ascii_lowercase();
    // Per-string answers are worked out once, not per row.
    let mut user_match = PerText::default();
    let mut admin = PerText::default();
    let activities: FxHashSet<Sym> = filter.activities.iter().copied().collect();
    let mut out = Vec::new();
    // One closure for both sources of rows (through an iterator object, each row was a
    // call through a pointer).
    let mut consider = |i: u32| {
        let Some(e) = data.events.get(i as usize) else {
            return;
        };
        if e.duplicate && !filter.include_duplicates {
            return;
        }
        if (!activities.is_empty() && !activities.contains(&e.activity_name))
            || filter
                .status
                .is_some_and(|s| e.kind != EventKind::Audit || e.status != s)
        {
            return;
        }
        if filter.kind.is_some_and(|k| k != e.kind)
            || filter.from.is_some_and(|t| e.at < t)
            || filter.to.is_some_and(|t| e.at > t)
            || filter.family.is_some_and(|f| !e.methods.contains(f))
            || !(filter.results.is_empty() || e.result.is_some_and(|r| filter.results.contains(&r)))
        {
            return;
        }
        if !needle.is_empty() {
            // Users are lower-case already; an app's display name keeps its case.
            let mut matches = |s: Sym| {
                user_match.get_or(data, s, |text| text.to_ascii_lowercase().contains(&needle))
            };
            if !matches(e.user) && !matches(e.actor) {
                return;
            }
        }
        if filter.role != RoleFilter::Everyone {
            let is_admin = admin.get_or(data, e.role, is_admin_role);
            if is_admin != (filter.role == RoleFilter::Admins) {
                return;
            }
        }
        out.push(i);
    };
    match &filter.rows {
        Some(rows) => rows.iter().for_each(|&i| consider(i)),
        None => (0..data.events.len() as u32).for_each(consider),
    }
    out
}

/// Sorts row indices; ties keep time order, then load order.
pub fn sort(data: &Dataset, rows: &mut [u32], sort: Sort) {
    sort_with(data, rows, sort, None);
}

/// [`sort`], with the order of a text column's values worked out before (for the same
/// data; an order for another column is not used).
pub fn sort_with(data: &Dataset, rows: &mut [u32], sort: Sort, order: Option<&TextOrder>) {
    let events = &data.events;
    match text_column(sort.key) {
        Some(pick) => {
            // An order for other data (with other strings) would rank wrongly: not used.
            let given = order
                .filter(|o| o.key == sort.key && o.rank.len() == data.strings.len())
                .map(|o| o.rank.as_slice());
            let ranked;
            let rank = match given {
                Some(rank) => rank,
                None => {
                    ranked = text_ranks(data, pick);
                    &ranked
                }
            };
            sort_by_rank(events, rows, |e| {
                rank.get(pick(e).0 as usize).copied().unwrap_or(0)
            });
        }
        None => match sort.key {
            SortKey::Kind => sort_by_rank(events, rows, |e| e.kind as u32),
            SortKey::Result => sort_by_rank(events, rows, |e| {
                let result = e.result.map_or(ResetResult::ALL.len(), |r| r as usize);
                (result * Status::ALL.len() + e.status as usize) as u32
            }),
            SortKey::File => sort_by_key(rows, |i| {
                let e = &events[i as usize];
                (u64::from(e.source.0) << 32 | u64::from(e.line), 0)
            }),
            SortKey::Time | SortKey::User | SortKey::Methods | SortKey::Details | SortKey::Who => {
                in_time_order(events, rows)
            }
        },
    }
    if sort.descending {
        rows.reverse();
    }
}

/// The text a column shows for an event.
type Pick = fn(&Event) -> Sym;

/// The columns sorted by their text, each with the text it shows for an event. The page
/// keeps one order of its texts per column, in this order.
pub(crate) const TEXT_COLUMNS: [(SortKey, Pick); 4] = [
    (SortKey::User, |e| e.user),
    (SortKey::Methods, |e| e.methods_text),
    (SortKey::Details, |e| e.detail),
    (SortKey::Who, |e| {
        if e.role.is_empty() {
            e.actor
        } else {
            e.role
        }
    }),
];

/// The text a text column shows for an event.
fn text_column(key: SortKey) -> Option<Pick> {
    TEXT_COLUMNS
        .iter()
        .find(|&&(column, _)| column == key)
        .map(|&(_, pick)| pick)
}

/// The order of a text column's values over all the events: each symbol's rank among
/// the column's distinct texts. Worked out once per data and column, it spares a sort by
/// the column after each filter change ranking the texts again (at a million audit
/// events, about half the time of a sort by user).
pub struct TextOrder {
    key: SortKey,
    rank: Vec<u32>,
}

impl TextOrder {
    /// The order for `key`'s column; `None` for a column that is not text.
    pub fn of(data: &Dataset, key: SortKey) -> Option<TextOrder> {
        let pick = text_column(key)?;
        let rank = text_ranks(data, pick);
        Some(TextOrder { key, rank })
    }
}

/// Each symbol of the column `pick` reads ranked among the column's distinct texts,
/// indexed by symbol; symbols not in the column are `u32::MAX` (no row asks for one).
/// The texts are sorted by their first sixteen bytes as one number, then (texts that
/// begin alike) by the whole text. (Sorted as texts, they were compared a byte at a time
/// in calls in the page's size-optimised build: at a million audit events, ranking the
/// users took 28 ms in Node; this way 17 ms.)
fn text_ranks(data: &Dataset, pick: Pick) -> Vec<u32> {
    const NONE: u32 = u32::MAX;
    let mut rank = vec![NONE; data.strings.len()];
    let mut texts: Vec<(u128, &str, u32)> = Vec::new();
    for s in data.events.iter().map(|e| pick(e).0) {
        if let Some(r) = rank.get_mut(s as usize).filter(|r| **r == NONE) {
            *r = 0;
            let text = data.strings.get(Sym(s));
            texts.push((super::order::text_prefix(text), text, s));
        }
    }
    texts.sort_unstable();
    for (r, &(_, _, s)) in texts.iter().enumerate() {
        rank[s as usize] = r as u32;
    }
    rank
}

/// Puts rows in time order, ties in load order.
fn in_time_order(events: &[Event], rows: &mut [u32]) {
    if !in_time_order_by_file(events, rows) {
        sort_by_key(rows, |i| (0, events[i as usize].at));
    }
}

/// Sorts rows by a small rank (a column's values in their order), ties in time order,
/// then load order. (The loops index slices, not vectors: in the page's size-optimised
/// build a vector's indexing and `push` were calls, ~a third of a sort at 1M in Node.)
fn sort_by_rank(events: &[Event], rows: &mut [u32], rank: impl Fn(&Event) -> u32) {
    in_time_order(events, rows);
    let mut ranks = vec![0u32; rows.len()];
    let (out, rows_now) = (ranks.as_mut_slice(), &*rows);
    for k in 0..out.len().min(rows_now.len()) {
        out[k] = events.get(rows_now[k] as usize).map_or(0, &rank);
    }
    by_rank(rows, &ranks);
}

/// Sorts rows in time order by their ranks (`ranks[k]` is `rows[k]`'s), keeping time
/// order within a rank: a stable counting sort. Rows are sorted this way, not by (rank,
/// time, row) keys, which at a million rows took 3–5 times as long (each pass over the
/// events reads ~100 MB; this reads them once, for the ranks).
fn by_rank(rows: &mut [u32], ranks: &[u32]) {
    // Where each rank's rows start: the count of each rank one place on, summed.
    let top = ranks.iter().copied().max().map_or(0, |r| r as usize + 1);
    let mut starts = vec![0u32; top + 1];
    let starts = starts.as_mut_slice();
    for &r in ranks {
        starts[r as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut sorted = vec![0; rows.len()];
    let out = sorted.as_mut_slice();
    for k in 0..rows.len().min(ranks.len()) {
        let start = &mut starts[ranks[k] as usize];
        out[*start as usize] = rows[k];
        *start += 1;
    }
    rows.copy_from_slice(&sorted);
}

/// Puts rows (in load order, so file by file) in time order, if each file's rows are in
/// time order or its reverse: each file's in one pass, then the files merged in pairs.
/// False (rows in some other order) when a file's are not: they need sorting.
fn in_time_order_by_file(events: &[Event], rows: &mut [u32]) -> bool {
    let key = |&i: &u32| (events[i as usize].at, i);
    let file_starts = (1..rows.len())
        .filter(|&k| events[rows[k] as usize].source != events[rows[k - 1] as usize].source);
    let mut bounds: Vec<usize> = std::iter::once(0)
        .chain(file_starts)
        .chain([rows.len()])
        .collect();
    for w in bounds.windows(2) {
        if !super::order::put_in_time_order(&mut rows[w[0]..w[1]], key) {
            return false;
        }
    }
    let mut scratch = Vec::new();
    while bounds.len() > 2 {
        let mut next = vec![0];
        for w in bounds.windows(3).step_by(2) {
            super::order::merge_runs(&mut rows[w[0]..w[2]], w[1] - w[0], &key, &mut scratch);
            next.push(w[2]);
        }
        if bounds.len() % 2 == 0 {
            // An odd number of runs: the last one waits for the next round.
            next.push(rows.len());
        }
        bounds = next;
    }
    true
}

/// Sorts rows by a key worked out once per row, then by the row itself: rows not in
/// time order file by file, and rows by file and line. Both go through this one sort of
/// one key type (a single copy of the sort in the download); the row makes each key
/// unique, so the order is the same as a stable sort's.
fn sort_by_key(rows: &mut [u32], key: impl Fn(u32) -> (u64, Millis)) {
    let mut keyed: Vec<(u64, Millis, u32)> = rows
        .iter()
        .map(|&i| {
            let (k, at) = key(i);
            (k, at, i)
        })
        .collect();
    keyed.sort_unstable();
    for (row, (_, _, i)) in rows.iter_mut().zip(keyed) {
        *row = i;
    }
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

    /// Rows sorted by `key` in both directions, against a stable sort by the columns'
    /// own values (ties: time, then load order), on rows with many ties.
    fn check_sort(key: SortKey, reference: impl Fn(&Dataset, u32) -> (u64, u64, Millis)) {
        let mut data = Dataset::default();
        let names: Vec<Sym> = ["carol", "alice", "bob"]
            .iter()
            .map(|n| data.strings.intern(n))
            .collect();
        let kinds = [
            EventKind::ResetAttempt,
            EventKind::Audit,
            EventKind::Registration,
        ];
        for k in 0..60usize {
            data.events.push(Event {
                at: (k % 7) as Millis * 1000,
                user: names[k % 3],
                detail: names[k % 2],
                result: (k % 4 != 0).then(|| ResetResult::ALL[k % 6]),
                status: Status::ALL[k % 4],
                source: super::super::model::SourceId((k % 2) as u16),
                line: (k % 5) as u32,
                ..Event::new(kinds[k % 3])
            });
        }
        let mut expected: Vec<u32> = (0..60).collect();
        expected.sort_by_key(|&i| (reference(&data, i), i));
        for descending in [false, true] {
            let mut rows: Vec<u32> = (0..60).collect();
            sort(&data, &mut rows, Sort { key, descending });
            if descending {
                rows.reverse();
            }
            assert_eq!(rows, expected, "{key:?}, descending {descending}");
        }
    }

    #[test]
    fn rows_sort_by_each_column_then_time_then_load_order() {
        let e = |d: &Dataset, i: u32| d.events[i as usize];
        check_sort(SortKey::Time, |d, i| (0, 0, e(d, i).at));
        check_sort(SortKey::Kind, |d, i| (e(d, i).kind as u64, 0, e(d, i).at));
        check_sort(SortKey::Result, |d, i| {
            let x = e(d, i);
            let result = x.result.map_or(u8::MAX, |r| r as u8);
            (u64::from(result), x.status as u64, x.at)
        });
        check_sort(SortKey::File, |d, i| {
            let x = e(d, i);
            (u64::from(x.source.0), u64::from(x.line), 0)
        });
        // "alice" < "bob" < "carol", whatever order they were interned in.
        let rank = |d: &Dataset, s: Sym| match d.strings.get(s) {
            "alice" => 0,
            "bob" => 1,
            _ => 2,
        };
        check_sort(SortKey::User, |d, i| (rank(d, e(d, i).user), 0, e(d, i).at));
        check_sort(SortKey::Details, |d, i| {
            (rank(d, e(d, i).detail), 0, e(d, i).at)
        });
    }

    /// Every sort gives what one sort by (the column's order, time, row) gives, for rows
    /// of several files in and out of time order, given in any order: 3,000 rows
    /// generated from a fixed seed, all of them and every third in shuffled order.
    #[test]
    fn rows_sort_as_one_sort_by_column_time_and_row_would() {
        let mut seed = 7_u64;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut data = Dataset::default();
        // Short names, and long ones that share their first 8 bytes or more.
        let names: Vec<Sym> = [
            "carol",
            "Alice",
            "bob",
            "alice",
            "",
            "zoë",
            "Bob",
            "olga.karlsson34@contoso.com",
            "olga.karlsson4@contoso.com",
            "olga.kar",
            "olga.karlsson34@contoso.co",
            "olga.ka",
        ]
        .iter()
        .map(|n| data.strings.intern(n))
        .collect();
        let n = names.len() as u64;
        for k in 0..3_000_u64 {
            // Files 0 and 2 in time order (2 newest first), file 1 in none.
            let file = k * 3 / 3_000;
            let at = match file {
                0 => (k / 4) as i64,
                1 => next(500) as i64,
                _ => 3_000 - (k / 3) as i64,
            };
            data.events.push(Event {
                at,
                user: names[next(n) as usize],
                detail: names[next(n) as usize],
                result: (next(4) != 0).then(|| ResetResult::ALL[next(6) as usize]),
                status: Status::ALL[next(4) as usize],
                source: super::super::model::SourceId(file as u16),
                line: k as u32,
                ..Event::new([EventKind::Audit, EventKind::ResetAttempt][next(2) as usize])
            });
        }
        let text = |s: Sym| data.strings.get(s).to_string();
        let mut shuffled: Vec<u32> = (0..3_000).step_by(3).collect();
        for k in (1..shuffled.len()).rev() {
            shuffled.swap(k, next(k as u64 + 1) as usize);
        }
        for rows in [(0..3_000).collect::<Vec<u32>>(), shuffled] {
            for key in [
                SortKey::Time,
                SortKey::User,
                SortKey::Details,
                SortKey::Kind,
                SortKey::Result,
            ] {
                let column = |i: u32| {
                    let e = &data.events[i as usize];
                    match key {
                        SortKey::User => (text(e.user), 0),
                        SortKey::Details => (text(e.detail), 0),
                        SortKey::Kind => (String::new(), e.kind as u32),
                        SortKey::Result => {
                            let result = e.result.map_or(1_000, |r| r as u32);
                            (String::new(), result * 8 + e.status as u32)
                        }
                        _ => (String::new(), 0),
                    }
                };
                let mut expected = rows.clone();
                expected.sort_by_key(|&i| (column(i), data.events[i as usize].at, i));
                let mut sorted = rows.clone();
                sort(
                    &data,
                    &mut sorted,
                    Sort {
                        key,
                        descending: false,
                    },
                );
                assert_eq!(sorted, expected, "{key:?}");
                // The same with the column's order worked out beforehand.
                let order = TextOrder::of(&data, key);
                assert_eq!(
                    order.is_some(),
                    matches!(key, SortKey::User | SortKey::Details)
                );
                assert_eq!(order.is_some(), TEXT_COLUMNS.iter().any(|&(k, _)| k == key));
                let mut sorted = rows.clone();
                let ascending = Sort {
                    key,
                    descending: false,
                };
                sort_with(&data, &mut sorted, ascending, order.as_ref());
                assert_eq!(sorted, expected, "{key:?}, ordered beforehand");
            }
        }
    }

    /// Rows of three files, each file's times given: sorted by time, ties in load order.
    fn check_time_sort(files: &[&[Millis]]) {
        let mut data = Dataset::default();
        for (f, times) in files.iter().enumerate() {
            for &at in *times {
                data.events.push(Event {
                    at,
                    source: super::super::model::SourceId(f as u16),
                    ..Event::new(EventKind::Audit)
                });
            }
        }
        let n = data.events.len() as u32;
        let mut expected: Vec<u32> = (0..n).collect();
        expected.sort_by_key(|&i| (data.events[i as usize].at, i));
        let mut rows: Vec<u32> = (0..n).collect();
        sort(&data, &mut rows, Sort::default());
        assert_eq!(rows, expected, "{files:?}");
    }

    #[test]
    fn rows_of_several_files_sort_by_time_whether_each_file_is_in_order_or_not() {
        // In order, in reverse (with equal times), in order: merged.
        check_time_sort(&[&[1, 4, 4, 9], &[8, 5, 5, 5, 2, 0], &[3, 4, 10], &[]]);
        check_time_sort(&[&[7], &[1, 2], &[9, 8], &[4, 4], &[0]]);
        // A file in no order: sorted.
        check_time_sort(&[&[1, 4, 9], &[5, 8, 2, 7], &[3, 6]]);
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
