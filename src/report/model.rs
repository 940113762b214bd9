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

    /// Adds a read file and re-marks duplicates. The first file needs no marking: within
    /// one file every row counts.
    pub fn add(&mut self, source: Source, events: Vec<Event>) {
        let first = self.events.is_empty();
        self.sources.push(source);
        if first {
            self.events = events;
        } else {
            self.events.extend(events);
            self.mark_duplicates();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_stays_56_bytes() {
        // A million events are 56 MB of the page's memory; this keeps the figure true.
        assert_eq!(std::mem::size_of::<Event>(), 56);
    }
}
