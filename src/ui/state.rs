//! The app's state. Source signals hold the loaded data and the raw inputs (as-of
//! choice, filters, sort, page); everything derived — answers, filtered and sorted
//! rows, chart series — is a memo. Shared through context as one `Copy` handle.
//!
//! Files read by workers wait until their job ends; then they are merged and the
//! answers for them worked out in slices between which the browser paints (see
//! [`wire::Merging`], [`answers::Computation`]), and the data is announced: the answers
//! memo takes the answers worked out ahead instead of computing them in one long task.
//! Whatever changes the data in between makes them stale, and the memo computes as
//! before.

use std::ops::Deref;
use std::sync::Arc;

use js_sys::Uint8Array;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::File;

use crate::browser::jobs::{self, Handlers, Work};
use crate::browser::tasks::{after_next_frame, next_task, when_idle};
use crate::report::wire;

use crate::report::answers::RowsOf;
use crate::report::answers::{self, Answers};
use crate::report::charts::{self, Series};
use crate::report::dates::Millis;
use crate::report::filter::{self, Filter, Sort};
use crate::report::ingest::{self, Preview};
use crate::report::model::{Dataset, SourceId};
use crate::report::problems::LoadError;
use crate::text::en as t;

/// Runs `f` as a User Timing measure named `sspr:{name}`, so the main thread's work shows
/// in the browser's performance tools (and in `make bench`).
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let start = now();
    let out = f();
    measure(name, start);
    out
}

/// The page's clock in milliseconds (NaN without `performance`: then slices never
/// yield). [`timed`]'s helpers are not generic, so each use adds only two calls.
pub fn now() -> f64 {
    window().performance().map_or(f64::NAN, |p| p.now())
}

fn measure(name: &str, start: f64) {
    let end = now();
    let fields = [("start", start.into()), ("end", end.into())];
    jobs::user_timing("measure", &format!("sspr:{name}"), &fields);
}

/// A large derived value behind an `Arc`: cheap to clone; equal only to itself, so a
/// recomputed memo always notifies.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

/// Counts changes to the data, holds the files from workers not merged yet, and the
/// answers worked out ahead for the data at one generation and as-of instant.
#[derive(Default)]
struct Ahead {
    generation: u64,
    /// Counts "clear all": a file being merged then is dropped with the rest.
    cleared: u64,
    /// (file, its wire message as the worker sent it), oldest first.
    waiting: Vec<(String, Uint8Array)>,
    /// Whether slices of merging and answering are under way (see `work_out`).
    busy: bool,
    /// Answers worked out in slices, for a generation and an as-of instant: those of the
    /// last load, and of the last "as of" change (so that going back is at once).
    loaded: Option<Ready>,
    as_of_changed: Option<Ready>,
    /// The generation and as-of instant whose answers are being worked out in slices
    /// after an "as of" change or a file's removal, outside a load: meanwhile the answers
    /// shown are the last ones (after an "as of" change: the same data, so their row
    /// numbers hold; see [`AppState::set_as_of`]) or none (after a removal: see
    /// [`AppState::remove_file`]).
    answering: Option<Answering>,
}

/// Answers worked out ahead: for a generation of the data and an as-of instant.
type Ready = (u64, Millis, Shared<Answers>);

impl Ahead {
    /// The answers worked out ahead for the current data and `at`.
    fn ready(&self, at: Millis) -> Option<Shared<Answers>> {
        let now = (self.generation, at);
        [&self.loaded, &self.as_of_changed]
            .into_iter()
            .flatten()
            .find(|r| (r.0, r.1) == now)
            .map(|r| r.2.clone())
    }
}

/// Answers being worked out in slices outside a load (see [`Ahead::answering`]).
#[derive(Clone, Copy)]
struct Answering {
    generation: u64,
    at: Millis,
    /// Whether the answers shown meanwhile are the last ones (else none).
    keep_last: bool,
}

/// The parts of the results, in the order they are drawn when files from workers are
/// shown: one part per task, each after the last one is painted, so that no task runs
/// long (at a million events, drawing every table at once held the page for ~100 ms of
/// script and as long again of layout). With few events, and the reader at the top of
/// the page, all of them in one task, or the parts after the answers in one (see
/// [`DRAWN_AT_ONCE`], [`DRAWN_TOGETHER`]). A part's tables stay empty until it is drawn;
/// the results are busy until the last is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// Everything above the result tables: files, coverage, the answers (with the list of
    /// registered users).
    Answers,
    /// The suspicious-activity findings and the results, details, audit statuses and
    /// failure reasons tables.
    Tables,
    Sessions,
    /// The charts.
    Charts,
    /// The rows table with its filters (and the activity filter's counts).
    Rows,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Answers,
        Part::Tables,
        Part::Sessions,
        Part::Charts,
        Part::Rows,
    ];
    pub const LAST: Part = Part::Rows;

    /// The next part, skipping the sessions when there are none.
    pub(super) fn next(self, sessions: bool) -> Option<Part> {
        match self {
            Part::Answers => Some(Part::Tables),
            Part::Tables if !sessions => Some(Part::Charts),
            Part::Tables => Some(Part::Sessions),
            Part::Sessions => Some(Part::Charts),
            Part::Charts => Some(Part::Rows),
            Part::Rows => None,
        }
    }
}

/// The results start (or end) being drawn in parts. Meanwhile their height before is kept
/// as their least height, so that the page does not shrink under a reader scrolled down
/// (and loses their place), and the result tables and charts are laid out only if near
/// the window (`data-drawing`, style/main.css); from when the page is idle after
/// drawing, all of it is, and from the frame after, the height is free. A change to the
/// results' least height stops the browser keeping a reader's place for that frame: in
/// the frame where the progress above the results goes, or where the tables below the
/// window are laid out, the rows would jump. Results drawn otherwise (a file read on the
/// page, a file removed) are laid out whole. Only syncs the DOM.
fn drawing(hold: bool) {
    use wasm_bindgen::JsCast;
    thread_local! {
        /// Drawings begun: an idle callback of an earlier one leaves a later one alone.
        static BEGUN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    let results = document().get_element_by_id("results");
    let Some(results) = results.and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return;
    };
    if hold {
        BEGUN.set(BEGUN.get() + 1);
        let _ = results.set_attribute("data-drawing", "");
        let height = format!("{}px", results.client_height());
        let _ = results.style().set_property("min-height", &height);
    } else {
        let drawing = BEGUN.get();
        when_idle(move || {
            if BEGUN.get() == drawing {
                let _ = results.remove_attribute("data-drawing");
                after_next_frame(move || {
                    if BEGUN.get() == drawing {
                        let _ = results.style().set_property("min-height", "");
                    }
                });
            }
        });
    }
}

/// What the slices on the page are doing.
enum Working {
    /// Copying a file's wire message from the worker's buffer into the page's memory:
    /// at a million events, 60 MB, too long for one task.
    Copying(String, Uint8Array, Vec<u8>),
    /// Merging a file from a worker (one of the `waiting`).
    Merging(String, wire::Merging<'static>),
    /// Working out the answers for a generation of the data and an as-of instant.
    Answering(Box<answers::Computation>, u64, Millis),
}

impl Working {
    /// Whether the next step is one that is not split: it starts a slice of its own.
    fn whole_next(&self) -> bool {
        match self {
            Working::Copying(..) => false,
            Working::Merging(_, merging) => merging.whole_next(),
            Working::Answering(computation, ..) => computation.whole_next(),
        }
    }
}

/// How long a slice of work on the page (merging, answering, writing the rows
/// download) runs before the page yields (to a new task). A step that is not split (in
/// the answers up to ~30 ms at a million events; putting a merged file's rows into the
/// data) starts a slice of its own.
pub const SLICE_MS: f64 = 12.0;

/// Up to this many events, with the reader at the top of the page, the parts after the
/// answers are drawn in one task (see `draw`).
const DRAWN_TOGETHER: usize = 150_000;

/// Up to this many events, with the reader at the top of the page, all the parts are
/// drawn in one task (see `finish`): one frame's layout, not two. At 75,000 events that
/// task takes ~20 ms, and the results are done ~6–10 ms sooner (medians of 15 loads); at
/// 150,000, one load in five had a task of 64 ms, and none was sooner.
const DRAWN_AT_ONCE: usize = 100_000;

/// Up to this many events, an "as of" change works out the answers at once (~20 ms at
/// 75,000 events); beyond, in slices (see [`AppState::set_as_of`]).
const ANSWERED_AT_ONCE: usize = 150_000;

/// Events from which the users' order is worked out ahead (see `AppState::done`).
const ORDERED_AHEAD_FROM: usize = 150_000;

/// The memos of the text columns' orders, one per column of `filter::TEXT_COLUMNS`.
type TextOrders = [Memo<Shared<Option<filter::TextOrder>>>; filter::TEXT_COLUMNS.len()];

/// The memo of `key`'s order, for a text column.
fn text_order(
    orders: &TextOrders,
    key: filter::SortKey,
) -> Option<Memo<Shared<Option<filter::TextOrder>>>> {
    filter::TEXT_COLUMNS
        .iter()
        .position(|&(column, _)| column == key)
        .map(|column| orders[column])
}

/// About how long a step that is not split takes per event in the data, at most: ~30 ms
/// at a million events (the answers' longest, the tables, took 23–30 ms in the page).
const UNSPLIT_MS_PER_EVENT: f64 = 30.0 / 1e6;

/// Units of work (strings, events, session steps, attempts) per call between clock
/// checks.
const STEP: usize = 20_000;

/// Bytes of a wire message copied per call between clock checks: the classic 75k
/// report's message (~6.5 MB) in one.
const COPY_STEP: u32 = 8 << 20;

/// Frees a copied message's buffer now (`ArrayBuffer.transfer(0)` detaches it), not at
/// the next garbage collection: at a million events it is 60 MB.
fn release(message: &Uint8Array) {
    use wasm_bindgen::JsCast;
    let buffer = message.buffer();
    if let Ok(transfer) = js_sys::Reflect::get(&buffer, &"transfer".into()) {
        if let Some(transfer) = transfer.dyn_ref::<js_sys::Function>() {
            let _ = transfer.call1(&buffer, &0.into());
        }
    }
}

/// The instant the answers are for: the latest event, or the one the user chose.
fn as_of_for(choice: AsOfChoice, data: &Dataset) -> Option<Millis> {
    match choice {
        AsOfChoice::Latest => data.latest_event(),
        AsOfChoice::Now(at) | AsOfChoice::EndOfDay(at) => Some(at),
    }
}

/// A file that could not be loaded, with the message shown for it.
#[derive(Clone, Debug, PartialEq)]
pub struct FileError {
    pub id: u32,
    pub file: String,
    pub message: String,
}

/// A CSV whose header no format knows, waiting for the user to assign its columns.
#[derive(Clone, Debug)]
pub struct PendingMapping {
    pub id: u32,
    pub file: String,
    pub source: PendingSource,
    pub preview: Preview,
}

impl PartialEq for PendingMapping {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Where a file waiting for its mapping is read from again.
#[derive(Clone, Debug)]
pub enum PendingSource {
    /// Read by a worker: the `File` itself.
    File(SendWrapper<File>),
    /// Read on the page (no worker available): its bytes.
    Bytes(Arc<Vec<u8>>),
}

/// A file being read by a worker, for the progress bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: u32,
    pub file: String,
    /// Bytes in the file (0 for a sample).
    pub size: f64,
    /// Bytes and rows read so far: a signal of its own, so progress redraws the bar and
    /// not the job's row (with its Cancel button). Reference-counted, not owned by the
    /// view that started the job (a mapping form goes away while its file is read).
    pub progress: ArcRwSignal<(f64, f64)>,
}

/// Which instant the answers are computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AsOfChoice {
    /// The latest event in the data.
    #[default]
    Latest,
    /// The moment "now" was chosen.
    Now(Millis),
    /// The last millisecond of a chosen UTC day.
    EndOfDay(Millis),
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub data: RwSignal<Dataset>,
    pub errors: RwSignal<Vec<FileError>>,
    /// Files waiting for the column-mapping step.
    pub pending: RwSignal<Vec<PendingMapping>>,
    /// Files read, or answers worked out, on the page itself; the results region is busy
    /// while any is.
    pub reading: RwSignal<u32>,
    /// Files being read by workers.
    pub jobs: RwSignal<Vec<Job>>,
    /// How far the results are drawn for the latest data (see [`Part`]): a redraw after
    /// files from workers goes a part per task; any other change draws them all at once.
    drawn: RwSignal<Part>,
    /// For each part, whether it is drawn: a view of a part wakes only when that changes.
    drawn_to: [Memo<bool>; Part::ALL.len()],
    ahead: StoredValue<Ahead, LocalStorage>,
    /// Answers worked out after an "as of" change are ready (see [`Self::set_as_of`]).
    answered: Trigger,
    /// The last id given to a job, a file waiting for its mapping or an error: ids are
    /// never used twice, so a late message cannot reach a newer one.
    last_id: StoredValue<u32>,
    pub as_of_choice: RwSignal<AsOfChoice>,
    pub filter: RwSignal<Filter>,
    pub sort: RwSignal<Sort>,
    pub selected: RwSignal<Option<u32>>,

    pub as_of: Memo<Option<Millis>>,
    pub answers: Memo<Option<Shared<Answers>>>,
    pub filtered: Memo<Shared<Vec<u32>>>,
    pub sorted: Memo<Shared<Vec<u32>>>,
    pub series: Memo<Shared<Series>>,
    /// Each text column's order of its texts (see `filter::TEXT_COLUMNS`), for the data.
    text_orders: TextOrders,
}

impl AppState {
    pub fn new() -> AppState {
        let data = RwSignal::new(Dataset::default());
        let as_of_choice = RwSignal::new(AsOfChoice::Latest);
        let filter = RwSignal::new(Filter::default());
        let sort = RwSignal::new(Sort::default());

        let drawn = RwSignal::new(Part::LAST);
        let drawn_to = Part::ALL.map(|part| Memo::new(move |_| drawn.get() >= part));
        let ahead = StoredValue::new_local(Ahead::default());
        let as_of = Memo::new(move |_| {
            let choice = as_of_choice.get();
            data.with(|d| as_of_for(choice, d))
        });
        let answered = Trigger::new();
        let answers = Memo::new(move |last: Option<&Option<Shared<Answers>>>| {
            data.track();
            answered.track();
            let at = as_of.get()?;
            let (ready, answering) = ahead
                .try_with_value(|a| {
                    let now = (a.generation, at);
                    let answering = a.answering.filter(|w| (w.generation, w.at) == now);
                    (a.ready(at), answering.map(|w| w.keep_last))
                })
                .unwrap_or_default();
            match (&ready, answering, last) {
                (None, Some(true), Some(last)) => return last.clone(),
                (None, Some(false), _) => return None,
                _ => {}
            }
            data.with(|d| {
                (!d.events.is_empty()).then(|| {
                    ready.unwrap_or_else(|| {
                        Shared::new(timed("answers", || answers::compute(d, at)))
                    })
                })
            })
        });
        let filtered = Memo::new(move |_| {
            Shared::new(timed("filter", || {
                data.with(|d| filter.with(|f| filter::apply(d, f)))
            }))
        });
        // The order of each text column's values, for the data: worked out when first
        // sorted by, then kept until the data changes (not again after a filter change,
        // nor after sorting by another column and back).
        let text_orders = filter::TEXT_COLUMNS.map(|(key, _)| {
            Memo::new(move |_| {
                Shared::new(timed("text order", || {
                    data.with(|d| filter::TextOrder::of(d, key))
                }))
            })
        });
        let sorted = Memo::new(move |_| {
            let rows = filtered.get();
            let mut rows: Vec<u32> = rows.to_vec();
            let sort = sort.get();
            let order = text_order(&text_orders, sort.key).map(|order| order.get());
            let order = order.as_ref().and_then(|o| o.0.as_ref().as_ref());
            timed("sort", || {
                data.with(|d| filter::sort_with(d, &mut rows, sort, order))
            });
            Shared::new(rows)
        });
        let series = Memo::new(move |_| {
            let rows = filtered.get();
            let attempts = answers.with(|a| a.as_ref().map(|a| a.0.clone()));
            let series = timed("series", || {
                data.with(|d| match attempts.as_ref() {
                    Some(a) => charts::series(d, &a.attempts, &a.rows, &rows),
                    None => charts::series(d, &[], &[], &rows),
                })
            });
            Shared::new(series)
        });
        AppState {
            data,
            errors: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            reading: RwSignal::new(0),
            jobs: RwSignal::new(Vec::new()),
            drawn,
            drawn_to,
            ahead,
            answered,
            last_id: StoredValue::new(0),
            as_of_choice,
            filter,
            sort,
            selected: RwSignal::new(None),
            text_orders,
            as_of,
            answers,
            filtered,
            sorted,
            series,
        }
    }

    /// Reads one file's bytes into the data. A CSV with an unknown header goes to the
    /// column-mapping step; any other file that cannot be used gets a message; what was
    /// loaded before stays.
    pub fn load_bytes(&self, file: &str, bytes: &[u8]) {
        let outcome = self.update_data(|d| ingest::load(d, file, bytes));
        match outcome {
            Some(Err(LoadError::UnknownHeader { .. })) => match ingest::preview(bytes, 5) {
                Ok(preview) => self.push_pending(
                    file,
                    PendingSource::Bytes(Arc::new(bytes.to_vec())),
                    preview,
                ),
                Err(error) => self.push_error(file, &t::load_error(&error)),
            },
            Some(Err(error)) => self.push_error(file, &t::load_error(&error)),
            _ => {}
        }
    }

    fn new_id(&self) -> u32 {
        self.last_id.update_value(|id| *id += 1);
        self.last_id.get_value()
    }

    fn push_pending(&self, file: &str, source: PendingSource, preview: Preview) {
        let id = self.new_id();
        self.pending.update(|p| {
            p.push(PendingMapping {
                id,
                file: file.to_string(),
                source,
                preview,
            });
        });
    }

    /// Hands work to a parsing worker; false when the page cannot start one (then the
    /// caller reads on the page itself).
    pub fn read_in_worker(&self, label: &str, size: f64, work: Work) -> bool {
        let state = *self;
        let id = self.new_id();
        let file = label.to_string();
        let pending_file = match &work {
            Work::File(f, _) => Some(SendWrapper::new(f.clone())),
            Work::Sample(_) => None,
        };
        let progress = ArcRwSignal::new((0.0, 0.0));
        let handlers = Handlers {
            progress: {
                let progress = progress.clone();
                Box::new(move |bytes, rows| progress.set((bytes, rows)))
            },
            // Files wait as they come; the job's end (a task of its own) merges and
            // publishes them: one update of the answers, tables and charts per job.
            file: {
                let file = file.clone();
                Box::new(move |payload| {
                    let file = file.clone();
                    state
                        .ahead
                        .update_value(|a| a.waiting.push((file, payload)));
                })
            },
            mapping: {
                let file = file.clone();
                Box::new(move |header, rows| {
                    if let Some(f) = pending_file.clone() {
                        state.push_pending(&file, PendingSource::File(f), Preview { header, rows });
                    }
                })
            },
            error: {
                let file = file.clone();
                Box::new(move |message| state.push_error(&file, &message))
            },
            end: {
                let file = file.clone();
                Box::new(move |finished| {
                    state.publish();
                    if !finished {
                        state.push_error(&file, t::WORKER_FAILED);
                    }
                    state.jobs.update(|jobs| jobs.retain(|j| j.id != id));
                })
            },
        };
        self.jobs.update(|j| {
            j.push(Job {
                id,
                file: file.clone(),
                size,
                progress,
            })
        });
        if jobs::start(id, work, handlers) {
            true
        } else {
            self.jobs.update(|j| j.retain(|x| x.id != id));
            false
        }
    }

    /// Stops reading a file; what was loaded before stays (with any file the job had
    /// already sent).
    pub fn cancel(&self, id: u32) {
        jobs::stop(id);
        self.publish();
        self.jobs.update(|j| j.retain(|x| x.id != id));
    }

    /// Counts changes to the data: work done in slices over row numbers checks that it
    /// has not changed in between.
    pub fn generation(&self) -> u64 {
        self.ahead.with_value(|a| a.generation)
    }

    /// The data is about to change: answers worked out ahead are stale.
    fn changed(&self) {
        self.ahead.update_value(|a| {
            a.generation += 1;
            a.loaded = None;
            a.as_of_changed = None;
            a.answering = None;
        });
    }

    /// Changes the data and announces it. Every change goes through here (or, for files
    /// merged unannounced, through [`Self::changed`]).
    pub fn update_data<T>(&self, change: impl FnOnce(&mut Dataset) -> T) -> Option<T> {
        self.changed();
        if self.drawn.get_untracked() != Part::LAST {
            self.drawn.set(Part::LAST);
        }
        self.data.try_update(change)
    }

    /// Merges the files from workers waiting to be, and announces them (see
    /// `read_in_worker`) once the answers for them are worked out: in slices, between
    /// which the browser paints. During a run of slices, files wait for it or the next.
    fn publish(&self) {
        let start = self.ahead.try_update_value(|a| {
            let start = !a.busy && !a.waiting.is_empty();
            a.busy |= start;
            start.then_some(a.cleared)
        });
        if let Some(Some(cleared)) = start {
            self.reading.update(|n| *n += 1);
            self.work_out(None, cleared);
        }
    }

    /// Runs one slice of merging (every waiting file, in turn) then answering, and again
    /// in a new task until the answers are ready; then the page is redrawn in a task of
    /// its own. If the data changes while the answers are worked out, they stop: the
    /// change was announced by whoever made it. "Clear all" drops it all.
    fn work_out(self, mut working: Option<Working>, cleared: u64) {
        let start = now();
        loop {
            if self.ahead.with_value(|a| a.cleared) != cleared {
                return self.finish(None);
            }
            working = match working {
                None => match self
                    .ahead
                    .try_update_value(|a| (!a.waiting.is_empty()).then(|| a.waiting.remove(0)))
                {
                    // Published with this run, whether or not its job has ended.
                    Some(Some((file, message))) => {
                        self.changed();
                        Some(Working::Copying(file, message, Vec::new()))
                    }
                    _ => {
                        let choice = self.as_of_choice.get_untracked();
                        let at = self.data.with_untracked(|d| {
                            as_of_for(choice, d).filter(|_| !d.events.is_empty())
                        });
                        match at {
                            Some(at) => {
                                let computation = Box::new(answers::Computation::new(at));
                                Some(Working::Answering(computation, self.generation(), at))
                            }
                            None => return self.finish(Some(self.generation())),
                        }
                    }
                },
                Some(Working::Copying(file, message, mut bytes)) => {
                    let from = bytes.len() as u32;
                    let to = message.length().min(from.saturating_add(COPY_STEP));
                    // Copied into new memory, not over zeros written first (at 75,000
                    // rows the zeros took ~8 ms); a message of one part is the copy.
                    let part = message.subarray(from, to).to_vec();
                    if to == message.length() && bytes.is_empty() {
                        bytes = part;
                    } else {
                        bytes.reserve_exact(message.length() as usize - bytes.len());
                        bytes.extend_from_slice(&part);
                    }
                    if to < message.length() {
                        Some(Working::Copying(file, message, bytes))
                    } else {
                        release(&message);
                        Some(Working::Merging(file, wire::Merging::new(bytes.into())))
                    }
                }
                Some(Working::Merging(file, mut merging)) => {
                    let step = timed("merge", || {
                        self.data
                            .try_update_untracked(|d| merging.step(d, STEP))
                            .flatten()
                    });
                    match step {
                        Some(wire::Merged::More) => Some(Working::Merging(file, merging)),
                        Some(wire::Merged::Done(_)) => None,
                        // Not a wire message: nothing was added.
                        None => {
                            self.push_error(&file, t::WORKER_FAILED);
                            None
                        }
                    }
                }
                Some(Working::Answering(computation, generation, at)) => {
                    if self.generation() != generation {
                        return self.finish(None);
                    }
                    match self.answer_step(computation, (generation, at), |a| &mut a.loaded) {
                        Some(computation) => Some(Working::Answering(computation, generation, at)),
                        None => return self.finish(Some(generation)),
                    }
                }
            };
            let whole_next = working.as_ref().is_some_and(Working::whole_next);
            if self.slice_over(start, whole_next) {
                next_task(move || self.work_out(working, cleared));
                return;
            }
        }
    }

    /// Ends the slices: in a task of its own, redraws the page for the data at
    /// `generation` (if it still is), in parts (see [`Part`]), and goes on with any file
    /// that came meanwhile.
    fn finish(self, generation: Option<u64>) {
        next_task(move || match generation {
            Some(generation) if generation == self.generation() => {
                drawing(true);
                // With few events, and the reader at the top, all of it at once.
                let first = if self.drawn_together(DRAWN_AT_ONCE) {
                    Part::LAST
                } else {
                    Part::Answers
                };
                self.drawn.set(first);
                self.data.notify();
                self.drawn_up_to(first, generation);
            }
            _ => self.done(),
        });
    }

    /// The results are drawn up to `part`: the next part is drawn once it is painted, or,
    /// after the last, the results are done in this task (painted idle with it, not a
    /// frame later).
    fn drawn_up_to(self, part: Part, generation: u64) {
        if part == Part::LAST {
            self.done();
        } else {
            self.draw(part, generation);
        }
    }

    /// Draws the part after `part` once `part` is painted, unless the data changed
    /// meanwhile (then all of it was drawn at once).
    fn draw(self, part: Part, generation: u64) {
        after_next_frame(move || {
            let sessions = self
                .answers
                .with_untracked(|a| a.as_ref().is_some_and(|a| !a.sessions.is_empty()));
            // A reader scrolled down gets the parts one at a time, which keeps their
            // place (drawn at once, the charts' remembered height lagged a frame, and the
            // rows jumped); one back at the top of the page meanwhile, the rest at once.
            let next = match part.next(sessions) {
                Some(_) if self.drawn_together(DRAWN_TOGETHER) => Some(Part::LAST),
                next => next,
            };
            match next {
                Some(next) if generation == self.generation() => {
                    self.drawn.set(next);
                    self.drawn_up_to(next, generation);
                }
                _ => self.done(),
            }
        });
    }

    /// Whether the parts still to draw are drawn in one task: with at most `most`
    /// events, and the reader at the top of the page.
    fn drawn_together(&self, most: usize) -> bool {
        let events = self.data.with_untracked(|d| d.events.len());
        let at_top = leptos::prelude::window().scroll_y().is_ok_and(|y| y == 0.0);
        events <= most && at_top
    }

    /// The results are drawn (this runs in the task that draws the last part, or ends a
    /// run that drew none). Files that came meanwhile start the next run at once, in this
    /// task: the results never look ready in between.
    fn done(self) {
        self.ahead.update_value(|a| a.busy = false);
        drawing(false);
        self.reading.update(|n| *n = n.saturating_sub(1));
        self.publish();
        // With many events, the users' order is worked out once the page is idle, not
        // when first sorted by user (at a million events that sort was one task of
        // 64–82 ms, 21–27 of them ordering the users).
        let many = self.data.with_untracked(|d| d.events.len()) >= ORDERED_AHEAD_FROM;
        if let Some(users) = text_order(&self.text_orders, filter::SortKey::User).filter(|_| many) {
            when_idle(move || users.with_untracked(|_| ()));
        }
    }

    /// A step of the answers for `generation` and `at`: the computation while there is
    /// more to do; once the answers are ready, they are kept in the slot `keep` picks and
    /// the answering is over (`None`).
    fn answer_step(
        &self,
        mut computation: Box<answers::Computation>,
        (generation, at): (u64, Millis),
        keep: fn(&mut Ahead) -> &mut Option<Ready>,
    ) -> Option<Box<answers::Computation>> {
        let done = timed("answers", || {
            self.data.with_untracked(|d| computation.step(d, STEP))
        });
        if !done {
            return Some(computation);
        }
        let answers = computation.answers().map(Shared::new);
        self.ahead.update_value(|a| {
            *keep(a) = answers.map(|answers| (generation, at, answers));
            a.answering = None;
        });
        None
    }

    /// Whether a slice of work on the page begun at `start` yields now, before its next
    /// step. A step that is not split (`whole_next`) starts a slice of its own, unless it
    /// fits in this one (at 75,000 events, each of them takes ~2 ms). A hidden page is
    /// not painted: it need not yield (and its timers are slowed).
    fn slice_over(&self, start: f64, whole_next: bool) -> bool {
        let unsplit = if whole_next {
            self.data.with_untracked(|d| d.events.len())
        } else {
            0
        };
        let late = now() - start + unsplit as f64 * UNSPLIT_MS_PER_EVENT >= SLICE_MS;
        late && !document().hidden()
    }

    /// Chooses the instant the answers are for. With many events, the answers for it are
    /// worked out in slices (at a million events they take ~250 ms), the last answers
    /// shown meanwhile and the results busy; with few, at once.
    pub fn set_as_of(&self, choice: AsOfChoice) {
        let (at, events) = self
            .data
            .with_untracked(|d| (as_of_for(choice, d), d.events.len()));
        let generation = self.generation();
        let start = self.ahead.try_update_value(|a| {
            let wanted = at.map(|at| (generation, at));
            let ready = at.and_then(|at| a.ready(at)).is_some();
            let start = events > ANSWERED_AT_ONCE && !a.busy && !ready;
            a.answering = wanted.filter(|_| start).map(|(generation, at)| Answering {
                generation,
                at,
                keep_last: true,
            });
            a.answering
        });
        if let Some(Some(Answering { generation, at, .. })) = start {
            self.reading.update(|n| *n += 1);
            let computation = Box::new(answers::Computation::new(at));
            self.answer_as_of(computation, generation, at);
        }
        self.as_of_choice.set(choice);
    }

    /// A slice of [`Self::set_as_of`]'s answers, then the next in a new task; once they
    /// are ready, the answers shown change. Stops if the data or the choice changed.
    fn answer_as_of(self, mut computation: Box<answers::Computation>, generation: u64, at: Millis) {
        let start = now();
        loop {
            let current = self.ahead.with_value(|a| {
                a.answering
                    .is_some_and(|w| (w.generation, w.at) == (generation, at))
            });
            if !current || self.generation() != generation {
                self.reading.update(|n| *n = n.saturating_sub(1));
                return;
            }
            let step = self.answer_step(computation, (generation, at), |a| &mut a.as_of_changed);
            let Some(more) = step else {
                // The answers memo takes the ready answers.
                self.answered.notify();
                self.reading.update(|n| *n = n.saturating_sub(1));
                return;
            };
            computation = more;
            if self.slice_over(start, computation.whole_next()) {
                next_task(move || self.answer_as_of(computation, generation, at));
                return;
            }
        }
    }

    /// Removes one loaded file. Row numbers shift, so a "show rows" filter (and the
    /// selected row) would point at other rows: both go. With many events left (and no
    /// file being merged), the answers for the rest are worked out in slices as after a
    /// load: meanwhile the results show no answers (the last ones' row numbers are gone)
    /// and the parts after them are empty; then they are drawn again, a part at a time.
    pub fn remove_file(&self, id: SourceId) {
        let many = self
            .data
            .with_untracked(|d| d.events.len() > ANSWERED_AT_ONCE);
        if many && self.ahead.with_value(|a| !a.busy) {
            self.changed();
            let choice = self.as_of_choice.get_untracked();
            let at = self.data.try_update_untracked(|d| {
                d.remove(id);
                as_of_for(choice, d).filter(|_| !d.events.is_empty())
            });
            match at.flatten() {
                Some(at) => self.remove_then_answer(at),
                // No instant left to answer for: announced as any other change.
                None => {
                    self.update_data(|_| ());
                }
            }
        } else {
            self.update_data(|d| d.remove(id));
        }
        self.set_filter(|f| {
            f.rows = None;
            f.rows_label.clear();
        });
    }

    /// Announces the data after a removal without answers, then works them out in
    /// slices (see [`Self::remove_file`]).
    fn remove_then_answer(self, at: Millis) {
        let generation = self.generation();
        let cleared = self.ahead.try_update_value(|a| {
            a.busy = true;
            a.answering = Some(Answering {
                generation,
                at,
                keep_last: false,
            });
            a.cleared
        });
        self.reading.update(|n| *n += 1);
        drawing(true);
        self.drawn.set(Part::Answers);
        self.data.notify();
        let computation = Box::new(answers::Computation::new(at));
        let working = Some(Working::Answering(computation, generation, at));
        next_task(move || self.work_out(working, cleared.unwrap_or_default()));
    }

    /// Removes everything: loaded files, files being read, files waiting for their
    /// columns, messages and filters.
    pub fn clear(&self) {
        for job in self.jobs.get_untracked() {
            jobs::stop(job.id);
        }
        self.jobs.set(Vec::new());
        self.ahead.update_value(|a| {
            a.cleared += 1;
            a.waiting.clear();
        });
        self.pending.set(Vec::new());
        self.update_data(|d| d.clear());
        self.errors.set(Vec::new());
        self.set_filter(|f| *f = Filter::default());
    }

    pub fn push_error(&self, file: &str, message: &str) {
        let id = self.new_id();
        self.errors.update(|errors| {
            errors.push(FileError {
                id,
                file: file.to_string(),
                message: message.to_string(),
            });
        });
    }

    /// Applies new filters and goes back to the first page.
    pub fn set_filter(&self, change: impl FnOnce(&mut Filter)) {
        self.filter.update(change);
        self.selected.set(None);
    }

    /// "Show rows": the rows behind a number become the rows table's filter.
    pub fn show(&self, label: &str, what: RowsOf) {
        let Some(answers) = self.answers.get_untracked() else {
            return;
        };
        let rows = timed("rows behind", || {
            self.data.with_untracked(|d| answers.rows_behind(d, &what))
        });
        self.show_rows(Filter::rows_behind(label, rows));
    }

    /// Replaces the filters and scrolls to the rows table.
    pub fn show_rows(&self, filter: Filter) {
        self.set_filter(|f| *f = filter);
        if let Some(rows) = document().get_element_by_id("rows") {
            rows.scroll_into_view();
        }
    }

    /// Draws the results up to `part` (the warm-up's drawing, a part at a time).
    pub fn draw_to(&self, part: Part) {
        self.drawn.set(part);
    }

    /// Whether the results are drawn up to `part` (tracked).
    pub fn drawn_to(&self, part: Part) -> bool {
        self.drawn_to[part as usize].get()
    }

    /// The answers for a part of the results (tracked): none until it is drawn.
    pub fn answers_for(&self, part: Part) -> Option<Shared<Answers>> {
        self.drawn_to(part).then(|| self.answers.get()).flatten()
    }

    /// What `f` reads from the answers (tracked), or `T::default()` before there are any.
    pub fn with_answers<T: Default>(&self, f: impl FnOnce(&Answers) -> T) -> T {
        self.answers
            .with(|a| a.as_ref().map(|a| f(a)).unwrap_or_default())
    }

    pub fn busy(&self) -> bool {
        self.reading.get() > 0 || self.jobs.with(|j| !j.is_empty())
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}
