//! The request pipeline (`minqing::case`, `minqing::metrics`) as plain Rust
//! functions over JSON text, so that the same path runs natively in
//! `cargo test` and in WebAssembly. Conversion only: every rule (which
//! event fits, what is due, what counts) is the core's.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use minqing::case::{
    self, BreakKind, CaseError, CasePolicy, Category, Channel, DueEvent, MeetingsDue,
    ReportingCycle, RequestEvent, RequestKind, RequestLog, RequestState,
};
use minqing::dataset::ValidateOptions;
use minqing::id::{CadreId, HouseholdId, RequestId};
use minqing::metrics::{self, Metrics, MetricsQuery};
use minqing::problem::{Code, Location, Message, Problem, Report};
use serde::{Deserialize, Serialize};

use crate::calls::{parse_date, parse_datetime};
use crate::document::{one, read_dataset, read_record};

/// What `applyRequestEvent` returns: the log with the event appended, and
/// the state it folds to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    /// The new log.
    pub log: RequestLog,
    /// Its state.
    pub state: RequestState,
}

/// Where a request log's hash chain breaks (`verifyRequestLog`): the
/// core's [`case::ChainBreak`] with its message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainBreakInfo {
    /// The 0-based index of the first entry found broken.
    pub index: usize,
    /// How.
    pub kind: BreakKind,
    /// In Chinese and English.
    pub message: Message,
}

/// The options of `escalationsDue` and `meetingsDue`: the reporting cycle
/// of the default [`CasePolicy`] (camelCase, as JavaScript writes them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseOptions {
    /// The day of the month the contact cards are summed up (seed 002).
    pub card_summary_day: Option<u32>,
    /// The day of the month of the joint meeting (seed 002).
    pub joint_meeting_day: Option<u32>,
}

impl CaseOptions {
    /// The default policy with this cycle.
    pub fn policy(&self) -> CasePolicy {
        let mut cycle = ReportingCycle::default();
        if let Some(d) = self.card_summary_day {
            cycle = cycle.card_summary_day(d);
        }
        if let Some(d) = self.joint_meeting_day {
            cycle = cycle.joint_meeting_day(d);
        }
        CasePolicy::default().cycle(cycle)
    }
}

/// The query of `requestMetrics` (camelCase); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsQueryInput {
    /// First day of the window (raised on or after).
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the window (raised on or before).
    pub to: Option<chrono::NaiveDate>,
    /// Only requests taken by this cadre.
    pub cadre_id: Option<CadreId>,
    /// Only requests of this category.
    pub category: Option<Category>,
    /// Only requests of these households.
    pub household_ids: Option<Vec<HouseholdId>>,
    /// Count explained requests as resolved (core default: no).
    pub explained_counts_as_resolved: Option<bool>,
    /// Count partial resolutions as resolved (core default: yes).
    pub partial_counts_as_resolved: Option<bool>,
}

impl MetricsQueryInput {
    /// The core's query.
    pub fn query(self) -> MetricsQuery {
        let mut q = MetricsQuery::new();
        q.from = self.from;
        q.to = self.to;
        if let Some(c) = self.cadre_id {
            q = q.cadre(c);
        }
        if let Some(c) = self.category {
            q = q.category(c);
        }
        if let Some(hs) = self.household_ids {
            q = q.households(hs.into_iter().collect::<HashSet<_>>());
        }
        if let Some(yes) = self.explained_counts_as_resolved {
            q = q.explained_counts_as_resolved(yes);
        }
        if let Some(yes) = self.partial_counts_as_resolved {
            q = q.partial_counts_as_resolved(yes);
        }
        q
    }
}

/// A request as an intake form fills it in: the request ID, when, and the
/// fields of its `raised` event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestIntake {
    /// The new request's ID.
    pub request_id: RequestId,
    /// When it was raised.
    pub at: NaiveDateTime,
    /// The household.
    pub household_id: HouseholdId,
    /// The cadre who took it.
    pub cadre_id: CadreId,
    /// What it is about.
    pub category: Category,
    /// Request, problem or suggestion (default: request).
    #[serde(default)]
    pub kind: RequestKind,
    /// How it came in.
    pub channel: Channel,
    /// What was asked.
    pub summary: String,
}

/// A refused event as a problem, located at the request.
fn case_problem(e: &CaseError, log: &RequestLog) -> Report {
    one(e.to_problem(Location::record("request", log.request_id())))
}

/// Options read from JSON text (`None`: the defaults).
pub fn read_options<T: for<'de> Deserialize<'de> + Default>(
    text: Option<&str>,
    what: &str,
) -> Result<T, Report> {
    text.map_or_else(|| Ok(T::default()), |t| read_record(t, what))
}

/// `newRequestLog`: an empty log for `request_id`.
///
/// # Errors
/// `field.bad_id` for an ID the core refuses.
pub fn new_request_log(request_id: &str) -> Result<RequestLog, Report> {
    let id = RequestId::new(request_id).map_err(|e| {
        one(Problem::new(
            Code::FieldBadId,
            Location::default().with_field("requestId"),
            format!("requestId 不是有效编号：{request_id:?}，{e}"),
            format!("requestId is not a valid ID: {request_id:?}, {e}"),
        ))
    })?;
    Ok(RequestLog::new(id))
}

/// `applyRequestEvent`: the log with `event` appended at `at`
/// ([`RequestLog::append`]) and its new state.
///
/// # Errors
/// The log or the event cannot be read, `at` is not a date-time, or the
/// core refuses the event (its [`CaseError`] code, e.g.
/// `request.bad_transition`).
pub fn apply_request_event(log: &str, at: &str, event: &str) -> Result<Applied, Report> {
    let mut log: RequestLog = read_record(log, "log")?;
    let at = parse_datetime(at, "at")?;
    let event: RequestEvent = read_record(event, "event")?;
    if let Err(e) = log.append(at, event) {
        return Err(case_problem(&e, &log));
    }
    let state = log.state().map_err(|e| case_problem(&e, &log))?;
    Ok(Applied { log, state })
}

/// `requestState`: the fold of the log ([`RequestLog::state`]).
///
/// # Errors
/// The log cannot be read, is empty (`request.not_raised`) or does not fold.
pub fn request_state(log: &str) -> Result<RequestState, Report> {
    let log: RequestLog = read_record(log, "log")?;
    log.state().map_err(|e| case_problem(&e, &log))
}

/// `verifyRequestLog`: where the hash chain breaks, `None` when it holds
/// ([`RequestLog::verify`]).
///
/// # Errors
/// The log cannot be read.
pub fn verify_request_log(log: &str) -> Result<Option<ChainBreakInfo>, Report> {
    let log: RequestLog = read_record(log, "log")?;
    Ok(log.verify().err().map(|b| ChainBreakInfo {
        index: b.index,
        kind: b.kind,
        message: b.message(),
    }))
}

/// `escalationsDue`: the events due on the request at `now`
/// ([`case::escalations_due`]).
///
/// # Errors
/// The log or the options cannot be read, or `now` is not a date-time.
pub fn escalations_due(
    log: &str,
    now: &str,
    options: Option<&str>,
) -> Result<Vec<DueEvent>, Report> {
    let log: RequestLog = read_record(log, "log")?;
    let now = parse_datetime(now, "now")?;
    let options: CaseOptions = read_options(options, "options")?;
    Ok(case::escalations_due(&log, &options.policy(), now))
}

/// `meetingsDue`: the meetings' agendas on `today` ([`case::meetings_due`]).
///
/// # Errors
/// The logs or the options cannot be read, or `today` is not a date.
pub fn meetings_due(logs: &str, today: &str, options: Option<&str>) -> Result<MeetingsDue, Report> {
    let logs: Vec<RequestLog> = read_record(logs, "logs")?;
    let today = parse_date(today, "today")?;
    let options: CaseOptions = read_options(options, "options")?;
    Ok(case::meetings_due(&logs, &options.policy(), today))
}

/// `requestMetrics`: the pipeline's figures ([`metrics::request_metrics`]).
///
/// # Errors
/// The logs or the query cannot be read, or `now` is not a date-time.
pub fn request_metrics(logs: &str, now: &str, query: Option<&str>) -> Result<Metrics, Report> {
    let logs: Vec<RequestLog> = read_record(logs, "logs")?;
    let now = parse_datetime(now, "now")?;
    let query: MetricsQueryInput = read_options(query, "query")?;
    Ok(metrics::request_metrics(&logs, &query.query(), now))
}

/// `validateRequestIntake`: the problems a new request would have if added
/// to the data set: the core's refusal of its `raised` event, else the
/// data set's problems located at it (unknown household or cadre, a
/// future date, a duplicate ID). An intake that does not read gives its one
/// `json.*` problem, at the field that failed.
///
/// # Errors
/// The data set cannot be read, or `today` is not a date.
pub fn validate_request_intake(
    intake: &str,
    doc: &str,
    today: &str,
) -> Result<Vec<Problem>, Report> {
    let today = parse_date(today, "today")?;
    let mut ds = read_dataset(doc)?;
    let intake: RequestIntake = match read_record(intake, "intake") {
        Ok(i) => i,
        Err(report) => return Ok(report.problems),
    };
    let mut log = RequestLog::new(intake.request_id);
    let raised = RequestEvent::Raised {
        household: intake.household_id,
        cadre: intake.cadre_id,
        category: intake.category,
        kind: intake.kind,
        channel: intake.channel,
        summary: intake.summary,
    };
    if let Err(e) = log.append(intake.at, raised) {
        return Ok(case_problem(&e, &log).problems);
    }
    ds.cases.push(log);
    let at = format!("cases[{}]", ds.cases.len() - 1);
    let inside = format!("{at}.");
    Ok(ds
        .validate(&ValidateOptions::new(today))
        .into_iter()
        .filter(|p| {
            p.location
                .path
                .as_deref()
                .is_some_and(|path| path == at || path.starts_with(&inside))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAISED: &str = r#"{"type": "raised", "household_id": "H1", "cadre_id": "A",
        "category": "insurance", "channel": "phone", "summary": "pension"}"#;

    #[test]
    fn events_apply_or_are_refused_with_the_cores_code() {
        let log = serde_json::to_string(&new_request_log("R1").unwrap()).unwrap();
        let a = apply_request_event(&log, "2024-01-31T15:00:00", RAISED).unwrap();
        assert_eq!(a.state.stage, case::Stage::Raised);
        let log = serde_json::to_string(&a.log).unwrap();
        let err =
            apply_request_event(&log, "2024-01-31T16:00:00", r#"{"type": "closed"}"#).unwrap_err();
        assert_eq!(err.problems[0].code, Code::RequestBadTransition);
        let triage = r#"{"type": "triaged", "track": "proxy", "deadline": "2024-02-01T15:00:00"}"#;
        let a = apply_request_event(&log, "2024-01-31T15:00:00", triage).unwrap();
        let log = serde_json::to_string(&a.log).unwrap();
        assert_eq!(request_state(&log).unwrap().stage, case::Stage::Open);
        assert_eq!(verify_request_log(&log).unwrap(), None);
        assert!(
            escalations_due(&log, "2024-02-01T15:00:00", None)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            escalations_due(&log, "2024-02-01T15:01:00", None)
                .unwrap()
                .len(),
            1
        );
        let logs = format!("[{log}]");
        let m = request_metrics(&logs, "2024-02-02T00:00:00", Some(r#"{"cadreId": "A"}"#)).unwrap();
        assert_eq!((m.collected, m.overdue), (1, 1));
        assert_eq!(
            request_metrics(&logs, "2024-02-02T00:00:00", Some(r#"{"cadre": "A"}"#))
                .unwrap_err()
                .problems[0]
                .code,
            Code::JsonShape
        );
        meetings_due(&logs, "2024-02-29", Some(r#"{"jointMeetingDay": 31}"#)).unwrap();
    }

    #[test]
    fn an_intake_is_checked_against_the_data_set() {
        let doc = r#"{"schema": "minqing/1",
            "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"}],
            "cadres": [{"cadre_id": "A", "name": "李某某"}]}"#;
        let good = r#"{"request_id": "R1", "at": "2024-06-01T09:00:00", "household_id": "H1",
            "cadre_id": "A", "category": "subsidy", "channel": "visit", "summary": "x"}"#;
        assert_eq!(
            validate_request_intake(good, doc, "2024-06-30").unwrap(),
            vec![]
        );
        let bad = good
            .replace("\"H1\"", "\"H9\"")
            .replace("2024-06-01", "2024-07-01");
        let got: Vec<(Code, Option<String>)> = validate_request_intake(&bad, doc, "2024-06-30")
            .unwrap()
            .into_iter()
            .map(|p| (p.code, p.location.field))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::RequestUnknownHousehold, Some("household_id".into())),
                (Code::RequestFutureEvent, Some("at".into())),
            ]
        );
        let unreadable = good.replace("\"subsidy\"", "\"taxes\"");
        let ps = validate_request_intake(&unreadable, doc, "2024-06-30").unwrap();
        assert_eq!(ps[0].code, Code::JsonShape);
        assert_eq!(ps[0].location.field.as_deref(), Some("category"));
    }
}
