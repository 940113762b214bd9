//! The wire format that carries one read file from the parsing worker to the page: its
//! [`Source`], the strings its rows use and the rows, in a compact byte layout that the
//! page merges into its [`Dataset`] (re-interning the strings) without re-reading. A file
//! read in two parts comes as its front, settled alone, with the back's message after it
//! (rows with their date cells, settled as the page adds them).

use std::borrow::Cow;

use super::activity::{Activity, Service, Status};
use super::dates::{
    DateColumn, DateError, DateOrder, DateReading, Millis, OrderBasis, Shape, Stamp,
};
use super::decode::TextEncoding;
use super::formats::json::Envelope;
use super::formats::FormatId;
use super::ingest::{add_back, settle, Back, BackHead, Join, Problems};
use super::intern::{Interner, Sym};
use super::methods::MethodSet;
use super::model::{Adding, Dataset, Event, EventKind, Source, SourceId};
use super::outcome::ResetResult;
use super::problems::{RowProblem, RowProblemKind};

const MAGIC: &[u8; 6] = b"SSPRW1";
/// Room a message reserves beyond its strings and rows: for the source's fields, the
/// problems kept (most often) and the counts; the rest of its size is exact.
const SLACK: usize = 4096;

/// Bytes per event: time, eight strings, line, seven one-byte fields.
const EVENT_BYTES: usize = 8 + 8 * 4 + 4 + 7;

/// The one source of `data` (a worker's dataset), its strings and rows.
pub fn encode(data: &Dataset) -> Vec<u8> {
    encode_with(data, None)
}

/// The front of a file settled alone (see [`super::ingest::Front::settle_alone`]) as
/// [`encode`] gives it, with what the page needs to add its back after the source: the
/// back's own message (from [`encode_back`]) goes right after these bytes.
pub fn encode_front(data: &Dataset, join: &Join) -> Vec<u8> {
    encode_with(data, Some(join))
}

fn encode_with(data: &Dataset, join: Option<&Join>) -> Vec<u8> {
    let size = SLACK + strings_size(&data.strings) + 4 + data.events.len() * EVENT_BYTES;
    let mut w = Writer(Vec::with_capacity(size));
    w.0.extend_from_slice(MAGIC);
    let Some(source) = data.sources.first() else {
        return w.0;
    };
    write_source(&mut w, source);
    // Whether a back follows the rows, and what it needs.
    match join {
        None => w.u8(0),
        Some(join) => {
            w.u8(1);
            w.u64(join.shift);
            w.u8(join.order as u8);
            w.u8(u8::from(join.time_column.is_some()));
            let (column, name) = join.time_column.clone().unwrap_or_default();
            w.u32(column as u32);
            w.str(&name);
            w.u32(join.back_rows as u32);
        }
    }
    write_strings(&mut w, &data.strings);
    write_events(&mut w, &data.events);
    w.0
}

fn read_join(r: &mut Reader<'_>) -> Option<Option<Join>> {
    if r.u8()? == 0 {
        return Some(None);
    }
    let shift = r.u64()?;
    let order = decode(&ORDERS, r.u8()?)?;
    let known = r.u8()? != 0;
    let column = r.u32()? as usize;
    let name = r.str()?.to_string();
    Some(Some(Join {
        shift,
        order,
        time_column: known.then_some((column, name)),
        back_rows: r.u32()? as usize,
    }))
}

/// Rows: their count, then one fixed-size record each.
fn write_events(w: &mut Writer, events: &[Event]) {
    w.u32(events.len() as u32);
    for e in events {
        write_event(w, e);
    }
}

fn write_event(w: &mut Writer, e: &Event) {
    w.i64(e.at);
    for s in e.texts() {
        w.u32(s.0);
    }
    w.u32(e.line);
    w.0.extend_from_slice(&[
        e.kind as u8,
        e.activity as u8,
        e.service as u8,
        e.status as u8,
        e.result.map_or(NONE, |r| r as u8),
        e.methods.0,
        u8::from(e.admin) | u8::from(e.sspr_registered) << 1,
    ]);
}

/// Adds the file in `bytes` to `data`; `None` if the bytes are not a wire message.
pub fn merge(data: &mut Dataset, bytes: &[u8]) -> Option<SourceId> {
    let mut merging = Merging::new(Cow::Borrowed(bytes));
    loop {
        if let Merged::Done(id) = merging.step(data, usize::MAX)? {
            return Some(id);
        }
    }
}

/// [`merge`] a slice at a time, so a page can paint between slices: each
/// [`Merging::step`] interns about `budget` strings, reads about `budget` rows, or works
/// on adding them (see [`Adding`]). The file is in the data once a step says `Done`;
/// the data must not be cleared before (its strings would go).
pub struct Merging<'b> {
    bytes: Cow<'b, [u8]>,
    /// The first byte not read yet.
    at: usize,
    file: Option<Box<Merge>>,
    /// The file read, being added to the data.
    adding: Option<Adding>,
}

/// What a step did.
#[derive(Debug, PartialEq, Eq)]
pub enum Merged {
    /// There is more to do.
    More,
    /// The file is in the data, as this source.
    Done(SourceId),
}

/// A file being merged: its source, then its strings, then its rows.
struct Merge {
    source: Source,
    strings: usize,
    /// What each of the file's symbols is in the data.
    map: Vec<Sym>,
    /// The rows, once their count is read.
    events: Option<(usize, Vec<Event>)>,
    /// What adding the back of the file needs, when its message follows the rows.
    join: Option<Join>,
    /// The back of the file, being read after the rows.
    back: Option<Box<BackMerge>>,
}

/// The back of a file, from its own message after its front's (see [`encode_front`]).
struct BackMerge {
    join: Join,
    problems: Problems,
    blank: u32,
    strings: usize,
    /// What each of the back's symbols is in the data.
    map: Vec<Sym>,
    /// The rows' count, once read (the rows kept go after the front's).
    rows: Option<usize>,
    /// Rows dropped for their date cell.
    late: Problems,
    /// Rows read so far, kept or not.
    read: usize,
    /// The earliest and latest times of the rows kept.
    span: (Option<Millis>, Option<Millis>),
}

impl BackMerge {
    /// Reads the back's message up to its strings (after its front's rows); its head was
    /// the front's, and is passed over.
    fn open(r: &mut Reader<'_>, join: Join) -> Option<BackMerge> {
        r.bytes(BACK_MAGIC.len())
            .filter(|m| *m == BACK_MAGIC.as_slice())?;
        read_back_head(r)?;
        let problems = Problems {
            kept: read_problems(r)?,
            skipped: r.u32()?,
        };
        let blank = r.u32()?;
        let strings = count(r, 4)?;
        Some(BackMerge {
            join,
            problems,
            blank,
            strings,
            map: Vec::with_capacity(strings),
            rows: None,
            late: Problems::default(),
            read: 0,
            span: (None, None),
        })
    }

    /// Interns about `budget` strings or reads about `budget` rows onto `events` (the
    /// front's); true once all are.
    fn step(
        &mut self,
        r: &mut Reader<'_>,
        data: &mut Dataset,
        (id, events): (SourceId, &mut Vec<Event>),
        budget: usize,
    ) -> Option<bool> {
        if self.map.len() < self.strings {
            intern_strings(r, data, &mut self.map, self.strings, budget)?;
            return Some(false);
        }
        let total = match self.rows {
            Some(n) => n,
            None => {
                let n = count(r, BACK_ROW_BYTES)?;
                // Room was made with the front's rows (`Join::back_rows`); this only
                // guards a count that disagrees.
                events.reserve_exact(n);
                *self.rows.insert(n)
            }
        };
        let n = (total - self.read).min(budget);
        let block = r.bytes(n.checked_mul(BACK_ROW_BYTES)?)?;
        for record in block.chunks_exact(BACK_ROW_BYTES) {
            let (event, stamp) = record.split_at(EVENT_BYTES);
            let mut event = read_event(event, &self.map, id)?;
            event.line += self.join.shift as u32;
            let join = &self.join;
            match settle(
                &mut event,
                &read_stamp(stamp)?,
                join.order,
                &join.time_column,
            ) {
                Ok(()) => {
                    if event.at != 0 {
                        let (first, last) = &mut self.span;
                        *first = Some(first.map_or(event.at, |t| t.min(event.at)));
                        *last = Some(last.map_or(event.at, |t| t.max(event.at)));
                    }
                    events.push(event);
                }
                Err(problem) => self.late.note(problem),
            }
        }
        self.read += n;
        Some(self.read == total)
    }
}

impl<'b> Merging<'b> {
    pub fn new(bytes: Cow<'b, [u8]>) -> Merging<'b> {
        Merging {
            bytes,
            at: 0,
            file: None,
            adding: None,
        }
    }

    /// Whether the next step is one that is not split (putting the rows into the data):
    /// a caller that yields between slices can give it a slice of its own.
    pub fn whole_next(&self) -> bool {
        self.adding.as_ref().is_some_and(Adding::whole_next)
    }

    /// Works on; `None` if the bytes are not a wire message (then nothing was added, and
    /// the merging is over).
    pub fn step(&mut self, data: &mut Dataset, budget: usize) -> Option<Merged> {
        let budget = budget.max(1);
        if let Some(adding) = &mut self.adding {
            return Some(match adding.step(data, budget) {
                Some(id) => Merged::Done(id),
                None => Merged::More,
            });
        }
        let bytes = self.bytes.get(self.at..)?;
        let mut r = Reader(bytes);
        let done = match &mut self.file {
            None => {
                r.bytes(MAGIC.len()).filter(|m| *m == MAGIC.as_slice())?;
                let mut source = read_source(&mut r)?;
                let join = read_join(&mut r)?;
                source.id = data.allocate_source();
                let strings = count(&mut r, 4)?;
                self.file = Some(Box::new(Merge {
                    source,
                    strings,
                    map: Vec::with_capacity(strings),
                    events: None,
                    join,
                    back: None,
                }));
                false
            }
            Some(file) if file.map.len() < file.strings => {
                intern_strings(&mut r, data, &mut file.map, file.strings, budget)?;
                false
            }
            Some(file) if file.back.is_some() => {
                let to = (file.source.id, &mut file.events.as_mut()?.1);
                file.back.as_mut()?.step(&mut r, data, to, budget)?
            }
            Some(file) => {
                let id = file.source.id;
                let (total, events) = match &mut file.events {
                    Some(e) => e,
                    None => {
                        let n = count(&mut r, EVENT_BYTES)?;
                        // Room for the back's rows too: they go after these.
                        let room = n + file.join.as_ref().map_or(0, |j| j.back_rows);
                        file.events.insert((n, Vec::with_capacity(room)))
                    }
                };
                let n = (*total - events.len()).min(budget);
                read_events(&mut r, n, &file.map, id, events)?;
                // After the rows, the back's message when there is one.
                events.len() == *total
                    && match file.join.take() {
                        None => true,
                        Some(join) => {
                            file.back = Some(Box::new(BackMerge::open(&mut r, join)?));
                            false
                        }
                    }
            }
        };
        self.at = self.bytes.len() - r.0.len();
        if !done {
            return Some(Merged::More);
        }
        let file = self.file.take()?;
        let (mut source, events) = (file.source, file.events?.1);
        if let Some(back) = file.back {
            let BackMerge {
                join,
                problems,
                blank,
                late,
                span,
                ..
            } = *back;
            let rows = events.len();
            add_back(&mut source, rows, span, problems, late, blank, join.shift);
        }
        self.adding = Some(Adding::new(source, events));
        Some(Merged::More)
    }
}

/// A file's strings, in symbol order.
fn write_strings(w: &mut Writer, strings: &Interner) {
    w.u32(strings.len() as u32);
    for i in 0..strings.len() {
        w.str(strings.get(Sym(i as u32)));
    }
}

/// The bytes [`write_strings`] writes.
fn strings_size(strings: &Interner) -> usize {
    4 + 4 * strings.len() + strings.text_len()
}

/// Interns about `budget` more of the `total` strings [`write_strings`] wrote, which
/// `r` is at: `map` says what each of the writer's symbols is in the data (room for all
/// of them is made with the first).
fn intern_strings(
    r: &mut Reader<'_>,
    data: &mut Dataset,
    map: &mut Vec<Sym>,
    total: usize,
    budget: usize,
) -> Option<()> {
    if map.is_empty() {
        data.strings.reserve(total);
    }
    let end = total.min(map.len().saturating_add(budget));
    while map.len() < end {
        map.push(data.strings.intern(r.str()?));
    }
    Some(())
}

/// A count of items of at least `size` bytes each; `None` when the bytes left cannot
/// hold that many (the count is not trusted: nothing is reserved for more).
fn count(r: &mut Reader<'_>, size: usize) -> Option<usize> {
    let n = r.u32()? as usize;
    (n <= r.0.len() / size).then_some(n)
}

/// The little-endian `u32` at `at` in a fixed-size record.
#[inline(always)]
fn word(record: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]])
}

/// `n` rows (fixed-size records, read as one block) onto `out`, strings mapped through
/// `map`.
fn read_events(
    r: &mut Reader<'_>,
    n: usize,
    map: &[Sym],
    id: SourceId,
    out: &mut Vec<Event>,
) -> Option<()> {
    for record in r
        .bytes(n.checked_mul(EVENT_BYTES)?)?
        .chunks_exact(EVENT_BYTES)
    {
        out.push(read_event(record, map, id)?);
    }
    Some(())
}

fn read_event(record: &[u8], map: &[Sym], id: SourceId) -> Option<Event> {
    let b = &record[44..51];
    let mut event = Event {
        at: i64::from_le_bytes(record[..8].try_into().ok()?),
        line: word(record, 40),
        source: id,
        kind: decode(&EventKind::ALL, b[0])?,
        activity: decode(&Activity::ALL, b[1])?,
        service: decode(&Service::ALL, b[2])?,
        status: decode(&Status::ALL, b[3])?,
        result: if b[4] == NONE {
            None
        } else {
            Some(decode(&ResetResult::ALL, b[4])?)
        },
        methods: MethodSet(b[5]),
        admin: b[6] & 1 != 0,
        sspr_registered: b[6] & 2 != 0,
        ..Event::new(EventKind::ResetAttempt)
    };
    for (k, s) in event.texts_mut().into_iter().enumerate() {
        *s = *map.get(word(record, 8 + 4 * k) as usize)?;
    }
    Some(event)
}

/// Closed sets cross as their variant's position (`as u8`), which is its place in the
/// type's `ALL` (a test holds that): a variant missing from `ALL` fails to decode
/// instead of passing as another.
fn decode<T: Copy>(all: &[T], byte: u8) -> Option<T> {
    all.get(usize::from(byte)).copied()
}

/// The byte for an absent optional value.
const NONE: u8 = 255;

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_i64(&mut self, v: Option<i64>) {
        self.u8(u8::from(v.is_some()));
        self.i64(v.unwrap_or(0));
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    // The reading steps are forced inline: in the page's size-optimised build they were
    // calls, and merging a million events took ~25 % longer in Node (nine runs of each).
    // Chromium's engine inlines them itself (the page's merge: 93–145 against 96–141 ms,
    // four loads each); inline, the page is 224 bytes smaller.
    #[inline(always)]
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let head = self.0.get(..n)?;
        self.0 = self.0.get(n..)?;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }
    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        let b = self.bytes(4)?;
        Some(word(b, 0))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.bytes(n)?).ok()
    }
    fn opt_i64(&mut self) -> Option<Option<i64>> {
        let some = self.u8()? != 0;
        let v = self.i64()?;
        Some(some.then_some(v))
    }
}

const ORDERS: [DateOrder; 2] = [DateOrder::DayFirst, DateOrder::MonthFirst];

fn write_source(w: &mut Writer, s: &Source) {
    w.str(&s.file);
    w.u8(s.format as u8);
    w.u8(s.encoding as u8);
    w.u8(s.separator);
    w.u8(s.json.map_or(NONE, |e| e as u8));
    w.u32(s.rows);
    w.u32(s.skipped_rows);
    w.u32(s.blank_rows);
    w.opt_i64(s.first_event);
    w.opt_i64(s.last_event);
    w.u8(u8::from(s.replaced_characters));
    w.str(&s.recognised_by);
    match &s.dates {
        None => w.u8(0),
        Some(d) => {
            w.u8(1);
            w.u8(d.order.map_or(NONE, |o| o as u8));
            let (kind, rows, against) = match d.basis {
                OrderBasis::Unambiguous => (0, 0, 0),
                OrderBasis::Decided { rows } => (1, rows, 0),
                OrderBasis::Majority { rows, against } => (2, rows, against),
                OrderBasis::Assumed => (3, 0, 0),
            };
            w.u8(kind);
            w.u32(rows);
            w.u32(against);
            w.str(&d.pattern);
            w.u8(u8::from(d.unzoned_as_utc));
        }
    }
    write_problems(w, &s.problems);
}

fn write_problems(w: &mut Writer, problems: &[RowProblem]) {
    w.u32(problems.len() as u32);
    for p in problems {
        w.u64(p.line);
        match &p.column {
            Some((n, name)) => {
                w.u8(1);
                w.u32(*n as u32);
                w.str(name);
            }
            None => w.u8(0),
        }
        match &p.kind {
            RowProblemKind::BadDate { value, error } => {
                w.u8(0);
                w.str(value);
                let (e, o) = match error {
                    DateError::Empty => (0, 0),
                    DateError::Unrecognised => (1, 0),
                    DateError::OutOfRange => (2, 0),
                    DateError::AgainstColumnOrder(o) => (3, *o as u8),
                };
                w.u8(e);
                w.u8(o);
            }
            RowProblemKind::UnknownResult { value } => {
                w.u8(1);
                w.str(value);
            }
            RowProblemKind::EmptyUser => w.u8(2),
            RowProblemKind::TooFewFields { found, needed } => {
                w.u8(3);
                w.u32(*found as u32);
                w.u32(*needed as u32);
            }
            RowProblemKind::Malformed { message } => {
                w.u8(4);
                w.str(message);
            }
            RowProblemKind::MissingField { name } => {
                w.u8(5);
                w.str(name);
            }
            RowProblemKind::NotUtf8 => w.u8(6),
        }
    }
}

fn read_source(r: &mut Reader<'_>) -> Option<Source> {
    let file = r.str()?.to_string();
    let format = decode(&FormatId::ALL, r.u8()?)?;
    let encoding = decode(&TextEncoding::ALL, r.u8()?)?;
    let separator = r.u8()?;
    let json = match r.u8()? {
        NONE => None,
        b => Some(decode(&Envelope::ALL, b)?),
    };
    let (rows, skipped_rows, blank_rows) = (r.u32()?, r.u32()?, r.u32()?);
    let (first_event, last_event) = (r.opt_i64()?, r.opt_i64()?);
    let replaced_characters = r.u8()? != 0;
    let recognised_by = r.str()?.to_string();
    let dates = match r.u8()? {
        0 => None,
        _ => {
            let order = match r.u8()? {
                NONE => None,
                b => Some(decode(&ORDERS, b)?),
            };
            let (kind, rows, against) = (r.u8()?, r.u32()?, r.u32()?);
            let basis = match kind {
                0 => OrderBasis::Unambiguous,
                1 => OrderBasis::Decided { rows },
                2 => OrderBasis::Majority { rows, against },
                _ => OrderBasis::Assumed,
            };
            let pattern = r.str()?.to_string();
            Some(DateReading {
                order,
                basis,
                pattern,
                unzoned_as_utc: r.u8()? != 0,
            })
        }
    };
    let problems = read_problems(r)?;
    Some(Source {
        id: SourceId(0),
        file,
        format,
        encoding,
        separator,
        json,
        rows,
        skipped_rows,
        recognised_by,
        duplicate_rows: 0,
        blank_rows,
        first_event,
        last_event,
        dates,
        replaced_characters,
        problems,
    })
}

fn read_problems(r: &mut Reader<'_>) -> Option<Vec<RowProblem>> {
    let count = r.u32()?;
    let mut problems = Vec::new();
    for _ in 0..count {
        let line = r.u64()?;
        let column = match r.u8()? {
            0 => None,
            _ => Some((r.u32()? as usize, r.str()?.to_string())),
        };
        let kind = match r.u8()? {
            0 => {
                let value = r.str()?.to_string();
                let (e, o) = (r.u8()?, r.u8()?);
                let error = match e {
                    0 => DateError::Empty,
                    1 => DateError::Unrecognised,
                    2 => DateError::OutOfRange,
                    _ => DateError::AgainstColumnOrder(decode(&ORDERS, o)?),
                };
                RowProblemKind::BadDate { value, error }
            }
            1 => RowProblemKind::UnknownResult {
                value: r.str()?.to_string(),
            },
            2 => RowProblemKind::EmptyUser,
            3 => RowProblemKind::TooFewFields {
                found: r.u32()? as usize,
                needed: r.u32()? as usize,
            },
            4 => RowProblemKind::Malformed {
                message: r.str()?.to_string(),
            },
            5 => RowProblemKind::MissingField {
                name: r.str()?.to_string(),
            },
            _ => RowProblemKind::NotUtf8,
        };
        problems.push(RowProblem { line, column, kind });
    }
    Some(problems)
}

const BACK_MAGIC: &[u8; 6] = b"SSPRB1";
/// Bytes per date cell not yet settled.
const STAMP_BYTES: usize = 16;
/// Bytes per row of a back message: the row, then its date cell.
const BACK_ROW_BYTES: usize = EVENT_BYTES + STAMP_BYTES;

/// The back of a file read by a second worker (see [`super::ingest::load_back`]), its
/// rows' strings in `strings`: rows with their date cells not yet settled. Its head (the
/// cut and the dates' evidence, [`BACK_HEAD`] bytes) is all the front reads; the page
/// reads the rest after the front's message (see [`encode_front`]).
pub fn encode_back(back: &Back, strings: &Interner) -> Vec<u8> {
    let rows = &back.rows;
    let rows_size = rows.events.len() * BACK_ROW_BYTES;
    let mut w = Writer(Vec::with_capacity(
        SLACK + strings_size(strings) + 4 + rows_size,
    ));
    w.0.extend_from_slice(BACK_MAGIC);
    w.u64(back.cut);
    w.u32(rows.events.len() as u32);
    let d = &back.dates;
    for n in [d.day_first, d.month_first, d.day_month_cells, d.unzoned] {
        w.u32(n);
    }
    // The shape as in a stamp record, bit 2 saying there is one.
    let shape = d.shape.unwrap_or_default();
    w.u8(shape_flags(shape) | u8::from(d.shape.is_some()) << 2);
    w.u8(shape.separator);
    w.u8(d.exact_zoned.map_or(NONE, u8::from));
    write_problems(&mut w, &back.problems.kept);
    w.u32(back.problems.skipped);
    w.u32(back.blank);
    write_strings(&mut w, strings);
    w.u32(rows.events.len() as u32);
    for (event, stamp) in rows.events.iter().zip(&rows.stamps) {
        write_event(&mut w, event);
        let mut record = [0u8; STAMP_BYTES];
        match *stamp {
            Stamp::Exact { at, zoned } => {
                record[1] = u8::from(zoned);
                record[8..].copy_from_slice(&at.to_le_bytes());
            }
            Stamp::DayMonth {
                a,
                b,
                year,
                ms_of_day,
                offset_minutes,
                shape,
            } => {
                record[0] = 1;
                record[1] = a;
                record[2] = b;
                record[3] = shape_flags(shape) | u8::from(offset_minutes.is_some()) << 2;
                record[4] = shape.separator;
                record[6..8].copy_from_slice(&offset_minutes.unwrap_or(0).to_le_bytes());
                record[8..10].copy_from_slice(&year.to_le_bytes());
                record[12..].copy_from_slice(&ms_of_day.to_le_bytes());
            }
        }
        w.0.extend_from_slice(&record);
    }
    w.0
}

/// The bytes of a back message's head: magic, cut, rows and the dates' evidence.
pub const BACK_HEAD: usize = 6 + 8 + 4 + 4 * 4 + 3;

/// The head of a back message (its first [`BACK_HEAD`] bytes); `None` if they are not
/// one.
pub fn back_head(bytes: &[u8]) -> Option<BackHead> {
    let mut r = Reader(bytes.strip_prefix(BACK_MAGIC.as_slice())?);
    read_back_head(&mut r)
}

fn read_back_head(r: &mut Reader<'_>) -> Option<BackHead> {
    let cut = r.u64()?;
    let rows = r.u32()? as usize;
    let mut dates = DateColumn {
        day_first: r.u32()?,
        month_first: r.u32()?,
        day_month_cells: r.u32()?,
        unzoned: r.u32()?,
        ..DateColumn::default()
    };
    let (flags, separator) = (r.u8()?, r.u8()?);
    dates.shape = (flags & 4 != 0).then(|| shape_of(flags, separator));
    dates.exact_zoned = match r.u8()? {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    };
    Some(BackHead { cut, dates, rows })
}

/// A date cell not yet settled, as [`encode_back`] wrote it.
fn read_stamp(record: &[u8]) -> Option<Stamp> {
    Some(match record[0] {
        0 => Stamp::Exact {
            at: i64::from_le_bytes(record[8..].try_into().ok()?),
            zoned: record[1] != 0,
        },
        _ => Stamp::DayMonth {
            a: record[1],
            b: record[2],
            year: u16::from_le_bytes([record[8], record[9]]),
            ms_of_day: word(record, 12),
            offset_minutes: (record[3] & 4 != 0)
                .then(|| i16::from_le_bytes([record[6], record[7]])),
            shape: shape_of(record[3], record[4]),
        },
    })
}

/// How a day-and-month cell was written, in two bits (the separator goes beside).
fn shape_flags(shape: Shape) -> u8 {
    u8::from(shape.seconds) | u8::from(shape.twelve_hour) << 1
}

fn shape_of(flags: u8, separator: u8) -> Shape {
    Shape {
        separator,
        seconds: flags & 1 != 0,
        twelve_hour: flags & 2 != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::generate::{scenario, Params, Style};
    use crate::report::ingest::load;

    /// A file read in a worker and merged into a page that already holds data must give
    /// the same dataset as reading it in the page.
    fn check(name: &str, bytes: &[u8]) {
        let mut page = Dataset::default();
        load(&mut page, "earlier.csv", b"User,Role,Date and Time,Data Registered\nx@y.z,User,2017-07-01 10:00,Alternate Email\n").unwrap();
        let mut direct = page.clone();
        load(&mut direct, name, bytes).unwrap();

        let mut worker = Dataset::default();
        load(&mut worker, name, bytes).unwrap();
        let message = encode(&worker);
        let before = page.clone();
        merge(&mut page, &message).expect("a wire message");

        // Merged a few strings or rows at a time: the same dataset.
        for budget in [1, 3, 1000] {
            let mut sliced = before.clone();
            let mut merging = Merging::new(Cow::Borrowed(&message));
            let mut steps = 1;
            while merging.step(&mut sliced, budget) == Some(Merged::More) {
                steps += 1;
            }
            assert!(
                steps > worker.events.len() / budget,
                "{name}: {steps} steps"
            );
            assert_eq!(
                format!("{sliced:?}"),
                format!("{page:?}"),
                "{name} by {budget}"
            );
        }

        assert_eq!(page.sources, direct.sources, "{name}");
        assert_eq!(page.events.len(), direct.events.len());
        for (a, b) in page.events.iter().zip(&direct.events) {
            let text = |d: &Dataset, e: &Event| e.texts().map(|s| d.strings.get(s).to_string());
            assert_eq!(text(&page, a), text(&direct, b));
            assert_eq!(
                (a.at, a.line, a.kind, a.activity, a.service, a.status, a.result, a.methods),
                (b.at, b.line, b.kind, b.activity, b.service, b.status, b.result, b.methods)
            );
            assert_eq!(
                (a.admin, a.sspr_registered, a.duplicate),
                (b.admin, b.sspr_registered, b.duplicate)
            );
        }
    }

    /// Each closed set's `ALL` lists its variants in declaration order, as the wire
    /// codes them.
    #[test]
    fn every_variant_is_coded_by_its_place() {
        fn check<T: Copy + std::fmt::Debug>(all: &[T], code: impl Fn(T) -> u8) {
            for (i, v) in all.iter().enumerate() {
                assert_eq!(usize::from(code(*v)), i, "{v:?}");
            }
        }
        check(&EventKind::ALL, |v| v as u8);
        check(&Activity::ALL, |v| v as u8);
        check(&Service::ALL, |v| v as u8);
        check(&Status::ALL, |v| v as u8);
        check(&ResetResult::ALL, |v| v as u8);
        check(&FormatId::ALL, |v| v as u8);
        check(&TextEncoding::ALL, |v| v as u8);
        check(&Envelope::ALL, |v| v as u8);
        check(&ORDERS, |v| v as u8);
    }

    #[test]
    fn every_kind_of_file_crosses_intact() {
        let s = scenario(Params::audit_sample());
        check("reset.csv", &s.reset_report(Style::EXCEL_NL));
        check("audit.json", s.audit_log().entra_json().as_bytes());
        check("details.json", s.registration_details_json().as_bytes());
        let bad = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bad-rows.csv"
        ))
        .unwrap();
        check("bad-rows.csv", &bad);
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(merge(&mut Dataset::default(), b"nonsense"), None);
        assert_eq!(merge(&mut Dataset::default(), b"SSPRW1\x05"), None);
        // A message cut short fails at the step that reaches the end, and adds nothing.
        let mut worker = Dataset::default();
        load(
            &mut worker,
            "r.csv",
            &scenario(Params::sample()).reset_report(Style::PORTAL),
        )
        .unwrap();
        let message = encode(&worker);
        let mut data = Dataset::default();
        let mut merging = Merging::new(Cow::Borrowed(&message[..message.len() - 1]));
        let mut step = || merging.step(&mut data, 100);
        while step() == Some(Merged::More) {}
        assert!(data.events.is_empty() && data.sources.is_empty());
    }
}
