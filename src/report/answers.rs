//! The eight answers of FORMATS.md §7, computed from the counted events at or before an
//! "as of" instant, plus the Result and Details tables. Pure: no filters apply here.

use rustc_hash::{FxHashMap, FxHashSet};

use super::catalogue::{match_detail, DetailId};
use super::dates::{Millis, DAY, HOUR};
use super::intern::Sym;
use super::methods::{MethodFamily, MethodSet};
use super::model::{Dataset, Event, EventKind};
use super::outcome::ResetResult;

/// The service blocks a user after more than this many attempts within 24 hours.
pub const BURST_THRESHOLD: usize = 5;
pub const BURST_WINDOW: Millis = 24 * HOUR;
pub const RECENT_WINDOW: Millis = 7 * DAY;

#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub as_of: Millis,
    /// Q0: reset attempts at or before `as_of`.
    pub reset_attempts: u64,
    /// Attempts per result, indexed by [`ResetResult::index`].
    pub results: [u64; 6],
    /// Q1, Q2: registered users, sorted by user.
    pub registered: Vec<RegisteredUser>,
    /// Q3: distinct registered users per method family.
    pub registered_data: [u64; 7],
    /// Q4: users with a successful reset in (as_of − 7 days, as_of], sorted.
    pub reset_users_last_7_days: Vec<Sym>,
    /// Q5: successful resets per method family.
    pub reset_methods: [u64; 7],
    /// Q6: unsuccessful attempts grouped by Details, most first.
    pub issues: Vec<Issue>,
    /// Q7: admins with at least one successful self-service reset, most first.
    pub admins_self_resetting: Vec<AdminResets>,
    /// Q8.
    pub suspicious: Vec<Finding>,
    /// The Details table: every attempt grouped by Details, most first.
    pub details: Vec<Issue>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegisteredUser {
    pub user: Sym,
    pub last_registered: Millis,
    /// Families over all the user's registrations.
    pub families: MethodSet,
    /// The `Data Registered` text of the latest registration.
    pub latest_data: Sym,
}

/// A group of attempts sharing one Details text (documented sentences merge variants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IssueKey {
    Documented(DetailId),
    Unknown(Sym),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub key: IssueKey,
    pub result: ResetResult,
    pub count: u64,
    /// Every Details text in the group, for the rows behind it.
    pub texts: Vec<Sym>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdminResets {
    pub user: Sym,
    pub role: Sym,
    pub resets: u64,
    pub first: Millis,
    pub last: Millis,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Blocked,
    Burst,
    AdminSelfReset,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Blocked => "blocked",
            Rule::Burst => "burst",
            Rule::AdminSelfReset => "admin_self_reset",
        }
    }
}

/// One suspicious finding: a rule, a user, how many events, over what span.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub user: Sym,
    pub count: u64,
    pub first: Millis,
    pub last: Millis,
    /// The role for admin findings; the commonest Details text for blocked users.
    pub related: Sym,
}

impl IssueKey {
    pub fn of(detail: Sym, text: &str) -> IssueKey {
        match match_detail(text) {
            Some(id) => IssueKey::Documented(id),
            None => IssueKey::Unknown(detail),
        }
    }
}

/// Whether a role names an administrator: anything but `User` (empty is unknown: no).
pub fn is_admin_role(role: &str) -> bool {
    let role = role.trim();
    !role.is_empty() && !role.eq_ignore_ascii_case("user")
}

pub fn compute(data: &Dataset, as_of: Millis) -> Answers {
    let events: Vec<&Event> = data.counted().filter(|e| e.at <= as_of).collect();
    let mut answers = Answers {
        as_of,
        reset_attempts: 0,
        results: [0; 6],
        registered: Vec::new(),
        registered_data: [0; 7],
        reset_users_last_7_days: Vec::new(),
        reset_methods: [0; 7],
        issues: Vec::new(),
        admins_self_resetting: Vec::new(),
        suspicious: Vec::new(),
        details: Vec::new(),
    };

    let mut registered: FxHashMap<Sym, RegisteredUser> = FxHashMap::default();
    let mut recent: FxHashSet<Sym> = FxHashSet::default();
    let mut attempts_by_user: FxHashMap<Sym, Vec<&Event>> = FxHashMap::default();
    let mut role_of: FxHashMap<Sym, (Millis, Sym)> = FxHashMap::default();
    let mut by_detail: FxHashMap<(Sym, ResetResult), u64> = FxHashMap::default();

    for e in &events {
        if !e.role.is_empty() {
            let role = role_of.entry(e.user).or_insert((e.at, e.role));
            if e.at >= role.0 {
                *role = (e.at, e.role);
            }
        }
        match e.kind {
            EventKind::Registration => {
                let entry = registered.entry(e.user).or_insert(RegisteredUser {
                    user: e.user,
                    last_registered: e.at,
                    families: MethodSet::EMPTY,
                    latest_data: e.methods_text,
                });
                entry.families = entry.families.union(e.methods);
                if e.at >= entry.last_registered {
                    entry.last_registered = e.at;
                    entry.latest_data = e.methods_text;
                }
            }
            EventKind::ResetAttempt => {
                let Some(result) = e.result else { continue };
                answers.reset_attempts += 1;
                answers.results[result.index()] += 1;
                *by_detail.entry((e.detail, result)).or_insert(0) += 1;
                if result == ResetResult::Succeeded {
                    for family in e.methods.iter() {
                        answers.reset_methods[family.index()] += 1;
                    }
                    if e.at > as_of - RECENT_WINDOW {
                        recent.insert(e.user);
                    }
                }
                attempts_by_user.entry(e.user).or_default().push(e);
            }
        }
    }

    let name = |s: &Sym| data.strings.get(*s);
    let mut registered: Vec<RegisteredUser> = registered.into_values().collect();
    registered.sort_by(|a, b| name(&a.user).cmp(name(&b.user)));
    for user in &registered {
        for family in user.families.iter() {
            answers.registered_data[family.index()] += 1;
        }
    }
    answers.registered = registered;

    let mut recent: Vec<Sym> = recent.into_iter().collect();
    recent.sort_by(|a, b| name(a).cmp(name(b)));
    answers.reset_users_last_7_days = recent;

    let (details, issues) = group_details(data, by_detail);
    answers.details = details;
    answers.issues = issues;

    let mut users: Vec<(Sym, Vec<&Event>)> = attempts_by_user.into_iter().collect();
    users.sort_by(|a, b| name(&a.0).cmp(name(&b.0)));
    for (user, attempts) in &mut users {
        attempts.sort_by_key(|e| e.at);
        let role = role_of.get(user).map_or(Sym::EMPTY, |r| r.1);
        if is_admin_role(data.strings.get(role)) {
            let resets: Vec<&&Event> = attempts
                .iter()
                .filter(|e| e.result == Some(ResetResult::Succeeded))
                .collect();
            if let (Some(first), Some(last)) = (resets.first(), resets.last()) {
                let admin = AdminResets {
                    user: *user,
                    role,
                    resets: resets.len() as u64,
                    first: first.at,
                    last: last.at,
                };
                answers.suspicious.push(Finding {
                    rule: Rule::AdminSelfReset,
                    user: *user,
                    count: admin.resets,
                    first: admin.first,
                    last: admin.last,
                    related: role,
                });
                answers.admins_self_resetting.push(admin);
            }
        }
        answers.suspicious.extend(blocked_finding(*user, attempts));
        answers.suspicious.extend(burst_finding(*user, attempts));
    }
    answers.admins_self_resetting.sort_by(|a, b| {
        b.resets
            .cmp(&a.resets)
            .then_with(|| name(&a.user).cmp(name(&b.user)))
    });
    answers.suspicious.sort_by(|a, b| {
        a.rule
            .cmp(&b.rule)
            .then(b.count.cmp(&a.count))
            .then_with(|| name(&a.user).cmp(name(&b.user)))
    });
    answers
}

/// Groups attempts by Details: documented sentences merge their spelling variants.
/// Returns (all attempts, unsuccessful only), each most frequent first.
fn group_details(
    data: &Dataset,
    by_detail: FxHashMap<(Sym, ResetResult), u64>,
) -> (Vec<Issue>, Vec<Issue>) {
    let mut groups: FxHashMap<(IssueKey, ResetResult), Issue> = FxHashMap::default();
    for ((detail, row_result), count) in by_detail {
        let key = IssueKey::of(detail, data.strings.get(detail));
        let result = match key {
            IssueKey::Documented(id) => id.entry().result,
            IssueKey::Unknown(_) => row_result,
        };
        let issue = groups.entry((key, result)).or_insert(Issue {
            key,
            result,
            count: 0,
            texts: Vec::new(),
        });
        issue.count += count;
        if !issue.texts.contains(&detail) {
            issue.texts.push(detail);
        }
    }
    let mut all: Vec<Issue> = groups.into_values().collect();
    let label = |i: &Issue| match i.key {
        IssueKey::Documented(id) => id.entry().sentence.to_string(),
        IssueKey::Unknown(s) => data.strings.get(s).to_string(),
    };
    all.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| label(a).cmp(&label(b))));
    for issue in &mut all {
        issue.texts.sort();
    }
    let unsuccessful = all
        .iter()
        .filter(|i| i.result != ResetResult::Succeeded)
        .cloned()
        .collect();
    (all, unsuccessful)
}

fn blocked_finding(user: Sym, attempts: &[&Event]) -> Option<Finding> {
    let blocked: Vec<&&Event> = attempts
        .iter()
        .filter(|e| e.result == Some(ResetResult::Blocked))
        .collect();
    let (first, last) = (blocked.first()?, blocked.last()?);
    let mut texts: FxHashMap<Sym, usize> = FxHashMap::default();
    for e in &blocked {
        *texts.entry(e.detail).or_insert(0) += 1;
    }
    let related = texts
        .into_iter()
        .max_by_key(|&(sym, n)| (n, std::cmp::Reverse(sym)))
        .map_or(Sym::EMPTY, |(s, _)| s);
    Some(Finding {
        rule: Rule::Blocked,
        user,
        count: blocked.len() as u64,
        first: first.at,
        last: last.at,
        related,
    })
}

/// The busiest 24-hour window of a user's attempts (sorted by time), if it holds more
/// than [`BURST_THRESHOLD`] attempts.
fn burst_finding(user: Sym, attempts: &[&Event]) -> Option<Finding> {
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    for end in 0..attempts.len() {
        while attempts[end].at - attempts[start].at >= BURST_WINDOW {
            start += 1;
        }
        if best.is_none_or(|(s, e)| end - start > e - s) {
            best = Some((start, end));
        }
    }
    let (s, e) = best?;
    let count = e - s + 1;
    (count > BURST_THRESHOLD).then(|| Finding {
        rule: Rule::Burst,
        user,
        count: count as u64,
        first: attempts[s].at,
        last: attempts[e].at,
        related: Sym::EMPTY,
    })
}

impl Answers {
    pub fn registered_families(&self) -> impl Iterator<Item = (MethodFamily, u64)> + '_ {
        MethodFamily::ALL
            .into_iter()
            .map(|f| (f, self.registered_data[f.index()]))
    }
}
