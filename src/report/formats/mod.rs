//! The export formats. Each is one module behind [`TableFormat`]: it names the columns
//! it needs and turns one row into an [`Event`]. This module finds the format a header
//! belongs to; `ingest` drives the reading.

mod classic_registration;
mod classic_reset;

use csv::StringRecord;
use serde::Serialize;

use super::dates::{self, DateColumn, Stamp};
use super::intern::Interner;
use super::model::Event;
use super::problems::{RowProblem, RowProblemKind};

pub use classic_registration::ClassicRegistration;
pub use classic_reset::ClassicReset;

/// Every format the viewer recognises; the id is the summary JSON's `sources[].format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum FormatId {
    #[serde(rename = "classic-reset-activity")]
    ClassicResetActivity,
    #[serde(rename = "classic-registration-activity")]
    ClassicRegistrationActivity,
}

impl FormatId {
    pub fn id(self) -> &'static str {
        match self {
            FormatId::ClassicResetActivity => "classic-reset-activity",
            FormatId::ClassicRegistrationActivity => "classic-registration-activity",
        }
    }
}

/// One column a format needs: its display name and the normalised spellings accepted.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

/// A delimited-text export.
pub trait TableFormat: Sync {
    fn id(&self) -> FormatId;
    fn columns(&self) -> &'static [Column];
    /// Reads one record; `at` is the field index of each of [`Self::columns`].
    fn read(
        &self,
        at: &[usize],
        record: &StringRecord,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault>;
}

/// A row read but for its time, which waits for the column's day/month decision.
pub struct Staged {
    pub event: Event,
    pub stamp: Stamp,
}

/// What a format needs while reading rows.
pub struct RowContext<'a> {
    pub strings: &'a mut Interner,
    pub dates: &'a mut DateColumn,
}

/// A row problem before its line is known: the column index (into `columns()`) at fault.
pub struct RowFault {
    pub column: Option<usize>,
    pub kind: RowProblemKind,
}

impl RowFault {
    pub fn at(column: usize, kind: RowProblemKind) -> RowFault {
        RowFault {
            column: Some(column),
            kind,
        }
    }

    pub fn into_problem(self, line: u64, format: &dyn TableFormat, at: &[usize]) -> RowProblem {
        RowProblem {
            line,
            column: self
                .column
                .map(|c| (at[c] + 1, format.columns()[c].name.to_string())),
            kind: self.kind,
        }
    }
}

pub static TABLE_FORMATS: &[&dyn TableFormat] = &[&ClassicReset, &ClassicRegistration];

/// A header name reduced to lower-case letters and digits: `Method(s) Used` → `methodsused`.
pub fn normalise_header(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The format claiming `header`, with the field index of each of its columns.
pub fn recognise(header: &[String]) -> Result<(&'static dyn TableFormat, Vec<usize>), Closest> {
    let normalised: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let mut best: Option<(&'static dyn TableFormat, Vec<usize>)> = None;
    let mut closest: Option<(FormatId, usize, Vec<&'static str>)> = None;
    for &format in TABLE_FORMATS {
        let found: Vec<Option<usize>> = format
            .columns()
            .iter()
            .map(|col| {
                normalised
                    .iter()
                    .position(|h| col.aliases.contains(&h.as_str()))
            })
            .collect();
        let hits = found.iter().flatten().count();
        if hits == found.len() {
            let at: Vec<usize> = found.into_iter().flatten().collect();
            if best.as_ref().is_none_or(|(_, b)| b.len() < at.len()) {
                best = Some((format, at));
            }
        } else if hits > 0 && closest.as_ref().is_none_or(|(_, h, _)| *h < hits) {
            let missing = format
                .columns()
                .iter()
                .zip(&found)
                .filter(|(_, f)| f.is_none())
                .map(|(c, _)| c.name)
                .collect();
            closest = Some((format.id(), hits, missing));
        }
    }
    best.ok_or(Closest(closest.map(|(id, _, missing)| (id, missing))))
}

/// Why no format claimed a header: the nearest one and its missing columns.
pub struct Closest(pub Option<(FormatId, Vec<&'static str>)>);

/// The field at `at[column]`, trimmed; empty when the row is short.
pub fn field<'r>(record: &'r StringRecord, at: &[usize], column: usize) -> &'r str {
    record.get(at[column]).map_or("", str::trim)
}

/// Scans a date cell and records it as evidence for the column's day/month order.
pub fn date_cell(cell: &str, column: usize, cx: &mut RowContext<'_>) -> Result<Stamp, RowFault> {
    let stamp = dates::scan(cell).map_err(|error| {
        RowFault::at(
            column,
            RowProblemKind::BadDate {
                value: cell.to_string(),
                error,
            },
        )
    })?;
    cx.dates.observe(&stamp);
    Ok(stamp)
}

/// The user cell, lower-cased; an empty user is a row problem.
pub fn user_cell(
    cell: &str,
    column: usize,
    cx: &mut RowContext<'_>,
) -> Result<super::intern::Sym, RowFault> {
    if cell.is_empty() {
        return Err(RowFault::at(column, RowProblemKind::EmptyUser));
    }
    Ok(cx.strings.intern_lower(cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &[&str], expected: Option<FormatId>) {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            recognise(&header).ok().map(|(f, _)| f.id()),
            expected,
            "{header:?}"
        );
    }

    #[test]
    fn classic_headers_in_any_case_and_spacing() {
        use FormatId::*;
        check(
            &[
                "User",
                "Role",
                "Date and Time",
                "Method(s) Used",
                "Result",
                "Details",
            ],
            Some(ClassicResetActivity),
        );
        check(
            &[
                "user",
                "ROLE",
                "DateAndTime",
                "Methods Used",
                "result",
                "details",
            ],
            Some(ClassicResetActivity),
        );
        check(
            &[
                "Details",
                "Result",
                "Methods Used",
                "Date and Time",
                "Role",
                "User",
            ],
            Some(ClassicResetActivity),
        );
        check(
            &["User", "Role", "Date and Time", "Data Registered"],
            Some(ClassicRegistrationActivity),
        );
        check(&["Usuario", "Rol", "Fecha"], None);
    }

    #[test]
    fn unknown_header_names_the_closest_format_and_what_it_lacks() {
        let header: Vec<String> = ["User", "Role", "Date and Time", "Result"]
            .map(String::from)
            .to_vec();
        let Err(Closest(Some((id, missing)))) = recognise(&header) else {
            panic!("should not be recognised")
        };
        assert_eq!(id, FormatId::ClassicResetActivity);
        assert_eq!(missing, vec!["Method(s) Used", "Details"]);
    }
}
