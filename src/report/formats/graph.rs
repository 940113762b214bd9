//! The JSON shapes of Microsoft Graph and its relatives, borrowed from the file's text
//! where possible. Unknown fields are ignored; every field may be missing or null.

use std::borrow::Cow;

use serde::Deserialize;

use super::audit::AuditFields;

/// `auditLogs/directoryAudits` record (also the portal's JSON download, and the
/// `properties` of a diagnostic-settings archive record).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryAudit<'a> {
    #[serde(borrow)]
    pub activity_date_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub activity_display_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub correlation_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub logged_by_service: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub result: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub result_reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub initiated_by: Option<InitiatedBy<'a>>,
    #[serde(borrow)]
    pub target_resources: Option<Vec<Target<'a>>>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct InitiatedBy<'a> {
    #[serde(borrow)]
    pub user: Option<Initiator<'a>>,
    #[serde(borrow)]
    pub app: Option<Initiator<'a>>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct Initiator<'a> {
    #[serde(borrow)]
    pub display_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub user_principal_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub ip_address: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct Target<'a> {
    #[serde(borrow)]
    pub display_name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub user_principal_name: Option<Cow<'a, str>>,
}

/// A diagnostic-settings archive record: `{time, operationName, correlationId, properties}`.
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct ArchiveRecord<'a> {
    #[serde(borrow)]
    pub time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub operation_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub correlation_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub properties: Option<DirectoryAudit<'a>>,
}

/// `reports/authenticationMethods/userRegistrationDetails`.
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistrationDetails<'a> {
    #[serde(borrow)]
    pub user_principal_name: Option<Cow<'a, str>>,
    pub is_admin: Option<bool>,
    pub is_sspr_registered: Option<bool>,
    #[serde(borrow)]
    pub methods_registered: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    pub last_updated_date_time: Option<Cow<'a, str>>,
}

/// `reports/authenticationMethods/userEventsSummary` (earlier `userCredentialUsageDetails`).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct UsageEvent<'a> {
    #[serde(borrow)]
    pub feature: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub user_principal_name: Option<Cow<'a, str>>,
    pub is_success: Option<bool>,
    #[serde(borrow)]
    pub auth_method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub failure_reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub event_date_time: Option<Cow<'a, str>>,
}

/// The retired Reports and Events API: `SsprRegistrationActivityEvent` and
/// `SsprActivityEvent` (fields of the latter unverified: read liberally).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", default)]
pub struct LegacyEvent<'a> {
    #[serde(borrow)]
    pub event_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub role: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub user_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub registration_activity: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "resultType")]
    pub result: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "methodsUsed", alias = "authenticationMethodsUsed")]
    pub methods: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "failureReason", alias = "detail")]
    pub details: Option<Cow<'a, str>>,
}

/// A field's text, trimmed; empty when missing or null.
pub fn field<'s>(value: &'s Option<Cow<'_, str>>) -> &'s str {
    value.as_deref().unwrap_or("").trim()
}

/// Who did it and to whom: the initiating user (else app), and the first target of type
/// User (else the first target). The other fields are empty.
pub fn parties<'s>(
    initiated_by: Option<&'s InitiatedBy<'_>>,
    targets: Option<&'s [Target<'_>]>,
) -> AuditFields<'s> {
    let initiator = initiated_by.and_then(|i| i.user.as_ref().or(i.app.as_ref()));
    let target = targets.and_then(|t| {
        t.iter()
            .find(|t| field(&t.kind).eq_ignore_ascii_case("user"))
            .or_else(|| t.first())
    });
    AuditFields {
        actor_upn: initiator.map_or("", |i| field(&i.user_principal_name)),
        actor_name: initiator.map_or("", |i| field(&i.display_name)),
        ip: initiator.map_or("", |i| field(&i.ip_address)),
        target_upn: target.map_or("", |t| field(&t.user_principal_name)),
        target_type: target.map_or("", |t| field(&t.kind)),
        ..AuditFields::default()
    }
}

impl<'a> DirectoryAudit<'a> {
    /// The fields of this record, with the archive envelope's where the record lacks them.
    pub fn fields<'s>(&'s self, envelope: Option<&'s ArchiveRecord<'a>>) -> AuditFields<'s> {
        let or_envelope = |own: &'s str, pick: fn(&'s ArchiveRecord<'a>) -> &'s str| {
            if own.is_empty() {
                envelope.map_or("", pick)
            } else {
                own
            }
        };
        AuditFields {
            time: or_envelope(field(&self.activity_date_time), |e| field(&e.time)),
            service: field(&self.logged_by_service),
            activity: or_envelope(field(&self.activity_display_name), |e| {
                field(&e.operation_name)
            }),
            status: field(&self.result),
            reason: field(&self.result_reason),
            correlation: or_envelope(field(&self.correlation_id), |e| field(&e.correlation_id)),
            ..parties(self.initiated_by.as_ref(), self.target_resources.as_deref())
        }
    }
}
