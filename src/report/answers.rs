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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::dates::{scan, DateOrder};
    use crate::report::ingest::load;

    const RESETS: &str = "User,Role,Date and Time,Method(s) Used,Result,Details\n";
    const REGISTRATIONS: &str = "User,Role,Date and Time,Data Registered\n";

    fn data(resets: &[&str], registrations: &[&str]) -> Dataset {
        let mut d = Dataset::default();
        if !resets.is_empty() {
            load(
                &mut d,
                "r.csv",
                format!("{RESETS}{}\n", resets.join("\n")).as_bytes(),
            )
            .unwrap();
        }
        if !registrations.is_empty() {
            load(
                &mut d,
                "g.csv",
                format!("{REGISTRATIONS}{}\n", registrations.join("\n")).as_bytes(),
            )
            .unwrap();
        }
        d
    }

    fn at(iso: &str) -> Millis {
        scan(iso).unwrap().resolve(DateOrder::MonthFirst).unwrap()
    }

    fn users(d: &Dataset, syms: &[Sym]) -> Vec<String> {
        syms.iter().map(|s| d.strings.get(*s).to_string()).collect()
    }

    #[test]
    fn last_seven_days_is_open_at_the_start_and_closed_at_the_end() {
        let d = data(
            &[
                "out@x.com,User,2017-07-10 17:38:00,Alternate Email,Succeeded,User successfully reset password",
                "in@x.com,User,2017-07-10 17:38:01,Alternate Email,Succeeded,User successfully reset password",
                "last@x.com,User,2017-07-17 17:38:00,Alternate Email,Succeeded,User successfully reset password",
                "failed@x.com,User,2017-07-16 10:00:00,Alternate Email,Failed,x",
            ],
            &[],
        );
        let a = compute(&d, at("2017-07-17 17:38:00"));
        assert_eq!(
            users(&d, &a.reset_users_last_7_days),
            ["in@x.com", "last@x.com"]
        );
        // An earlier as-of leaves later events out of every answer.
        let a = compute(&d, at("2017-07-16 00:00:00"));
        assert_eq!(
            users(&d, &a.reset_users_last_7_days),
            ["in@x.com", "out@x.com"]
        );
        assert_eq!(a.reset_attempts, 2);
    }

    #[test]
    fn two_method_resets_count_for_each_method() {
        let d = data(
            &["a@x.com,User,2017-07-10 10:00,Alternate Email + Mobile Phone,Succeeded,User successfully reset password"],
            &[],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        assert_eq!(a.reset_methods[MethodFamily::Email.index()], 1);
        assert_eq!(a.reset_methods[MethodFamily::MobilePhone.index()], 1);
    }

    #[test]
    fn registered_users_merge_their_registrations() {
        let d = data(
            &[],
            &[
                "A@x.com,User,2017-07-01 10:00,Alternate Email",
                "a@x.com,User,2017-07-05 10:00,Mobile Phone + Security Questions",
                "b@x.com,User,2017-07-02 10:00,Office Phone",
            ],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        assert_eq!(a.registered.len(), 2);
        let first = &a.registered[0];
        assert_eq!(d.strings.get(first.user), "a@x.com");
        assert_eq!(first.last_registered, at("2017-07-05 10:00"));
        assert_eq!(
            d.strings.get(first.latest_data),
            "Mobile Phone + Security Questions"
        );
        assert_eq!(a.registered_data[MethodFamily::Email.index()], 1);
        assert_eq!(a.registered_data[MethodFamily::OfficePhone.index()], 1);
    }

    #[test]
    fn issues_merge_spelling_variants_and_keep_unknown_text() {
        let d = data(
            &[
                "a@x.com,User,2017-07-10 10:00,,Cancelled,User cancelled before submitting a new password",
                "b@x.com,User,2017-07-10 11:00,,Canceled,user canceled before submitting a new password.",
                "c@x.com,User,2017-07-10 12:00,,Failed,Something new went wrong",
                "d@x.com,User,2017-07-10 13:00,,Failed,",
                "e@x.com,User,2017-07-10 14:00,,Succeeded,User successfully reset password",
            ],
            &[],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        let issues: Vec<(u64, ResetResult)> =
            a.issues.iter().map(|i| (i.count, i.result)).collect();
        assert_eq!(
            issues,
            [
                (2, ResetResult::Cancelled),
                (1, ResetResult::Failed),
                (1, ResetResult::Failed)
            ]
        );
        assert_eq!(
            a.issues[0].texts.len(),
            2,
            "both spellings are behind the group"
        );
        assert!(matches!(a.issues[0].key, IssueKey::Documented(_)));
        assert_eq!(
            a.details.len(),
            4,
            "the Details table also has the success sentence"
        );
    }

    #[test]
    fn admins_are_every_role_but_user() {
        for (role, admin) in [
            ("Global Administrator", true),
            ("Helpdesk Administrator", true),
            ("User", false),
            ("user", false),
            ("", false),
        ] {
            assert_eq!(is_admin_role(role), admin, "{role:?}");
        }
        let d = data(
            &[
                "boss@x.com,Global Administrator,2017-07-10 10:00,Mobile Phone,Succeeded,User successfully reset password",
                "boss@x.com,Global Administrator,2017-07-12 10:00,Mobile Phone,Succeeded,User successfully reset password",
                "help@x.com,Helpdesk Administrator,2017-07-11 10:00,Mobile Phone,Abandoned,User abandoned after entering their user ID",
                "pw@x.com,Password Administrator,2017-07-11 10:00,Mobile Phone,Succeeded,User successfully reset password",
                "joe@x.com,User,2017-07-11 10:00,Mobile Phone,Succeeded,User successfully reset password",
            ],
            &[],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        let admins: Vec<(String, u64)> = a
            .admins_self_resetting
            .iter()
            .map(|x| (d.strings.get(x.user).to_string(), x.resets))
            .collect();
        assert_eq!(
            admins,
            [("boss@x.com".to_string(), 2), ("pw@x.com".to_string(), 1)]
        );
        let rules: Vec<Rule> = a.suspicious.iter().map(|f| f.rule).collect();
        assert_eq!(rules, [Rule::AdminSelfReset, Rule::AdminSelfReset]);
    }

    fn attempts(times: &[&str]) -> Dataset {
        let rows: Vec<String> = times
            .iter()
            .map(|t| format!("u@x.com,User,{t},Mobile Phone,Abandoned,User abandoned after entering their user ID"))
            .collect();
        data(&rows.iter().map(String::as_str).collect::<Vec<_>>(), &[])
    }

    #[test]
    fn more_than_five_attempts_within_24_hours_is_a_burst() {
        let six = [
            "2017-07-10 10:00",
            "2017-07-10 12:00",
            "2017-07-10 14:00",
            "2017-07-10 16:00",
            "2017-07-10 18:00",
            "2017-07-11 09:59",
        ];
        let d = attempts(&six);
        let a = compute(&d, at("2017-07-17 00:00"));
        let burst: Vec<_> = a
            .suspicious
            .iter()
            .filter(|f| f.rule == Rule::Burst)
            .collect();
        assert_eq!(burst.len(), 1);
        assert_eq!(
            (burst[0].count, burst[0].first, burst[0].last),
            (6, at("2017-07-10 10:00"), at("2017-07-11 09:59"))
        );

        // Exactly 24 hours apart is not "within 24 hours"; five is not more than five.
        let spread = attempts(&[
            "2017-07-10 10:00",
            "2017-07-10 12:00",
            "2017-07-10 14:00",
            "2017-07-10 16:00",
            "2017-07-10 18:00",
            "2017-07-11 10:00",
        ]);
        assert!(compute(&spread, at("2017-07-17 00:00"))
            .suspicious
            .is_empty());
        let five = attempts(&six[..5]);
        assert!(compute(&five, at("2017-07-17 00:00")).suspicious.is_empty());
    }

    #[test]
    fn blocked_users_are_found_with_their_commonest_reason() {
        let d = data(
            &[
                "b@x.com,User,2017-07-10 10:00,Mobile Phone,Blocked,User tried to verify a phone number too many times and is blocked for 24 hours",
                "b@x.com,User,2017-07-12 10:00,Mobile Phone,Blocked,User tried to verify a phone number too many times and is blocked for 24 hours",
            ],
            &[],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        let f = &a.suspicious[0];
        assert_eq!((f.rule, f.count), (Rule::Blocked, 2));
        assert_eq!(
            (f.first, f.last),
            (at("2017-07-10 10:00"), at("2017-07-12 10:00"))
        );
        assert!(d.strings.get(f.related).starts_with("User tried to verify"));
    }
}
