//! The project's deterministic generator: a [`Scenario`] of users, registrations and
//! reset attempts with planted findings, written as classic CSV exports in any locale
//! style, and its known answers ([`Expected`]) computed straight from the scenario —
//! not through the parser — so tests can check the viewer against them.

mod audit;
mod expected;

pub use audit::{AuditEvent, AuditLog};
pub use expected::{Expected, Knowledge};

use super::catalogue::{DetailId, CATALOGUE};
use super::dates::{Millis, DAY, HOUR};
use super::export::write_record;
use super::methods::MethodFamily;
use super::outcome::ResetResult;

const MINUTE: Millis = 60_000;

/// SplitMix64: small, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Person {
    /// As written in the files (case may vary from row to row for planted users).
    pub upn: String,
    pub role: &'static str,
}

#[derive(Clone, Debug)]
pub struct Registration {
    pub user: usize,
    pub at: Millis,
    pub data: Vec<MethodFamily>,
}

#[derive(Clone, Debug)]
pub struct ResetAttempt {
    pub user: usize,
    pub at: Millis,
    pub methods: Vec<MethodFamily>,
    pub result: ResetResult,
    /// The documented sentence, or an undocumented text.
    pub detail: Detail,
    /// Write the UPN in upper case in this row (case-insensitive matching).
    pub shout_user: bool,
    /// Write a spelling variant of the Result and Details (Canceled, lower case, period).
    pub variant: bool,
    /// In the audit log, comes from an address the user never used before.
    pub new_ip: bool,
}

/// A password reset an admin did for another user (audit log only).
#[derive(Clone, Debug)]
pub struct AdminReset {
    pub admin: usize,
    pub target: usize,
    pub at: Millis,
    /// From the portal: `Reset password (by admin)` with Core Directory's `Reset user
    /// password`; otherwise Core Directory's event alone (PowerShell, Graph).
    pub portal: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    Documented(DetailId),
    Undocumented(&'static str),
}

#[derive(Clone, Debug)]
pub struct Scenario {
    pub people: Vec<Person>,
    pub registrations: Vec<Registration>,
    pub attempts: Vec<ResetAttempt>,
    pub admin_resets: Vec<AdminReset>,
    /// The latest event: the default "as of".
    pub end: Millis,
    pub seed: u64,
}

#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub seed: u64,
    pub users: usize,
    pub attempts: usize,
    pub days: i64,
    pub end: Millis,
}

/// 2017-07-17T17:38:00Z, the date of the documentation's own example.
pub const SAMPLE_END: Millis = 1_500_313_080_000;

impl Params {
    /// The built-in sample: about the size of the documentation's example.
    pub fn sample() -> Params {
        Params {
            seed: 2017,
            users: 600,
            attempts: 1_500,
            days: 30,
            end: SAMPLE_END,
        }
    }

    /// The built-in audit-log sample: fewer attempts, every planted case.
    pub fn audit_sample() -> Params {
        Params {
            seed: 2026,
            users: 400,
            attempts: 600,
            days: 30,
            end: 1_781_540_280_000, // 2026-06-15T16:18:00Z
        }
    }

    /// About a million audit-log events (with `audit_log`): 115,000 reset sessions,
    /// registrations, admin resets and noise.
    pub fn million_events() -> Params {
        Params {
            seed: 1_000_000,
            users: 60_000,
            attempts: 115_000,
            days: 30,
            end: SAMPLE_END,
        }
    }

    /// A full classic report: 75,000 reset rows.
    pub fn full_report() -> Params {
        Params {
            seed: 75_000,
            users: 30_000,
            attempts: 75_000,
            days: 30,
            end: SAMPLE_END,
        }
    }
}

const FIRST: [&str; 24] = [
    "anna", "bram", "chen", "daan", "emma", "femke", "gustav", "hana", "ingrid", "jan", "karin",
    "lars", "mei", "nils", "olga", "pieter", "qing", "ruben", "sanne", "tom", "ulla", "vera",
    "wei", "zoë",
];
const LAST: [&str; 20] = [
    "andersson",
    "bakker",
    "chang",
    "de vries",
    "eriksson",
    "fischer",
    "groot",
    "huang",
    "jansen",
    "karlsson",
    "lin",
    "meijer",
    "nilsson",
    "olsen",
    "peeters",
    "svensson",
    "wang",
    "visser",
    "wu",
    "åberg",
];
const CLASSIC: [MethodFamily; 4] = [
    MethodFamily::Email,
    MethodFamily::MobilePhone,
    MethodFamily::OfficePhone,
    MethodFamily::SecurityQuestions,
];

/// Planted people, by index in `people`.
pub mod planted {
    pub const GLOBAL_ADMIN: usize = 0; // 6 successful self-resets
    pub const PASSWORD_ADMIN: usize = 1; // 3
    pub const HELPDESK_ADMIN: usize = 2; // 1, plus an abandoned attempt
    pub const USER_ADMIN: usize = 3; // one failed attempt: not a self-resetting admin
    pub const QUIET_ADMIN: usize = 4; // registers only
    pub const BURST: usize = 5; // 7 attempts within 5 hours, then blocked
    pub const BLOCKED_FIRST: usize = 6; // 6..=10: one blocked attempt each
    pub const EDGE_OUT: usize = 11; // succeeded exactly 7 days before the end: outside
    pub const EDGE_IN: usize = 12; // succeeded 7 days less a minute before: inside
    pub const MIXED_CASE: usize = 13; // UPN written in upper case in some rows
    pub const LAST_EVENT: usize = 14; // the attempt at the end instant
    pub const NEW_IP: usize = 15; // resets once from an address never used before
    pub const COUNT: usize = 16;
}

fn person_name(i: usize) -> String {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()].replace(' ', "");
    let n = i / (FIRST.len() * LAST.len());
    if n == 0 {
        format!("{first}.{last}@contoso.com")
    } else {
        format!("{first}.{last}{n}@contoso.com")
    }
}

pub fn scenario(params: Params) -> Scenario {
    use planted::*;
    let mut rng = Rng::new(params.seed);
    let users = params.users.max(COUNT + 10);
    let roles = [
        "Global Administrator",
        "Password Administrator",
        "Helpdesk Administrator",
        "User Administrator",
        "Global Administrator",
    ];
    let people: Vec<Person> = (0..users)
        .map(|i| Person {
            upn: person_name(i),
            role: if i < roles.len() { roles[i] } else { "User" },
        })
        .collect();
    let end = params.end - params.end % MINUTE;
    let start = end - params.days * DAY;
    let random_time = |rng: &mut Rng, from: Millis, to: Millis| -> Millis {
        let minutes = ((to - from) / MINUTE).max(1) as u64;
        from + rng.below(minutes) as Millis * MINUTE
    };

    // Registrations: 70% of people, a tenth of them twice; the quiet admin too.
    let mut registrations = Vec::new();
    for user in 0..users {
        if user != QUIET_ADMIN && !rng.chance(70) {
            continue;
        }
        for _ in 0..if rng.chance(10) { 2 } else { 1 } {
            let mut data = vec![*rng.pick(&CLASSIC)];
            if rng.chance(45) {
                let second = *rng.pick(&CLASSIC);
                if !data.contains(&second) {
                    data.push(second);
                }
            }
            data.sort();
            registrations.push(Registration {
                user,
                at: random_time(&mut rng, start, end - HOUR),
                data,
            });
        }
    }

    let mut attempts = Vec::new();
    let documented = |result: ResetResult| -> Vec<DetailId> {
        (0..CATALOGUE.len() as u8)
            .map(DetailId)
            .filter(|d| d.entry().result == result)
            .collect()
    };
    let success = || Detail::Documented(documented(ResetResult::Succeeded)[0]);
    let two_methods = |rng: &mut Rng| -> Vec<MethodFamily> {
        let mut m = vec![*rng.pick(&CLASSIC)];
        if rng.chance(30) {
            let second = *rng.pick(&CLASSIC);
            if !m.contains(&second) {
                m.push(second);
            }
        }
        m.sort();
        m
    };
    let attempt = |user, at, methods, result, detail| ResetAttempt {
        user,
        at,
        methods,
        result,
        detail,
        shout_user: false,
        variant: false,
        new_ip: false,
    };

    // Planted admins.
    for (admin, resets) in [(GLOBAL_ADMIN, 6), (PASSWORD_ADMIN, 3), (HELPDESK_ADMIN, 1)] {
        for k in 0..resets {
            let at = start + (k as Millis * 4 + 1) * DAY + admin as Millis * HOUR;
            let methods = two_methods(&mut rng);
            attempts.push(attempt(
                admin,
                at,
                methods,
                ResetResult::Succeeded,
                success(),
            ));
        }
    }
    let abandoned = documented(ResetResult::Abandoned);
    attempts.push(attempt(
        HELPDESK_ADMIN,
        start + 20 * DAY,
        vec![],
        ResetResult::Abandoned,
        Detail::Documented(abandoned[5]),
    ));
    attempts.push(attempt(
        USER_ADMIN,
        start + 3 * DAY,
        vec![],
        ResetResult::Failed,
        Detail::Documented(documented(ResetResult::Failed)[1]),
    ));

    // A burst: 7 attempts within 5 hours, the last one blocked.
    let burst_start = start + 10 * DAY + 9 * HOUR;
    for k in 0..7 {
        let (result, detail) = if k == 6 {
            (
                ResetResult::Blocked,
                Detail::Documented(documented(ResetResult::Blocked)[0]),
            )
        } else {
            (ResetResult::Abandoned, Detail::Documented(abandoned[7]))
        };
        let at = burst_start + k * 45 * MINUTE;
        attempts.push(attempt(
            BURST,
            at,
            vec![MethodFamily::MobilePhone],
            result,
            detail,
        ));
    }

    // Five blocked users, one per documented Blocked sentence.
    for (k, id) in documented(ResetResult::Blocked).into_iter().enumerate() {
        let at = start + (12 + k as Millis) * DAY + 14 * HOUR;
        let user = BLOCKED_FIRST + k;
        attempts.push(attempt(
            user,
            at,
            detail_methods(id),
            ResetResult::Blocked,
            Detail::Documented(id),
        ));
    }

    // The 7-day window's edges, and the event that ends the data.
    let window_start = end - 7 * DAY;
    attempts.push(attempt(
        EDGE_OUT,
        window_start,
        vec![MethodFamily::Email],
        ResetResult::Succeeded,
        success(),
    ));
    attempts.push(attempt(
        EDGE_IN,
        window_start + MINUTE,
        vec![MethodFamily::Email],
        ResetResult::Succeeded,
        success(),
    ));
    attempts.push(attempt(
        LAST_EVENT,
        end,
        vec![MethodFamily::MobilePhone, MethodFamily::SecurityQuestions],
        ResetResult::Succeeded,
        success(),
    ));
    for k in 0..3 {
        let mut a = attempt(
            MIXED_CASE,
            start + (5 + 7 * k) * DAY,
            vec![MethodFamily::OfficePhone],
            ResetResult::Succeeded,
            success(),
        );
        a.shout_user = k != 1;
        attempts.push(a);
    }

    // Every documented sentence at least once, then random attempts by ordinary users,
    // at most three each (so no accidental bursts).
    let ordinary: Vec<usize> = (COUNT..users).collect();
    let mut per_user = vec![0u8; users];
    let mut next_user = |rng: &mut Rng| loop {
        let u = *rng.pick(&ordinary);
        if per_user[u] < 3 {
            per_user[u] += 1;
            return u;
        }
    };
    let non_blocked: Vec<DetailId> = (0..CATALOGUE.len() as u8)
        .map(DetailId)
        .filter(|d| d.entry().result != ResetResult::Blocked)
        .collect();
    for &id in &non_blocked {
        let user = next_user(&mut rng);
        let at = random_time(&mut rng, start, end - HOUR);
        let methods = if id.entry().result == ResetResult::Succeeded {
            two_methods(&mut rng)
        } else {
            detail_methods(id)
        };
        attempts.push(attempt(
            user,
            at,
            methods,
            id.entry().result,
            Detail::Documented(id),
        ));
    }
    for _ in 0..3 {
        let user = next_user(&mut rng);
        let at = random_time(&mut rng, start, end - HOUR);
        let text = "An unexpected error occurred while resetting the password";
        attempts.push(attempt(
            user,
            at,
            vec![MethodFamily::Email],
            ResetResult::Failed,
            Detail::Undocumented(text),
        ));
    }
    let capacity = ordinary.len() * 3;
    while attempts.len() < params.attempts.min(capacity) {
        let user = next_user(&mut rng);
        let at = random_time(&mut rng, start, end - HOUR);
        let roll = rng.below(100);
        let result = match roll {
            0..=54 => ResetResult::Succeeded,
            55..=74 => ResetResult::Abandoned,
            75..=80 => ResetResult::Cancelled,
            81..=86 => ResetResult::ContactedAdmin,
            _ => ResetResult::Failed,
        };
        let id = *rng.pick(&documented(result));
        let methods = if result == ResetResult::Succeeded {
            two_methods(&mut rng)
        } else {
            detail_methods(id)
        };
        let mut a = attempt(user, at, methods, result, Detail::Documented(id));
        a.variant = rng.chance(8);
        attempts.push(a);
    }
    // A user who registered from home resets once from an unknown address.
    registrations.push(Registration {
        user: NEW_IP,
        at: start + DAY,
        data: vec![MethodFamily::Email],
    });
    let mut a = attempt(
        NEW_IP,
        start + 15 * DAY,
        vec![MethodFamily::Email],
        ResetResult::Succeeded,
        success(),
    );
    a.new_ip = true;
    attempts.push(a);

    // Admin resets: the password admin resets twelve users within 40 minutes from the
    // portal; the helpdesk admin three, days apart, with PowerShell.
    let mut admin_resets = Vec::new();
    for k in 0..12 {
        let target = COUNT + 3 * k;
        admin_resets.push(AdminReset {
            admin: PASSWORD_ADMIN,
            target,
            at: start + 6 * DAY + k as Millis * 3 * MINUTE,
            portal: true,
        });
    }
    for k in 0..3 {
        let target = COUNT + 100 + k;
        admin_resets.push(AdminReset {
            admin: HELPDESK_ADMIN,
            target,
            at: start + (8 + 5 * k as Millis) * DAY,
            portal: false,
        });
    }

    // Users never reset twice in the same minute (a minute is the coarsest date style).
    crate::report::order::sort_by_key(&mut attempts, |a| (a.at, a.user));
    attempts.dedup_by_key(|a| (a.at, a.user));
    Scenario {
        people,
        registrations,
        attempts,
        admin_resets,
        end,
        seed: params.seed,
    }
}

/// The methods a documented sentence implies ("after starting the email verification
/// option" → email); none where the user never reached a method.
fn detail_methods(id: DetailId) -> Vec<MethodFamily> {
    let s = id.entry().sentence.to_ascii_lowercase();
    if s.contains("email") {
        vec![MethodFamily::Email]
    } else if s.contains("sms") || s.contains("mobile") || s.contains("verify a phone") {
        vec![MethodFamily::MobilePhone]
    } else if s.contains("office") {
        vec![MethodFamily::OfficePhone]
    } else if s.contains("security question") {
        vec![MethodFamily::SecurityQuestions]
    } else if s.contains("new password") || s.contains("on-premises") {
        vec![MethodFamily::Email, MethodFamily::MobilePhone]
    } else {
        vec![]
    }
}

/// How a file is written: what an export, or Excel re-saving it in a locale, produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub separator: u8,
    pub encoding: Encoding,
    pub dates: DateStyle,
    pub quote_all: bool,
    pub crlf: bool,
    /// Write the reset report's fourth column as `Methods Used`.
    pub methods_used_header: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Windows1252,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// `7/17/2017 5:38:00 PM`
    UsTwelveHour,
    /// `17-7-2017 17:38`
    DayFirstDash,
    /// `17/07/2017 17:38`
    DayFirstSlash,
    /// `2017-07-17 17:38:00`
    YearFirstSpace,
    /// `2017/7/17 17:38`
    YearFirstSlash,
    /// `2017-07-17T17:38:00Z`
    Iso8601,
}

impl Style {
    /// The portal's own download.
    pub const PORTAL: Style = Style {
        separator: b',',
        encoding: Encoding::Utf8Bom,
        dates: DateStyle::UsTwelveHour,
        quote_all: false,
        crlf: true,
        methods_used_header: false,
    };
    /// Re-saved by Excel in Dutch: semicolons, day first, Windows-1252.
    pub const EXCEL_NL: Style = Style {
        separator: b';',
        encoding: Encoding::Windows1252,
        dates: DateStyle::DayFirstDash,
        quote_all: false,
        crlf: true,
        methods_used_header: false,
    };
    /// Re-saved by Excel in Swedish: semicolons, year first, UTF-8 with BOM.
    pub const EXCEL_SV: Style = Style {
        separator: b';',
        encoding: Encoding::Utf8Bom,
        dates: DateStyle::YearFirstSpace,
        quote_all: false,
        crlf: true,
        methods_used_header: true,
    };
    /// Re-saved by Excel in Traditional Chinese as "Unicode Text": UTF-16, tabs.
    pub const EXCEL_ZH_TW: Style = Style {
        separator: b'\t',
        encoding: Encoding::Utf16LeBom,
        dates: DateStyle::YearFirstSlash,
        quote_all: false,
        crlf: true,
        methods_used_header: false,
    };
    /// Re-saved in British English: commas, day first with slashes, no BOM, LF.
    pub const EXCEL_GB: Style = Style {
        separator: b',',
        encoding: Encoding::Utf8,
        dates: DateStyle::DayFirstSlash,
        quote_all: true,
        crlf: false,
        methods_used_header: true,
    };
    pub const ISO: Style = Style {
        separator: b',',
        encoding: Encoding::Utf8,
        dates: DateStyle::Iso8601,
        quote_all: true,
        crlf: false,
        methods_used_header: false,
    };

    pub const ALL: [(&'static str, Style); 6] = [
        ("portal", Style::PORTAL),
        ("excel-nl", Style::EXCEL_NL),
        ("excel-sv", Style::EXCEL_SV),
        ("excel-zh-tw", Style::EXCEL_ZH_TW),
        ("excel-gb", Style::EXCEL_GB),
        ("iso", Style::ISO),
    ];
}

pub fn format_date(at: Millis, style: DateStyle) -> String {
    let (y, mo, d, h, mi, s, _) = super::dates::parts(at);
    match style {
        DateStyle::UsTwelveHour => {
            let (pm, h12) = (h >= 12, if h % 12 == 0 { 12 } else { h % 12 });
            format!(
                "{mo}/{d}/{y} {h12}:{mi:02}:{s:02} {}",
                if pm { "PM" } else { "AM" }
            )
        }
        DateStyle::DayFirstDash => format!("{d}-{mo}-{y} {h}:{mi:02}"),
        DateStyle::DayFirstSlash => format!("{d:02}/{mo:02}/{y} {h:02}:{mi:02}"),
        DateStyle::YearFirstSpace => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
        DateStyle::YearFirstSlash => format!("{y}/{mo}/{d} {h:02}:{mi:02}"),
        DateStyle::Iso8601 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
    }
}

pub(crate) fn classic_name(family: MethodFamily) -> &'static str {
    match family {
        MethodFamily::Email => "Alternate Email",
        MethodFamily::MobilePhone => "Mobile Phone",
        MethodFamily::OfficePhone => "Office Phone",
        MethodFamily::SecurityQuestions => "Security Questions",
        _ => "Other",
    }
}

fn joined(methods: &[MethodFamily]) -> String {
    methods
        .iter()
        .map(|&m| classic_name(m))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub(crate) fn write_table(header: &[&str], rows: Vec<Vec<String>>, style: Style) -> Vec<u8> {
    let terminator = if style.crlf { "\r\n" } else { "\n" };
    let (separator, quote_all) = (style.separator, style.quote_all);
    let mut text = String::new();
    write_record(&mut text, header, separator, quote_all, terminator);
    for row in &rows {
        write_record(&mut text, row, separator, quote_all, terminator);
    }
    encode(&text, style.encoding)
}

pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16LeBom => std::iter::once(0xFEFF)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Windows1252 => text
            .chars()
            .map(|c| crate::report::decode::to_windows_1252(c).unwrap_or(b'?'))
            .collect(),
    }
}

impl Scenario {
    fn upn(&self, user: usize, shout: bool) -> String {
        let upn = &self.people[user].upn;
        if shout {
            upn.to_ascii_uppercase()
        } else {
            upn.clone()
        }
    }

    /// The "Password reset activity" report, newest first as the portal lists it.
    pub fn reset_report(&self, style: Style) -> Vec<u8> {
        let methods_header = if style.methods_used_header {
            "Methods Used"
        } else {
            "Method(s) Used"
        };
        let header = [
            "User",
            "Role",
            "Date and Time",
            methods_header,
            "Result",
            "Details",
        ];
        let rows = self
            .attempts
            .iter()
            .rev()
            .map(|a| {
                let (result, detail) = written_result_and_detail(a);
                vec![
                    self.upn(a.user, a.shout_user),
                    self.people[a.user].role.to_string(),
                    format_date(a.at, style.dates),
                    joined(&a.methods),
                    result,
                    detail,
                ]
            })
            .collect();
        write_table(&header, rows, style)
    }

    /// The "Password reset registration activity" report, newest first.
    pub fn registration_report(&self, style: Style) -> Vec<u8> {
        let header = ["User", "Role", "Date and Time", "Data Registered"];
        let mut regs: Vec<&Registration> = self.registrations.iter().collect();
        crate::report::order::sort_by_key(&mut regs, |r| std::cmp::Reverse((r.at, r.user)));
        let rows = regs
            .into_iter()
            .map(|r| {
                vec![
                    self.upn(r.user, false),
                    self.people[r.user].role.to_string(),
                    format_date(r.at, style.dates),
                    joined(&r.data),
                ]
            })
            .collect();
        write_table(&header, rows, style)
    }
}

pub(crate) fn written_result_and_detail(a: &ResetAttempt) -> (String, String) {
    let result = match a.result {
        ResetResult::Succeeded => "Succeeded",
        ResetResult::Abandoned => "Abandoned",
        ResetResult::Blocked => "Blocked",
        ResetResult::Cancelled if a.variant => "Canceled",
        ResetResult::Cancelled => "Cancelled",
        ResetResult::ContactedAdmin if a.variant => "Contacted admin",
        ResetResult::ContactedAdmin => "Contacted Admin",
        ResetResult::Failed => "Failed",
    };
    let detail = match &a.detail {
        Detail::Documented(id) => {
            let full = id.entry().full_text();
            if a.variant {
                format!(
                    "{}.",
                    full.to_ascii_lowercase()
                        .replace("cancelled", "canceled")
                        .trim_end_matches('.')
                )
            } else {
                full
            }
        }
        Detail::Undocumented(text) => text.to_string(),
    };
    (result.to_string(), detail)
}

/// The built-in audit-log sample: (file name, bytes) for the portal's audit-log CSV
/// download and its "User registration details" CSV. (CSV rather than JSON keeps the
/// JSON writers out of the page.)
pub fn sample_audit_files() -> [(&'static str, Vec<u8>); 2] {
    let s = scenario(Params::audit_sample());
    [
        (
            crate::text::en::SAMPLE_FILE_AUDIT,
            s.audit_log().entra_csv(),
        ),
        (
            crate::text::en::SAMPLE_FILE_DETAILS,
            s.registration_details_csv(),
        ),
    ]
}

/// The built-in sample: (file name, bytes) for both classic reports.
pub fn sample_files() -> [(&'static str, Vec<u8>); 2] {
    let s = scenario(Params::sample());
    [
        (
            crate::text::en::SAMPLE_FILE_RESET,
            s.reset_report(Style::PORTAL),
        ),
        (
            crate::text::en::SAMPLE_FILE_REGISTRATION,
            s.registration_report(Style::PORTAL),
        ),
    ]
}
