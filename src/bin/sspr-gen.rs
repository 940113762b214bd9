//! Writes the generator's scenarios as files: the classic reports in any locale style
//! and `expected.json`, the answers they were built with. Used by the browser tests and
//! the benchmarks; `--summary FILE...` prints the viewer's own summary of files.
//!
//! ```text
//! sspr-gen --out DIR [--preset sample|full|audit-sample] [--style portal|excel-nl|excel-sv|excel-zh-tw|excel-gb|iso]
//! sspr-gen --out DIR --modern [--preset …]   every audit and registration export, and
//!                                            expected-audit.json, expected-audit-details.json,
//!                                            expected-usage.json
//! sspr-gen --out DIR --bench-inputs        the benchmark's 75,000-row and 1,000,000-event files
//! sspr-gen --summary FILE...
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use sspr_viewer::report::answers::compute;
use sspr_viewer::report::generate::{scenario, Expected, Knowledge, Params, Style};
use sspr_viewer::report::ingest::load;
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::summary::{build, to_json};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sspr-gen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("--summary") {
        let mut data = Dataset::default();
        for path in &args[1..] {
            let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
            let name = PathBuf::from(path);
            let name = name
                .file_name()
                .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
            if let Err(e) = load(&mut data, &name, &bytes) {
                eprintln!("{name}: {e}");
            }
        }
        let as_of = data.latest_event().unwrap_or(0);
        println!("{}", to_json(&build(&data, &compute(&data, as_of))));
        return Ok(());
    }
    let mut out = None;
    let mut modern = false;
    let mut params = Params::sample();
    let mut style = ("portal", Style::PORTAL);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--modern" => modern = true,
            "--bench-inputs" => return bench_inputs(out.as_ref().ok_or("--out DIR comes first")?),
            "--preset" => {
                params = match value()?.as_str() {
                    "sample" => Params::sample(),
                    "full" => Params::full_report(),
                    "audit-sample" => Params::audit_sample(),
                    other => return Err(format!("unknown preset {other}")),
                }
            }
            "--style" => {
                let name = value()?;
                style = *Style::ALL
                    .iter()
                    .find(|(n, _)| *n == name)
                    .ok_or(format!("unknown style {name}"))?;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let s = scenario(params);
    let write =
        |name: &str, bytes: &[u8]| std::fs::write(out.join(name), bytes).map_err(|e| e.to_string());
    let json = |e: &Expected| serde_json::to_string_pretty(e).map_err(|e| e.to_string());
    if modern {
        let log = s.audit_log();
        write("entra-audit.csv", &log.entra_csv())?;
        write("entra-audit.json", log.entra_json().as_bytes())?;
        for (k, page) in log.graph_pages(2_000).iter().enumerate() {
            write(
                &format!("graph-directoryAudits-page{}.json", k + 1),
                page.as_bytes(),
            )?;
        }
        write("log-analytics-auditlogs.csv", &log.log_analytics_csv())?;
        write("diagnostic-archive-PT1H.json", log.archive().as_bytes())?;
        write("event-hub-capture.json", log.archive_lines().as_bytes())?;
        write(
            "user-registration-details.json",
            s.registration_details_json().as_bytes(),
        )?;
        write(
            "user-registration-details.csv",
            &s.registration_details_csv(),
        )?;
        write("registration-and-reset-events.csv", &s.usage_events_csv())?;
        write("user-events-summary.json", s.usage_events_json().as_bytes())?;
        let (registrations, attempts) = s.legacy_json();
        write(
            "legacy-sspr-registration-events.json",
            registrations.as_bytes(),
        )?;
        write("legacy-sspr-activity-events.json", attempts.as_bytes())?;
        write(
            "expected-audit.json",
            json(&s.expected_with(Knowledge::AUDIT, Some(&log)))?.as_bytes(),
        )?;
        let details = Knowledge {
            admin_flags: true,
            ..Knowledge::AUDIT
        };
        write(
            "expected-audit-details.json",
            json(&s.expected_with(details, Some(&log)))?.as_bytes(),
        )?;
        write(
            "expected-usage.json",
            json(&s.expected_with(Knowledge::default(), None))?.as_bytes(),
        )?;
        let counts = format!(
            "{{\"audit_events\": {}, \"people\": {}}}",
            log.events.len(),
            s.people.len()
        );
        write("counts.json", counts.as_bytes())?;
        println!(
            "wrote {} audit events and the registration exports to {}",
            log.events.len(),
            out.display()
        );
        return Ok(());
    }
    let suffix = if style.0 == "portal" {
        String::new()
    } else {
        format!("-{}", style.0)
    };
    write(
        &format!("password-reset-activity{suffix}.csv"),
        &s.reset_report(style.1),
    )?;
    write(
        &format!("password-reset-registration-activity{suffix}.csv"),
        &s.registration_report(style.1),
    )?;
    let expected = serde_json::to_string_pretty(&s.expected()).map_err(|e| e.to_string())?;
    write("expected.json", expected.as_bytes())?;
    println!(
        "wrote {} reset attempts and {} registrations to {}",
        s.attempts.len(),
        s.registrations.len(),
        out.display()
    );
    Ok(())
}

/// The benchmark's inputs: a full classic reset report (75,000 rows) and an Entra
/// audit-log CSV download of about a million events (86 columns).
fn bench_inputs(out: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let classic = scenario(Params::full_report());
    let path = out.join("classic-75k-reset-activity.csv");
    std::fs::write(&path, classic.reset_report(Style::PORTAL)).map_err(|e| e.to_string())?;
    println!("wrote {} ({} rows)", path.display(), classic.attempts.len());
    let log = scenario(Params::million_events()).audit_log();
    let path = out.join("entra-audit-1m.csv");
    std::fs::write(&path, log.entra_csv()).map_err(|e| e.to_string())?;
    println!("wrote {} ({} events)", path.display(), log.events.len());
    Ok(())
}
