//! The answers a scenario was built with, computed straight from the scenario and its
//! audit log with plain loops — never through the parser or `answers` — for the tests
//! to hold the viewer against.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::audit::{Actor, AuditLog};
use super::{Detail, Scenario};
use crate::report::dates::{Millis, DAY, HOUR};
use crate::report::methods::MethodFamily;
use crate::report::outcome::ResetResult;

/// What the loaded files tell beyond attempts and registrations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Knowledge {
    /// Roles, from the classic reports (and the legacy API).
    pub roles: bool,
    /// `isAdmin`, from Graph's registration details.
    pub admin_flags: bool,
    /// The audit log: admin resets, security-info changes, addresses.
    pub audit: bool,
}

impl Knowledge {
    pub const CLASSIC: Knowledge = Knowledge {
        roles: true,
        admin_flags: false,
        audit: false,
    };
    pub const AUDIT: Knowledge = Knowledge {
        roles: false,
        admin_flags: false,
        audit: true,
    };
}

/// The answers, as the summary JSON states them.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Expected {
    pub as_of: Millis,
    pub reset_attempts: u64,
    pub results: BTreeMap<&'static str, u64>,
    pub registered_users: usize,
    pub registered_user_list: Vec<String>,
    pub registered_data: BTreeMap<&'static str, u64>,
    pub reset_users_last_7_days: usize,
    pub reset_methods: BTreeMap<&'static str, u64>,
    /// (reason, result, count), most first then by reason.
    pub issues: Vec<(String, &'static str, u64)>,
    /// (user, role, resets), most first then by user.
    pub admins_self_resetting: Vec<(String, String, u64)>,
    /// (rule, user, count), sorted.
    pub suspicious: Vec<(&'static str, String, u64)>,
    /// Admin-initiated password resets (audit log only).
    pub admin_resets: u64,
    /// Audit events per service name (audit log only).
    pub events_by_service: BTreeMap<&'static str, u64>,
}

impl Scenario {
    /// The answers from the classic reports.
    pub fn expected(&self) -> Expected {
        self.expected_with(Knowledge::CLASSIC, None)
    }

    /// The answers from files that reveal `knowledge`; `log` when the audit log is loaded.
    pub fn expected_with(&self, knowledge: Knowledge, log: Option<&AuditLog>) -> Expected {
        let lower = |u: usize| self.people[u].upn.to_ascii_lowercase();
        let as_of = self.end;
        let mut results: BTreeMap<&'static str, u64> =
            ResetResult::ALL.iter().map(|r| (r.id(), 0)).collect();
        let mut reset_methods = BTreeMap::new();
        let mut recent = BTreeSet::new();
        let mut issues: BTreeMap<(String, &'static str), u64> = BTreeMap::new();
        let mut succeeded: BTreeMap<String, u64> = BTreeMap::new();
        let mut blocked: BTreeMap<String, u64> = BTreeMap::new();
        let mut times: BTreeMap<String, Vec<Millis>> = BTreeMap::new();
        for a in &self.attempts {
            *results.get_mut(a.result.id()).unwrap() += 1;
            times.entry(lower(a.user)).or_default().push(a.at);
            if a.result == ResetResult::Succeeded {
                for m in &a.methods {
                    *reset_methods.entry(m.id()).or_insert(0) += 1;
                }
                if a.at > as_of - 7 * DAY {
                    recent.insert(lower(a.user));
                }
                *succeeded.entry(lower(a.user)).or_insert(0) += 1;
            } else {
                let reason = match &a.detail {
                    Detail::Documented(id) => id.entry().sentence.to_string(),
                    Detail::Undocumented(t) => t.to_string(),
                };
                *issues.entry((reason, a.result.id())).or_insert(0) += 1;
            }
            if a.result == ResetResult::Blocked {
                *blocked.entry(lower(a.user)).or_insert(0) += 1;
            }
        }
        let mut registered: BTreeMap<String, BTreeSet<MethodFamily>> = BTreeMap::new();
        for r in &self.registrations {
            registered
                .entry(lower(r.user))
                .or_default()
                .extend(r.data.iter().copied());
        }
        let mut registered_data = BTreeMap::new();
        for families in registered.values() {
            for f in families {
                *registered_data.entry(f.id()).or_insert(0) += 1;
            }
        }
        let mut issues: Vec<(String, &'static str, u64)> = issues
            .into_iter()
            .map(|((r, res), n)| (r, res, n))
            .collect();
        crate::report::order::sort_by(&mut issues, |a, b| {
            b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0))
        });

        // Who is known to be an admin, and by what role text.
        let mut admins: BTreeMap<String, String> = BTreeMap::new();
        for (i, p) in self.people.iter().enumerate() {
            if p.role != "User" && knowledge.roles {
                admins.insert(lower(i), p.role.to_string());
            } else if p.role != "User" && knowledge.admin_flags {
                admins.insert(lower(i), String::new());
            }
        }
        if knowledge.audit {
            for r in &self.admin_resets {
                admins.entry(lower(r.admin)).or_default();
            }
        }
        let mut admins_self: Vec<(String, String, u64)> = admins
            .iter()
            .filter_map(|(user, role)| {
                succeeded
                    .get(user)
                    .map(|n| (user.clone(), role.clone(), *n))
            })
            .collect();
        crate::report::order::sort_by(&mut admins_self, |a, b| {
            b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0))
        });

        let mut suspicious = Vec::new();
        for (user, n) in &blocked {
            suspicious.push(("blocked", user.clone(), *n));
        }
        for (user, ts) in &times {
            // Straightforward count: the most attempts starting at any one attempt.
            let most = ts
                .iter()
                .map(|&t0| {
                    ts.iter()
                        .filter(|&&t| t >= t0 && t < t0 + 24 * HOUR)
                        .count()
                })
                .max()
                .unwrap_or(0);
            if most > 5 {
                suspicious.push(("burst", user.clone(), most as u64));
            }
        }
        for (user, _, n) in &admins_self {
            suspicious.push(("admin_self_reset", user.clone(), *n));
        }
        let mut events_by_service = BTreeMap::new();
        let mut admin_resets = 0;
        if let Some(log) = log.filter(|_| knowledge.audit) {
            admin_resets = self.admin_resets.len() as u64;
            for e in &log.events {
                let name = e.service_kind.name();
                *events_by_service.entry(name).or_insert(0) += 1;
            }
            suspicious.extend(self.audit_findings(log));
        }
        suspicious.sort();
        Expected {
            as_of,
            reset_attempts: self.attempts.len() as u64,
            results,
            registered_users: registered.len(),
            registered_user_list: registered.keys().cloned().collect(),
            registered_data,
            reset_users_last_7_days: recent.len(),
            reset_methods,
            issues,
            admins_self_resetting: admins_self,
            suspicious,
            admin_resets,
            events_by_service,
        }
    }

    /// The rules only the audit log can feed: bulk admin resets, resets soon after a
    /// security-info change, resets from a new address.
    fn audit_findings(&self, log: &AuditLog) -> Vec<(&'static str, String, u64)> {
        let lower = |u: usize| self.people[u].upn.to_ascii_lowercase();
        let mut out = Vec::new();
        let mut by_admin: BTreeMap<usize, Vec<(Millis, usize)>> = BTreeMap::new();
        for r in &self.admin_resets {
            by_admin.entry(r.admin).or_default().push((r.at, r.target));
        }
        for (admin, resets) in by_admin {
            let most = resets
                .iter()
                .map(|&(t0, _)| {
                    let users: BTreeSet<usize> = resets
                        .iter()
                        .filter(|(t, _)| *t >= t0 && *t < t0 + HOUR)
                        .map(|r| r.1)
                        .collect();
                    users.len()
                })
                .max()
                .unwrap_or(0);
            if most >= 10 {
                out.push(("admin_bulk_reset", lower(admin), most as u64));
            }
        }
        // Each user's events, as target and as the user who initiated them.
        let mut as_target: BTreeMap<&str, Vec<&super::AuditEvent>> = BTreeMap::new();
        let mut as_actor: BTreeMap<&str, Vec<&super::AuditEvent>> = BTreeMap::new();
        for e in &log.events {
            if let Some((name, _)) = &e.target {
                as_target.entry(name.as_str()).or_default().push(e);
            }
            if let Actor::User { upn, .. } = &e.actor {
                as_actor.entry(upn.as_str()).or_default().push(e);
            }
        }
        let mut after_change: BTreeMap<String, u64> = BTreeMap::new();
        let mut new_ip: BTreeMap<String, u64> = BTreeMap::new();
        for a in self
            .attempts
            .iter()
            .filter(|a| a.result == ResetResult::Succeeded)
        {
            let upn = self.people[a.user].upn.as_str();
            let targeted = as_target.get(upn).map_or(&[][..], Vec::as_slice);
            if targeted
                .iter()
                .any(|e| e.changes_info && e.at <= a.at && a.at - e.at <= 24 * HOUR)
            {
                *after_change.entry(lower(a.user)).or_insert(0) += 1;
            }
            // A session ends at the attempt's time; its own events share its correlation.
            let Some(correlation) = targeted
                .iter()
                .rev()
                .find(|e| e.at == a.at)
                .map(|e| &e.correlation)
            else {
                continue;
            };
            let initiated = as_actor.get(upn).map_or(&[][..], Vec::as_slice);
            let ip_of = |e: &&&super::AuditEvent| match &e.actor {
                Actor::User { ip, .. } => Some(ip.clone()),
                Actor::App(_) => None,
            };
            let own: Vec<String> = initiated
                .iter()
                .filter(|e| &e.correlation == correlation)
                .filter_map(|e| ip_of(&e))
                .collect();
            let Some(ip) = own.first() else { continue };
            let earlier: Vec<String> = initiated
                .iter()
                .filter(|e| e.at < a.at && &e.correlation != correlation)
                .filter_map(|e| ip_of(&e))
                .collect();
            if !earlier.is_empty() && !earlier.contains(ip) {
                *new_ip.entry(lower(a.user)).or_insert(0) += 1;
            }
        }
        out.extend(
            after_change
                .into_iter()
                .map(|(u, n)| ("reset_after_info_change", u, n)),
        );
        out.extend(new_ip.into_iter().map(|(u, n)| ("new_ip", u, n)));
        out
    }
}
