//! The classic reports end to end: generated exports in every locale style are read,
//! and the answers must equal the ones the scenario was built with.

use sspr_viewer::report::answers::compute;
mod common;

use common::check;
use sspr_viewer::report::generate::{scenario, Params, Scenario, Style};
use sspr_viewer::report::ingest::load;
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::summary::{build, Summary};

fn loaded(files: &[(&str, Vec<u8>)]) -> Dataset {
    let mut data = Dataset::default();
    for (name, bytes) in files {
        load(&mut data, name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    data
}

fn summary_of(data: &Dataset) -> Summary {
    let as_of = data.latest_event().expect("events");
    build(data, &compute(data, as_of))
}

fn files(s: &Scenario, style: Style) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("reset.csv", s.reset_report(style)),
        ("registration.csv", s.registration_report(style)),
    ]
}

#[test]
fn sample_answers_match_the_scenario_in_every_locale_style() {
    let s = scenario(Params::sample());
    let expected = s.expected();
    for (name, style) in Style::ALL {
        let data = loaded(&files(&s, style));
        for source in &data.sources {
            assert_eq!(
                source.skipped_rows, 0,
                "{name} {}: {:?}",
                source.file, source.problems
            );
        }
        let summary = summary_of(&data);
        check(&summary, &expected);
        println!("{name}: ok");
    }
}

#[test]
fn the_scenario_plants_what_the_answers_must_find() {
    let expected = scenario(Params::sample()).expected();
    let rules: Vec<&str> = expected.suspicious.iter().map(|s| s.0).collect();
    assert_eq!(rules.iter().filter(|r| **r == "blocked").count(), 6);
    assert_eq!(rules.iter().filter(|r| **r == "burst").count(), 1);
    assert_eq!(
        expected
            .admins_self_resetting
            .iter()
            .map(|a| a.2)
            .collect::<Vec<_>>(),
        vec![6, 3, 1]
    );
    assert!(
        expected.results.values().all(|&n| n > 0),
        "every result occurs"
    );
    assert!(expected
        .issues
        .iter()
        .any(|i| i.0.starts_with("An unexpected error")));
    assert_eq!(expected.reset_methods.len(), 4);
    assert!(expected.reset_attempts > 1_000);
}

#[test]
fn the_same_export_twice_counts_once() {
    let s = scenario(Params::sample());
    let expected = s.expected();
    let mut twice = files(&s, Style::PORTAL);
    twice.extend(files(&s, Style::EXCEL_NL));
    let data = loaded(&twice);
    check(&summary_of(&data), &expected);
    assert_eq!(data.sources[2].duplicate_rows, data.sources[2].rows);
    assert_eq!(data.sources[3].duplicate_rows, data.sources[3].rows);
}

#[test]
fn overlapping_exports_count_each_row_once() {
    let s = scenario(Params::sample());
    let expected = s.expected();
    let mid = s.end - 12 * sspr_viewer::report::dates::DAY;
    let mut early = s.clone();
    early
        .attempts
        .retain(|a| a.at <= mid + sspr_viewer::report::dates::DAY);
    let mut late = s.clone();
    late.attempts.retain(|a| a.at >= mid);
    let data = loaded(&[
        ("early.csv", early.reset_report(Style::PORTAL)),
        ("late.csv", late.reset_report(Style::EXCEL_SV)),
        ("registration.csv", s.registration_report(Style::PORTAL)),
    ]);
    assert!(data.sources[1].duplicate_rows > 0);
    check(&summary_of(&data), &expected);
}

#[test]
fn removing_a_file_brings_back_what_it_hid() {
    let s = scenario(Params::sample());
    let mut data = loaded(&[
        ("a.csv", s.reset_report(Style::PORTAL)),
        ("b.csv", s.reset_report(Style::ISO)),
    ]);
    let first = data.sources[0].id;
    let total = data.counted().count();
    data.remove(first);
    assert_eq!(data.counted().count(), total);
    assert_eq!(data.sources[0].duplicate_rows, 0);
}

#[test]
fn a_full_report_of_75000_rows_reads_completely() {
    let s = scenario(Params::full_report());
    let bytes = s.reset_report(Style::PORTAL);
    let data = loaded(&[("big.csv", bytes)]);
    assert_eq!(data.sources[0].rows as usize, s.attempts.len());
    assert!(s.attempts.len() >= 74_000, "{}", s.attempts.len());
    let expected = s.expected();
    let summary = summary_of(&data);
    assert_eq!(summary.reset_attempts, expected.reset_attempts);
    assert_eq!(summary.results, expected.results);
    assert_eq!(summary.reset_methods, expected.reset_methods);
    assert_eq!(
        summary.reset_users_last_7_days,
        expected.reset_users_last_7_days
    );
}
