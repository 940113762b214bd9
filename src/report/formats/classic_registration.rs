//! The classic portal's "Password reset registration activity" report:
//! `User, Role, Date and Time, Data Registered` (FORMATS.md §1). Every row is a
//! successful registration.

use crate::report::delimited::Record;

use super::{
    date_cell, field, req, user_cell, Column, FormatId, RowContext, RowFault, Staged, TableFormat,
};
use crate::report::model::{Event, EventKind};

pub struct ClassicRegistration;

const USER: usize = 0;
const ROLE: usize = 1;
const TIME: usize = 2;
const DATA: usize = 3;

static COLUMNS: [Column; 4] = [
    req("User", &["user"]),
    req("Role", &["role"]),
    req("Date and Time", &["dateandtime", "datetime"]),
    req("Data Registered", &["dataregistered"]),
];

impl TableFormat for ClassicRegistration {
    fn id(&self) -> FormatId {
        FormatId::ClassicRegistrationActivity
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
        let stamp = date_cell(field(record, at, TIME), Some(TIME), cx)?;
        let (methods_text, methods) = cx.methods(field(record, at, DATA));
        let event = Event {
            user,
            role: cx.strings.intern(field(record, at, ROLE)),
            methods,
            methods_text,
            ..Event::new(EventKind::Registration)
        };
        Ok(Staged { event, stamp })
    }
}
