//! Shared by the native end-to-end tests.

use sspr_viewer::report::generate::Expected;
use sspr_viewer::report::summary::Summary;

/// Compares every number of the summary with the scenario's known answers.
pub fn check(summary: &Summary, expected: &Expected) {
    assert_eq!(
        summary.as_of,
        sspr_viewer::report::dates::format_iso(expected.as_of)
    );
    assert_eq!(summary.reset_attempts, expected.reset_attempts);
    assert_eq!(summary.results, expected.results);
    assert_eq!(summary.registered_users, expected.registered_users);
    assert_eq!(summary.registered_user_list, expected.registered_user_list);
    assert_eq!(summary.registered_data, expected.registered_data);
    assert_eq!(
        summary.reset_users_last_7_days,
        expected.reset_users_last_7_days
    );
    assert_eq!(summary.reset_methods, expected.reset_methods);
    let issues: Vec<(String, &str, u64)> = summary
        .issues
        .iter()
        .map(|i| (i.reason.clone(), i.result, i.count))
        .collect();
    assert_eq!(issues, expected.issues);
    let admins: Vec<(String, String, u64)> = summary
        .admins_self_resetting
        .iter()
        .map(|a| (a.user.clone(), a.role.clone(), a.resets))
        .collect();
    assert_eq!(admins, expected.admins_self_resetting);
    let mut suspicious: Vec<(&str, String, u64)> = summary
        .suspicious
        .iter()
        .map(|f| (f.rule, f.user.clone(), f.count))
        .collect();
    suspicious.sort();
    assert_eq!(suspicious, expected.suspicious);
}
