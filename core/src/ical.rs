//! iCalendar export of a cadre's due visits (走访日程导出, RFC 5545), so
//! that the cadre's phone calendar shows whom to visit by when (issue 3,
//! item 6; the due list is seed 000 part 5's 民情信号灯).
//!
//! # Shape
//!
//! One **all-day `VEVENT`** per due item whose deadline falls in the next
//! `days` days (`today` to `today + days - 1`), on its deadline
//! (`DTSTART;VALUE=DATE` the deadline, `DTEND;VALUE=DATE` the day after).
//! An overdue event item (a hospitalisation, wedding or funeral visit whose
//! deadline has passed, see [`crate::due`]) is put on `today` instead, so
//! the missed visit shows on the day it is still owed.
//! A `VTODO` with `DUE` would say "a task" more exactly, but the calendars
//! cadres carry do not show it: iOS Calendar and Google Calendar ignore
//! `VTODO` in an imported or subscribed file (iOS hands tasks to Reminders
//! only over CalDAV), while every phone calendar shows an all-day event on
//! its day. The event is marked `TRANSP:TRANSPARENT` so it does not block
//! time.
//!
//! - `UID`: deterministic, so re-importing the next day's export updates
//!   the same events instead of duplicating them: for a period item
//!   `{household}-{rule}-{period kind}-{period start}@minqing`, for an
//!   event item `{household}-{rule}-event-{event kind}-{event
//!   date}@minqing`, for a round item `{household}-{rule}-round-{round
//!   name}@minqing` (white space and `@` in names become `_`).
//! - `DTSTAMP`: the `now` the caller passes, in China Standard Time
//!   (UTC+8, no daylight saving), written in UTC. The clock is never read.
//! - `SUMMARY`: the light, the household ID, the rule, the contacts still
//!   needed, and for an event item the event's kind and day (e.g. `住院
//!   hospitalisation 2024-06-08`), for a round item the round's name (`遍访
//!   round 第一轮`); `DESCRIPTION`: the requirement and the reasons. No personal
//!   data: names and phone numbers appear only when the caller opts in with
//!   [`IcalOptions::with_contacts`].

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

use crate::due::{DueList, DueSource, SignalLight};
use crate::household::Household;

/// How the calendar is written.
///
/// ```
/// use minqing::ical::IcalOptions;
/// let o = IcalOptions::new().days(14).name("走访日程");
/// assert_eq!(o.days, 14);
/// assert_eq!(IcalOptions::default().days, 7);
/// ```
#[derive(Debug, Clone)]
pub struct IcalOptions<'a> {
    /// How many days from `today` on (`today` included) the calendar
    /// covers (default 7).
    pub days: u32,
    /// The calendar's name (`X-WR-CALNAME`); default `民情走访 / due visits`.
    pub name: String,
    /// Households whose name and phone go into the event description
    /// (personal data: `None`, the default, writes none).
    pub contacts: Option<&'a [Household]>,
}

impl Default for IcalOptions<'_> {
    fn default() -> Self {
        IcalOptions {
            days: 7,
            name: "民情走访 / due visits".to_string(),
            contacts: None,
        }
    }
}

impl<'a> IcalOptions<'a> {
    /// The defaults (see the fields).
    pub fn new() -> Self {
        IcalOptions::default()
    }

    /// Sets how many days the calendar covers.
    pub fn days(mut self, days: u32) -> Self {
        self.days = days;
        self
    }

    /// Sets the calendar's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Opts in to personal data: the name and phone of the households in
    /// `households` go into the event descriptions.
    pub fn with_contacts(mut self, households: &'a [Household]) -> Self {
        self.contacts = Some(households);
        self
    }
}

/// China Standard Time's offset from UTC.
const CST_HOURS: i64 = 8;

/// `now` (China Standard Time) as a UTC instant.
fn utc(now: NaiveDateTime) -> DateTime<Utc> {
    let t = now
        .checked_sub_signed(TimeDelta::hours(CST_HOURS))
        .unwrap_or(now);
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// A UID-safe word: white space and `@` become `_`.
fn uid_word(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || c == '@' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The iCalendar text (CRLF lines) of `list`'s due visits for the next
/// `opts.days` days: one all-day event per item on its deadline, stamped
/// `now` (China Standard Time). See the module documentation.
///
/// # Example
/// ```
/// use minqing::due::{due_list, DueOptions};
/// use minqing::ical::{due_calendar, IcalOptions};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut ds = Dataset::new();
/// let (h, c) = (HouseholdId::new("H1")?, CadreId::new("C1")?);
/// let mut hh = Household::new(h.clone(), UnitId::new("V1")?, Residency::Resident);
/// hh.name = Some("王某某".into());
/// ds.households.push(hh);
/// ds.assignments.push(Assignment::new(h, c.clone(), d(1, 1)));
/// let list = due_list(&ds, &c, d(6, 13), &DueOptions::new());
/// let ics = due_calendar(&list, d(6, 13).and_hms_opt(7, 0, 0).unwrap(), &IcalOptions::new());
/// assert!(ics.contains("DTSTART;VALUE=DATE:20240615"));
/// assert!(ics.contains("DTSTAMP:20240612T230000Z"));
/// assert!(ics.contains("UID:H1-resident-half_month-2024-06-01@minqing"));
/// assert!(!ics.contains("王某某"));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn due_calendar(list: &DueList, now: NaiveDateTime, opts: &IcalOptions<'_>) -> String {
    let stamp = utc(now);
    let last = list
        .today
        .checked_add_days(Days::new(u64::from(opts.days)))
        .unwrap_or(NaiveDate::MAX);
    let mut cal = Calendar::new();
    cal.name(&opts.name);
    for item in &list.items {
        // An overdue event visit whose deadline has passed is owed today.
        let day = if item.is_overdue() && item.source == DueSource::Event {
            item.deadline.max(list.today)
        } else {
            item.deadline
        };
        if day < list.today || day >= last {
            continue;
        }
        let hid = item.household_id.as_str();
        let uid = match (item.source, &item.event, &item.round) {
            (DueSource::Event, Some(e), _) => format!(
                "{}-{}-event-{}-{}@minqing",
                uid_word(hid),
                uid_word(&item.rule),
                uid_word(e.kind.as_str()),
                e.date
            ),
            (DueSource::Round, _, Some(r)) => format!(
                "{}-{}-round-{}@minqing",
                uid_word(hid),
                uid_word(&item.rule),
                uid_word(r)
            ),
            _ => format!(
                "{}-{}-{}-{}@minqing",
                uid_word(hid),
                uid_word(&item.rule),
                item.period.kind,
                item.period.start
            ),
        };
        let tag = match item.light {
            SignalLight::Red => "【逾期 overdue】",
            SignalLight::Yellow => "【临期 due soon】",
            SignalLight::Green => "",
        };
        let what = match (&item.event, &item.round) {
            (Some(e), _) => format!(" · {} {} {}", e.kind.zh(), e.kind.as_str(), e.date),
            (None, Some(r)) => format!(" · 遍访 round {r}"),
            (None, None) => String::new(),
        };
        let summary = format!(
            "{tag}走访 visit {hid} · {}{what} ×{}",
            item.rule, item.contacts_needed
        );
        let (modes, signed_only) = list.counts(item).map_or((Vec::new(), false), |(m, s)| {
            (m.iter().map(|m| m.as_str()).collect(), s)
        });
        let span = match item.source {
            DueSource::Period => "周期 period",
            DueSource::Event => "事件窗口 event window",
            DueSource::Round => "遍访轮次 round",
        };
        let mut desc = format!(
            "规则 rule: {}\n{span}: {} .. {}\n还需 needed: {} (已有 made: {})\n方式 modes: {}{}\n",
            item.rule,
            item.period.start,
            item.period.end(),
            item.contacts_needed,
            item.contacts_made,
            modes.join(", "),
            if signed_only {
                " (签字 signed only)"
            } else {
                ""
            },
        );
        if let Some(p) = item.missed_period {
            desc.push_str(&format!("未达标 missed: {} .. {}\n", p.start, p.end()));
        }
        if let Some(l) = item.last_contact {
            desc.push_str(&format!("上次 last contact: {l}\n"));
        }
        if let Some(h) = list.household(&item.household_id) {
            for r in h.reasons.iter().filter(|r| r.rule_index.is_none()) {
                desc.push_str(&format!("{} / {}\n", r.message.zh, r.message.en));
            }
        }
        if let Some(hs) = opts.contacts
            && let Some(h) = hs.iter().find(|h| h.id == item.household_id)
        {
            if let Some(n) = &h.name {
                desc.push_str(&format!("户主 head: {n}\n"));
            }
            if let Some(p) = &h.phone {
                desc.push_str(&format!("电话 phone: {p}\n"));
            }
        }
        let end = day.succ_opt().unwrap_or(day);
        let mut ev = Event::with_uid(&uid);
        ev.timestamp(stamp)
            .all_day(day)
            .ends(end)
            .summary(&summary)
            .description(desc.trim_end())
            .add_property("TRANSP", "TRANSPARENT")
            .add_property("CATEGORIES", item.light.as_str());
        cal.push(ev);
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::Assignment;
    use crate::due::{DueBook, DueOptions};
    use crate::household::Residency;
    use crate::id::{CadreId, HouseholdId, UnitId};
    use crate::visit::{Mode, Visit};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn fixture() -> (Vec<Household>, Vec<Assignment>, Vec<Visit>) {
        let c = CadreId::new("C1").unwrap();
        let mut h1 = Household::new(
            HouseholdId::new("H1").unwrap(),
            UnitId::new("V1").unwrap(),
            Residency::Resident,
        );
        h1.name = Some("王某某".into());
        h1.phone = Some("13800000000".into());
        let h2 = Household::new(
            HouseholdId::new("H2").unwrap(),
            UnitId::new("V1").unwrap(),
            Residency::Away,
        );
        let asg = vec![
            Assignment::new(h1.id.clone(), c.clone(), d(1, 1)),
            Assignment::new(h2.id.clone(), c.clone(), d(1, 1)),
        ];
        let vs = vec![Visit::new(
            h2.id.clone(),
            c,
            d(6, 2).and_hms_opt(9, 0, 0).unwrap(),
            Mode::Phone,
        )];
        (vec![h1, h2], asg, vs)
    }

    #[test]
    fn events_in_the_window_without_personal_data() {
        let (hs, asg, vs) = fixture();
        let list = DueBook::new(&hs, &asg, &vs).due_list(
            &CadreId::new("C1").unwrap(),
            d(6, 13),
            &DueOptions::new(),
        );
        let now = d(6, 13).and_hms_opt(6, 30, 0).unwrap();
        let ics = due_calendar(&list, now, &IcalOptions::new());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        // H1 due 15 June (in the next 7 days); H2 due 31 July (not).
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20240615"));
        assert!(ics.contains("DTEND;VALUE=DATE:20240616"));
        assert!(ics.contains("DTSTAMP:20240612T223000Z"));
        assert!(ics.contains("UID:H1-resident-half_month-2024-06-01@minqing"));
        assert!(!ics.contains("王某某") && !ics.contains("13800000000"));
        assert!(!ics.contains("H2-"));
        // Deterministic: the same inputs give the same bytes.
        assert_eq!(ics, due_calendar(&list, now, &IcalOptions::new()));
        // Longer window: both; opt in to contacts: the name and phone appear.
        let ics = due_calendar(&list, now, &IcalOptions::new().days(60).with_contacts(&hs));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        assert!(ics.contains("UID:H2-away-month-2024-07-01@minqing"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("王某某") && unfolded.contains("13800000000"));
        // No day: no event.
        let ics = due_calendar(&list, now, &IcalOptions::new().days(0));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 0);
    }

    #[test]
    fn event_and_round_items_say_what_they_are() {
        use crate::cadence::presets;
        use crate::calendar::{CampaignRound, Window};
        use crate::event::{EventKind, HouseholdEvent};
        let (hs, asg, vs) = fixture();
        // H1: a funeral on 1 June, due by 4 June, missed: owed today. H2: a
        // hospitalisation on 12 June, due by 19 June.
        let events = [
            HouseholdEvent::new(hs[0].id.clone(), d(6, 1), EventKind::Funeral),
            HouseholdEvent::new(hs[1].id.clone(), d(6, 12), EventKind::Hospitalisation),
        ];
        let book = DueBook::new(&hs, &asg, &vs).with_events(&events);
        let c = CadreId::new("C1").unwrap();
        let now = d(6, 13).and_hms_opt(6, 30, 0).unwrap();
        let list = book.due_list(
            &c,
            d(6, 13),
            &DueOptions::new().policy(presets::grid_one_plus_x()),
        );
        let ics = due_calendar(&list, now, &IcalOptions::new()).replace("\r\n ", "");
        assert!(
            ics.contains("UID:H1-wedding_or_funeral-event-funeral-2024-06-01@minqing"),
            "{ics}"
        );
        assert!(
            ics.contains("DTSTART;VALUE=DATE:20240613"),
            "overdue: on today"
        );
        assert!(ics.contains("丧事 funeral 2024-06-01"));
        assert!(ics.contains("UID:H2-hospitalisation-event-hospitalisation-2024-06-12@minqing"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20240619"));
        assert!(ics.contains("方式 modes: in_person"));
        assert!(!ics.contains("王某某"));
        let round = CampaignRound::new("第一轮 spring", Window::new(d(6, 1), d(6, 15)).unwrap());
        let list = book.due_list(
            &c,
            d(6, 13),
            &DueOptions::new().policy(presets::visit_all_rounds(vec![round])),
        );
        let ics = due_calendar(&list, now, &IcalOptions::new()).replace("\r\n ", "");
        assert!(
            ics.contains("UID:H1-resident-round-第一轮_spring@minqing"),
            "{ics}"
        );
        assert!(ics.contains("遍访 round 第一轮 spring"));
        // H2 was phoned on 2 June: the away rule's round is met.
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }
}
