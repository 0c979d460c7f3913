//! Visit compliance from Python: `minqing.Compliance`, a wrapper over
//! [`minqing::compliance::ComplianceReport`] with the household table it
//! refers to, and the entries that compute it (`compliance_csv`,
//! `compliance_arrow`, `Dataset.compliance`).

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, StringBuilder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;
use minqing::assign::Assignment;
use minqing::cadence::{Policy, presets};
use minqing::calendar::Window;
use minqing::compliance::{
    Accountability, ComplianceError, ComplianceReport, HouseholdColumns, compliance_of_dataset,
};
use minqing::dataset::Dataset as CoreDataset;
use minqing::io::columnar::{LoadOptions, RowCounts};
use minqing::io::fast::{ComplianceTables, read_compliance_dir};
use minqing::problem::{Location, Report};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::input::AnyRecordBatch;

use crate::arrow_in;
use crate::arrow_out::Table;
use crate::convert::{date32, from_json, to_py};
use crate::errors::{Failure, IntoPyResult};
use crate::policy::policy_arg;
use crate::problem::Problem;

/// The rows skipped while loading, by file.
#[derive(Debug, Clone, Default)]
struct Skipped {
    households: Option<RowCounts>,
    visits: Option<RowCounts>,
}

/// Visit compliance of a policy over a window (四定三到 and other
/// cadences): totals, per village, per cadre, per household, and the missed
/// list (household, period), each as an Arrow ``Table``.
///
/// Made by ``minqing.compliance_csv``, ``minqing.compliance_arrow`` and
/// ``Dataset.compliance``.
///
/// >>> import datetime, minqing, pyarrow as pa
/// >>> c = minqing.compliance_arrow(
/// ...     pa.table({"household_id": ["H1"], "village_id": ["V1"], "residency": ["away"]}),
/// ...     pa.table({"household_id": ["H1"], "cadre_id": ["C1"],
/// ...               "at": ["2024-01-09T10:00"], "mode": ["phone"]}),
/// ...     start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 31))
/// >>> c
/// Compliance(policy="four_fixed_three_arrivals", window=2024-01-01..2024-03-31, required=3, met=1, rate=0.333333)
/// >>> c.missed.to_pyarrow().column("period_start").to_pylist()
/// [datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)]
#[pyclass(module = "minqing", name = "Compliance", frozen)]
pub struct Compliance {
    report: ComplianceReport,
    policy: Policy,
    accountability: Accountability,
    households: HouseholdColumns,
    /// `None` when the result was read without assignments: then
    /// per-cadre figures are refused (`compliance.no_assignments`).
    assignments: Option<Vec<Assignment>>,
    skipped: Skipped,
    problems: Report,
}

pub(crate) fn u64_col(values: impl Iterator<Item = u64>) -> ArrayRef {
    let mut b = UInt64Builder::new();
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

fn rate_col(values: impl Iterator<Item = Option<f64>>) -> ArrayRef {
    let mut b = Float64Builder::new();
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

fn text_col<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    let mut b = StringBuilder::new();
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

pub(crate) fn date_col(values: impl Iterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let mut b = Date32Builder::new();
    for v in values {
        b.append_option(v.map(date32));
    }
    Arc::new(b.finish())
}

pub(crate) fn bool_col(values: impl Iterator<Item = bool>) -> ArrayRef {
    let mut b = BooleanBuilder::new();
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A column's field: `name`, its type, nullable or not.
pub(crate) fn f(name: &str, dt: DataType, nullable: bool) -> Field {
    Field::new(name, dt, nullable)
}

fn accountability_word(a: Accountability) -> &'static str {
    match a {
        Accountability::LastDay => "last_day",
        Accountability::FirstDay => "first_day",
    }
}

fn accountability_arg(py: Python<'_>, word: &str) -> PyResult<Accountability> {
    from_json(
        py,
        serde_json::Value::String(word.to_owned()),
        "accountability",
    )
}

pub(crate) fn table(fields: Vec<Field>, columns: Vec<ArrayRef>) -> Table {
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
    Table::new(vec![batch], schema)
}

fn counts_dict<'py>(py: Python<'py>, c: &RowCounts) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("rows", c.rows)?;
    d.set_item("kept", c.kept)?;
    d.set_item("skipped", c.skipped())?;
    d.set_item("outside_window", c.outside_window)?;
    d.set_item("unknown_household", c.unknown_household)?;
    d.set_item("duplicate", c.duplicate)?;
    d.set_item("bad", c.bad)?;
    Ok(d)
}

#[pymethods]
impl Compliance {
    /// The policy's name.
    #[getter]
    fn policy(&self) -> &str {
        &self.report.policy_name
    }

    /// The first day of the window.
    #[getter]
    fn start(&self) -> NaiveDate {
        self.report.window.start
    }

    /// The last day of the window.
    #[getter]
    fn end(&self) -> NaiveDate {
        self.report.window.end
    }

    /// Required household-periods, all rules.
    #[getter]
    fn required(&self) -> u64 {
        self.report.required
    }

    /// Met household-periods, all rules.
    #[getter]
    fn met(&self) -> u64 {
        self.report.met
    }

    /// ``met / required`` (``None`` when nothing is required).
    #[getter]
    fn rate(&self) -> Option<f64> {
        self.report.rate()
    }

    /// One row: ``required``, ``met``, ``rate``, ``visits_counted``,
    /// ``visits_outside_window``, ``visits_unknown_household``.
    #[getter]
    fn summary(&self) -> Table {
        let r = &self.report;
        let u = |name| Field::new(name, DataType::UInt64, false);
        table(
            vec![
                u("required"),
                u("met"),
                Field::new("rate", DataType::Float64, true),
                u("visits_counted"),
                u("visits_outside_window"),
                u("visits_unknown_household"),
            ],
            vec![
                u64_col(std::iter::once(r.required)),
                u64_col(std::iter::once(r.met)),
                rate_col(std::iter::once(r.rate())),
                u64_col(std::iter::once(r.visits_counted)),
                u64_col(std::iter::once(r.visits_outside_window)),
                u64_col(std::iter::once(r.visits_unknown_household)),
            ],
        )
    }

    /// One row a village, by village ID: ``village_id``, ``required``,
    /// ``met``, ``rate`` (null when nothing is required).
    #[getter]
    fn villages(&self, py: Python<'_>) -> Table {
        let vs = &self.report.villages;
        py.detach(|| {
            table(
                vec![
                    Field::new("village_id", DataType::Utf8, false),
                    Field::new("required", DataType::UInt64, false),
                    Field::new("met", DataType::UInt64, false),
                    Field::new("rate", DataType::Float64, true),
                ],
                vec![
                    text_col(vs.iter().map(|v| v.village_id.as_str())),
                    u64_col(vs.iter().map(|v| v.required)),
                    u64_col(vs.iter().map(|v| v.met)),
                    rate_col(vs.iter().map(|v| v.rate())),
                ],
            )
        })
    }

    /// Every missed period, by household ID then period start:
    /// ``household_id``, ``period_start`` (date), ``rule``. Its length is
    /// ``required - met``.
    #[getter]
    fn missed(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let r = &self.report;
            let n = (r.required - r.met) as usize;
            let mut ids = StringBuilder::with_capacity(n, n * 8);
            let mut starts = Date32Builder::with_capacity(n);
            let mut rules = StringBuilder::with_capacity(n, n * 6);
            for m in r.missed() {
                ids.append_value(self.households.id(m.household));
                starts.append_value(date32(m.period.start));
                rules.append_value(&r.rules[m.rule as usize].name);
            }
            table(
                vec![
                    Field::new("household_id", DataType::Utf8, false),
                    Field::new("period_start", DataType::Date32, false),
                    Field::new("rule", DataType::Utf8, false),
                ],
                vec![
                    Arc::new(ids.finish()),
                    Arc::new(starts.finish()),
                    Arc::new(rules.finish()),
                ],
            )
        })
    }

    /// Per household and rule selecting it: ``household_id``,
    /// ``village_id``, ``rule``, ``required``, ``met``, in household order.
    #[getter]
    fn households(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let r = &self.report;
            let rows: Vec<_> = r.household_rows().collect();
            let hs = &self.households;
            table(
                vec![
                    Field::new("household_id", DataType::Utf8, false),
                    Field::new("village_id", DataType::Utf8, false),
                    Field::new("rule", DataType::Utf8, false),
                    Field::new("required", DataType::UInt64, false),
                    Field::new("met", DataType::UInt64, false),
                ],
                vec![
                    text_col(rows.iter().map(|x| hs.id(x.household))),
                    text_col(rows.iter().map(|x| hs.village_id(x.household))),
                    text_col(rows.iter().map(|x| r.rules[x.rule as usize].name.as_str())),
                    u64_col(rows.iter().map(|x| u64::from(x.required))),
                    u64_col(rows.iter().map(|x| u64::from(x.met))),
                ],
            )
        })
    }

    /// Per cadre, by cadre ID: ``cadre_id`` (empty for periods nobody was
    /// assigned), ``required``, ``met``, ``rate``. Each required period,
    /// event visit and round visit is charged to the cadre assigned on its
    /// last day (``"last_day"``) or first day (``"first_day"``); ``None``
    /// takes the ``accountability`` the result was computed with. Needs the
    /// assignments: a result of ``compliance_csv`` without assignments.csv
    /// or of ``compliance_arrow`` without ``assignments`` raises
    /// ``InputError`` (``compliance.no_assignments``).
    #[pyo3(signature = (*, charge_on=None))]
    fn by_cadre(&self, py: Python<'_>, charge_on: Option<&str>) -> PyResult<Table> {
        let rule = match charge_on {
            Some(w) => accountability_arg(py, w)?,
            None => self.accountability,
        };
        let Some(assignments) = self.assignments.as_deref() else {
            return Err(Failure::input(
                &ComplianceError::NoAssignments,
                Location::default().with_field("assignments"),
            )
            .into_pyerr(py));
        };
        Ok(py.detach(|| {
            let cs = self.report.by_cadre(&self.households, assignments, rule);
            table(
                vec![
                    Field::new("cadre_id", DataType::Utf8, false),
                    Field::new("required", DataType::UInt64, false),
                    Field::new("met", DataType::UInt64, false),
                    Field::new("rate", DataType::Float64, true),
                ],
                vec![
                    text_col(cs.iter().map(|c| c.cadre_id.as_str())),
                    u64_col(cs.iter().map(|c| c.required)),
                    u64_col(cs.iter().map(|c| c.met)),
                    rate_col(
                        cs.iter()
                            .map(|c| minqing::compliance::rate(c.met, c.required)),
                    ),
                ],
            )
        }))
    }

    /// ``by_cadre()`` under the result's ``accountability``.
    #[getter]
    fn cadres(&self, py: Python<'_>) -> PyResult<Table> {
        self.by_cadre(py, None)
    }

    /// Who answers for a period in ``cadres``: ``"last_day"`` (the cadre
    /// assigned on its last day, the default) or ``"first_day"``.
    #[getter]
    fn accountability(&self) -> &'static str {
        accountability_word(self.accountability)
    }

    /// Every required household-period of the period rules, met or not,
    /// by household ID, rule, period: ``household_id``, ``village_id``,
    /// ``rule``, ``start``, ``end`` (dates), ``met``.
    #[getter]
    fn periods(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let r = &self.report;
            let hs = &self.households;
            let rows: Vec<_> = r.period_outcomes().collect();
            table(
                vec![
                    f("household_id", DataType::Utf8, false),
                    f("village_id", DataType::Utf8, false),
                    f("rule", DataType::Utf8, false),
                    f("start", DataType::Date32, false),
                    f("end", DataType::Date32, false),
                    f("met", DataType::Boolean, false),
                ],
                vec![
                    text_col(rows.iter().map(|o| hs.id(o.household))),
                    text_col(rows.iter().map(|o| hs.village_id(o.household))),
                    text_col(rows.iter().map(|o| r.rules[o.rule as usize].name.as_str())),
                    date_col(rows.iter().map(|o| Some(o.period.start))),
                    date_col(rows.iter().map(|o| Some(o.period.end()))),
                    bool_col(rows.iter().map(|o| o.met)),
                ],
            )
        })
    }

    /// Every visit an event asked for (a hospitalisation, a wedding, a
    /// funeral: event rules such as the grid's 十必访), met or missed, by
    /// household ID, event day, rule: ``household_id``, ``village_id``,
    /// ``rule``, ``kind``, ``event_date``, ``due`` (the last day it counts),
    /// ``met``, ``met_on`` (null when missed). Events whose due day falls
    /// after the window are not judged.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", '
    /// ...   '"households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}], '
    /// ...   '"events": [{"household_id": "H1", "date": "2024-03-01", "kind": "hospitalisation"}]}')
    /// >>> c = ds.compliance(minqing.Policy.grid_one_plus_x(),
    /// ...                   start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31))
    /// >>> [(t["rule"], t["due"], t["met"]) for t in c.triggered.to_pyarrow().to_pylist()]
    /// [('hospitalisation', datetime.date(2024, 3, 8), False)]
    #[getter]
    fn triggered(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let r = &self.report;
            let hs = &self.households;
            let ts = &r.triggered;
            table(
                vec![
                    f("household_id", DataType::Utf8, false),
                    f("village_id", DataType::Utf8, false),
                    f("rule", DataType::Utf8, false),
                    f("kind", DataType::Utf8, false),
                    f("event_date", DataType::Date32, false),
                    f("due", DataType::Date32, false),
                    f("met", DataType::Boolean, false),
                    f("met_on", DataType::Date32, true),
                ],
                vec![
                    text_col(ts.iter().map(|t| hs.id(t.household))),
                    text_col(ts.iter().map(|t| hs.village_id(t.household))),
                    text_col(
                        ts.iter()
                            .map(|t| r.event_rules[t.rule as usize].name.as_str()),
                    ),
                    text_col(ts.iter().map(|t| t.event_kind.as_str())),
                    date_col(ts.iter().map(|t| Some(t.event_date))),
                    date_col(ts.iter().map(|t| Some(t.due))),
                    bool_col(ts.iter().map(|t| t.met)),
                    date_col(ts.iter().map(|t| t.met_on)),
                ],
            )
        })
    }

    /// Every campaign-round visit required (遍访), met or missed, by
    /// household ID, rule, round: ``household_id``, ``village_id``,
    /// ``rule``, ``round`` (its name), ``start``, ``end``, ``met``,
    /// ``met_on`` (null when missed).
    #[getter]
    fn round_visits(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let hs = &self.households;
            let rr = &self.policy.round_rules;
            let vs = &self.report.round_visits;
            table(
                vec![
                    f("household_id", DataType::Utf8, false),
                    f("village_id", DataType::Utf8, false),
                    f("rule", DataType::Utf8, false),
                    f("round", DataType::Utf8, false),
                    f("start", DataType::Date32, false),
                    f("end", DataType::Date32, false),
                    f("met", DataType::Boolean, false),
                    f("met_on", DataType::Date32, true),
                ],
                vec![
                    text_col(vs.iter().map(|v| hs.id(v.household))),
                    text_col(vs.iter().map(|v| hs.village_id(v.household))),
                    text_col(vs.iter().map(|v| rr[v.rule as usize].name.as_str())),
                    text_col(
                        vs.iter()
                            .map(|v| rr[v.rule as usize].rounds[v.round as usize].name.as_str()),
                    ),
                    date_col(vs.iter().map(|v| Some(v.start))),
                    date_col(vs.iter().map(|v| Some(v.end))),
                    bool_col(vs.iter().map(|v| v.met)),
                    date_col(vs.iter().map(|v| v.met_on)),
                ],
            )
        })
    }

    /// Coverage of each round of each round rule (遍访覆盖), in policy then
    /// round order: ``rule``, ``round``, ``start``, ``end``, ``selected``
    /// (households the round asks for), ``visited``, ``rate``.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", '
    /// ...   '"households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}], '
    /// ...   '"visits": [{"household_id": "H1", "cadre_id": "C1", "at": "2024-02-03T09:00:00", "mode": "in_person"}]}')
    /// >>> p = minqing.Policy.visit_all_rounds(include_away=False, rounds=[
    /// ...     {"name": "第一轮", "window": {"start": "2024-02-01", "end": "2024-02-29"}}])
    /// >>> c = ds.compliance(p, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 3, 31))
    /// >>> [(r["round"], r["selected"], r["visited"]) for r in c.rounds.to_pyarrow().to_pylist()]
    /// [('第一轮', 1, 1)]
    #[getter]
    fn rounds(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rr = &self.policy.round_rules;
            let cs = &self.report.rounds;
            table(
                vec![
                    f("rule", DataType::Utf8, false),
                    f("round", DataType::Utf8, false),
                    f("start", DataType::Date32, false),
                    f("end", DataType::Date32, false),
                    f("selected", DataType::UInt64, false),
                    f("visited", DataType::UInt64, false),
                    f("rate", DataType::Float64, true),
                ],
                vec![
                    text_col(cs.iter().map(|c| rr[c.rule as usize].name.as_str())),
                    text_col(cs.iter().map(|c| c.round.as_str())),
                    date_col(cs.iter().map(|c| Some(c.window.start))),
                    date_col(cs.iter().map(|c| Some(c.window.end))),
                    u64_col(cs.iter().map(|c| c.selected)),
                    u64_col(cs.iter().map(|c| c.visited)),
                    rate_col(
                        cs.iter()
                            .map(|c| minqing::compliance::rate(c.visited, c.selected)),
                    ),
                ],
            )
        })
    }

    /// Round coverage by village: one row per rule, round and village, in
    /// the order of ``rounds`` then village ID: ``rule``, ``round``,
    /// ``village_id``, ``required``, ``met``, ``rate``.
    #[getter]
    fn round_villages(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let rr = &self.policy.round_rules;
            let rows: Vec<_> = self
                .report
                .rounds
                .iter()
                .flat_map(|c| c.villages.iter().map(move |v| (c, v)))
                .collect();
            table(
                vec![
                    f("rule", DataType::Utf8, false),
                    f("round", DataType::Utf8, false),
                    f("village_id", DataType::Utf8, false),
                    f("required", DataType::UInt64, false),
                    f("met", DataType::UInt64, false),
                    f("rate", DataType::Float64, true),
                ],
                vec![
                    text_col(rows.iter().map(|(c, _)| rr[c.rule as usize].name.as_str())),
                    text_col(rows.iter().map(|(c, _)| c.round.as_str())),
                    text_col(rows.iter().map(|(_, v)| v.village_id.as_str())),
                    u64_col(rows.iter().map(|(_, v)| v.required)),
                    u64_col(rows.iter().map(|(_, v)| v.met)),
                    rate_col(rows.iter().map(|(_, v)| v.rate())),
                ],
            )
        })
    }

    /// Rows skipped while loading, by file (``households``, ``visits``):
    /// ``rows``, ``kept``, ``skipped``, ``outside_window``,
    /// ``unknown_household``, ``duplicate``, ``bad``; and ``events``:
    /// ``unknown_household``, the household events of households the table
    /// does not have (not judged). Empty when the input was not read from
    /// files or tables (``Dataset.compliance``: see ``Dataset.validate``).
    #[getter]
    fn skipped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        if let Some(c) = &self.skipped.households {
            d.set_item("households", counts_dict(py, c)?)?;
        }
        if let Some(c) = &self.skipped.visits {
            d.set_item("visits", counts_dict(py, c)?)?;
            // loaded tables: their events of unknown households too
            let e = PyDict::new(py);
            e.set_item("unknown_household", self.report.events_unknown_household)?;
            d.set_item("events", e)?;
        }
        Ok(d)
    }

    /// The problems met while loading (the first ones, with their lines).
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        self.problems.iter().cloned().map(Problem::from).collect()
    }

    /// The per-rule figures, as dicts: period rules (``kind``
    /// ``"period"``, with ``period`` and ``households``), then event rules
    /// (``"event"``), then round rules (``"round"``), each with ``name``,
    /// ``required``, ``met``.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.report;
        let span = |kind: &str, x: &minqing::compliance::SpanRuleSummary| serde_json::json!({"kind": kind, "name": x.name, "required": x.required, "met": x.met});
        let rules: Vec<serde_json::Value> = r
            .rules
            .iter()
            .map(|x| {
                serde_json::json!({
                    "kind": "period", "name": x.name, "period": x.period,
                    "households": x.households, "required": x.required, "met": x.met,
                })
            })
            .chain(r.event_rules.iter().map(|x| span("event", x)))
            .chain(r.round_rules.iter().map(|x| span("round", x)))
            .collect();
        to_py(py, &rules)
    }

    fn __repr__(&self) -> String {
        let r = &self.report;
        format!(
            "Compliance(policy={:?}, window={}..{}, required={}, met={}, rate={})",
            r.policy_name,
            r.window.start,
            r.window.end,
            r.required,
            r.met,
            r.rate().map_or("None".to_owned(), |x| format!("{x:.6}"))
        )
    }
}

/// The window `start..=end`; a reversed one is an `InputError`
/// (`window.reversed`).
pub(crate) fn window(py: Python<'_>, start: NaiveDate, end: NaiveDate) -> PyResult<Window> {
    Window::checked(start, end)
        .map_err(|e| Failure::input(&e, Location::default().with_field("end")).into_pyerr(py))
}

/// A compliance refusal: the policy could not be run.
fn compliance_error(e: ComplianceError) -> Failure {
    Failure::input(&e, Location::default().with_field("policy"))
}

/// Compliance of a whole data set (its households, visits and, for
/// ``by_cadre``, assignments).
pub(crate) fn of_dataset(
    py: Python<'_>,
    ds: &CoreDataset,
    policy: Option<&Bound<'_, PyAny>>,
    start: NaiveDate,
    end: NaiveDate,
    accountability: &str,
) -> PyResult<Compliance> {
    let policy = policy_arg(policy, presets::four_fixed_three_arrivals)?;
    let accountability = accountability_arg(py, accountability)?;
    let window = window(py, start, end)?;
    py.detach(|| {
        let report = compliance_of_dataset(ds, &policy, window)?;
        Ok(Compliance {
            report,
            policy,
            accountability,
            households: HouseholdColumns::from_households(&ds.households),
            assignments: Some(ds.assignments.clone()),
            skipped: Skipped::default(),
            problems: Report::new(),
        })
    })
    .map_err(compliance_error)
    .or_raise(py)
}

/// Compliance read straight from the folder ``in_dir``: ``households.csv``
/// and ``visits.csv`` (the columns of the benchmark workload:
/// ``household_id,village_id,residency,tags`` and
/// ``household_id,cadre_id,at,mode``) through the core's fast columnar
/// loader, and, when they are there, ``events.csv`` (household events:
/// event rules such as a hospitalisation visit) and ``assignments.csv``
/// (for ``cadres``/``by_cadre``). The report is the one
/// ``Dataset.compliance`` gives on the same data. Computed on every core,
/// the GIL released throughout.
///
/// Rows that cannot be used are skipped and counted (``.skipped``), the
/// first problems kept with their lines (``.problems``). Raises
/// ``ParseError`` when households.csv or visits.csv is missing or its
/// header lacks a column; per-cadre figures without assignments.csv raise
/// ``InputError``.
///
/// >>> import datetime, minqing, pathlib, tempfile
/// >>> d = pathlib.Path(tempfile.mkdtemp())
/// >>> _ = (d / "households.csv").write_text("household_id,village_id,residency,tags\nH1,V1,resident,\n")
/// >>> _ = (d / "visits.csv").write_text("household_id,cadre_id,at,mode\nH1,C1,2024-01-02T09:00,in_person\n"
/// ...                                   "H9,C1,2024-01-02T09:00,in_person\n")
/// >>> c = minqing.compliance_csv(d, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31))
/// >>> (c.required, c.met, c.skipped["visits"]["unknown_household"])
/// (2, 1, 1)
#[pyfunction]
#[pyo3(signature = (in_dir, *, start, end, policy=None, max_problems=100))]
pub fn compliance_csv(
    py: Python<'_>,
    in_dir: PathBuf,
    start: NaiveDate,
    end: NaiveDate,
    policy: Option<&Bound<'_, PyAny>>,
    max_problems: i64,
) -> PyResult<Compliance> {
    let policy = policy_arg(policy, presets::four_fixed_three_arrivals)?;
    let window = window(py, start, end)?;
    let max_problems = crate::convert::count_arg(py, max_problems, "max_problems")? as usize;
    py.detach(|| {
        let tables = read_compliance_dir(&in_dir, window, max_problems).map_err(Failure::Parse)?;
        loaded(tables, policy)
    })
    .or_raise(py)
}

/// Compliance of households and visits given as Arrow tables (pyarrow,
/// Polars, pandas, or one Spark partition's batches): households need
/// ``household_id``, ``village_id``, ``residency`` (``tags``,
/// ``registered_on`` optional); visits ``household_id``, ``cadre_id``,
/// ``at``, ``mode`` (``signed`` optional). Rows are taken as
/// ``compliance_csv`` takes the lines of its files: a row with a bad cell
/// is skipped and counted, a repeated household ID counted as a duplicate
/// (the first wins), visits outside the window or of households not in the
/// table counted and left out (``.skipped``); the first problems are kept
/// with their table, row and field (``.problems``). ``events``
/// (``household_id``, ``date``, ``kind``) and ``assignments``
/// (``household_id``, ``cadre_id``, ``from``, ``to``) are read as
/// events.csv and assignments.csv: event rules need the first, ``cadres``
/// and ``by_cadre`` the second (else ``InputError``). Raises
/// ``ParseError`` only when a required column is missing or of an
/// unusable type. The GIL is released while converting and computing.
///
/// >>> import pyarrow as pa
/// >>> c = minqing.compliance_arrow(
/// ...     pa.table({"household_id": ["H1", "H2"], "village_id": ["V1", "V1"],
/// ...               "residency": ["away", "nomad"]}),
/// ...     pa.table({"household_id": ["H1"], "cadre_id": ["C1"], "at": ["2024-01-09T10:00"],
/// ...               "mode": ["phone"]}),
/// ...     start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31))
/// >>> (c.required, c.met, c.skipped["households"]["bad"])
/// (1, 1, 1)
/// >>> [(p.code, p.location.path, p.location.field) for p in c.problems]
/// [('field.bad_value', 'households[1]', 'residency')]
#[pyfunction]
#[pyo3(signature = (households, visits, *, start, end, policy=None, max_problems=100, events=None, assignments=None))]
#[allow(clippy::too_many_arguments)]
pub fn compliance_arrow(
    py: Python<'_>,
    households: AnyRecordBatch,
    visits: AnyRecordBatch,
    start: NaiveDate,
    end: NaiveDate,
    policy: Option<&Bound<'_, PyAny>>,
    max_problems: i64,
    events: Option<AnyRecordBatch>,
    assignments: Option<AnyRecordBatch>,
) -> PyResult<Compliance> {
    let policy = policy_arg(policy, presets::four_fixed_three_arrivals)?;
    let window = window(py, start, end)?;
    let max_problems = crate::convert::count_arg(py, max_problems, "max_problems")? as usize;
    let hb = crate::dataset::batches(Some(households))?.unwrap_or_default();
    let vb = crate::dataset::batches(Some(visits))?.unwrap_or_default();
    let eb = crate::dataset::batches(events)?;
    let ab = crate::dataset::batches(assignments)?;
    py.detach(|| {
        let hopts = LoadOptions::new("households").max_problems(max_problems);
        let vopts = LoadOptions::new("visits")
            .window(window)
            .max_problems(max_problems);
        let (hs, vs) =
            arrow_in::compliance_columns(&hb, &vb, &hopts, &vopts).map_err(Failure::Parse)?;
        let mut tables = ComplianceTables::new(hs, vs, window);
        if let Some(eb) = &eb {
            let (events, report) = arrow_in::events(eb);
            tables.problems.extend(report);
            tables.events = events;
        }
        if let Some(ab) = &ab {
            let (assignments, report) = arrow_in::assignments(ab);
            tables.problems.extend(report);
            tables.assignments = Some(assignments);
        }
        loaded(tables, policy)
    })
    .or_raise(py)
}

/// A result over loaded tables: the rows the loaders left out are counted
/// in ``skipped`` and in the report's visit figures.
fn loaded(tables: ComplianceTables, policy: Policy) -> Result<Compliance, Failure> {
    let report = tables.compliance(&policy).map_err(compliance_error)?;
    let problems: Report = tables.all_problems().cloned().collect();
    Ok(Compliance {
        skipped: Skipped {
            households: Some(tables.households.counts),
            visits: Some(tables.visits.counts),
        },
        report,
        policy,
        accountability: Accountability::default(),
        households: tables.households.households,
        assignments: tables.assignments,
        problems,
    })
}
