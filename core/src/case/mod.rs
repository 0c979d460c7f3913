//! Requests raised by households (诉求 / 事项) and the "household affairs"
//! pipeline (农事户办, seed 001): intake at the household, solved on the
//! spot, carried as a proxy within 24 hours, or escalated to a joint meeting
//! that names a handler and a deadline; then feedback to the household and
//! supervision from above (seeds 001, 002, 003, 004).
//!
//! A request is an append-only event log ([`RequestLog`]); its state
//! ([`RequestState`]) is a fold over the events. [`RequestLog::append`]
//! checks each event against the folded state and refuses, with a typed
//! [`CaseError`] and the log unchanged, anything that does not fit. Each
//! event carries the SHA-256 hash of the one before ([`RequestLog::verify`]).
//!
//! Nothing happens behind the caller's back: [`escalations_due`] returns the
//! events a supervisor would append now, and the caller appends them.
//!
//! # State machine
//!
//! | event | accepted when the stage is | stage after |
//! |---|---|---|
//! | `raised` | (empty log) | `raised` |
//! | `triaged` | `raised`; `open` before any handling (re-triage) | `open` |
//! | `handled_on_spot` | `open` on the on-the-spot track | `resolved` (full) |
//! | `proxy_started` | `open` on the proxy track, not started yet | `open` |
//! | `mediated` | `open` on the mediation track; `escalated` or `assigned` for a dispute | `resolved` (full) |
//! | `not_mediated` | `open` on the mediation track | `open` (mediation failed) |
//! | `escalated` | `open`, `escalated`, `assigned`, `rectifying`; to a higher level | `escalated` |
//! | `assigned` | `escalated` | `assigned` |
//! | `resolved` | `open`, `escalated`, `assigned`, `rectifying` | `resolved` |
//! | `explained` | `open`, `escalated`, `assigned`, `rectifying` | `resolved` (explained) |
//! | `feedback_given` | `resolved` | `settled`, or `rectifying` when not satisfied |
//! | `reopened` | `resolved`, `settled`, `closed` | `open` |
//! | `closed` | `settled` | `closed` |
//! | `carried_over` | any but `closed` | unchanged |
//! | `supervised` | at county level, `escalated`, `assigned` or `rectifying` | unchanged |
//!
//! Every event must be at or after the event before it; a deadline an event
//! sets must lie after the event; `reopened`, `explained` and
//! `not_mediated` need a reason (never silently).

mod cycle;
mod escalation;
mod jsonl;
mod log;
mod views;

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::cadre::word_enum;
use crate::id::{CadreId, HouseholdId, RequestId};
use crate::problem::{Code, CodedError, Location, Problem};

pub use cycle::{MeetingsDue, ReportingCycle, meetings_due};
pub use escalation::{CasePolicy, DueEvent, escalations_due, escalations_due_all};
pub use jsonl::{read_jsonl, write_jsonl};
pub use log::{BreakKind, ChainBreak, Entry, Hash, RequestLog, fold};
pub use views::{
    IntakeLedgers, LedgerRow, OneLedgerTwoLists, RequestLight, RequestSignal, SignalReason,
    SignalReasonKind, VisitRow, intake_ledgers, one_ledger_two_lists, open_requests_for_cadre,
    open_requests_in_unit, request_signal,
};

word_enum! {
    /// How the request reached the cadre (seeds 001, 002, 003).
    Channel {
        /// 入户走访: raised at a visit to the household.
        Visit = "visit", "入户走访";
        /// 电话: by phone (away households, seed 001; the contact card's number, seed 002).
        Phone = "phone", "电话";
        /// 热线: a hotline or supervision line (监督电话, seed 001).
        Hotline = "hotline", "热线";
        /// 信箱: a letter box (便民信箱 / 服务箱, seed 003).
        LetterBox = "letter_box", "信箱";
        /// 来访: the household walked in (to the work station, seed 003).
        WalkIn = "walk_in", "来访";
    }
}

word_enum! {
    /// What the request is about. Each maps to a default [`Track`] through
    /// [`CasePolicy::track_for`] (seeds 001, 004).
    Category {
        /// 基础设施: roads, wells, power (打井上电, seed 001).
        Infrastructure = "infrastructure", "基础设施";
        /// 户籍: registration of a newborn, transfer on marriage (seed 001).
        HouseholdRegistration = "household_registration", "户籍";
        /// 医保养老保险: medical and pension insurance payments (seed 001).
        Insurance = "insurance", "社会保险";
        /// 补贴: subsidy applications (惠民补贴申请, seed 001).
        Subsidy = "subsidy", "惠民补贴";
        /// 矛盾纠纷: a dispute between neighbours or in a family (seeds 001, 003).
        Dispute = "dispute", "矛盾纠纷";
        /// 困难帮扶: hardship, relief, subsistence allowance (seeds 001, 004).
        Hardship = "hardship", "困难帮扶";
        /// 人居环境: living environment (seed 004).
        LivingEnvironment = "living_environment", "人居环境";
        /// 信访: a petition (seed 004).
        Petition = "petition", "信访";
        /// 公共服务: schooling, health, elderly care (seed 004).
        PublicServices = "public_services", "公共服务";
        /// 富民增收: income, jobs, loans (seeds 001, 004).
        Income = "income", "富民增收";
        /// 其他: anything else.
        Other = "other", "其他";
    }
}

word_enum! {
    /// What was raised: a request, a problem or a suggestion (问题、办理事项和
    /// 意见建议, seed 001). Suggestions are what the adoption rate counts
    /// (采纳, seed 000 part 5).
    RequestKind {
        /// 诉求: something the household asks to be done.
        Request = "request", "诉求";
        /// 问题: a problem reported.
        Problem = "problem", "问题";
        /// 意见建议: a suggestion; resolving it means adopting it.
        Suggestion = "suggestion", "意见建议";
    }
}

#[allow(clippy::derivable_impls)] // the variants come from `word_enum!`
impl Default for RequestKind {
    fn default() -> Self {
        RequestKind::Request
    }
}

fn is_default_kind(k: &RequestKind) -> bool {
    *k == RequestKind::Request
}

word_enum! {
    /// The way a request is handled (seed 001's pipeline).
    Track {
        /// 即办 / 现场办理: solved during the visit, or by phone for an away household.
        OnTheSpot = "on_the_spot", "即办";
        /// 代办 / 代步办理: carried by the cadre for the household, closed within 24 hours.
        Proxy = "proxy", "代办";
        /// 联动办理: to the work team, village committees and township through a
        /// joint meeting, which sets a handler and a deadline.
        Joint = "joint", "联动办理";
        /// 调解: a dispute, mediated by the cadre as first responder (首问责任人).
        Mediation = "mediation", "调解";
    }
}

word_enum! {
    /// A level of the escalation ladder (seed 002), from the bottom up. The
    /// order of declaration is the order of the ladder.
    Level {
        /// 包户干部: the household's cadre.
        Cadre = "cadre", "包户干部";
        /// 驻村工作队: the village work team.
        WorkTeam = "work_team", "驻村工作队";
        /// 村两委: the village party branch and villagers' committee.
        VillageCommittees = "village_committees", "村两委";
        /// 镇党委政府: the township party committee and government.
        Township = "township", "镇党委政府";
        /// 县: the county (the organisation department's supervised ledger, 挂账督办).
        County = "county", "县";
    }
}

word_enum! {
    /// Why a request went up the ladder.
    EscalationReason {
        /// 超出职权: beyond the cadre's power (上报事项, seed 001).
        BeyondPower = "beyond_power", "超出职权";
        /// 逾期未办结: its deadline passed without resolution.
        Overdue = "overdue", "逾期未办结";
        /// 调解不成: a dispute that could not be mediated (seed 001).
        NotMediated = "not_mediated", "调解不成";
    }
}

word_enum! {
    /// How far a request was solved. Partial resolution is an outcome of
    /// its own, never reported as "resolved" silently.
    Outcome {
        /// 全部解决.
        Full = "full", "全部解决";
        /// 部分解决.
        Partial = "partial", "部分解决";
    }
}

word_enum! {
    /// What the household said at feedback (入户反馈, seed 001).
    Satisfaction {
        /// 满意.
        Satisfied = "satisfied", "满意";
        /// 基本满意.
        BasicallySatisfied = "basically_satisfied", "基本满意";
        /// 不满意: opens a rectification with a deadline (限期整改, seed 000).
        NotSatisfied = "not_satisfied", "不满意";
    }
}

impl Satisfaction {
    /// True for satisfied and basically satisfied.
    pub fn is_satisfied(self) -> bool {
        !matches!(self, Satisfaction::NotSatisfied)
    }
}

word_enum! {
    /// The county's supervision of a request on its supervised ledger
    /// (挂账督办, seed 002): ask weekly, inspect every half month, dispatch monthly.
    SupervisionTask {
        /// 每周一询问.
        Ask = "ask", "询问";
        /// 半月一检查.
        Inspect = "inspect", "检查";
        /// 每月一调度.
        Dispatch = "dispatch", "调度";
    }
}

word_enum! {
    /// Where a request stands: the fold of its events.
    Stage {
        /// 已登记: raised, not yet put on a track.
        Raised = "raised", "已登记";
        /// 办理中: on a track, being handled by the cadre.
        Open = "open", "办理中";
        /// 已上报: escalated, waiting for a meeting to name a handler.
        Escalated = "escalated", "已上报";
        /// 已交办: a meeting named a handler and a deadline.
        Assigned = "assigned", "已交办";
        /// 已办结待反馈: resolved or explained; feedback to the household is due.
        Resolved = "resolved", "已办结待反馈";
        /// 限期整改: the household was not satisfied; put right by a deadline.
        Rectifying = "rectifying", "限期整改";
        /// 已反馈: the household was told and is satisfied; ready to strike off.
        Settled = "settled", "已反馈";
        /// 已销号: closed and struck off.
        Closed = "closed", "已销号";
    }
}

impl Stage {
    /// True for the stages in which someone still has to act by a deadline
    /// (open, escalated, assigned, rectifying).
    pub fn is_in_hand(self) -> bool {
        matches!(
            self,
            Stage::Open | Stage::Escalated | Stage::Assigned | Stage::Rectifying
        )
    }
}

fn no_text(s: &str) -> bool {
    s.is_empty()
}

/// One thing that happened to a request. Free texts (`summary`,
/// `measures`, `reason`, `note`) are supplied by the caller; the library
/// never puts names or phone numbers into them, and never copies them into
/// error messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RequestEvent {
    /// The household raised it (入户梳理, seed 001).
    Raised {
        /// The household.
        #[serde(rename = "household_id")]
        household: HouseholdId,
        /// The cadre who took it (the first responder).
        #[serde(rename = "cadre_id")]
        cadre: CadreId,
        /// What it is about.
        category: Category,
        /// Request, problem or suggestion.
        #[serde(default, skip_serializing_if = "is_default_kind")]
        kind: RequestKind,
        /// How it reached the cadre.
        channel: Channel,
        /// What was asked, in the caller's words.
        summary: String,
    },
    /// Put on a track, with the deadline in force (see
    /// [`CasePolicy::triage`] for the defaults).
    Triaged {
        /// The track.
        track: Track,
        /// The deadline, if the track has one (proxy: 24 hours, seed 001).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<NaiveDateTime>,
    },
    /// Solved during the visit (现场办理, seed 001).
    HandledOnSpot {
        /// What was done.
        #[serde(default, skip_serializing_if = "no_text")]
        measures: String,
    },
    /// The cadre started carrying it for the household (代步办理, seed 001).
    ProxyStarted {
        /// What is being done.
        #[serde(default, skip_serializing_if = "no_text")]
        measures: String,
    },
    /// Sent up the ladder.
    Escalated {
        /// The level it goes to; higher than the current one.
        to: Level,
        /// Why.
        reason: EscalationReason,
        /// The new deadline, if any (see [`CasePolicy::escalate`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<NaiveDateTime>,
        /// A note.
        #[serde(default, skip_serializing_if = "no_text")]
        note: String,
    },
    /// A meeting named a handler and a deadline (明确承办人员和完成时限, seed 002).
    Assigned {
        /// The handler (承办人).
        handler: CadreId,
        /// The deadline the meeting set.
        deadline: NaiveDateTime,
        /// The day of the meeting, if recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        meeting_on: Option<NaiveDate>,
        /// The measures decided (解决方案).
        #[serde(default, skip_serializing_if = "no_text")]
        measures: String,
    },
    /// A dispute was mediated (调处成功, seed 003).
    Mediated {
        /// What was agreed.
        #[serde(default, skip_serializing_if = "no_text")]
        measures: String,
    },
    /// A dispute could not be mediated for now (一时难以调解, seed 001); it
    /// goes to the team leader and the township ([`escalations_due`]).
    NotMediated {
        /// Why.
        reason: String,
    },
    /// Cannot be solved; the household was told why (做好解释工作, seeds 002, 003).
    Explained {
        /// Why it cannot be solved.
        reason: String,
    },
    /// Solved, fully or in part.
    Resolved {
        /// How far.
        outcome: Outcome,
        /// What was done (落实举措, seed 004).
        #[serde(default, skip_serializing_if = "no_text")]
        measures: String,
    },
    /// The result was told to the household and it answered (入户反馈, seed 001).
    FeedbackGiven {
        /// Satisfied, basically satisfied, not satisfied.
        satisfaction: Satisfaction,
        /// Required when not satisfied: the rectification deadline (限期整改).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rectify_by: Option<NaiveDateTime>,
        /// A note.
        #[serde(default, skip_serializing_if = "no_text")]
        note: String,
    },
    /// Opened again; never silently: the reason is required.
    Reopened {
        /// Why.
        reason: String,
        /// The new deadline, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<NaiveDateTime>,
    },
    /// Closed and struck off (销号, seeds 001, 004).
    Closed,
    /// Carried over to the next period's list (纳入下半年实事清单, seed 004).
    CarriedOver {
        /// The period it goes to, as the caller names it (e.g. `2024H2`).
        period: String,
    },
    /// A supervision task of the county's supervised ledger was done (seed 002).
    Supervised {
        /// Which.
        task: SupervisionTask,
        /// A note.
        #[serde(default, skip_serializing_if = "no_text")]
        note: String,
    },
}

impl RequestEvent {
    /// The word of the event type, as written in files (`"triaged"`).
    pub fn kind_str(&self) -> &'static str {
        match self {
            RequestEvent::Raised { .. } => "raised",
            RequestEvent::Triaged { .. } => "triaged",
            RequestEvent::HandledOnSpot { .. } => "handled_on_spot",
            RequestEvent::ProxyStarted { .. } => "proxy_started",
            RequestEvent::Escalated { .. } => "escalated",
            RequestEvent::Assigned { .. } => "assigned",
            RequestEvent::Mediated { .. } => "mediated",
            RequestEvent::NotMediated { .. } => "not_mediated",
            RequestEvent::Explained { .. } => "explained",
            RequestEvent::Resolved { .. } => "resolved",
            RequestEvent::FeedbackGiven { .. } => "feedback_given",
            RequestEvent::Reopened { .. } => "reopened",
            RequestEvent::Closed => "closed",
            RequestEvent::CarriedOver { .. } => "carried_over",
            RequestEvent::Supervised { .. } => "supervised",
        }
    }
}

/// When the county last did each supervision task (seed 002).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRecord {
    /// The last "ask" (weekly).
    pub ask: Option<NaiveDateTime>,
    /// The last "inspect" (every half month).
    pub inspect: Option<NaiveDateTime>,
    /// The last "dispatch" (monthly).
    pub dispatch: Option<NaiveDateTime>,
}

impl SupervisionRecord {
    /// The last time `task` was done.
    pub fn last(&self, task: SupervisionTask) -> Option<NaiveDateTime> {
        match task {
            SupervisionTask::Ask => self.ask,
            SupervisionTask::Inspect => self.inspect,
            SupervisionTask::Dispatch => self.dispatch,
        }
    }
}

/// A request's state: the fold of its events ([`RequestLog::state`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestState {
    /// The request.
    pub request_id: RequestId,
    /// The household that raised it.
    pub household: HouseholdId,
    /// The cadre who took it (first responder).
    pub cadre: CadreId,
    /// What it is about.
    pub category: Category,
    /// Request, problem or suggestion.
    pub kind: RequestKind,
    /// How it came in.
    pub channel: Channel,
    /// The caller's summary.
    pub summary: String,
    /// When it was raised.
    pub raised_at: NaiveDateTime,
    /// Where it stands.
    pub stage: Stage,
    /// Its track, once triaged (escalation moves it to [`Track::Joint`]).
    pub track: Option<Track>,
    /// The track it was first put on.
    pub first_track: Option<Track>,
    /// The level of the ladder it sits at.
    pub level: Level,
    /// The deadline in force, if any.
    pub deadline: Option<NaiveDateTime>,
    /// The handler named by a meeting, if any.
    pub handler: Option<CadreId>,
    /// The latest measures recorded.
    pub measures: String,
    /// The outcome of the latest resolution (`None` when explained or not resolved).
    pub outcome: Option<Outcome>,
    /// True when the latest conclusion is an explanation (cannot be solved).
    pub explained: bool,
    /// True when it was handled on the spot.
    pub on_the_spot: bool,
    /// True when the proxy was started.
    pub proxy_started: bool,
    /// True when a dispute was mediated.
    pub mediated: bool,
    /// True when the latest mediation attempt failed and no escalation followed yet.
    pub mediation_failed: bool,
    /// How many times it was escalated.
    pub escalations: u32,
    /// When it was last escalated.
    pub escalated_at: Option<NaiveDateTime>,
    /// When it reached the county, if it did.
    pub county_since: Option<NaiveDateTime>,
    /// The county's supervision so far.
    pub supervision: SupervisionRecord,
    /// When it was first resolved, explained or mediated.
    pub first_concluded_at: Option<NaiveDateTime>,
    /// Whether that first conclusion came by the deadline then in force
    /// (`true` when there was none).
    pub concluded_on_time: Option<bool>,
    /// When it was last resolved, explained or mediated.
    pub concluded_at: Option<NaiveDateTime>,
    /// The latest feedback.
    pub feedback: Option<Satisfaction>,
    /// When that feedback was given.
    pub feedback_at: Option<NaiveDateTime>,
    /// When it was struck off, if it is closed.
    pub closed_at: Option<NaiveDateTime>,
    /// How many times it was reopened.
    pub reopened: u32,
    /// How many times it was carried over.
    pub carried_over: u32,
    /// The instant of the latest event.
    pub last_event_at: NaiveDateTime,
    /// How many events were folded.
    pub events: usize,
}

impl RequestState {
    /// True when the deadline in force has passed at `now` while someone
    /// still has to act (strictly after the deadline: a proxy taken at 10:00
    /// is on time until 10:00 the next day, seed 001).
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        self.stage.is_in_hand() && self.deadline.is_some_and(|d| now > d)
    }

    /// True unless the request is closed (struck off).
    pub fn is_open(&self) -> bool {
        self.stage != Stage::Closed
    }

    /// True when resolved (fully or in part), explained or mediated and not
    /// reopened since.
    pub fn is_concluded(&self) -> bool {
        matches!(self.stage, Stage::Resolved | Stage::Settled | Stage::Closed)
    }

    /// The cadre responsible now: the handler a meeting named, else the
    /// cadre who took the request.
    pub fn responsible(&self) -> &CadreId {
        self.handler.as_ref().unwrap_or(&self.cadre)
    }
}

/// Why an event was refused. Each error has a stable [`Code`] and a
/// message in Chinese and English; no free text of the request is copied
/// into it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The first event is not `raised`, or `raised` comes again.
    #[error(
        "{event}: a request starts with one `raised` event / 事项必须以且仅以一个“登记”事件开始"
    )]
    NotRaised {
        /// The event refused.
        event: &'static str,
    },
    /// The event does not fit the stage.
    #[error("`{event}` does not fit a request that is {stage} / 事项处于“{stage_zh}”，不能{event}")]
    BadTransition {
        /// The event refused.
        event: &'static str,
        /// The stage.
        stage: Stage,
        /// The stage in Chinese.
        stage_zh: &'static str,
    },
    /// The request is closed (struck off); only a reopening is accepted.
    #[error("`{event}` on a closed request: reopen it first / 事项已销号，须先重新打开")]
    Closed {
        /// The event refused.
        event: &'static str,
    },
    /// The event is earlier than the event before it.
    #[error(
        "event at {at} is earlier than the previous event at {previous} / 事件时间 {at} 早于上一事件 {previous}"
    )]
    OutOfOrder {
        /// Its instant.
        at: NaiveDateTime,
        /// The previous event's instant.
        previous: NaiveDateTime,
    },
    /// A deadline is not after the event that sets it.
    #[error(
        "deadline {deadline} is not after the event at {at} / 期限 {deadline} 不晚于事件时间 {at}"
    )]
    BadDeadline {
        /// The deadline.
        deadline: NaiveDateTime,
        /// The event's instant.
        at: NaiveDateTime,
    },
    /// An escalation does not go up.
    #[error(
        "escalation from {from} to {to} does not go up the ladder / 不能从{from_zh}上报到{to_zh}"
    )]
    BadLevel {
        /// The current level.
        from: Level,
        /// The level asked for.
        to: Level,
        /// The current level in Chinese.
        from_zh: &'static str,
        /// The level asked for in Chinese.
        to_zh: &'static str,
    },
    /// A deadline is required and missing.
    #[error("`{event}` needs a deadline / {event} 须设定期限")]
    MissingDeadline {
        /// The event refused.
        event: &'static str,
    },
    /// A reason is required and missing.
    #[error("`{event}` needs a reason / {event} 须说明理由")]
    MissingReason {
        /// The event refused.
        event: &'static str,
    },
    /// The entry names another request than its log, or the wrong position.
    #[error(
        "the event belongs to request {found}, not {expected} / 事件属于事项 {found}，不属于 {expected}"
    )]
    WrongLog {
        /// The log's request.
        expected: RequestId,
        /// The request the entry names.
        found: RequestId,
    },
}

impl CaseError {
    /// The stable code (`"request.bad_transition"`).
    pub fn code(&self) -> Code {
        match self {
            CaseError::NotRaised { .. } => Code::RequestNotRaised,
            CaseError::BadTransition { .. } => Code::RequestBadTransition,
            CaseError::Closed { .. } => Code::RequestClosed,
            CaseError::OutOfOrder { .. } => Code::RequestOutOfOrder,
            CaseError::BadDeadline { .. } => Code::RequestBadDeadline,
            CaseError::BadLevel { .. } => Code::RequestBadLevel,
            CaseError::MissingDeadline { .. } => Code::RequestMissingDeadline,
            CaseError::MissingReason { .. } => Code::RequestMissingReason,
            CaseError::WrongLog { .. } => Code::RequestWrongLog,
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        CodedError::message(self).en
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        CodedError::message(self).zh
    }

    /// The error as a [`Problem`] at `location`.
    pub fn to_problem(&self, location: Location) -> Problem {
        CodedError::to_problem(self, location)
    }
}

impl CodedError for CaseError {
    fn code(&self) -> Code {
        CaseError::code(self)
    }
}

fn bad(event: &RequestEvent, stage: Stage) -> CaseError {
    CaseError::BadTransition {
        event: event.kind_str(),
        stage,
        stage_zh: stage.zh(),
    }
}

fn check_deadline(d: Option<NaiveDateTime>, at: NaiveDateTime) -> Result<(), CaseError> {
    match d {
        Some(deadline) if deadline <= at => Err(CaseError::BadDeadline { deadline, at }),
        _ => Ok(()),
    }
}

fn check_reason(event: &RequestEvent, reason: &str) -> Result<(), CaseError> {
    if reason.trim().is_empty() {
        Err(CaseError::MissingReason {
            event: event.kind_str(),
        })
    } else {
        Ok(())
    }
}

/// Applies one event to a state: the transition function of the fold.
/// `state` is `None` for an empty log. Returns the new state, or why the
/// event does not fit; `state` itself is never changed.
///
/// # Errors
/// A [`CaseError`] when the event does not fit (see the module's table).
pub fn apply(
    state: Option<&RequestState>,
    request_id: &RequestId,
    at: NaiveDateTime,
    event: &RequestEvent,
) -> Result<RequestState, CaseError> {
    let Some(prev) = state else {
        return match event {
            RequestEvent::Raised {
                household,
                cadre,
                category,
                kind,
                channel,
                summary,
            } => Ok(RequestState {
                request_id: request_id.clone(),
                household: household.clone(),
                cadre: cadre.clone(),
                category: *category,
                kind: *kind,
                channel: *channel,
                summary: summary.clone(),
                raised_at: at,
                stage: Stage::Raised,
                track: None,
                first_track: None,
                level: Level::Cadre,
                deadline: None,
                handler: None,
                measures: String::new(),
                outcome: None,
                explained: false,
                on_the_spot: false,
                proxy_started: false,
                mediated: false,
                mediation_failed: false,
                escalations: 0,
                escalated_at: None,
                county_since: None,
                supervision: SupervisionRecord::default(),
                first_concluded_at: None,
                concluded_on_time: None,
                concluded_at: None,
                feedback: None,
                feedback_at: None,
                closed_at: None,
                reopened: 0,
                carried_over: 0,
                last_event_at: at,
                events: 1,
            }),
            other => Err(CaseError::NotRaised {
                event: other.kind_str(),
            }),
        };
    };
    if at < prev.last_event_at {
        return Err(CaseError::OutOfOrder {
            at,
            previous: prev.last_event_at,
        });
    }
    if let RequestEvent::Raised { .. } = event {
        return Err(CaseError::NotRaised { event: "raised" });
    }
    let stage = prev.stage;
    if stage == Stage::Closed
        && !matches!(
            event,
            RequestEvent::Reopened { .. } | RequestEvent::CarriedOver { .. }
        )
    {
        return Err(CaseError::Closed {
            event: event.kind_str(),
        });
    }
    let mut s = prev.clone();
    s.last_event_at = at;
    s.events += 1;
    let in_hand = matches!(
        stage,
        Stage::Open | Stage::Escalated | Stage::Assigned | Stage::Rectifying
    );
    match event {
        RequestEvent::Raised { .. } => return Err(CaseError::NotRaised { event: "raised" }),
        RequestEvent::Triaged { track, deadline } => {
            let untouched = stage == Stage::Open
                && s.escalations == 0
                && !s.proxy_started
                && !s.mediation_failed
                && s.reopened == 0;
            if !(stage == Stage::Raised || untouched) {
                return Err(bad(event, stage));
            }
            check_deadline(*deadline, at)?;
            s.stage = Stage::Open;
            s.track = Some(*track);
            if s.first_track.is_none() {
                s.first_track = Some(*track);
            }
            s.deadline = *deadline;
        }
        RequestEvent::HandledOnSpot { measures } => {
            if !(stage == Stage::Open && s.track == Some(Track::OnTheSpot)) {
                return Err(bad(event, stage));
            }
            s.on_the_spot = true;
            s.measures = measures.clone();
            conclude(&mut s, at, Some(Outcome::Full), false);
        }
        RequestEvent::ProxyStarted { measures } => {
            if !(stage == Stage::Open && s.track == Some(Track::Proxy) && !s.proxy_started) {
                return Err(bad(event, stage));
            }
            s.proxy_started = true;
            if !measures.is_empty() {
                s.measures = measures.clone();
            }
        }
        RequestEvent::Escalated {
            to,
            reason: _,
            deadline,
            note: _,
        } => {
            if !in_hand {
                return Err(bad(event, stage));
            }
            if *to <= s.level {
                return Err(CaseError::BadLevel {
                    from: s.level,
                    to: *to,
                    from_zh: s.level.zh(),
                    to_zh: to.zh(),
                });
            }
            check_deadline(*deadline, at)?;
            s.stage = Stage::Escalated;
            s.level = *to;
            s.track = Some(Track::Joint);
            s.deadline = *deadline;
            s.handler = None;
            s.mediation_failed = false;
            s.escalations += 1;
            s.escalated_at = Some(at);
            if *to == Level::County && s.county_since.is_none() {
                s.county_since = Some(at);
            }
        }
        RequestEvent::Assigned {
            handler,
            deadline,
            meeting_on: _,
            measures,
        } => {
            if stage != Stage::Escalated {
                return Err(bad(event, stage));
            }
            check_deadline(Some(*deadline), at)?;
            s.stage = Stage::Assigned;
            s.handler = Some(handler.clone());
            s.deadline = Some(*deadline);
            if !measures.is_empty() {
                s.measures = measures.clone();
            }
        }
        RequestEvent::Mediated { measures } => {
            let dispute =
                s.category == Category::Dispute || s.first_track == Some(Track::Mediation);
            let ok = (stage == Stage::Open && s.track == Some(Track::Mediation))
                || (dispute && matches!(stage, Stage::Escalated | Stage::Assigned));
            if !ok {
                return Err(bad(event, stage));
            }
            s.mediated = true;
            s.mediation_failed = false;
            s.measures = measures.clone();
            conclude(&mut s, at, Some(Outcome::Full), false);
        }
        RequestEvent::NotMediated { reason } => {
            if !(stage == Stage::Open && s.track == Some(Track::Mediation)) {
                return Err(bad(event, stage));
            }
            check_reason(event, reason)?;
            s.mediation_failed = true;
        }
        RequestEvent::Explained { reason } => {
            if !in_hand {
                return Err(bad(event, stage));
            }
            check_reason(event, reason)?;
            conclude(&mut s, at, None, true);
        }
        RequestEvent::Resolved { outcome, measures } => {
            if !in_hand {
                return Err(bad(event, stage));
            }
            if !measures.is_empty() {
                s.measures = measures.clone();
            }
            conclude(&mut s, at, Some(*outcome), false);
        }
        RequestEvent::FeedbackGiven {
            satisfaction,
            rectify_by,
            note: _,
        } => {
            if stage != Stage::Resolved {
                return Err(bad(event, stage));
            }
            s.feedback = Some(*satisfaction);
            s.feedback_at = Some(at);
            if satisfaction.is_satisfied() {
                s.stage = Stage::Settled;
            } else {
                let Some(by) = rectify_by else {
                    return Err(CaseError::MissingDeadline {
                        event: event.kind_str(),
                    });
                };
                check_deadline(Some(*by), at)?;
                s.stage = Stage::Rectifying;
                s.deadline = Some(*by);
            }
        }
        RequestEvent::Reopened { reason, deadline } => {
            if !matches!(stage, Stage::Resolved | Stage::Settled | Stage::Closed) {
                return Err(bad(event, stage));
            }
            check_reason(event, reason)?;
            check_deadline(*deadline, at)?;
            s.stage = Stage::Open;
            s.deadline = *deadline;
            s.closed_at = None;
            s.outcome = None;
            s.explained = false;
            s.reopened += 1;
        }
        RequestEvent::Closed => {
            if stage != Stage::Settled {
                return Err(bad(event, stage));
            }
            s.stage = Stage::Closed;
            s.closed_at = Some(at);
        }
        RequestEvent::CarriedOver { .. } => {
            if stage == Stage::Closed {
                return Err(CaseError::Closed {
                    event: event.kind_str(),
                });
            }
            s.carried_over += 1;
        }
        RequestEvent::Supervised { task, note: _ } => {
            if !(s.level == Level::County
                && matches!(
                    stage,
                    Stage::Escalated | Stage::Assigned | Stage::Rectifying
                ))
            {
                return Err(bad(event, stage));
            }
            match task {
                SupervisionTask::Ask => s.supervision.ask = Some(at),
                SupervisionTask::Inspect => s.supervision.inspect = Some(at),
                SupervisionTask::Dispatch => s.supervision.dispatch = Some(at),
            }
        }
    }
    Ok(s)
}

fn conclude(s: &mut RequestState, at: NaiveDateTime, outcome: Option<Outcome>, explained: bool) {
    if s.first_concluded_at.is_none() {
        s.first_concluded_at = Some(at);
        s.concluded_on_time = Some(s.deadline.is_none_or(|d| at <= d));
    }
    s.concluded_at = Some(at);
    s.outcome = outcome;
    s.explained = explained;
    s.stage = Stage::Resolved;
    s.deadline = None;
    s.mediation_failed = false;
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "request {} ({}, {}, {})",
            self.request_id, self.category, self.stage, self.level
        )
    }
}

#[cfg(test)]
mod tests;
