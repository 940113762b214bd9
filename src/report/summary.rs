//! The summary JSON, `sspr-viewer.summary/1`: a public contract documented in the
//! README. Built from [`Answers`] and the loaded sources; filters never change it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::answers::{Answers, Finding, IssueKey};
use super::dates::format_iso;
use super::methods::MethodFamily;
use super::model::Dataset;
use super::outcome::ResetResult;

pub const SCHEMA: &str = "sspr-viewer.summary/1";

#[derive(Serialize, Debug)]
pub struct Summary {
    pub schema: &'static str,
    pub as_of: String,
    pub sources: Vec<SourceSummary>,
    /// Every event loaded (all kinds, after dedup) at or before `as_of`.
    pub events_total: u64,
    /// Audit events per `loggedByService`.
    pub events_by_service: BTreeMap<&'static str, u64>,
    pub reset_attempts: u64,
    pub results: BTreeMap<&'static str, u64>,
    pub registered_users: usize,
    pub registered_user_list: Vec<String>,
    pub registered_data: BTreeMap<&'static str, u64>,
    pub reset_users_last_7_days: usize,
    pub reset_user_list_last_7_days: Vec<String>,
    pub reset_methods: BTreeMap<&'static str, u64>,
    pub issues: Vec<IssueSummary>,
    pub admins_self_resetting: Vec<AdminSummary>,
    /// Password resets an admin did for another user.
    pub admin_resets: u64,
    pub suspicious: Vec<FindingSummary>,
}

#[derive(Serialize, Debug)]
pub struct SourceSummary {
    pub file: String,
    pub format: &'static str,
    pub rows: u32,
    pub skipped_rows: u32,
    pub duplicate_rows: u32,
    pub first_event: Option<String>,
    pub last_event: Option<String>,
    pub encoding: &'static str,
    pub date_order: Option<super::dates::DateOrder>,
}

#[derive(Serialize, Debug)]
pub struct IssueSummary {
    pub reason: String,
    pub result: &'static str,
    pub count: u64,
    pub fix: Option<&'static str>,
    pub documented: bool,
}

#[derive(Serialize, Debug)]
pub struct AdminSummary {
    pub user: String,
    pub role: String,
    pub resets: u64,
}

#[derive(Serialize, Debug)]
pub struct FindingSummary {
    pub rule: &'static str,
    pub user: String,
    pub count: u64,
    pub first: String,
    pub last: String,
    pub detail: String,
}

pub fn build(data: &Dataset, answers: &Answers) -> Summary {
    let text = |s| data.strings.get(s).to_string();
    let families = |counts: &[u64; 7]| -> BTreeMap<&'static str, u64> {
        MethodFamily::ALL
            .into_iter()
            .filter(|f| counts[f.index()] > 0)
            .map(|f| (f.id(), counts[f.index()]))
            .collect()
    };
    Summary {
        schema: SCHEMA,
        as_of: format_iso(answers.as_of),
        sources: data
            .sources
            .iter()
            .map(|s| SourceSummary {
                file: s.file.clone(),
                format: s.format.id(),
                rows: s.rows,
                skipped_rows: s.skipped_rows,
                duplicate_rows: s.duplicate_rows,
                first_event: s.first_event.map(format_iso),
                last_event: s.last_event.map(format_iso),
                encoding: s.encoding.label(),
                date_order: s.dates.as_ref().and_then(|d| d.order),
            })
            .collect(),
        events_total: answers.events_total,
        events_by_service: answers
            .services()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (s.name(), n))
            .collect(),
        reset_attempts: answers.reset_attempts,
        results: ResetResult::ALL
            .into_iter()
            .map(|r| (r.id(), answers.results[r.index()]))
            .collect(),
        registered_users: answers.registered.len(),
        registered_user_list: answers.registered.iter().map(|r| text(r.user)).collect(),
        registered_data: families(&answers.registered_data),
        reset_users_last_7_days: answers.reset_users_last_7_days.len(),
        reset_user_list_last_7_days: answers
            .reset_users_last_7_days
            .iter()
            .map(|&u| text(u))
            .collect(),
        reset_methods: families(&answers.reset_methods),
        issues: answers
            .issues
            .iter()
            .map(|i| IssueSummary {
                reason: match i.key {
                    IssueKey::Documented(id) => id.entry().sentence.to_string(),
                    IssueKey::Unknown(s) => text(s),
                },
                result: i.result.id(),
                count: i.count,
                fix: match i.key {
                    IssueKey::Documented(id) => id.entry().fix,
                    IssueKey::Unknown(_) => None,
                },
                documented: matches!(i.key, IssueKey::Documented(_)),
            })
            .collect(),
        admins_self_resetting: answers
            .admins_self_resetting
            .iter()
            .map(|a| AdminSummary {
                user: text(a.user),
                role: text(a.role),
                resets: a.resets,
            })
            .collect(),
        admin_resets: answers.admin_resets.len() as u64,
        suspicious: answers
            .suspicious
            .iter()
            .map(|f| FindingSummary {
                rule: f.rule.id(),
                user: text(f.user),
                count: f.count,
                first: format_iso(f.first),
                last: format_iso(f.last),
                detail: finding_detail(data, f),
            })
            .collect(),
    }
}

fn finding_detail(data: &Dataset, f: &Finding) -> String {
    crate::text::en::finding_detail(f, data.strings.get(f.related))
}

pub fn to_json(summary: &Summary) -> String {
    serde_json::to_string_pretty(summary).unwrap_or_default()
}
