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
use crate::report::intern::Sym;
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
    pub blank: u32,
}

/// Reads a JSON stream record by record. Records that cannot be read go to `note`;
/// `progress` is told the records read so far.
pub fn read(
    src: impl std::io::Read,
    cx: &mut RowContext<'_>,
    note: &mut dyn FnMut(RowProblem),
    progress: &mut dyn FnMut(u64),
) -> Result<JsonRead, LoadError> {
    let mut kind: Option<(RecordKind, &'static str)> = None;
    let mut first_keys: Vec<String> = Vec::new();
    let mut records = 0u64;
    let mut rows = super::Rows::default();
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
        // The splitter hands out a value's text without the whitespace around it.
        if text == "null" {
            blank += 1;
            return Ok(());
        }
        let (found, _) = match kind {
            Some(k) => k,
            None => {
                // The first record: checked as JSON, and its keys tell the kind.
                let raw_value: &RawValue =
                    serde_json::from_str(text).map_err(|e| located(&e, raw.line, raw.column))?;
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
        match read_record(found, text, cx) {
            Ok(row) => rows.push(raw.line, row),
            Err(RecordError::Row(fault)) => note(RowProblem {
                line: raw.line,
                column: None,
                kind: fault.kind,
            }),
            Err(RecordError::Json(e)) => return Err(located(&e, raw.line, raw.column)),
        }
        Ok(())
    });
    let envelope = match envelope {
        Err(LoadError::UnknownJson { .. }) => {
            let mut keys: Vec<&str> = first_keys.iter().map(String::as_str).collect();
            crate::report::order::sort_by(&mut keys, |a, b| a.cmp(b));
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

/// Why a record was not read: the row is at fault, or the text is not JSON (which stops
/// the file).
enum RecordError {
    Row(RowFault),
    Json(serde_json::Error),
}

impl From<RowFault> for RecordError {
    fn from(fault: RowFault) -> Self {
        RecordError::Row(fault)
    }
}

/// Parses a record straight into its type. Only a record that fails is parsed again, as
/// plain JSON, to tell broken JSON (anywhere in the record) from JSON of the wrong
/// shape: the parser's own classification stops at the first fault, and it calls a lone
/// surrogate, which plain JSON accepts, a syntax error.
fn typed<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, RecordError> {
    serde_json::from_str(text).map_err(|e| match serde_json::from_str::<&RawValue>(text) {
        Err(syntax) => RecordError::Json(syntax),
        Ok(_) => RecordError::Row(RowFault {
            column: None,
            kind: RowProblemKind::Malformed {
                message: e.to_string(),
            },
        }),
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
    text: &str,
    cx: &mut RowContext<'_>,
) -> Result<Staged, RecordError> {
    match kind {
        RecordKind::DirectoryAudit => {
            let record: DirectoryAudit = typed(text)?;
            let fields = record.fields(None);
            if fields.time.is_empty() {
                return Err(missing("activityDateTime").into());
            }
            Ok(audit_event(&fields, None, cx)?)
        }
        RecordKind::Archive => {
            let envelope: ArchiveRecord = typed(text)?;
            let Some(record) = envelope.properties.as_ref() else {
                return Err(missing("properties").into());
            };
            let fields = record.fields(Some(&envelope));
            if fields.time.is_empty() {
                return Err(missing("time").into());
            }
            Ok(audit_event(&fields, None, cx)?)
        }
        RecordKind::RegistrationDetails => {
            let r: RegistrationDetails = typed(text)?;
            let user = field(&r.user_principal_name);
            if user.is_empty() {
                return Err(missing("userPrincipalName").into());
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
            let r: UsageEvent = typed(text)?;
            let user = field(&r.user_principal_name);
            if user.is_empty() {
                return Err(missing("userPrincipalName").into());
            }
            let time = field(&r.event_date_time);
            if time.is_empty() {
                return Err(missing("eventDateTime").into());
            }
            let success = r.is_success.unwrap_or(false);
            let user = cx.strings.intern_lower(user);
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
            let r: LegacyEvent = typed(text)?;
            let user = field(&r.user_name);
            if user.is_empty() {
                return Err(missing("userName").into());
            }
            let time = field(&r.event_time);
            if time.is_empty() {
                return Err(missing("eventTime").into());
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
            (event.methods_text, event.methods) = cx.methods(methods);
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
/// registration, or a reset attempt whose result follows its failure reason. `user` is
/// already interned (lower-cased).
pub fn usage_event(
    cx: &mut RowContext<'_>,
    user: Sym,
    feature: &str,
    success: bool,
    method: &str,
    reason: &str,
) -> Event {
    // Any case: `reset`, `Reset`, `passwordReset`.
    let is_reset = feature
        .as_bytes()
        .windows(b"reset".len())
        .any(|w| w.eq_ignore_ascii_case(b"reset"));
    let (methods_text, methods) = cx.methods(method);
    let (detail, result) = if !is_reset {
        (cx.strings.intern(reason), None)
    } else if success {
        (cx.strings.intern(reason), Some(ResetResult::Succeeded))
    } else {
        let (detail, result) = cx.reason_result(reason);
        (detail, Some(result))
    };
    Event {
        user,
        status: if success {
            Status::Success
        } else {
            Status::Failure
        },
        methods,
        methods_text,
        detail,
        result,
        ..Event::new(if is_reset {
            EventKind::ResetAttempt
        } else {
            EventKind::Registration
        })
    }
}

/// Reads a JSON cell of a Log Analytics export.
pub fn cell<'a, T: Deserialize<'a> + Default>(text: &'a str) -> Result<T, String> {
    if text.is_empty() || text == "(blank)" {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use crate::report::ingest::load;
    use crate::report::model::Dataset;
    use crate::report::problems::{LoadError, RowProblem, RowProblemKind};

    const OK: &str = r#"{"feature": "reset", "userPrincipalName": "a@x.com", "isSuccess": true, "authMethod": "email", "eventDateTime": "2024-01-01T00:00:00Z"}"#;

    /// (rows, skipped, blank, problems as (line, message)) or the file's error.
    type Outcome = Result<(u32, u32, u32, Vec<(u64, String)>), LoadError>;

    fn outcome(text: &str) -> Outcome {
        let mut data = Dataset::default();
        load(&mut data, "x.json", text.as_bytes())?;
        let s = &data.sources[0];
        let problems = s
            .problems
            .iter()
            .map(|p: &RowProblem| {
                let message = match &p.kind {
                    RowProblemKind::Malformed { message } => message.clone(),
                    RowProblemKind::MissingField { name } => format!("missing {name}"),
                    other => format!("{other:?}"),
                };
                (p.line, message)
            })
            .collect();
        Ok((s.rows, s.skipped_rows, s.blank_rows, problems))
    }

    fn invalid(line: usize, column: usize, message: &str) -> Outcome {
        Err(LoadError::InvalidJson {
            line,
            column,
            message: message.to_string(),
        })
    }

    fn rows(read: u32, blank: u32, problems: &[(u64, &str)]) -> Outcome {
        let problems: Vec<(u64, String)> =
            problems.iter().map(|(l, m)| (*l, m.to_string())).collect();
        Ok((read, problems.len() as u32, blank, problems))
    }

    /// Broken JSON stops the file where the parser stopped; a record of the wrong shape
    /// is a row problem with serde's message; `null` records are blank.
    #[test]
    fn broken_json_stops_the_file_and_wrong_shapes_are_row_problems() {
        let cases = [
            (
                format!("[{OK},\n{{\"feature\": \"reset\", \"isSuccess\": \"yes\"}}]"),
                rows(
                    1,
                    0,
                    &[(
                        2,
                        "invalid type: string \"yes\", expected a boolean at line 1 column 39",
                    )],
                ),
            ),
            (
                // A wrong type and then broken JSON: the broken JSON wins.
                format!("[{OK},\n{{\"feature\": \"reset\", \"isSuccess\": \"yes\", \"x\": 1 2}}]"),
                invalid(2, 49, "expected `,` or `}`"),
            ),
            (
                format!("[{OK},\n{{\"feature\": \"reset\", \"x\": 1 2}}]"),
                invalid(2, 29, "expected `,` or `}`"),
            ),
            (
                format!("[{OK},\n  {{\"feature\": \"reset\",\n \"x\": tru}}]"),
                invalid(3, 10, "expected ident"),
            ),
            (
                // A lone surrogate is JSON, but not text: the row, not the file.
                format!("[{OK},\n{{\"feature\": \"reset\", \"userPrincipalName\": \"\\ud800\"}}]"),
                rows(
                    1,
                    0,
                    &[(2, "unexpected end of hex escape at line 1 column 50")],
                ),
            ),
            (
                format!("[{OK},\n{{\"feature\": \"reset\", \"other\": \"\\ud800\"}}]"),
                rows(1, 0, &[(2, "missing userPrincipalName")]),
            ),
            (
                format!("[{OK},\n{{\"feature\": \"reset\", \"feature\": \"x\"}}]"),
                rows(
                    1,
                    0,
                    &[(2, "duplicate field `feature` at line 1 column 30")],
                ),
            ),
            (
                format!("[{OK}, null, 5, \"s\", [1]]"),
                rows(
                    1,
                    1,
                    &[
                        (
                            1,
                            "invalid type: integer `5`, expected struct UsageEvent at line 1 column 1",
                        ),
                        (
                            1,
                            "invalid type: string \"s\", expected struct UsageEvent at line 1 column 3",
                        ),
                        (1, "invalid type: integer `1`, expected a string at line 1 column 2"),
                    ],
                ),
            ),
            (
                format!("[null, {OK}, 5]"),
                rows(
                    1,
                    1,
                    &[(
                        1,
                        "invalid type: integer `5`, expected struct UsageEvent at line 1 column 1",
                    )],
                ),
            ),
            (
                format!("[{{\"feature\": \"reset\", \"isSuccess\": \"yes\"}}, {OK}]"),
                rows(
                    1,
                    0,
                    &[(
                        1,
                        "invalid type: string \"yes\", expected a boolean at line 1 column 39",
                    )],
                ),
            ),
            (
                format!("[{{\"feature\": \"reset\", \"x\": 1 2}}, {OK}]"),
                invalid(1, 30, "expected `,` or `}`"),
            ),
            (
                format!("[{OK}, {{\"feature\": 12x}}]"),
                invalid(1, 153, "expected `,` or `}`"),
            ),
            (
                format!("[{OK}, {{\"feature\": \"a\u{1}b\"}}]"),
                invalid(
                    1,
                    152,
                    "control character (\\u0000-\\u001F) found while parsing a string",
                ),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(outcome(&text), expected, "{text}");
        }
    }

    #[test]
    fn every_bad_record_is_counted_and_the_first_ones_kept() {
        let bad = "{\"feature\": \"reset\"}";
        let text = format!("[{OK}{}]", format!(",\n{bad}").repeat(150));
        let mut data = Dataset::default();
        load(&mut data, "x.json", text.as_bytes()).unwrap();
        let s = &data.sources[0];
        assert_eq!((s.rows, s.skipped_rows), (1, 150));
        assert_eq!(s.problems.len(), crate::report::problems::KEPT_PROBLEMS);
        assert_eq!(s.problems[0].line, 2);
    }

    #[test]
    fn usage_events_are_resets_by_feature_in_any_case() {
        use crate::report::model::EventKind;
        use crate::report::outcome::ResetResult;
        let record = |feature: &str, success: bool, reason: &str| {
            format!(
                r#"{{"feature": "{feature}", "userPrincipalName": "A@x.com", "isSuccess": {success}, "authMethod": "email", "failureReason": "{reason}", "eventDateTime": "2024-01-01T00:00:00Z"}}"#
            )
        };
        let abandoned = "User abandoned after entering their user ID";
        let text = format!(
            "[{}]",
            [
                record("reset", true, ""),
                record("passwordReset", false, abandoned),
                record("RESET", false, abandoned),
                record("reset", false, "Something else"),
                record("registration", false, abandoned),
            ]
            .join(",\n")
        );
        let mut data = Dataset::default();
        load(&mut data, "x.json", text.as_bytes()).unwrap();
        let got: Vec<(EventKind, Option<ResetResult>, &str)> = data
            .events
            .iter()
            .map(|e| (e.kind, e.result, data.strings.get(e.user)))
            .collect();
        let reset = EventKind::ResetAttempt;
        assert_eq!(
            got,
            [
                (reset, Some(ResetResult::Succeeded), "a@x.com"),
                (reset, Some(ResetResult::Abandoned), "a@x.com"),
                (reset, Some(ResetResult::Abandoned), "a@x.com"),
                (reset, Some(ResetResult::Failed), "a@x.com"),
                (EventKind::Registration, None, "a@x.com"),
            ]
        );
    }
}
