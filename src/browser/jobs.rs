//! The page's side of the parsing workers: start one per job from the worker source
//! the page carries inline (`<script type="text/plain" id="sspr-worker-src">`, written
//! by `make dist`), route its messages, cancel it. Works the same hosted and over
//! file://, where workers from separate script files are refused.
//!
//! A large file is read by two workers at once: the front worker from the start, the
//! back worker from the middle (see `ingest::load_front`); the back worker's rows go to
//! the front worker, which sends them on after its own. The job's progress is the sum
//! of both, and Cancel stops both.
//!
//! [`SPARES`] workers are kept ready ([`prepare`]), so a job starts at once. The first
//! spare is also warmed (see `worker.rs`): by the user's first file the engine has
//! optimised the parsing, merging and answer code that page and workers share. A job
//! never waits for the warm-up: until it is over, jobs get workers of their own.
//! `<html data-worker="ready">` says the warm-up is over.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, File, MessageEvent, Url, Worker};

/// What a job asks a worker to do.
pub enum Work {
    /// Read a file; with a column mapping when the user gave one.
    File(File, Option<Vec<Option<usize>>>),
    /// Make and read a built-in sample: `classic` or `audit`.
    Sample(&'static str),
}

/// A row of header names or cells.
pub type Header = Vec<String>;

/// What the page does with a worker's answers.
pub struct Handlers {
    pub progress: Box<dyn FnMut(f64, f64)>,
    pub file: Box<dyn FnMut(Uint8Array)>,
    pub mapping: Box<dyn FnMut(Header, Vec<Header>)>,
    pub error: Box<dyn FnMut(String)>,
    /// The job is over (after its files, mapping request or error; or it crashed).
    pub end: Box<dyn FnMut(bool)>,
}

/// Spare workers kept ready: enough for one file read in two parts.
const SPARES: usize = 2;

/// Files at least this large are read by two workers (when the machine has two cores).
const SPLIT_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// The share of a split file the front worker reads: a little more than half, as the
/// back worker also reads the header and sends its rows, and the front then joins them.
const FRONT_SHARE: f64 = 0.53;

/// A started worker; `handlers` is empty while it is the spare.
struct Running {
    worker: Worker,
    handlers: Rc<RefCell<Option<Handlers>>>,
    /// Bytes and rows read: by this worker, and by its back worker.
    progress: Rc<Cell<[(f64, f64); 2]>>,
    /// The worker reading the back of this job's file, until it has sent it.
    back: Option<BackWorker>,
    /// The job it runs, once it has one.
    job: Rc<Cell<Option<u32>>>,
    /// Set once the worker has no warm-up ahead of a job.
    ready: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// A spare turned into the reader of a job's back: its messages go to the job's front.
struct BackWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    static RUNNING: RefCell<HashMap<u32, Running>> = RefCell::new(HashMap::new());
    static SPARE: RefCell<Vec<Running>> = const { RefCell::new(Vec::new()) };
    static WARMED: Cell<bool> = const { Cell::new(false) };
}

fn sum(progress: [(f64, f64); 2]) -> (f64, f64) {
    (progress[0].0 + progress[1].0, progress[0].1 + progress[1].1)
}

/// The Blob URL of the worker's script, made once from the source the page carries (it
/// lives as long as the page); `None` when the page has no worker source.
fn script_url() -> Option<String> {
    thread_local! {
        static URL: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
    }
    URL.with(|url| {
        url.get_or_init(|| {
            let element = leptos::prelude::document().get_element_by_id("sspr-worker-src")?;
            let text = element.text_content().filter(|s| !s.is_empty())?;
            let options = BlobPropertyBag::new();
            options.set_type("text/javascript");
            let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&text.into()), &options)
                .ok()?;
            Url::create_object_url_with_blob(&blob).ok()
        })
        .clone()
    })
}

fn strings(value: &JsValue) -> Vec<String> {
    Array::from(value)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// Records the worker's reading and encoding of a file as User Timing measures on the
/// page's timeline, and its wasm memory as a mark (`make bench` reads them).
fn record_worker_timing(get: &dyn Fn(&str) -> JsValue) {
    let Some(origin) = leptos::prelude::window()
        .performance()
        .map(|p| p.time_origin())
    else {
        return;
    };
    let at = |k: &str| get(k).as_f64().map(|t| t - origin);
    let measure = |name: &str, start: Option<f64>, end: Option<f64>| {
        if let (Some(start), Some(end)) = (start, end) {
            user_timing(
                "measure",
                name,
                &[("start", start.into()), ("end", end.into())],
            );
        }
    };
    measure("sspr:worker read", at("start"), at("read"));
    measure("sspr:worker encode", at("read"), at("encoded"));
    record_memory("sspr:worker memory", get("memory"));
}

/// Records a worker's wasm memory as a mark (its peak: wasm memory only grows).
fn record_memory(name: &str, memory: JsValue) {
    if memory.as_f64().is_some() {
        user_timing("mark", name, &[("detail", memory)]);
    }
}

/// Calls `performance.mark` or `performance.measure` (`method`) with `name` and an
/// options object of `fields` (through Reflect: web-sys's typed options would add to
/// the download).
pub fn user_timing(method: &str, name: &str, fields: &[(&str, JsValue)]) {
    let Some(performance) = leptos::prelude::window().performance() else {
        return;
    };
    let options = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&options, &(*key).into(), value);
    }
    if let Ok(f) = Reflect::get(&performance, &method.into()) {
        let f: js_sys::Function = f.unchecked_into();
        let _ = f.call2(&performance, &name.into(), &options);
    }
}

/// Starts a worker with the page's compiled module; no job yet.
fn spawn(warm: bool) -> Option<Running> {
    let worker = Worker::new(&script_url()?).ok()?;
    let handlers: Rc<RefCell<Option<Handlers>>> = Rc::new(RefCell::new(None));
    let job: Rc<Cell<Option<u32>>> = Rc::new(Cell::new(None));
    let ready = Rc::new(Cell::new(!warm));
    let progress: Rc<Cell<[(f64, f64); 2]>> = Rc::default();
    let on_message = {
        let handlers = handlers.clone();
        let job = job.clone();
        let ready = ready.clone();
        let progress = progress.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            let kind = get("type").as_string();
            if kind.as_deref() == Some("ready") {
                ready.set(true);
                if let Some(root) = leptos::prelude::document().document_element() {
                    let _ = root.set_attribute("data-worker", "ready");
                }
                return;
            }
            let mut slot = handlers.borrow_mut();
            let Some(h) = slot.as_mut() else { return };
            match kind.as_deref() {
                Some("progress") => {
                    drop(slot);
                    report_progress(&progress, 0, &get, &handlers);
                    // The front reads the whole file: its back worker is not needed.
                    if get("whole").as_bool() == Some(true) {
                        if let Some(id) = job.get() {
                            end_back(id, false);
                        }
                    }
                }
                Some("file") => {
                    record_worker_timing(&get);
                    (h.file)(Uint8Array::new(&get("payload")))
                }
                Some("mapping") => {
                    let rows = Array::from(&get("rows"))
                        .iter()
                        .map(|r| strings(&r))
                        .collect();
                    (h.mapping)(strings(&get("header")), rows)
                }
                Some("error") => (h.error)(get("message").as_string().unwrap_or_default()),
                Some("end") => {
                    (h.end)(true);
                    drop(slot);
                    if let Some(id) = job.get() {
                        stop(id);
                    }
                }
                _ => {}
            }
        })
    };
    let on_error = {
        let handlers = handlers.clone();
        let job = job.clone();
        Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            match job.get() {
                Some(id) => {
                    if let Some(h) = handlers.borrow_mut().as_mut() {
                        (h.end)(false);
                    }
                    stop(id);
                }
                // A spare failed before it had a job: a new one is started on demand.
                None => drop_spares(),
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let init = Object::new();
    let _ = Reflect::set(&init, &"init".into(), &wasm_bindgen::module());
    let running = Running {
        worker,
        handlers,
        progress,
        back: None,
        job,
        ready,
        _on_message: on_message,
        _on_error: on_error,
    };
    if running.worker.post_message(&init).is_err() {
        end(running);
        return None;
    }
    if warm {
        let message = Object::new();
        let _ = Reflect::set(&message, &"warm".into(), &JsValue::TRUE);
        let _ = running.worker.post_message(&message);
    }
    Some(running)
}

/// Keeps [`SPARES`] workers ready; the first one ever is warmed.
pub fn prepare() {
    while SPARE.with(|s| s.borrow().len()) < SPARES {
        let warm = !WARMED.with(|w| w.replace(true));
        let Some(spare) = spawn(warm) else { return };
        SPARE.with(|s| s.borrow_mut().push(spare));
    }
}

fn drop_spares() {
    for spare in SPARE.with(|s| std::mem::take(&mut *s.borrow_mut())) {
        end(spare);
    }
}

/// A ready spare, or a new worker. A spare still warming up would make the job wait
/// behind the warm-up: then the job gets a worker of its own and the spare warms on.
fn take_worker() -> Option<Running> {
    let spare = SPARE.with(|s| {
        let mut s = s.borrow_mut();
        let ready = s.iter().position(|r| r.ready.get())?;
        Some(s.remove(ready))
    });
    spare.or_else(|| spawn(false))
}

/// Whether the machine has a core for a second worker.
fn two_cores() -> bool {
    let navigator = Reflect::get(&leptos::prelude::window(), &"navigator".into());
    navigator
        .and_then(|n| Reflect::get(&n, &"hardwareConcurrency".into()))
        .ok()
        .and_then(|c| c.as_f64())
        .is_some_and(|c| c >= 2.0)
}

/// Turns `running` into the back worker of job `id`, whose worker is `front`: its
/// messages now go to the job.
fn back_worker(running: Running, id: u32, front: &Running) -> BackWorker {
    // Tells the front worker what became of the back: its rows (an ArrayBuffer), `false`
    // (the back worker could not read them: the front reads the file again whole) or
    // null (the back worker failed: the front reads the back itself).
    let send = {
        let front_worker = front.worker.clone();
        move |payload: JsValue| {
            let message = Object::new();
            let _ = Reflect::set(&message, &"join".into(), &payload);
            let sent = if payload.is_instance_of::<js_sys::ArrayBuffer>() {
                front_worker.post_message_with_transfer(&message, &Array::of1(&payload))
            } else {
                front_worker.post_message(&message)
            };
            if sent.is_err() {
                let _ = Reflect::set(&message, &"join".into(), &JsValue::NULL);
                let _ = front_worker.post_message(&message);
            }
        }
    };
    let on_message = {
        let send = send.clone();
        let handlers = front.handlers.clone();
        let progress = front.progress.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            match get("type").as_string().as_deref() {
                Some("progress") => report_progress(&progress, 1, &get, &handlers),
                Some("back") => {
                    record_memory("sspr:back worker memory", get("memory"));
                    let payload = get("payload");
                    let rows = payload.is_instance_of::<js_sys::ArrayBuffer>();
                    send(payload);
                    end_back(id, rows);
                }
                _ => {}
            }
        })
    };
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
        e.prevent_default();
        send(JsValue::NULL);
        end_back(id, false);
    });
    let worker = running.worker.clone();
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The spare's own closures, no longer installed.
    retire(running);
    BackWorker {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    }
}

/// Sets a worker's bytes and rows (slot 0: the job's worker, 1: its back worker) and
/// tells the job the sum.
fn report_progress(
    progress: &Cell<[(f64, f64); 2]>,
    slot: usize,
    get: &dyn Fn(&str) -> JsValue,
    handlers: &RefCell<Option<Handlers>>,
) {
    let mut both = progress.get();
    both[slot] = (
        get("bytes").as_f64().unwrap_or(0.0),
        get("rows").as_f64().unwrap_or(0.0),
    );
    progress.set(both);
    if let Some(h) = handlers.borrow_mut().as_mut() {
        let (bytes, rows) = sum(both);
        (h.progress)(bytes, rows);
    }
}

/// Ends job `id`'s back worker: it has sent its rows (`joined`: what it read still
/// counts in the progress), or they will not be used (it failed, or the front reads
/// the whole file): then its count goes.
fn end_back(id: u32, joined: bool) {
    let back = RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        let running = r.get_mut(&id)?;
        if !joined {
            let mut both = running.progress.get();
            both[1] = (0.0, 0.0);
            running.progress.set(both);
        }
        running.back.take()
    });
    if let Some(back) = back {
        end_worker(back);
    }
}

/// Starts job `id`; false when the page has no worker source or cannot start workers.
pub fn start(id: u32, work: Work, handlers: Handlers) -> bool {
    let Some(mut running) = take_worker() else {
        return false;
    };
    *running.handlers.borrow_mut() = Some(handlers);
    running.job.set(Some(id));
    let request = Object::new();
    match work {
        Work::File(file, mapping) => {
            let _ = Reflect::set(&request, &"file".into(), &file);
            if let Some(at) = mapping {
                let list: Array = at
                    .iter()
                    .map(|i| i.map_or(JsValue::NULL, |n| JsValue::from(n as f64)))
                    .collect();
                let _ = Reflect::set(&request, &"mapping".into(), &list);
            }
            // Two workers for one file only when no other file is being read.
            let alone = RUNNING.with(|r| r.borrow().is_empty());
            if file.size() >= SPLIT_BYTES && alone && two_cores() {
                if let Some(helper) = take_worker() {
                    let middle = (file.size() * FRONT_SHARE).floor();
                    // The same file and mapping, from the middle; the front is told of
                    // the split only once the back worker has its request.
                    let asked = Object::assign(&Object::new(), &request);
                    let _ = Reflect::set(&asked, &"back".into(), &middle.into());
                    let helper = back_worker(helper, id, &running);
                    if helper.worker.post_message(&asked).is_ok() {
                        let _ = Reflect::set(&request, &"split".into(), &middle.into());
                        running.back = Some(helper);
                    } else {
                        end_worker(helper);
                    }
                }
            }
        }
        Work::Sample(kind) => {
            let _ = Reflect::set(&request, &"sample".into(), &kind.into());
        }
    }
    if running.worker.post_message(&request).is_err() {
        // Ends its back worker too.
        end(running);
        return false;
    }
    RUNNING.with(|r| r.borrow_mut().insert(id, running));
    true
}

/// Stops job `id` (cancel, or after its end): its workers and their memory are gone.
/// Spares are made again once no job runs: starting a worker takes a core.
pub fn stop(id: u32) {
    if let Some(running) = RUNNING.with(|r| r.borrow_mut().remove(&id)) {
        end(running);
    }
    if RUNNING.with(|r| r.borrow().is_empty()) {
        // After the page has shown what the job read.
        leptos::prelude::set_timeout(
            || {
                if RUNNING.with(|r| r.borrow().is_empty()) {
                    prepare();
                }
            },
            std::time::Duration::from_millis(SPARE_DELAY_MS),
        );
    }
}

/// How long after the last job ends the spares are made again.
const SPARE_DELAY_MS: u64 = 400;

fn end(mut running: Running) {
    running.worker.terminate();
    if let Some(back) = running.back.take() {
        end_worker(back);
    }
    retire(running);
}

fn end_worker(back: BackWorker) {
    back.worker.terminate();
    retire(back);
}

/// Drops a worker's closures in a later task: dropping one while it runs (the message
/// that ends a job is handled by one) is not allowed.
fn retire<T: 'static>(closures: T) {
    wasm_bindgen_futures::spawn_local(async move {
        drop(closures);
    });
}
