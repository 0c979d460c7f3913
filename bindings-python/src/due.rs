//! A cadre's due list from Python (应访清单, 民情信号灯): `minqing.due_list`
//! and `minqing.DueList`, a wrapper over [`minqing::due::DueList`]; the
//! request signal of a household (`minqing.request_signal`) and the
//! iCalendar export of a due list (`minqing.ical`).
//!
//! Rows cross through the core's serde form ([`crate::convert::rows_table`]),
//! so a field the core adds to an item needs one column line here.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use minqing::case::CasePolicy;
use minqing::due::{DueBook, DueList as CoreDueList, DueOptions, SignalLight};
use minqing::ical::{IcalOptions, due_calendar};
use minqing::id::{CadreId, HouseholdId};
use minqing::problem::Location;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde_json::{Value, json};

use crate::arrow_out::Table;
use crate::convert::{Col, count_arg, date_arg, datetime_arg, rows_table, to_py, with_overrides};
use crate::dataset::Dataset;
use crate::errors::Failure;
use crate::policy::{PresenceRule, policy_arg};
use crate::requests::{bad_id, core_logs};

/// The columns of `DueList.items`: one row an item, in list order.
const ITEMS: &[(&str, &str, Col)] = &[
    ("household_id", "/household_id", Col::Text),
    ("rule", "/rule", Col::Text),
    ("rule_index", "/rule_index", Col::UInt),
    ("source", "/source", Col::Text),
    ("period_kind", "/period/kind", Col::Text),
    ("period_start", "/period/start", Col::Date),
    ("period_end", "/period_end", Col::Date),
    ("deadline", "/deadline", Col::Date),
    ("days_left", "/days_left", Col::UInt),
    ("contacts_needed", "/contacts_needed", Col::UInt),
    ("contacts_made", "/contacts_made", Col::UInt),
    ("missed_period_start", "/missed_period/start", Col::Date),
    ("last_contact", "/last_contact", Col::Date),
    ("light", "/light", Col::Text),
    ("event_kind", "/event/kind", Col::Text),
    ("event_date", "/event/date", Col::Date),
    ("round", "/round", Col::Text),
];

/// The columns of `DueList.households`.
const HOUSEHOLDS: &[(&str, &str, Col)] = &[
    ("household_id", "/household_id", Col::Text),
    ("light", "/light", Col::Text),
    ("deadline", "/deadline", Col::Date),
    ("items", "/items", Col::UInt),
    ("reasons", "/reason_kinds", Col::TextList),
];

/// The columns of `DueList.reasons`.
const REASONS: &[(&str, &str, Col)] = &[
    ("household_id", "/household_id", Col::Text),
    ("kind", "/kind", Col::Text),
    ("light", "/light", Col::Text),
    ("rule_index", "/rule_index", Col::UInt),
    ("source", "/source", Col::Text),
    ("request_id", "/request_id", Col::Text),
    ("deadline", "/deadline", Col::Date),
    ("message_zh", "/message/zh", Col::Text),
    ("message_en", "/message/en", Col::Text),
];

/// The columns of `DueList.presence`: one row a team.
const PRESENCE: &[(&str, &str, Col)] = &[
    ("team_id", "/team_id", Col::Text),
    ("week_start", "/week/start", Col::Date),
    ("week_end", "/week_end", Col::Date),
    ("days_this_week", "/days_this_week", Col::UInt),
    ("days_last_week", "/days_last_week", Col::UInt),
    ("min_days_per_week", "/min_days_per_week", Col::UInt),
    ("year_start", "/year/start", Col::Date),
    ("year_end", "/year_end", Col::Date),
    ("days_this_year", "/days_this_year", Col::UInt),
    ("min_days_per_year", "/min_days_per_year", Col::UInt),
    ("next_station_day", "/next_station_day", Col::Date),
    ("light", "/light", Col::Text),
];

/// A cadre's due list for a day (应访清单): each covered household's next
/// requirement under each rule that selects it, with a signal light
/// (民情信号灯: red overdue, yellow due within ``yellow_days`` or a request
/// open, green otherwise), and the households with their merged light and
/// its reasons. Made by ``minqing.due_list``.
#[pyclass(module = "minqing", name = "DueList", frozen)]
pub struct DueList(pub(crate) CoreDueList);

fn light_str(l: SignalLight) -> &'static str {
    l.as_str()
}

#[pymethods]
impl DueList {
    /// The cadre.
    #[getter]
    fn cadre_id(&self) -> &str {
        self.0.cadre_id.as_str()
    }

    /// The day the list was made for.
    #[getter]
    fn today(&self) -> NaiveDate {
        self.0.today
    }

    /// The policy's name.
    #[getter]
    fn policy(&self) -> &str {
        &self.0.policy_name
    }

    /// Every item, overdue first, then by deadline, household ID, rule:
    /// ``household_id``, ``rule``, ``rule_index`` (in the policy's list
    /// that ``source`` names: ``rules``, ``event_rules`` or
    /// ``round_rules``), ``source`` (``"period"``, ``"event"`` or
    /// ``"round"``), ``period_kind`` (``"span"`` for event and round
    /// items), ``period_start``, ``period_end``, ``deadline`` (dates),
    /// ``days_left``, ``contacts_needed``, ``contacts_made``,
    /// ``missed_period_start`` (the previous period, or an event's window,
    /// when it ended unmet), ``last_contact``, ``light``, and
    /// ``event_kind``, ``event_date`` (event items), ``round`` (the round's
    /// name, round items), null elsewhere.
    ///
    /// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
    /// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
    /// ...   "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}],
    /// ...   "cadres": [{"cadre_id": "C1", "name": "甲"}],
    /// ...   "events": [{"household_id": "H1", "date": "2024-06-08", "kind": "hospitalisation"}]}''')
    /// >>> d = minqing.due_list(ds, "C1", datetime.date(2024, 6, 13), policy="grid_one_plus_x")
    /// >>> [(i["source"], i["rule"], i["event_kind"], i["deadline"], i["light"])
    /// ...  for i in d.items.to_pyarrow().to_pylist() if i["source"] == "event"]
    /// [('event', 'hospitalisation', 'hospitalisation', datetime.date(2024, 6, 15), 'yellow')]
    #[getter]
    fn items(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rows: Vec<Value> = self
                .0
                .items
                .iter()
                .map(|i| {
                    let mut v = serde_json::to_value(i).unwrap_or_default();
                    v["period_end"] = json!(i.period.end());
                    v
                })
                .collect();
            rows_table(&rows, ITEMS)
        })
    }

    /// Every covered household, red, yellow, green, then by earliest
    /// deadline, then by ID: ``household_id``, ``light``, ``deadline``,
    /// ``items``, ``reasons`` (their kinds, a list).
    #[getter]
    fn households(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rows: Vec<Value> = self
                .0
                .households
                .iter()
                .map(|h| {
                    let mut v = serde_json::to_value(h).unwrap_or_default();
                    v["reason_kinds"] = json!(h.reasons.iter().map(|r| r.kind).collect::<Vec<_>>());
                    v
                })
                .collect();
            rows_table(&rows, HOUSEHOLDS)
        })
    }

    /// Every reason of every household's light, in ``households`` order:
    /// ``household_id``, ``kind``, ``light``, ``rule_index``, ``source``
    /// (the list ``rule_index`` indexes, as in ``items``), ``request_id``, ``deadline``, ``message_zh``, ``message_en``. The
    /// messages name IDs and dates only, never a name or a phone number.
    #[getter]
    fn reasons(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rows: Vec<Value> = self
                .0
                .households
                .iter()
                .flat_map(|h| {
                    h.reasons.iter().map(move |r| {
                        let mut v = serde_json::to_value(r).unwrap_or_default();
                        v["household_id"] = json!(h.household_id);
                        v
                    })
                })
                .collect();
            rows_table(&rows, REASONS)
        })
    }

    /// The station presence of each work team the cadre leads or belongs
    /// to, when ``due_list`` was given ``presence=`` (else no rows):
    /// ``team_id``, ``week_start``, ``week_end`` (the current week),
    /// ``days_this_week`` (up to the list's day), ``days_last_week``,
    /// ``min_days_per_week``, ``year_start``, ``year_end``,
    /// ``days_this_year``, ``min_days_per_year``, ``next_station_day``
    /// (逢五, on or after the list's day), ``light``.
    ///
    /// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
    /// ...   "units": [{"unit_id": "V1", "kind": "village"}],
    /// ...   "cadres": [{"cadre_id": "C1", "name": "C1"}],
    /// ...   "teams": [{"team_id": "WS1", "kind": "work_station", "unit_id": "V1", "leader": "C1", "members": []}],
    /// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
    /// ...   "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}],
    /// ...   "cadres": [{"cadre_id": "C1", "name": "甲"}],
    /// ...   "visits": [{"household_id": "H1", "cadre_id": "C1", "at": "2024-06-11T09:00:00", "mode": "at_station"}]}''')
    /// >>> d = minqing.due_list(ds, "C1", datetime.date(2024, 6, 13), presence=minqing.PresenceRule.work_station())
    /// >>> [(p["team_id"], p["days_this_week"], p["next_station_day"], p["light"])
    /// ...  for p in d.presence.to_pyarrow().to_pylist()]
    /// [('WS1', 1, datetime.date(2024, 6, 15), 'green')]
    #[getter]
    fn presence(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rows: Vec<Value> = self
                .0
                .presence
                .iter()
                .map(|p| {
                    let mut v = serde_json::to_value(p).unwrap_or_default();
                    v["week_end"] = json!(p.week.end());
                    v["year_end"] = json!(p.year.end());
                    v
                })
                .collect();
            rows_table(&rows, PRESENCE)
        })
    }

    /// The policy's period rules (the core's JSON shape, a list of dicts):
    /// an item's ``rule_index`` indexes it when its ``source`` is
    /// ``"period"``.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.rules)
    }

    /// The policy's event rules (list of dicts), indexed by the
    /// ``rule_index`` of ``"event"`` items.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "cadres": [{"cadre_id": "C1", "name": "甲"}]}')
    /// >>> [r["name"] for r in minqing.due_list(ds, "C1", "2024-06-13", policy="grid_one_plus_x").event_rules]
    /// ['hospitalisation', 'wedding_or_funeral']
    #[getter]
    fn event_rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.event_rules)
    }

    /// The policy's campaign-round rules (list of dicts), indexed by the
    /// ``rule_index`` of ``"round"`` items.
    #[getter]
    fn round_rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.round_rules)
    }

    /// Households by light: ``{"red": n, "yellow": n, "green": n}``.
    #[getter]
    fn counts(&self) -> std::collections::BTreeMap<&'static str, usize> {
        [SignalLight::Red, SignalLight::Yellow, SignalLight::Green]
            .into_iter()
            .map(|l| (light_str(l), self.0.count(l)))
            .collect()
    }

    /// The list as a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    fn __len__(&self) -> usize {
        self.0.items.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "DueList(cadre_id={:?}, today={}, policy={:?}, items={}, red={}, yellow={}, green={})",
            self.0.cadre_id.as_str(),
            self.0.today,
            self.0.policy_name,
            self.0.items.len(),
            self.0.count(SignalLight::Red),
            self.0.count(SignalLight::Yellow),
            self.0.count(SignalLight::Green)
        )
    }
}

fn cadre_arg(py: Python<'_>, id: &str) -> PyResult<CadreId> {
    CadreId::new(id).map_err(|e| bad_id(py, "cadre_id", id, e))
}

/// The due list of cadre ``cadre_id`` on ``today`` (a ``datetime.date`` or
/// ISO text): see ``DueList``. ``policy`` is a ``Policy``, a preset name or
/// a policy dict (default ``"four_fixed_three_arrivals"``); an item turns
/// yellow ``yellow_days`` days before its deadline (default 3). Request
/// logs merged into the lights are the data set's own, or ``requests`` (a
/// list of ``RequestLog``) when given; ``case_policy`` overrides fields of
/// the seeds' request policy and ``request_time`` is the time of ``today``
/// at which requests are judged (default 00:00). The data set's household
/// events on or before ``today`` start items of the policy's event rules
/// (a visit within days of the event); an unmet one stays on the list, red,
/// until ``event_lookback_days`` days after its deadline (default 30; 0
/// drops it once its deadline has passed). Round rules give an item for
/// each round running on ``today`` (never red). With ``presence`` (a ``PresenceRule``, e.g.
/// ``PresenceRule.work_station()``), ``DueList.presence`` reports the
/// station presence of the data set's work teams the cadre is on. The GIL
/// is released.
///
/// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
/// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
/// ...   "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}],
/// ...   "cadres": [{"cadre_id": "C1", "name": "甲"}],
/// ...   "visits": [{"household_id": "H1", "cadre_id": "C1", "at": "2024-06-03T10:00:00", "mode": "in_person"}]}''')
/// >>> d = minqing.due_list(ds, "C1", datetime.date(2024, 6, 13))
/// >>> d
/// DueList(cadre_id="C1", today=2024-06-13, policy="four_fixed_three_arrivals", items=1, red=0, yellow=0, green=1)
/// >>> [(i["rule"], i["deadline"], i["light"]) for i in d.items.to_pyarrow().to_pylist()]
/// [('resident', datetime.date(2024, 6, 30), 'green')]
#[pyfunction]
#[pyo3(signature = (dataset, cadre_id, today, *, policy=None, yellow_days=3, requests=None,
                    case_policy=None, request_time=None, event_lookback_days=30,
                    presence=None))]
#[allow(clippy::too_many_arguments)]
pub fn due_list(
    py: Python<'_>,
    dataset: &Dataset,
    cadre_id: &str,
    today: &Bound<'_, PyAny>,
    policy: Option<&Bound<'_, PyAny>>,
    yellow_days: i64,
    requests: Option<&Bound<'_, PyList>>,
    case_policy: Option<&Bound<'_, PyAny>>,
    request_time: Option<NaiveTime>,
    event_lookback_days: i64,
    presence: Option<&Bound<'_, PresenceRule>>,
) -> PyResult<DueList> {
    let today = date_arg(today, "today")?;
    let cadre = cadre_arg(py, cadre_id)?;
    let yellow_days = count_arg(py, yellow_days, "yellow_days")?;
    let event_lookback_days = count_arg(py, event_lookback_days, "event_lookback_days")?;
    let mut opts = DueOptions::new()
        .policy(policy_arg(
            policy,
            minqing::cadence::presets::four_fixed_three_arrivals,
        )?)
        .yellow_days(yellow_days)
        .event_lookback_days(event_lookback_days)
        .case_policy(with_overrides(
            py,
            CasePolicy::default(),
            case_policy,
            "case_policy",
        )?);
    if let Some(t) = request_time {
        opts = opts.request_time(t);
    }
    if let Some(rule) = presence {
        opts = opts.presence(rule.get().0.clone());
    }
    let logs = requests.map(core_logs).transpose()?;
    let ds = &dataset.0;
    minqing::due::known_cadre(ds, &cadre).map_err(|e| {
        Failure::input(&e, Location::default().with_field("cadre_id")).into_pyerr(py)
    })?;
    Ok(DueList(py.detach(|| {
        // The data set's requests, household events and teams.
        let book = DueBook::of_dataset(ds);
        let book = match &logs {
            Some(l) => book.with_requests(l),
            None => book,
        };
        book.due_list(&cadre, today, &opts)
    })))
}

/// The request signals at ``now`` (a ``datetime.datetime`` or ISO text) of
/// the households on cadre ``cadre_id``'s due list of that day, in
/// household-ID order: the due list's coverage rule, so on a handover day
/// a household is the new cadre's only. Each a dict as ``request_signal``
/// gives (``household_id``, ``light``, ``reasons``); requests are the data
/// set's; ``policy`` overrides fields of the seeds' request policy. Raises
/// ``InputError`` (``field.bad_id``) when the data set has no such cadre.
///
/// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
/// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
/// ...   "cadres": [{"cadre_id": "C1", "name": "甲"}],
/// ...   "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}]}''')
/// >>> [(s["household_id"], s["light"]) for s in minqing.request_signals(ds, "C1", datetime.datetime(2024, 6, 1, 9, 0))]
/// [('H1', 'green')]
#[pyfunction]
#[pyo3(signature = (dataset, cadre_id, now, *, policy=None))]
pub fn request_signals<'py>(
    py: Python<'py>,
    dataset: &Dataset,
    cadre_id: &str,
    now: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now: NaiveDateTime = datetime_arg(now, "now")?;
    let cadre = cadre_arg(py, cadre_id)?;
    let policy = with_overrides(py, CasePolicy::default(), policy, "policy")?;
    let ds = &dataset.0;
    let signals = py
        .detach(|| minqing::due::request_signals(ds, &cadre, now, &policy))
        .map_err(|e| {
            Failure::input(&e, Location::default().with_field("cadre_id")).into_pyerr(py)
        })?;
    to_py(py, &signals)
}

/// The request-based signal of household ``household_id`` at ``now``: red
/// for an overdue request (or overdue feedback), yellow for an open one,
/// green otherwise; closed requests do not count. A dict ``household_id``,
/// ``light``, ``reasons`` (each ``kind``, ``request_id``, ``message``...).
/// ``policy`` overrides fields of the seeds' request policy.
///
/// >>> minqing.request_signal([], "H1", datetime.datetime(2024, 6, 1, 9, 0))["light"]
/// 'green'
#[pyfunction]
#[pyo3(signature = (logs, household_id, now, policy=None))]
pub fn request_signal<'py>(
    py: Python<'py>,
    logs: &Bound<'py, PyList>,
    household_id: &str,
    now: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let now: NaiveDateTime = datetime_arg(now, "now")?;
    let household =
        HouseholdId::new(household_id).map_err(|e| bad_id(py, "household_id", household_id, e))?;
    let policy = with_overrides(py, CasePolicy::default(), policy, "policy")?;
    let logs = core_logs(logs)?;
    let s = py.detach(|| minqing::case::request_signal(&logs, &household, &policy, now));
    to_py(py, &s)
}

/// The iCalendar text (``.ics``, CRLF lines) of ``due``'s visits for the
/// next ``days`` days from its day: one all-day event per item on its
/// deadline, stamped ``now`` (default: the list's day at 00:00, China
/// Standard Time). ``name`` is the calendar's name. Names and phones of
/// households go into the events only when ``contacts`` (a ``Dataset``
/// holding them) is given: personal data is opt-in.
///
/// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
/// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
/// ...   "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}],
/// ...   "cadres": [{"cadre_id": "C1", "name": "甲"}]}''')
/// >>> ics = minqing.ical(minqing.due_list(ds, "C1", datetime.date(2024, 6, 13)), days=7)
/// >>> "DTSTART;VALUE=DATE:20240615" in ics, ics.startswith("BEGIN:VCALENDAR")
/// (True, True)
#[pyfunction]
#[pyo3(signature = (due, now=None, *, days=7, name=None, contacts=None))]
pub fn ical(
    py: Python<'_>,
    due: &DueList,
    now: Option<&Bound<'_, PyAny>>,
    days: i64,
    name: Option<String>,
    contacts: Option<&Dataset>,
) -> PyResult<String> {
    let days = count_arg(py, days, "days")?;
    let now = match now {
        Some(n) => datetime_arg(n, "now")?,
        None => due.0.today.and_time(NaiveTime::MIN),
    };
    let mut opts = IcalOptions::new().days(days);
    if let Some(n) = name {
        opts = opts.name(n);
    }
    if let Some(ds) = contacts {
        opts = opts.with_contacts(&ds.0.households);
    }
    Ok(py.detach(|| due_calendar(&due.0, now, &opts)))
}
