//! JSON exports: finds the envelope (a bare array, Graph pages `{"value": […]}`,
//! archives `{"records": […]}`, one object per line) and the record kind from the first
//! record's keys, then reads each record. Records keep their line numbers.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::audit::audit_event;
use super::graph::{
    field, ArchiveRecord, DirectoryAudit, LegacyEvent, RegistrationDetails, UsageEvent,
};
use super::{date_cell, optional_date_cell, FormatId, RowContext, RowFault, Staged};
use crate::report::activity::Status;
use crate::report::catalogue::match_detail;
use crate::report::methods::{MethodFamily, MethodSet};
use crate::report::model::{Event, EventKind};
use crate::report::outcome::ResetResult;
use crate::report::problems::{LoadError, RowProblem, RowProblemKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    Array,
    ValuePage,
    Records,
    Lines,
    Single,
}

impl Envelope {
    pub const ALL: [Envelope; 5] = [
        Envelope::Array,
        Envelope::ValuePage,
        Envelope::Records,
        Envelope::Lines,
        Envelope::Single,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    DirectoryAudit,
    Archive,
    RegistrationDetails,
    UsageEvent,
    LegacyRegistration,
    LegacyActivity,
}

impl RecordKind {
    /// Which kind a record is, from its keys, and the key that told.
    fn of(keys: &[&str]) -> Option<(RecordKind, &'static str)> {
        let has = |k: &str| keys.contains(&k);
        [
            (RecordKind::Archive, "properties"),
            (RecordKind::DirectoryAudit, "activityDisplayName"),
            (RecordKind::RegistrationDetails, "isSsprRegistered"),
            (RecordKind::RegistrationDetails, "methodsRegistered"),
            (RecordKind::UsageEvent, "feature"),
            (RecordKind::LegacyRegistration, "registrationActivity"),
            (RecordKind::LegacyActivity, "eventTime"),
        ]
        .into_iter()
        .find(|(kind, key)| {
            has(key) && (*kind != RecordKind::Archive || has("operationName") || has("time"))
        })
    }

    fn format(self, envelope: Envelope) -> FormatId {
        match (self, envelope) {
            (RecordKind::DirectoryAudit, Envelope::Array | Envelope::Single) => {
                FormatId::EntraAuditJson
            }
            (RecordKind::DirectoryAudit, _) => FormatId::GraphDirectoryAudits,
            (RecordKind::Archive, _) => FormatId::DiagnosticArchive,
            (RecordKind::RegistrationDetails, _) => FormatId::GraphRegistrationDetails,
            (RecordKind::UsageEvent, _) => FormatId::GraphUserEventsSummary,
            (RecordKind::LegacyRegistration, _) => FormatId::LegacySsprRegistration,
            (RecordKind::LegacyActivity, _) => FormatId::LegacySsprActivity,
        }
    }
}

/// What reading a JSON file found.
pub struct JsonRead {
    pub format: FormatId,
    pub envelope: Envelope,
    pub evidence: String,
    /// (line, row) for every record read.
    pub rows: super::Rows,
    pub problems: Vec<RowProblem>,
    pub blank: u32,
}

/// Reads a JSON stream record by record. `progress` is told the records read so far.
pub fn read(
    src: impl std::io::Read,
    cx: &mut RowContext<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<JsonRead, LoadError> {
    let mut kind: Option<(RecordKind, &'static str)> = None;
    let mut first_keys: Vec<String> = Vec::new();
    let mut records = 0u64;
    let mut rows = super::Rows::default();
    let mut problems = Vec::new();
    let mut blank = 0u32;
    let mut splitter = super::json_split::Splitter::new(src);
    let envelope = splitter.run(&mut |raw| {
        records += 1;
        if records % 10_000 == 0 {
            progress(records);
        }
        let text = std::str::from_utf8(raw.text).map_err(|_| LoadError::InvalidJson {
            line: raw.line as usize,
            column: raw.column as usize,
            message: "the text is not valid UTF-8".to_string(),
        })?;
        let raw_value: &RawValue =
            serde_json::from_str(text).map_err(|e| located(&e, raw.line, raw.column))?;
        if raw_value.get() == "null" {
            blank += 1;
            return Ok(());
        }
        let (found, _) = match kind {
            Some(k) => k,
            None => {
                let keys: Vec<String> =
                    serde_json::from_str::<HashMap<String, &RawValue>>(raw_value.get())
                        .map(|m| m.into_keys().collect())
                        .unwrap_or_default();
                let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
                let Some(k) = RecordKind::of(&refs) else {
                    first_keys = keys;
                    return Err(LoadError::UnknownJson {
                        found: String::new(),
                    });
                };
                *kind.insert(k)
            }
        };
        match read_record(found, raw_value, cx) {
            Ok(row) => rows.push(raw.line, row),
            Err(fault) => problems.push(RowProblem {
                line: raw.line,
                column: None,
                kind: fault.kind,
            }),
        }
        Ok(())
    });
    let envelope = match envelope {
        Err(LoadError::UnknownJson { .. }) => {
            let mut keys: Vec<&str> = first_keys.iter().map(String::as_str).collect();
            keys.sort_unstable();
            keys.truncate(12);
            return Err(LoadError::UnknownJson {
                found: format!("records with the keys {}", keys.join(", ")),
            });
        }
        other => other?,
    };
    let Some((kind, evidence)) = kind else {
        let found = match envelope {
            Envelope::Single | Envelope::Lines => "an object".to_string(),
            _ if splitter.top_keys.is_empty() => "an empty list".to_string(),
            _ => format!(
                "an object with the keys {} and no records",
                splitter.top_keys.join(", ")
            ),
        };
        return Err(LoadError::UnknownJson { found });
    };
    Ok(JsonRead {
        format: kind.format(envelope),
        envelope,
        evidence: evidence.to_string(),
        rows,
        problems,
        blank,
    })
}

/// A parse error inside a record, placed in the file.
fn located(e: &serde_json::Error, line: u64, column: u64) -> LoadError {
    let (l, c) = (e.line() as u64, e.column() as u64);
    LoadError::InvalidJson {
        line: (line + l.saturating_sub(1)) as usize,
        column: if l <= 1 {
            (column + c.saturating_sub(1)) as usize
        } else {
            c as usize
        },
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

fn typed<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, RowFault> {
    serde_json::from_str(raw.get()).map_err(|e| RowFault {
        column: None,
        kind: RowProblemKind::Malformed {
            message: e.to_string(),
        },
    })
}

fn missing(name: &'static str) -> RowFault {
    RowFault {
        column: None,
        kind: RowProblemKind::MissingField {
            name: name.to_string(),
        },
    }
}

fn read_record(
    kind: RecordKind,
    raw: &RawValue,
    cx: &mut RowContext<'_>,
) -> Result<Staged, RowFault> {
    match kind {
        RecordKind::DirectoryAudit => {
            let record: DirectoryAudit = typed(raw)?;
            let fields = record.fields(None);
            if fields.time.is_empty() {
                return Err(missing("activityDateTime"));
            }
            audit_event(&fields, None, cx)
        }
        RecordKind::Archive => {
            let envelope: ArchiveRecord = typed(raw)?;
            let Some(record) = envelope.properties.as_ref() else {
                return Err(missing("properties"));
            };
            let fields = record.fields(Some(&envelope));
            if fields.time.is_empty() {
                return Err(missing("time"));
            }
            audit_event(&fields, None, cx)
        }
        RecordKind::RegistrationDetails => {
            let r: RegistrationDetails = typed(raw)?;
            let user = field(&r.user_principal_name);
            if user.is_empty() {
                return Err(missing("userPrincipalName"));
            }
            let names: Vec<&str> = r
                .methods_registered
                .iter()
                .flatten()
                .map(|m| m.as_ref())
                .collect();
            let event = Event {
                user: cx.strings.intern_lower(user),
                methods: names
                    .iter()
                    .fold(MethodSet::EMPTY, |s, m| s.with(MethodFamily::of_name(m))),
                methods_text: cx.strings.intern(&names.join(", ")),
                admin: r.is_admin.unwrap_or(false),
                sspr_registered: r.is_sspr_registered.unwrap_or(false),
                ..Event::new(EventKind::RegistrationState)
            };
            Ok(Staged {
                event,
                stamp: optional_date_cell(field(&r.last_updated_date_time), None, cx)?,
            })
        }
        RecordKind::UsageEvent => {
            let r: UsageEvent = typed(raw)?;
            let user = field(&r.user_principal_name);
            if user.is_empty() {
                return Err(missing("userPrincipalName"));
            }
            let time = field(&r.event_date_time);
            if time.is_empty() {
                return Err(missing("eventDateTime"));
            }
            let success = r.is_success.unwrap_or(false);
            let event = usage_event(
                cx,
                user,
                field(&r.feature),
                success,
                field(&r.auth_method),
                field(&r.failure_reason),
            );
            Ok(Staged {
                event,
                stamp: date_cell(time, None, cx)?,
            })
        }
        RecordKind::LegacyRegistration | RecordKind::LegacyActivity => {
            let r: LegacyEvent = typed(raw)?;
            let user = field(&r.user_name);
            if user.is_empty() {
                return Err(missing("userName"));
            }
            let time = field(&r.event_time);
            if time.is_empty() {
                return Err(missing("eventTime"));
            }
            let mut event = if kind == RecordKind::LegacyRegistration {
                Event::new(EventKind::Registration)
            } else {
                let result = field(&r.result);
                let result = result.rsplit('_').next().unwrap_or(result);
                let result = ResetResult::parse(result).ok_or_else(|| RowFault {
                    column: None,
                    kind: RowProblemKind::UnknownResult {
                        value: field(&r.result).to_string(),
                    },
                })?;
                Event {
                    result: Some(result),
                    ..Event::new(EventKind::ResetAttempt)
                }
            };
            let methods = if kind == RecordKind::LegacyRegistration {
                field(&r.registration_activity)
            } else {
                field(&r.methods)
            };
            event.user = cx.strings.intern_lower(user);
            event.role = cx.strings.intern(field(&r.role));
            event.methods = MethodSet::parse_joined(methods);
            event.methods_text = cx.strings.intern(methods);
            event.detail = cx.strings.intern(field(&r.details));
            event.status = Status::Success;
            Ok(Staged {
                event,
                stamp: date_cell(time, None, cx)?,
            })
        }
    }
}

/// A row of the portal's "Registration and reset events" (or its API twin): a
/// registration, or a reset attempt whose result follows its failure reason.
pub fn usage_event(
    cx: &mut RowContext<'_>,
    user: &str,
    feature: &str,
    success: bool,
    method: &str,
    reason: &str,
) -> Event {
    let is_reset = feature.trim().to_ascii_lowercase().contains("reset");
    let mut event = if is_reset {
        let result = if success {
            ResetResult::Succeeded
        } else {
            match_detail(reason).map_or(ResetResult::Failed, |d| d.entry().result)
        };
        Event {
            result: Some(result),
            ..Event::new(EventKind::ResetAttempt)
        }
    } else {
        Event::new(EventKind::Registration)
    };
    event.user = cx.strings.intern_lower(user);
    event.status = if success {
        Status::Success
    } else {
        Status::Failure
    };
    event.methods = MethodSet::parse_joined(method);
    event.methods_text = cx.strings.intern(method);
    event.detail = cx.strings.intern(reason);
    event
}

/// Reads a JSON cell of a Log Analytics export.
pub fn cell<'a, T: Deserialize<'a> + Default>(text: &'a str) -> Result<T, String> {
    if text.is_empty() || text == "(blank)" {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|e| e.to_string())
}
