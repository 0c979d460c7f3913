//! Work-station presence from Python: `minqing.station_presence` and
//! `minqing.Presence`, a wrapper over
//! [`minqing::compliance::PresenceReport`].

use arrow_schema::DataType;
use chrono::NaiveDate;
use minqing::cadence::presets;
use minqing::compliance::{PresencePeriod, PresenceReport, station_presence as core_presence};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arrow_out::Table;
use crate::compliance::{bool_col, date_col, f, table, u64_col, window};
use crate::dataset::Dataset;
use crate::policy::{PresenceRule, presence_rule};

/// A work station's presence in its village over a window (群众工作站,
/// seed 003): the days of presence, each week and each year judged against
/// the rule's minimums, and each station day (逢五) held or not. Made by
/// ``minqing.station_presence``.
#[pyclass(module = "minqing", name = "Presence", frozen)]
pub struct Presence(PresenceReport);

fn periods_table(ps: &[PresencePeriod]) -> Table {
    table(
        vec![
            f("start", DataType::Date32, false),
            f("end", DataType::Date32, false),
            f("days", DataType::UInt64, false),
            f("met", DataType::Boolean, false),
        ],
        vec![
            date_col(ps.iter().map(|p| Some(p.period.start))),
            date_col(ps.iter().map(|p| Some(p.period.end()))),
            u64_col(ps.iter().map(|p| u64::from(p.days))),
            bool_col(ps.iter().map(|p| p.met)),
        ],
    )
}

#[pymethods]
impl Presence {
    /// The team's ID.
    #[getter]
    fn team_id(&self) -> &str {
        &self.0.team_id
    }

    /// The village the team serves.
    #[getter]
    fn unit_id(&self) -> &str {
        &self.0.unit_id
    }

    /// The days of presence inside the window, ascending.
    #[getter]
    fn days(&self) -> Vec<NaiveDate> {
        self.0.days.clone()
    }

    /// Each week wholly inside the window: ``start``, ``end``, ``days``
    /// (of presence), ``met``.
    #[getter]
    fn weeks(&self) -> Table {
        periods_table(&self.0.weeks)
    }

    /// Each year (the rule's long period) wholly inside the window:
    /// ``start``, ``end``, ``days``, ``met``.
    #[getter]
    fn years(&self) -> Table {
        periods_table(&self.0.years)
    }

    /// Each station day inside the window: ``date``, ``held``.
    #[getter]
    fn station_days(&self) -> Table {
        let s = &self.0.station_days;
        table(
            vec![
                f("date", DataType::Date32, false),
                f("held", DataType::Boolean, false),
            ],
            vec![
                date_col(s.iter().map(|d| Some(d.date))),
                bool_col(s.iter().map(|d| d.held)),
            ],
        )
    }

    /// ``(met, judged)`` weeks.
    #[getter]
    fn weeks_met(&self) -> (usize, usize) {
        self.0.weeks_met()
    }

    fn __repr__(&self) -> String {
        let (met, judged) = self.0.weeks_met();
        let held = self.0.station_days.iter().filter(|d| d.held).count();
        format!(
            "Presence(team_id={:?}, days={}, weeks_met={met}/{judged}, station_days_held={held}/{})",
            self.0.team_id,
            self.0.days.len(),
            self.0.station_days.len()
        )
    }
}

/// The presence of work team ``team_id`` in its village from ``start`` to
/// ``end`` inclusive: a day counts when one of the team's cadres visited a
/// household of the village in person or at the station. ``rule`` is a
/// ``PresenceRule`` (default ``PresenceRule.work_station()``, seed 003: 1
/// day a week, 52 a year, station days 逢五); keyword ``overrides`` change
/// its fields (``modes``, ``week``, ``min_days_per_week``, ``year``,
/// ``min_days_per_year``, ``station_days``). Raises ``KeyError`` when the
/// data set has no such team.
///
/// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
/// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
/// ...   "teams": [{"team_id": "WS1", "kind": "work_station", "unit_id": "V1", "leader": "C1"}],
/// ...   "visits": [{"household_id": "H1", "cadre_id": "C1", "at": "2024-03-15T10:00:00", "mode": "at_station"}]}''')
/// >>> p = minqing.station_presence(ds, "WS1", start=datetime.date(2024, 3, 1),
/// ...                              end=datetime.date(2024, 3, 31), min_days_per_week=1)
/// >>> p
/// Presence(team_id="WS1", days=1, weeks_met=1/4, station_days_held=1/3)
/// >>> p.days
/// [datetime.date(2024, 3, 15)]
#[pyfunction]
#[pyo3(signature = (dataset, team_id, *, start, end, rule=None, **overrides))]
pub fn station_presence(
    py: Python<'_>,
    dataset: &Dataset,
    team_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    rule: Option<&PresenceRule>,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<Presence> {
    let base = rule.map_or_else(presets::work_station, |r| r.0.clone());
    let rule = presence_rule(py, base, overrides)?;
    let window = window(py, start, end)?;
    let ds = &dataset.0;
    let team = ds
        .teams
        .iter()
        .find(|t| t.id.as_str() == team_id)
        .ok_or_else(|| PyKeyError::new_err(format!("no team {team_id:?} in the data set")))?;
    Ok(Presence(py.detach(|| {
        core_presence(team, &ds.households, &ds.visits, window, &rule)
    })))
}
