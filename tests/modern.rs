//! Today's exports end to end: one scenario written in every modern format must give
//! the answers it was built with, alone and merged with the others.

mod common;

use common::check;
use sspr_viewer::report::answers::{compute, Computation};
use sspr_viewer::report::formats::FormatId;
use sspr_viewer::report::generate::{scenario, Knowledge, Params, Scenario, Style};
use sspr_viewer::report::ingest::load;
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::summary::{build, Summary};

/// (file name, bytes) of the files one case loads.
type Files<'a> = Vec<(&'a str, Vec<u8>)>;

fn loaded(files: &[(&str, Vec<u8>)]) -> Dataset {
    let mut data = Dataset::default();
    for (name, bytes) in files {
        load(&mut data, name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let source = data.sources.last().unwrap();
        assert_eq!(source.skipped_rows, 0, "{name}: {:?}", source.problems);
    }
    data
}

fn summary_of(data: &Dataset) -> Summary {
    build(data, &compute(data, data.latest_event().expect("events")))
}

fn sample() -> Scenario {
    scenario(Params::sample())
}

/// Checks the answers and the audit-only numbers of a summary of the audit log.
fn check_audit(s: &Scenario, summary: &Summary, knowledge: Knowledge) {
    let log = s.audit_log();
    let expected = s.expected_with(knowledge, Some(&log));
    check(summary, &expected);
    assert_eq!(summary.admin_resets, expected.admin_resets);
    assert_eq!(summary.events_by_service, expected.events_by_service);
}

#[test]
fn every_audit_format_alone_gives_the_known_answers() {
    let s = sample();
    let log = s.audit_log();
    let pages = log.graph_pages(500);
    let page_files: Vec<(String, Vec<u8>)> = pages
        .iter()
        .enumerate()
        .map(|(k, p)| (format!("page{k}.json"), p.clone().into_bytes()))
        .collect();
    let page_refs: Vec<(&str, Vec<u8>)> = page_files
        .iter()
        .map(|(n, b)| (n.as_str(), b.clone()))
        .collect();
    let cases: Vec<(&str, Files, FormatId)> = vec![
        (
            "entra csv",
            vec![("audit.csv", log.entra_csv())],
            FormatId::EntraAuditCsv,
        ),
        (
            "entra json",
            vec![("audit.json", log.entra_json().into_bytes())],
            FormatId::EntraAuditJson,
        ),
        ("graph pages", page_refs, FormatId::GraphDirectoryAudits),
        (
            "log analytics",
            vec![("la.csv", log.log_analytics_csv())],
            FormatId::LogAnalyticsCsv,
        ),
        (
            "archive",
            vec![("PT1H.json", log.archive().into_bytes())],
            FormatId::DiagnosticArchive,
        ),
        (
            "archive lines",
            vec![("capture.json", log.archive_lines().into_bytes())],
            FormatId::DiagnosticArchive,
        ),
    ];
    assert!(pages.len() > 2, "several pages");
    for (name, files, format) in cases {
        let data = loaded(&files);
        assert!(
            data.sources.iter().all(|s| s.format == format),
            "{name}: {:?}",
            data.sources[0].format
        );
        let summary = summary_of(&data);
        assert_eq!(summary.events_total, log.events.len() as u64, "{name}");
        check_audit(&s, &summary, Knowledge::AUDIT);
        println!("{name}: ok");
    }
}

#[test]
fn three_formats_of_one_scenario_together_count_everything_once() {
    let s = sample();
    let log = s.audit_log();
    let data = loaded(&[
        ("audit.csv", log.entra_csv()),
        ("audit.json", log.entra_json().into_bytes()),
        ("la.csv", log.log_analytics_csv()),
    ]);
    assert_eq!(data.sources[1].duplicate_rows, data.sources[1].rows);
    assert_eq!(data.sources[2].duplicate_rows, data.sources[2].rows);
    let summary = summary_of(&data);
    assert_eq!(summary.events_total, log.events.len() as u64);
    check_audit(&s, &summary, Knowledge::AUDIT);
}

#[test]
fn overlapping_retention_windows_merge_into_one_timeline() {
    let s = sample();
    let log = s.audit_log();
    let cut = |from: i64, to: i64| {
        let mut part = log.clone();
        part.events.retain(|e| e.at >= from && e.at < to);
        part
    };
    let day = sspr_viewer::report::dates::DAY;
    let first = log.events[0].at;
    // Two "7 days retained" style exports that overlap by two days, plus the rest.
    let a = cut(first, first + 12 * day);
    let b = cut(first + 10 * day, i64::MAX);
    let data = loaded(&[
        ("early.json", a.entra_json().into_bytes()),
        ("late.csv", b.log_analytics_csv()),
    ]);
    assert!(data.sources[1].duplicate_rows > 0);
    check_audit(&s, &summary_of(&data), Knowledge::AUDIT);
}

#[test]
fn registration_details_add_admins_and_registered_users() {
    let s = sample();
    let log = s.audit_log();
    let data = loaded(&[
        ("audit.json", log.entra_json().into_bytes()),
        ("details.json", s.registration_details_json().into_bytes()),
    ]);
    assert_eq!(data.sources[1].format, FormatId::GraphRegistrationDetails);
    let summary = summary_of(&data);
    let knowledge = Knowledge {
        admin_flags: true,
        ..Knowledge::AUDIT
    };
    let expected = s.expected_with(knowledge, Some(&log));
    check(&summary, &expected);
    assert_eq!(
        summary.events_total,
        (log.events.len() + s.people.len()) as u64
    );

    // The state alone: registered users and their data, no attempts.
    let data = loaded(&[("details.csv", s.registration_details_csv())]);
    assert_eq!(
        data.sources[0].format,
        FormatId::PortalRegistrationDetailsCsv
    );
    let summary = summary_of(&data);
    assert_eq!(summary.registered_user_list, expected.registered_user_list);
    assert_eq!(summary.registered_data, expected.registered_data);
    assert_eq!(summary.reset_attempts, 0);
}

#[test]
fn usage_events_and_the_legacy_api_read_like_the_classic_reports() {
    let s = sample();
    let without_roles = s.expected_with(Knowledge::default(), None);
    for (name, bytes, format) in [
        (
            "events.csv",
            s.usage_events_csv(),
            FormatId::PortalEventsCsv,
        ),
        (
            "events.json",
            s.usage_events_json().into_bytes(),
            FormatId::GraphUserEventsSummary,
        ),
    ] {
        let data = loaded(&[(name, bytes)]);
        assert_eq!(data.sources[0].format, format);
        check(&summary_of(&data), &without_roles);
    }
    let (registrations, attempts) = s.legacy_json();
    let data = loaded(&[
        ("reg.json", registrations.into_bytes()),
        ("act.json", attempts.into_bytes()),
    ]);
    assert_eq!(data.sources[0].format, FormatId::LegacySsprRegistration);
    assert_eq!(data.sources[1].format, FormatId::LegacySsprActivity);
    check(&summary_of(&data), &s.expected());
}

#[test]
fn sessions_rebuild_the_flow_and_the_funnel() {
    let s = sample();
    let data = loaded(&[("audit.json", s.audit_log().entra_json().into_bytes())]);
    let answers = compute(&data, data.latest_event().unwrap());
    assert_eq!(answers.sessions.len(), s.attempts.len());
    let f = &answers.funnel;
    assert_eq!(
        f.reached[0] as usize,
        s.attempts.len(),
        "every session submitted a user ID"
    );
    assert!(
        f.reached.windows(2).all(|w| w[0] >= w[1]),
        "the funnel narrows: {:?}",
        f.reached
    );
    let succeeded = s
        .attempts
        .iter()
        .filter(|a| a.result.id() == "succeeded")
        .count();
    assert_eq!(f.reached[4] as usize, succeeded);
    for m in 0..7 {
        assert!(f.completed[m] <= f.started[m]);
    }
}

#[test]
fn classic_styles_still_match_with_the_new_planted_cases() {
    let s = sample();
    for (_, style) in Style::ALL {
        let data = loaded(&[
            ("r.csv", s.reset_report(style)),
            ("g.csv", s.registration_report(style)),
        ]);
        check(&summary_of(&data), &s.expected());
    }
}

#[test]
fn answers_worked_out_in_slices_are_the_answers_worked_out_at_once() {
    let s = sample();
    let log = s.audit_log();
    let data = loaded(&[
        ("resets.csv", s.reset_report(Style::PORTAL)),
        ("registrations.csv", s.registration_report(Style::PORTAL)),
        ("audit.csv", log.entra_csv()),
    ]);
    let latest = data.latest_event().expect("events");
    // At the latest event and before it (some events not counted yet).
    for as_of in [latest, latest - 3 * 24 * 3_600_000] {
        let whole = compute(&data, as_of);
        assert!(!whole.sessions.is_empty() && !whole.suspicious.is_empty());
        for budget in [1, 2, 7, 100, 1_000_000] {
            let mut computation = Computation::new(as_of);
            let mut steps = 1;
            // The steps a page gives a slice of their own: the session keys' sort,
            // counting, the tables, the last lists; one each, whatever the budget.
            let mut unsplit = usize::from(computation.whole_next());
            while !computation.step(&data, budget) {
                steps += 1;
                unsplit += usize::from(computation.whole_next());
            }
            assert_eq!(unsplit, 4, "budget {budget}: steps not split");
            assert!(
                budget > 100 || steps > 100,
                "budget {budget}: {steps} steps"
            );
            let sliced = computation.answers().expect("answers once done");
            assert!(sliced == whole, "budget {budget} at {as_of}");
        }
    }
}
