//! Reset sessions: the self-service reset events of the audit log that share a
//! CorrelationId are one session — one reset attempt (FORMATS.md §7). A session knows
//! its user, span, steps, methods started and completed, how far it got and its outcome.

use rustc_hash::FxHashMap;

use super::activity::{Activity, Status};
use super::catalogue::match_detail;
use super::dates::Millis;
use super::intern::Sym;
use super::methods::{MethodFamily, MethodSet};
use super::model::{Dataset, Event, EventKind};
use super::outcome::ResetResult;

/// How far a session got, in the order of the reset flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FunnelStep {
    UserIdSubmitted,
    VerificationStarted,
    VerificationCompleted,
    NewPasswordSubmitted,
    ResetDone,
}

impl FunnelStep {
    pub const ALL: [FunnelStep; 5] = [
        FunnelStep::UserIdSubmitted,
        FunnelStep::VerificationStarted,
        FunnelStep::VerificationCompleted,
        FunnelStep::NewPasswordSubmitted,
        FunnelStep::ResetDone,
    ];

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub correlation: Sym,
    pub user: Sym,
    pub start: Millis,
    pub end: Millis,
    pub steps: u32,
    pub started: MethodSet,
    pub completed: MethodSet,
    pub furthest: Option<FunnelStep>,
    pub result: ResetResult,
    /// The text that decided the outcome, or the last step when the log records none.
    pub reason: Sym,
    pub ip: Sym,
    /// Where the session's events (indices into the dataset, in time order) are in the
    /// flat row list `sessions` returns.
    pub rows: std::ops::Range<u32>,
}

/// What one step's text says: the funnel step and the method it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepText {
    pub step: Option<FunnelStep>,
    pub started: MethodSet,
    pub completed: MethodSet,
}

/// Reads a flow-progress ResultReason ("User started the mobile SMS verification option").
pub fn read_step(text: &str) -> StepText {
    let t = text.trim().to_ascii_lowercase();
    let mut out = StepText {
        step: None,
        started: MethodSet::EMPTY,
        completed: MethodSet::EMPTY,
    };
    if t.contains("submitted their user id") || t.contains("presented with verification options") {
        out.step = Some(FunnelStep::UserIdSubmitted);
    } else if let Some(rest) = t.strip_prefix("user started the ") {
        out.step = Some(FunnelStep::VerificationStarted);
        out.started = methods_in(rest);
    } else if t.contains("completed all verification steps") {
        out.step = Some(FunnelStep::VerificationCompleted);
    } else if let Some(rest) = t.strip_prefix("user completed the ") {
        out.step = Some(FunnelStep::VerificationStarted);
        out.completed = methods_in(rest);
        out.started = out.completed;
    } else if t.contains("submitted a new password") {
        out.step = Some(FunnelStep::NewPasswordSubmitted);
    } else if t.contains("successfully completed reset")
        || t.contains("successfully reset password")
    {
        out.step = Some(FunnelStep::ResetDone);
    }
    out
}

/// Method families named in a sentence ("… the mobile SMS verification option"). The
/// option a sentence names ("the X verification option") is read whole when it is a
/// method name the phrases also recognise, so "alternate mobile phone" is not also
/// "mobile phone"; other words are searched for method phrases.
pub fn methods_in(text: &str) -> MethodSet {
    let t = text.to_ascii_lowercase();
    if let Some((start, end)) = named_option(&t) {
        let option = &t[start..end];
        let family = MethodFamily::of_name(option);
        // Only where the phrases found a method in the option too: an option the phrases
        // do not know ("text", "phone") stays unnamed, as it always was.
        if family != MethodFamily::Other && !phrases_in(option).is_empty() {
            return phrases_in(&t[..start])
                .union(phrases_in(&t[end..]))
                .with(family);
        }
    }
    phrases_in(&t)
}

/// Where X is in "… the X verification option" (or "X verification option").
fn named_option(t: &str) -> Option<(usize, usize)> {
    let end = t.find(" verification option")?;
    let before = &t[..end];
    let start = match before.rfind(" the ") {
        Some(i) => i + " the ".len(),
        None if before.starts_with("the ") => "the ".len(),
        None => 0,
    };
    Some((start, end))
}

/// Method families whose phrases occur anywhere in lower-case text.
fn phrases_in(t: &str) -> MethodSet {
    let mut set = MethodSet::EMPTY;
    for (phrase, family) in [
        ("email", MethodFamily::Email),
        ("sms", MethodFamily::MobilePhone),
        ("mobile voice", MethodFamily::MobilePhone),
        ("mobile phone", MethodFamily::MobilePhone),
        ("verify a phone", MethodFamily::MobilePhone),
        ("office", MethodFamily::OfficePhone),
        ("alternate mobile", MethodFamily::AlternateMobilePhone),
        ("security question", MethodFamily::SecurityQuestions),
        ("app notification", MethodFamily::AuthenticatorApp),
        ("app code", MethodFamily::AuthenticatorApp),
        ("authenticator", MethodFamily::AuthenticatorApp),
    ] {
        if t.contains(phrase) {
            set = set.with(family);
        }
    }
    set
}

/// Where a reset session step sorts: (correlation, 0 or — without a CorrelationId, when
/// the event is a session of its own — its row + 1, time, row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SessionKey(u32, u32, Millis, u32);

impl SessionKey {
    /// The key of the event at `row` if it is a reset session step. The caller decides
    /// which events count (not duplicates, at or before the as-of instant).
    pub fn of(row: u32, e: &Event) -> Option<SessionKey> {
        if e.kind != EventKind::Audit || !e.activity.is_reset_session_step() {
            return None;
        }
        let loose = if e.correlation.is_empty() { row + 1 } else { 0 };
        Some(SessionKey(e.correlation.0, loose, e.at, row))
    }
}

/// Groups session steps into sessions, by start time, with the flat list of their rows
/// that each session's `rows` range points into. Putting the keys in order (correlation,
/// time, row) groups every session; nothing is allocated per session. The keys are put
/// in order when it is made, then each [`Grouping::step`] makes the sessions of about
/// `budget` more steps, and [`Grouping::finish`] gives them.
pub struct Grouping {
    keys: Vec<SessionKey>,
    rows: Vec<u32>,
    /// What each distinct text says is worked out once, not once per event.
    texts: FxHashMap<Sym, Text>,
    sessions: Vec<Session>,
    /// The first key not yet in a session.
    next: usize,
}

impl Grouping {
    pub fn new(data: &Dataset, keys: Vec<SessionKey>) -> Grouping {
        let keys = in_order(keys, data.strings.len());
        let rows = keys.iter().map(|k| k.3).collect();
        Grouping {
            keys,
            rows,
            texts: FxHashMap::default(),
            sessions: Vec::new(),
            next: 0,
        }
    }

    /// Makes sessions from at least `budget` more keys (a session is never split);
    /// true when every key is in one.
    pub fn step(&mut self, data: &Dataset, budget: usize) -> bool {
        let keys = &self.keys;
        let stop = self.next.saturating_add(budget.max(1)).min(keys.len());
        while self.next < stop {
            let start = self.next;
            let group = (keys[start].0, keys[start].1);
            let end = start
                + keys[start..]
                    .iter()
                    .take_while(|k| (k.0, k.1) == group)
                    .count();
            let session = session(data, &self.rows, start..end, &mut self.texts);
            self.sessions.push(session);
            self.next = end;
        }
        self.next == keys.len()
    }

    /// The sessions by start time, and the flat row list.
    pub fn finish(self) -> (Vec<Session>, Vec<u32>) {
        let (mut out, rows) = (self.sessions, self.rows);
        out.sort_by_cached_key(|s| (s.start, s.end, rows[s.rows.start as usize]));
        (out, rows)
    }
}

/// The keys sorted: by correlation first with a counting sort (symbols are dense, below
/// `symbols`), then each correlation's few steps. Sorting them all at once was most of
/// the grouping's time at a million events.
fn in_order(keys: Vec<SessionKey>, symbols: usize) -> Vec<SessionKey> {
    let Some(&first) = keys.first() else {
        return keys;
    };
    if keys.iter().any(|k| k.0 as usize >= symbols) {
        let mut keys = keys;
        keys.sort_unstable();
        return keys;
    }
    // `next[c]`: where the next key of correlation `c` goes.
    let mut next = vec![0u32; symbols + 1];
    for k in &keys {
        next[k.0 as usize + 1] += 1;
    }
    for c in 1..next.len() {
        next[c] += next[c - 1];
    }
    let mut sorted = vec![first; keys.len()];
    for k in keys {
        let at = &mut next[k.0 as usize];
        sorted[*at as usize] = k;
        *at += 1;
    }
    // Now `next[c]` is where correlation `c`'s keys end.
    let mut start = 0;
    for &end in &next[..symbols] {
        let steps = &mut sorted[start..end as usize];
        if !steps.is_sorted() {
            steps.sort_unstable();
        }
        start = end as usize;
    }
    sorted
}

/// A step text's meaning: its funnel step and methods, and the documented sentence.
#[derive(Clone, Copy)]
struct Text {
    step: StepText,
    documented: Option<ResetResult>,
}

/// One session from its (non-empty) range of the flat row list.
fn session(
    data: &Dataset,
    all_rows: &[u32],
    range: std::ops::Range<usize>,
    texts: &mut FxHashMap<Sym, Text>,
) -> Session {
    let rows = &all_rows[range.clone()];
    let events = || rows.iter().map(|&i| &data.events[i as usize]);
    let first = &data.events[rows[0] as usize];
    let mut s = Session {
        correlation: first.correlation,
        user: events()
            .map(|e| e.user)
            .find(|u| !u.is_empty())
            .unwrap_or(Sym::EMPTY),
        start: first.at,
        end: data.events[rows[rows.len() - 1] as usize].at,
        steps: rows.len() as u32,
        started: MethodSet::EMPTY,
        completed: MethodSet::EMPTY,
        furthest: None,
        result: ResetResult::Abandoned,
        reason: Sym::EMPTY,
        ip: events()
            .map(|e| e.ip)
            .find(|ip| !ip.is_empty())
            .unwrap_or(Sym::EMPTY),
        rows: 0..0,
    };
    let mut blocked = None;
    let mut done = None;
    let mut documented = None;
    let mut failure = None;
    let mut last_step = Sym::EMPTY;
    for e in events() {
        let text = *texts.entry(e.detail).or_insert_with(|| {
            let text = data.strings.get(e.detail);
            Text {
                step: read_step(text),
                documented: match_detail(text).map(|id| id.entry().result),
            }
        });
        let step = text.step;
        s.started = s.started.union(step.started).union(e.methods);
        s.completed = s.completed.union(step.completed);
        let mut reached = step.step;
        match e.activity {
            Activity::SsprBlocked => blocked = Some(e.detail),
            Activity::SsprReset if e.status == Status::Success => {
                reached = Some(FunnelStep::ResetDone)
            }
            _ => {}
        }
        if reached == Some(FunnelStep::ResetDone) && e.status != Status::Failure {
            done = Some(e.detail);
        }
        if let Some(r) = reached {
            s.furthest = s.furthest.max(Some(r));
        }
        if let Some(result) = text.documented {
            match result {
                ResetResult::Succeeded => done = done.or(Some(e.detail)),
                ResetResult::Blocked => blocked = blocked.or(Some(e.detail)),
                result => documented = Some((result, e.detail)),
            }
        } else if e.status == Status::Failure && !e.detail.is_empty() {
            failure = Some(e.detail);
        }
        if !e.detail.is_empty() {
            last_step = e.detail;
        }
    }
    if s.furthest == Some(FunnelStep::NewPasswordSubmitted) || done.is_some() {
        s.furthest = s.furthest.max(Some(FunnelStep::VerificationCompleted));
    }
    (s.result, s.reason) = if let Some(reason) = blocked {
        (ResetResult::Blocked, reason)
    } else if let Some(reason) = done {
        (ResetResult::Succeeded, reason)
    } else if let Some((result, reason)) = documented {
        (result, reason)
    } else if let Some(reason) = failure {
        (ResetResult::Failed, reason)
    } else {
        (ResetResult::Abandoned, last_step)
    };
    if s.result == ResetResult::Succeeded {
        s.furthest = Some(FunnelStep::ResetDone);
    }
    s.rows = range.start as u32..range.end as u32;
    s
}

/// The funnel over sessions: how many reached each step, and per method how many
/// sessions started and completed it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Funnel {
    pub reached: [u64; 5],
    pub started: [u64; 7],
    pub completed: [u64; 7],
}

pub fn funnel<'a>(sessions: impl IntoIterator<Item = &'a Session>) -> Funnel {
    let mut f = Funnel::default();
    for s in sessions {
        if let Some(furthest) = s.furthest {
            for step in FunnelStep::ALL.into_iter().filter(|st| *st <= furthest) {
                f.reached[step.index()] += 1;
            }
        }
        for m in s.started.iter() {
            f.started[m.index()] += 1;
        }
        for m in s.completed.iter() {
            f.completed[m.index()] += 1;
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        text: &str,
        step: Option<FunnelStep>,
        started: &[MethodFamily],
        completed: &[MethodFamily],
    ) {
        let got = read_step(text);
        assert_eq!(got.step, step, "{text}");
        assert_eq!(got.started.iter().collect::<Vec<_>>(), started, "{text}");
        assert_eq!(
            got.completed.iter().collect::<Vec<_>>(),
            completed,
            "{text}"
        );
    }

    #[test]
    fn flow_progress_texts() {
        use FunnelStep::*;
        use MethodFamily::*;
        check(
            "User submitted their user ID",
            Some(UserIdSubmitted),
            &[],
            &[],
        );
        check(
            "User was presented with verification options",
            Some(UserIdSubmitted),
            &[],
            &[],
        );
        check(
            "User started the mobile SMS verification option",
            Some(VerificationStarted),
            &[MobilePhone],
            &[],
        );
        check(
            "User started the office voice call verification option",
            Some(VerificationStarted),
            &[OfficePhone],
            &[],
        );
        check(
            "User completed the email verification option",
            Some(VerificationStarted),
            &[Email],
            &[Email],
        );
        check(
            "User started the mobile app notification verification option",
            Some(VerificationStarted),
            &[AuthenticatorApp],
            &[],
        );
        check(
            "User completed all verification steps required to reset their password",
            Some(VerificationCompleted),
            &[],
            &[],
        );
        check(
            "User submitted a new password",
            Some(NewPasswordSubmitted),
            &[],
            &[],
        );
        check("Successfully completed reset.", Some(ResetDone), &[], &[]);
        check(
            "User successfully reset password",
            Some(ResetDone),
            &[],
            &[],
        );
        check("FuzzyPolicyViolationInvalidPassword", None, &[], &[]);
    }

    #[test]
    fn the_named_option_is_read_whole() {
        use FunnelStep::*;
        use MethodFamily::*;
        check(
            "User started the alternate mobile voice call verification option",
            Some(VerificationStarted),
            &[AlternateMobilePhone],
            &[],
        );
        check(
            "User completed the alternate mobile phone verification option",
            Some(VerificationStarted),
            &[AlternateMobilePhone],
            &[AlternateMobilePhone],
        );
        check(
            "User started the mobile voice call verification option",
            Some(VerificationStarted),
            &[MobilePhone],
            &[],
        );
        check(
            "User started the security questions verification option",
            Some(VerificationStarted),
            &[SecurityQuestions],
            &[],
        );
        check(
            "User started the mobile app code verification option",
            Some(VerificationStarted),
            &[AuthenticatorApp],
            &[],
        );
        // Not a method name: the words are searched as before.
        check(
            "User started the new email verification option",
            Some(VerificationStarted),
            &[Email],
            &[],
        );
    }

    fn check_methods(text: &str, expected: &[MethodFamily]) {
        assert_eq!(
            methods_in(text).iter().collect::<Vec<_>>(),
            expected,
            "{text}"
        );
    }

    #[test]
    fn reason_sentences_name_their_methods() {
        use MethodFamily::*;
        check_methods(
            "User abandoned after starting the alternate mobile voice call verification option",
            &[AlternateMobilePhone],
        );
        check_methods(
            "User abandoned after completing the mobile SMS verification option",
            &[MobilePhone],
        );
        check_methods(
            "User contacted an admin after trying the security question verification option",
            &[SecurityQuestions],
        );
        check_methods(
            "User contacted an admin after trying the office voice call verification option",
            &[OfficePhone],
        );
        check_methods(
            "User tried to verify a phone number too many times and is blocked for 24 hours",
            &[MobilePhone],
        );
        check_methods("", &[]);
    }

    /// Sessions of flow-progress steps, one per list of step texts (in time order).
    fn funnel_of(sessions_steps: &[&[&str]]) -> Funnel {
        let mut data = Dataset::default();
        let mut at = 0;
        for (k, steps) in sessions_steps.iter().enumerate() {
            let correlation = data.strings.intern(&format!("c{k}"));
            for step in *steps {
                at += 1000;
                let detail = data.strings.intern(step);
                data.events.push(Event {
                    at,
                    correlation,
                    detail,
                    activity: Activity::SsprFlowProgress,
                    status: Status::Success,
                    ..Event::new(EventKind::Audit)
                });
            }
        }
        let answers = crate::report::answers::compute(&data, at);
        assert_eq!(answers.sessions.len(), sessions_steps.len());
        answers.funnel
    }

    #[test]
    fn an_alternate_mobile_session_is_not_a_mobile_phone_session() {
        let f = funnel_of(&[
            &[
                "User submitted their user ID",
                "User started the alternate mobile voice call verification option",
                "User completed the alternate mobile phone verification option",
            ],
            &["User started the mobile SMS verification option"],
        ]);
        let alternate = MethodFamily::AlternateMobilePhone.index();
        let mobile = MethodFamily::MobilePhone.index();
        assert_eq!((f.started[alternate], f.completed[alternate]), (1, 1));
        assert_eq!((f.started[mobile], f.completed[mobile]), (1, 0));
    }

    #[test]
    fn keys_come_in_the_order_one_full_sort_gives() {
        let sorted = |keys: &[SessionKey], symbols| {
            let mut want = keys.to_vec();
            want.sort_unstable();
            assert_eq!(in_order(keys.to_vec(), symbols), want, "{keys:?}");
        };
        sorted(&[], 1);
        // Correlations 0 (none: each step its own session) to 3, newest first, with ties.
        let keys: Vec<SessionKey> = (0..40u32)
            .map(|row| {
                let c = (row * 7) % 4;
                let loose = if c == 0 { row + 1 } else { 0 };
                SessionKey(c, loose, 1_000 - i64::from(row / 3), row)
            })
            .collect();
        sorted(&keys, 4);
        // A symbol past the table (never from a real dataset) still sorts.
        sorted(&[SessionKey(9, 0, 5, 1), SessionKey(1, 0, 3, 0)], 4);
    }
}
