//! Requests (诉求): `minqing.RequestLog`, a newtype over
//! [`minqing::case::RequestLog`], and the module functions over logs
//! (`escalations_due`, `meetings_due`, `request_metrics`). Events, states
//! and results cross the boundary through serde: dicts shaped as the core's
//! JSON (the shape of the shared vectors and of JSON Lines files).

use chrono::{NaiveDate, NaiveDateTime};
use minqing::case::{CaseError, CasePolicy, RequestEvent, RequestLog as CoreLog};
use minqing::id::{CadreId, RequestId};
use minqing::metrics::MetricsQuery;
use minqing::problem::{Code, Location, Problem, Report};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::arrow_out::Table;
use crate::convert::{
    Col, date_arg, datetime_arg, from_json, from_py, rows_table, to_py, with_overrides,
};
use crate::errors::Failure;

/// One request's append-only event log (a hash chain): every event is
/// checked against the state folded so far, and refused, with the log left
/// unchanged, when it does not fit.
///
/// Events are dicts shaped as the core's JSON: ``{"type": "raised",
/// "household_id": ..., "cadre_id": ..., "category": ..., "channel": ...,
/// "summary": ...}``, ``{"type": "triaged", "track": "proxy", "deadline":
/// ...}``, and so on (dates as ``datetime`` or ISO text).
///
/// >>> import datetime, minqing
/// >>> log = minqing.RequestLog("R1")
/// >>> at = datetime.datetime(2024, 5, 6, 10, 0)
/// >>> _ = log.append(at, {"type": "raised", "household_id": "H1", "cadre_id": "C1",
/// ...     "category": "insurance", "channel": "visit", "summary": "pension"})
/// >>> _ = log.append(at, {"type": "triaged", "track": "proxy",
/// ...     "deadline": datetime.datetime(2024, 5, 7, 10, 0)})
/// >>> log.state["stage"], log.state["deadline"]
/// ('open', '2024-05-07T10:00:00')
/// >>> try:
/// ...     log.append(at, {"type": "closed"})
/// ... except minqing.TransitionError as e:
/// ...     e.code
/// 'request.bad_transition'
/// >>> len(log), log.verify()
/// (2, True)
#[pyclass(module = "minqing", name = "RequestLog", eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct RequestLog(pub(crate) CoreLog);

impl From<CoreLog> for RequestLog {
    fn from(l: CoreLog) -> Self {
        RequestLog(l)
    }
}

impl From<RequestLog> for CoreLog {
    fn from(l: RequestLog) -> Self {
        l.0
    }
}

pub(crate) fn bad_id(py: Python<'_>, field: &str, value: &str, e: impl std::fmt::Display) -> PyErr {
    Failure::parse_one(
        Code::FieldBadId,
        Location::default().with_field(field),
        format!("编号 {value:?} 无效：{e}"),
        format!("bad ID {value:?}: {e}"),
    )
    .into_pyerr(py)
}

/// A refused event as `TransitionError`, located at the log's next position.
fn transition_error(py: Python<'_>, log: &CoreLog, e: &CaseError) -> PyErr {
    let location =
        Location::record("request", log.request_id()).at_path(format!("events[{}]", log.len()));
    let report: Report = std::iter::once(e.to_problem(location)).collect();
    Failure::Transition(report).into_pyerr(py)
}

/// The logs of a Python list of `RequestLog`, cloned out while holding the GIL.
pub(crate) fn core_logs(logs: &Bound<'_, PyList>) -> PyResult<Vec<CoreLog>> {
    logs.iter()
        .map(|l| Ok(l.extract::<PyRef<'_, RequestLog>>()?.0.clone()))
        .collect()
}

/// The case policy: the seeds' default, with the caller's overrides (a dict
/// of the fields to change, such as ``{"cycle": {"joint_meeting_day": 5}}``).
fn policy(py: Python<'_>, overrides: Option<&Bound<'_, PyAny>>) -> PyResult<CasePolicy> {
    with_overrides(py, CasePolicy::default(), overrides, "policy")
}

#[pymethods]
impl RequestLog {
    /// An empty log for request ``request_id``.
    #[new]
    fn new(py: Python<'_>, request_id: &str) -> PyResult<Self> {
        let id = RequestId::new(request_id).map_err(|e| bad_id(py, "request_id", request_id, e))?;
        Ok(RequestLog(CoreLog::new(id)))
    }

    /// The request's ID.
    #[getter]
    fn request_id(&self) -> String {
        self.0.request_id().to_string()
    }

    /// Checks ``event`` (a dict, or JSON text) at ``at`` (a naive
    /// ``datetime`` in China Standard Time, or ISO text) against the state
    /// and appends it. Returns the stored entry as a dict (``request_id``,
    /// ``seq``, ``at``, ``event``, ``prev_hash``, ``hash``).
    ///
    /// Raises ``TransitionError`` (``.code`` such as
    /// ``request.bad_transition``, ``request.out_of_order``) when the event
    /// does not fit; the log is then unchanged. Raises ``ParseError``
    /// (``json.shape``) when the dict is not an event.
    fn append<'py>(
        &mut self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = datetime_arg(at, "at")?;
        let event: RequestEvent = from_py(event, "event")?;
        match self.0.append(at, event) {
            Ok(entry) => to_py(py, entry),
            Err(e) => Err(transition_error(py, &self.0, &e)),
        }
    }

    /// The state, the fold of every event, as a dict (``stage``,
    /// ``track``, ``level``, ``deadline``, ``handler``, ``outcome``,
    /// ``feedback``, ``closed_at``, ...). Raises ``TransitionError``
    /// (``request.not_raised``) for an empty log.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0.state() {
            Ok(s) => to_py(py, &s),
            Err(e) => Err(transition_error(py, &self.0, &e)),
        }
    }

    /// The state as of ``at`` (events after it ignored), or ``None`` before
    /// the first event.
    fn state_at<'py>(
        &self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let at = datetime_arg(at, "at")?;
        match self.0.state_at(at) {
            Ok(s) => to_py(py, &s),
            Err(e) => Err(transition_error(py, &self.0, &e)),
        }
    }

    /// The entries, oldest first, as dicts.
    #[getter]
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.0.entries())
    }

    /// The hash of the last entry, 64 hexadecimal digits.
    #[getter]
    fn head(&self) -> String {
        self.0.head().to_hex()
    }

    /// Checks the hash chain. Returns ``True``; with ``raise_on_error=False``
    /// (the default) returns ``False`` when the chain is broken, else raises
    /// ``ValidationError`` (``request.chain_broken``) naming the first
    /// broken entry.
    #[pyo3(signature = (*, raise_on_error=false))]
    fn verify(&self, py: Python<'_>, raise_on_error: bool) -> PyResult<bool> {
        match self.0.verify() {
            Ok(()) => Ok(true),
            Err(_) if !raise_on_error => Ok(false),
            Err(b) => {
                let m = b.message();
                let location = Location::record("request", self.0.request_id())
                    .at_path(format!("events[{}]", b.index));
                let report: Report =
                    std::iter::once(Problem::new(Code::RequestChainBroken, location, m.zh, m.en))
                        .collect();
                Err(Failure::Validation(report).into_pyerr(py))
            }
        }
    }

    /// The log as JSON Lines, one entry a line.
    fn to_jsonl(&self) -> String {
        minqing::case::write_jsonl(std::slice::from_ref(&self.0))
    }

    /// Reads JSON Lines (one entry a line, as ``to_jsonl`` writes) into
    /// logs, grouped by request in order of first appearance. Raises
    /// ``ParseError`` listing every bad line (``file``, ``line``). Nothing
    /// is checked beyond each line's shape: call ``verify`` and ``state``.
    ///
    /// >>> logs = minqing.RequestLog.from_jsonl(log.to_jsonl())
    /// >>> logs == [log]
    /// True
    #[staticmethod]
    #[pyo3(signature = (text, *, file="<string>"))]
    fn from_jsonl(py: Python<'_>, text: &str, file: &str) -> PyResult<Vec<RequestLog>> {
        let (logs, report) = py.detach(|| minqing::case::read_jsonl(text, file));
        if report.has_errors() {
            return Err(Failure::Parse(report).into_pyerr(py));
        }
        Ok(logs.into_iter().map(RequestLog).collect())
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        let stage = self
            .0
            .state()
            .ok()
            .and_then(|s| serde_json::to_value(s.stage).ok())
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "empty".to_owned());
        format!(
            "RequestLog(request_id={:?}, events={}, stage={stage})",
            self.0.request_id().as_str(),
            self.0.len()
        )
    }
}

/// The events a supervisor would append to ``log`` at ``now``: a failed
/// mediation escalated, a deadline passed, county supervision due. Each is a
/// dict (``request_id``, ``at``, ``event``, ``because``); append it with
/// ``log.append(d["at"], d["event"])``. ``policy`` overrides fields of the
/// seeds' case policy (a dict). Nothing is appended here.
///
/// >>> import minqing
/// >>> minqing.escalations_due(minqing.RequestLog("R9"), "2024-06-01T00:00")
/// []
#[pyfunction]
#[pyo3(signature = (log, now, policy=None))]
pub fn escalations_due<'py>(
    py: Python<'py>,
    log: PyRef<'py, RequestLog>,
    now: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now = datetime_arg(now, "now")?;
    let policy = self::policy(py, policy)?;
    let log = &log.0;
    let due = py.detach(|| minqing::case::escalations_due(log, &policy, now));
    to_py(py, &due)
}

/// Which requests go to which meeting on ``today``, and what is overdue
/// (the monthly cycle of seed 002, the weekly analysis meeting of seed
/// 000), as a dict: ``card_summary_due``, ``joint_meeting``,
/// ``joint_agenda``, ``joint_missed``, ``analysis_meeting``,
/// ``analysis_agenda``, ``overdue``. ``policy`` as for
/// ``escalations_due``.
///
/// >>> import datetime, minqing
/// >>> minqing.meetings_due([], datetime.date(2024, 2, 29))["joint_meeting"]
/// '2024-03-05'
#[pyfunction]
#[pyo3(signature = (logs, today, policy=None))]
pub fn meetings_due<'py>(
    py: Python<'py>,
    logs: &Bound<'py, PyList>,
    today: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let today: NaiveDate = date_arg(today, "today")?;
    let policy = self::policy(py, policy)?;
    let logs = core_logs(logs)?;
    let m = py.detach(|| minqing::case::meetings_due(&logs, &policy, today));
    to_py(py, &m)
}

/// The figures of the requests raised from ``start`` to ``end`` (both
/// optional), folded as of ``now``: ``collected``, ``resolution``,
/// ``on_time``, ``on_the_spot``, ``mediation``, ``adoption``,
/// ``satisfaction`` (each ``{"numerator", "denominator"}``), ``partial``,
/// ``explained``, ``days_to_close_median``, ``days_to_close_p90``,
/// ``carried_over``, ``escalated``, ``open``, ``overdue``, ``closed``.
///
/// >>> import datetime, minqing
/// >>> minqing.request_metrics([], datetime.datetime(2024, 6, 30, 23, 59))["collected"]
/// 0
#[pyfunction]
#[pyo3(signature = (logs, now, *, start=None, end=None, cadre_id=None, category=None,
                    explained_counts_as_resolved=false, partial_counts_as_resolved=true))]
#[allow(clippy::too_many_arguments)]
pub fn request_metrics<'py>(
    py: Python<'py>,
    logs: &Bound<'py, PyList>,
    now: &Bound<'py, PyAny>,
    start: Option<&Bound<'py, PyAny>>,
    end: Option<&Bound<'py, PyAny>>,
    cadre_id: Option<&str>,
    category: Option<&str>,
    explained_counts_as_resolved: bool,
    partial_counts_as_resolved: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let now: NaiveDateTime = datetime_arg(now, "now")?;
    let mut q = MetricsQuery::new()
        .explained_counts_as_resolved(explained_counts_as_resolved)
        .partial_counts_as_resolved(partial_counts_as_resolved);
    q.from = start.map(|s| date_arg(s, "start")).transpose()?;
    q.to = end.map(|s| date_arg(s, "end")).transpose()?;
    if let Some(c) = cadre_id {
        q = q.cadre(CadreId::new(c).map_err(|e| bad_id(py, "cadre_id", c, e))?);
    }
    if let Some(c) = category {
        q = q.category(from_json(
            py,
            serde_json::Value::String(c.to_owned()),
            "category",
        )?);
    }
    let logs = core_logs(logs)?;
    let m = py.detach(|| minqing::metrics::request_metrics(&logs, &q, now));
    to_py(py, &m)
}

/// Request logs from an Arrow table (pyarrow, Polars, pandas) shaped as
/// the JSON Lines entries: one row an event, columns ``request_id``,
/// ``at`` (timestamp or ISO text), ``event`` (the event as JSON text, as
/// in a JSON Lines entry) and, optionally, ``seq``, ``prev_hash``,
/// ``hash``. Rows are grouped into logs by ``request_id`` in order of first
/// appearance. With a ``hash`` column the rows are the entries of saved
/// logs, taken as written (check them with ``RequestLog.verify``); without
/// one each event is appended in row order and checked against its
/// request's state. Raises ``ParseError`` listing every bad row, each
/// problem with its row (``location.path``, ``"requests[3]"``) and field;
/// nothing is dropped silently. The GIL is released while reading.
///
/// >>> import pyarrow as pa
/// >>> logs = minqing.requests_from_arrow(pa.table({
/// ...     "request_id": ["R1", "R1"],
/// ...     "at": ["2024-05-06T10:00", "2024-05-06T10:05"],
/// ...     "event": ['{"type": "raised", "household_id": "H1", "cadre_id": "C1", '
/// ...               '"category": "insurance", "channel": "visit", "summary": "pension"}',
/// ...               '{"type": "triaged", "track": "on_the_spot"}']}))
/// >>> logs
/// [RequestLog(request_id="R1", events=2, stage=open)]
/// >>> try:
/// ...     minqing.requests_from_arrow(pa.table({"request_id": ["R2"],
/// ...         "at": ["2024-05-06T10:00"], "event": ['{"type": "closed"}']}))
/// ... except minqing.ParseError as e:
/// ...     [(p.code, p.location.path, p.location.field) for p in e.problems]
/// [('request.not_raised', 'requests[0]', 'event')]
#[pyfunction]
pub fn requests_from_arrow(
    py: Python<'_>,
    table: pyo3_arrow::input::AnyRecordBatch,
) -> PyResult<Vec<RequestLog>> {
    let batches = crate::dataset::batches(Some(table))?.unwrap_or_default();
    let (logs, report) = py.detach(|| crate::arrow_in::request_logs(&batches));
    if !report.problems.is_empty() {
        return Err(Failure::Parse(report).into_pyerr(py));
    }
    Ok(logs.into_iter().map(RequestLog).collect())
}

/// The columns of `request_metrics_table`, after the group column: counts,
/// and for each rate its numerator, denominator and fraction.
fn metrics_columns() -> Vec<(String, String, Col)> {
    let mut cols: Vec<(String, String, Col)> =
        vec![("collected".into(), "/collected".into(), Col::UInt)];
    for rate in [
        "resolution",
        "on_time",
        "on_the_spot",
        "mediation",
        "adoption",
        "satisfaction",
    ] {
        cols.push((rate.into(), format!("/{rate}/numerator"), Col::UInt));
        cols.push((
            format!("{rate}_of"),
            format!("/{rate}/denominator"),
            Col::UInt,
        ));
        cols.push((format!("{rate}_rate"), format!("/{rate}/rate"), Col::Float));
    }
    for n in [
        "partial",
        "explained",
        "carried_over",
        "escalated",
        "open",
        "overdue",
        "closed",
    ] {
        cols.push((n.into(), format!("/{n}"), Col::UInt));
    }
    for n in ["days_to_close_median", "days_to_close_p90"] {
        cols.push((n.into(), format!("/{n}"), Col::Float));
    }
    cols
}

/// The figures of ``request_metrics`` as an Arrow table, one row per
/// group: ``by="cadre"`` (the first responder, column ``cadre_id``),
/// ``"category"`` (column ``category``), ``"household"`` (column
/// ``household_id``) or ``None`` (one row, column ``group`` = ``"all"``),
/// groups sorted. Each rate comes as three columns: ``resolution`` (the
/// numerator), ``resolution_of`` (the denominator), ``resolution_rate``
/// (null when nothing to count); likewise ``on_time``, ``on_the_spot``,
/// ``mediation``, ``adoption``, ``satisfaction``; then ``collected``,
/// ``partial``, ``explained``, ``carried_over``, ``escalated``, ``open``,
/// ``overdue``, ``closed``, ``days_to_close_median``, ``days_to_close_p90``.
/// Each row is the core's figures for the query restricted to the group.
///
/// >>> t = minqing.request_metrics_table([], datetime.datetime(2024, 6, 30), by=None)
/// >>> t.to_pyarrow().to_pylist()[0]["group"], t.num_rows
/// ('all', 1)
#[pyfunction]
#[pyo3(signature = (logs, now, *, by="cadre", start=None, end=None,
                    explained_counts_as_resolved=false, partial_counts_as_resolved=true))]
#[allow(clippy::too_many_arguments)]
pub fn request_metrics_table<'py>(
    py: Python<'py>,
    logs: &Bound<'py, PyList>,
    now: &Bound<'py, PyAny>,
    by: Option<&str>,
    start: Option<&Bound<'py, PyAny>>,
    end: Option<&Bound<'py, PyAny>>,
    explained_counts_as_resolved: bool,
    partial_counts_as_resolved: bool,
) -> PyResult<Table> {
    use std::collections::{BTreeMap, HashSet};
    let now: NaiveDateTime = datetime_arg(now, "now")?;
    let mut q = MetricsQuery::new()
        .explained_counts_as_resolved(explained_counts_as_resolved)
        .partial_counts_as_resolved(partial_counts_as_resolved);
    q.from = start.map(|s| date_arg(s, "start")).transpose()?;
    q.to = end.map(|s| date_arg(s, "end")).transpose()?;
    let column = match by {
        None => "group",
        Some("cadre") => "cadre_id",
        Some("category") => "category",
        Some("household") => "household_id",
        Some(other) => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "by={other:?}: give \"cadre\", \"category\", \"household\" or None"
            )));
        }
    };
    let logs = core_logs(logs)?;
    let rows = py.detach(|| {
        // The groups: each key the folded logs carry, one query each.
        let mut groups: BTreeMap<String, MetricsQuery> = BTreeMap::new();
        if by.is_none() {
            groups.insert("all".into(), q.clone());
        }
        for s in logs.iter().filter_map(|l| l.state().ok()) {
            let (key, query) = match by {
                Some("cadre") => (
                    s.cadre.as_str().to_owned(),
                    q.clone().cadre(s.cadre.clone()),
                ),
                Some("category") => {
                    let key = serde_json::to_value(s.category)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    (key, q.clone().category(s.category))
                }
                Some("household") => (
                    s.household.as_str().to_owned(),
                    q.clone().households(HashSet::from([s.household.clone()])),
                ),
                _ => continue,
            };
            groups.entry(key).or_insert(query);
        }
        groups
            .into_iter()
            .map(|(key, query)| {
                let m = minqing::metrics::request_metrics(&logs, &query, now);
                let mut v = serde_json::to_value(&m).unwrap_or_default();
                for rate in [
                    &m.resolution,
                    &m.on_time,
                    &m.on_the_spot,
                    &m.mediation,
                    &m.adoption,
                    &m.satisfaction,
                ]
                .into_iter()
                .zip([
                    "resolution",
                    "on_time",
                    "on_the_spot",
                    "mediation",
                    "adoption",
                    "satisfaction",
                ]) {
                    v[rate.1]["rate"] = serde_json::json!(rate.0.value());
                }
                v["group_key"] = serde_json::Value::String(key);
                v
            })
            .collect::<Vec<_>>()
    });
    let cols = metrics_columns();
    let mut spec: Vec<(&str, &str, Col)> = vec![(column, "/group_key", Col::Text)];
    spec.extend(cols.iter().map(|(n, p, c)| (n.as_str(), p.as_str(), *c)));
    Ok(rows_table(&rows, &spec))
}

/// The columns of a ledger row (`case::LedgerRow`): content, measures,
/// responsible person, deadline (内容、举措、责任人、完成时限, seed 004).
const LEDGER: &[(&str, &str, Col)] = &[
    ("request_id", "/request_id", Col::Text),
    ("household_id", "/household_id", Col::Text),
    ("category", "/category", Col::Text),
    ("track", "/track", Col::Text),
    ("stage", "/stage", Col::Text),
    ("content", "/content", Col::Text),
    ("measures", "/measures", Col::Text),
    ("responsible", "/responsible", Col::Text),
    ("deadline", "/deadline", Col::DateTime),
    ("raised_at", "/raised_at", Col::DateTime),
    ("concluded_at", "/concluded_at", Col::DateTime),
    ("overdue", "/overdue", Col::Bool),
];

fn ledger_table<T: serde::Serialize>(rows: &[T]) -> Table {
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    rows_table(&rows, LEDGER)
}

/// Seed 001's three intake ledgers (即办、代办、上报事项工作台账) as of
/// ``now``: a dict of Arrow tables ``on_the_spot``, ``proxy``,
/// ``escalated``, one row a request (``request_id``, ``household_id``,
/// ``category``, ``track``, ``stage``, ``content``, ``measures``,
/// ``responsible``, ``deadline``, ``raised_at``, ``concluded_at``,
/// ``overdue``), each sorted by deadline.
///
/// >>> import datetime, minqing
/// >>> sorted(minqing.intake_ledgers([], datetime.datetime(2024, 6, 30, 12, 0)))
/// ['escalated', 'on_the_spot', 'proxy']
#[pyfunction]
pub fn intake_ledgers(
    py: Python<'_>,
    logs: &Bound<'_, PyList>,
    now: &Bound<'_, PyAny>,
) -> PyResult<std::collections::BTreeMap<&'static str, Table>> {
    let now = datetime_arg(now, "now")?;
    let logs = core_logs(logs)?;
    Ok(py.detach(|| {
        let l = minqing::case::intake_ledgers(&logs, now);
        [
            ("on_the_spot", ledger_table(&l.on_the_spot)),
            ("proxy", ledger_table(&l.proxy)),
            ("escalated", ledger_table(&l.escalated)),
        ]
        .into_iter()
        .collect()
    }))
}

/// The open requests cadre ``cadre_id`` is responsible for at ``now``, as
/// an Arrow table with the columns of ``intake_ledgers``.
///
/// >>> minqing.open_requests_for_cadre([], "C1", "2024-06-30T12:00").num_rows
/// 0
#[pyfunction]
pub fn open_requests_for_cadre(
    py: Python<'_>,
    logs: &Bound<'_, PyList>,
    cadre_id: &str,
    now: &Bound<'_, PyAny>,
) -> PyResult<Table> {
    let now = datetime_arg(now, "now")?;
    let cadre = CadreId::new(cadre_id).map_err(|e| bad_id(py, "cadre_id", cadre_id, e))?;
    let logs = core_logs(logs)?;
    Ok(py.detach(|| ledger_table(&minqing::case::open_requests_for_cadre(&logs, &cadre, now))))
}

/// "One ledger, two lists" (一台账两清单, seed 004) for the days ``start``
/// to ``end``: a dict of Arrow tables ``visits`` (the visit ledger:
/// ``household_id``, ``cadre_id``, ``at``, ``mode``, ``signed``,
/// ``content``, ``requests``), ``requests`` (raised and not concluded at
/// the end) and ``completed`` (raised and concluded), the last two with the
/// columns of ``intake_ledgers``. Visits come from ``dataset``.
///
/// >>> minqing.ledger_and_lists(minqing.Dataset(), [], start="2024-06-01", end="2024-06-30")["visits"].num_rows
/// 0
#[pyfunction]
#[pyo3(signature = (dataset, logs, *, start, end))]
pub fn ledger_and_lists(
    py: Python<'_>,
    dataset: PyRef<'_, crate::dataset::Dataset>,
    logs: &Bound<'_, PyList>,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
) -> PyResult<std::collections::BTreeMap<&'static str, Table>> {
    let (from, to) = (date_arg(start, "start")?, date_arg(end, "end")?);
    let logs = core_logs(logs)?;
    let visits = &dataset.0.visits;
    Ok(py.detach(|| {
        let l = minqing::case::one_ledger_two_lists(visits, &logs, from, to);
        let rows: Vec<serde_json::Value> = l
            .visits
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect();
        let visits = rows_table(
            &rows,
            &[
                ("household_id", "/household_id", Col::Text),
                ("cadre_id", "/cadre_id", Col::Text),
                ("at", "/at", Col::DateTime),
                ("mode", "/mode", Col::Text),
                ("signed", "/signed", Col::Bool),
                ("content", "/content", Col::Text),
                ("requests", "/requests", Col::TextList),
            ],
        );
        [
            ("visits", visits),
            ("requests", ledger_table(&l.requests)),
            ("completed", ledger_table(&l.completed)),
        ]
        .into_iter()
        .collect()
    }))
}
