//! The current portal's authentication-methods reports as CSV (header wording
//! unverified, so read liberally): "Registration and reset events" and "User
//! registration details".

use crate::report::delimited::Record;

use super::json::usage_event;
use super::{
    date_cell, field, opt, optional_date_cell, req, user_cell, Column, FormatId, RowContext,
    RowFault, Staged, TableFormat,
};
use crate::report::activity::Status;

use crate::report::model::{Event, EventKind};

/// "Registration and reset events": Date, User name, User, Feature, Method used, Status,
/// Reason for failure.
pub struct PortalEvents;

static EVENT_COLUMNS: [Column; 6] = [
    req("Date", &["date", "datetime", "eventdatetime", "dateutc"]),
    req("User", &["user", "userprincipalname", "upn"]),
    req("Feature", &["feature"]),
    req("Status", &["status"]),
    opt(
        "Method used",
        &["methodused", "method", "authmethod", "authenticationmethod"],
    ),
    opt("Reason for failure", &["reasonforfailure", "failurereason"]),
];

impl TableFormat for PortalEvents {
    fn id(&self) -> FormatId {
        FormatId::PortalEventsCsv
    }

    fn columns(&self) -> &'static [Column] {
        &EVENT_COLUMNS
    }

    fn time_column(&self, _at: &[Option<usize>]) -> usize {
        0
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let f = |c| field(record, at, c);
        let user = user_cell(f(1), 1, cx)?;
        let stamp = date_cell(f(0), Some(0), cx)?;
        let success = Status::parse(f(3)) == Status::Success;
        let event = usage_event(cx, user, f(2), success, f(4), f(5));
        Ok(Staged { event, stamp })
    }
}

/// "User registration details": one row per user with their registration state.
pub struct PortalRegistrationDetails;

static DETAIL_COLUMNS: [Column; 5] = [
    req("User principal name", &["userprincipalname", "upn"]),
    req(
        "SSPR Registered",
        &[
            "ssprregistered",
            "isssprregistered",
            "selfservicepasswordresetregistered",
        ],
    ),
    opt(
        "Methods registered",
        &["methodsregistered", "registeredmethods"],
    ),
    opt(
        "Last Updated Time",
        &["lastupdatedtime", "lastupdateddatetime", "lastupdated"],
    ),
    opt("Admin", &["admin", "isadmin", "administrator"]),
];

/// `Registered`, `Yes`, `True`, `Capable` → true; `Not Registered`, `No`, `False`, empty → false.
fn yes(cell: &str) -> bool {
    let c = cell.trim().to_ascii_lowercase();
    !(c.is_empty()
        || c.starts_with("not")
        || c.starts_with("un")
        || matches!(c.as_str(), "no" | "false" | "0" | "-"))
}

impl TableFormat for PortalRegistrationDetails {
    fn id(&self) -> FormatId {
        FormatId::PortalRegistrationDetailsCsv
    }

    fn columns(&self) -> &'static [Column] {
        &DETAIL_COLUMNS
    }

    fn time_column(&self, _at: &[Option<usize>]) -> usize {
        3
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let f = |c| field(record, at, c);
        let user = user_cell(f(0), 0, cx)?;
        let (methods_text, methods) = cx.methods(f(2));
        let stamp = optional_date_cell(f(3), Some(3), cx)?;
        let event = Event {
            user,
            sspr_registered: yes(f(1)),
            admin: yes(f(4)),
            methods,
            methods_text,
            ..Event::new(EventKind::RegistrationState)
        };
        Ok(Staged { event, stamp })
    }
}
