//! The work the page's main thread does after a 1,000,000-event file arrives from the
//! worker, phase by phase (native timings; the page runs the same code as wasm).
//! Prints figures; asserts nothing.
//!
//! ```text
//! cargo bench --bench phases -- DIR   (DIR holds `entra-audit-1m.csv` from `sspr-gen --bench-inputs`)
//! ```

use std::time::Instant;

use sspr_viewer::report::answers::compute;
use sspr_viewer::report::filter::{self, Filter, Sort};
use sspr_viewer::report::ingest::load;
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::{charts, wire};

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "target/bench".into());
    let path = std::path::Path::new(&dir).join("entra-audit-1m.csv");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!(
            "missing {}: run `sspr-gen --out {dir} --bench-inputs`",
            path.display()
        );
        std::process::exit(1);
    };
    let mut worker = Dataset::default();
    load(&mut worker, "entra-audit-1m.csv", &bytes).expect("the benchmark input loads");
    drop(bytes);
    let time = |label: &str, f: &mut dyn FnMut() -> String| {
        let t = Instant::now();
        let note = f();
        println!(
            "  {label:<28} {:8.1} ms  {note}",
            t.elapsed().as_secs_f64() * 1e3
        );
    };
    println!(
        "main-thread phases for {} events, {} strings",
        worker.events.len(),
        worker.strings.len()
    );
    let mut payload = Vec::new();
    time("wire encode (in the worker)", &mut || {
        payload = wire::encode(&worker);
        format!("{} MB", payload.len() / 1_000_000)
    });
    let mut data = Dataset::default();
    time("wire merge", &mut || {
        wire::merge(&mut data, &payload);
        String::new()
    });
    let as_of = data.latest_event().unwrap_or(0);
    let mut answers = None;
    time("answers", &mut || {
        answers = Some(compute(&data, as_of));
        String::new()
    });
    let answers = answers.expect("computed");
    let mut rows = Vec::new();
    time("filter (all rows)", &mut || {
        rows = filter::apply(&data, &Filter::default());
        format!("{} rows", rows.len())
    });
    time("sort by time", &mut || {
        filter::sort(&data, &mut rows, Sort::default());
        String::new()
    });
    time("chart series", &mut || {
        charts::series(&data, &answers.attempts, &answers.rows, &rows);
        String::new()
    });
}
