//! A Log Analytics / Sentinel `AuditLogs` table exported to CSV: locale dates under
//! `[UTC]` headers, and `InitiatedBy`, `TargetResources` as JSON text inside cells.

use crate::report::delimited::Record;

use super::audit::{audit_event, AuditFields};
use super::graph::{parties, InitiatedBy, Target};
use super::json::cell;
use super::{field, opt, req, Column, FormatId, RowContext, RowFault, Staged, TableFormat};
use crate::report::problems::RowProblemKind;

pub struct LogAnalyticsCsv;

static COLUMNS: [Column; 11] = [
    req(
        "TimeGenerated [UTC]",
        &["timegeneratedutc", "timegenerated"],
    ),
    req("OperationName", &["operationname", "activitydisplayname"]),
    req("LoggedByService", &["loggedbyservice"]),
    req("InitiatedBy", &["initiatedby"]),
    opt(
        "ActivityDateTime [UTC]",
        &["activitydatetimeutc", "activitydatetime"],
    ),
    opt("CorrelationId", &["correlationid"]),
    opt("Result", &["result"]),
    opt("ResultReason", &["resultreason"]),
    opt("ResultDescription", &["resultdescription"]),
    opt("TargetResources", &["targetresources"]),
    opt("ActivityDisplayName", &["activitydisplayname"]),
];

const GENERATED: usize = 0;
const INITIATED_BY: usize = 3;
const ACTIVITY_TIME: usize = 4;
const TARGETS: usize = 9;

impl TableFormat for LogAnalyticsCsv {
    fn id(&self) -> FormatId {
        FormatId::LogAnalyticsCsv
    }

    fn columns(&self) -> &'static [Column] {
        &COLUMNS
    }

    fn time_column(&self, at: &[Option<usize>]) -> usize {
        // Rows use ActivityDateTime when the export has it.
        if at[ACTIVITY_TIME].is_some() {
            ACTIVITY_TIME
        } else {
            GENERATED
        }
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let f = |c| field(record, at, c);
        let bad_cell =
            |column, message| RowFault::at(column, RowProblemKind::Malformed { message });
        let initiated: InitiatedBy =
            cell(f(INITIATED_BY)).map_err(|m| bad_cell(INITIATED_BY, m))?;
        let targets: Vec<Target> = cell(f(TARGETS)).map_err(|m| bad_cell(TARGETS, m))?;
        let (time, time_column) = if f(ACTIVITY_TIME).is_empty() {
            (f(GENERATED), GENERATED)
        } else {
            (f(ACTIVITY_TIME), ACTIVITY_TIME)
        };
        let activity = if f(10).is_empty() { f(1) } else { f(10) };
        // The step text is in ResultReason or, in some exports, ResultDescription.
        let reason = if f(7).is_empty() { f(8) } else { f(7) };
        let fields = AuditFields {
            time,
            service: f(2),
            activity,
            status: f(6),
            reason,
            correlation: f(5),
            ..parties(Some(&initiated), Some(&targets))
        };
        audit_event(&fields, Some(time_column), cx)
    }
}
