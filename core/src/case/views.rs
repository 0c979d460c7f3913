//! Ledgers and lists of requests (seeds 001, 004), a cadre's and a unit's
//! open requests, and the request-based signal light of a household.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{CasePolicy, Category, RequestLog, RequestState, Stage, Track};
use crate::dataset::Dataset;
use crate::id::{CadreId, HouseholdId, RequestId, UnitId};
use crate::problem::Message;
use crate::visit::{Mode, Visit};

/// One row of a request ledger or list: content, measures, responsible
/// person, deadline (内容、举措、责任人、完成时限, seed 004).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The request.
    pub request_id: RequestId,
    /// The household.
    pub household_id: HouseholdId,
    /// What it is about.
    pub category: Category,
    /// Its track.
    pub track: Option<Track>,
    /// Where it stands.
    pub stage: Stage,
    /// The content (the caller's summary).
    pub content: String,
    /// The latest measures.
    pub measures: String,
    /// The responsible person: the handler a meeting named, else the cadre.
    pub responsible: CadreId,
    /// The deadline in force, if any.
    pub deadline: Option<NaiveDateTime>,
    /// When it was raised.
    pub raised_at: NaiveDateTime,
    /// When it was last concluded, if it was.
    pub concluded_at: Option<NaiveDateTime>,
    /// True when overdue at the instant the view was made for.
    pub overdue: bool,
}

impl LedgerRow {
    /// The row of a state, seen at `now`.
    pub fn of(s: &RequestState, now: NaiveDateTime) -> Self {
        LedgerRow {
            request_id: s.request_id.clone(),
            household_id: s.household.clone(),
            category: s.category,
            track: s.track,
            stage: s.stage,
            content: s.summary.clone(),
            measures: s.measures.clone(),
            responsible: s.responsible().clone(),
            deadline: s.deadline,
            raised_at: s.raised_at,
            concluded_at: s.concluded_at,
            overdue: s.is_overdue(now),
        }
    }
}

/// One row of the visit ledger (走访台账, seed 004).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRow {
    /// The household.
    pub household_id: HouseholdId,
    /// The cadre.
    pub cadre_id: CadreId,
    /// When.
    pub at: NaiveDateTime,
    /// How.
    pub mode: Mode,
    /// Whether the household signed the work log.
    pub signed: bool,
    /// The visit's note (its content).
    pub content: String,
    /// Requests raised by this household at this instant by this cadre.
    pub requests: Vec<RequestId>,
}

/// "One ledger, two lists" (一台账两清单, seed 004): the visit ledger, the
/// list of requests and the list of completed requests, as of the end of a
/// window; published and updated weekly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneLedgerTwoLists {
    /// Visits in the window, oldest first.
    pub visits: Vec<VisitRow>,
    /// Requests raised in the window and not concluded at its end (问题诉求清单).
    pub requests: Vec<LedgerRow>,
    /// Requests raised in the window and concluded (resolved, explained,
    /// settled or closed) at its end (办结清单).
    pub completed: Vec<LedgerRow>,
}

fn end_of(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(23, 59, 59).unwrap_or_default()
}

/// The ledger and two lists of seed 004 for the days `from..=to`. Logs that
/// do not fold are left out.
pub fn one_ledger_two_lists(
    visits: &[Visit],
    logs: &[RequestLog],
    from: NaiveDate,
    to: NaiveDate,
) -> OneLedgerTwoLists {
    let end = end_of(to);
    let mut raised_by: HashMap<(&HouseholdId, &CadreId, NaiveDateTime), Vec<RequestId>> =
        HashMap::new();
    let mut states: Vec<RequestState> = Vec::new();
    for log in logs {
        if let Ok(Some(s)) = log.state_at(end) {
            if s.raised_at.date() >= from {
                states.push(s);
            }
        }
    }
    for s in &states {
        raised_by
            .entry((&s.household, &s.cadre, s.raised_at))
            .or_default()
            .push(s.request_id.clone());
    }
    let mut vrows: Vec<VisitRow> = visits
        .iter()
        .filter(|v| v.at.date() >= from && v.at.date() <= to)
        .map(|v| VisitRow {
            household_id: v.household.clone(),
            cadre_id: v.cadre.clone(),
            at: v.at,
            mode: v.mode,
            signed: v.signed,
            content: v.note.clone().unwrap_or_default(),
            requests: raised_by
                .get(&(&v.household, &v.cadre, v.at))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    vrows.sort_by(|a, b| (a.at, &a.household_id).cmp(&(b.at, &b.household_id)));
    let mut out = OneLedgerTwoLists {
        visits: vrows,
        requests: Vec::new(),
        completed: Vec::new(),
    };
    for s in &states {
        let row = LedgerRow::of(s, end);
        if s.is_concluded() {
            out.completed.push(row);
        } else {
            out.requests.push(row);
        }
    }
    sort_rows(&mut out.requests);
    out.completed
        .sort_by(|a, b| (a.concluded_at, &a.request_id).cmp(&(b.concluded_at, &b.request_id)));
    out
}

/// The three intake ledgers of seed 001 (即办、代办、上报事项工作台账).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeLedgers {
    /// On the spot (即办), and disputes the cadre mediates.
    pub on_the_spot: Vec<LedgerRow>,
    /// Proxy (代办).
    pub proxy: Vec<LedgerRow>,
    /// Escalated (上报): ever escalated, or put on joint handling.
    pub escalated: Vec<LedgerRow>,
}

/// Sorts every request into one of seed 001's three ledgers: escalated if
/// it was ever escalated or triaged to joint handling; proxy if its track
/// is proxy; on the spot otherwise (on the spot, mediation by the cadre,
/// not triaged yet). Each ledger is sorted by deadline.
pub fn intake_ledgers(logs: &[RequestLog], now: NaiveDateTime) -> IntakeLedgers {
    let mut out = IntakeLedgers::default();
    for log in logs {
        let Ok(s) = log.state() else { continue };
        let row = LedgerRow::of(&s, now);
        if s.escalations > 0 || s.track == Some(Track::Joint) {
            out.escalated.push(row);
        } else if s.track == Some(Track::Proxy) {
            out.proxy.push(row);
        } else {
            out.on_the_spot.push(row);
        }
    }
    sort_rows(&mut out.on_the_spot);
    sort_rows(&mut out.proxy);
    sort_rows(&mut out.escalated);
    out
}

fn sort_rows(rows: &mut [LedgerRow]) {
    rows.sort_by(|a, b| {
        let ka = (a.deadline.is_none(), a.deadline, a.raised_at, &a.request_id);
        let kb = (b.deadline.is_none(), b.deadline, b.raised_at, &b.request_id);
        ka.cmp(&kb)
    });
}

/// A cadre's open (not closed) requests, the ones they are responsible for
/// (handler, else first responder), soonest deadline first; no deadline last.
pub fn open_requests_for_cadre(
    logs: &[RequestLog],
    cadre: &CadreId,
    now: NaiveDateTime,
) -> Vec<LedgerRow> {
    let mut rows: Vec<LedgerRow> = logs
        .iter()
        .filter_map(|l| l.state().ok())
        .filter(|s| s.is_open() && s.responsible() == cadre)
        .map(|s| LedgerRow::of(&s, now))
        .collect();
    sort_rows(&mut rows);
    rows
}

/// The open requests of households in `unit` (the unit itself, when it is
/// a village, or any unit above the household's village), soonest deadline
/// first.
pub fn open_requests_in_unit(
    ds: &Dataset,
    logs: &[RequestLog],
    unit: &UnitId,
    now: NaiveDateTime,
) -> Vec<LedgerRow> {
    let parent: HashMap<&UnitId, Option<&UnitId>> = ds
        .units
        .iter()
        .map(|u| (&u.id, u.parent.as_ref()))
        .collect();
    let inside = |village: &UnitId| {
        let mut cur = Some(village);
        let mut steps = 0;
        while let Some(u) = cur {
            if u == unit {
                return true;
            }
            steps += 1;
            if steps > parent.len() + 1 {
                return false;
            }
            cur = parent.get(u).copied().flatten();
        }
        false
    };
    let households: HashSet<&HouseholdId> = ds
        .households
        .iter()
        .filter(|h| inside(&h.village))
        .map(|h| &h.id)
        .collect();
    let mut rows: Vec<LedgerRow> = logs
        .iter()
        .filter_map(|l| l.state().ok())
        .filter(|s| s.is_open() && households.contains(&s.household))
        .map(|s| LedgerRow::of(&s, now))
        .collect();
    sort_rows(&mut rows);
    rows
}

/// The colour of a household's request signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestLight {
    /// 绿灯: no open request.
    Green,
    /// 黄灯: an open request, on time.
    Yellow,
    /// 红灯: an overdue request, or feedback overdue.
    Red,
}

/// Why the light has its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalReasonKind {
    /// Past its deadline while still in hand.
    Overdue,
    /// Resolved, but the household was not told within the feedback days.
    FeedbackOverdue,
    /// Open and on time.
    Open,
}

/// One reason of a [`RequestSignal`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalReason {
    /// The request.
    pub request_id: RequestId,
    /// What.
    pub kind: SignalReasonKind,
    /// The deadline concerned, if any.
    pub deadline: Option<NaiveDateTime>,
    /// In Chinese and English.
    pub message: Message,
}

/// A household's request-based signal light at an instant: red for an
/// overdue request (or overdue feedback), yellow for an open one, green
/// otherwise (issue 4 item 9). The due lists of the compliance module merge
/// it with the visit-based light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSignal {
    /// The household.
    pub household_id: HouseholdId,
    /// The colour.
    pub light: RequestLight,
    /// Every reason, red ones first.
    pub reasons: Vec<SignalReason>,
}

/// The request signal of `household` at `now`. Closed requests do not
/// count; logs that do not fold are left out.
///
/// ```
/// use minqing::case::*;
/// use minqing::id::HouseholdId;
/// use chrono::NaiveDate;
/// let now = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let s = request_signal(&[], &HouseholdId::new("H1")?, &CasePolicy::default(), now);
/// assert_eq!(s.light, RequestLight::Green);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn request_signal(
    logs: &[RequestLog],
    household: &HouseholdId,
    policy: &CasePolicy,
    now: NaiveDateTime,
) -> RequestSignal {
    let mut reasons = Vec::new();
    for log in logs {
        let Ok(s) = log.state() else { continue };
        if &s.household != household || !s.is_open() {
            continue;
        }
        let id = s.request_id.clone();
        let feedback_late = s.stage == Stage::Resolved
            && s.concluded_at.is_some_and(|c| now > policy.feedback_due(c));
        if s.is_overdue(now) {
            let d = s.deadline.map(|d| d.to_string()).unwrap_or_default();
            reasons.push(SignalReason {
                request_id: id.clone(),
                kind: SignalReasonKind::Overdue,
                deadline: s.deadline,
                message: Message {
                    zh: format!("事项 {id} 已逾期（期限 {d}）"),
                    en: format!("request {id} is overdue (deadline {d})"),
                },
            });
        } else if feedback_late {
            let due = s.concluded_at.map(|c| policy.feedback_due(c));
            let d = due.map(|d| d.to_string()).unwrap_or_default();
            reasons.push(SignalReason {
                request_id: id.clone(),
                kind: SignalReasonKind::FeedbackOverdue,
                deadline: due,
                message: Message {
                    zh: format!("事项 {id} 已办结，未按期（{d}）入户反馈"),
                    en: format!("request {id} was resolved but feedback is overdue (due {d})"),
                },
            });
        } else {
            reasons.push(SignalReason {
                request_id: id.clone(),
                kind: SignalReasonKind::Open,
                deadline: s.deadline,
                message: Message {
                    zh: format!("事项 {id} 正在办理（{}）", s.stage.zh()),
                    en: format!("request {id} is open ({})", s.stage),
                },
            });
        }
    }
    reasons.sort_by_key(|r| r.kind == SignalReasonKind::Open);
    let light = if reasons.iter().any(|r| r.kind != SignalReasonKind::Open) {
        RequestLight::Red
    } else if reasons.is_empty() {
        RequestLight::Green
    } else {
        RequestLight::Yellow
    };
    RequestSignal {
        household_id: household.clone(),
        light,
        reasons,
    }
}
