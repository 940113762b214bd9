//! A file read by two readers at once (front to the cut, back from it; the back joined
//! by the front, or sent over the wire after the front's message and added by the page)
//! gives exactly what one reader gives: the same rows, strings, line numbers, dates
//! decision, problems and counts, wherever the middle falls.

use sspr_viewer::report::generate::{scenario, Params, Style};
use sspr_viewer::report::ingest::{
    self, in_memory, load, load_back, load_front, Input, Loaded, Open,
};
use sspr_viewer::report::intern::Interner;
use sspr_viewer::report::model::Dataset;
use sspr_viewer::report::wire;

/// How the file was read.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Way {
    /// The front read everything (no split possible at this middle).
    Whole,
    /// Front and back, joined (by the front, or by the page).
    Joined,
    /// The back gave up; the file was read again by one reader.
    Again,
}

/// Reads `bytes` the way the page does with two workers.
fn split_load(bytes: &[u8], middle: u64) -> (Dataset, Way) {
    split_load_mapped(bytes, middle, None)
}

fn split_load_mapped(
    bytes: &[u8],
    middle: u64,
    mapping: Option<&[Option<usize>]>,
) -> (Dataset, Way) {
    let mut data = Dataset::default();
    let mut front_bytes = 0;
    let mut heard = |p: ingest::Progress| front_bytes = p.bytes;
    let front = load_front(
        &mut data,
        "f.csv",
        &mut in_memory(bytes),
        mapping,
        middle,
        &mut heard,
    )
    .unwrap_or_else(|e| panic!("front at {middle}: {e}"));
    let front = match front {
        Loaded::Whole(_) => return (data, Way::Whole),
        Loaded::Front(front) => front,
    };
    let back_open: &mut Open<'_> = &mut in_memory(bytes);
    let mut back_bytes = 0;
    let mut heard = |p: ingest::Progress| back_bytes = p.bytes;
    // Odd middles: the front reads the back itself (as when the back worker failed),
    // into its own strings; even ones: another worker does and sends it.
    let mut own = Interner::default();
    let strings = if middle % 2 == 1 {
        &mut data.strings
    } else {
        &mut own
    };
    match load_back(strings, back_open, mapping, middle, &mut heard) {
        Ok(back) => {
            // Progress: the two readers' bytes add up to no more than the file.
            assert!(
                front_bytes + back_bytes <= bytes.len() as u64,
                "{front_bytes} + {back_bytes}"
            );
            if middle % 2 == 1 {
                assert!(front.join(&mut data, "f.csv", back).is_some(), "same cut");
                return (data, Way::Joined);
            }
            // The front settles alone, with the back's head; the page adds the back from
            // its message, which follows the front's.
            let sent = wire::encode_back(&back, &own);
            let head = wire::back_head(&sent[..wire::BACK_HEAD]).expect("a back head");
            let (_, join) = front
                .settle_alone(&mut data, "f.csv", &head)
                .expect("same cut");
            let mut message = wire::encode_front(&data, &join);
            message.extend_from_slice(&sent);
            // Cut short, it adds nothing.
            let mut cut_short = Dataset::default();
            let short = &message[..message.len() - 1];
            assert_eq!(wire::merge(&mut cut_short, short), None);
            assert!(cut_short.sources.is_empty() && cut_short.events.is_empty());
            let mut page = Dataset::default();
            // Merged at once, or a few strings or rows at a time.
            let mut merging = wire::Merging::new(message.into());
            let budget = if middle % 4 == 0 { usize::MAX } else { 7 };
            while merging.step(&mut page, budget) == Some(wire::Merged::More) {}
            (page, Way::Joined)
        }
        Err(_) => {
            let mut data = Dataset::default();
            let mut all = in_memory(bytes);
            ingest::load_from(&mut data, "f.csv", &mut all, mapping, &mut |_| {}).unwrap();
            (data, Way::Again)
        }
    }
}

/// The dataset as text, strings resolved (symbols may be numbered differently).
fn view(data: &Dataset) -> Vec<String> {
    let mut out: Vec<String> = data.sources.iter().map(|s| format!("{s:?}")).collect();
    for e in &data.events {
        let texts = e.texts().map(|s| data.strings.get(s));
        out.push(format!(
            "{} {texts:?} line {} {:?} {:?} {:?} {:?} {:?} {:?} {} {} {}",
            e.at,
            e.line,
            e.kind,
            e.activity,
            e.service,
            e.status,
            e.result,
            e.methods,
            e.admin,
            e.sspr_registered,
            e.duplicate
        ));
    }
    out
}

/// Splits `bytes` at many middles; every reading equals the one-reader reading. Gives
/// how often each way was taken (the middles at 0, 1, 2 and past the end never split).
fn check(name: &str, bytes: &[u8]) -> [usize; 3] {
    let mut whole = Dataset::default();
    load(&mut whole, "f.csv", bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected = view(&whole);
    let n = bytes.len() as u64;
    // Fewer middles in large files keep the test quick; small files get many.
    let parts = if n > 1 << 16 { 16 } else { 60 };
    let mut middles: Vec<u64> = (0..=parts).map(|k| n * k / parts).collect();
    middles.extend([1, 2, n.saturating_sub(1), n + 10]);
    let mut ways = [0; 3];
    for middle in middles {
        let (data, way) = split_load(bytes, middle);
        ways[way as usize] += 1;
        let got = view(&data);
        if got != expected {
            let at = got
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(expected.len()));
            panic!(
                "{name} split at {middle} ({way:?}): {} rows vs {}; first difference:\n{:?}\n{:?}",
                got.len(),
                expected.len(),
                got.get(at),
                expected.get(at)
            );
        }
    }
    ways
}

#[test]
fn generated_exports_read_alike_in_two_parts() {
    let s = scenario(Params::sample());
    let log = scenario(Params {
        users: 200,
        attempts: 150,
        ..Params::audit_sample()
    })
    .audit_log();
    for (name, bytes) in [
        ("portal reset", s.reset_report(Style::PORTAL)),
        ("portal registration", s.registration_report(Style::PORTAL)),
        ("gb, quoted, LF", s.reset_report(Style::EXCEL_GB)),
        ("sv, year first", s.reset_report(Style::EXCEL_SV)),
        ("entra csv", log.entra_csv()),
        ("log analytics", log.log_analytics_csv()),
    ] {
        let ways = check(name, &bytes);
        assert_eq!(ways[2], 0, "{name}: {ways:?}");
        assert!(ways[0] <= 4, "{name}: the other middles split: {ways:?}");
    }
    // Not UTF-8: never split.
    for (name, bytes) in [
        ("nl, Windows-1252", s.reset_report(Style::EXCEL_NL)),
        ("zh, UTF-16", s.reset_report(Style::EXCEL_ZH_TW)),
    ] {
        let ways = check(name, &bytes);
        assert_eq!(ways[1], 0, "{name}: {ways:?}");
    }
}

const HEADER: &str = "User,Role,Date and Time,Method(s) Used,Result,Details";

/// A classic reset report of `n` failed resets, after `start` (a BOM, or nothing).
fn failed_rows(start: &str, n: usize) -> String {
    let mut text = format!("{start}{HEADER}\n");
    for k in 0..n {
        text.push_str(&format!("u{k}@x.com,User,7/17/2017 6:05 PM,,Failed,x\n"));
    }
    text
}

#[test]
fn quoted_line_breaks_blank_lines_and_a_sep_line_are_cut_around() {
    let mut text = format!("\u{feff}sep=,\r\n{HEADER}\r\n");
    for k in 0..400 {
        match k % 7 {
            0 => text.push_str(&format!(
                "u{k}@x.com,User,7/{}/2017 6:05 PM,Alternate Email,Failed,\"two\r\nlines, {k}\"\r\n",
                1 + k % 28
            )),
            3 => text.push_str("\r\n"),
            5 => text.push_str(&format!("u{k}@x.com,User,not a date,,Failed,x\r\n")),
            _ => text.push_str(&format!(
                "u{k}@x.com,User,{}/7/2017 6:05 PM,Mobile Phone,Succeeded,User successfully reset password\r\n",
                1 + k % 28
            )),
        }
    }
    let ways = check("crafted", text.as_bytes());
    assert!(
        ways[1] > 0 && ways[0] > 0,
        "some middles split, some fall in a quoted field: {ways:?}"
    );
}

#[test]
fn more_problems_than_are_kept_keep_the_first_by_line() {
    // Bad dates (found when dates are settled) and short rows (found while reading),
    // more of each than are kept, on both sides of any middle.
    let mut text = format!("{HEADER}\n");
    for k in 0..600 {
        match k % 3 {
            0 => text.push_str(&format!("u{k}@x.com,User,31/31/2017 6:05 PM,,Failed,x\n")),
            1 => text.push_str(&format!("u{k}@x.com,User\n")),
            _ => text.push_str(&format!("u{k}@x.com,User,17/7/2017 18:05,,Failed,x\n")),
        }
    }
    check("problems", text.as_bytes());
}

#[test]
fn windows_1252_in_the_back_makes_one_reader_read_it_again() {
    let mut bytes = failed_rows("", 1800).into_bytes();
    bytes.extend_from_slice(b"zo\xeb@x.com,Anv\xe4ndare,7/17/2017 6:06 PM,,Failed,x\n");
    let (data, way) = split_load(&bytes, bytes.len() as u64 / 2);
    assert_eq!(way, Way::Again);
    assert_eq!(
        data.strings.get(data.events.last().unwrap().user),
        "zoë@x.com"
    );
    check("1252", &bytes);
}

#[test]
fn a_back_from_another_cut_is_refused() {
    let s = scenario(Params::sample());
    let bytes = s.reset_report(Style::PORTAL);
    let n = bytes.len() as u64;
    let mut data = Dataset::default();
    let Ok(Loaded::Front(front)) = load_front(
        &mut data,
        "f.csv",
        &mut in_memory(&bytes),
        None,
        n / 2,
        &mut |_| {},
    ) else {
        panic!("expected a front");
    };
    let back = load_back(
        &mut Interner::default(),
        &mut in_memory(&bytes),
        None,
        n / 3,
        &mut |_| {},
    )
    .unwrap();
    assert!(front.join(&mut data, "f.csv", back).is_none());
    assert_eq!(
        load_back(
            &mut Interner::default(),
            &mut in_memory(b"{\"value\": []}"),
            None,
            3,
            &mut |_| {}
        )
        .err(),
        Some(ingest::BackError::NotSplittable)
    );
    // JSON, even in lines, is read by one reader.
    let log = scenario(Params::audit_sample()).audit_log();
    let lines = log.archive_lines().into_bytes();
    let middle = lines.len() as u64 / 2;
    let mut data = Dataset::default();
    let front = load_front(
        &mut data,
        "a.json",
        &mut in_memory(&lines),
        None,
        middle,
        &mut |_| {},
    );
    assert!(matches!(front, Ok(Loaded::Whole(_))));
    assert_eq!(
        load_back(
            &mut Interner::default(),
            &mut in_memory(&lines),
            None,
            middle,
            &mut |_| {}
        )
        .err(),
        Some(ingest::BackError::NotSplittable)
    );
}

#[test]
fn a_file_read_with_the_users_column_mapping_splits_alike() {
    // Spanish headers no format claims: Fecha, Usuario, Actividad, Resultado.
    let mut text = String::from("Fecha,Usuario,Actividad,Resultado\n");
    for k in 0..4000 {
        text.push_str(&format!(
            "2026-06-{:02}T10:{:02}:00Z,u{k}@x.com,Reset password (self-service),{}\n",
            1 + k % 28,
            k % 60,
            if k % 3 == 0 { "failure" } else { "success" }
        ));
    }
    let bytes = text.as_bytes();
    // Role order: time, user, activity, service, result, then the optional ones.
    let at = [
        Some(0),
        Some(1),
        Some(2),
        None,
        Some(3),
        None,
        None,
        None,
        None,
        None,
        None,
    ];
    let mut whole = Dataset::default();
    ingest::load_mapped(&mut whole, "f.csv", bytes, &at).unwrap();
    assert_eq!(whole.events.len(), 4000);
    for k in 1..8 {
        let (data, way) = split_load_mapped(bytes, bytes.len() as u64 * k / 8, Some(&at));
        assert_eq!(way, Way::Joined);
        assert_eq!(view(&data), view(&whole));
    }
}

#[test]
fn progress_counts_each_byte_once() {
    let text = failed_rows("", 30_000);
    let bytes = text.as_bytes();
    let n = bytes.len() as u64;
    // Cut just after the 10,000th row, where the front reports progress having read
    // ahead past the cut.
    let middle = text.match_indices('\n').nth(10_000).unwrap().0 as u64 + 1;
    let cut = ingest::find_cut(&mut in_memory(bytes), middle).unwrap();
    assert_eq!(cut, middle);
    let (mut front, mut back) = (0, 0);
    let mut data = Dataset::default();
    let mut heard = |p: ingest::Progress| front = front.max(p.bytes);
    let loaded = load_front(
        &mut data,
        "f.csv",
        &mut in_memory(bytes),
        None,
        middle,
        &mut heard,
    );
    assert!(matches!(loaded, Ok(Loaded::Front(_))));
    load_back(
        &mut Interner::default(),
        &mut in_memory(bytes),
        None,
        middle,
        &mut |p| back = back.max(p.bytes),
    )
    .unwrap();
    assert!(front > 0 && front <= cut, "front {front}, cut {cut}");
    assert!(
        back > 0 && back <= n - cut,
        "back {back}, {} after the cut",
        n - cut
    );
}

/// Counts the bytes read through it.
struct Counted<'b>(&'b [u8], &'b std::cell::Cell<usize>);

impl std::io::Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        self.1.set(self.1.get() + n);
        Ok(n)
    }
}

impl Input for Counted<'_> {}

#[test]
fn a_back_reader_reads_of_the_start_only_what_holds_the_header() {
    // With a BOM, the decoder's first chunk holds 3 bytes less than 64 KiB of text.
    let text = failed_rows("\u{feff}", 30_000);
    let bytes = text.as_bytes();
    let middle = bytes.len() as u64 / 2;
    let from_start = std::cell::Cell::new(0);
    let counted = &from_start;
    let mut open = move |at: u64| -> Box<dyn Input + '_> {
        let rest = bytes.get(at as usize..).unwrap_or_default();
        match at {
            0 => Box::new(Counted(rest, counted)),
            _ => Box::new(rest),
        }
    };
    let back = load_back(
        &mut Interner::default(),
        &mut open,
        None,
        middle,
        &mut |_| {},
    );
    assert!(back.is_ok());
    // The decoder's first chunk (64 KiB), not a second one (in the page, a 1 MB slice of
    // the file) for a header that is in the first.
    assert!(
        (1..=1 << 16).contains(&from_start.get()),
        "{} bytes read from the start",
        from_start.get()
    );
}

#[test]
fn a_bad_byte_in_a_file_with_a_bom_and_a_bom_inside_read_as_one_reader_reads_them() {
    // With a BOM the file is UTF-8 for good: a row that is not is a bad row, also in
    // the back.
    let mut bytes = failed_rows("\u{feff}", 2000).into_bytes();
    bytes.extend_from_slice(b"zo\xeb@x.com,User,7/17/2017 6:06 PM,,Failed,x\n");
    let ways = check("bom, bad byte", &bytes);
    assert_eq!(ways[2], 0, "never read again: {ways:?}");
    let (data, _) = split_load(&bytes, bytes.len() as u64 / 2);
    assert_eq!(data.sources[0].skipped_rows, 1);
    let problem = &data.sources[0].problems[0];
    assert_eq!(
        problem.to_string(),
        "line 2002, column 1 (User): the text is not UTF-8 like the rest of the file; \
         save the file again as UTF-8"
    );

    // A line that starts with a BOM (two exports glued together): kept as one reader
    // keeps it.
    let mut text = format!("{HEADER}\n");
    for k in 0..2000 {
        let bom = if k == 1000 { "\u{feff}" } else { "" };
        text.push_str(&format!(
            "{bom}u{k}@x.com,User,7/17/2017 6:05 PM,,Failed,x\n"
        ));
    }
    check("bom inside", text.as_bytes());
    // A back reader that starts at that line keeps the BOM too: no need to read again.
    let at = text.find('\u{feff}').unwrap() as u64;
    let (_, way) = split_load(text.as_bytes(), at);
    assert_eq!(way, Way::Joined);
}
