//! "Download rows (CSV)": the filtered rows as CSV, safe to open in a spreadsheet.

use super::dates::format_iso;
use super::model::{Dataset, EventKind};

/// A cell that a spreadsheet would run as a formula gets a leading `'`.
pub fn defuse_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

pub fn rows_csv(data: &Dataset, rows: &[u32]) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
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
    let _ = writer.write_record(header);
    for &i in rows {
        let e = &data.events[i as usize];
        let file = data.source(e.source).map_or("", |s| s.file.as_str());
        let report = match e.kind {
            EventKind::ResetAttempt => "reset",
            EventKind::Registration => "registration",
            EventKind::Audit => "audit",
            EventKind::RegistrationState => "registration-state",
        };
        let cells = [
            format_iso(e.at),
            data.strings.get(e.user).to_string(),
            data.strings.get(e.role).to_string(),
            report.to_string(),
            data.strings.get(e.methods_text).to_string(),
            e.result.map_or("", |r| r.id()).to_string(),
            data.strings.get(e.detail).to_string(),
            file.to_string(),
            e.line.to_string(),
        ];
        let _ = writer.write_record(cells.iter().map(|c| defuse_formula(c).into_owned()));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(cell: &str, expected: &str) {
        assert_eq!(defuse_formula(cell), expected);
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
