//! Chart series from a set of rows: attempts per day by result, successful resets per
//! method family, registrations per method family.

use super::dates::{day_start, Millis, DAY};
use super::methods::MethodFamily;
use super::model::{Dataset, EventKind};
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

pub fn series(data: &Dataset, rows: &[u32]) -> Series {
    let mut series = Series::default();
    let attempts = || {
        rows.iter()
            .map(|&i| &data.events[i as usize])
            .filter(|e| e.kind == EventKind::ResetAttempt)
    };
    let (Some(first), Some(last)) = (
        attempts().map(|e| e.at).min(),
        attempts().map(|e| e.at).max(),
    ) else {
        registrations(data, rows, &mut series);
        return series;
    };
    let last_day = day_start(last);
    let first_day = day_start(first).max(last_day - (MAX_DAYS as Millis - 1) * DAY);
    let n = ((last_day - first_day) / DAY + 1) as usize;
    series.days = (0..n)
        .map(|d| (first_day + d as Millis * DAY, [0; 6]))
        .collect();
    for e in attempts() {
        let Some(result) = e.result else { continue };
        if result == ResetResult::Succeeded {
            for f in e.methods.iter() {
                series.reset_methods[f.index()] += 1;
            }
        }
        let day = day_start(e.at);
        if day >= first_day {
            series.days[((day - first_day) / DAY) as usize].1[result.index()] += 1;
        }
    }
    registrations(data, rows, &mut series);
    series
}

fn registrations(data: &Dataset, rows: &[u32], series: &mut Series) {
    for &i in rows {
        let e = &data.events[i as usize];
        if e.kind == EventKind::Registration {
            for f in e.methods.iter() {
                series.registrations[f.index()] += 1;
            }
        }
    }
}

impl Series {
    pub fn families(counts: &[u64; 7]) -> impl Iterator<Item = (MethodFamily, u64)> + '_ {
        MethodFamily::ALL
            .into_iter()
            .map(|f| (f, counts[f.index()]))
    }
}
