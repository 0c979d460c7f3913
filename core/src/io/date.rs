//! Dates and date-times as the interchange formats write them (formats.md).
//!
//! Accepted dates: `YYYY-MM-DD` and Excel's `YYYY/M/D`. Accepted date-times,
//! all in China Standard Time with no offset written:
//! `YYYY-MM-DDTHH:MM[:SS]`, `YYYY-MM-DD HH:MM[:SS]` and `YYYY/M/D H:MM[:SS]`.
//! An offset (`Z`, `+08:00`), a fraction of a second, or anything else after
//! the time is refused rather than guessed at. Dates that do not exist
//! (`2023-02-29`, `2024-04-31`) are refused.
//!
//! The parsers are written by hand (no format strings) because they run
//! once per CSV field.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Why a date or date-time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not in an accepted format.
    #[error("not in an accepted format")]
    Format,
    /// The format is right but there is no such day (e.g. 2023-02-29) or
    /// no such time of day (e.g. 24:00).
    #[error("no such calendar date or time of day")]
    NotCalendar,
    /// A time-zone offset is written; times are China Standard Time and
    /// carry none.
    #[error("a time-zone offset is written; times are China Standard Time without offset")]
    Offset,
}

impl DateError {
    /// A short explanation in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            DateError::Format => "格式不正确",
            DateError::NotCalendar => "日历上没有这一天或这一时刻",
            DateError::Offset => "不应写时区（一律为北京时间，不写时区）",
        }
    }
}

/// The code is `field.bad_date`; a reader of a date-time field reports
/// `field.bad_datetime` with the same message.
impl crate::problem::CodedError for DateError {
    fn code(&self) -> crate::problem::Code {
        crate::problem::Code::FieldBadDate
    }

    fn message(&self) -> crate::problem::Message {
        crate::problem::Message {
            zh: self.zh().to_string(),
            en: self.to_string(),
        }
    }
}

/// Reads `n` ASCII digits at `b[at..at + n]` as a number.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v: u32 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Reads one or two ASCII digits at `b[at..]`; returns the number and how
/// many bytes were used.
fn one_or_two_digits(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let first = digits(b, at, 1)?;
    match digits(b, at + 1, 1) {
        Some(second) => Some((first * 10 + second, 2)),
        None => Some((first, 1)),
    }
}

fn make_date(y: u32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    let y = i32::try_from(y).map_err(|_| DateError::Format)?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NotCalendar)
}

/// Parses the date at the start of `b`; returns it, the number of bytes
/// used, and whether it was written the Excel way (`YYYY/M/D`).
fn date_prefix(b: &[u8]) -> Result<(NaiveDate, usize, bool), DateError> {
    let y = digits(b, 0, 4).ok_or(DateError::Format)?;
    match b.get(4) {
        Some(b'-') => {
            let m = digits(b, 5, 2).ok_or(DateError::Format)?;
            if b.get(7) != Some(&b'-') {
                return Err(DateError::Format);
            }
            let d = digits(b, 8, 2).ok_or(DateError::Format)?;
            Ok((make_date(y, m, d)?, 10, false))
        }
        Some(b'/') => {
            let (m, ml) = one_or_two_digits(b, 5).ok_or(DateError::Format)?;
            let at = 5 + ml;
            if b.get(at) != Some(&b'/') {
                return Err(DateError::Format);
            }
            let (d, dl) = one_or_two_digits(b, at + 1).ok_or(DateError::Format)?;
            Ok((make_date(y, m, d)?, at + 1 + dl, true))
        }
        _ => Err(DateError::Format),
    }
}

/// Parses a date: `YYYY-MM-DD` or Excel's `YYYY/M/D` (one or two digits for
/// month and day).
///
/// # Errors
/// [`DateError::Format`] for any other text, [`DateError::NotCalendar`] for
/// a day that does not exist.
///
/// # Example
/// ```
/// use minqing::io::date::{parse_date, DateError};
/// use chrono::NaiveDate;
/// assert_eq!(parse_date("2024-02-29"), Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
/// assert_eq!(parse_date("2024/3/5"), Ok(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()));
/// assert_eq!(parse_date("2023-02-29"), Err(DateError::NotCalendar));
/// assert_eq!(parse_date("5 March"), Err(DateError::Format));
/// ```
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let (date, used, _) = date_prefix(b)?;
    if used == b.len() {
        Ok(date)
    } else {
        Err(DateError::Format)
    }
}

/// Parses a date-time in China Standard Time: `YYYY-MM-DDTHH:MM[:SS]`,
/// `YYYY-MM-DD HH:MM[:SS]` or Excel's `YYYY/M/D H:MM[:SS]`.
///
/// # Errors
/// [`DateError::Offset`] when an offset such as `Z` or `+08:00` follows the
/// time, [`DateError::NotCalendar`] for a day or time that does not exist,
/// [`DateError::Format`] for anything else.
///
/// # Example
/// ```
/// use minqing::io::date::{parse_datetime, DateError};
/// use chrono::NaiveDate;
/// let t = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap().and_hms_opt(8, 7, 0).unwrap();
/// assert_eq!(parse_datetime("2024-03-05T08:07"), Ok(t));
/// assert_eq!(parse_datetime("2024-03-05 08:07:00"), Ok(t));
/// assert_eq!(parse_datetime("2024/3/5 8:07"), Ok(t));
/// assert_eq!(parse_datetime("2024-03-05T08:07+08:00"), Err(DateError::Offset));
/// ```
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, DateError> {
    let b = s.as_bytes();
    let (date, mut at, excel) = date_prefix(b)?;
    match b.get(at) {
        Some(b'T') if !excel => {}
        Some(b' ') => {}
        _ => return Err(DateError::Format),
    }
    at += 1;
    let (h, hl) = if excel {
        one_or_two_digits(b, at).ok_or(DateError::Format)?
    } else {
        (digits(b, at, 2).ok_or(DateError::Format)?, 2)
    };
    at += hl;
    if b.get(at) != Some(&b':') {
        return Err(DateError::Format);
    }
    let m = digits(b, at + 1, 2).ok_or(DateError::Format)?;
    at += 3;
    let mut sec = 0;
    if b.get(at) == Some(&b':') {
        sec = digits(b, at + 1, 2).ok_or(DateError::Format)?;
        at += 3;
    }
    match b.get(at) {
        None => {}
        Some(b'Z' | b'z' | b'+' | b'-') => return Err(DateError::Offset),
        Some(_) => return Err(DateError::Format),
    }
    let time = NaiveTime::from_hms_opt(h, m, sec).ok_or(DateError::NotCalendar)?;
    Ok(date.and_time(time))
}

/// Appends `d` as `YYYY-MM-DD` to `out`.
pub fn push_date(out: &mut String, d: NaiveDate) {
    // writing to a String cannot fail
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// Appends `t` as `YYYY-MM-DDTHH:MM`, with `:SS` only when the seconds are
/// not zero. A fraction of a second is not written (the readers accept
/// none).
pub fn push_datetime(out: &mut String, t: NaiveDateTime) {
    push_date(out, t.date());
    let _ = write!(out, "T{:02}:{:02}", t.hour(), t.minute());
    if t.second() != 0 {
        let _ = write!(out, ":{:02}", t.second());
    }
}

/// Formats a date as `YYYY-MM-DD`.
///
/// # Example
/// ```
/// use minqing::io::date::format_date;
/// use chrono::NaiveDate;
/// assert_eq!(format_date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()), "2024-03-05");
/// ```
pub fn format_date(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    push_date(&mut s, d);
    s
}

/// Formats a date-time as `YYYY-MM-DDTHH:MM`, adding `:SS` only when the
/// seconds are not zero.
///
/// # Example
/// ```
/// use minqing::io::date::format_datetime;
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
/// assert_eq!(format_datetime(d.and_hms_opt(8, 7, 0).unwrap()), "2024-03-05T08:07");
/// assert_eq!(format_datetime(d.and_hms_opt(8, 7, 9).unwrap()), "2024-03-05T08:07:09");
/// ```
pub fn format_datetime(t: NaiveDateTime) -> String {
    let mut s = String::with_capacity(19);
    push_datetime(&mut s, t);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_both_formats() {
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("2024/2/29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("2024/02/09"), Ok(d(2024, 2, 9)));
        assert_eq!(parse_date("2024/12/31"), Ok(d(2024, 12, 31)));
        assert_eq!(parse_date("0001-01-01"), Ok(d(1, 1, 1)));
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("2023-02-29"), Err(DateError::NotCalendar));
        assert_eq!(parse_date("2024-13-01"), Err(DateError::NotCalendar));
        assert_eq!(parse_date("2024-04-31"), Err(DateError::NotCalendar));
        assert_eq!(parse_date("2024-00-10"), Err(DateError::NotCalendar));
        assert_eq!(parse_date("2023/2/29"), Err(DateError::NotCalendar));
    }

    #[test]
    fn malformed_dates_are_refused() {
        for s in [
            "",
            "2024",
            "2024-1-05",
            "2024-01-5",
            "2024-01-05 ",
            " 2024-01-05",
            "2024-01-05T00:00",
            "2024/1/5/",
            "2024/123/5",
            "2024/1/",
            "24-01-05",
            "２０２４-01-05",
            "2024.01.05",
            "today",
            "+024-01-05",
        ] {
            assert_eq!(parse_date(s), Err(DateError::Format), "{s:?}");
        }
    }

    #[test]
    fn datetimes_in_every_accepted_format() {
        let t = |h, m, s| d(2024, 3, 5).and_hms_opt(h, m, s).unwrap();
        assert_eq!(parse_datetime("2024/3/5 8:07"), Ok(t(8, 7, 0)));
        assert_eq!(parse_datetime("2024/3/5 18:07:30"), Ok(t(18, 7, 30)));
        assert_eq!(parse_datetime("2024-03-05T08:07"), Ok(t(8, 7, 0)));
        assert_eq!(parse_datetime("2024-03-05 08:07:59"), Ok(t(8, 7, 59)));
        assert_eq!(parse_datetime("2024-03-05T23:59:59"), Ok(t(23, 59, 59)));
    }

    #[test]
    fn bad_datetimes_are_refused() {
        use DateError::*;
        let cases = [
            ("2024-03-05", Format),
            ("2024-03-05T", Format),
            ("2024-03-05T8:07", Format),
            ("2024-03-05T08:7", Format),
            ("2024/3/5T8:07", Format),
            ("2024-03-05T08:07:5", Format),
            ("2024-03-05T08:07:00.5", Format),
            ("2024-03-05T08:07 ", Format),
            ("2024-03-05T08:07Z", Offset),
            ("2024-03-05T08:07:00+08:00", Offset),
            ("2024-03-05 08:07-05:00", Offset),
            ("2024-03-05T24:00", NotCalendar),
            ("2024-03-05T12:60", NotCalendar),
            ("2023-02-29T12:00", NotCalendar),
            ("noon", Format),
        ];
        for (s, e) in cases {
            assert_eq!(parse_datetime(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn writers_round_trip() {
        let t = d(2024, 2, 29).and_hms_opt(9, 5, 0).unwrap();
        assert_eq!(format_datetime(t), "2024-02-29T09:05");
        assert_eq!(parse_datetime(&format_datetime(t)), Ok(t));
        let t2 = d(987, 12, 1).and_hms_opt(0, 0, 1).unwrap();
        assert_eq!(format_datetime(t2), "0987-12-01T00:00:01");
        assert_eq!(parse_datetime(&format_datetime(t2)), Ok(t2));
        assert_eq!(format_date(d(2024, 1, 9)), "2024-01-09");
        assert_eq!(parse_date(&format_date(d(2024, 1, 9))), Ok(d(2024, 1, 9)));
    }
}

/// Serde adapters for the date and date-time fields of the records: they
/// write what chrono writes (`2024-02-29`, `2024-02-29T09:30:00`), so JSON
/// output does not change, and read every form the interchange formats
/// accept (`2024-02-29T09:30`, `2024-02-29 09:30`, `2024/2/29 9:30`), so a
/// JSON document written by another tool reads as its CSV files would.
///
/// ```
/// use minqing::visit::Visit;
/// let v: Visit = serde_json::from_str(
///     r#"{"household_id": "H1", "cadre_id": "C1", "at": "2024/2/29 9:30", "mode": "phone"}"#,
/// )?;
/// assert_eq!(serde_json::to_value(&v)?["at"], "2024-02-29T09:30:00");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod serde_formats {
    use chrono::{NaiveDate, NaiveDateTime};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn datetime_from(s: &str) -> Result<NaiveDateTime, String> {
        super::parse_datetime(s)
            // chrono's own form, with fractions of a second
            .or_else(|e| s.parse::<NaiveDateTime>().map_err(|_| e))
            .map_err(|e| format!("not a valid date-time: {e}"))
    }

    fn date_from(s: &str) -> Result<NaiveDate, String> {
        super::parse_date(s).map_err(|e| format!("not a valid date: {e}"))
    }

    /// A required date-time field.
    pub mod datetime {
        use super::*;

        /// Writes the date-time as chrono does.
        pub fn serialize<S: Serializer>(v: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
            v.serialize(s)
        }

        /// Reads any accepted form.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
            let s = String::deserialize(d)?;
            datetime_from(&s).map_err(serde::de::Error::custom)
        }
    }

    /// An optional date-time field (`null` or absent is `None`).
    pub mod opt_datetime {
        use super::*;

        /// Writes the date-time as chrono does.
        pub fn serialize<S: Serializer>(
            v: &Option<NaiveDateTime>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            v.serialize(s)
        }

        /// Reads any accepted form.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<NaiveDateTime>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| datetime_from(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }

    /// A required date field.
    pub mod date {
        use super::*;

        /// Writes the date as chrono does.
        pub fn serialize<S: Serializer>(v: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
            v.serialize(s)
        }

        /// Reads any accepted form.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
            let s = String::deserialize(d)?;
            date_from(&s).map_err(serde::de::Error::custom)
        }
    }

    /// An optional date field (`null` or absent is `None`).
    pub mod opt_date {
        use super::*;

        /// Writes the date as chrono does.
        pub fn serialize<S: Serializer>(v: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            v.serialize(s)
        }

        /// Reads any accepted form.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| date_from(&s).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}
