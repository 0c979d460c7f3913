//! `minqing.Coverage`: a newtype over [`minqing::assign::CoverageReport`],
//! the result of `Dataset.coverage`.

use chrono::NaiveDate;
use minqing::assign::CoverageReport;
use pyo3::prelude::*;

use crate::arrow_out::{self, Table};
use crate::convert::{Col, rows_table, to_py};
use crate::problem::Problem;

/// Who covers which household on a date (有户必包、不漏一户, seed 001):
/// figures per village and per cadre, the households nobody covers or two
/// cadres cover, and the problems found (``coverage.uncovered``,
/// ``coverage.double``, ``load.below_min``, ``load.above_max``,
/// ``quota.contact_households``, ``quota.no_population``).
///
/// >>> import datetime, minqing
/// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": ['
/// ...     '{"household_id": "H1", "village_id": "V1", "residency": "resident"}]}')
/// >>> c = ds.coverage(datetime.date(2024, 6, 30))
/// >>> c
/// Coverage(on=2024-06-30, villages=1, households=1, covered=0, uncovered=1, doubly_covered=0, problems=1)
/// >>> c.uncovered
/// ['H1']
/// >>> c.villages.to_pyarrow().column("uncovered").to_pylist()
/// [1]
#[pyclass(module = "minqing", name = "Coverage", frozen)]
#[derive(Debug, Clone)]
pub struct Coverage(pub(crate) CoverageReport);

impl From<CoverageReport> for Coverage {
    fn from(r: CoverageReport) -> Self {
        Coverage(r)
    }
}

impl From<Coverage> for CoverageReport {
    fn from(c: Coverage) -> Self {
        c.0
    }
}

fn rows<T: serde::Serialize>(items: &[T]) -> Vec<serde_json::Value> {
    items
        .iter()
        .map(|x| serde_json::to_value(x).unwrap_or_default())
        .collect()
}

#[pymethods]
impl Coverage {
    /// The date checked.
    #[getter]
    fn on(&self) -> NaiveDate {
        self.0.on
    }

    /// One row a village, by village ID: ``village``, ``name``,
    /// ``population``, ``households``, ``resident``, ``away``, ``covered``,
    /// ``uncovered``, ``doubly_covered``, ``contact_households``, ``quota``,
    /// ``cadres``, ``min_load``, ``max_load``.
    #[getter]
    fn villages(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            let r = rows(&self.0.villages);
            rows_table(
                &r,
                &[
                    ("village", "/village", Col::Text),
                    ("name", "/name", Col::Text),
                    ("population", "/population", Col::UInt),
                    ("households", "/households", Col::UInt),
                    ("resident", "/resident", Col::UInt),
                    ("away", "/away", Col::UInt),
                    ("covered", "/covered", Col::UInt),
                    ("uncovered", "/uncovered", Col::UInt),
                    ("doubly_covered", "/doubly_covered", Col::UInt),
                    ("contact_households", "/contact_households", Col::UInt),
                    ("quota", "/quota", Col::UInt),
                    ("cadres", "/cadres", Col::UInt),
                    ("min_load", "/min_load", Col::UInt),
                    ("max_load", "/max_load", Col::UInt),
                ],
            )
        })
    }

    /// One row a checked cadre, by cadre ID: ``cadre``, ``households``,
    /// ``load_min``, ``load_max`` (the bounds applied), ``within``.
    #[getter]
    fn cadres(&self, py: Python<'_>) -> Table {
        py.detach(|| {
            rows_table(
                &rows(&self.0.cadres),
                &[
                    ("cadre", "/cadre", Col::Text),
                    ("households", "/households", Col::UInt),
                    ("load_min", "/bounds/min", Col::UInt),
                    ("load_max", "/bounds/max", Col::UInt),
                    ("within", "/within", Col::Bool),
                ],
            )
        })
    }

    /// Households nobody covers, sorted.
    #[getter]
    fn uncovered(&self) -> Vec<String> {
        self.0.uncovered.iter().map(|h| h.to_string()).collect()
    }

    /// Households covered by more than one cadre: ``(household_id,
    /// [cadre_id, ...])``, sorted.
    #[getter]
    fn doubly_covered(&self) -> Vec<(String, Vec<String>)> {
        self.0
            .doubly_covered
            .iter()
            .map(|d| {
                (
                    d.household.to_string(),
                    d.cadres.iter().map(|c| c.to_string()).collect(),
                )
            })
            .collect()
    }

    /// Every problem found, in order.
    #[getter]
    fn problems(&self) -> Vec<Problem> {
        self.0.problems.iter().cloned().map(Problem::from).collect()
    }

    /// The problems as an Arrow ``Table`` (as ``Dataset.validate_table``).
    fn problems_table(&self, py: Python<'_>) -> Table {
        py.detach(|| arrow_out::problems_table(&self.0.problems))
    }

    /// Households counted on the date, all villages together.
    #[getter]
    fn households(&self) -> u32 {
        self.0.households()
    }

    /// Households covered by at least one cadre.
    #[getter]
    fn covered(&self) -> u32 {
        self.0.covered()
    }

    /// True when every household is covered by exactly one cadre.
    #[getter]
    fn is_fully_covered(&self) -> bool {
        self.0.is_fully_covered()
    }

    /// The whole report as plain Python objects, shaped as the core's JSON
    /// (``on``, ``villages``, ``cadres``, ``uncovered``, ``doubly_covered``,
    /// ``problems``; dates as ISO text).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "Coverage(on={}, villages={}, households={}, covered={}, uncovered={}, doubly_covered={}, problems={})",
            self.0.on,
            self.0.villages.len(),
            self.0.households(),
            self.0.covered(),
            self.0.uncovered.len(),
            self.0.doubly_covered.len(),
            self.0.problems.problems.len()
        )
    }
}
