//! Reading one file into the [`Dataset`]: decode, find the separator and the header,
//! let the recognised format read each row, settle the date column, then add the rows.
//! Never panics on user data: a bad file is a [`LoadError`], a bad row a counted
//! [`RowProblem`] while the rest of the file loads.

use csv::{ReaderBuilder, StringRecord};

use super::dates::DateColumn;
use super::decode::decode;
use super::formats::{recognise, RowContext, Staged, TableFormat};
use super::model::{Dataset, Source, SourceId};
use super::problems::{LoadError, RowProblem, RowProblemKind, KEPT_PROBLEMS};

/// Reads `bytes` (the whole file) as `file` into `dataset`.
pub fn load(dataset: &mut Dataset, file: &str, bytes: &[u8]) -> Result<SourceId, LoadError> {
    let decoded = decode(bytes).map_err(LoadError::Binary)?;
    let text: &str = &decoded.text;
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    if text.trim_start().starts_with(['{', '[']) {
        return Err(LoadError::Json);
    }

    // Excel may write `sep=;` as a first line.
    let (separator, body, skipped_lines) = match excel_separator_line(text) {
        Some((sep, rest)) => (sep, rest, 1),
        None => (detect_separator(text), text, 0),
    };

    let mut reader = ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut record = StringRecord::new();
    if !matches!(reader.read_record(&mut record), Ok(true)) {
        return Err(LoadError::Empty);
    }
    let header: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
    let (format, at) = recognise(&header).map_err(|closest| {
        if header.len() == 1 {
            LoadError::NotATable
        } else {
            LoadError::UnknownHeader {
                found: header.clone(),
                closest: closest.0,
            }
        }
    })?;

    let id = dataset.allocate_source();
    let mut source = Source {
        id,
        file: file.to_string(),
        format: format.id(),
        encoding: decoded.encoding,
        separator,
        rows: 0,
        skipped_rows: 0,
        duplicate_rows: 0,
        blank_rows: 0,
        first_event: None,
        last_event: None,
        dates: None,
        replaced_characters: decoded.replaced,
        problems: Vec::new(),
    };
    let note = |source: &mut Source, problem: RowProblem| {
        source.skipped_rows += 1;
        if source.problems.len() < KEPT_PROBLEMS {
            source.problems.push(problem);
        }
    };

    let mut dates = DateColumn::default();
    let mut staged: Vec<(u32, Staged)> = Vec::new();
    let needed = at.iter().max().map_or(0, |m| m + 1);
    let mut last_error_at = None;
    // The csv reader counts records, not lines: a quoted line break would shift every
    // later line number, so lines are counted from byte offsets instead.
    let mut lines = LineCounter::new(body.as_bytes(), skipped_lines + 1);
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.at(record.position().map_or(start, |p| p.byte()));
                if record.iter().all(|f| f.trim().is_empty()) {
                    source.blank_rows += 1;
                    continue;
                }
                if record.len() < needed {
                    let kind = RowProblemKind::TooFewFields {
                        found: record.len(),
                        needed,
                    };
                    note(
                        &mut source,
                        RowProblem {
                            line,
                            column: None,
                            kind,
                        },
                    );
                    continue;
                }
                let mut cx = RowContext {
                    strings: &mut dataset.strings,
                    dates: &mut dates,
                };
                match format.read(&at, &record, &mut cx) {
                    Ok(row) => staged.push((line as u32, row)),
                    Err(fault) => note(&mut source, fault.into_problem(line, format, &at)),
                }
            }
            Err(error) => {
                let position = reader.position().byte();
                if last_error_at == Some(position) {
                    break;
                }
                last_error_at = Some(position);
                let kind = RowProblemKind::Malformed {
                    message: error.to_string(),
                };
                let line = lines.at(start);
                note(
                    &mut source,
                    RowProblem {
                        line,
                        column: None,
                        kind,
                    },
                );
            }
        }
    }

    let (order, reading) = dates.decide();
    let mut events = Vec::with_capacity(staged.len());
    for (line, Staged { mut event, stamp }) in staged {
        match stamp.resolve(order) {
            Ok(at) => {
                event.at = at;
                event.line = line;
                event.source = id;
                events.push(event);
            }
            Err(error) => {
                let time_column = time_column(format);
                let kind = RowProblemKind::BadDate {
                    value: stamp_text(&stamp),
                    error,
                };
                let column = time_column.map(|c| (at[c] + 1, format.columns()[c].name.to_string()));
                note(
                    &mut source,
                    RowProblem {
                        line: line.into(),
                        column,
                        kind,
                    },
                );
            }
        }
    }
    source.problems.sort_by_key(|p| p.line);
    source.rows = events.len() as u32;
    source.first_event = events.iter().map(|e| e.at).min();
    source.last_event = events.iter().map(|e| e.at).max();
    // No reading to report when no cell was a date.
    source.dates = (!reading.pattern.is_empty()).then_some(reading);
    dataset.add(source, events);
    Ok(id)
}

/// 1-based line numbers of byte offsets, counted incrementally (offsets only grow).
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8], first_line: u64) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: first_line,
        }
    }

    fn at(&mut self, offset: u64) -> u64 {
        let mut offset = (offset as usize).min(self.text.len());
        // After a CR the reader reports a record as starting at the LF that ends the line before.
        if self.text.get(offset) == Some(&b'\n') {
            offset += 1;
        }
        if offset > self.offset {
            self.line += self.text[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.offset = offset;
        }
        self.line
    }
}

fn time_column(format: &dyn TableFormat) -> Option<usize> {
    format
        .columns()
        .iter()
        .position(|c| c.name == "Date and Time")
}

/// A day-month cell rebuilt for a message (the original text is not kept per row).
fn stamp_text(stamp: &super::dates::Stamp) -> String {
    match *stamp {
        super::dates::Stamp::DayMonth {
            a, b, year, shape, ..
        } => {
            let sep = shape.separator as char;
            format!("{a}{sep}{b}{sep}{year}")
        }
        super::dates::Stamp::Exact { at, .. } => super::dates::format_iso(at),
    }
}

/// `sep=;` on the first line, as Excel writes for other locales.
fn excel_separator_line(text: &str) -> Option<(u8, &str)> {
    let first = text.lines().next()?;
    let sep = first.trim().strip_prefix("sep=")?;
    let sep = match sep {
        "\\t" | "\t" => b'\t',
        s if s.len() == 1 => s.as_bytes()[0],
        _ => return None,
    };
    let rest = text[first.len()..].trim_start_matches(['\r', '\n']);
    Some((sep, rest))
}

/// The separator is whichever of `,` `;` tab occurs most in the header line (outside quotes).
pub fn detect_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::decode::BinaryKind;
    use crate::report::formats::FormatId;
    use crate::report::problems::RowProblemKind;

    const HEADER: &str = "User,Role,Date and Time,Method(s) Used,Result,Details";

    fn read(text: &str) -> Dataset {
        let mut data = Dataset::default();
        load(&mut data, "test.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        data
    }

    /// Loads `text` and compares the users read, in order, and the problem lines.
    fn check(text: &str, users: &[&str], problem_lines: &[u64]) {
        let data = read(text);
        let got: Vec<&str> = data
            .events
            .iter()
            .map(|e| data.strings.get(e.user))
            .collect();
        assert_eq!(got, users, "users of {text:?}");
        let lines: Vec<u64> = data.sources[0].problems.iter().map(|p| p.line).collect();
        assert_eq!(
            lines, problem_lines,
            "problems {:?}",
            data.sources[0].problems
        );
        assert_eq!(data.sources[0].skipped_rows as usize, problem_lines.len());
    }

    #[test]
    fn separators_are_detected_from_the_header() {
        for sep in [",", ";", "\t"] {
            let text = format!(
                "{}\nA@x.com{sep}User{sep}7/17/2017 6:05 PM{sep}Alternate Email{sep}Succeeded{sep}User successfully reset password\n",
                HEADER.replace(',', sep)
            );
            check(&text, &["a@x.com"], &[]);
            assert_eq!(read(&text).sources[0].separator, sep.as_bytes()[0]);
        }
    }

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let text = format!(
            "{HEADER}\r\n\"a@x.com\",User,7/17/2017 6:05 PM,\"Alternate Email + Mobile Phone\",Failed,\"Odd, \"\"quoted\"\"\r\nand broken\"\r\nb@x.com,User,bad date,Alternate Email,Failed,x\r\n"
        );
        let data = read(&text);
        assert_eq!(
            data.strings.get(data.events[0].detail),
            "Odd, \"quoted\"\r\nand broken"
        );
        // The bad row after a two-line field is reported on its own line, 4.
        assert_eq!(data.sources[0].problems[0].line, 4);
    }

    #[test]
    fn lf_and_crlf_line_ends_read_alike() {
        let row = "a@x.com,User,7/17/2017 6:05 PM,Alternate Email,Succeeded,User successfully reset password";
        check(&format!("{HEADER}\n{row}\n"), &["a@x.com"], &[]);
        check(&format!("{HEADER}\r\n{row}\r\n"), &["a@x.com"], &[]);
        check(&format!("{HEADER}\r\n{row}"), &["a@x.com"], &[]);
    }

    #[test]
    fn excel_sep_line_is_honoured_and_counted_in_line_numbers() {
        let text = format!(
            "sep=;\n{}\na@x.com;User;bad;;Failed;x\n",
            HEADER.replace(',', ";")
        );
        let data = read(&text);
        assert_eq!(data.sources[0].separator, b';');
        assert_eq!(data.sources[0].problems[0].line, 3);
    }

    #[test]
    fn bad_rows_are_counted_with_line_and_column_and_the_rest_loads() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/bad-rows.csv"
        ))
        .unwrap();
        let mut data = Dataset::default();
        load(&mut data, "bad-rows.csv", &bytes).unwrap();
        let source = &data.sources[0];
        assert_eq!((source.rows, source.skipped_rows), (3, 4));
        let problems: Vec<(u64, Option<usize>)> = source
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_ref().map(|c| c.0)))
            .collect();
        assert_eq!(
            problems,
            vec![(3, Some(3)), (4, Some(5)), (5, Some(1)), (6, None)]
        );
        assert!(matches!(
            source.problems[0].kind,
            RowProblemKind::BadDate { .. }
        ));
        assert!(
            matches!(&source.problems[1].kind, RowProblemKind::UnknownResult { value } if value == "Exploded")
        );
        assert_eq!(source.problems[2].kind, RowProblemKind::EmptyUser);
        assert_eq!(
            source.problems[3].kind,
            RowProblemKind::TooFewFields {
                found: 3,
                needed: 6
            }
        );
        assert_eq!(
            source.problems[0].to_string(),
            "line 3, column 3 (Date and Time): “yesterday”: not a date in any known style"
        );
    }

    #[test]
    fn blank_rows_are_counted_not_read() {
        let text = format!("{HEADER}\n,,,,,\na@x.com,User,7/17/2017 6:05 PM,,Abandoned,User abandoned after entering their user ID\n;;\n");
        let data = read(&text);
        assert_eq!(data.sources[0].rows, 1);
        assert_eq!(data.sources[0].blank_rows, 1);
        assert_eq!(
            data.sources[0].skipped_rows, 1,
            "a one-field row is too short"
        );
    }

    #[test]
    fn a_header_without_rows_loads_empty() {
        let data = read(&format!("{HEADER}\n"));
        assert_eq!(data.sources[0].rows, 0);
        assert_eq!(data.sources[0].format, FormatId::ClassicResetActivity);
    }

    #[test]
    fn unusable_files_say_why_and_leave_the_data_alone() {
        let mut data = read(&format!(
            "{HEADER}\na@x.com,User,7/17/2017 6:05 PM,,Failed,x\n"
        ));
        let cases: [(&[u8], LoadError); 5] = [
            (b"", LoadError::Empty),
            (b"  \r\n", LoadError::Empty),
            (b"PK\x03\x04....", LoadError::Binary(BinaryKind::Zip)),
            (b"[{\"id\": 1}]", LoadError::Json),
            (b"just some words\nand more", LoadError::NotATable),
        ];
        for (bytes, expected) in cases {
            assert_eq!(load(&mut data, "x", bytes), Err(expected));
        }
        let Err(LoadError::UnknownHeader { found, closest }) = load(
            &mut data,
            "x",
            "User,Role,Date and Time,Result\n".as_bytes(),
        ) else {
            panic!("expected an unknown header");
        };
        assert_eq!(found, ["User", "Role", "Date and Time", "Result"]);
        assert_eq!(
            closest,
            Some((
                FormatId::ClassicResetActivity,
                vec!["Method(s) Used", "Details"]
            ))
        );
        assert_eq!(data.sources.len(), 1);
        assert_eq!(data.events.len(), 1);
    }

    #[test]
    fn identical_rows_within_one_file_both_count() {
        let row = "a@x.com,User,17-7-2017 18:05,Alternate Email,Abandoned,User abandoned after entering their user ID";
        let data = read(&format!("{HEADER}\n{row}\n{row}\n"));
        assert_eq!(data.counted().count(), 2);
    }

    #[test]
    fn mixed_case_users_are_one_user() {
        let data = read(&format!(
            "{HEADER}\nAlice@Contoso.com,User,7/17/2017 6:05 PM,,Failed,x\nalice@contoso.COM,User,7/17/2017 6:06 PM,,Failed,x\n"
        ));
        assert_eq!(data.events[0].user, data.events[1].user);
    }
}
