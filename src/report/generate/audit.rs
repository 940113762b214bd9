//! The scenario as today's exports write it: the audit log (every reset a session of
//! flow-progress steps under one CorrelationId, registrations, admin resets, unrelated
//! noise) and the registration and usage reports, in every format the viewer reads.

use serde_json::{json, Value};

use super::{Encoding, Rng, Scenario};
use crate::report::activity::Service;
use crate::report::catalogue::DetailId;
use crate::report::dates::{format_iso, Millis, DAY, SECOND};
use crate::report::methods::MethodFamily;
use crate::report::outcome::ResetResult;

const SSPR: (&str, Service) = (
    "Self-service Password Management",
    Service::SelfServicePasswordManagement,
);
const METHODS: (&str, Service) = ("Authentication Methods", Service::AuthenticationMethods);
const DIRECTORY: (&str, Service) = ("Core Directory", Service::CoreDirectory);
const DEVICES: (&str, Service) = ("Device Registration Service", Service::Other);
const FLOW: &str = "Self-service password reset flow activity progress";
const RESET_SERVICE: &str = "Microsoft password reset service";
/// An address none of the users has used.
pub const NEW_IP: &str = "203.0.113.77";

/// One step of a session: activity, service, success, reason, initiator.
type Step = (&'static str, (&'static str, Service), bool, String, Actor);

#[derive(Clone, Debug, PartialEq)]
pub enum Actor {
    User { upn: String, ip: String },
    App(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditEvent {
    pub id: String,
    pub at: Millis,
    pub service: &'static str,
    pub service_kind: Service,
    pub category: &'static str,
    pub activity: &'static str,
    pub success: bool,
    pub reason: String,
    pub correlation: String,
    pub actor: Actor,
    /// The target's UPN (users) or display name, and its type.
    pub target: Option<(String, &'static str)>,
    /// The user's security info was registered or changed (for the known answers).
    pub changes_info: bool,
}

/// The audit log of a scenario, in time order.
#[derive(Clone, Debug)]
pub struct AuditLog {
    pub events: Vec<AuditEvent>,
}

fn guid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

/// The address a person always uses.
pub fn home_ip(person: usize) -> String {
    format!(
        "10.{}.{}.{}",
        (person >> 16) & 255,
        (person >> 8) & 255,
        (person & 255) + 1
    )
}

fn step_name(family: MethodFamily) -> &'static str {
    match family {
        MethodFamily::Email => "email",
        MethodFamily::MobilePhone => "mobile SMS",
        MethodFamily::OfficePhone => "office voice call",
        MethodFamily::SecurityQuestions => "security questions",
        MethodFamily::AuthenticatorApp => "mobile app notification",
        _ => "email",
    }
}

fn registered_name(family: MethodFamily) -> &'static str {
    match family {
        MethodFamily::Email => "Email",
        MethodFamily::MobilePhone => "Mobile Phone SMS",
        MethodFamily::OfficePhone => "Office Phone",
        MethodFamily::SecurityQuestions => "Security Questions",
        MethodFamily::AuthenticatorApp => "Authenticator App",
        _ => "Other",
    }
}

impl Scenario {
    fn user_actor(&self, person: usize, ip: Option<&str>) -> Actor {
        Actor::User {
            upn: self.people[person].upn.clone(),
            ip: ip.map_or_else(|| home_ip(person), str::to_string),
        }
    }

    pub fn audit_log(&self) -> AuditLog {
        let mut rng = Rng::new(self.seed ^ 0xA0D1_7106);
        let mut events = Vec::new();
        let mut push = |rng: &mut Rng,
                        at: Millis,
                        (service, kind): (&'static str, Service),
                        activity: &'static str,
                        success: bool,
                        reason: String,
                        correlation: &str,
                        actor: Actor,
                        target: Option<(String, &'static str)>| {
            let changes_info = activity == "User registered for self-service password reset"
                || activity == "User registered security info";
            events.push(AuditEvent {
                id: format!("SSPR_{}", guid(rng)),
                at,
                service,
                service_kind: kind,
                category: if kind == Service::Other {
                    "Device"
                } else {
                    "UserManagement"
                },
                activity,
                success,
                reason,
                correlation: correlation.to_string(),
                actor,
                target,
                changes_info,
            });
        };

        for r in &self.registrations {
            let user = (self.people[r.user].upn.clone(), "User");
            let correlation = guid(&mut rng);
            for (k, family) in r.data.iter().enumerate() {
                let at = r.at - (30 - k as Millis) * SECOND;
                let reason = format!("User registered {}", registered_name(*family));
                push(
                    &mut rng,
                    at,
                    METHODS,
                    "User registered security info",
                    true,
                    reason,
                    &correlation,
                    self.user_actor(r.user, None),
                    Some(user.clone()),
                );
            }
            push(
                &mut rng,
                r.at,
                SSPR,
                "User registered for self-service password reset",
                true,
                String::new(),
                &correlation,
                self.user_actor(r.user, None),
                Some(user),
            );
        }

        for a in &self.attempts {
            let correlation = guid(&mut rng);
            let ip = a.new_ip.then_some(NEW_IP);
            let actor = self.user_actor(a.user, ip);
            let user = Some((self.people[a.user].upn.clone(), "User"));
            let mut steps: Vec<Step> = Vec::new();
            let flow = |reason: &str, success: bool| {
                (FLOW, SSPR, success, reason.to_string(), actor.clone())
            };
            steps.push(flow("User submitted their user ID", true));
            steps.push(flow("User was presented with verification options", true));
            let detail = match &a.detail {
                super::Detail::Documented(id) => Some(*id),
                super::Detail::Undocumented(_) => None,
            };
            let sentence = detail
                .map(|d| d.entry().sentence.to_ascii_lowercase())
                .unwrap_or_default();
            let completes = a.result == ResetResult::Succeeded
                || sentence.contains("completing")
                || sentence.contains("new password");
            if !sentence.contains("entering their user id") {
                for m in &a.methods {
                    steps.push(flow(
                        &format!("User started the {} verification option", step_name(*m)),
                        true,
                    ));
                    if completes {
                        steps.push(flow(
                            &format!("User completed the {} verification option", step_name(*m)),
                            true,
                        ));
                    }
                }
            }
            match (a.result, &a.detail) {
                (ResetResult::Succeeded, _) => {
                    steps.push(flow(
                        "User completed all verification steps required to reset their password",
                        true,
                    ));
                    steps.push(flow("User submitted a new password", true));
                    steps.push((
                        "Reset user password",
                        DIRECTORY,
                        true,
                        String::new(),
                        Actor::App(RESET_SERVICE),
                    ));
                    steps.push((
                        "Update StsRefreshTokenValidFrom Timestamp",
                        DIRECTORY,
                        true,
                        String::new(),
                        Actor::App(RESET_SERVICE),
                    ));
                    steps.push((
                        "Reset password (self-service)",
                        SSPR,
                        true,
                        "Successfully completed reset.".into(),
                        actor.clone(),
                    ));
                    steps.push(flow("User successfully reset password", true));
                }
                (ResetResult::Blocked, _) => {
                    let reason = detail
                        .map(DetailId::entry)
                        .map(|d| d.full_text())
                        .unwrap_or_default();
                    steps.push((
                        "Blocked from self-service password reset",
                        SSPR,
                        true,
                        reason,
                        actor.clone(),
                    ));
                }
                (_, super::Detail::Documented(id)) => {
                    steps.push(flow(&id.entry().full_text(), false))
                }
                (_, super::Detail::Undocumented(text)) => steps.push(flow(text, false)),
            }
            let n = steps.len() as Millis;
            for (k, (activity, service, success, reason, who)) in steps.into_iter().enumerate() {
                let at = a.at - (n - 1 - k as Millis) * 20 * SECOND;
                push(
                    &mut rng,
                    at,
                    service,
                    activity,
                    success,
                    reason,
                    &correlation,
                    who,
                    user.clone(),
                );
            }
        }

        for r in &self.admin_resets {
            let correlation = guid(&mut rng);
            let admin = self.user_actor(r.admin, None);
            let target = Some((self.people[r.target].upn.clone(), "User"));
            if r.portal {
                push(
                    &mut rng,
                    r.at - SECOND,
                    DIRECTORY,
                    "Reset user password",
                    true,
                    String::new(),
                    &correlation,
                    admin.clone(),
                    target.clone(),
                );
                push(
                    &mut rng,
                    r.at,
                    SSPR,
                    "Reset password (by admin)",
                    true,
                    String::new(),
                    &correlation,
                    admin,
                    target,
                );
            } else {
                push(
                    &mut rng,
                    r.at,
                    DIRECTORY,
                    "Reset user password",
                    true,
                    String::new(),
                    &correlation,
                    admin,
                    target,
                );
            }
        }

        // Unrelated events: counted, browsable, never in the answers.
        let span = 30 * DAY;
        for k in 0..(self.attempts.len() / 10).max(20) {
            let person = k % self.people.len();
            let at = self.end - DAY - rng.below(span as u64 / SECOND as u64) as Millis * SECOND;
            let correlation = guid(&mut rng);
            let actor = self.user_actor(person, None);
            match k % 4 {
                0 => push(
                    &mut rng,
                    at,
                    DEVICES,
                    "Register device",
                    true,
                    String::new(),
                    &correlation,
                    actor,
                    Some((format!("DESKTOP-{k:05}"), "Device")),
                ),
                1 => push(
                    &mut rng,
                    at,
                    DIRECTORY,
                    "Update user",
                    true,
                    String::new(),
                    &correlation,
                    Actor::App("Microsoft Substrate Management"),
                    Some((self.people[person].upn.clone(), "User")),
                ),
                2 => push(
                    &mut rng,
                    at,
                    DIRECTORY,
                    "Add member to group",
                    true,
                    String::new(),
                    &correlation,
                    actor,
                    Some(("All staff".into(), "Group")),
                ),
                _ => push(
                    &mut rng,
                    at,
                    SSPR,
                    "Change password (self-service)",
                    true,
                    String::new(),
                    &correlation,
                    actor,
                    Some((self.people[person].upn.clone(), "User")),
                ),
            }
        }
        crate::report::order::sort_by(&mut events, |a, b| {
            a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
        });
        AuditLog { events }
    }

    /// Each person's registrations, in scenario order.
    fn registrations_by_person(&self) -> Vec<Vec<&super::Registration>> {
        let mut by_person = vec![Vec::new(); self.people.len()];
        for r in &self.registrations {
            if let Some(list) = by_person.get_mut(r.user) {
                list.push(r);
            }
        }
        by_person
    }

    /// Graph `userRegistrationDetails`: one record per person.
    pub fn registration_details_json(&self) -> String {
        let records: Vec<Value> = self
            .people
            .iter()
            .zip(self.registrations_by_person())
            .enumerate()
            .map(|(i, (p, regs))| {
                let mut methods: Vec<&str> = regs
                    .iter()
                    .flat_map(|r| r.data.iter())
                    .map(|f| match f {
                        MethodFamily::Email => "email",
                        MethodFamily::MobilePhone => "mobilePhone",
                        MethodFamily::OfficePhone => "officePhone",
                        MethodFamily::SecurityQuestions => "securityQuestion",
                        _ => "other",
                    })
                    .collect();
                methods.sort_unstable();
                methods.dedup();
                let updated = regs.iter().map(|r| r.at).max();
                json!({
                    "id": format!("{:08x}-0000-4000-8000-{:012x}", i, i),
                    "userPrincipalName": p.upn,
                    "userDisplayName": p.upn.split('@').next().unwrap_or(""),
                    "userType": "member",
                    "isAdmin": p.role != "User",
                    "isSsprRegistered": !regs.is_empty(),
                    "isSsprEnabled": true,
                    "isSsprCapable": !regs.is_empty(),
                    "isMfaRegistered": !regs.is_empty(),
                    "isMfaCapable": !regs.is_empty(),
                    "isPasswordlessCapable": false,
                    "methodsRegistered": methods,
                    "userPreferredMethodForSecondaryAuthentication": "none",
                    "lastUpdatedDateTime": updated.map(format_iso),
                })
            })
            .collect();
        page_json(
            &records,
            "reports/authenticationMethods/userRegistrationDetails",
            None,
        )
    }

    /// The portal's "User registration details" CSV.
    pub fn registration_details_csv(&self) -> Vec<u8> {
        let header = [
            "User principal name",
            "Name",
            "MFA Capable",
            "Passwordless Capable",
            "SSPR Registered",
            "SSPR Enabled",
            "SSPR Capable",
            "Methods registered",
            "Last Updated Time",
        ];
        let rows = self
            .people
            .iter()
            .zip(self.registrations_by_person())
            .map(|(p, regs)| {
                let mut families: Vec<MethodFamily> =
                    regs.iter().flat_map(|r| r.data.iter().copied()).collect();
                families.sort();
                families.dedup();
                let names: Vec<&str> = families.iter().map(|f| super::classic_name(*f)).collect();
                let registered = if regs.is_empty() {
                    "Not Registered"
                } else {
                    "Registered"
                };
                let capable = if regs.is_empty() {
                    "Not Capable"
                } else {
                    "Capable"
                };
                vec![
                    p.upn.clone(),
                    p.upn.split('@').next().unwrap_or("").to_string(),
                    capable.to_string(),
                    "Not Capable".to_string(),
                    registered.to_string(),
                    "Enabled".to_string(),
                    capable.to_string(),
                    names.join(", "),
                    regs.iter()
                        .map(|r| r.at)
                        .max()
                        .map(format_iso)
                        .unwrap_or_default(),
                ]
            })
            .collect();
        super::write_table(&header, rows, super::Style::ISO)
    }

    /// One usage row per registration and reset attempt:
    /// (time, user, feature, method, success, reason).
    fn usage_rows(&self) -> Vec<(Millis, usize, &'static str, String, bool, String)> {
        let mut rows = Vec::new();
        for r in &self.registrations {
            let methods: Vec<&str> = r.data.iter().map(|f| super::classic_name(*f)).collect();
            rows.push((
                r.at,
                r.user,
                "Registration",
                methods.join(", "),
                true,
                String::new(),
            ));
        }
        for a in &self.attempts {
            let methods: Vec<&str> = a.methods.iter().map(|f| super::classic_name(*f)).collect();
            let success = a.result == ResetResult::Succeeded;
            let reason = if success {
                String::new()
            } else {
                super::written_result_and_detail(&super::ResetAttempt {
                    variant: false,
                    ..a.clone()
                })
                .1
            };
            rows.push((a.at, a.user, "Reset", methods.join(", "), success, reason));
        }
        crate::report::order::sort_by_key(&mut rows, |r| (r.0, r.1));
        rows
    }

    /// The portal's "Registration and reset events" CSV.
    pub fn usage_events_csv(&self) -> Vec<u8> {
        let header = [
            "Date",
            "User name",
            "User",
            "Feature",
            "Method used",
            "Status",
            "Reason for failure",
        ];
        let rows = self
            .usage_rows()
            .into_iter()
            .map(|(at, user, feature, method, success, reason)| {
                let upn = &self.people[user].upn;
                vec![
                    super::format_date(at, super::DateStyle::UsTwelveHour),
                    upn.split('@').next().unwrap_or("").to_string(),
                    upn.clone(),
                    feature.to_string(),
                    method,
                    if success { "Success" } else { "Failure" }.to_string(),
                    reason,
                ]
            })
            .collect();
        super::write_table(&header, rows, super::Style::PORTAL)
    }

    /// Graph `userEventsSummary`, the API twin of the usage events CSV.
    pub fn usage_events_json(&self) -> String {
        let records: Vec<Value> = self
            .usage_rows()
            .into_iter()
            .map(|(at, user, feature, method, success, reason)| {
                json!({
                    "id": format!("{at}-{user}"),
                    "feature": feature.to_ascii_lowercase(),
                    "userPrincipalName": self.people[user].upn,
                    "userDisplayName": self.people[user].upn.split('@').next(),
                    "isSuccess": success,
                    "authMethod": method,
                    "failureReason": reason,
                    "eventDateTime": format_iso(at),
                })
            })
            .collect();
        page_json(
            &records,
            "reports/authenticationMethods/userEventsSummary",
            None,
        )
    }

    /// The retired Reports and Events API's `SsprRegistrationActivityEvent` and
    /// `SsprActivityEvent` lists.
    pub fn legacy_json(&self) -> (String, String) {
        let registrations: Vec<Value> = self
            .registrations
            .iter()
            .map(|r| {
                let p = &self.people[r.user];
                let methods: Vec<&str> = r.data.iter().map(|f| super::classic_name(*f)).collect();
                json!({"id": format!("r{}-{}", r.user, r.at), "eventTime": format_iso(r.at), "role": p.role,
                       "registrationActivity": methods.join(" + "), "displayName": p.upn.split('@').next(), "userName": p.upn})
            })
            .collect();
        let attempts: Vec<Value> = self
            .attempts
            .iter()
            .map(|a| {
                let p = &self.people[a.user];
                let (_, detail) = super::written_result_and_detail(&super::ResetAttempt { variant: false, ..a.clone() });
                let result = match a.result {
                    ResetResult::Blocked => "Block",
                    ResetResult::ContactedAdmin => "ContactedAdmin",
                    r => match r {
                        ResetResult::Succeeded => "Succeeded",
                        ResetResult::Abandoned => "Abandoned",
                        ResetResult::Cancelled => "Cancelled",
                        _ => "Failed",
                    },
                };
                let methods: Vec<&str> = a.methods.iter().map(|f| super::classic_name(*f)).collect();
                json!({"id": format!("a{}-{}", a.user, a.at), "eventTime": format_iso(a.at), "role": p.role,
                       "userName": p.upn, "displayName": p.upn.split('@').next(),
                       "result": format!("reportSSPR_ResultType_{result}"), "methodsUsed": methods.join(" + "), "details": detail})
            })
            .collect();
        (
            serde_json::to_string_pretty(&registrations).unwrap_or_default(),
            serde_json::to_string_pretty(&attempts).unwrap_or_default(),
        )
    }
}

fn page_json(records: &[Value], path: &str, next: Option<String>) -> String {
    let mut page = json!({
        "@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#{path}"),
        "value": records,
    });
    if let Some(next) = next {
        page["@odata.nextLink"] = Value::String(next);
    }
    serde_json::to_string_pretty(&page).unwrap_or_default()
}

impl AuditEvent {
    fn initiated_by(&self) -> Value {
        match &self.actor {
            Actor::User { upn, ip } => {
                json!({"user": {"id": "00000000-0000-4000-8000-000000000001", "displayName": null,
                "userPrincipalName": upn, "ipAddress": ip, "roles": []}})
            }
            Actor::App(name) => {
                json!({"app": {"appId": null, "displayName": name, "servicePrincipalId": null,
                "servicePrincipalName": null}})
            }
        }
    }

    fn target_resources(&self) -> Value {
        match &self.target {
            Some((name, "User")) => {
                json!([{"id": "00000000-0000-4000-8000-000000000002", "displayName": null, "type": "User",
                "userPrincipalName": name, "modifiedProperties": [], "administrativeUnits": []}])
            }
            Some((name, kind)) => {
                json!([{"id": null, "displayName": name, "type": kind, "userPrincipalName": null,
                "modifiedProperties": []}])
            }
            None => json!([]),
        }
    }

    /// The record as Graph `directoryAudits` returns it.
    pub fn graph(&self) -> Value {
        json!({
            "id": self.id,
            "category": self.category,
            "correlationId": self.correlation,
            "result": if self.success { "success" } else { "failure" },
            "resultReason": self.reason,
            "activityDisplayName": self.activity,
            "activityDateTime": format!("{}.0000000Z", &format_iso(self.at)[..19]),
            "loggedByService": self.service,
            "operationType": "Update",
            "initiatedBy": self.initiated_by(),
            "targetResources": self.target_resources(),
            "additionalDetails": [],
        })
    }
}

impl AuditLog {
    /// The portal's JSON download: a bare array.
    pub fn entra_json(&self) -> String {
        let records: Vec<Value> = self.events.iter().map(AuditEvent::graph).collect();
        serde_json::to_string_pretty(&records).unwrap_or_default()
    }

    /// Graph pages as a script saves them: `{"value": […], "@odata.nextLink": …}`.
    pub fn graph_pages(&self, per_page: usize) -> Vec<String> {
        let chunks: Vec<_> = self.events.chunks(per_page.max(1)).collect();
        chunks
            .iter()
            .enumerate()
            .map(|(k, chunk)| {
                let records: Vec<Value> = chunk.iter().map(AuditEvent::graph).collect();
                let next = (k + 1 < chunks.len()).then(|| {
                    format!(
                        "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$skiptoken={}",
                        k + 1
                    )
                });
                page_json(&records, "auditLogs/directoryAudits", next)
            })
            .collect()
    }

    fn archive_record(e: &AuditEvent) -> Value {
        json!({
            "time": format_iso(e.at),
            "resourceId": "/tenants/00000000-0000-4000-8000-000000000000/providers/Microsoft.aadiam",
            "operationName": e.activity,
            "operationVersion": "1.0",
            "category": "AuditLogs",
            "tenantId": "00000000-0000-4000-8000-000000000000",
            "resultSignature": "None",
            "durationMs": 0,
            "callerIpAddress": match &e.actor { Actor::User { ip, .. } => ip.as_str(), Actor::App(_) => "" },
            "correlationId": e.correlation,
            "level": "Informational",
            "properties": e.graph(),
        })
    }

    /// A diagnostic-settings archive blob: `{"records": […]}`.
    pub fn archive(&self) -> String {
        let records: Vec<Value> = self.events.iter().map(Self::archive_record).collect();
        serde_json::to_string(&json!({ "records": records })).unwrap_or_default()
    }

    /// The same records, one JSON object per line (Event Hub captures).
    pub fn archive_lines(&self) -> String {
        self.events
            .iter()
            .map(|e| serde_json::to_string(&Self::archive_record(e)).unwrap_or_default() + "\n")
            .collect()
    }

    /// The portal's CSV download: 86 quoted columns.
    pub fn entra_csv(&self) -> Vec<u8> {
        let mut header: Vec<String> = [
            "Date (UTC)",
            "CorrelationId",
            "Service",
            "Category",
            "Activity",
            "Result",
            "ResultReason",
            "User Agent",
            "ActorType",
            "ActorDisplayName",
            "ActorObjectId",
            "ActorUserPrincipalName",
            "IPAddress",
            "ActorHomeTenantId",
            "ActorHomeTenantName",
            "ActorServicePrincipalId",
            "ActorServicePrincipalName",
        ]
        .map(String::from)
        .to_vec();
        for n in 1..=3 {
            for f in ["Type", "DisplayName", "ObjectId", "UserPrincipalName"] {
                header.push(format!("Target{n}{f}"));
            }
            for p in 1..=5 {
                for f in ["Name", "OldValue", "NewValue"] {
                    header.push(format!("Target{n}ModifiedProperty{p}{f}"));
                }
            }
        }
        for n in 1..=6 {
            header.push(format!("AdditionalDetail{n}Key"));
            header.push(format!("AdditionalDetail{n}Value"));
        }
        let rows = self
            .events
            .iter()
            .map(|e| {
                let mut row = vec![String::new(); header.len()];
                row[0] = format!("{}.0000000Z", &format_iso(e.at)[..19]);
                row[1] = e.correlation.clone();
                row[2] = e.service.to_string();
                row[3] = e.category.to_string();
                row[4] = e.activity.to_string();
                row[5] = if e.success { "success" } else { "failure" }.to_string();
                row[6] = e.reason.clone();
                match &e.actor {
                    Actor::User { upn, ip } => {
                        row[8] = "User".into();
                        row[11] = upn.clone();
                        row[12] = ip.clone();
                    }
                    Actor::App(name) => {
                        row[8] = "ServicePrincipal".into();
                        row[9] = name.to_string();
                        row[16] = name.to_string();
                    }
                }
                if let Some((name, kind)) = &e.target {
                    row[17] = kind.to_string();
                    if *kind == "User" {
                        row[20] = name.clone();
                    } else {
                        row[18] = name.clone();
                    }
                }
                row
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut style = super::Style::ISO;
        style.encoding = Encoding::Utf8Bom;
        super::write_table(&header, rows, style)
    }

    /// A Log Analytics `AuditLogs` export: locale dates, JSON in cells.
    pub fn log_analytics_csv(&self) -> Vec<u8> {
        let header = [
            "TenantId",
            "SourceSystem",
            "TimeGenerated [UTC]",
            "ResourceId",
            "OperationName",
            "OperationVersion",
            "Category",
            "ResultType",
            "ResultSignature",
            "ResultDescription",
            "DurationMs",
            "CorrelationId",
            "Resource",
            "ResourceGroup",
            "ResourceProvider",
            "Identity",
            "Level",
            "Location",
            "AdditionalDetails",
            "Id",
            "InitiatedBy",
            "LoggedByService",
            "Result",
            "ResultReason",
            "TargetResources",
            "AADTenantId",
            "ActivityDisplayName",
            "ActivityDateTime [UTC]",
            "AADOperationType",
            "Type",
        ];
        let la_date = |at: Millis| {
            let d = super::format_date(at, super::DateStyle::UsTwelveHour);
            // `7/17/2017 5:38:00 PM` → `7/17/2017, 5:38:00.000 PM`
            let (date, rest) = d.split_once(' ').unwrap_or((&d, ""));
            let (time, meridiem) = rest.split_once(' ').unwrap_or((rest, ""));
            format!("{date}, {time}.000 {meridiem}")
        };
        let rows = self
            .events
            .iter()
            .map(|e| {
                vec![
                    "00000000-0000-4000-8000-000000000000".into(),
                    "Azure AD".into(),
                    la_date(e.at),
                    "/tenants/00000000-0000-4000-8000-000000000000/providers/Microsoft.aadiam"
                        .into(),
                    e.activity.into(),
                    "1.0".into(),
                    e.category.into(),
                    String::new(),
                    "None".into(),
                    if e.reason.is_empty() {
                        "(blank)".into()
                    } else {
                        e.reason.clone()
                    },
                    "0".into(),
                    e.correlation.clone(),
                    "Microsoft.aadiam".into(),
                    "Microsoft.aadiam".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "[]".into(),
                    e.id.clone(),
                    e.initiated_by().to_string(),
                    e.service.into(),
                    if e.success { "success" } else { "failure" }.into(),
                    if e.reason.is_empty() {
                        "(blank)".into()
                    } else {
                        e.reason.clone()
                    },
                    e.target_resources().to_string(),
                    "00000000-0000-4000-8000-000000000000".into(),
                    e.activity.into(),
                    la_date(e.at),
                    "Update".into(),
                    "AuditLogs".into(),
                ]
            })
            .collect();
        let mut style = super::Style::ISO;
        style.quote_all = false;
        super::write_table(&header, rows, style)
    }
}
