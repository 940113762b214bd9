//! The page's side of the parsing workers: start one per job from the worker source
//! the page carries inline (`<script type="text/plain" id="sspr-worker-src">`, written
//! by `make dist`), route its messages, cancel it. Works the same hosted and over
//! file://, where workers from separate script files are refused.

use std::cell::RefCell;
use std::collections::HashMap;

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
    pub file: Box<dyn FnMut(Vec<u8>)>,
    pub mapping: Box<dyn FnMut(Header, Vec<Header>)>,
    pub error: Box<dyn FnMut(String)>,
    /// The job is over (after its files, mapping request or error; or it crashed).
    pub end: Box<dyn FnMut(bool)>,
}

struct Running {
    worker: Worker,
    url: String,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    static RUNNING: RefCell<HashMap<u32, Running>> = RefCell::new(HashMap::new());
}

/// The worker's script, when the page carries it.
fn source() -> Option<String> {
    let element = leptos::prelude::document().get_element_by_id("sspr-worker-src")?;
    element.text_content().filter(|s| !s.is_empty())
}

pub fn available() -> bool {
    source().is_some()
}

fn strings(value: &JsValue) -> Vec<String> {
    Array::from(value)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

/// Starts job `id`; false when the page has no worker source or cannot start workers.
pub fn start(id: u32, work: Work, handlers: Handlers) -> bool {
    let Some(text) = source() else { return false };
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&Array::of1(&text.into()), &options)
    else {
        return false;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let Ok(worker) = Worker::new(&url) else {
        let _ = Url::revoke_object_url(&url);
        return false;
    };
    let handlers = std::rc::Rc::new(RefCell::new(handlers));
    let on_message = {
        let handlers = handlers.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let data = e.data();
            let get = |k: &str| Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
            let mut h = handlers.borrow_mut();
            match get("type").as_string().as_deref() {
                Some("progress") => (h.progress)(
                    get("bytes").as_f64().unwrap_or(0.0),
                    get("rows").as_f64().unwrap_or(0.0),
                ),
                Some("file") => (h.file)(Uint8Array::new(&get("payload")).to_vec()),
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
                    drop(h);
                    stop(id);
                }
                _ => {}
            }
        })
    };
    let on_error = {
        let handlers = handlers.clone();
        Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            (handlers.borrow_mut().end)(false);
            stop(id);
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let init = Object::new();
    let _ = Reflect::set(&init, &"init".into(), &wasm_bindgen::module());
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
        }
        Work::Sample(kind) => {
            let _ = Reflect::set(&request, &"sample".into(), &kind.into());
        }
    }
    if worker.post_message(&init).is_err() || worker.post_message(&request).is_err() {
        worker.terminate();
        let _ = Url::revoke_object_url(&url);
        return false;
    }
    RUNNING.with(|r| {
        r.borrow_mut().insert(
            id,
            Running {
                worker,
                url,
                _on_message: on_message,
                _on_error: on_error,
            },
        )
    });
    true
}

/// Stops job `id` (cancel, or after its end): the worker and its memory are gone.
pub fn stop(id: u32) {
    // Dropping the closures while one is running is not allowed: drop them later.
    if let Some(running) = RUNNING.with(|r| r.borrow_mut().remove(&id)) {
        running.worker.terminate();
        let _ = Url::revoke_object_url(&running.url);
        wasm_bindgen_futures::spawn_local(async move {
            drop(running);
        });
    }
}
