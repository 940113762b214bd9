//! The export formats. Each is one module behind [`TableFormat`]: it names the columns
//! it needs and turns one row into an [`Event`]. This module finds the format a header
//! belongs to; `ingest` drives the reading.

pub mod audit;
mod classic_registration;
mod classic_reset;
mod entra_csv;
pub mod graph;
pub mod json;
mod json_split;
mod log_analytics;
pub mod mapped;
mod portal_csv;

use super::delimited::Record;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::activity::Activity;
use super::dates::{self, DateColumn, Stamp};
use super::intern::{Interner, Sym};
use super::key::trim;
use super::methods::MethodSet;
use super::model::Event;
use super::outcome::ResetResult;
use super::problems::{RowProblem, RowProblemKind};

pub use classic_registration::ClassicRegistration;
pub use classic_reset::ClassicReset;
pub use entra_csv::EntraAuditCsv;
pub use log_analytics::LogAnalyticsCsv;
pub use portal_csv::{PortalEvents, PortalRegistrationDetails};

/// Every format the viewer recognises; the id is the summary JSON's `sources[].format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum FormatId {
    #[serde(rename = "classic-reset-activity")]
    ClassicResetActivity,
    #[serde(rename = "classic-registration-activity")]
    ClassicRegistrationActivity,
    #[serde(rename = "entra-audit-csv")]
    EntraAuditCsv,
    #[serde(rename = "entra-audit-json")]
    EntraAuditJson,
    #[serde(rename = "graph-directory-audits")]
    GraphDirectoryAudits,
    #[serde(rename = "log-analytics-auditlogs-csv")]
    LogAnalyticsCsv,
    #[serde(rename = "diagnostic-settings-archive")]
    DiagnosticArchive,
    #[serde(rename = "graph-user-registration-details")]
    GraphRegistrationDetails,
    #[serde(rename = "portal-user-registration-details-csv")]
    PortalRegistrationDetailsCsv,
    #[serde(rename = "portal-registration-reset-events-csv")]
    PortalEventsCsv,
    #[serde(rename = "graph-user-events-summary")]
    GraphUserEventsSummary,
    #[serde(rename = "legacy-sspr-activity-events")]
    LegacySsprActivity,
    #[serde(rename = "legacy-sspr-registration-events")]
    LegacySsprRegistration,
    #[serde(rename = "mapped-csv")]
    MappedCsv,
}

impl FormatId {
    pub const ALL: [FormatId; 14] = [
        FormatId::ClassicResetActivity,
        FormatId::ClassicRegistrationActivity,
        FormatId::EntraAuditCsv,
        FormatId::EntraAuditJson,
        FormatId::GraphDirectoryAudits,
        FormatId::LogAnalyticsCsv,
        FormatId::DiagnosticArchive,
        FormatId::GraphRegistrationDetails,
        FormatId::PortalRegistrationDetailsCsv,
        FormatId::PortalEventsCsv,
        FormatId::GraphUserEventsSummary,
        FormatId::LegacySsprActivity,
        FormatId::LegacySsprRegistration,
        FormatId::MappedCsv,
    ];

    pub fn id(self) -> &'static str {
        match self {
            FormatId::ClassicResetActivity => "classic-reset-activity",
            FormatId::ClassicRegistrationActivity => "classic-registration-activity",
            FormatId::EntraAuditCsv => "entra-audit-csv",
            FormatId::EntraAuditJson => "entra-audit-json",
            FormatId::GraphDirectoryAudits => "graph-directory-audits",
            FormatId::LogAnalyticsCsv => "log-analytics-auditlogs-csv",
            FormatId::DiagnosticArchive => "diagnostic-settings-archive",
            FormatId::GraphRegistrationDetails => "graph-user-registration-details",
            FormatId::PortalRegistrationDetailsCsv => "portal-user-registration-details-csv",
            FormatId::PortalEventsCsv => "portal-registration-reset-events-csv",
            FormatId::GraphUserEventsSummary => "graph-user-events-summary",
            FormatId::LegacySsprActivity => "legacy-sspr-activity-events",
            FormatId::LegacySsprRegistration => "legacy-sspr-registration-events",
            FormatId::MappedCsv => "mapped-csv",
        }
    }
}

/// One column a format reads: its display name, the normalised spellings accepted, and
/// whether the format is recognised without it.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A column the format cannot do without.
pub const fn req(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column {
        name,
        aliases,
        required: true,
    }
}

/// A column read when present.
pub const fn opt(name: &'static str, aliases: &'static [&'static str]) -> Column {
    Column {
        name,
        aliases,
        required: false,
    }
}

/// A delimited-text export.
pub trait TableFormat: Sync {
    fn id(&self) -> FormatId;
    fn columns(&self) -> &'static [Column];
    /// Which of [`Self::columns`] holds the time, given the columns the file has.
    fn time_column(&self, at: &[Option<usize>]) -> usize;
    /// Reads one record; `at` is the field index of each of [`Self::columns`] (`None`
    /// for an optional column the file lacks).
    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault>;
}

/// A row read but for its time, which waits for the column's day/month decision.
pub struct Staged {
    pub event: Event,
    pub stamp: Stamp,
}

/// The rows of a file as read: events (line set, time pending) beside their stamps.
#[derive(Default)]
pub struct Rows {
    pub events: Vec<Event>,
    pub stamps: Vec<Stamp>,
}

impl Rows {
    pub fn push(&mut self, line: u64, row: Staged) {
        let mut event = row.event;
        event.line = line as u32;
        self.events.push(event);
        self.stamps.push(row.stamp);
    }

    /// Room for `more` rows, if memory allows: a failed reservation is not an error.
    pub fn reserve(&mut self, more: u64) {
        let more = usize::try_from(more).unwrap_or(usize::MAX);
        let _ = self.events.try_reserve(more);
        let _ = self.stamps.try_reserve(more);
    }
}

/// What a format needs while reading rows.
pub struct RowContext<'a> {
    pub strings: &'a mut Interner,
    pub dates: &'a mut DateColumn,
    /// What each distinct text parses to, worked out once per file.
    pub memo: Memo,
}

/// Parsed forms of repeated texts: by their interned symbol, and the last date cell.
#[derive(Default)]
pub struct Memo {
    methods: FxHashMap<Sym, MethodSet>,
    activities: FxHashMap<Sym, Activity>,
    reason_methods: FxHashMap<Sym, MethodSet>,
    reason_results: FxHashMap<Sym, ResetResult>,
    /// The last date cell scanned and its stamp: rows often share their minute (in the
    /// classic 75k report, half the rows have the cell of the row before).
    last_date: (String, Option<Stamp>),
}

impl RowContext<'_> {
    pub fn new<'a>(strings: &'a mut Interner, dates: &'a mut DateColumn) -> RowContext<'a> {
        RowContext {
            strings,
            dates,
            memo: Memo::default(),
        }
    }

    /// Interns a method cell (`A + B`) and its families.
    pub fn methods(&mut self, cell: &str) -> (Sym, MethodSet) {
        memoised(
            self.strings,
            &mut self.memo.methods,
            cell,
            MethodSet::parse_joined,
        )
    }

    /// Interns an activity name and classifies it.
    pub fn activity(&mut self, name: &str) -> (Sym, Activity) {
        memoised(
            self.strings,
            &mut self.memo.activities,
            name,
            Activity::classify,
        )
    }

    /// Interns a reason text and the method families it names.
    pub fn reason(&mut self, text: &str) -> (Sym, MethodSet) {
        memoised(
            self.strings,
            &mut self.memo.reason_methods,
            text,
            super::sessions::methods_in,
        )
    }

    /// Interns a failed reset's reason and the result its documented sentence gives
    /// (`Failed` when it matches none).
    pub fn reason_result(&mut self, text: &str) -> (Sym, ResetResult) {
        memoised(self.strings, &mut self.memo.reason_results, text, |t| {
            super::catalogue::match_detail(t).map_or(ResetResult::Failed, |d| d.entry().result)
        })
    }
}

/// Interns `text` and what `parse` makes of it, parsed once per distinct text.
fn memoised<T: Copy>(
    strings: &mut Interner,
    memo: &mut FxHashMap<Sym, T>,
    text: &str,
    parse: impl FnOnce(&str) -> T,
) -> (Sym, T) {
    let sym = strings.intern(text);
    (sym, *memo.entry(sym).or_insert_with(|| parse(text)))
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

    pub fn into_problem(
        self,
        line: u64,
        format: &dyn TableFormat,
        at: &[Option<usize>],
    ) -> RowProblem {
        RowProblem {
            line,
            column: self
                .column
                .and_then(|c| Some((at[c]? + 1, format.columns()[c].name.to_string()))),
            kind: self.kind,
        }
    }
}

pub static TABLE_FORMATS: &[&dyn TableFormat] = &[
    &ClassicReset,
    &ClassicRegistration,
    &EntraAuditCsv,
    &LogAnalyticsCsv,
    &PortalEvents,
    &PortalRegistrationDetails,
];

/// A header name reduced to lower-case letters and digits: `Method(s) Used` → `methodsused`.
pub fn normalise_header(name: &str) -> String {
    super::key::Key::of(name).as_str().to_string()
}

/// The format claiming `header`, with the field index of each of its columns. When
/// several claim it, the one matching the most columns wins.
pub fn recognise(
    header: &[String],
) -> Result<(&'static dyn TableFormat, Vec<Option<usize>>), Closest> {
    let normalised: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
    let mut best: Option<(&'static dyn TableFormat, Vec<Option<usize>>, usize)> = None;
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
        let missing: Vec<&'static str> = format
            .columns()
            .iter()
            .zip(&found)
            .filter(|(c, f)| c.required && f.is_none())
            .map(|(c, _)| c.name)
            .collect();
        let required_hits = format
            .columns()
            .iter()
            .zip(&found)
            .filter(|(c, f)| c.required && f.is_some())
            .count();
        let hits = found.iter().flatten().count();
        if missing.is_empty() {
            if best.as_ref().is_none_or(|b| b.2 < hits) {
                best = Some((format, found, hits));
            }
        } else if required_hits > 0 && closest.as_ref().is_none_or(|(_, h, _)| *h < required_hits) {
            closest = Some((format.id(), required_hits, missing));
        }
    }
    best.map(|(f, at, _)| (f, at))
        .ok_or(Closest(closest.map(|(id, _, missing)| (id, missing))))
}

/// Why no format claimed a header: the nearest one and its missing columns.
pub struct Closest(pub Option<(FormatId, Vec<&'static str>)>);

/// The field at `at[column]`, trimmed; empty when the row is short or the file lacks
/// the column. Log Analytics writes `(blank)` for nothing.
pub fn field<'r>(record: &Record<'r>, at: &[Option<usize>], column: usize) -> &'r str {
    let cell = match at[column] {
        Some(i) => record.get(i).unwrap_or(""),
        None => "",
    };
    match trim(cell) {
        "(blank)" => "",
        text => text,
    }
}

/// Scans a date cell (or JSON field: no column) and records it as evidence for the
/// file's day/month order.
pub fn date_cell(
    cell: &str,
    column: Option<usize>,
    cx: &mut RowContext<'_>,
) -> Result<Stamp, RowFault> {
    let last = &mut cx.memo.last_date;
    let stamp = match last.1 {
        Some(stamp) if last.0 == cell => stamp,
        _ => {
            let stamp = dates::scan(cell).map_err(|error| RowFault {
                column,
                kind: RowProblemKind::BadDate {
                    value: cell.to_string(),
                    error,
                },
            })?;
            last.0.clear();
            last.0.push_str(cell);
            last.1 = Some(stamp);
            stamp
        }
    };
    cx.dates.observe(&stamp);
    Ok(stamp)
}

/// A date that may be missing (registration state): a missing one is time zero.
pub fn optional_date_cell(
    cell: &str,
    column: Option<usize>,
    cx: &mut RowContext<'_>,
) -> Result<Stamp, RowFault> {
    if cell.is_empty() {
        return Ok(Stamp::Exact { at: 0, zoned: true });
    }
    date_cell(cell, column, cx)
}

/// The user cell, lower-cased; an empty user is a row problem.
pub fn user_cell(cell: &str, column: usize, cx: &mut RowContext<'_>) -> Result<Sym, RowFault> {
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
