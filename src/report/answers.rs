//! The eight answers of FORMATS.md §7, computed from the counted events at or before an
//! "as of" instant, plus the Result and Details tables and the rows behind each number.
//! Pure: no filters apply here.
//!
//! Every source is first turned into the same facts: *attempts* (a classic reset row, a
//! portal reset event, or an audit-log reset session), *registrations*, *registration
//! state*, *admin resets*; the answers are computed over those facts.

use rustc_hash::{FxHashMap, FxHashSet};

use super::activity::{Activity, ActivityGroup, Service, Status};
use super::catalogue::{match_detail, DetailId};
use super::dates::{Millis, DAY, HOUR};
use super::intern::Sym;
use super::methods::{MethodFamily, MethodSet};
use super::model::{Dataset, Event, EventKind};
use super::order;
use super::outcome::ResetResult;
use super::sessions::{self, Funnel, Session, SessionKey};

/// The service blocks a user after more than this many attempts within 24 hours.
pub const BURST_THRESHOLD: usize = 5;
pub const BURST_WINDOW: Millis = 24 * HOUR;
pub const RECENT_WINDOW: Millis = 7 * DAY;
/// One admin resetting this many different users' passwords …
pub const BULK_RESET_USERS: usize = 10;
/// … within this time is suspicious.
pub const BULK_RESET_WINDOW: Millis = HOUR;
/// A reset this soon after the user's security info changed is suspicious.
pub const AFTER_INFO_CHANGE_WINDOW: Millis = 24 * HOUR;

/// One reset attempt: a classic report row, a portal reset event, or a reset session.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub user: Sym,
    /// When it started (a session's first event) and ended (its last).
    pub start: Millis,
    pub at: Millis,
    pub result: ResetResult,
    pub methods: MethodSet,
    pub detail: Sym,
    pub ip: Sym,
    /// Where the rows it was read from are in [`Answers::rows`].
    pub rows: std::ops::Range<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub as_of: Millis,
    pub attempts: Vec<Attempt>,
    /// Dataset indices of the rows behind attempts and sessions, which hold ranges here.
    pub rows: Vec<u32>,
    pub sessions: Vec<Session>,
    /// Q0: reset attempts at or before `as_of`.
    pub reset_attempts: u64,
    /// Attempts per result, indexed by [`ResetResult::index`].
    pub results: [u64; 6],
    /// Q1, Q2: registered users, sorted by user.
    pub registered: Vec<RegisteredUser>,
    /// Q3: distinct registered users per method family.
    pub registered_data: [u64; 7],
    /// Q4: users with a successful reset in (as_of − 7 days, as_of], sorted, and how
    /// many successful resets that window holds.
    pub reset_users_last_7_days: Vec<Sym>,
    pub recent_resets: u64,
    /// Q5: successful resets per method family.
    pub reset_methods: [u64; 7],
    /// Q6: unsuccessful attempts grouped by Details / ResultReason, most first.
    pub issues: Vec<Issue>,
    /// Q7: admins with at least one successful self-service reset, most first.
    pub admins_self_resetting: Vec<AdminResets>,
    /// Q8.
    pub suspicious: Vec<Finding>,
    /// The Details table: every attempt grouped by its text, most first.
    pub details: Vec<Issue>,
    /// Password resets done by an admin for someone else.
    pub admin_resets: Vec<AdminReset>,
    /// Counted events at or before `as_of`, and per service (audit events only).
    pub events_total: u64,
    pub events_by_service: [u64; 5],
    pub funnel: Funnel,
    /// Password-related audit events per status, indexed by `Status as usize`.
    pub statuses: [u64; 4],
    /// Password-related audit events per ResultReason text and status, most first.
    pub reasons: Vec<ReasonCount>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReasonCount {
    pub text: Sym,
    pub status: Status,
    pub count: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegisteredUser {
    pub user: Sym,
    /// Latest registration; `None` when only a registration-state export says so.
    pub last_registered: Option<Millis>,
    /// Families over all the user's registrations and registration state.
    pub families: MethodSet,
    /// The method text of the latest registration.
    pub latest_data: Sym,
    pub rows: Vec<u32>,
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
    /// Every text in the group.
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

#[derive(Clone, Debug, PartialEq)]
pub struct AdminReset {
    pub admin: Sym,
    pub target: Sym,
    pub at: Millis,
    pub row: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Blocked,
    Burst,
    AdminSelfReset,
    AdminBulkReset,
    ResetAfterInfoChange,
    NewIp,
}

impl Rule {
    pub fn id(self) -> &'static str {
        match self {
            Rule::Blocked => "blocked",
            Rule::Burst => "burst",
            Rule::AdminSelfReset => "admin_self_reset",
            Rule::AdminBulkReset => "admin_bulk_reset",
            Rule::ResetAfterInfoChange => "reset_after_info_change",
            Rule::NewIp => "new_ip",
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
    /// The role for admin findings; the commonest Details text for blocked users; the
    /// new IP address.
    pub related: Sym,
    pub rows: Vec<u32>,
}

/// Which rows are behind a number.
#[derive(Clone, Debug, PartialEq)]
pub enum RowsOf {
    Attempts(AttemptQuery),
    Registrations(Option<MethodFamily>),
    AdminResets,
    Finding(usize),
    /// Password-related audit events with this status.
    Status(Status),
    /// Password-related audit events with this reason text and status.
    Reason(Sym, Status),
    Session(usize),
}

/// A selection of attempts; every condition is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttemptQuery {
    pub result: Option<ResetResult>,
    pub family: Option<MethodFamily>,
    pub recent: bool,
    pub user: Option<Sym>,
    pub admins: bool,
    pub issue: Option<(IssueKey, ResetResult)>,
}

impl IssueKey {
    pub fn of(detail: Sym, text: &str) -> IssueKey {
        match match_detail(text) {
            Some(id) => IssueKey::Documented(id),
            None => IssueKey::Unknown(detail),
        }
    }
}

/// Audit events the status and reason tables describe: everything but "other".
pub fn is_password_event(e: &Event) -> bool {
    e.kind == EventKind::Audit && e.activity.group() != ActivityGroup::Other
}

/// Events that register authentication data: a classic or portal registration that did
/// not fail, or a successful audit registration.
#[inline]
pub fn is_registration_event(e: &Event) -> bool {
    match e.kind {
        EventKind::Registration => e.status != Status::Failure,
        EventKind::Audit => e.activity.is_registration() && e.status == Status::Success,
        EventKind::ResetAttempt | EventKind::RegistrationState => false,
    }
}

/// Whether a role names an administrator: anything but `User` (empty is unknown: no).
pub fn is_admin_role(role: &str) -> bool {
    let role = role.trim();
    !role.is_empty() && !role.eq_ignore_ascii_case("user")
}

/// The facts read from the events, before answering.
#[derive(Default)]
struct Facts {
    attempts: Vec<Attempt>,
    registered: FxHashMap<Sym, RegisteredUser>,
    /// User → role text; admins from roles, registration state and admin resets.
    admins: FxHashMap<Sym, Sym>,
    /// Whether a role text is an admin's, decided once per distinct text.
    admin_roles: FxHashMap<Sym, bool>,
    admin_resets: Vec<AdminReset>,
    /// Core Directory resets by someone else: admin resets unless their correlation
    /// also holds self-service or `Reset password (by admin)` events.
    directory_resets: Vec<(Sym, u32)>,
    self_service_correlations: FxHashSet<Sym>,
    /// Per user: times their security info was registered or changed.
    info_changes: FxHashMap<Sym, Vec<(Millis, u32)>>,
    /// When each user first used each address they reset a password from, and first
    /// used any (see [`Stage::FirstUse`]).
    first_uses: FirstUses,
    /// The reset session steps, grouped into sessions by [`sessions::Grouping`].
    session_keys: Vec<SessionKey>,
    /// The rows of the classic attempts, which their ranges point into until `count`
    /// puts them after the sessions' rows.
    rows: Vec<u32>,
    /// Counted events, per service (audit events only), per status and per reason
    /// (password-related audit events).
    events_total: u64,
    events_by_service: [u64; 5],
    statuses: [u64; 4],
    reasons: FxHashMap<(Sym, Status), u64>,
}

pub fn compute(data: &Dataset, as_of: Millis) -> Answers {
    let mut computation = Computation::new(as_of);
    while !computation.step(data, usize::MAX) {}
    computation
        .answers()
        .unwrap_or_else(|| unreachable!("a finished computation"))
}

/// [`compute`] a slice at a time, so a page can paint between slices: each
/// [`Computation::step`] does about `budget` units of work (an event read, a session
/// step grouped, an attempt looked at) or one of the steps that are not split, whichever
/// is more. The answers are the same however the work is sliced; the data must not
/// change in between.
pub struct Computation {
    as_of: Millis,
    stage: Stage,
}

enum Stage {
    /// Reading the facts from the events, from `next` on.
    Facts {
        f: Box<Facts>,
        next: usize,
    },
    /// The facts are read: the session keys are to be put in order (a step of its own).
    Keys(Box<Facts>),
    Grouping(Box<Facts>, sessions::Grouping),
    Counting(Box<Facts>, Vec<Session>, Vec<u32>),
    /// Counting the attempts by result, method, detail and user, from `next` on.
    Tally(Box<Answering>, FxHashMap<Sym, Vec<usize>>, usize),
    Tables(Box<Answering>),
    /// Finding when each user first used the addresses they reset a password from, and
    /// any address, in the events from `next` on (with the users' attempts, for the
    /// findings). Only these: keeping every (user, address) pair while reading the facts
    /// took ~30 % of the answers at a million audit events.
    FirstUse(Box<Answering>, Vec<(Sym, Vec<usize>)>, usize),
    /// Looking for suspicious activity, user by user.
    Findings(Box<Answering>, Vec<(Sym, Vec<usize>)>, usize),
    /// The findings are in: bulk resets and every list's order (a step of its own).
    Finishing(Box<Answering>),
    Done(Box<Answers>),
    Taken,
}

/// The answers half made: what the later steps need besides them.
struct Answering {
    answers: Answers,
    f: Facts,
    rows: Vec<u32>,
    by_detail: FxHashMap<(Sym, ResetResult), u64>,
    /// Each user's attempts (positions in `f.attempts`), for the findings.
    by_user: Vec<(Sym, Vec<usize>)>,
    recent: FxHashSet<Sym>,
}

impl Computation {
    pub fn new(as_of: Millis) -> Computation {
        Computation {
            as_of,
            stage: Stage::Facts {
                f: Box::default(),
                next: 0,
            },
        }
    }

    /// Works on; true once the answers are ready.
    pub fn step(&mut self, data: &Dataset, budget: usize) -> bool {
        let budget = budget.max(1);
        let as_of = self.as_of;
        self.stage = match std::mem::replace(&mut self.stage, Stage::Taken) {
            Stage::Facts { mut f, next } => {
                let end = next.saturating_add(budget).min(data.events.len());
                for (i, e) in data.events[next..end].iter().enumerate() {
                    if !e.duplicate && e.at <= as_of {
                        fact(&mut f, data, (next + i) as u32, e);
                    }
                }
                if end < data.events.len() {
                    Stage::Facts { f, next: end }
                } else {
                    Stage::Keys(f)
                }
            }
            Stage::Keys(mut f) => {
                let keys = std::mem::take(&mut f.session_keys);
                Stage::Grouping(f, sessions::Grouping::new(data, keys))
            }
            Stage::Grouping(f, mut grouping) => {
                if grouping.step(data, budget) {
                    let (sessions, rows) = grouping.finish();
                    Stage::Counting(f, sessions, rows)
                } else {
                    Stage::Grouping(f, grouping)
                }
            }
            Stage::Counting(f, sessions, rows) => Stage::Tally(
                Box::new(count(data, as_of, *f, sessions, rows)),
                FxHashMap::default(),
                0,
            ),
            Stage::Tally(mut a, mut by_user, next) => {
                let end = next.saturating_add(budget).min(a.f.attempts.len());
                tally(&mut a, &mut by_user, next..end);
                if end < a.f.attempts.len() {
                    Stage::Tally(a, by_user, end)
                } else {
                    a.by_user = by_user.into_iter().collect();
                    Stage::Tables(a)
                }
            }
            Stage::Tables(mut a) => {
                tables(data, &mut a);
                let users = std::mem::take(&mut a.by_user);
                a.f.first_uses = FirstUses::wanted(&a.f.attempts, data.strings.len());
                Stage::FirstUse(a, users, 0)
            }
            Stage::FirstUse(mut a, users, next) => {
                let end = next.saturating_add(budget).min(data.events.len());
                a.f.first_uses.read(&data.events[next..end], as_of);
                if end < data.events.len() {
                    Stage::FirstUse(a, users, end)
                } else {
                    Stage::Findings(a, users, 0)
                }
            }
            Stage::Findings(mut a, users, mut next) => {
                let mut work = 0;
                while next < users.len() && work < budget {
                    let (user, indices) = &users[next];
                    find(&mut a, *user, indices);
                    work += indices.len();
                    next += 1;
                }
                if next < users.len() {
                    Stage::Findings(a, users, next)
                } else {
                    Stage::Finishing(a)
                }
            }
            Stage::Finishing(a) => Stage::Done(Box::new(finish(data, *a))),
            done => done,
        };
        matches!(self.stage, Stage::Done(_))
    }

    /// Whether the next step is one that is not split (sorting the session keys,
    /// counting, the tables, the last lists: at a million audit events 15–25 ms each
    /// natively, up to 30 in the page): a caller that yields between slices can give it
    /// a slice of its own.
    pub fn whole_next(&self) -> bool {
        matches!(
            self.stage,
            Stage::Keys(_) | Stage::Counting(..) | Stage::Tables(_) | Stage::Finishing(_)
        )
    }

    /// The answers, once [`Self::step`] has said they are ready.
    pub fn answers(self) -> Option<Answers> {
        match self.stage {
            Stage::Done(answers) => Some(*answers),
            _ => None,
        }
    }
}

/// The facts one counted event (at or before the as-of instant) adds.
fn fact(f: &mut Facts, data: &Dataset, row: u32, e: &Event) {
    f.events_total += 1;
    if e.kind == EventKind::Audit {
        f.events_by_service[e.service as usize] += 1;
        if is_password_event(e) {
            f.statuses[e.status as usize] += 1;
            if !e.detail.is_empty() {
                *f.reasons.entry((e.detail, e.status)).or_insert(0) += 1;
            }
        }
    }
    if let Some(key) = SessionKey::of(row, e) {
        f.session_keys.push(key);
    }
    if is_registration_event(e) {
        register(f, e, row);
    }
    let admin_role = !e.role.is_empty()
        && *f
            .admin_roles
            .entry(e.role)
            .or_insert_with(|| is_admin_role(data.strings.get(e.role)));
    if admin_role {
        f.admins.insert(e.user, e.role);
    }
    match e.kind {
        EventKind::ResetAttempt => {
            let Some(result) = e.result else { return };
            f.attempts.push(Attempt {
                user: e.user,
                start: e.at,
                at: e.at,
                result,
                methods: e.methods,
                detail: e.detail,
                ip: e.ip,
                rows: {
                    f.rows.push(row);
                    f.rows.len() as u32 - 1..f.rows.len() as u32
                },
            });
        }
        EventKind::Registration => {}
        EventKind::RegistrationState => {
            if e.admin {
                f.admins.entry(e.user).or_insert(Sym::EMPTY);
            }
            if e.sspr_registered {
                let entry = registered_entry(f, e.user);
                entry.families = entry.families.union(e.methods);
                entry.rows.push(row);
            }
        }
        EventKind::Audit => {
            if e.activity.changes_security_info() && e.status == Status::Success {
                f.info_changes.entry(e.user).or_default().push((e.at, row));
            }
            let by_other = !e.actor.is_empty() && e.actor != e.user;
            match e.activity {
                Activity::SsprResetByAdmin if e.status == Status::Success => {
                    if !e.correlation.is_empty() {
                        f.self_service_correlations.insert(e.correlation);
                    }
                    f.admin_resets.push(AdminReset {
                        admin: e.actor,
                        target: e.user,
                        at: e.at,
                        row,
                    });
                }
                Activity::DirectoryResetPassword if by_other && e.status == Status::Success => {
                    f.directory_resets.push((e.correlation, row));
                }
                _ => {}
            }
        }
    }
}

/// `rows` (of `events` rows) in order, each once: through a table of all the rows when
/// they are many (sorting the 761,284 rows behind all the attempts at a million events
/// took ~40 ms of a "show rows" click), else sorted.
fn in_order_once(mut rows: Vec<u32>, events: usize) -> Vec<u32> {
    if rows.len() < events / 16 || rows.iter().any(|&r| r as usize >= events) {
        rows.sort_unstable();
        rows.dedup();
        return rows;
    }
    let mut behind = vec![false; events];
    let behind = behind.as_mut_slice();
    for &r in &rows {
        behind[r as usize] = true;
    }
    // Written over the rows' own room: there are no more distinct rows than rows. (A
    // loop over slices: in the page's size-optimised build, filtering into the vector
    // pushed through a call per row.)
    let out = rows.as_mut_slice();
    let mut kept = 0;
    for (r, &is_behind) in behind.iter().enumerate() {
        if is_behind {
            out[kept] = r as u32;
            kept += 1;
        }
    }
    rows.truncate(kept);
    rows
}

/// When the users who reset a password from a known address first used it, and first
/// used any address: only they are looked for, each by their symbol (hash lookups per
/// audit event, even for these alone, took ~20 % of the answers at a million events).
#[derive(Default)]
struct FirstUses {
    /// Per symbol: the user's place in `users`, or `NONE`.
    slot: Vec<u32>,
    /// Per user: their symbol, their first use of any address, and their addresses'
    /// range in `addresses`.
    users: Vec<(Sym, Millis, std::ops::Range<u32>)>,
    /// Per user and address: the address and its first use.
    addresses: Vec<(Sym, Millis)>,
}

impl FirstUses {
    const NONE: u32 = u32::MAX;

    /// The users and addresses of successful resets from a known address; not seen yet
    /// (`Millis::MAX`).
    fn wanted(attempts: &[Attempt], symbols: usize) -> FirstUses {
        let mut pairs: Vec<(Sym, Sym)> = attempts
            .iter()
            .filter(|a| a.result == ResetResult::Succeeded && !a.ip.is_empty())
            .map(|a| (a.user, a.ip))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut uses = FirstUses {
            slot: Vec::new(),
            users: Vec::new(),
            addresses: Vec::with_capacity(pairs.len()),
        };
        if pairs.is_empty() {
            return uses;
        }
        uses.slot = vec![Self::NONE; symbols];
        for (user, ip) in pairs {
            let at = uses.addresses.len() as u32;
            match uses.users.last_mut() {
                Some(last) if last.0 == user => last.2.end = at + 1,
                _ => {
                    if let Some(slot) = uses.slot.get_mut(user.0 as usize) {
                        *slot = uses.users.len() as u32;
                    }
                    uses.users.push((user, Millis::MAX, at..at + 1));
                }
            }
            uses.addresses.push((ip, Millis::MAX));
        }
        uses
    }

    /// Reads the counted audit events among `events`: the user is who acted.
    fn read(&mut self, events: &[Event], as_of: Millis) {
        if self.users.is_empty() {
            return;
        }
        for e in events {
            let counted = !e.duplicate && e.at <= as_of && e.kind == EventKind::Audit;
            if !counted || e.ip.is_empty() || e.actor.is_empty() {
                continue;
            }
            let slot = self.slot.get(e.actor.0 as usize).copied();
            let Some((_, any, range)) = slot.and_then(|k| self.users.get_mut(k as usize)) else {
                continue;
            };
            *any = (*any).min(e.at);
            let range = range.start as usize..range.end as usize;
            if let Some(addresses) = self.addresses.get_mut(range) {
                for (ip, first) in addresses {
                    if *ip == e.ip {
                        *first = (*first).min(e.at);
                    }
                }
            }
        }
    }

    /// When `user` first used any address (`None`: never, or not asked for).
    fn first_any(&self, user: Sym) -> Option<Millis> {
        let (_, any, _) = self.user(user)?;
        Some(*any).filter(|&at| at != Millis::MAX)
    }

    /// When `user` first used `ip` (`None`: never, or not asked for).
    fn first(&self, user: Sym, ip: Sym) -> Option<Millis> {
        let (_, _, range) = self.user(user)?;
        let addresses = self
            .addresses
            .get(range.start as usize..range.end as usize)?;
        let &(_, first) = addresses.iter().find(|(address, _)| *address == ip)?;
        Some(first).filter(|&at| at != Millis::MAX)
    }

    fn user(&self, user: Sym) -> Option<&(Sym, Millis, std::ops::Range<u32>)> {
        let k = *self.slot.get(user.0 as usize)?;
        self.users.get(k as usize)
    }
}

fn registered_entry(f: &mut Facts, user: Sym) -> &mut RegisteredUser {
    f.registered.entry(user).or_insert(RegisteredUser {
        user,
        last_registered: None,
        families: MethodSet::EMPTY,
        latest_data: Sym::EMPTY,
        rows: Vec::new(),
    })
}

fn register(f: &mut Facts, e: &Event, row: u32) {
    let entry = registered_entry(f, e.user);
    entry.families = entry.families.union(e.methods);
    entry.rows.push(row);
    if entry.last_registered.is_none_or(|last| e.at >= last) {
        entry.last_registered = Some(e.at);
        if !e.methods_text.is_empty() {
            entry.latest_data = e.methods_text;
        }
    }
}

/// The attempts (classic rows and sessions) in time order, and what is counted over them.
fn count(
    data: &Dataset,
    as_of: Millis,
    mut f: Facts,
    sessions: Vec<Session>,
    mut rows: Vec<u32>,
) -> Answering {
    let name = |s: &Sym| data.strings.get(*s);
    // The classic attempts' rows follow the sessions'.
    let offset = rows.len() as u32;
    for a in &mut f.attempts {
        a.rows = a.rows.start + offset..a.rows.end + offset;
    }
    rows.append(&mut f.rows);
    let directory_resets = std::mem::take(&mut f.directory_resets);
    f.self_service_correlations.extend(
        sessions
            .iter()
            .map(|s| s.correlation)
            .filter(|c| !c.is_empty()),
    );
    for (correlation, row) in directory_resets {
        if correlation.is_empty() || !f.self_service_correlations.contains(&correlation) {
            let e = &data.events[row as usize];
            f.admin_resets.push(AdminReset {
                admin: e.actor,
                target: e.user,
                at: e.at,
                row,
            });
        }
    }
    for reset in &f.admin_resets {
        f.admins.entry(reset.admin).or_insert(Sym::EMPTY);
    }
    for s in &sessions {
        f.attempts.push(Attempt {
            user: s.user,
            start: s.start,
            at: s.end,
            result: s.result,
            methods: if s.completed.is_empty() {
                s.started
            } else {
                s.completed
            },
            detail: s.reason,
            ip: s.ip,
            rows: s.rows.clone(),
        });
    }
    order::sort_by_time(&mut f.attempts, |a| (a.at, rows[a.rows.start as usize]));

    let mut answers = Answers {
        as_of,
        attempts: Vec::new(),
        rows: Vec::new(),
        funnel: sessions::funnel(&sessions),
        sessions,
        reset_attempts: f.attempts.len() as u64,
        results: [0; 6],
        registered: Vec::new(),
        registered_data: [0; 7],
        reset_users_last_7_days: Vec::new(),
        recent_resets: 0,
        reset_methods: [0; 7],
        issues: Vec::new(),
        admins_self_resetting: Vec::new(),
        suspicious: Vec::new(),
        details: Vec::new(),
        admin_resets: Vec::new(),
        events_total: f.events_total,
        events_by_service: f.events_by_service,
        statuses: f.statuses,
        reasons: Vec::new(),
    };
    answers.reasons = std::mem::take(&mut f.reasons)
        .into_iter()
        .map(|((text, status), count)| ReasonCount {
            text,
            status,
            count,
        })
        .collect();
    order::sort_by(&mut answers.reasons, |a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| name(&a.text).cmp(name(&b.text)))
    });

    Answering {
        answers,
        f,
        rows,
        by_detail: FxHashMap::default(),
        by_user: Vec::new(),
        recent: FxHashSet::default(),
    }
}

/// Counts the attempts `range` (of `a.f.attempts`) by result, method, detail and recent
/// user, and lists each user's attempts in `by_user`.
fn tally(
    a: &mut Answering,
    by_user: &mut FxHashMap<Sym, Vec<usize>>,
    range: std::ops::Range<usize>,
) {
    let as_of = a.answers.as_of;
    let answers = &mut a.answers;
    for k in range {
        let Some(attempt) = a.f.attempts.get(k) else {
            break;
        };
        answers.results[attempt.result.index()] += 1;
        *a.by_detail
            .entry((attempt.detail, attempt.result))
            .or_insert(0) += 1;
        if attempt.result == ResetResult::Succeeded {
            for family in attempt.methods.iter() {
                answers.reset_methods[family.index()] += 1;
            }
            if attempt.at > as_of - RECENT_WINDOW {
                a.recent.insert(attempt.user);
                answers.recent_resets += 1;
            }
        }
        by_user.entry(attempt.user).or_default().push(k);
    }
}

/// Registered users, recent resetters, and the Details and issues tables.
fn tables(data: &Dataset, a: &mut Answering) {
    let name = |s: &Sym| data.strings.get(*s);
    let answers = &mut a.answers;
    let mut registered: Vec<RegisteredUser> =
        std::mem::take(&mut a.f.registered).into_values().collect();
    order::sort_by_text(&mut registered, |u| name(&u.user));
    for user in &registered {
        for family in user.families.iter() {
            answers.registered_data[family.index()] += 1;
        }
    }
    answers.registered = registered;

    let mut recent: Vec<Sym> = std::mem::take(&mut a.recent).into_iter().collect();
    order::sort_by_text(&mut recent, name);
    answers.reset_users_last_7_days = recent;

    let (details, issues) = group_details(data, std::mem::take(&mut a.by_detail));
    answers.details = details;
    answers.issues = issues;
}

/// One user's findings (`indices`: their attempts, in time order). The users' order does
/// not matter: the findings are sorted at the end, and findings that tie are one user's,
/// kept in the order they were found.
fn find(a: &mut Answering, user: Sym, indices: &[usize]) {
    let (f, rows, answers) = (&a.f, &a.rows, &mut a.answers);
    let attempts: Vec<&Attempt> = indices.iter().map(|&k| &f.attempts[k]).collect();
    if let Some(role) = f.admins.get(&user) {
        let resets: Vec<&&Attempt> = attempts
            .iter()
            .filter(|a| a.result == ResetResult::Succeeded)
            .collect();
        if let (Some(first), Some(last)) = (resets.first(), resets.last()) {
            let admin = AdminResets {
                user,
                role: *role,
                resets: resets.len() as u64,
                first: first.at,
                last: last.at,
            };
            answers.suspicious.push(Finding {
                rule: Rule::AdminSelfReset,
                user,
                count: admin.resets,
                first: admin.first,
                last: admin.last,
                related: *role,
                rows: resets
                    .iter()
                    .flat_map(|a| span(rows, &a.rows).iter().copied())
                    .collect(),
            });
            answers.admins_self_resetting.push(admin);
        }
    }
    answers
        .suspicious
        .extend(blocked_finding(user, &attempts, rows));
    answers
        .suspicious
        .extend(burst_finding(user, &attempts, rows));
    answers.suspicious.extend(after_info_change(
        user,
        &attempts,
        f.info_changes.get(&user),
        rows,
    ));
    answers.suspicious.extend(new_ip(user, &attempts, f, rows));
}

/// Bulk resets by admins, and every list in its order.
fn finish(data: &Dataset, a: Answering) -> Answers {
    let name = |s: &Sym| data.strings.get(*s);
    let Answering {
        mut answers,
        mut f,
        rows,
        ..
    } = a;
    order::sort_by_key(&mut f.admin_resets, |r| (r.at, r.row));
    answers.suspicious.extend(bulk_resets(&f.admin_resets));
    answers.admin_resets = f.admin_resets;
    order::sort_by(&mut answers.admins_self_resetting, |a, b| {
        b.resets
            .cmp(&a.resets)
            .then_with(|| name(&a.user).cmp(name(&b.user)))
    });
    order::sort_by(&mut answers.suspicious, |a, b| {
        a.rule
            .cmp(&b.rule)
            .then(b.count.cmp(&a.count))
            .then_with(|| name(&a.user).cmp(name(&b.user)))
            .then(a.first.cmp(&b.first))
    });
    answers.attempts = f.attempts;
    answers.rows = rows;
    answers
}

/// Groups attempts by their text: documented sentences merge their spelling variants.
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
    order::sort_by(&mut all, |a, b| {
        b.count.cmp(&a.count).then_with(|| label(a).cmp(&label(b)))
    });
    for issue in &mut all {
        order::sort_by(&mut issue.texts, |a, b| a.cmp(b));
    }
    let unsuccessful = all
        .iter()
        .filter(|i| i.result != ResetResult::Succeeded)
        .cloned()
        .collect();
    (all, unsuccessful)
}

/// The rows of a range of the flat row list.
fn span<'r>(rows: &'r [u32], range: &std::ops::Range<u32>) -> &'r [u32] {
    &rows[range.start as usize..range.end as usize]
}

fn rows_of(attempts: &[&&Attempt], rows: &[u32]) -> Vec<u32> {
    attempts
        .iter()
        .flat_map(|a| span(rows, &a.rows).iter().copied())
        .collect()
}

fn blocked_finding(user: Sym, attempts: &[&Attempt], rows: &[u32]) -> Option<Finding> {
    let blocked: Vec<&&Attempt> = attempts
        .iter()
        .filter(|a| a.result == ResetResult::Blocked)
        .collect();
    let (first, last) = (blocked.first()?, blocked.last()?);
    let mut texts: FxHashMap<Sym, usize> = FxHashMap::default();
    for a in &blocked {
        *texts.entry(a.detail).or_insert(0) += 1;
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
        rows: rows_of(&blocked, rows),
    })
}

/// The busiest 24-hour window of a user's attempts (sorted by time), if it holds more
/// than [`BURST_THRESHOLD`] attempts.
fn burst_finding(user: Sym, attempts: &[&Attempt], rows: &[u32]) -> Option<Finding> {
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
    // The window is collected only for a burst: most users have a few attempts, and a
    // window for each of them took ~13 % of the answers' time in the page's build
    // (classic 75k, in Node: 19 -> 16.5 ms).
    (e - s + 1 > BURST_THRESHOLD).then(|| {
        let window: Vec<&&Attempt> = attempts[s..=e].iter().collect();
        Finding {
            rule: Rule::Burst,
            user,
            count: window.len() as u64,
            first: attempts[s].at,
            last: attempts[e].at,
            related: Sym::EMPTY,
            rows: rows_of(&window, rows),
        }
    })
}

/// Successful resets within 24 hours after the user's security info was registered or
/// changed: one finding per user, counting such resets.
fn after_info_change(
    user: Sym,
    attempts: &[&Attempt],
    changes: Option<&Vec<(Millis, u32)>>,
    all_rows: &[u32],
) -> Option<Finding> {
    let changes = changes?;
    let mut rows = Vec::new();
    let (mut count, mut first, mut last) = (0, Millis::MAX, Millis::MIN);
    for a in attempts
        .iter()
        .filter(|a| a.result == ResetResult::Succeeded)
    {
        let change = changes
            .iter()
            .filter(|(t, _)| *t <= a.at && a.at - *t <= AFTER_INFO_CHANGE_WINDOW)
            .max_by_key(|(t, _)| *t);
        if let Some(&(t, row)) = change {
            count += 1;
            first = first.min(t);
            last = last.max(a.at);
            rows.push(row);
            rows.extend(span(all_rows, &a.rows).iter().copied());
        }
    }
    (count > 0).then_some(Finding {
        rule: Rule::ResetAfterInfoChange,
        user,
        count,
        first,
        last,
        related: Sym::EMPTY,
        rows,
    })
}

/// Successful resets from an IP address the user had not used before in the loaded data
/// (only when they had used others: a first-ever event proves nothing). The address is
/// new when its first use by the user is not before the attempt started.
fn new_ip(user: Sym, attempts: &[&Attempt], f: &Facts, rows: &[u32]) -> Option<Finding> {
    let first_any = f.first_uses.first_any(user)?;
    let mut found: Option<Finding> = None;
    for a in attempts
        .iter()
        .filter(|a| a.result == ResetResult::Succeeded && !a.ip.is_empty())
    {
        let first_here = f.first_uses.first(user, a.ip).unwrap_or(a.start);
        if first_any >= a.start || first_here < a.start {
            continue;
        }
        let finding = found.get_or_insert(Finding {
            rule: Rule::NewIp,
            user,
            count: 0,
            first: a.at,
            last: a.at,
            related: a.ip,
            rows: Vec::new(),
        });
        finding.count += 1;
        finding.last = a.at;
        finding.rows.extend(span(rows, &a.rows).iter().copied());
    }
    found
}

/// Admins resetting [`BULK_RESET_USERS`] or more different users' passwords within
/// [`BULK_RESET_WINDOW`]: the busiest window per admin.
fn bulk_resets(resets: &[AdminReset]) -> Vec<Finding> {
    let mut by_admin: FxHashMap<Sym, Vec<&AdminReset>> = FxHashMap::default();
    for r in resets {
        by_admin.entry(r.admin).or_default().push(r);
    }
    let mut out = Vec::new();
    for (admin, list) in by_admin {
        let mut best: Option<(usize, usize, usize)> = None;
        let mut start = 0;
        for end in 0..list.len() {
            while list[end].at - list[start].at >= BULK_RESET_WINDOW {
                start += 1;
            }
            let users: FxHashSet<Sym> = list[start..=end].iter().map(|r| r.target).collect();
            if best.is_none_or(|(_, _, n)| users.len() > n) {
                best = Some((start, end, users.len()));
            }
        }
        if let Some((s, e, n)) = best.filter(|b| b.2 >= BULK_RESET_USERS) {
            out.push(Finding {
                rule: Rule::AdminBulkReset,
                user: admin,
                count: n as u64,
                first: list[s].at,
                last: list[e].at,
                related: Sym::EMPTY,
                rows: list[s..=e].iter().map(|r| r.row).collect(),
            });
        }
    }
    out
}

/// Indices of the counted events at or before `as_of` that pass `keep`.
fn counted_rows(data: &Dataset, as_of: Millis, keep: impl Fn(&Event) -> bool) -> Vec<u32> {
    data.events
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.duplicate && e.at <= as_of && keep(e))
        .map(|(i, _)| i as u32)
        .collect()
}

impl Answers {
    pub fn registered_families(&self) -> impl Iterator<Item = (MethodFamily, u64)> + '_ {
        MethodFamily::ALL
            .into_iter()
            .map(|f| (f, self.registered_data[f.index()]))
    }

    pub fn services(&self) -> impl Iterator<Item = (Service, u64)> + '_ {
        Service::ALL
            .into_iter()
            .map(|s| (s, self.events_by_service[s as usize]))
    }

    /// The rows behind a number, sorted and without repeats.
    pub fn rows_behind(&self, data: &Dataset, what: &RowsOf) -> Vec<u32> {
        let rows: Vec<u32> = match what {
            RowsOf::Attempts(q) => {
                let lookup = Lookup::of(self, q);
                let mut rows = Vec::new();
                for a in self.attempts.iter().filter(|a| self.matches(a, q, &lookup)) {
                    rows.extend_from_slice(span(&self.rows, &a.rows));
                }
                rows
            }
            RowsOf::Registrations(family) => self
                .registered
                .iter()
                .filter(|r| family.is_none_or(|f| r.families.contains(f)))
                .flat_map(|r| r.rows.iter().copied())
                .filter(|&row| {
                    family.is_none_or(|f| {
                        let e = &data.events[row as usize];
                        e.methods.contains(f) || e.methods.is_empty()
                    })
                })
                .collect(),
            RowsOf::AdminResets => self.admin_resets.iter().map(|r| r.row).collect(),
            RowsOf::Session(k) => self
                .sessions
                .get(*k)
                .map(|s| span(&self.rows, &s.rows).to_vec())
                .unwrap_or_default(),
            RowsOf::Status(status) => counted_rows(data, self.as_of, |e| {
                is_password_event(e) && e.status == *status
            }),
            RowsOf::Reason(text, status) => counted_rows(data, self.as_of, |e| {
                is_password_event(e) && e.detail == *text && e.status == *status
            }),
            RowsOf::Finding(k) => self
                .suspicious
                .get(*k)
                .map(|f| f.rows.clone())
                .unwrap_or_default(),
        };
        in_order_once(rows, data.events.len())
    }

    fn matches(&self, a: &Attempt, q: &AttemptQuery, lookup: &Lookup) -> bool {
        q.result.is_none_or(|r| a.result == r)
            && q.family.is_none_or(|f| a.methods.contains(f))
            && (!q.recent || a.at > self.as_of - RECENT_WINDOW)
            && q.user.is_none_or(|u| a.user == u)
            && (!q.admins || lookup.admins.contains(&a.user))
            && q.issue.is_none_or(|(key, result)| {
                lookup.texts.binary_search(&a.detail).is_ok()
                    && match key {
                        IssueKey::Documented(_) => true,
                        IssueKey::Unknown(_) => a.result == result,
                    }
            })
    }
}

/// What an [`AttemptQuery`] compares attempts with, looked up once per query.
struct Lookup<'a> {
    /// The texts of the queried issue (sorted): every attempt's text is in the Details
    /// table, whose groups hold every text of their key.
    texts: &'a [Sym],
    admins: FxHashSet<Sym>,
}

impl<'a> Lookup<'a> {
    fn of(answers: &'a Answers, q: &AttemptQuery) -> Lookup<'a> {
        Lookup {
            texts: q
                .issue
                .and_then(|(key, _)| answers.details.iter().find(|i| i.key == key))
                .map_or(&[], |i| i.texts.as_slice()),
            admins: if q.admins {
                answers
                    .admins_self_resetting
                    .iter()
                    .map(|x| x.user)
                    .collect()
            } else {
                FxHashSet::default()
            },
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::dates::{scan, DateOrder};
    use crate::report::ingest::load;

    /// `rows` of `events` in order, once each: by the table of all rows (many rows) or
    /// sorted (few, or one out of range) alike.
    fn check_in_order(rows: &[u32], events: usize, expected: &[u32]) {
        assert_eq!(
            in_order_once(rows.to_vec(), events),
            expected,
            "{rows:?} of {events}"
        );
    }

    #[test]
    fn rows_behind_come_in_order_once_each() {
        check_in_order(&[5, 1, 5, 3, 0, 3], 6, &[0, 1, 3, 5]);
        check_in_order(&[5, 1, 5, 3, 0, 3], 1_000, &[0, 1, 3, 5]);
        check_in_order(&[2, 9, 2], 4, &[2, 9]);
        check_in_order(&[], 4, &[]);
        let many: Vec<u32> = (0..5_000).rev().map(|k| k / 2 * 2).collect();
        let expected: Vec<u32> = (0..2_500).map(|k| k * 2).collect();
        check_in_order(&many, 5_000, &expected);
    }

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
        assert_eq!(first.last_registered, Some(at("2017-07-05 10:00")));
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

    #[test]
    fn rows_behind_an_issue_or_the_admins_are_their_attempts_rows() {
        let d = data(
            &[
                "a@x.com,User,2017-07-10 10:00,,Cancelled,User cancelled before submitting a new password",
                "b@x.com,User,2017-07-10 11:00,,Canceled,user canceled before submitting a new password.",
                "c@x.com,User,2017-07-10 12:00,,Failed,Something new went wrong",
                "d@x.com,User,2017-07-10 13:00,,Abandoned,Something new went wrong",
                "boss@x.com,Global Administrator,2017-07-10 14:00,Mobile Phone,Succeeded,User successfully reset password",
                "e@x.com,User,2017-07-10 15:00,Mobile Phone,Succeeded,User successfully reset password",
            ],
            &[],
        );
        let a = compute(&d, at("2017-07-17 00:00"));
        let check = |q: AttemptQuery, expected: &[u32]| {
            assert_eq!(
                a.rows_behind(&d, &RowsOf::Attempts(q.clone())),
                expected,
                "{q:?}"
            );
        };
        let issue = |key, result| AttemptQuery {
            issue: Some((key, result)),
            ..AttemptQuery::default()
        };
        let cancelled = a.issues[0].key;
        assert!(matches!(cancelled, IssueKey::Documented(_)));
        // A documented sentence: every spelling, whatever result is asked.
        check(issue(cancelled, ResetResult::Cancelled), &[0, 1]);
        check(issue(cancelled, ResetResult::Failed), &[0, 1]);
        // Unknown text: only the attempts with the result asked.
        let unknown = IssueKey::Unknown(d.strings.lookup("Something new went wrong").unwrap());
        check(issue(unknown, ResetResult::Failed), &[2]);
        check(issue(unknown, ResetResult::Abandoned), &[3]);
        check(issue(unknown, ResetResult::Succeeded), &[]);
        check(
            issue(IssueKey::Unknown(Sym::EMPTY), ResetResult::Failed),
            &[],
        );
        check(
            AttemptQuery {
                admins: true,
                ..AttemptQuery::default()
            },
            &[4],
        );
        check(
            AttemptQuery {
                admins: true,
                result: Some(ResetResult::Failed),
                ..AttemptQuery::default()
            },
            &[],
        );
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
