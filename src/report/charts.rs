//! Chart series from a set of rows: attempts per day by result, successful resets per
//! method family, registrations per method family. An attempt (a classic row or a reset
//! session) is drawn when its first row passes the filters.

use super::answers::{is_registration_event, Attempt};
use super::dates::{day_start, Millis, DAY};
use super::methods::MethodFamily;
use super::model::Dataset;
use super::outcome::ResetResult;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// One entry per UTC day from the first to the last attempt, gaps included.
    pub days: Vec<(Millis, [u32; 6])>,
    pub reset_methods: [u64; 7],
    pub registrations: [u64; 7],
}

/// Longest span drawn day by day; wider data is cut to its last days (and said so).
pub const MAX_DAYS: usize = 400;

/// `attempt_rows` is the flat row list the attempts' ranges point into.
pub fn series(data: &Dataset, attempts: &[Attempt], attempt_rows: &[u32], rows: &[u32]) -> Series {
    let mut shown = vec![false; data.events.len()];
    for &i in rows {
        if let Some(s) = shown.get_mut(i as usize) {
            *s = true;
        }
    }
    let attempts: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| {
            attempt_rows
                .get(a.rows.start as usize)
                .is_some_and(|&r| shown[r as usize])
        })
        .collect();
    let mut series = Series::default();
    for &i in rows {
        let e = &data.events[i as usize];
        if !e.duplicate && is_registration_event(e) {
            for f in e.methods.iter() {
                series.registrations[f.index()] += 1;
            }
        }
    }
    let (Some(first), Some(last)) = (
        attempts.iter().map(|a| a.at).min(),
        attempts.iter().map(|a| a.at).max(),
    ) else {
        return series;
    };
    let last_day = day_start(last);
    let first_day = day_start(first).max(last_day - (MAX_DAYS as Millis - 1) * DAY);
    let n = ((last_day - first_day) / DAY + 1) as usize;
    series.days = (0..n)
        .map(|d| (first_day + d as Millis * DAY, [0; 6]))
        .collect();
    for a in attempts {
        if a.result == ResetResult::Succeeded {
            for f in a.methods.iter() {
                series.reset_methods[f.index()] += 1;
            }
        }
        let day = day_start(a.at);
        if day >= first_day {
            series.days[((day - first_day) / DAY) as usize].1[a.result.index()] += 1;
        }
    }
    series
}

impl Series {
    pub fn families(counts: &[u64; 7]) -> impl Iterator<Item = (MethodFamily, u64)> + '_ {
        MethodFamily::ALL
            .into_iter()
            .map(|f| (f, counts[f.index()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::activity::{Activity, Status};
    use crate::report::methods::MethodSet;
    use crate::report::model::{Event, EventKind};

    /// One email registration event per (kind, activity, status); checks how many the
    /// chart counts.
    fn check(events: &[(EventKind, Activity, Status)], expected: u64) {
        let mut data = Dataset::default();
        for &(kind, activity, status) in events {
            data.events.push(Event {
                activity,
                status,
                methods: MethodSet::EMPTY.with(MethodFamily::Email),
                ..Event::new(kind)
            });
        }
        let rows: Vec<u32> = (0..data.events.len() as u32).collect();
        let got = series(&data, &[], &[], &rows).registrations;
        assert_eq!(got[MethodFamily::Email.index()], expected, "{events:?}");
    }

    #[test]
    fn failed_registrations_are_not_charted() {
        use Activity::*;
        use EventKind::*;
        check(&[(Registration, Other, Status::Other)], 1);
        check(&[(Registration, Other, Status::Success)], 1);
        check(&[(Registration, Other, Status::Failure)], 0);
        check(&[(Audit, SecurityInfoRegistered, Status::Success)], 1);
        check(&[(Audit, SecurityInfoRegistered, Status::Failure)], 0);
        check(&[(RegistrationState, Other, Status::Other)], 0);
    }
}
