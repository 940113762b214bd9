//! What every audit-log format has in common: the fields of one record, however the
//! format spells them, turned into an [`Event`] of kind `Audit`.

use super::{date_cell, RowContext, RowFault, Staged};
use crate::report::activity::{Service, Status};
use crate::report::intern::Sym;
use crate::report::model::{Event, EventKind};
use crate::report::problems::RowProblemKind;

/// One audit record's fields as text; empty when the format has none.
#[derive(Default, Debug)]
pub struct AuditFields<'a> {
    pub time: &'a str,
    pub service: &'a str,
    pub activity: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
    pub correlation: &'a str,
    pub actor_upn: &'a str,
    /// The initiating app's (or user's) display name, used when there is no UPN.
    pub actor_name: &'a str,
    pub ip: &'a str,
    pub target_upn: &'a str,
    pub target_type: &'a str,
}

/// Turns the fields into an event. `time_column` names the time column in a fault (CSV).
pub fn audit_event(
    f: &AuditFields<'_>,
    time_column: Option<usize>,
    cx: &mut RowContext<'_>,
) -> Result<Staged, RowFault> {
    if f.activity.is_empty() {
        return Err(RowFault {
            column: None,
            kind: RowProblemKind::MissingField {
                name: "activity".to_string(),
            },
        });
    }
    let stamp = date_cell(f.time, time_column, cx)?;
    let service = Service::parse(f.service);
    let (activity_name, activity) = cx.activity(f.activity);
    let target_is_user = f.target_type.is_empty() || f.target_type.eq_ignore_ascii_case("user");
    let actor_upn = (!f.actor_upn.is_empty()).then(|| cx.strings.intern_lower(f.actor_upn));
    let actor = match actor_upn {
        Some(upn) => upn,
        None => cx.strings.intern(f.actor_name),
    };
    let user = if target_is_user && !f.target_upn.is_empty() {
        cx.strings.intern_lower(f.target_upn)
    } else {
        actor_upn.unwrap_or(Sym::EMPTY)
    };
    let (detail, reason_methods) = cx.reason(f.reason);
    let methods = if activity.is_registration() || activity.changes_security_info() {
        reason_methods
    } else {
        Default::default()
    };
    let event = Event {
        user,
        detail,
        activity_name,
        correlation: cx.strings.intern_lower(f.correlation),
        actor,
        ip: cx.strings.intern(f.ip),
        activity,
        service,
        status: Status::parse(f.status),
        methods,
        ..Event::new(EventKind::Audit)
    };
    Ok(Staged { event, stamp })
}
