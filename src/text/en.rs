//! English.

use super::{count, plural};
use crate::report::answers::{Finding, Rule, BULK_RESET_USERS, BURST_THRESHOLD};
use crate::report::dates::{format_display, DateError, DateOrder, DateReading, OrderBasis};
use crate::report::decode::BinaryKind;
use crate::report::formats::{FormatId, TABLE_FORMATS};
use crate::report::methods::MethodFamily;
use crate::report::model::EventKind;
use crate::report::outcome::ResetResult;
use crate::report::problems::{LoadError, RowProblem, RowProblemKind};

pub const APP_TITLE: &str = "SSPR report viewer";
pub const TAGLINE: &str = "Reads Azure AD / Entra ID password reset reports in this page. Nothing you load leaves this computer: the page makes no network requests.";
pub const OFFLINE_BADGE: &str = "Offline: your data stays in this page";

pub const LOAD_HEADING: &str = "Load reports";
pub const DROP_HINT: &str = "Drop report files here, or";
pub const CHOOSE_FILES: &str = "Choose files…";
pub const TRY_SAMPLE: &str = "Try the sample report";
pub const CLEAR_ALL: &str = "Remove all";
pub const ACCEPTED_FILES: &str = "Entra audit-log downloads (CSV or JSON), Graph directoryAudits pages, Log Analytics AuditLogs exports and archives, registration details and registration-and-reset events, and the classic password reset reports — also re-saved by Excel (semicolons, tabs, UTF-16 “Unicode Text”). Several files at once; rows in two files count once.";
pub const READING: &str = "Reading…";
pub const SAMPLE_FILE_RESET: &str = "sample-password-reset-activity.csv";
pub const SAMPLE_FILE_REGISTRATION: &str = "sample-password-reset-registration-activity.csv";
pub const TRY_AUDIT_SAMPLE: &str = "Try an audit-log sample";
pub const SAMPLE_FILE_AUDIT: &str = "sample-entra-audit-log.csv";
pub const SAMPLE_FILE_DETAILS: &str = "sample-user-registration-details.csv";

pub const FILES_HEADING: &str = "Loaded files";
pub const COL_FILE: &str = "File";
pub const COL_KIND: &str = "Recognised as";
pub const COL_ROWS: &str = "Rows read";
pub const COL_SKIPPED: &str = "Rows skipped";
pub const COL_DUPLICATES: &str = "Already loaded";
pub const COL_SPAN: &str = "Dates (UTC)";
pub const COL_READING: &str = "How it was read";
pub const REMOVE: &str = "Remove";
pub const PROBLEMS_SUMMARY: &str = "Rows that could not be read";
pub const NOTHING_LOADED: &str = "No report loaded yet. Load your exports, or try the sample report to see what the viewer shows.";

pub const ANSWERS_HEADING: &str = "Answers";
pub const AS_OF_LABEL: &str = "As of";
pub const AS_OF_LATEST: &str = "Latest event in the data";
pub const AS_OF_NOW: &str = "Now";
pub const AS_OF_DATE: &str = "End of a chosen day";
pub const SHOW_ROWS: &str = "Show rows";
pub const Q_REGISTERED: &str = "How many people have registered?";
pub const Q_WHO: &str = "Who has registered?";
pub const Q_DATA: &str = "What data did they register?";
pub const Q_RESET_7D: &str = "How many people reset their password in the last 7 days?";
pub const Q_METHODS: &str = "Which methods are used most to reset?";
pub const Q_ISSUES: &str = "What goes wrong, and how is it fixed?";
pub const Q_ADMINS: &str = "Which admins reset their own passwords?";
pub const Q_SUSPICIOUS: &str = "Is anything suspicious going on?";
pub const NO_SUSPICIOUS: &str = "Nothing matched the rules: no blocked users, no user with more than 5 attempts within 24 hours, no admin resetting their own password.";
pub const NO_ADMINS: &str = "No admin reset their own password.";
pub const NO_ISSUES: &str = "No unsuccessful attempts.";
pub const NO_REGISTRATIONS: &str =
    "No registration events loaded (load a password reset registration activity report).";
pub const NO_REGISTRATION_DATA: &str =
    "Nothing to show: no registration events or registration details are loaded.";
pub const NO_RESETS: &str = "No reset attempts loaded (load a password reset activity report).";
pub const COL_USER: &str = "User";
pub const COL_ROLE: &str = "Role";
pub const COL_LAST_REGISTERED: &str = "Last registered (UTC)";
pub const COL_DATA: &str = "Data registered";
pub const COL_RESETS: &str = "Self-service resets";
pub const COL_RULE: &str = "Rule";
pub const COL_COUNT: &str = "Count";
pub const COL_SPAN_TIME: &str = "From – to (UTC)";
pub const COL_DETAIL: &str = "What was seen";
pub const DOWNLOAD_SUMMARY: &str = "Download summary (JSON)";
pub const DOWNLOAD_ROWS: &str = "Download rows (CSV)";
pub const ANSWERS_PENDING: &str = "Working out the answers…";
pub const ROWS_CHANGED: &str =
    "The loaded files changed while the rows were written, so nothing was saved. Download the rows again.";
pub const DOWNLOAD_FAILED: &str =
    "The browser could not make the file (it may be short of memory). Nothing was saved.";

pub fn writing_rows(percent: u32) -> String {
    format!("Writing rows… {percent}%")
}

pub const RESULTS_HEADING: &str = "Result table";
pub const COL_RESULT: &str = "Result";
pub const COL_SHARE: &str = "Share";
pub const COL_MEANING: &str = "What it means";
pub const DETAILS_HEADING: &str = "Details table";
pub const COL_SENTENCE: &str = "Details";
pub const COL_RESULT_TYPE: &str = "Result type";
pub const COL_FIX: &str = "Documented fix";
pub const NO_DETAILS_TEXT: &str = "(no details)";
pub const UNDOCUMENTED: &str = "not in the documented list";

pub const CHARTS_HEADING: &str = "Charts";
pub const CHARTS_NOTE: &str = "Charts follow the row filters below.";
pub const CHART_DAYS: &str = "Reset attempts per day, by result";
pub const CHART_METHODS: &str = "Successful resets per method";
pub const CHART_REGISTRATIONS: &str = "Registrations per data registered";
pub const CHART_EMPTY: &str = "Nothing to draw for the current filters.";
pub const CHART_AS_TABLE: &str = "Show the numbers";
pub const COL_DAY: &str = "Day (UTC)";
pub const COL_METHOD: &str = "Method";

pub const ROWS_HEADING: &str = "Rows";
pub const FILTER_REPORT: &str = "Report";
pub const FILTER_ALL_REPORTS: &str = "Both reports";
pub const FILTER_RESULT: &str = "Result";
pub const FILTER_ANY: &str = "Any";
pub const FILTER_METHOD: &str = "Method";
pub const FILTER_ROLE: &str = "Role";
pub const FILTER_EVERYONE: &str = "Everyone";
pub const FILTER_ADMINS: &str = "Admins";
pub const FILTER_USERS: &str = "Users";
pub const FILTER_USER: &str = "User contains";
pub const FILTER_FROM: &str = "From";
pub const FILTER_TO: &str = "To";
pub const FILTER_DUPLICATES: &str = "Include rows already loaded from another file";
pub const FILTER_RESET: &str = "Clear filters";
pub const COL_TIME: &str = "Date and Time (UTC)";
pub const COL_METHODS: &str = "Method(s) Used";
pub const COL_LINE: &str = "Line";
pub const PREVIOUS: &str = "Previous";
pub const NEXT: &str = "Next";
pub const ROW_DETAIL_HEADING: &str = "Row";
pub const CLOSE: &str = "Close";
pub const DUPLICATE_NOTE: &str = "also in an earlier file: not counted twice";

pub fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::ResetAttempt => "Reset",
        EventKind::Registration => "Registration",
        EventKind::Audit => "Audit event",
        EventKind::RegistrationState => "Registration state",
    }
}

pub fn format_label(format: FormatId) -> &'static str {
    match format {
        FormatId::ClassicResetActivity => "Password reset activity (classic)",
        FormatId::ClassicRegistrationActivity => "Password reset registration activity (classic)",
        FormatId::EntraAuditCsv => "Entra audit log download (CSV)",
        FormatId::EntraAuditJson => "Entra audit log download (JSON)",
        FormatId::GraphDirectoryAudits => "Graph directoryAudits (JSON)",
        FormatId::LogAnalyticsCsv => "Log Analytics AuditLogs export (CSV)",
        FormatId::DiagnosticArchive => "Diagnostic-settings archive (JSON)",
        FormatId::GraphRegistrationDetails => "Graph userRegistrationDetails (JSON)",
        FormatId::PortalRegistrationDetailsCsv => "User registration details (CSV)",
        FormatId::PortalEventsCsv => "Registration and reset events (CSV)",
        FormatId::GraphUserEventsSummary => "Graph userEventsSummary (JSON)",
        FormatId::LegacySsprActivity => "SsprActivityEvent, Reports and Events API (JSON)",
        FormatId::LegacySsprRegistration => {
            "SsprRegistrationActivityEvent, Reports and Events API (JSON)"
        }
        FormatId::MappedCsv => "CSV read with your column mapping",
    }
}

pub fn result_label(result: ResetResult) -> &'static str {
    match result {
        ResetResult::Succeeded => "Succeeded",
        ResetResult::Abandoned => "Abandoned",
        ResetResult::Blocked => "Blocked",
        ResetResult::Cancelled => "Cancelled",
        ResetResult::ContactedAdmin => "Contacted admin",
        ResetResult::Failed => "Failed",
    }
}

/// The documentation's explanation of each result (seed 001).
pub fn result_meaning(result: ResetResult) -> &'static str {
    match result {
        ResetResult::Abandoned => "User started password reset but then stopped halfway through without completing.",
        ResetResult::Blocked => "User's account was prevented from using password reset after attempting to use the password reset page or a single password reset gate too many times in a 24 hour period.",
        ResetResult::Cancelled => "User started password reset but then clicked the cancel button to cancel the session part way through.",
        ResetResult::ContactedAdmin => "User had a problem during the session that they could not resolve, so they clicked the “Contact your administrator” link instead of finishing the password reset flow.",
        ResetResult::Failed => "User was not able to reset a password, likely because the user was not configured to use the feature (e.g. no license, missing authentication info, password managed on-premises but writeback is off).",
        ResetResult::Succeeded => "Password reset was successful.",
    }
}

pub fn family_label(family: MethodFamily) -> &'static str {
    match family {
        MethodFamily::Email => "Email",
        MethodFamily::MobilePhone => "Mobile phone",
        MethodFamily::OfficePhone => "Office phone",
        MethodFamily::AlternateMobilePhone => "Alternate mobile phone",
        MethodFamily::SecurityQuestions => "Security questions",
        MethodFamily::AuthenticatorApp => "Authenticator app",
        MethodFamily::Other => "Other",
    }
}

pub fn rule_label(rule: Rule) -> &'static str {
    match rule {
        Rule::Blocked => "Blocked from reset",
        Rule::Burst => "Many attempts within 24 hours",
        Rule::AdminSelfReset => "Admin resetting own password",
        Rule::AdminBulkReset => "Admin resetting many users' passwords",
        Rule::ResetAfterInfoChange => "Reset soon after security info changed",
        Rule::NewIp => "Reset from a new IP address",
    }
}

pub fn finding_detail(finding: &Finding, related: &str) -> String {
    match finding.rule {
        Rule::Blocked => {
            let what = if related.is_empty() {
                "no details given".to_string()
            } else {
                format!("“{related}”")
            };
            format!(
                "blocked {}; most often: {what}",
                plural(finding.count, "time", "times")
            )
        }
        Rule::Burst => format!(
            "{} attempts within 24 hours (the service blocks after {BURST_THRESHOLD})",
            count(finding.count)
        ),
        Rule::AdminSelfReset if related.is_empty() => {
            format!(
                "admin reset their own password {}",
                plural(finding.count, "time", "times")
            )
        }
        Rule::AdminSelfReset => format!(
            "admin with role “{related}” reset their own password {}",
            plural(finding.count, "time", "times")
        ),
        Rule::AdminBulkReset => format!(
            "reset the passwords of {} within an hour (the rule flags {BULK_RESET_USERS} or more)",
            plural(finding.count, "different user", "different users")
        ),
        Rule::ResetAfterInfoChange => format!(
            "{} within 24 hours after their security info was registered or changed",
            plural(finding.count, "successful reset", "successful resets")
        ),
        Rule::NewIp => format!(
            "{} from {related}, an address this user had not used before in the loaded data",
            plural(finding.count, "successful reset", "successful resets")
        ),
    }
}

pub fn encoding_note(label: &str, separator: u8) -> String {
    let sep = match separator {
        b'\t' => "tabs",
        b';' => "semicolons",
        _ => "commas",
    };
    format!("{label}, {sep}")
}

pub fn date_reading(reading: &DateReading) -> String {
    let order = match reading.order {
        Some(DateOrder::DayFirst) => "day first",
        Some(DateOrder::MonthFirst) => "month first",
        None => "",
    };
    let basis = match reading.basis {
        OrderBasis::Unambiguous => format!("dates {}", reading.pattern),
        OrderBasis::Decided { rows } => format!(
            "dates read {order} ({}), decided from {} that can only be read this way",
            reading.pattern,
            plural(rows, "row", "rows")
        ),
        OrderBasis::Majority { rows, against } => format!(
            "dates read {order} ({}): {} only fit this reading, {} only fit the other and were skipped",
            reading.pattern,
            plural(rows, "row", "rows"),
            count(against)
        ),
        OrderBasis::Assumed => format!(
            "dates read {order} ({}): assumed, no row shows the order (every day is 12 or less)",
            reading.pattern
        ),
    };
    if reading.unzoned_as_utc {
        format!("{basis}; times have no zone and are read as UTC")
    } else {
        basis
    }
}

fn expected_columns() -> String {
    TABLE_FORMATS
        .iter()
        .map(|f| {
            let cols: Vec<&str> = f.columns().iter().map(|c| c.name).collect();
            format!("{}: {}", format_label(f.id()), cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn load_error(error: &LoadError) -> String {
    match error {
        LoadError::Empty => "The file is empty.".to_string(),
        LoadError::Binary(BinaryKind::Zip) => "This is a ZIP container, probably an Excel workbook (.xlsx). Open it in Excel and save it as CSV, or load the CSV the portal downloaded.".to_string(),
        LoadError::Binary(BinaryKind::OleCompound) => "This is an old Excel workbook (.xls). Save it as CSV or Unicode Text and load that.".to_string(),
        LoadError::Binary(BinaryKind::Pdf) => "This is a PDF. Load the CSV the portal downloads instead.".to_string(),
        LoadError::Binary(BinaryKind::Unknown) => "This is not a text file. Load the CSV the portal downloads.".to_string(),
        LoadError::InvalidJson { line, column, message } => {
            format!("This is not valid JSON: at line {line}, column {column}: {message}.")
        }
        LoadError::UnknownJson { found } => format!(
            "This JSON is not an export the viewer knows: it holds {found}. Expected: audit records (activityDisplayName), a Graph page {{\"value\": […]}}, an archive {{\"records\": […]}}, userRegistrationDetails, userEventsSummary or SSPR events of the Reports and Events API."
        ),
        LoadError::NotATable => format!(
            "The first line has no commas, semicolons or tabs, so this is not a report table. Expected columns — {}.",
            expected_columns()
        ),
        LoadError::UnknownHeader { found, closest } => {
            let mut message = format!(
                "This is not a report the viewer knows. Columns found: {}. Expected — {}.",
                found.join(", "),
                expected_columns()
            );
            if let Some((format, missing)) = closest {
                message.push_str(&format!(
                    " Closest: {}, which also needs {}.",
                    format_label(*format),
                    missing.join(", ")
                ));
            }
            message
        }
    }
}

fn date_error(error: DateError) -> &'static str {
    match error {
        DateError::Empty => "the date is empty",
        DateError::Unrecognised => "not a date in any known style",
        DateError::OutOfRange => "a part of the date or time is out of range",
        DateError::AgainstColumnOrder(DateOrder::DayFirst) => {
            "only valid month first, but this file's dates are day first"
        }
        DateError::AgainstColumnOrder(DateOrder::MonthFirst) => {
            "only valid day first, but this file's dates are month first"
        }
    }
}

pub fn row_problem(problem: &RowProblem) -> String {
    let place = match &problem.column {
        Some((n, name)) => format!("line {}, column {n} ({name})", problem.line),
        None => format!("line {}", problem.line),
    };
    let what = match &problem.kind {
        RowProblemKind::BadDate { value, error } => format!("“{value}”: {}", date_error(*error)),
        RowProblemKind::UnknownResult { value } => format!(
            "unknown result “{value}”; expected Succeeded, Abandoned, Blocked, Cancelled, Contacted admin or Failed"
        ),
        RowProblemKind::EmptyUser => "the user is empty".to_string(),
        RowProblemKind::TooFewFields { found, needed } => {
            format!("the row has {found} fields, {needed} are needed")
        }
        RowProblemKind::Malformed { message } => format!("unreadable: {message}"),
        RowProblemKind::MissingField { name } => format!("the record has no {name}"),
        RowProblemKind::NotUtf8 => {
            "the text is not UTF-8 like the rest of the file; save the file again as UTF-8"
                .to_string()
        }
    };
    format!("{place}: {what}")
}

pub fn span(first: Option<i64>, last: Option<i64>) -> String {
    match (first, last) {
        (Some(a), Some(b)) => format!("{} – {}", format_display(a), format_display(b)),
        _ => "–".to_string(),
    }
}

pub fn more_problems(shown: usize, total: u32) -> String {
    format!(
        "showing the first {} of {}",
        count(shown as u64),
        count(total)
    )
}

pub fn rows_shown(first: usize, last: usize, total: usize) -> String {
    if total == 0 {
        "No rows match.".to_string()
    } else {
        format!(
            "Rows {}–{} of {}",
            count(first as u64),
            count(last as u64),
            count(total as u64)
        )
    }
}

pub fn answer_registered(users: usize) -> String {
    format!(
        "{} registered for self-service password reset.",
        plural(users as u64, "person has", "people have")
    )
}

pub fn answer_reset_7d(users: usize, resets_in_window: u64) -> String {
    format!(
        "{} reset their password in the 7 days up to the as-of time ({} in that window).",
        if users == 1 { "person" } else { "people" },
        plural(resets_in_window, "successful reset", "successful resets")
    )
}

pub fn answer_attempts(attempts: u64, succeeded: u64) -> String {
    format!(
        "{} in all, {} succeeded.",
        plural(attempts, "reset attempt", "reset attempts"),
        count(succeeded)
    )
}

pub fn answer_methods(total: u64) -> String {
    format!(
        "{} (a two-method reset counts once for each method).",
        plural(
            total,
            "method use in successful resets",
            "method uses in successful resets"
        )
    )
}

pub fn answer_issues(unsuccessful: u64, groups: usize) -> String {
    format!(
        "{} not successful, for {}.",
        plural(unsuccessful, "attempt was", "attempts were"),
        plural(groups as u64, "reason", "different reasons")
    )
}

pub fn answer_admins(admins: usize, resets: u64) -> String {
    format!(
        "{} reset their own password {}.",
        plural(admins as u64, "admin", "admins"),
        plural(resets, "time", "times")
    )
}

pub fn answer_suspicious(findings: usize) -> String {
    format!(
        "{} to look at.",
        plural(findings as u64, "finding", "findings")
    )
}

pub fn family_users(family: MethodFamily, users: u64) -> String {
    format!(
        "{}: {}",
        family_label(family),
        plural(users, "user", "users")
    )
}

pub fn as_of_note(as_of: &str) -> String {
    format!("Answers are computed as of {as_of} UTC. Filters below do not change them.")
}

pub fn chart_days_alt(days: usize, attempts: u64, busiest: &str, busiest_count: u32) -> String {
    format!(
        "Bar chart of {} over {}; busiest day {busiest} with {}.",
        plural(attempts, "reset attempt", "reset attempts"),
        plural(days as u64, "day", "days"),
        count(busiest_count)
    )
}

pub fn chart_bars_alt(what: &str, parts: &[(&str, u64)]) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|(l, n)| format!("{l} {}", count(*n)))
        .collect();
    format!(
        "Bar chart of {what}: {}.",
        if parts.is_empty() {
            "none".to_string()
        } else {
            parts.join(", ")
        }
    )
}

pub fn chart_cut(days: usize) -> String {
    format!("Only the last {days} days are drawn.")
}

pub const FILE_UNREADABLE: &str = "The browser could not read this file.";
pub const REPLACED_CHARACTERS: &str = "some bytes were not valid in this encoding and show as �";

pub fn blank_rows(n: u32) -> String {
    format!("{} ignored", plural(n, "empty row", "empty rows"))
}

pub const ISSUES_TOP: &str = "The ten most frequent are below; the Details table lists them all.";

pub fn listed_first(listed: usize, total: usize) -> String {
    format!(
        "The first {} of {} are listed; “Show rows” or the summary JSON has them all.",
        count(listed as u64),
        count(total as u64)
    )
}

pub const FILTERS_LABEL: &str = "Row filters";
pub const REMOVE_FILTER: &str = "Remove this filter";
pub const COL_METHOD_FAMILIES: &str = "Method families";
pub const COL_DOCUMENTED_AS: &str = "Matched documented sentence";

pub fn rows_match(n: usize) -> String {
    format!("{} match the filters", plural(n as u64, "row", "rows"))
}

pub fn option_count(label: &str, n: u64) -> String {
    format!("{label} ({})", count(n))
}

pub const FROM_STATE: &str = "(registration details)";
pub const ADMIN_NO_ROLE: &str = "admin (role not in the data)";
pub const ADMIN_RESETS: &str = "Password resets by admins";
pub const ALL_ATTEMPTS: &str = "All reset attempts";

pub fn service_label(service: crate::report::activity::Service) -> &'static str {
    service.name()
}

pub fn answer_audit(events: u64, services: &str, sessions: usize) -> String {
    format!(
        "{} loaded ({services}); {} rebuilt from the audit log.",
        plural(events, "event", "events"),
        plural(sessions as u64, "reset session", "reset sessions")
    )
}

pub fn answer_admin_resets(n: usize) -> String {
    format!(
        "Admins reset other users' passwords {}.",
        plural(n as u64, "time", "times")
    )
}

pub const STATUS_HEADING: &str = "Status table (audit log)";
pub const STATUS_NOTE: &str =
    "Password-related audit events only; other events are counted above but not here.";
pub const REASONS_HEADING: &str = "Reason table (audit log)";
pub const COL_STATUS: &str = "Status";
pub const COL_REASON: &str = "ResultReason";
pub const COL_MEANING_FIX: &str = "Meaning and fix";

pub fn status_label(status: crate::report::activity::Status) -> &'static str {
    use crate::report::activity::Status;
    match status {
        Status::Success => "Success",
        Status::Failure => "Failure",
        Status::Timeout => "Timeout",
        Status::Other => "Other",
    }
}

/// What a ResultReason means: the documented sentence's Result type and fix, the banned
/// password explanation, or a flow step.
pub fn reason_meaning(
    text: &str,
    documented: Option<crate::report::catalogue::DetailId>,
) -> String {
    if let Some(id) = documented {
        let entry = id.entry();
        return match entry.fix {
            Some(fix) => format!("{}: {fix}", result_label(entry.result)),
            None => format!(
                "{}: {}",
                result_label(entry.result),
                result_meaning(entry.result)
            ),
        };
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("fuzzypolicyviolation") || lower.contains("doesnotcomplyfuzzypolicy") {
        return "The new password was banned by Microsoft's banned-password detection as too common or weak: the user must choose another.".to_string();
    }
    let step = crate::report::sessions::read_step(text);
    match step.step {
        // One method done; the funnel still counts the session as "verification started"
        // until every required step is.
        Some(_) if !step.completed.is_empty() => {
            "Step of the reset flow: one verification method completed".to_string()
        }
        Some(step) => format!("Step of the reset flow: {}", funnel_label(step)),
        None => String::new(),
    }
}

pub fn funnel_label(step: crate::report::sessions::FunnelStep) -> &'static str {
    use crate::report::sessions::FunnelStep;
    match step {
        FunnelStep::UserIdSubmitted => "user ID submitted",
        FunnelStep::VerificationStarted => "verification started",
        FunnelStep::VerificationCompleted => "verification completed",
        FunnelStep::NewPasswordSubmitted => "new password submitted",
        FunnelStep::ResetDone => "reset done",
    }
}

pub const SESSIONS_HEADING: &str = "Reset sessions (audit log)";
pub const SESSIONS_NOTE: &str = "Self-service reset events that share a CorrelationId are one session: one reset attempt. The portal does not show these.";
pub const FUNNEL_HEADING: &str = "How far sessions got";
pub const METHOD_LOSS_HEADING: &str = "Which methods lose users";
pub const COL_STARTED: &str = "Started";
pub const COL_COMPLETED: &str = "Completed";
pub const COL_LOST: &str = "Lost";
pub const COL_START: &str = "Start (UTC)";
pub const COL_END: &str = "End (UTC)";
pub const COL_STEPS: &str = "Steps";
pub const COL_FURTHEST: &str = "Furthest step";
pub const COL_OUTCOME: &str = "Outcome";
pub const SESSION: &str = "Session of";
pub const SESSION_PAGES: &str = "Pages of sessions";
pub const FINDING_PAGES: &str = "Pages of findings";

pub const COVERAGE_HEADING: &str = "Days covered by each file";
pub const GAPS: &str = "Days no file covers";

pub fn gap_text(first: &str, last: &str) -> String {
    if first == last {
        format!("no data on {first}")
    } else {
        format!("no data from {first} to {last}")
    }
}

pub fn coverage_cut(days: usize, earliest: &str) -> String {
    format!("Only the last {days} days are drawn; the earliest event is on {earliest}.")
}

pub fn coverage_alt(files: usize, first: &str, days: usize, gaps: &[String]) -> String {
    let span = format!(
        "{} over {} from {first}",
        plural(files as u64, "file", "files"),
        plural(days as u64, "day", "days")
    );
    if gaps.is_empty() {
        format!("{span}: every day has data.")
    } else {
        format!("{span}: {}.", gaps.join("; "))
    }
}

pub const ACTIVITY_FILTER: &str = "Activity types";
pub const NOT_ANSWERED: &str = "other: not in the answers";

pub fn activities_selected(n: usize) -> String {
    if n == 0 {
        "(all shown; tick some to show only those)".to_string()
    } else {
        format!("({} selected)", count(n as u64))
    }
}

pub const MAPPING_INTRO: &str = "The viewer does not know this file's columns (a portal set to another language, or a custom export). Say which column holds what; * marks what is needed: a time, and a user or an activity. With an activity column the rows are read as audit-log events, with a result column as reset attempts, otherwise as registrations.";
pub const MAPPING_PREVIEW: &str = "The first rows as they will be read:";
pub const MAPPING_LOAD: &str = "Load with these columns";
pub const MAPPING_CANCEL: &str = "Don't load this file";
pub const NOT_IN_FILE: &str = "(not in the file)";

pub fn mapping_heading(file: &str) -> String {
    format!("Which column is which in {file}?")
}

pub fn role_label(role: crate::report::formats::mapped::Role) -> &'static str {
    use crate::report::formats::mapped::Role;
    match role {
        Role::Time => "Time",
        Role::User => "User",
        Role::Activity => "Activity",
        Role::Service => "Service",
        Role::Result => "Result / status",
        Role::Reason => "Reason / details",
        Role::Methods => "Methods",
        Role::UserRole => "Role",
        Role::Correlation => "Correlation id",
        Role::Actor => "Initiated by",
        Role::Ip => "IP address",
    }
}

pub const FILTER_STATUS: &str = "Status";
pub const FILTER_ROWS: &str = "Rows behind";
pub const COL_ACTIVITY: &str = "Report / activity";
pub const COL_RESULT_STATUS: &str = "Result / status";
pub const COL_DETAILS_REASON: &str = "Details / reason";
pub const COL_WHO: &str = "Role / initiated by";
pub const STATE_REGISTERED: &str = "Registered";
pub const STATE_NOT_REGISTERED: &str = "Not registered";

pub fn rows_behind_chip(label: &str, rows: usize) -> String {
    format!("{label} ({})", plural(rows as u64, "row", "rows"))
}

pub fn recognised(
    format: FormatId,
    evidence: &str,
    json: Option<crate::report::formats::json::Envelope>,
) -> String {
    use crate::report::formats::json::Envelope;
    let shape = match json {
        None if format == FormatId::MappedCsv => {
            return format!("{}: {evidence}", format_label(format))
        }
        None => return format!("header has {evidence}"),
        Some(Envelope::Array) => "a JSON list",
        Some(Envelope::ValuePage) => "a JSON page {\"value\": […]}",
        Some(Envelope::Records) => "a JSON archive {\"records\": […]}",
        Some(Envelope::Lines) => "one JSON object per line",
        Some(Envelope::Single) => "one JSON object",
    };
    format!("{shape} whose records have “{evidence}”")
}

pub const WORKER_FAILED: &str = "Reading stopped: the browser ran out of memory or could not read the file. Everything loaded before stays. Try a smaller export, or close other tabs.";
pub const CANCEL: &str = "Cancel";

pub fn job_progress(bytes: f64, size: f64, rows: f64) -> String {
    let mb = |b: f64| {
        let tenths = (b as u64 * 10 + 524_288) / 1_048_576;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    };
    let rows = plural(rows as u64, "row", "rows");
    if size > 0.0 {
        format!("{} of {}, {rows}", mb(bytes), mb(size))
    } else {
        rows
    }
}

pub const COL_ACTIVITY_NAME: &str = "Activity";
pub const COL_SERVICE: &str = "Service";
pub const COL_CORRELATION: &str = "CorrelationId";
pub const COL_INITIATED_BY: &str = "Initiated by";
pub const COL_IP: &str = "IP address";
pub const COL_ANSWERED: &str = "In the answers";
pub const COL_IS_ADMIN: &str = "Administrator";
pub const NO_TIME: &str = "(no time in the file)";
pub const YES: &str = "yes";
pub const NO: &str = "no";

#[cfg(test)]
mod tests {
    use super::*;

    fn check(reason: &str, expected: &str) {
        assert_eq!(reason_meaning(reason, None), expected, "{reason}");
    }

    #[test]
    fn flow_steps_say_which_step_they_are() {
        check(
            "User started the mobile SMS verification option",
            "Step of the reset flow: verification started",
        );
        check(
            "User completed the mobile SMS verification option",
            "Step of the reset flow: one verification method completed",
        );
        check(
            "User completed all verification steps required to reset their password",
            "Step of the reset flow: verification completed",
        );
        check("Something else entirely", "");
    }
}
