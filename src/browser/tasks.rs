//! Running code in a task of its own, right after the tasks already queued: the page
//! yields to the browser (input, painting) between slices of work without a timer's
//! delay (after five nested timers the browser holds each one back 4 ms); or after the
//! next frame is painted.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::prelude::*;
use web_sys::{MessageChannel, MessagePort};

/// Code waiting for its task.
type Task = Box<dyn FnOnce()>;

/// A message channel whose port posts to the other, and the closures waiting for their
/// task: one message per closure, delivered in order.
struct Queue {
    /// Kept, with its handler, for as long as the page lives.
    _receiver: MessagePort,
    sender: MessagePort,
    waiting: VecDeque<Task>,
    _on_message: Closure<dyn FnMut()>,
}

thread_local! {
    static QUEUE: RefCell<Option<Queue>> = const { RefCell::new(None) };
}

fn run_next() {
    let next = QUEUE.with_borrow_mut(|q| q.as_mut().and_then(|q| q.waiting.pop_front()));
    if let Some(f) = next {
        f();
    }
}

fn queue() -> Option<Queue> {
    let channel = MessageChannel::new().ok()?;
    let on_message = Closure::<dyn FnMut()>::new(run_next);
    let receiver = channel.port1();
    receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Queue {
        _receiver: receiver,
        sender: channel.port2(),
        waiting: VecDeque::new(),
        _on_message: on_message,
    })
}

/// Runs `f` in a new task; through a timer if the page cannot make a channel.
pub fn next_task(f: impl FnOnce() + 'static) {
    let f: Task = Box::new(f);
    let unsent = QUEUE.with_borrow_mut(|q| {
        if q.is_none() {
            *q = queue();
        }
        match q.as_mut() {
            Some(q) if q.sender.post_message(&JsValue::NULL).is_ok() => {
                q.waiting.push_back(f);
                None
            }
            _ => Some(f),
        }
    });
    if let Some(f) = unsent {
        leptos::prelude::set_timeout(f, Duration::ZERO);
    }
}

/// Runs `f` once the browser is idle (`requestIdleCallback`; where there is none, after
/// 200 ms).
pub fn when_idle(f: impl FnOnce() + 'static) {
    let window = leptos::prelude::window();
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match idle {
        Some(idle) => {
            let _ = idle.call1(&window, &Closure::once_into_js(f));
        }
        None => leptos::prelude::set_timeout(f, Duration::from_millis(200)),
    }
}

/// How long [`after_next_frame`] waits for a frame before it runs anyway: a page hidden
/// meanwhile paints none (its timers still run, if slowed).
const FRAME_LATE: Duration = Duration::from_millis(100);

/// Runs `f` in a new task once the browser has painted its next frame: what the last
/// task changed is laid out on its own. A hidden page paints no frames: there, at once.
pub fn after_next_frame(f: impl FnOnce() + 'static) {
    if leptos::prelude::document().hidden() {
        return next_task(f);
    }
    let f: Rc<Cell<Option<Task>>> = Rc::new(Cell::new(Some(Box::new(f))));
    let by_frame = f.clone();
    leptos::prelude::request_animation_frame(move || {
        if let Some(f) = by_frame.take() {
            next_task(f);
        }
    });
    let late = move || {
        if let Some(f) = f.take() {
            f();
        }
    };
    leptos::prelude::set_timeout(late, FRAME_LATE);
}
