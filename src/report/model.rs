//! The compact in-memory model: a [`Dataset`] holds every loaded [`Source`] and one
//! [`Event`] per row read — small ids and integer times, strings interned once.
//! Rows present in several files are marked `duplicate` and counted once.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::dates::{DateReading, Millis};
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
    /// One successful registration of authentication data.
    Registration,
}

/// A stable handle to a loaded file; never reused within a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub u16);

/// One row, in 40 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Millis,
    /// Lower-case user principal name.
    pub user: Sym,
    pub role: Sym,
    /// The method cell as written (`Alternate Email + Mobile Phone`).
    pub methods_text: Sym,
    /// The Details cell as written.
    pub detail: Sym,
    /// 1-based line of the row in its file.
    pub line: u32,
    pub source: SourceId,
    pub kind: EventKind,
    pub result: Option<ResetResult>,
    pub methods: MethodSet,
    /// The same row was read from an earlier-loaded file; it is shown but not counted.
    pub duplicate: bool,
}

impl Event {
    pub fn new(kind: EventKind) -> Event {
        Event {
            at: 0,
            user: Sym::EMPTY,
            role: Sym::EMPTY,
            methods_text: Sym::EMPTY,
            detail: Sym::EMPTY,
            line: 0,
            source: SourceId(0),
            kind,
            result: None,
            methods: MethodSet::EMPTY,
            duplicate: false,
        }
    }

    /// The identity of a row's content, for spotting the same row in two files.
    fn content_key(&self) -> (Millis, Sym, Sym, Sym, Sym, EventKind, Option<ResetResult>) {
        (
            self.at,
            self.user,
            self.role,
            self.methods_text,
            self.detail,
            self.kind,
            self.result,
        )
    }
}

/// One loaded file and what reading it found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    #[serde(skip)]
    pub id: SourceId,
    pub file: String,
    pub format: FormatId,
    pub encoding: TextEncoding,
    #[serde(serialize_with = "serialize_separator")]
    pub separator: u8,
    /// Rows read into events (duplicates included).
    pub rows: u32,
    /// Rows that could not be read.
    pub skipped_rows: u32,
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

    /// Adds a read file and re-marks duplicates.
    pub fn add(&mut self, source: Source, events: Vec<Event>) {
        self.sources.push(source);
        self.events.extend(events);
        self.mark_duplicates();
    }

    /// Removes a file and everything read from it; rows it hid as duplicates come back.
    pub fn remove(&mut self, id: SourceId) {
        self.sources.retain(|s| s.id != id);
        self.events.retain(|e| e.source != id);
        self.mark_duplicates();
    }

    pub fn clear(&mut self) {
        *self = Dataset {
            next_source: self.next_source,
            ..Dataset::default()
        };
    }

    /// Latest event time among counted rows: the default "as of".
    pub fn latest_event(&self) -> Option<Millis> {
        self.counted().map(|e| e.at).max()
    }

    /// Events that count (not duplicates).
    pub fn counted(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| !e.duplicate)
    }

    /// A row counts once however many files hold it. Within one file every row counts
    /// (two identical rows there are two events, e.g. minute-resolution times); a later
    /// file's copies count only beyond the most copies any earlier file had.
    fn mark_duplicates(&mut self) {
        let mut kept: FxHashMap<_, u32> = FxHashMap::default();
        let mut in_source: FxHashMap<_, u32> = FxHashMap::default();
        let mut duplicates: FxHashMap<SourceId, u32> = FxHashMap::default();
        let mut current = None;
        for event in &mut self.events {
            if current != Some(event.source) {
                current = Some(event.source);
                in_source.clear();
            }
            let key = event.content_key();
            let seen = in_source.entry(key).or_insert(0);
            *seen += 1;
            let kept = kept.entry(key).or_insert(0);
            event.duplicate = *seen <= *kept;
            if event.duplicate {
                *duplicates.entry(event.source).or_insert(0) += 1;
            } else {
                *kept += 1;
            }
        }
        for source in &mut self.sources {
            source.duplicate_rows = duplicates.get(&source.id).copied().unwrap_or(0);
        }
    }
}
