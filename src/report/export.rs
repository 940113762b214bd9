//! "Download rows (CSV)": the filtered rows as CSV, safe to open in a spreadsheet; and
//! the CSV records the generator writes.

use super::dates::format_iso;
use super::model::{Dataset, EventKind};

/// A cell that a spreadsheet would run as a formula gets a leading `'`.
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Appends one CSV record, quoted as the `csv` crate's writer quotes by default: a field
/// only when it holds the separator, a quote or a line break (a record of one empty
/// field as `""`), or every field with `quote_all`. Without that writer (which also
/// brings the `f64` and `i128` parsers, for a quoting style never used here) the page is
/// 17.7 KB smaller gzipped.
pub fn write_record<S: AsRef<str>>(
    out: &mut String,
    cells: &[S],
    separator: u8,
    quote_all: bool,
    terminator: &str,
) {
    for (i, cell) in cells.iter().enumerate() {
        let cell = cell.as_ref();
        if i > 0 {
            out.push(char::from(separator));
        }
        let special = |b: u8| b == separator || matches!(b, b'"' | b'\r' | b'\n');
        if quote_all || cell.bytes().any(special) || (cells.len() == 1 && cell.is_empty()) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str(terminator);
}

/// The header of the rows CSV.
pub fn write_rows_header(out: &mut String) {
    let header = [
        "Date and Time (UTC)",
        "User",
        "Role",
        "Report",
        "Method(s) Used",
        "Result",
        "Details",
        "File",
        "Line",
    ];
    write_record(out, &header, b',', false, "\n");
}

/// Appends the CSV records of `rows` (indices into the events), in that order: the page
/// writes the download a slice of rows at a time.
pub fn write_rows(out: &mut String, data: &Dataset, rows: &[u32]) {
    for &i in rows {
        let e = &data.events[i as usize];
        let file = data.source(e.source).map_or("", |s| s.file.as_str());
        let report = match e.kind {
            EventKind::ResetAttempt => "reset",
            EventKind::Registration => "registration",
            EventKind::Audit => "audit",
            EventKind::RegistrationState => "registration-state",
        };
        let (at, line) = (format_iso(e.at), e.line.to_string());
        let cells = [
            at.as_str(),
            data.strings.get(e.user),
            data.strings.get(e.role),
            report,
            data.strings.get(e.methods_text),
            e.result.map_or("", |r| r.id()),
            data.strings.get(e.detail),
            file,
            line.as_str(),
        ];
        write_record(out, &cells.map(defuse_formula), b',', false, "\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cell: &str, expected: &str) {
        assert_eq!(defuse_formula(cell), expected);
    }

    fn record(cells: &[&str], separator: u8, quote_all: bool, expected: &str) {
        let mut out = String::new();
        write_record(&mut out, cells, separator, quote_all, "\r\n");
        assert_eq!(out, expected, "{cells:?}");
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        record(&["a", "b c", ""], b',', false, "a,b c,\r\n");
        record(
            &["a,b", "say \"hi\"", "x\ny", "\r"],
            b',',
            false,
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"\r\"\r\n",
        );
        record(&["a,b", "c;d"], b';', false, "a,b;\"c;d\"\r\n");
        record(&[""], b',', false, "\"\"\r\n");
        record(&["a", ""], b'\t', true, "\"a\"\t\"\"\r\n");
    }

    #[test]
    fn rows_written_in_slices_are_the_rows_written_at_once() {
        let mut data = Dataset::default();
        let bytes = include_bytes!("../../tests/data/xss.csv");
        assert!(super::super::ingest::load(&mut data, "xss.csv", bytes).is_ok());
        let rows: Vec<u32> = (0..data.events.len() as u32).rev().collect();
        let mut whole = String::new();
        write_rows_header(&mut whole);
        write_rows(&mut whole, &data, &rows);
        let lines: Vec<&str> = whole.lines().collect();
        assert_eq!(lines.len(), rows.len() + 1);
        assert!(lines[0].starts_with("Date and Time (UTC),User,Role,Report,"));
        // A user name is kept folded to lower case; a formula gets its `'`.
        let line_4 = "2017-07-17T18:07:35Z,\"'=hyperlink(\"\"http://example.invalid\"\")\",User,\
                      reset,Alternate Email,abandoned,User abandoned after entering their user ID,\
                      xss.csv,4";
        assert_eq!(lines[1], line_4);
        for cut in 0..=rows.len() {
            let mut sliced = String::new();
            write_rows_header(&mut sliced);
            write_rows(&mut sliced, &data, &rows[..cut]);
            write_rows(&mut sliced, &data, &rows[cut..]);
            assert_eq!(sliced, whole, "cut after {cut} rows");
        }
    }

    #[test]
    fn formula_cells_are_prefixed() {
        check("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")");
        check("+1", "'+1");
        check("-1", "'-1");
        check("@SUM(A1)", "'@SUM(A1)");
        check("\tx", "'\tx");
        check("\rx", "'\rx");
        check("alice@contoso.com", "alice@contoso.com");
        check("", "");
    }
}
