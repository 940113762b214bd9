//! The compact in-memory model: a [`Dataset`] holds every loaded [`Source`] and one
//! [`Event`] per row read — small ids and integer times, strings interned once.
//! Rows present in several files are marked `duplicate` and counted once.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::activity::{Activity, Service, Status};
use super::dates::{DateReading, Millis, SECOND};
use super::decode::TextEncoding;
use super::formats::FormatId;
use super::intern::{Interner, Sym};
use super::methods::MethodSet;
use super::outcome::ResetResult;
use super::problems::RowProblem;

/// What a row records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// One row of the classic reset activity report: one reset attempt.
    ResetAttempt,
    /// One registration of authentication data (classic report, portal events).
    Registration,
    /// One audit-log record; `activity` says what it records.
    Audit,
    /// One user's registration state from a registration-details export.
    RegistrationState,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::ResetAttempt,
        EventKind::Registration,
        EventKind::Audit,
        EventKind::RegistrationState,
    ];
}

/// A stable handle to a loaded file; never reused within a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub u16);

/// One row, in 56 bytes: times are integers, texts are interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Millis,
    /// Lower-case user principal name: the user the row is about (the target).
    pub user: Sym,
    pub role: Sym,
    /// The method cell as written (`Alternate Email + Mobile Phone`).
    pub methods_text: Sym,
    /// The Details / ResultReason / failure reason as written.
    pub detail: Sym,
    /// Audit: the activity's display name as written.
    pub activity_name: Sym,
    /// Audit: the CorrelationId shared by the events of one action.
    pub correlation: Sym,
    /// Audit: who initiated it (lower-case UPN, or an app's display name).
    pub actor: Sym,
    /// Audit: the initiator's IP address.
    pub ip: Sym,
    /// 1-based line of the row in its file.
    pub line: u32,
    pub source: SourceId,
    pub kind: EventKind,
    pub activity: Activity,
    pub service: Service,
    pub status: Status,
    pub result: Option<ResetResult>,
    pub methods: MethodSet,
    /// Registration state: the user is an administrator.
    pub admin: bool,
    /// Registration state: the user is registered for self-service password reset.
    pub sspr_registered: bool,
    /// The same row was read from an earlier-loaded file; it is shown but not counted.
    pub duplicate: bool,
}

impl Event {
    /// Its eight strings, always in this order (the wire format's).
    pub fn texts(&self) -> [Sym; 8] {
        [
            self.user,
            self.role,
            self.methods_text,
            self.detail,
            self.activity_name,
            self.correlation,
            self.actor,
            self.ip,
        ]
    }

    /// Its eight strings to change, in the order of [`Self::texts`].
    pub fn texts_mut(&mut self) -> [&mut Sym; 8] {
        [
            &mut self.user,
            &mut self.role,
            &mut self.methods_text,
            &mut self.detail,
            &mut self.activity_name,
            &mut self.correlation,
            &mut self.actor,
            &mut self.ip,
        ]
    }

    pub fn new(kind: EventKind) -> Event {
        Event {
            at: 0,
            user: Sym::EMPTY,
            role: Sym::EMPTY,
            methods_text: Sym::EMPTY,
            detail: Sym::EMPTY,
            activity_name: Sym::EMPTY,
            correlation: Sym::EMPTY,
            actor: Sym::EMPTY,
            ip: Sym::EMPTY,
            line: 0,
            source: SourceId(0),
            kind,
            activity: Activity::Other,
            service: Service::Other,
            status: Status::Other,
            result: None,
            methods: MethodSet::EMPTY,
            admin: false,
            sspr_registered: false,
            duplicate: false,
        }
    }

    /// The identity of a row's content, for spotting the same row in two files. Audit
    /// records are the same event when correlation, activity, time (to the second:
    /// formats differ in precision), target and reason agree.
    fn content_key(&self) -> ContentKey {
        match self.kind {
            EventKind::Audit => ContentKey {
                at: self.at.div_euclid(SECOND),
                texts: [
                    self.correlation,
                    self.activity_name,
                    self.user,
                    self.detail,
                    Sym::EMPTY,
                ],
                kind: self.kind,
                result: None,
                flags: 0,
            },
            _ => ContentKey {
                at: self.at,
                texts: [
                    self.user,
                    self.role,
                    self.methods_text,
                    self.detail,
                    self.activity_name,
                ],
                kind: self.kind,
                result: self.result,
                flags: u8::from(self.admin)
                    | u8::from(self.sspr_registered) << 1
                    | (self.status as u8) << 2,
            },
        }
    }
}

/// A read file being added to the data a slice at a time (see [`Adding::step`]);
/// [`Dataset::add`] adds one at once. By the rule for copies (a later file's copies
/// count only beyond the most copies any earlier file had), the marks of rows already
/// loaded do not change: only the new file's rows are marked, against the most copies of
/// each that one earlier file holds. Rows are copies only if their times agree, so only
/// the rows of earlier files whose times overlap the new file's are counted; with none,
/// the file goes in at once. The data must not be cleared meanwhile (its strings go);
/// any other change makes the copies be counted again.
pub struct Adding {
    source: Source,
    events: Vec<Event>,
    stage: AddStage,
    /// Some of `events` may be marked as copies.
    marked: bool,
}

enum AddStage {
    /// Not started: are there earlier files to look at?
    Start,
    /// Collecting the new rows' contents, from `next` on.
    Keys(FxHashMap<ContentKey, Copies>, usize),
    /// Counting the copies in earlier files (those in `files`), from row `next` of the
    /// data at `revision` on.
    Earlier {
        keys: FxHashMap<ContentKey, Copies>,
        files: Vec<SourceId>,
        next: usize,
        revision: u64,
    },
    /// Marking the new rows, from `next` on (the counts are for the data at `revision`).
    Marking {
        keys: FxHashMap<ContentKey, Copies>,
        next: usize,
        revision: u64,
    },
    /// Marked against the data at `revision`: to be put in (a step of its own, see
    /// [`Adding::whole_next`]).
    Put(u64),
    /// In the data, as this source.
    Done(SourceId),
}

/// Copies of one row content, counted file by file in load order.
#[derive(Default)]
struct Copies {
    /// The most copies one of the files before `file` holds.
    kept: u32,
    /// The file being counted, and its copies so far.
    file: Option<SourceId>,
    in_file: u32,
}

impl Copies {
    /// Counts one more copy, in `file`; whether earlier files hold it already.
    fn count(&mut self, file: SourceId) -> bool {
        if self.file != Some(file) {
            self.kept = self.kept.max(self.in_file);
            self.file = Some(file);
            self.in_file = 0;
        }
        self.in_file += 1;
        self.in_file <= self.kept
    }
}

impl Adding {
    pub fn new(source: Source, events: Vec<Event>) -> Adding {
        Adding {
            source,
            events,
            stage: AddStage::Start,
            marked: false,
        }
    }

    /// Whether the next step puts the rows into the data (moving them: at a million
    /// rows, tens of ms): a caller that yields between slices can give it a slice of
    /// its own.
    pub fn whole_next(&self) -> bool {
        matches!(self.stage, AddStage::Put(_))
    }

    /// Does about `budget` rows' worth of work; the new file's id once it is in the data.
    pub fn step(&mut self, data: &mut Dataset, budget: usize) -> Option<SourceId> {
        let budget = budget.max(1);
        let stage = std::mem::replace(&mut self.stage, AddStage::Start);
        self.stage = match stage {
            AddStage::Done(id) => AddStage::Done(id),
            // No earlier rows left: within one file every row counts.
            _ if data.events.is_empty() => self.put(data),
            AddStage::Start => match self.files(data) {
                files if files.is_empty() => self.put(data),
                _ => AddStage::Keys(FxHashMap::default(), 0),
            },
            AddStage::Keys(mut keys, next) => {
                let end = next.saturating_add(budget).min(self.events.len());
                for e in &self.events[next..end] {
                    keys.entry(e.content_key()).or_default();
                }
                if end < self.events.len() {
                    AddStage::Keys(keys, end)
                } else {
                    self.earlier(data, keys)
                }
            }
            AddStage::Earlier { keys, revision, .. } if revision != data.revision => {
                self.earlier(data, keys)
            }
            AddStage::Earlier {
                mut keys,
                files,
                next,
                revision,
            } => {
                let end = next.saturating_add(budget).min(data.events.len());
                for e in &data.events[next..end] {
                    if !files.contains(&e.source) {
                        continue;
                    }
                    if let Some(c) = keys.get_mut(&e.content_key()) {
                        c.count(e.source);
                    }
                }
                if end < data.events.len() {
                    AddStage::Earlier {
                        keys,
                        files,
                        next: end,
                        revision,
                    }
                } else {
                    AddStage::Marking {
                        keys,
                        next: 0,
                        revision,
                    }
                }
            }
            AddStage::Marking { keys, revision, .. } if revision != data.revision => {
                self.earlier(data, keys)
            }
            AddStage::Marking {
                mut keys,
                next,
                revision,
            } => {
                self.marked = true;
                let id = self.source.id;
                let end = next.saturating_add(budget).min(self.events.len());
                for e in &mut self.events[next..end] {
                    if let Some(c) = keys.get_mut(&e.content_key()) {
                        e.duplicate = c.count(id);
                    }
                }
                if end < self.events.len() {
                    AddStage::Marking {
                        keys,
                        next: end,
                        revision,
                    }
                } else {
                    AddStage::Put(revision)
                }
            }
            AddStage::Put(revision) if revision != data.revision => {
                self.earlier(data, FxHashMap::default())
            }
            AddStage::Put(_) => self.put(data),
        };
        match self.stage {
            AddStage::Done(id) => Some(id),
            _ => None,
        }
    }

    /// The earlier files whose rows may be copies of the new file's: those whose times
    /// overlap its own (every file, when it has rows without a time).
    fn files(&self, data: &Dataset) -> Vec<SourceId> {
        let untimed = self.events.iter().any(|e| e.at == 0);
        let span = |s: &Source| s.first_event.zip(s.last_event);
        // Audit rows match to the second: a second's margin either side.
        let overlaps = |s: &Source| match (span(&self.source), span(s)) {
            (Some((first, last)), Some((a, b))) => {
                a <= last.saturating_add(SECOND) && first.saturating_sub(SECOND) <= b
            }
            _ => false,
        };
        data.sources
            .iter()
            .filter(|s| untimed || overlaps(s))
            .map(|s| s.id)
            .collect()
    }

    /// Starts (again) counting the copies the earlier files hold, for the contents in
    /// `keys` (all the new rows' once the keys are collected).
    fn earlier(&self, data: &Dataset, mut keys: FxHashMap<ContentKey, Copies>) -> AddStage {
        if keys.is_empty() {
            return AddStage::Keys(keys, 0);
        }
        for c in keys.values_mut() {
            *c = Copies::default();
        }
        AddStage::Earlier {
            keys,
            files: self.files(data),
            next: 0,
            revision: data.revision,
        }
    }

    /// Puts the file into the data, its rows marked.
    fn put(&mut self, data: &mut Dataset) -> AddStage {
        let mut events = std::mem::take(&mut self.events);
        if self.marked && data.events.is_empty() {
            events.iter_mut().for_each(|e| e.duplicate = false);
        }
        let mut source = self.source.clone();
        if self.marked {
            source.duplicate_rows = events.iter().filter(|e| e.duplicate).count() as u32;
        }
        let id = source.id;
        data.sources.push(source);
        if data.events.is_empty() {
            data.events = events;
        } else {
            data.events.extend(events);
        }
        data.revision += 1;
        AddStage::Done(id)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ContentKey {
    at: Millis,
    texts: [Sym; 5],
    kind: EventKind,
    result: Option<ResetResult>,
    flags: u8,
}

/// One loaded file and what reading it found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    #[serde(skip)]
    pub id: SourceId,
    pub file: String,
    pub format: FormatId,
    pub encoding: TextEncoding,
    /// The separator of a delimited file; 0 for JSON.
    #[serde(serialize_with = "serialize_separator")]
    pub separator: u8,
    /// The envelope of a JSON file.
    #[serde(skip)]
    pub json: Option<crate::report::formats::json::Envelope>,
    /// Rows read into events (duplicates included).
    pub rows: u32,
    /// Rows that could not be read.
    pub skipped_rows: u32,
    /// Why the format was recognised, for the file list.
    #[serde(skip)]
    pub recognised_by: String,
    /// Rows that were already loaded from another file.
    pub duplicate_rows: u32,
    /// Wholly empty rows, ignored.
    pub blank_rows: u32,
    pub first_event: Option<Millis>,
    pub last_event: Option<Millis>,
    pub dates: Option<DateReading>,
    /// Some bytes were invalid in the detected encoding.
    pub replaced_characters: bool,
    /// The first [`super::problems::KEPT_PROBLEMS`] problems, in file order.
    #[serde(skip)]
    pub problems: Vec<RowProblem>,
}

fn serialize_separator<S: serde::Serializer>(sep: &u8, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match sep {
        b'\t' => "tab",
        b';' => ";",
        0 => "",
        _ => ",",
    })
}

#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub strings: Interner,
    pub sources: Vec<Source>,
    /// Grouped by source in load order.
    pub events: Vec<Event>,
    next_source: u16,
    /// Counts the changes to `sources` and `events`: an [`Adding`] sliced across them
    /// counts again.
    revision: u64,
}

impl Dataset {
    pub fn allocate_source(&mut self) -> SourceId {
        let id = SourceId(self.next_source);
        self.next_source = self.next_source.wrapping_add(1);
        id
    }

    pub fn source(&self, id: SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Adds a read file, its rows marked where they copy rows already loaded.
    pub fn add(&mut self, source: Source, events: Vec<Event>) {
        let mut adding = Adding::new(source, events);
        while adding.step(self, usize::MAX).is_none() {}
    }

    /// Removes a file and everything read from it; rows it hid as duplicates come back.
    pub fn remove(&mut self, id: SourceId) {
        self.sources.retain(|s| s.id != id);
        self.events.retain(|e| e.source != id);
        // Removing a file can only bring copies back: with none left, nothing changes.
        if self.events.iter().any(|e| e.duplicate) {
            self.mark_duplicates();
        }
        self.revision += 1;
    }

    pub fn clear(&mut self) {
        *self = Dataset {
            next_source: self.next_source,
            revision: self.revision + 1,
            ..Dataset::default()
        };
    }

    /// Latest event time among counted rows: the default "as of". Registration state
    /// without a time does not count.
    pub fn latest_event(&self) -> Option<Millis> {
        self.counted().filter(|e| e.at != 0).map(|e| e.at).max()
    }

    /// Events that count (not duplicates).
    pub fn counted(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| !e.duplicate)
    }

    /// A row counts once however many files hold it. Within one file every row counts
    /// (two identical rows there are two events, e.g. minute-resolution times); a later
    /// file's copies count only beyond the most copies any earlier file had.
    fn mark_duplicates(&mut self) {
        let mut copies: FxHashMap<ContentKey, Copies> = FxHashMap::default();
        let mut duplicates: FxHashMap<SourceId, u32> = FxHashMap::default();
        for event in &mut self.events {
            let key = event.content_key();
            event.duplicate = copies.entry(key).or_default().count(event.source);
            if event.duplicate {
                *duplicates.entry(event.source).or_insert(0) += 1;
            }
        }
        for source in &mut self.sources {
            source.duplicate_rows = duplicates.get(&source.id).copied().unwrap_or(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::ingest::load;

    const HEADER: &str = "User,Role,Date and Time,Method(s) Used,Result,Details\n";

    fn row(user: &str, time: &str) -> String {
        format!(
            "{user},User,7/17/2017 {time} PM,Email,Succeeded,User successfully reset password\n"
        )
    }

    /// `data` with `file` added at once, and the file read with `data`'s strings, its
    /// rows not marked yet.
    fn read(data: &Dataset, file: &str) -> (Dataset, Source, Vec<Event>) {
        let mut whole = data.clone();
        load(&mut whole, "new.csv", file.as_bytes()).unwrap();
        let source = whole.sources.last().unwrap().clone();
        let mut events = whole.events[data.events.len()..].to_vec();
        events.iter_mut().for_each(|e| e.duplicate = false);
        (whole, source, events)
    }

    /// `data` with the new file's strings (from `whole`) and the file added `budget`
    /// rows at a time.
    fn added_in_slices(
        data: &Dataset,
        whole: &Dataset,
        source: Source,
        events: Vec<Event>,
        budget: usize,
    ) -> Dataset {
        let mut sliced = data.clone();
        sliced.strings = whole.strings.clone();
        sliced.allocate_source();
        let mut adding = Adding::new(source, events);
        while adding.step(&mut sliced, budget).is_none() {}
        sliced
    }

    #[test]
    fn a_file_added_in_slices_is_marked_as_every_file_marked_again() {
        let mut data = Dataset::default();
        let earlier = [
            row("a@x.com", "1:00:00"),
            row("b@x.com", "2:00:00"),
            row("c@x.com", "3:00:00"),
        ];
        load(
            &mut data,
            "one.csv",
            format!("{HEADER}{}{}", earlier[0], earlier[1]).as_bytes(),
        )
        .unwrap();
        load(
            &mut data,
            "two.csv",
            format!("{HEADER}{}{}", earlier[1], earlier[1]).as_bytes(),
        )
        .unwrap();
        // Copies of both files' rows (b three times: two earlier copies, one more), a new
        // row, and a row from another day.
        let file = format!(
            "{HEADER}{}{}{}{}{}{}",
            earlier[0],
            earlier[1],
            earlier[1],
            earlier[1],
            earlier[2],
            "d@x.com,User,7/18/2017 4:00:00 PM,Email,Succeeded,User successfully reset password\n"
        );
        let (whole, source, events) = read(&data, &file);
        let marks = |d: &Dataset| d.events.iter().map(|e| e.duplicate).collect::<Vec<_>>();
        assert_eq!(
            marks(&whole)[4..],
            [true, true, true, false, false, false],
            "a and two copies of b were loaded before"
        );
        assert_eq!(whole.sources[2].duplicate_rows, 3);
        let mut again = whole.clone();
        again.mark_duplicates();
        assert_eq!(format!("{again:?}"), format!("{whole:?}"));
        for budget in [1, 2, 5, usize::MAX] {
            let sliced = added_in_slices(&data, &whole, source.clone(), events.clone(), budget);
            assert_eq!(
                format!("{sliced:?}"),
                format!("{whole:?}"),
                "budget {budget}"
            );
        }
    }

    /// Files of a row each (a, then b), and a file copying both being added to them.
    fn a_and_b_then_both() -> (Dataset, Adding) {
        let mut data = Dataset::default();
        let (a, b) = (row("a@x.com", "1:00:00"), row("b@x.com", "2:00:00"));
        load(&mut data, "one.csv", format!("{HEADER}{a}").as_bytes()).unwrap();
        load(&mut data, "two.csv", format!("{HEADER}{b}").as_bytes()).unwrap();
        let (_, source, events) = read(&data, &format!("{HEADER}{a}{b}"));
        data.allocate_source();
        (data, Adding::new(source, events))
    }

    #[test]
    fn a_file_removed_while_another_is_added_in_slices_is_not_counted() {
        let (mut sliced, mut adding) = a_and_b_then_both();
        // Part way through the earlier files' rows, the first file is removed.
        assert!(adding.step(&mut sliced, 2).is_none());
        assert!(adding.step(&mut sliced, 1).is_none());
        let first = sliced.sources[0].id;
        sliced.remove(first);
        while adding.step(&mut sliced, 1).is_none() {}
        let marks: Vec<_> = sliced.events.iter().map(|e| e.duplicate).collect();
        assert_eq!(marks, [false, false, true], "only b is loaded before");
        assert_eq!(sliced.sources[1].duplicate_rows, 1);
    }

    #[test]
    fn a_file_whose_earlier_files_are_all_removed_while_it_is_marked_has_no_copies() {
        let (mut sliced, mut adding) = a_and_b_then_both();
        // Start, keys, both earlier rows counted, then the first new row marked a copy.
        while !matches!(adding.stage, AddStage::Marking { next: 1, .. }) {
            assert!(adding.step(&mut sliced, 1).is_none());
        }
        assert!(adding.events[0].duplicate);
        let (one, two) = (sliced.sources[0].id, sliced.sources[1].id);
        sliced.remove(two);
        // Counting again, over the one file left, which is then removed too.
        assert!(adding.step(&mut sliced, 1).is_none());
        sliced.remove(one);
        let id = std::iter::from_fn(|| Some(adding.step(&mut sliced, 1)))
            .flatten()
            .next();
        assert_eq!(id, Some(sliced.sources[0].id));
        assert!(sliced.events.iter().all(|e| !e.duplicate));
        assert_eq!(sliced.sources[0].duplicate_rows, 0);
        // A finished adding adds nothing more.
        assert_eq!(adding.step(&mut sliced, 1), id);
        assert_eq!(sliced.sources.len(), 1);
    }

    #[test]
    fn a_file_in_a_time_no_earlier_file_covers_goes_in_at_once() {
        let mut data = Dataset::default();
        load(
            &mut data,
            "one.csv",
            format!("{HEADER}{}", row("a@x.com", "1:00:00")).as_bytes(),
        )
        .unwrap();
        let later =
            "a@x.com,User,7/20/2017 1:00:00 PM,Email,Succeeded,User successfully reset password\n";
        let (whole, source, events) = read(&data, &format!("{HEADER}{later}"));
        let mut sliced = data.clone();
        sliced.strings = whole.strings.clone();
        sliced.allocate_source();
        let mut adding = Adding::new(source, events);
        assert!(adding.step(&mut sliced, 1).is_some(), "one step");
        assert_eq!(format!("{sliced:?}"), format!("{whole:?}"));
    }

    #[test]
    fn an_event_stays_56_bytes() {
        // A million events are 56 MB of the page's memory; this keeps the figure true.
        assert_eq!(std::mem::size_of::<Event>(), 56);
    }
}
