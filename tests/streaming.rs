//! Files are read as streams: answers must not depend on how the bytes arrive, and a
//! file that turns out not to be UTF-8 deep inside is read again as Windows-1252.

mod common;

use std::io::Read;

use common::check;
use sspr_viewer::report::answers::compute;
use sspr_viewer::report::decode::TextEncoding;
use sspr_viewer::report::generate::{scenario, Encoding, Knowledge, Params, Style};
use sspr_viewer::report::ingest::{load_from, Input, Progress};
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::summary::build;

/// Hands out a few bytes per read, so chunk boundaries fall everywhere.
struct Trickle<'a>(&'a [u8], usize);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(buf.len()).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

impl Input for Trickle<'_> {
    fn left(&self) -> Option<u64> {
        Some(self.0.len() as u64)
    }
}

fn trickled(files: &[(&str, Vec<u8>)], step: usize) -> (Dataset, Vec<Progress>) {
    let mut data = Dataset::default();
    let mut heard = Vec::new();
    for (name, bytes) in files {
        load_from(
            &mut data,
            name,
            &mut |at| Box::new(Trickle(&bytes[at as usize..], step)),
            None,
            &mut |p| heard.push(p),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    (data, heard)
}

#[test]
fn answers_do_not_depend_on_how_the_bytes_arrive() {
    let s = scenario(Params::sample());
    let log = s.audit_log();
    for step in [1, 7, 4093] {
        let (data, _) = trickled(
            &[
                ("r.csv", s.reset_report(Style::EXCEL_ZH_TW)),
                ("g.csv", s.registration_report(Style::EXCEL_NL)),
            ],
            step,
        );
        check(
            &build(&data, &compute(&data, data.latest_event().unwrap())),
            &s.expected(),
        );
        let (data, heard) = trickled(&[("a.json", log.entra_json().into_bytes())], step.max(61));
        check(
            &build(&data, &compute(&data, data.latest_event().unwrap())),
            &s.expected_with(Knowledge::AUDIT, Some(&log)),
        );
        assert!(!heard.is_empty(), "progress is reported");
        assert!(heard
            .windows(2)
            .all(|w| w[0].rows < w[1].rows && w[0].bytes <= w[1].bytes));
    }
}

#[test]
fn windows_1252_found_late_is_read_again_as_such() {
    let mut text = String::from("User,Role,Date and Time,Data Registered\r\n");
    for k in 0..3000 {
        text.push_str(&format!(
            "user{k}@contoso.com,User,7/17/2017 6:05 PM,Alternate Email\r\n"
        ));
    }
    text.push_str("zoë@contoso.com,Användare,7/17/2017 6:06 PM,Mobile Phone\r\n");
    let bytes = sspr_viewer::report::generate::encode(&text, Encoding::Windows1252);
    assert!(
        bytes.len() > 1 << 16,
        "the first non-ASCII byte is past the first chunk"
    );
    let (data, _) = trickled(&[("late.csv", bytes)], 1 << 14);
    let source = &data.sources[0];
    assert_eq!(source.encoding, TextEncoding::Windows1252);
    assert_eq!((source.rows, source.skipped_rows), (3001, 0));
    assert!(data.strings.lookup("zoë@contoso.com").is_some());
}
