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
    loop {
        let line = reader.position().line() + skipped_lines;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line() + skipped_lines);
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
    source.dates = (!events.is_empty() || staged_had_dates(&reading)).then_some(reading);
    dataset.add(source, events);
    Ok(id)
}

fn staged_had_dates(reading: &super::dates::DateReading) -> bool {
    !reading.pattern.is_empty()
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
        super::dates::Stamp::DayMonth { a, b, year, .. } => format!("{a}/{b}/{year}"),
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
