//! The parsing worker's side. The page starts a classic worker from a Blob URL holding
//! the wasm-bindgen glue and `initSync`s the page's own compiled module in it, then
//! calls [`worker_start`]. Each message asks to read a `File` (or make a sample); the
//! worker answers with progress, then one wire message per file read (see
//! `report::wire`), a column-mapping request, or an error, and always `end`.
//!
//! A large file may be read by two workers at once (see `ingest::load_front`): the
//! front worker gets `split` (the middle byte) and reads up to the cut; the back worker
//! gets `back` and answers with a `back` message (its rows, or false if it could not
//! read them), which the page passes to the front worker as `join`. The front settles
//! its rows with the back's date evidence and sends them with the back's message after
//! them, for the page to add; or it reads the back itself and joins it.
//!
//! A `warm` message (sent to the spare worker the page keeps ready) runs the whole
//! pipeline once on the built-in samples and answers `ready`. The compiled module is
//! shared with the page, so the engine's optimised code for parsing, merging and the
//! answers exists before the user's first file, in the worker and on the page alike.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use super::blob_reader::BlobReader;
use crate::report::answers;
use crate::report::charts;
use crate::report::filter::{self, Filter, Sort};
use crate::report::generate::{sample_audit_files, sample_files};
use crate::report::ingest::{self, Front, Input, Loaded, Progress};
use crate::report::intern::Interner;
use crate::report::model::Dataset;
use crate::report::problems::LoadError;
use crate::report::wire;
use crate::text::en as t;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(kind: &str, fields: &[(&str, JsValue)], transfer: Option<&JsValue>) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    for (k, v) in fields {
        let _ = Reflect::set(&message, &(*k).into(), v);
    }
    let _ = match transfer {
        Some(t) => scope().post_message_with_transfer(&message, &Array::of1(t)),
        None => scope().post_message(&message),
    };
}

/// Installs the message handler; called once, right after `initSync`.
#[wasm_bindgen]
pub fn worker_start() {
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        let has = |key: &str| Reflect::has(&data, &key.into()).unwrap_or(false);
        if has("warm") {
            warm();
            post("ready", &[], None);
        } else if has("join") {
            // The back for the waiting front; a late one (the front read the whole file
            // after all, and the job has ended) is ignored.
            if join(&data) {
                post("end", &[], None);
            }
        } else if handle(&data) {
            post("end", &[], None);
        }
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

/// Milliseconds on the shared clock (`timeOrigin + now`), so the page can place the
/// worker's phases on its own timeline.
fn clock() -> f64 {
    let performance = scope().performance();
    performance.map_or_else(js_sys::Date::now, |p| p.time_origin() + p.now())
}

/// Runs what the page runs for a file, on the samples, and throws the results away.
fn warm() {
    let files: Vec<_> = sample_files()
        .into_iter()
        .chain(sample_audit_files())
        .collect();
    for _ in 0..WARM_ROUNDS {
        let mut merged = Dataset::default();
        for (name, bytes) in &files {
            let mut data = Dataset::default();
            if ingest::load(&mut data, name, bytes).is_ok() {
                wire::merge(&mut merged, &wire::encode(&data));
            }
        }
        if let Some(at) = merged.latest_event() {
            let answers = answers::compute(&merged, at);
            let mut rows = filter::apply(&merged, &Filter::default());
            filter::sort(&merged, &mut rows, Sort::default());
            charts::series(&merged, &answers.attempts, &answers.rows, &rows);
        }
        if let Some((name, bytes)) = files.first() {
            warm_split(name, bytes);
        }
    }
}

/// Reads `bytes` in two parts, as two workers and the page do for a large file.
fn warm_split(name: &str, bytes: &[u8]) {
    let middle = bytes.len() as u64 / 2;
    let mut front = Dataset::default();
    let mut open = ingest::in_memory(bytes);
    let read = ingest::load_front(&mut front, name, &mut open, None, middle, &mut |_| {});
    let Ok(Loaded::Front(part)) = read else {
        return;
    };
    let mut strings = Interner::default();
    let Ok(back) = ingest::load_back(&mut strings, &mut open, None, middle, &mut |_| {}) else {
        return;
    };
    let back = wire::encode_back(&back, &strings);
    let head = wire::back_head(&back);
    if let Some((_, join)) = head.and_then(|head| part.settle_alone(&mut front, name, &head)) {
        let mut message = wire::encode_front(&front, &join);
        message.extend_from_slice(&back);
        wire::merge(&mut Dataset::default(), &message);
    }
}

/// Rounds of the warm-up. With 4, the engine still optimised the reading and drawing
/// code during the user's first file (on two cores, beside both workers); with 16 the
/// classic 75k report was answered ~15 ms sooner (median of 7 runs each, interleaved),
/// and the worker is ready about half a second later (~0.9 s after the page opens).
const WARM_ROUNDS: usize = 16;

/// A front read up to its cut, waiting for its back.
struct Pending {
    data: Dataset,
    front: Box<Front>,
    file: File,
    mapping: Option<Vec<Option<usize>>>,
    start: f64,
}

thread_local! {
    static PENDING: std::cell::RefCell<Option<Pending>> = const { std::cell::RefCell::new(None) };
}

fn field(message: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(message, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Posts bytes and rows read (counted on from `base`), at most every 100 ms; and at once
/// when a front gives up its cut, so the page can stop the back worker.
fn progress_poster(base: Progress) -> impl FnMut(Progress) {
    let mut last_post = 0.0;
    move |p: Progress| {
        let now = js_sys::Date::now();
        if p.whole || now - last_post >= 100.0 {
            last_post = now;
            post(
                "progress",
                &[
                    ("bytes", ((base.bytes + p.bytes) as f64).into()),
                    ("rows", ((base.rows + p.rows) as f64).into()),
                    ("whole", p.whole.into()),
                ],
                None,
            );
        }
    }
}

/// Opens `file` at a byte offset; a reader opened before `stop` slices up to it first.
fn opener(file: &File, stop: Option<u64>) -> impl FnMut(u64) -> Box<dyn Input> {
    let blob: web_sys::Blob = file.clone().into();
    move |at| match BlobReader::new(blob.clone(), at, stop.filter(|&s| at < s)) {
        Some(reader) => Box::new(reader),
        None => Box::new(std::io::empty()),
    }
}

/// Handles a request; false when the job goes on (a front waiting for its back).
fn handle(message: &JsValue) -> bool {
    let get = |key: &str| field(message, key);
    if let Some(sample) = get("sample").and_then(|s| s.as_string()) {
        let files = if sample == "audit" {
            sample_audit_files()
        } else {
            sample_files()
        };
        for (name, bytes) in files {
            let mut data = Dataset::default();
            let start = clock();
            match ingest::load(&mut data, name, &bytes) {
                Ok(_) => send_file(&data, start),
                Err(error) => post("error", &[("message", t::load_error(&error).into())], None),
            }
        }
        return true;
    }
    let Some(file) = get("file").and_then(|f| f.dyn_into::<File>().ok()) else {
        return true;
    };
    let mapping: Option<Vec<Option<usize>>> = get("mapping").map(|m| {
        Array::from(&m)
            .iter()
            .map(|v| v.as_f64().map(|n| n as usize))
            .collect()
    });
    let middle = |key: &str| get(key).and_then(|v| v.as_f64()).map(|m| m as u64);
    let mut progress = progress_poster(Progress::default());
    let split = middle("split");
    // The front of a split file reads up to about the middle.
    let mut open = opener(&file, split);
    if let Some(middle) = middle("back") {
        let mut strings = Interner::default();
        let back = ingest::load_back(
            &mut strings,
            &mut open,
            mapping.as_deref(),
            middle,
            &mut progress,
        );
        let rows = back.ok().map(|back| {
            let array = Uint8Array::from(wire::encode_back(&back, &strings).as_slice());
            JsValue::from(array.buffer())
        });
        // Without rows (`false`), the front reads the file again whole (as one reader
        // decides a file that is not UTF-8 after all), or reads it alone (not splittable).
        let payload = rows.clone().unwrap_or(JsValue::FALSE);
        post(
            "back",
            &[("payload", payload), ("memory", memory())],
            rows.as_ref(),
        );
        // The page ends this worker when the back arrives: no `end`.
        return false;
    }
    let name = file.name();
    let mut data = Dataset::default();
    let start = clock();
    let read = match split {
        Some(middle) => ingest::load_front(
            &mut data,
            &name,
            &mut open,
            mapping.as_deref(),
            middle,
            &mut progress,
        ),
        None => ingest::load_from(
            &mut data,
            &name,
            &mut open,
            mapping.as_deref(),
            &mut progress,
        )
        .map(Loaded::Whole),
    };
    match read {
        Ok(Loaded::Whole(_)) => send_file(&data, start),
        Ok(Loaded::Front(front)) => {
            let pending = Pending {
                data,
                front,
                file,
                mapping,
                start,
            };
            PENDING.with(|p| *p.borrow_mut() = Some(pending));
            return false;
        }
        Err(LoadError::UnknownHeader { .. }) => {
            let preview = BlobReader::new(file.clone().into(), 0, None)
                .and_then(|r| ingest::preview_from(Box::new(r), 5).ok());
            match preview {
                Some(p) => {
                    let header: Array = p.header.iter().map(|h| JsValue::from_str(h)).collect();
                    let rows: Array = p
                        .rows
                        .iter()
                        .map(|row| row.iter().map(|c| JsValue::from_str(c)).collect::<Array>())
                        .collect();
                    post(
                        "mapping",
                        &[("header", header.into()), ("rows", rows.into())],
                        None,
                    );
                }
                None => post("error", &[("message", t::FILE_UNREADABLE.into())], None),
            }
        }
        Err(error) => post("error", &[("message", t::load_error(&error).into())], None),
    }
    true
}

/// Sends the waiting front with the back another worker read (`join`, its message): the
/// front settled alone, the back's message after it, for the page to add (see
/// `wire::encode_front`; joining it here took ~20 ms at 75,000 rows, and the page read
/// every string again anyway). If the back worker failed (`join` null), the front reads
/// the back itself and joins it; if it could not read it (`join` false: not UTF-8 after
/// all, or not splittable there), or the back does not fit, the file is read again
/// whole, as one reader decides such a file. False when no front was waiting.
fn join(message: &JsValue) -> bool {
    let Some(Pending {
        mut data,
        front,
        file,
        mapping,
        start,
    }) = PENDING.with(|p| p.borrow_mut().take())
    else {
        return false;
    };
    let mut open = opener(&file, None);
    let payload = Reflect::get(message, &"join".into()).unwrap_or(JsValue::NULL);
    let name = file.name();
    if payload.is_instance_of::<js_sys::ArrayBuffer>() {
        // The front settles alone, with the back's date evidence; the page adds the
        // back's rows from its message, sent on after the front's.
        let back = Uint8Array::new(&payload);
        let head = back.subarray(0, wire::BACK_HEAD as u32).to_vec();
        let settled =
            wire::back_head(&head).and_then(|head| front.settle_alone(&mut data, &name, &head));
        if let Some((_, join)) = settled {
            send_message(&wire::encode_front(&data, &join), Some(&back), start);
            return true;
        }
    } else {
        let back = payload.is_null().then(|| {
            let mut progress = progress_poster(front.reached());
            let strings = &mut data.strings;
            ingest::load_back(
                strings,
                &mut open,
                mapping.as_deref(),
                front.middle,
                &mut progress,
            )
        });
        if let Some(Ok(back)) = back {
            if front.join(&mut data, &name, back).is_some() {
                send_file(&data, start);
                return true;
            }
        }
    }
    let mut progress = progress_poster(Progress::default());
    let mut data = Dataset::default();
    match ingest::load_from(
        &mut data,
        &name,
        &mut open,
        mapping.as_deref(),
        &mut progress,
    ) {
        Ok(_) => send_file(&data, start),
        Err(error) => post("error", &[("message", t::load_error(&error).into())], None),
    }
    true
}

/// Sends a read file as a wire message, its buffer transferred, not copied, with when
/// reading began and ended (shared clock) and the worker's wasm memory, for the page's
/// performance measures.
fn send_file(data: &Dataset, start: f64) {
    send_message(&wire::encode(data), None, start);
}

/// Sends the wire message `message`, then `tail` (a back message, in a JS array) in the
/// same buffer (see [`send_file`]).
fn send_message(message: &[u8], tail: Option<&Uint8Array>, start: f64) {
    let read = clock();
    let length = message.len() as u32;
    let array = Uint8Array::new_with_length(length + tail.map_or(0, Uint8Array::length));
    array.subarray(0, length).copy_from(message);
    if let Some(tail) = tail {
        array.set(tail, length);
    }
    let buffer = array.buffer();
    post(
        "file",
        &[
            ("payload", buffer.clone().into()),
            ("start", start.into()),
            ("read", read.into()),
            ("encoded", clock().into()),
            ("memory", memory()),
        ],
        Some(&buffer.into()),
    );
}

/// This worker's wasm memory in bytes (it only grows: its peak so far).
fn memory() -> JsValue {
    let bytes = wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length();
    f64::from(bytes).into()
}
