//! The classic portal's "Password reset activity" report:
//! `User, Role, Date and Time, Method(s) Used, Result, Details` (FORMATS.md §1).

use crate::report::delimited::Record;

use super::{
    date_cell, field, req, user_cell, Column, FormatId, RowContext, RowFault, Staged, TableFormat,
};
use crate::report::model::{Event, EventKind};
use crate::report::outcome::ResetResult;
use crate::report::problems::RowProblemKind;

pub struct ClassicReset;

const USER: usize = 0;
const ROLE: usize = 1;
const TIME: usize = 2;
const METHODS: usize = 3;
const RESULT: usize = 4;
const DETAILS: usize = 5;

static COLUMNS: [Column; 6] = [
    req("User", &["user"]),
    req("Role", &["role"]),
    req("Date and Time", &["dateandtime", "datetime"]),
    req("Method(s) Used", &["methodsused", "methodused"]),
    req("Result", &["result"]),
    req("Details", &["details", "detail"]),
];

impl TableFormat for ClassicReset {
    fn id(&self) -> FormatId {
        FormatId::ClassicResetActivity
    }

    fn columns(&self) -> &'static [Column] {
        &COLUMNS
    }

    fn time_column(&self, _at: &[Option<usize>]) -> usize {
        TIME
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let user = user_cell(field(record, at, USER), USER, cx)?;
        let result_cell = field(record, at, RESULT);
        let result = ResetResult::parse(result_cell).ok_or_else(|| {
            RowFault::at(
                RESULT,
                RowProblemKind::UnknownResult {
                    value: result_cell.to_string(),
                },
            )
        })?;
        let stamp = date_cell(field(record, at, TIME), Some(TIME), cx)?;
        let (methods_text, methods) = cx.methods(field(record, at, METHODS));
        let event = Event {
            user,
            role: cx.strings.intern(field(record, at, ROLE)),
            methods,
            methods_text,
            result: Some(result),
            detail: cx.strings.intern(field(record, at, DETAILS)),
            ..Event::new(EventKind::ResetAttempt)
        };
        Ok(Staged { event, stamp })
    }
}
