//! A CSV whose header the viewer does not know, read with columns the user assigned
//! (the column-mapping step). With an activity column it is an audit log; with a result
//! column, reset attempts; otherwise registrations.

use crate::report::delimited::Record;

use super::audit::{audit_event, AuditFields};
use super::{
    date_cell, field, opt, user_cell, Column, FormatId, RowContext, RowFault, Staged, TableFormat,
};
use crate::report::activity::Status;
use crate::report::model::{Event, EventKind};
use crate::report::outcome::ResetResult;
use crate::report::problems::RowProblemKind;

/// The roles a column can be given, in [`MappedCsv::columns`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Time,
    User,
    Activity,
    Service,
    Result,
    Reason,
    Methods,
    UserRole,
    Correlation,
    Actor,
    Ip,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Time,
        Role::User,
        Role::Activity,
        Role::Service,
        Role::Result,
        Role::Reason,
        Role::Methods,
        Role::UserRole,
        Role::Correlation,
        Role::Actor,
        Role::Ip,
    ];

    pub fn required(self) -> bool {
        matches!(self, Role::Time | Role::User)
    }
}

pub struct MappedCsv;

static COLUMNS: [Column; 11] = [
    opt("Time", &[]),
    opt("User", &[]),
    opt("Activity", &[]),
    opt("Service", &[]),
    opt("Result", &[]),
    opt("Reason", &[]),
    opt("Methods", &[]),
    opt("Role", &[]),
    opt("Correlation id", &[]),
    opt("Initiated by", &[]),
    opt("IP address", &[]),
];

impl TableFormat for MappedCsv {
    fn id(&self) -> FormatId {
        FormatId::MappedCsv
    }

    fn columns(&self) -> &'static [Column] {
        &COLUMNS
    }

    fn time_column(&self, _at: &[Option<usize>]) -> usize {
        Role::Time as usize
    }

    fn read(
        &self,
        at: &[Option<usize>],
        record: &Record<'_>,
        cx: &mut RowContext<'_>,
    ) -> Result<Staged, RowFault> {
        let f = |r: Role| field(record, at, r as usize);
        let has = |r: Role| at[r as usize].is_some();
        if has(Role::Activity) {
            let fields = AuditFields {
                time: f(Role::Time),
                service: f(Role::Service),
                activity: f(Role::Activity),
                status: f(Role::Result),
                reason: f(Role::Reason),
                correlation: f(Role::Correlation),
                actor_upn: f(Role::Actor),
                ip: f(Role::Ip),
                target_upn: f(Role::User),
                ..AuditFields::default()
            };
            return audit_event(&fields, Some(Role::Time as usize), cx);
        }
        let user = user_cell(f(Role::User), Role::User as usize, cx)?;
        let stamp = date_cell(f(Role::Time), Some(Role::Time as usize), cx)?;
        let methods = f(Role::Methods);
        let mut event = if has(Role::Result) {
            let cell = f(Role::Result);
            let result = ResetResult::parse(cell)
                .or(match Status::parse(cell) {
                    Status::Success => Some(ResetResult::Succeeded),
                    Status::Failure => Some(ResetResult::Failed),
                    _ => None,
                })
                .ok_or_else(|| {
                    RowFault::at(
                        Role::Result as usize,
                        RowProblemKind::UnknownResult {
                            value: cell.to_string(),
                        },
                    )
                })?;
            Event {
                result: Some(result),
                ..Event::new(EventKind::ResetAttempt)
            }
        } else {
            Event::new(EventKind::Registration)
        };
        event.user = user;
        event.role = cx.strings.intern(f(Role::UserRole));
        (event.methods_text, event.methods) = cx.methods(methods);
        event.detail = cx.strings.intern(f(Role::Reason));
        Ok(Staged { event, stamp })
    }
}
