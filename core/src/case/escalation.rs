//! Tracks, default deadlines, the escalation ladder and what is due.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::cycle::ReportingCycle;
use super::{
    Category, EscalationReason, Level, RequestEvent, RequestLog, RequestState, Satisfaction, Stage,
    SupervisionTask, Track,
};
use crate::id::RequestId;
use crate::problem::Message;

/// Every figure of the request pipeline, with the seeds' values as
/// [`Default`]. Setters consume and return the policy:
///
/// ```
/// use minqing::case::{CasePolicy, Category, Level, Track};
/// let p = CasePolicy::default()
///     .proxy_hours(48)
///     .track_for(Category::Petition, Track::Mediation)
///     .ladder(vec![Level::Cadre, Level::Township, Level::County]);
/// assert_eq!(p.proxy_hours, 48);
/// assert_eq!(p.default_track(Category::Petition), Track::Mediation);
/// assert_eq!(p.next_level(Level::Cadre), Some(Level::Township));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePolicy {
    /// Proxy deadline in hours: 24 (代步办理…24小时限时结办, seed 001).
    pub proxy_hours: u32,
    /// On-the-spot deadline in hours; `None` (the default): the seeds set
    /// none, the matter is solved during the visit or re-triaged.
    pub on_the_spot_hours: Option<u32>,
    /// Mediation deadline in days; `None` (the default): the seeds set
    /// none; a failed mediation is recorded by `not_mediated` instead.
    pub mediation_days: Option<u32>,
    /// The default track of each category (seed 001: newborn registration,
    /// insurance, subsidies are proxy matters; infrastructure and old
    /// disputes go to joint handling; disputes start with the cadre as
    /// mediator). Categories not listed fall back to on the spot.
    pub tracks: BTreeMap<Category, Track>,
    /// The ladder, bottom up (seed 002: cadre, work team, village
    /// committees, township, county).
    pub ladder: Vec<Level>,
    /// Days to resolve after escalation to each level. Defaults, from the
    /// seeds' cadences: work team 7 (weekly report to the team, seed 001),
    /// village committees 30 (两委联席会议 monthly, seed 001), township 30
    /// (the joint meeting on the 5th of each month, seed 002), county 30
    /// (dispatch monthly, seed 002).
    pub level_days: BTreeMap<Level, u32>,
    /// Where a dispute that could not be mediated goes: the township, whose
    /// leaders handle it with the team leader (seed 001: 与驻村工作队长、镇相关
    /// 领导对接; the team leader is a township cadre).
    pub unmediated_to: Level,
    /// County supervision: ask every 7 days (每周一询问, seed 002).
    pub ask_days: u32,
    /// Inspect every 15 days (半月一检查, seed 002).
    pub inspect_days: u32,
    /// Dispatch every 30 days (每月一调度, seed 002).
    pub dispatch_days: u32,
    /// Days within which a resolved request needs feedback to the household:
    /// 7 (每周向群众反馈一次代办事项办理结果, seed 001).
    pub feedback_days: u32,
    /// Days to put right a request the household was not satisfied with
    /// (限期整改, seed 000; the seed sets no figure): 15, the half-month
    /// inspection cadence of seed 002.
    pub rectification_days: u32,
    /// The reporting cycle and meetings (seeds 002, 000).
    pub cycle: ReportingCycle,
}

impl Default for CasePolicy {
    fn default() -> Self {
        use Category as C;
        let tracks = [
            (C::Infrastructure, Track::Joint),
            (C::HouseholdRegistration, Track::Proxy),
            (C::Insurance, Track::Proxy),
            (C::Subsidy, Track::Proxy),
            (C::Dispute, Track::Mediation),
            (C::Hardship, Track::Joint),
            (C::LivingEnvironment, Track::Joint),
            (C::Petition, Track::Joint),
            (C::PublicServices, Track::Joint),
            (C::Income, Track::Joint),
            (C::Other, Track::OnTheSpot),
        ]
        .into_iter()
        .collect();
        let level_days = [
            (Level::WorkTeam, 7),
            (Level::VillageCommittees, 30),
            (Level::Township, 30),
            (Level::County, 30),
        ]
        .into_iter()
        .collect();
        CasePolicy {
            proxy_hours: 24,
            on_the_spot_hours: None,
            mediation_days: None,
            tracks,
            ladder: Level::ALL.to_vec(),
            level_days,
            unmediated_to: Level::Township,
            ask_days: 7,
            inspect_days: 15,
            dispatch_days: 30,
            feedback_days: 7,
            rectification_days: 15,
            cycle: ReportingCycle::default(),
        }
    }
}

impl CasePolicy {
    /// Sets the proxy deadline in hours.
    pub fn proxy_hours(mut self, h: u32) -> Self {
        self.proxy_hours = h;
        self
    }
    /// Sets the on-the-spot deadline in hours.
    pub fn on_the_spot_hours(mut self, h: Option<u32>) -> Self {
        self.on_the_spot_hours = h;
        self
    }
    /// Sets the mediation deadline in days.
    pub fn mediation_days(mut self, d: Option<u32>) -> Self {
        self.mediation_days = d;
        self
    }
    /// Maps `category` to `track`.
    pub fn track_for(mut self, category: Category, track: Track) -> Self {
        self.tracks.insert(category, track);
        self
    }
    /// Sets the ladder (bottom up; kept sorted and without repeats).
    pub fn ladder(mut self, mut levels: Vec<Level>) -> Self {
        levels.sort();
        levels.dedup();
        self.ladder = levels;
        self
    }
    /// Sets the days to resolve after escalation to `level`.
    pub fn level_days(mut self, level: Level, days: u32) -> Self {
        self.level_days.insert(level, days);
        self
    }
    /// Sets where unmediated disputes go.
    pub fn unmediated_to(mut self, level: Level) -> Self {
        self.unmediated_to = level;
        self
    }
    /// Sets the county's supervision intervals in days.
    pub fn supervision_days(mut self, ask: u32, inspect: u32, dispatch: u32) -> Self {
        self.ask_days = ask;
        self.inspect_days = inspect;
        self.dispatch_days = dispatch;
        self
    }
    /// Sets the feedback deadline in days.
    pub fn feedback_days(mut self, d: u32) -> Self {
        self.feedback_days = d;
        self
    }
    /// Sets the rectification deadline in days.
    pub fn rectification_days(mut self, d: u32) -> Self {
        self.rectification_days = d;
        self
    }
    /// Sets the reporting cycle.
    pub fn cycle(mut self, c: ReportingCycle) -> Self {
        self.cycle = c;
        self
    }

    /// The default track of `category`.
    pub fn default_track(&self, category: Category) -> Track {
        self.tracks
            .get(&category)
            .copied()
            .unwrap_or(Track::OnTheSpot)
    }

    /// The default deadline of `track` for a request triaged at `at`
    /// (proxy: `at` + 24 hours; joint handling: none until the meeting
    /// sets one).
    pub fn track_deadline(&self, track: Track, at: NaiveDateTime) -> Option<NaiveDateTime> {
        match track {
            Track::Proxy => Some(at + Duration::hours(i64::from(self.proxy_hours))),
            Track::OnTheSpot => self
                .on_the_spot_hours
                .map(|h| at + Duration::hours(i64::from(h))),
            Track::Mediation => self
                .mediation_days
                .map(|d| at + Duration::days(i64::from(d))),
            Track::Joint => None,
        }
    }

    /// A `triaged` event onto `track` at `at` with the default deadline.
    pub fn triage(&self, track: Track, at: NaiveDateTime) -> RequestEvent {
        RequestEvent::Triaged {
            track,
            deadline: self.track_deadline(track, at),
        }
    }

    /// A `triaged` event onto the default track of `category`.
    pub fn triage_default(&self, category: Category, at: NaiveDateTime) -> RequestEvent {
        self.triage(self.default_track(category), at)
    }

    /// The deadline after escalation to `level` at `at`.
    pub fn level_deadline(&self, level: Level, at: NaiveDateTime) -> Option<NaiveDateTime> {
        self.level_days
            .get(&level)
            .map(|d| at + Duration::days(i64::from(*d)))
    }

    /// An `escalated` event to `to` at `at`, with the level's deadline.
    pub fn escalate(
        &self,
        to: Level,
        reason: EscalationReason,
        at: NaiveDateTime,
        note: impl Into<String>,
    ) -> RequestEvent {
        RequestEvent::Escalated {
            to,
            reason,
            deadline: self.level_deadline(to, at),
            note: note.into(),
        }
    }

    /// A `feedback_given` "not satisfied" event at `at`, with the
    /// rectification deadline (限期整改).
    pub fn not_satisfied(&self, at: NaiveDateTime, note: impl Into<String>) -> RequestEvent {
        RequestEvent::FeedbackGiven {
            satisfaction: Satisfaction::NotSatisfied,
            rectify_by: Some(at + Duration::days(i64::from(self.rectification_days))),
            note: note.into(),
        }
    }

    /// The next level of the ladder above `level`, if any.
    pub fn next_level(&self, level: Level) -> Option<Level> {
        self.ladder.iter().copied().find(|l| *l > level)
    }

    /// When feedback to the household is due for a request concluded at
    /// `concluded_at`.
    pub fn feedback_due(&self, concluded_at: NaiveDateTime) -> NaiveDateTime {
        concluded_at + Duration::days(i64::from(self.feedback_days))
    }

    fn supervision_days_of(&self, task: SupervisionTask) -> u32 {
        match task {
            SupervisionTask::Ask => self.ask_days,
            SupervisionTask::Inspect => self.inspect_days,
            SupervisionTask::Dispatch => self.dispatch_days,
        }
    }
}

/// An event that is due on a request: [`escalations_due`] proposes it,
/// the caller appends it (`log.append(due.at, due.event)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueEvent {
    /// The request.
    pub request_id: RequestId,
    /// When to append it: the `now` asked about.
    pub at: NaiveDateTime,
    /// The event.
    pub event: RequestEvent,
    /// Why, in Chinese and English.
    pub because: Message,
}

/// The events due on one request at `now` (seed 002's ladder, seed 001's
/// dispute rule):
///
/// 1. a dispute whose mediation failed (`not_mediated`) goes to
///    [`CasePolicy::unmediated_to`] (or the next level, if it is already
///    there or above), with that level's deadline;
/// 2. a request past its deadline (strictly after it) and still in hand
///    moves one level up the ladder with the new level's deadline;
/// 3. a request at county level and in hand gets the supervision tasks
///    whose interval has run since the last one of their kind (or since it
///    reached the county): ask every 7 days, inspect every 15, dispatch
///    every 30.
///
/// A log that does not fold gives nothing. Nothing is appended here.
///
/// ```
/// use minqing::case::*;
/// use minqing::id::{CadreId, HouseholdId, RequestId};
/// use chrono::{Duration, NaiveDate};
///
/// let at = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap().and_hms_opt(15, 0, 0).unwrap();
/// let policy = CasePolicy::default();
/// let mut log = RequestLog::new(RequestId::new("R1")?);
/// log.append(at, RequestEvent::Raised {
///     household: HouseholdId::new("H1")?, cadre: CadreId::new("C1")?,
///     category: Category::Insurance, kind: RequestKind::Request,
///     channel: Channel::Phone, summary: "pension insurance payment".into(),
/// })?;
/// log.append(at, policy.triage_default(Category::Insurance, at))?;
/// // on time until 15:00 the next day (1 February), late one minute later
/// assert!(escalations_due(&log, &policy, at + Duration::hours(24)).is_empty());
/// let due = escalations_due(&log, &policy, at + Duration::minutes(24 * 60 + 1));
/// assert!(matches!(due[0].event, RequestEvent::Escalated { to: Level::WorkTeam, .. }));
/// log.append(due[0].at, due[0].event.clone())?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn escalations_due(log: &RequestLog, policy: &CasePolicy, now: NaiveDateTime) -> Vec<DueEvent> {
    let Ok(state) = log.state() else {
        return Vec::new();
    };
    due_for_state(&state, policy, now)
}

/// [`escalations_due`] over many logs, in log order.
pub fn escalations_due_all(
    logs: &[RequestLog],
    policy: &CasePolicy,
    now: NaiveDateTime,
) -> Vec<DueEvent> {
    logs.iter()
        .flat_map(|l| escalations_due(l, policy, now))
        .collect()
}

pub(crate) fn due_for_state(
    s: &RequestState,
    policy: &CasePolicy,
    now: NaiveDateTime,
) -> Vec<DueEvent> {
    let mut out = Vec::new();
    if now < s.last_event_at {
        return out;
    }
    let due = |event: RequestEvent, zh: String, en: String| DueEvent {
        request_id: s.request_id.clone(),
        at: now,
        event,
        because: Message { zh, en },
    };
    if s.stage == Stage::Open && s.track == Some(Track::Mediation) && s.mediation_failed {
        let to = if policy.unmediated_to > s.level {
            Some(policy.unmediated_to)
        } else {
            policy.next_level(s.level)
        };
        if let Some(to) = to {
            out.push(due(
                policy.escalate(to, EscalationReason::NotMediated, now, ""),
                format!("纠纷调解不成，上报{}", to.zh()),
                format!("the dispute could not be mediated: to the {to}"),
            ));
            return out;
        }
    }
    if s.is_overdue(now) {
        if let Some(to) = policy.next_level(s.level) {
            let d = s.deadline.map(|d| d.to_string()).unwrap_or_default();
            out.push(due(
                policy.escalate(to, EscalationReason::Overdue, now, ""),
                format!("期限 {d} 已过未办结，上报{}", to.zh()),
                format!("deadline {d} passed without resolution: up to the {to}"),
            ));
            return out;
        }
    }
    if s.level == Level::County
        && matches!(
            s.stage,
            Stage::Escalated | Stage::Assigned | Stage::Rectifying
        )
    {
        let since = s.county_since.unwrap_or(s.raised_at);
        for task in SupervisionTask::ALL {
            let last = s.supervision.last(*task).unwrap_or(since);
            let next = last + Duration::days(i64::from(policy.supervision_days_of(*task)));
            if now >= next {
                out.push(due(
                    RequestEvent::Supervised {
                        task: *task,
                        note: String::new(),
                    },
                    format!("挂账督办：应{}（上次 {last}）", task.zh()),
                    format!("county supervision: {task} due (last {last})"),
                ));
            }
        }
    }
    out
}
