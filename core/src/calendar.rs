//! Calendar periods for visit cadences (走访周期): ISO weeks, half months,
//! months, quarters, half years and years; date windows; the fixed station
//! days of the month (逢五, seed 003) and campaign rounds (遍访, seed 004).
//!
//! Every date is a calendar date in China Standard Time (UTC+8, no daylight
//! saving), as written in the files: nothing here converts time zones or
//! reads the clock.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The length of a cadence period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// 周: an ISO week, Monday to Sunday (contact households, seed 002).
    IsoWeek,
    /// 半月: days 1 to 15, then day 16 to the month's end (resident
    /// households, seed 001).
    HalfMonth,
    /// 月: a calendar month (away households, seed 001).
    Month,
    /// 季度: January to March, April to June, and so on (training, seed 001).
    Quarter,
    /// 半年: January to June, July to December (assessment, seeds 001, 000).
    HalfYear,
    /// 年: a calendar year.
    Year,
    /// 区间: a range of days that is no calendar period, e.g. the days an
    /// event gives for a visit or a campaign round's dates (due lists,
    /// [`crate::due`]). Its last day is [`Period::last`]; without one it is
    /// the single day `start`. Not a cadence: it is left out of
    /// [`PeriodKind::ALL`], and a rule with this kind counts each day as a
    /// period.
    Span,
}

impl PeriodKind {
    /// Every kind, shortest first.
    pub const ALL: &'static [PeriodKind] = &[
        PeriodKind::IsoWeek,
        PeriodKind::HalfMonth,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::HalfYear,
        PeriodKind::Year,
    ];

    /// The word used in files and JSON, e.g. `half_month`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::IsoWeek => "iso_week",
            PeriodKind::HalfMonth => "half_month",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::HalfYear => "half_year",
            PeriodKind::Year => "year",
            PeriodKind::Span => "span",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            PeriodKind::IsoWeek => "周",
            PeriodKind::HalfMonth => "半月",
            PeriodKind::Month => "月",
            PeriodKind::Quarter => "季度",
            PeriodKind::HalfYear => "半年",
            PeriodKind::Year => "年",
            PeriodKind::Span => "区间",
        }
    }
}

impl std::fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One calendar period: its kind and its first day (and, for a
/// [`PeriodKind::Span`] only, its last day).
///
/// ```
/// use minqing::calendar::{Period, PeriodKind};
/// use chrono::NaiveDate;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let p = Period::of(PeriodKind::HalfMonth, d(2024, 2, 20));
/// assert_eq!(p.start, d(2024, 2, 16));
/// assert_eq!(p.end(), d(2024, 2, 29));
/// assert_eq!(p.next().unwrap().start, d(2024, 3, 1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    /// The kind of period.
    pub kind: PeriodKind,
    /// Its first day.
    pub start: NaiveDate,
    /// The last day of a [`PeriodKind::Span`] (see [`Period::span`]);
    /// `None` for every calendar period, whose last day follows from its
    /// kind. Left out of JSON when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<NaiveDate>,
}

fn ymd(y: i32, m: u32, d: u32, fallback: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(fallback)
}

/// The last day of month `m` of year `y` (28 to 31).
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn month_end(y: i32, m: u32, fallback: NaiveDate) -> NaiveDate {
    ymd(y, m, days_in_month(y, m), fallback)
}

impl Period {
    /// The period of `kind` that contains `date`. At the very first dates
    /// chrono can represent, an ISO week that would start earlier starts
    /// at [`NaiveDate::MIN`].
    pub fn of(kind: PeriodKind, date: NaiveDate) -> Period {
        let (y, m) = (date.year(), date.month());
        let start = match kind {
            PeriodKind::IsoWeek => {
                let back = u64::from(date.weekday().num_days_from_monday());
                date.checked_sub_days(Days::new(back))
                    .unwrap_or(NaiveDate::MIN)
            }
            PeriodKind::HalfMonth => ymd(y, m, if date.day() <= 15 { 1 } else { 16 }, date),
            PeriodKind::Month => ymd(y, m, 1, date),
            PeriodKind::Quarter => ymd(y, (m - 1) / 3 * 3 + 1, 1, date),
            PeriodKind::HalfYear => ymd(y, if m <= 6 { 1 } else { 7 }, 1, date),
            PeriodKind::Year => ymd(y, 1, 1, date),
            PeriodKind::Span => date,
        };
        Period {
            kind,
            start,
            last: None,
        }
    }

    /// The range of days from `start` to `last`, both inclusive, as a
    /// [`PeriodKind::Span`]; `None` when `last` is before `start`.
    ///
    /// ```
    /// use minqing::calendar::{Period, PeriodKind};
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let p = Period::span(d(2, 27), d(3, 1)).unwrap();
    /// assert_eq!((p.kind, p.start, p.end(), p.days()), (PeriodKind::Span, d(2, 27), d(3, 1), 4));
    /// assert_eq!(p.next().unwrap().start, d(3, 2));
    /// assert!(Period::span(d(3, 1), d(2, 27)).is_none());
    /// ```
    pub fn span(start: NaiveDate, last: NaiveDate) -> Option<Period> {
        (start <= last).then_some(Period {
            kind: PeriodKind::Span,
            start,
            last: Some(last),
        })
    }

    /// The last day of the period (inclusive). At the very last dates
    /// chrono can represent, [`NaiveDate::MAX`].
    pub fn end(&self) -> NaiveDate {
        let s = self.start;
        let (y, m) = (s.year(), s.month());
        match self.kind {
            PeriodKind::IsoWeek => s.checked_add_days(Days::new(6)).unwrap_or(NaiveDate::MAX),
            PeriodKind::HalfMonth if s.day() <= 15 => ymd(y, m, 15, s),
            PeriodKind::HalfMonth | PeriodKind::Month => month_end(y, m, s),
            PeriodKind::Quarter => month_end(y, (m - 1) / 3 * 3 + 3, s),
            PeriodKind::HalfYear => month_end(y, if m <= 6 { 6 } else { 12 }, s),
            PeriodKind::Year => ymd(y, 12, 31, s),
            PeriodKind::Span => self.last.filter(|&l| l >= s).unwrap_or(s),
        }
    }

    /// The period right after this one (for a span, the span of as many
    /// days right after it); `None` past the last date chrono can
    /// represent.
    pub fn next(&self) -> Option<Period> {
        let start = self.end().succ_opt()?;
        let last = match self.last {
            Some(_) if self.kind == PeriodKind::Span => Some(
                start
                    .checked_add_days(Days::new(u64::from(self.days()) - 1))
                    .unwrap_or(NaiveDate::MAX),
            ),
            _ => None,
        };
        Some(Period {
            kind: self.kind,
            start,
            last,
        })
    }

    /// True when `date` falls inside the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end()
    }

    /// How many days the period has (7 for a week, 13 to 16 for a half
    /// month, 28 to 31 for a month, ...).
    pub fn days(&self) -> u32 {
        (self.end() - self.start).num_days() as u32 + 1
    }
}

/// The period of `kind` that contains `date` (same as [`Period::of`]).
///
/// ```
/// use minqing::calendar::{period_of, PeriodKind};
/// use chrono::NaiveDate;
/// // 2024-12-30 is a Monday: ISO week 1 of 2025 starts there.
/// let p = period_of(PeriodKind::IsoWeek, NaiveDate::from_ymd_opt(2025, 1, 2).unwrap());
/// assert_eq!(p.start, NaiveDate::from_ymd_opt(2024, 12, 30).unwrap());
/// ```
pub fn period_of(kind: PeriodKind, date: NaiveDate) -> Period {
    Period::of(kind, date)
}

/// Why a window could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    /// The window ends before it starts.
    #[error(
        "the window ends ({end}) before it starts ({start}) / 时段结束日（{end}）早于开始日（{start}）"
    )]
    Reversed {
        /// The first day asked for.
        start: NaiveDate,
        /// The last day asked for.
        end: NaiveDate,
    },
}

impl crate::problem::CodedError for WindowError {
    fn code(&self) -> crate::problem::Code {
        crate::problem::Code::WindowReversed
    }
}

/// A range of calendar dates, both ends inclusive (统计区间).
///
/// ```
/// use minqing::calendar::{PeriodKind, Window};
/// use chrono::NaiveDate;
/// let year = Window::year(2024).unwrap();
/// assert_eq!(year.days(), 366);
/// assert_eq!(year.periods(PeriodKind::HalfMonth).count(), 24);
/// // 2024-12-30 starts a week that ends in 2025: it overlaps, it is not whole.
/// assert_eq!(year.periods(PeriodKind::IsoWeek).count(), 53);
/// assert_eq!(year.whole_periods(PeriodKind::IsoWeek).count(), 52);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Window {
    /// The first day.
    pub start: NaiveDate,
    /// The last day (inclusive).
    pub end: NaiveDate,
}

impl Window {
    /// The window from `start` to `end`, both inclusive; `None` when `end`
    /// is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<Window> {
        (start <= end).then_some(Window { start, end })
    }

    /// The window from `start` to `end`, or why there is none: the one
    /// refusal every binding gives for a reversed window.
    ///
    /// # Errors
    /// [`WindowError::Reversed`] when `end` is before `start`.
    ///
    /// ```
    /// use minqing::calendar::{Window, WindowError};
    /// use minqing::problem::{Code, CodedError};
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let e = Window::checked(d(3, 1), d(2, 1)).unwrap_err();
    /// assert_eq!(e, WindowError::Reversed { start: d(3, 1), end: d(2, 1) });
    /// assert_eq!(e.code(), Code::WindowReversed);
    /// ```
    pub fn checked(start: NaiveDate, end: NaiveDate) -> Result<Window, WindowError> {
        Window::new(start, end).ok_or(WindowError::Reversed { start, end })
    }

    /// The calendar year `year`, 1 January to 31 December.
    pub fn year(year: i32) -> Option<Window> {
        Window::new(
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        )
    }

    /// True when `date` lies in the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// How many days the window has (0 when `end` is before `start`).
    pub fn days(&self) -> u32 {
        if self.end < self.start {
            0
        } else {
            (self.end - self.start).num_days() as u32 + 1
        }
    }

    /// Every period of `kind` that shares at least one day with the
    /// window, in order (the first and the last may stick out).
    pub fn periods(&self, kind: PeriodKind) -> Periods {
        Periods {
            next: (self.start <= self.end).then(|| Period::of(kind, self.start)),
            last_day: self.end,
        }
    }

    /// The periods of `kind` that lie wholly inside the window, in order.
    pub fn whole_periods(&self, kind: PeriodKind) -> impl Iterator<Item = Period> + '_ {
        self.periods(kind)
            .filter(move |p| p.start >= self.start && p.end() <= self.end)
    }
}

/// The iterator of [`Window::periods`].
#[derive(Debug, Clone)]
pub struct Periods {
    next: Option<Period>,
    last_day: NaiveDate,
}

impl Iterator for Periods {
    type Item = Period;
    fn next(&mut self) -> Option<Period> {
        let p = self.next.take()?;
        if p.start > self.last_day {
            return None;
        }
        self.next = p.next();
        Some(p)
    }
}

/// Converts a date to its day number (days since 0001-01-01 counted from
/// 1, chrono's `num_days_from_ce`), the unit of the columnar arrays.
pub fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of a day number made by [`day_number`].
pub fn from_day_number(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n)
}

/// Fixed station days of the month (坐班日). Seed 003 "逢五": the work
/// station is staffed on the 5th, 15th and 25th; the list is configurable.
/// A day that a month does not have (31 in April, 30 in February) simply
/// does not occur in that month.
///
/// ```
/// use minqing::calendar::{StationDays, Window};
/// use chrono::NaiveDate;
/// let feb = Window::new(
///     NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
///     NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
/// ).unwrap();
/// assert_eq!(StationDays::default().dates_in(&feb).len(), 3);
/// assert_eq!(StationDays::new([30, 31]).dates_in(&feb).len(), 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StationDays {
    /// The days of the month, 1 to 31, ascending, without repeats.
    pub days: Vec<u32>,
}

impl Default for StationDays {
    /// Seed 003 "逢五": the 5th, 15th and 25th.
    fn default() -> Self {
        StationDays::new([5, 15, 25])
    }
}

impl StationDays {
    /// The station days `days` (sorted, repeats and days outside 1 to 31
    /// dropped).
    pub fn new(days: impl IntoIterator<Item = u32>) -> Self {
        let mut days: Vec<u32> = days.into_iter().filter(|d| (1..=31).contains(d)).collect();
        days.sort_unstable();
        days.dedup();
        StationDays { days }
    }

    /// True when `date` is a station day.
    pub fn is_station_day(&self, date: NaiveDate) -> bool {
        self.days.contains(&date.day())
    }

    /// Every station day inside `window`, in order.
    pub fn dates_in(&self, window: &Window) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        for month in window.periods(PeriodKind::Month) {
            for &d in &self.days {
                if let Some(date) = month.start.with_day(d)
                    && window.contains(date)
                {
                    out.push(date);
                }
            }
        }
        out
    }
}

/// A campaign round (遍访轮次, seed 004: two rounds visiting every one of
/// 12,800 resident households once): a named date range.
///
/// ```
/// use minqing::calendar::{CampaignRound, Window};
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let round = CampaignRound::new("第一轮遍访", Window::new(d(3, 1), d(4, 30)).unwrap());
/// assert!(round.contains(d(4, 30)));
/// assert!(!round.contains(d(5, 1)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CampaignRound {
    /// Its name, e.g. `第一轮遍访`.
    pub name: String,
    /// Its dates, both ends inclusive.
    pub window: Window,
}

impl CampaignRound {
    /// A round called `name` over `window`.
    pub fn new(name: impl Into<String>, window: Window) -> Self {
        CampaignRound {
            name: name.into(),
            window,
        }
    }

    /// True when `date` falls inside the round.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.window.contains(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn half_months_on_leap_and_common_february() {
        let p = Period::of(PeriodKind::HalfMonth, d(2024, 2, 29));
        assert_eq!((p.start, p.end()), (d(2024, 2, 16), d(2024, 2, 29)));
        assert_eq!(p.days(), 14);
        let p = Period::of(PeriodKind::HalfMonth, d(2023, 2, 16));
        assert_eq!((p.start, p.end()), (d(2023, 2, 16), d(2023, 2, 28)));
        assert_eq!(p.next().unwrap().start, d(2023, 3, 1));
        let p = Period::of(PeriodKind::HalfMonth, d(2024, 1, 15));
        assert_eq!((p.start, p.end()), (d(2024, 1, 1), d(2024, 1, 15)));
        let p = Period::of(PeriodKind::HalfMonth, d(2024, 1, 31));
        assert_eq!((p.start, p.end()), (d(2024, 1, 16), d(2024, 1, 31)));
    }

    #[test]
    fn months_quarters_halves_years() {
        let m = Period::of(PeriodKind::Month, d(2023, 2, 10));
        assert_eq!((m.start, m.end()), (d(2023, 2, 1), d(2023, 2, 28)));
        let m = Period::of(PeriodKind::Month, d(2024, 2, 29));
        assert_eq!(m.end(), d(2024, 2, 29));
        let q = Period::of(PeriodKind::Quarter, d(2024, 5, 31));
        assert_eq!((q.start, q.end()), (d(2024, 4, 1), d(2024, 6, 30)));
        let h = Period::of(PeriodKind::HalfYear, d(2024, 7, 1));
        assert_eq!((h.start, h.end()), (d(2024, 7, 1), d(2024, 12, 31)));
        let y = Period::of(PeriodKind::Year, d(2024, 12, 31));
        assert_eq!(y.days(), 366);
        assert_eq!(y.next().unwrap().start, d(2025, 1, 1));
        for kind in PeriodKind::ALL {
            let p = Period::of(*kind, d(2024, 12, 31));
            assert!(p.contains(d(2024, 12, 31)), "{kind}");
            let n = p.next().unwrap();
            assert_eq!(n.start, p.end().succ_opt().unwrap());
            assert_eq!(Period::of(*kind, n.start), n);
        }
        assert_eq!(
            Period::of(PeriodKind::Month, d(2024, 12, 31))
                .next()
                .unwrap()
                .start,
            d(2025, 1, 1)
        );
    }

    #[test]
    fn iso_week_across_year_boundary() {
        // 2020-12-31 is a Thursday; its week runs 2020-12-28 to 2021-01-03.
        let w = Period::of(PeriodKind::IsoWeek, d(2021, 1, 3));
        assert_eq!((w.start, w.end()), (d(2020, 12, 28), d(2021, 1, 3)));
        assert_eq!(Period::of(PeriodKind::IsoWeek, d(2020, 12, 31)), w);
        assert_eq!(w.next().unwrap().start, d(2021, 1, 4));
        let w = Period::of(PeriodKind::IsoWeek, d(2024, 12, 31));
        assert_eq!(w.start, d(2024, 12, 30));
        assert_eq!(w.end(), d(2025, 1, 5));
    }

    #[test]
    fn window_periods() {
        let y = Window::year(2024).unwrap();
        assert_eq!(y.periods(PeriodKind::Month).count(), 12);
        assert_eq!(y.periods(PeriodKind::Quarter).count(), 4);
        assert_eq!(y.periods(PeriodKind::Year).count(), 1);
        let w = Window::new(d(2024, 2, 10), d(2024, 3, 20)).unwrap();
        let hm: Vec<NaiveDate> = w.periods(PeriodKind::HalfMonth).map(|p| p.start).collect();
        assert_eq!(
            hm,
            vec![d(2024, 2, 1), d(2024, 2, 16), d(2024, 3, 1), d(2024, 3, 16)]
        );
        let whole: Vec<NaiveDate> = w
            .whole_periods(PeriodKind::HalfMonth)
            .map(|p| p.start)
            .collect();
        assert_eq!(whole, vec![d(2024, 2, 16), d(2024, 3, 1)]);
        assert!(Window::new(d(2024, 2, 2), d(2024, 2, 1)).is_none());
        let one = Window::new(d(2024, 2, 29), d(2024, 2, 29)).unwrap();
        assert_eq!(one.days(), 1);
        assert_eq!(one.periods(PeriodKind::Year).count(), 1);
    }

    #[test]
    fn extremes_do_not_panic() {
        for kind in PeriodKind::ALL {
            let p = Period::of(*kind, NaiveDate::MAX);
            let _ = p.end();
            let _ = p.next();
            let p = Period::of(*kind, NaiveDate::MIN);
            assert!(p.end() >= p.start);
        }
    }

    #[test]
    fn station_days_feng_wu() {
        let s = StationDays::default();
        assert!(s.is_station_day(d(2024, 3, 25)));
        assert!(!s.is_station_day(d(2024, 3, 26)));
        let y = Window::year(2024).unwrap();
        assert_eq!(s.dates_in(&y).len(), 36);
        let odd = StationDays::new([31, 0, 31, 40]);
        assert_eq!(odd.days, vec![31]);
        assert_eq!(odd.dates_in(&y).len(), 7);
    }

    #[test]
    fn serde_is_snake_case() {
        let p = Period::of(PeriodKind::HalfMonth, d(2024, 2, 29));
        let j = serde_json::to_string(&p).unwrap();
        assert_eq!(j, r#"{"kind":"half_month","start":"2024-02-16"}"#);
        assert_eq!(serde_json::from_str::<Period>(&j).unwrap(), p);
        let w = Window::year(2024).unwrap();
        let j = serde_json::to_string(&w).unwrap();
        assert_eq!(j, r#"{"start":"2024-01-01","end":"2024-12-31"}"#);
    }
}
