//! Native ingest throughput of the core next to plain `csv` `ByteRecord` reading of the
//! same bytes, and the time to compute the answers. Prints figures; asserts nothing.
//!
//! ```text
//! cargo bench --bench ingest -- DIR   (DIR holds the files `sspr-gen --bench-inputs` wrote)
//! ```

use std::time::Instant;

use sspr_viewer::report::answers::compute;
use sspr_viewer::report::ingest::load;
use sspr_viewer::report::model::Dataset;

/// Best of `runs` timings, in seconds.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "target/bench".into());
    println!("native ingest (best of 3), inputs in {dir}");
    for name in ["classic-75k-reset-activity.csv", "entra-audit-1m.csv"] {
        let path = std::path::Path::new(&dir).join(name);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!(
                "missing {}: run `sspr-gen --out {dir} --bench-inputs`",
                path.display()
            );
            std::process::exit(1);
        };
        let mb = bytes.len() as f64 / 1e6;
        let (raw, rows) = best(3, || {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[..]);
            let mut record = csv::ByteRecord::new();
            let mut rows = 0u64;
            while reader.read_byte_record(&mut record).unwrap_or(false) {
                rows += 1;
            }
            rows
        });
        let (core, data) = best(3, || {
            let mut data = Dataset::default();
            load(&mut data, name, &bytes).expect("the benchmark input loads");
            data
        });
        let as_of = data.latest_event().unwrap_or(0);
        let (answers_time, answers) = best(3, || compute(&data, as_of));
        println!(
            "{name}: {mb:.1} MB, {} rows, {} events, {} reset attempts",
            rows - 1,
            data.events.len(),
            answers.reset_attempts
        );
        println!(
            "  csv ByteRecord   {:8.1} ms  {:7.1} MB/s  {:10.0} rows/s",
            raw * 1e3,
            mb / raw,
            rows as f64 / raw
        );
        println!(
            "  core ingest      {:8.1} ms  {:7.1} MB/s  {:10.0} rows/s",
            core * 1e3,
            mb / core,
            rows as f64 / core
        );
        println!("  core / raw       {:8.1} %", raw / core * 100.0);
        println!("  answers          {:8.1} ms", answers_time * 1e3);
    }
}
