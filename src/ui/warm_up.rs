//! Warms the page's drawing code before the user's first file. Once the page has opened
//! and is idle, the built-in classic sample is read and its results drawn into an
//! element that is not in the page, a part per task (see `state::Part`), a few times
//! over; then it is dropped. The browser optimises code only once it has run a while:
//! without this, the first file's results were drawn by code not yet optimised (the
//! classic 75k report: ~35 ms later). The first worker warms the parsing, merging and
//! answers code more (it runs them on both samples, many times). The warm-up stops as
//! soon as the user reads a file;
//! `<html data-warm="done">` says it is over.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::app::Results;
use super::file_list::FileList;
use super::state::{AppState, Part};
use crate::browser::tasks::{next_task, when_idle};
use crate::report::generate::sample_files;

/// Times the sample is drawn.
const ROUNDS: usize = 4;

/// The sample's files, made once and handed from step to step.
type Sample = [(&'static str, Vec<u8>); 2];

/// Where a round is: a step per task. The longest, the first drawing, takes ~50 ms (its
/// code is not optimised yet); a round in one task took ~250 ms.
enum Round {
    /// The sample's first `n` files read into a state of its own.
    Read(Owner, AppState, usize),
    /// Its answers worked out.
    Answered(Owner, AppState),
    /// Drawn up to a part, into an element that is not in the page (dropped first: the
    /// drawing, then its state).
    Drawn(Box<dyn std::any::Any>, Owner, AppState, Part),
}

/// Starts the warm-up once the page is idle; `page` is the page's own state, which it
/// leaves alone. The classic sample only: making and reading the audit sample too held
/// the page up to ~50 ms more, twice.
pub fn warm_up(page: AppState) {
    when_idle(move || step(page, sample_files(), ROUNDS, None));
}

/// Takes the next step of the warm-up, in a task of its own.
fn step(page: AppState, sample: Sample, rounds: usize, round: Option<Round>) {
    next_task(move || {
        let user_came = untrack(|| page.busy() || page.data.with(|d| !d.sources.is_empty()));
        if user_came {
            return;
        }
        if rounds == 0 {
            // For the tests: the warm-up is over.
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-warm", "done");
            }
            return;
        }
        let next = match round {
            None => {
                let owner = Owner::new();
                let state = owner.with(AppState::new);
                Round::Read(owner, state, 0)
            }
            Some(Round::Read(owner, state, read)) if read < sample.len() => {
                let (name, bytes) = &sample[read];
                owner.with(|| state.load_bytes(name, bytes));
                Round::Read(owner, state, read + 1)
            }
            Some(Round::Read(owner, state, _)) => {
                owner.with(|| state.answers.with_untracked(|_| ()));
                Round::Answered(owner, state)
            }
            Some(Round::Answered(owner, state)) => {
                state.draw_to(Part::Answers);
                let Some(handle) = mount(state) else { return };
                Round::Drawn(handle, owner, state, Part::Answers)
            }
            // Every part, the sessions too (the classic sample has none: they say so).
            Some(Round::Drawn(handle, owner, state, part)) => match part.next(true) {
                Some(next) => {
                    state.draw_to(next);
                    Round::Drawn(handle, owner, state, next)
                }
                None => return step(page, sample, rounds - 1, None),
            },
        };
        step(page, sample, rounds, Some(next));
    });
}

/// Draws the results of `state` into an element that is not in the page; dropping the
/// handle removes them.
fn mount(state: AppState) -> Option<Box<dyn std::any::Any>> {
    let element = document().create_element("div").ok()?;
    let element = element.dyn_into::<web_sys::HtmlElement>().ok()?;
    let handle = leptos::mount::mount_to(element, move || {
        provide_context(state);
        view! {
            <FileList/>
            <Results/>
        }
    });
    Some(Box::new(handle))
}
