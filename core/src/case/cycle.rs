//! The reporting cycle: contact-card summaries by the 3rd, the joint
//! meeting on the 5th (seed 002), the weekly analysis meeting (seed 000).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

use super::{CasePolicy, RequestLog, Stage};
use crate::id::RequestId;

/// The meeting calendar of the request pipeline. Days of the month past
/// the month's end fall on its last day (a summary day of 31 is 30 April).
///
/// ```
/// use minqing::case::ReportingCycle;
/// use chrono::NaiveDate;
/// let c = ReportingCycle::default();
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// // escalated by the 3rd: this month's meeting on the 5th; later: next month's
/// assert_eq!(c.joint_meeting_for(d(5, 3)), d(5, 5));
/// assert_eq!(c.joint_meeting_for(d(5, 4)), d(6, 5));
/// assert_eq!(c.joint_meeting_on_or_after(d(5, 6)), d(6, 5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingCycle {
    /// Contact cards (民情联系卡) are summarised by this day of each month: 3
    /// (每月3日前, seed 002).
    pub card_summary_day: u32,
    /// The township joint meeting is held on this day of each month: 5
    /// (每月5日…专题联席会议, seed 002).
    pub joint_meeting_day: u32,
    /// The weekday of the weekly analysis meeting (民情分析会, seed 000 part
    /// 5; the seed names no day): Monday.
    pub analysis_weekday: Weekday,
    /// The days of collection an analysis meeting reviews: 7, the week
    /// before it.
    pub analysis_days: u32,
}

impl Default for ReportingCycle {
    fn default() -> Self {
        ReportingCycle {
            card_summary_day: 3,
            joint_meeting_day: 5,
            analysis_weekday: Weekday::Mon,
            analysis_days: 7,
        }
    }
}

fn day_of(year: i32, month: u32, day: u32) -> NaiveDate {
    let day = day.max(1);
    let mut d = day;
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(year, month, d) {
            return x;
        }
        if d <= 28 {
            // month or year out of range: cannot happen for chrono dates
            return NaiveDate::MIN;
        }
        d -= 1;
    }
}

fn next_month(d: NaiveDate) -> (i32, u32) {
    if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    }
}

impl ReportingCycle {
    /// Sets the summary day.
    pub fn card_summary_day(mut self, d: u32) -> Self {
        self.card_summary_day = d;
        self
    }
    /// Sets the joint meeting day.
    pub fn joint_meeting_day(mut self, d: u32) -> Self {
        self.joint_meeting_day = d;
        self
    }
    /// Sets the analysis meeting's weekday.
    pub fn analysis_weekday(mut self, w: Weekday) -> Self {
        self.analysis_weekday = w;
        self
    }

    fn monthly_on_or_after(day: u32, on: NaiveDate) -> NaiveDate {
        let this = day_of(on.year(), on.month(), day);
        if this >= on {
            this
        } else {
            let (y, m) = next_month(on);
            day_of(y, m, day)
        }
    }

    /// The first summary day on or after `on`.
    pub fn card_summary_on_or_after(&self, on: NaiveDate) -> NaiveDate {
        Self::monthly_on_or_after(self.card_summary_day, on)
    }

    /// The first joint meeting on or after `on`.
    pub fn joint_meeting_on_or_after(&self, on: NaiveDate) -> NaiveDate {
        Self::monthly_on_or_after(self.joint_meeting_day, on)
    }

    /// The joint meeting that studies a request escalated on `escalated_on`:
    /// the first meeting on or after the first summary day on or after that
    /// date (escalated by the 3rd: the 5th of the month; after the 3rd: the
    /// 5th of the next month).
    pub fn joint_meeting_for(&self, escalated_on: NaiveDate) -> NaiveDate {
        self.joint_meeting_on_or_after(self.card_summary_on_or_after(escalated_on))
    }

    /// The first analysis meeting on or after `on`.
    pub fn analysis_meeting_on_or_after(&self, on: NaiveDate) -> NaiveDate {
        let ahead = (7 + self.analysis_weekday.num_days_from_monday()
            - on.weekday().num_days_from_monday())
            % 7;
        on + Duration::days(i64::from(ahead))
    }
}

/// What the next meetings take up, as of a day ([`meetings_due`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingsDue {
    /// The next summary day (on or after today).
    pub card_summary_due: NaiveDate,
    /// The next joint meeting (on or after today).
    pub joint_meeting: NaiveDate,
    /// Escalated requests without a handler that this meeting studies.
    pub joint_agenda: Vec<RequestId>,
    /// Escalated requests without a handler whose meeting has passed:
    /// overdue for assignment.
    pub joint_missed: Vec<RequestId>,
    /// The next analysis meeting (on or after today).
    pub analysis_meeting: NaiveDate,
    /// Requests raised in the week before it (reviewed there).
    pub analysis_agenda: Vec<RequestId>,
    /// Requests past their deadline at the start of today.
    pub overdue: Vec<RequestId>,
}

/// Which requests go to which meeting, and what is overdue, on `today`
/// (seed 002's cycle, seed 000's weekly analysis meeting). Logs that do not
/// fold are left out.
///
/// ```
/// use minqing::case::*;
/// use chrono::NaiveDate;
/// let today = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
/// let m = meetings_due(&[], &CasePolicy::default(), today);
/// assert_eq!(m.card_summary_due, NaiveDate::from_ymd_opt(2024, 3, 3).unwrap());
/// assert_eq!(m.joint_meeting, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
/// assert_eq!(m.analysis_meeting, NaiveDate::from_ymd_opt(2024, 3, 4).unwrap());
/// ```
pub fn meetings_due(logs: &[RequestLog], policy: &CasePolicy, today: NaiveDate) -> MeetingsDue {
    let c = &policy.cycle;
    let joint = c.joint_meeting_on_or_after(today);
    let analysis = c.analysis_meeting_on_or_after(today);
    let week_from = analysis - Duration::days(i64::from(c.analysis_days));
    let start: NaiveDateTime = today.and_hms_opt(0, 0, 0).unwrap_or_default();
    let mut m = MeetingsDue {
        card_summary_due: c.card_summary_on_or_after(today),
        joint_meeting: joint,
        joint_agenda: Vec::new(),
        joint_missed: Vec::new(),
        analysis_meeting: analysis,
        analysis_agenda: Vec::new(),
        overdue: Vec::new(),
    };
    for log in logs {
        let Ok(s) = log.state() else { continue };
        if s.stage == Stage::Escalated {
            if let Some(at) = s.escalated_at {
                let meeting = c.joint_meeting_for(at.date());
                if meeting < today {
                    m.joint_missed.push(s.request_id.clone());
                } else if meeting == joint {
                    m.joint_agenda.push(s.request_id.clone());
                }
            }
        }
        let raised = s.raised_at.date();
        if raised >= week_from && raised < analysis {
            m.analysis_agenda.push(s.request_id.clone());
        }
        if s.is_overdue(start) {
            m.overdue.push(s.request_id.clone());
        }
    }
    m
}
