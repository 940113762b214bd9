//! Date-and-time cells in every style the exports use, and the once-per-column decision
//! between day-first and month-first readings.
//!
//! A cell is first scanned into a [`Stamp`]; styles that put day and month side by side
//! (`7/17/2017`, `17-7-2017`) stay unresolved until the whole column has been seen, then
//! [`DateColumn::decide`] picks one reading from the rows that are not ambiguous.
//! All instants are UTC milliseconds; a time without a zone is read as UTC.

use serde::Serialize;

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const HOUR: Millis = 3_600 * SECOND;
pub const DAY: Millis = 24 * HOUR;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// Why a cell is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    Empty,
    /// Not in any known date style.
    Unrecognised,
    /// Looks like a date, but a part is out of range (month 13, 25:00, 30 February).
    OutOfRange,
    /// Valid only in the reading the rest of the column does not use.
    AgainstColumnOrder(DateOrder),
}

/// One scanned cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    /// Fully determined (year first, or ISO 8601).
    Exact { at: Millis, zoned: bool },
    /// `a` and `b` are day and month in an order decided per column.
    DayMonth {
        a: u8,
        b: u8,
        year: u16,
        ms_of_day: u32,
        offset_minutes: Option<i16>,
        shape: Shape,
    },
}

/// How a day-and-month cell was written, to tell the user which style was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Shape {
    pub separator: u8,
    pub seconds: bool,
    pub twelve_hour: bool,
}

impl Stamp {
    /// What this cell says about the column's order, if it is unambiguous.
    pub fn evidence(&self) -> Option<DateOrder> {
        match *self {
            Stamp::DayMonth { a, b, .. } if a > 12 && b <= 12 => Some(DateOrder::DayFirst),
            Stamp::DayMonth { a, b, .. } if b > 12 && a <= 12 => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }

    pub fn resolve(&self, order: DateOrder) -> Result<Millis, DateError> {
        match *self {
            Stamp::Exact { at, .. } => Ok(at),
            Stamp::DayMonth {
                a,
                b,
                year,
                ms_of_day,
                offset_minutes,
                ..
            } => {
                let (day, month) = match order {
                    DateOrder::DayFirst => (a, b),
                    DateOrder::MonthFirst => (b, a),
                };
                if month > 12 && day <= 12 {
                    return Err(DateError::AgainstColumnOrder(order));
                }
                instant(year, month, day, ms_of_day, offset_minutes.unwrap_or(0))
            }
        }
    }

    pub fn zoned(&self) -> bool {
        match *self {
            Stamp::Exact { zoned, .. } => zoned,
            Stamp::DayMonth { offset_minutes, .. } => offset_minutes.is_some(),
        }
    }
}

fn instant(
    year: u16,
    month: u8,
    day: u8,
    ms_of_day: u32,
    offset_minutes: i16,
) -> Result<Millis, DateError> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
        return Err(DateError::OutOfRange);
    }
    let days = days_from_civil(i64::from(year), month, day);
    Ok(days * DAY + Millis::from(ms_of_day) - Millis::from(offset_minutes) * 60_000)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01: (year, month, day).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The parts of an instant: (year, month, day, hour, minute, second, millisecond).
pub fn parts(at: Millis) -> (i64, u8, u8, u8, u8, u8, u16) {
    let (y, mo, d) = civil_from_days(at.div_euclid(DAY));
    let ms = at.rem_euclid(DAY);
    let secs = ms / 1000;
    (
        y,
        mo,
        d,
        (secs / 3600) as u8,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
        (ms % 1000) as u16,
    )
}

/// Scans one cell. Accepts ISO 8601, `YYYY-MM-DD HH:MM[:SS]`, `YYYY/M/D`,
/// `M/D/YYYY h:mm[:ss] AM/PM`, `D-M-YYYY H:mm[:ss]`, `D/M/YYYY H:mm`, `D.M.YYYY`,
/// a comma after the date, fractions of seconds, `上午`/`下午` markers and zones
/// (`Z`, `UTC`, `+02:00`).
pub fn scan(cell: &str) -> Result<Stamp, DateError> {
    let mut c = Cursor {
        s: super::key::trim(cell).as_bytes(),
        i: 0,
    };
    if c.s.is_empty() {
        return Err(DateError::Empty);
    }
    let n1 = c.number(4).ok_or(DateError::Unrecognised)?;
    let separator = c.one_of(b"-/.").ok_or(DateError::Unrecognised)?;
    let n2 = c.number(2).ok_or(DateError::Unrecognised)?;
    c.expect(separator).ok_or(DateError::Unrecognised)?;
    let n3 = c.number(4).ok_or(DateError::Unrecognised)?;
    if separator == b'.' {
        c.eat(b'.');
    }

    // Between date and time: `T`, spaces, or `, `.
    let had_t = c.eat(b'T');
    if !had_t {
        while c.eat(b' ') || c.eat(b',') {}
    }
    let mut meridiem = c.meridiem();
    c.spaces();
    let (mut hour, mut minute, mut second, mut millis, mut seconds) = (0, 0, 0, 0, false);
    if let Some(h) = c.number(2) {
        hour = h.0;
        c.expect(b':').ok_or(DateError::Unrecognised)?;
        minute = c.exactly(2).ok_or(DateError::Unrecognised)?;
        if c.eat(b':') {
            seconds = true;
            second = c.exactly(2).ok_or(DateError::Unrecognised)?;
            if c.eat(b'.') || c.eat(b',') {
                millis = c.fraction_millis().ok_or(DateError::Unrecognised)?;
            }
        }
    } else if had_t || meridiem.is_some() {
        return Err(DateError::Unrecognised);
    }
    c.spaces();
    if meridiem.is_none() {
        meridiem = c.meridiem();
        c.spaces();
    }
    let offset_minutes = c.zone()?;
    c.spaces();
    if !c.done() {
        return Err(DateError::Unrecognised);
    }

    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(DateError::OutOfRange);
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(DateError::OutOfRange);
    }
    let ms_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + millis;

    if n1.1 == 4 {
        let at = instant(
            n1.0 as u16,
            u8::try_from(n2.0).map_err(|_| DateError::OutOfRange)?,
            u8::try_from(n3.0).map_err(|_| DateError::OutOfRange)?,
            ms_of_day,
            offset_minutes.unwrap_or(0),
        )?;
        return Ok(Stamp::Exact {
            at,
            zoned: offset_minutes.is_some(),
        });
    }
    let year = match n3.1 {
        4 => n3.0 as u16,
        2 => 2000 + n3.0 as u16,
        _ => return Err(DateError::Unrecognised),
    };
    let (a, b) = (n1.0, n2.0);
    if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return Err(DateError::OutOfRange);
    }
    Ok(Stamp::DayMonth {
        a: a as u8,
        b: b as u8,
        year,
        ms_of_day,
        offset_minutes,
        shape: Shape {
            separator,
            seconds,
            twelve_hour: meridiem.is_some(),
        },
    })
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    // `peek` and `eat` are inlined even in the page's size-optimised build: there they
    // were calls, for every character of every date.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline(always)]
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    fn one_of(&mut self, set: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| set.contains(b))?;
        self.i += 1;
        Some(b)
    }

    fn spaces(&mut self) {
        while self.eat(b' ') {}
    }

    /// Up to `max` digits: (value, digit count).
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut value = 0u32;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.i - start == max {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
            self.i += 1;
        }
        (self.i > start).then_some((value, self.i - start))
    }

    fn exactly(&mut self, digits: usize) -> Option<u32> {
        self.number(digits).filter(|n| n.1 == digits).map(|n| n.0)
    }

    fn fraction_millis(&mut self) -> Option<u32> {
        let start = self.i;
        let mut millis = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.i - start < 3 {
                millis = millis * 10 + u32::from(b - b'0');
            }
            self.i += 1;
        }
        let digits = self.i - start;
        (digits > 0).then(|| millis * 10u32.pow(3usize.saturating_sub(digits) as u32))
    }

    /// `AM`/`PM` in any case, with or without dots, or `上午`/`下午`: Some(is_pm).
    fn meridiem(&mut self) -> Option<bool> {
        let (pm, len) = match &self.s[self.i..] {
            // 上午 and 下午.
            [0xE4, 0xB8, b @ (0x8A | 0x8B), 0xE5, 0x8D, 0x88, ..] => (*b == 0x8B, 6),
            [b @ (b'a' | b'A' | b'p' | b'P'), b'.', b'm' | b'M', b'.', ..] => {
                (*b | 0x20 == b'p', 4)
            }
            [b @ (b'a' | b'A' | b'p' | b'P'), b'm' | b'M', ..] => (*b | 0x20 == b'p', 2),
            _ => return None,
        };
        self.i += len;
        Some(pm)
    }

    /// `Z`, `UTC`, `GMT`, `+hh:mm`, `+hhmm`, `+hh`: minutes east of UTC.
    fn zone(&mut self) -> Result<Option<i16>, DateError> {
        let rest = &self.s[self.i..];
        if rest.eq_ignore_ascii_case(b"z")
            || rest.eq_ignore_ascii_case(b"utc")
            || rest.eq_ignore_ascii_case(b"gmt")
        {
            self.i = self.s.len();
            return Ok(Some(0));
        }
        let sign = match self.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Ok(None),
        };
        self.i += 1;
        let hours = self.exactly(2).ok_or(DateError::Unrecognised)?;
        self.eat(b':');
        let minutes = if self.done() {
            0
        } else {
            self.exactly(2).ok_or(DateError::Unrecognised)?
        };
        if hours > 14 || minutes > 59 {
            return Err(DateError::OutOfRange);
        }
        Ok(Some(sign * (hours * 60 + minutes) as i16))
    }
}

/// How a file's date column was read, shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DateReading {
    /// `None` when every cell was unambiguous by its style (ISO, year first).
    pub order: Option<DateOrder>,
    pub basis: OrderBasis,
    /// A human-readable pattern of the cells, e.g. `M/D/YYYY h:mm:ss AM/PM`.
    pub pattern: String,
    /// Some cells had no zone and were read as UTC.
    pub unzoned_as_utc: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum OrderBasis {
    /// Every cell is unambiguous by its style.
    Unambiguous,
    /// Chosen because `rows` cells only make sense in this order.
    Decided { rows: u32 },
    /// Chosen by majority: `against` cells only make sense in the other order.
    Majority { rows: u32, against: u32 },
    /// No cell decides: a 12-hour clock suggests month first, a 24-hour clock day first.
    Assumed,
}

/// Collects the evidence of one column as its cells are scanned.
#[derive(Clone, Debug, Default)]
pub struct DateColumn {
    pub(crate) day_first: u32,
    pub(crate) month_first: u32,
    pub(crate) day_month_cells: u32,
    pub(crate) unzoned: u32,
    pub(crate) shape: Option<Shape>,
    /// Whether the first year-first cell had a zone (ISO 8601) or not.
    pub(crate) exact_zoned: Option<bool>,
}

impl DateColumn {
    pub fn observe(&mut self, stamp: &Stamp) {
        match stamp.evidence() {
            Some(DateOrder::DayFirst) => self.day_first += 1,
            Some(DateOrder::MonthFirst) => self.month_first += 1,
            None => {}
        }
        if !stamp.zoned() {
            self.unzoned += 1;
        }
        match *stamp {
            Stamp::DayMonth { shape, .. } => {
                self.day_month_cells += 1;
                self.shape.get_or_insert(shape);
            }
            Stamp::Exact { zoned, .. } => {
                self.exact_zoned.get_or_insert(zoned);
            }
        }
    }

    /// Adds the evidence of a later part of the same column.
    pub fn absorb(&mut self, later: &DateColumn) {
        self.day_first += later.day_first;
        self.month_first += later.month_first;
        self.day_month_cells += later.day_month_cells;
        self.unzoned += later.unzoned;
        self.shape = self.shape.or(later.shape);
        self.exact_zoned = self.exact_zoned.or(later.exact_zoned);
    }

    pub fn decide(&self) -> (DateOrder, DateReading) {
        let (order, basis) = match (self.day_first, self.month_first) {
            (0, 0) if self.day_month_cells == 0 => (DateOrder::MonthFirst, OrderBasis::Unambiguous),
            (0, 0) => {
                let twelve_hour = self.shape.is_some_and(|s| s.twelve_hour);
                let order = if twelve_hour {
                    DateOrder::MonthFirst
                } else {
                    DateOrder::DayFirst
                };
                (order, OrderBasis::Assumed)
            }
            (d, 0) => (DateOrder::DayFirst, OrderBasis::Decided { rows: d }),
            (0, m) => (DateOrder::MonthFirst, OrderBasis::Decided { rows: m }),
            (d, m) if d >= m => (
                DateOrder::DayFirst,
                OrderBasis::Majority {
                    rows: d,
                    against: m,
                },
            ),
            (d, m) => (
                DateOrder::MonthFirst,
                OrderBasis::Majority {
                    rows: m,
                    against: d,
                },
            ),
        };
        let pattern = match self.shape {
            Some(shape) => shape_pattern(shape, order),
            // How year-first cells were written (the first seen is reported).
            None => match self.exact_zoned {
                Some(true) => "ISO 8601",
                Some(false) => "YYYY-MM-DD hh:mm:ss",
                None => "",
            }
            .to_string(),
        };
        let reading = DateReading {
            order: (basis != OrderBasis::Unambiguous).then_some(order),
            basis,
            pattern,
            unzoned_as_utc: self.unzoned > 0,
        };
        (order, reading)
    }
}

fn shape_pattern(shape: Shape, order: DateOrder) -> String {
    let sep = shape.separator as char;
    let date = match order {
        DateOrder::DayFirst => format!("D{sep}M{sep}YYYY"),
        DateOrder::MonthFirst => format!("M{sep}D{sep}YYYY"),
    };
    let hour = if shape.twelve_hour { "h" } else { "H" };
    let seconds = if shape.seconds { ":ss" } else { "" };
    let meridiem = if shape.twelve_hour { " AM/PM" } else { "" };
    format!("{date} {hour}:mm{seconds}{meridiem}")
}

/// `2017-07-17T17:38:27Z`, with milliseconds only when there are some.
pub fn format_iso(at: Millis) -> String {
    let (y, mo, d, h, mi, s, ms) = parts(at);
    if ms == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }
}

/// `2017-07-17 17:38:27` (UTC), for tables; `–` for time zero (a row without a time,
/// such as a registration state with no last-updated time).
pub fn format_display(at: Millis) -> String {
    if at == 0 {
        return "–".to_string();
    }
    let (y, mo, d, h, mi, s, _) = parts(at);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `2017-07-17` (UTC).
pub fn format_day(at: Millis) -> String {
    let (y, mo, d, ..) = parts(at);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// Start of the UTC day holding `at`.
pub fn day_start(at: Millis) -> Millis {
    at.div_euclid(DAY) * DAY
}

/// Reads `YYYY-MM-DD` (as from a date input) into the start of that UTC day.
pub fn parse_day(text: &str) -> Option<Millis> {
    match scan(text).ok()? {
        Stamp::Exact { at, .. } => Some(day_start(at)),
        Stamp::DayMonth { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(iso: &str) -> Millis {
        match scan(iso).unwrap() {
            Stamp::Exact { at, .. } => at,
            other => panic!("{iso}: {other:?}"),
        }
    }

    /// Scans a column of cells and resolves them with the column's decision.
    fn column(cells: &[&str]) -> (Vec<Result<Millis, DateError>>, DateReading) {
        let mut col = DateColumn::default();
        let stamps: Vec<_> = cells.iter().map(|c| scan(c)).collect();
        for s in stamps.iter().flatten() {
            col.observe(s);
        }
        let (order, reading) = col.decide();
        let times = stamps
            .into_iter()
            .map(|s| s.and_then(|s| s.resolve(order)))
            .collect();
        (times, reading)
    }

    fn check(cell: &str, order: DateOrder, expected: &str) {
        let stamp = scan(cell).unwrap_or_else(|e| panic!("{cell:?}: {e:?}"));
        assert_eq!(stamp.resolve(order), Ok(at(expected)), "cell {cell:?}");
    }

    #[test]
    fn every_documented_style() {
        use DateOrder::*;
        check("2017-07-17T17:38:27Z", DayFirst, "2017-07-17T17:38:27Z");
        check(
            "2017-07-17T17:38:27.1234567Z",
            DayFirst,
            "2017-07-17T17:38:27.123Z",
        );
        check(
            "2017-07-17T19:38:27+02:00",
            DayFirst,
            "2017-07-17T17:38:27Z",
        );
        check(
            "2017-07-17T17:38:27+00:00",
            DayFirst,
            "2017-07-17T17:38:27Z",
        );
        check("7/17/2017 6:05:35 PM", MonthFirst, "2017-07-17T18:05:35Z");
        check("7/17/2017 6:05 PM", MonthFirst, "2017-07-17T18:05:00Z");
        check("7/17/2017 12:05 AM", MonthFirst, "2017-07-17T00:05:00Z");
        check("7/17/2017 12:05 PM", MonthFirst, "2017-07-17T12:05:00Z");
        check("7/17/2017 6:05 pm", MonthFirst, "2017-07-17T18:05:00Z");
        check("7/17/2017 6:05 p.m.", MonthFirst, "2017-07-17T18:05:00Z");
        check("17/7/2017 6:05 A.M.", DayFirst, "2017-07-17T06:05:00Z");
        check("17/7/2017 6:05 aM", DayFirst, "2017-07-17T06:05:00Z");
        check("2017/7/17 PM 6:05", DayFirst, "2017-07-17T18:05:00Z");
        check("17-7-2017 18:05", DayFirst, "2017-07-17T18:05:00Z");
        check("17-7-2017 18:05:35", DayFirst, "2017-07-17T18:05:35Z");
        check("17/07/2017 18:05", DayFirst, "2017-07-17T18:05:00Z");
        check("17.07.2017 18:05", DayFirst, "2017-07-17T18:05:00Z");
        check("2017-07-17 18:05:35", DayFirst, "2017-07-17T18:05:35Z");
        check("2017-07-17 18:05", DayFirst, "2017-07-17T18:05:00Z");
        check("2017/7/17 18:05", DayFirst, "2017-07-17T18:05:00Z");
        check("2017/7/17 下午 06:05:35", DayFirst, "2017-07-17T18:05:35Z");
        check("2017/7/17 上午 06:05:35", DayFirst, "2017-07-17T06:05:35Z");
        check(
            "6/15/2026, 3:50:30.492 PM",
            MonthFirst,
            "2026-06-15T15:50:30.492Z",
        );
        check("7/17/2017", MonthFirst, "2017-07-17T00:00:00Z");
        check(
            " 2017-07-17 18:05:35 UTC ",
            DayFirst,
            "2017-07-17T18:05:35Z",
        );
    }

    #[test]
    fn bad_cells_say_why() {
        assert_eq!(scan(""), Err(DateError::Empty));
        assert_eq!(scan("yesterday"), Err(DateError::Unrecognised));
        assert_eq!(scan("2017-07-17 18"), Err(DateError::Unrecognised));
        assert_eq!(scan("2017-13-01 10:00"), Err(DateError::OutOfRange));
        assert_eq!(scan("2017-02-30 10:00"), Err(DateError::OutOfRange));
        assert_eq!(scan("17-7-2017 25:00"), Err(DateError::OutOfRange));
        assert_eq!(scan("13/13/2017 10:00"), Err(DateError::OutOfRange));
        assert_eq!(scan("7/17/2017 13:05 PM"), Err(DateError::OutOfRange));
        assert_eq!(
            scan("7/17/2017 6:05:35 PM trailing"),
            Err(DateError::Unrecognised)
        );
    }

    #[test]
    fn day_first_column_decided_from_unambiguous_rows() {
        let (times, reading) = column(&["1-7-2017 10:00", "17-7-2017 10:00", "2-7-2017 10:00"]);
        assert_eq!(reading.order, Some(DateOrder::DayFirst));
        assert_eq!(reading.basis, OrderBasis::Decided { rows: 1 });
        assert_eq!(reading.pattern, "D-M-YYYY H:mm");
        assert!(reading.unzoned_as_utc);
        assert_eq!(times[0], Ok(at("2017-07-01T10:00:00Z")));
        assert_eq!(times[2], Ok(at("2017-07-02T10:00:00Z")));
    }

    #[test]
    fn month_first_column_decided_from_unambiguous_rows() {
        let (times, reading) = column(&["7/1/2017 10:00:00 AM", "7/17/2017 10:00:00 PM"]);
        assert_eq!(reading.order, Some(DateOrder::MonthFirst));
        assert_eq!(reading.pattern, "M/D/YYYY h:mm:ss AM/PM");
        assert_eq!(times[0], Ok(at("2017-07-01T10:00:00Z")));
        assert_eq!(times[1], Ok(at("2017-07-17T22:00:00Z")));
    }

    #[test]
    fn wholly_ambiguous_column_is_assumed_by_clock_style() {
        let (times, reading) = column(&["1/2/2017 10:00 AM"]);
        assert_eq!(
            (reading.order, reading.basis),
            (Some(DateOrder::MonthFirst), OrderBasis::Assumed)
        );
        assert_eq!(times[0], Ok(at("2017-01-02T10:00:00Z")));
        let (times, reading) = column(&["1-2-2017 10:00"]);
        assert_eq!(
            (reading.order, reading.basis),
            (Some(DateOrder::DayFirst), OrderBasis::Assumed)
        );
        assert_eq!(times[0], Ok(at("2017-02-01T10:00:00Z")));
    }

    #[test]
    fn conflicting_column_follows_majority_and_rejects_the_rest() {
        let (times, reading) = column(&["13/1/2017 10:00", "14/1/2017 10:00", "1/13/2017 10:00"]);
        assert_eq!(
            reading.basis,
            OrderBasis::Majority {
                rows: 2,
                against: 1
            }
        );
        assert!(times[0].is_ok() && times[1].is_ok());
        assert_eq!(
            times[2],
            Err(DateError::AgainstColumnOrder(DateOrder::DayFirst))
        );
    }

    #[test]
    fn iso_column_is_unambiguous_and_zoned() {
        let (_, reading) = column(&["2017-07-17T17:38:27Z"]);
        assert_eq!(reading.order, None);
        assert_eq!(reading.basis, OrderBasis::Unambiguous);
        assert!(!reading.unzoned_as_utc);
    }

    #[test]
    fn civil_dates_round_trip_over_centuries() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= days_in_month(y, m));
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(instant(2017, 7, 17, 0, 0), Ok(1_500_249_600_000));
        assert_eq!(instant(2100, 2, 29, 0, 0), Err(DateError::OutOfRange));
        assert_eq!(
            instant(2000, 2, 29, 0, 0).map(format_day),
            Ok("2000-02-29".to_string())
        );
    }

    #[test]
    fn formats_round_trip() {
        let t = at("2017-07-17T17:38:27Z");
        assert_eq!(format_iso(t), "2017-07-17T17:38:27Z");
        assert_eq!(format_iso(t + 5), "2017-07-17T17:38:27.005Z");
        assert_eq!(format_display(t), "2017-07-17 17:38:27");
        assert_eq!(format_day(t), "2017-07-17");
        assert_eq!(parse_day("2017-07-17"), Some(at("2017-07-17T00:00:00Z")));
    }
}
