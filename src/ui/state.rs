//! The app's state. Source signals hold the loaded data and the raw inputs (as-of
//! choice, filters, sort, page); everything derived — answers, filtered and sorted
//! rows, chart series — is a memo. Shared through context as one `Copy` handle.

use std::ops::Deref;
use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::File;

use crate::browser::jobs::{self, Handlers, Work};
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
    let performance = window().performance();
    let mark = format!("sspr:{name}:start");
    if let Some(p) = &performance {
        let _ = p.mark(&mark);
    }
    let out = f();
    if let Some(p) = performance {
        let _ = p.measure_with_start_mark(&format!("sspr:{name}"), &mark);
        p.clear_marks_with_mark_name(&mark);
    }
    out
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
    /// Files read on the page itself; the results region is busy while any is read.
    pub reading: RwSignal<u32>,
    /// Files being read by workers.
    pub jobs: RwSignal<Vec<Job>>,
    /// Files merged into `data` without notifying yet (see `read_in_worker`).
    unpublished: StoredValue<bool>,
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
}

impl AppState {
    pub fn new() -> AppState {
        let data = RwSignal::new(Dataset::default());
        let as_of_choice = RwSignal::new(AsOfChoice::Latest);
        let filter = RwSignal::new(Filter::default());
        let sort = RwSignal::new(Sort::default());

        let as_of = Memo::new(move |_| match as_of_choice.get() {
            AsOfChoice::Latest => data.with(Dataset::latest_event),
            AsOfChoice::Now(at) | AsOfChoice::EndOfDay(at) => Some(at),
        });
        let answers = Memo::new(move |_| {
            let at = as_of.get()?;
            data.with(|d| {
                (!d.events.is_empty())
                    .then(|| Shared::new(timed("answers", || answers::compute(d, at))))
            })
        });
        let filtered = Memo::new(move |_| {
            Shared::new(timed("filter", || {
                data.with(|d| filter.with(|f| filter::apply(d, f)))
            }))
        });
        let sorted = Memo::new(move |_| {
            let rows = filtered.get();
            let mut rows: Vec<u32> = rows.to_vec();
            let sort = sort.get();
            timed("sort", || data.with(|d| filter::sort(d, &mut rows, sort)));
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
            unpublished: StoredValue::new(false),
            last_id: StoredValue::new(0),
            as_of_choice,
            filter,
            sort,
            selected: RwSignal::new(None),
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
        let mut outcome = None;
        self.data
            .update(|d| outcome = Some(ingest::load(d, file, bytes)));
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
            // Files are merged as they come, unannounced; the job's end (a task of its
            // own) publishes them: one update of the answers, tables and charts per job.
            file: Box::new(move |payload| {
                timed("merge", || {
                    state.data.update_untracked(|d| {
                        wire::merge(d, &payload);
                    })
                });
                state.unpublished.set_value(true);
            }),
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

    /// Announces files merged without notice (see `read_in_worker`).
    fn publish(&self) {
        if self.unpublished.get_value() {
            self.unpublished.set_value(false);
            self.data.notify();
        }
    }

    /// Removes one loaded file. Row numbers shift, so a "show rows" filter (and the
    /// selected row) would point at other rows: both go.
    pub fn remove_file(&self, id: SourceId) {
        self.data.update(|d| d.remove(id));
        self.set_filter(|f| {
            f.rows = None;
            f.rows_label.clear();
        });
    }

    /// Removes everything: loaded files, files being read, files waiting for their
    /// columns, messages and filters.
    pub fn clear(&self) {
        for job in self.jobs.get_untracked() {
            jobs::stop(job.id);
        }
        self.jobs.set(Vec::new());
        self.unpublished.set_value(false);
        self.pending.set(Vec::new());
        self.data.update(|d| d.clear());
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
        let rows = self.data.with_untracked(|d| answers.rows_behind(d, &what));
        self.show_rows(Filter::rows_behind(label, rows));
    }

    /// Replaces the filters and scrolls to the rows table.
    pub fn show_rows(&self, filter: Filter) {
        self.set_filter(|f| *f = filter);
        if let Some(rows) = document().get_element_by_id("rows") {
            rows.scroll_into_view();
        }
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
