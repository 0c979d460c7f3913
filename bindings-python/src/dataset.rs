//! `minqing.Dataset`: a newtype over [`minqing::dataset::Dataset`].

use chrono::{NaiveDate, NaiveDateTime};
use minqing::assign::{CoverageOptions, check_coverage};
use minqing::cadre::LoadBounds;
use minqing::dataset::{Dataset as CoreDataset, ValidateOptions};
use minqing::id::CadreId;
use minqing::io::Encoding;
use minqing::problem::{Code, Location, Report};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use pyo3_arrow::input::AnyRecordBatch;

use crate::arrow_in::{self, Tables};
use crate::arrow_out::{self, Table};
use crate::compliance::{self, Compliance};
use crate::coverage::Coverage;
use crate::errors::{Failure, IntoPyResult};
use crate::problem::Problem;

/// Every record of a township (or a county): units, households, cadres,
/// teams, duty status, assignments and visits.
///
/// Build one from a ``minqing/1`` JSON document (``Dataset.from_json``) or
/// from Arrow tables (``Dataset.from_arrow``: pyarrow, Polars, pandas), then
/// check it with ``validate``. A ``Dataset`` is immutable.
///
/// >>> import datetime, minqing
/// >>> ds = minqing.Dataset.from_json('''{"schema": "minqing/1",
/// ...   "units": [{"unit_id": "V1", "kind": "village"}],
/// ...   "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"}]}''')
/// >>> ds
/// Dataset(units=1, households=1, cadres=0, teams=0, duty=0, assignments=0, visits=0, events=0)
/// >>> ds.validate(datetime.date(2024, 6, 30))
/// []
#[pyclass(module = "minqing", name = "Dataset", frozen)]
#[derive(Debug, Clone)]
pub struct Dataset(pub(crate) CoreDataset);

impl From<CoreDataset> for Dataset {
    fn from(d: CoreDataset) -> Self {
        Dataset(d)
    }
}

impl From<Dataset> for CoreDataset {
    fn from(d: Dataset) -> Self {
        d.0
    }
}

/// The batches of one `from_arrow` argument, read while holding the GIL.
pub(crate) fn batches(
    obj: Option<AnyRecordBatch>,
) -> PyResult<Option<Vec<arrow_array::RecordBatch>>> {
    obj.map(|o| {
        let reader = o.into_reader()?;
        reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    })
    .transpose()
}

impl Dataset {
    fn report(&self, py: Python<'_>, today: NaiveDate, min_station_members: usize) -> Report {
        let opts = ValidateOptions::new(today).min_station_members(min_station_members);
        py.detach(|| self.0.validate(&opts))
    }

    fn counts_list(&self) -> [(&'static str, usize); 8] {
        let d = &self.0;
        [
            ("units", d.units.len()),
            ("households", d.households.len()),
            ("cadres", d.cadres.len()),
            ("teams", d.teams.len()),
            ("duty", d.duty.len()),
            ("assignments", d.assignments.len()),
            ("visits", d.visits.len()),
            ("events", d.events.len()),
        ]
    }
}

#[pymethods]
impl Dataset {
    /// An empty data set.
    #[new]
    fn new() -> Self {
        Dataset(CoreDataset::new())
    }

    /// Reads a ``minqing/1`` JSON document (``str`` or UTF-8 ``bytes``).
    ///
    /// Raises ``ParseError`` (code ``json.syntax``, ``json.shape`` or
    /// ``json.schema``) when it cannot be read. Reading does not validate:
    /// call ``validate``.
    ///
    /// >>> minqing.Dataset.from_json(b'{"schema": "minqing/1"}').counts["households"]
    /// 0
    #[staticmethod]
    fn from_json(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text: String = if let Ok(b) = data.cast::<PyBytes>() {
            String::from_utf8(b.as_bytes().to_vec()).map_err(|e| {
                Failure::parse_one(
                    Code::InputNotUtf8,
                    Location::default(),
                    format!("输入不是有效的 UTF-8：{e}"),
                    format!("the input is not valid UTF-8: {e}"),
                )
                .into_pyerr(py)
            })?
        } else {
            data.extract()?
        };
        py.detach(|| minqing::io::from_json_str(&text))
            .map(Dataset)
            .map_err(Failure::Parse)
            .or_raise(py)
    }

    /// Builds a data set from Arrow tables, one argument a table: anything
    /// with ``__arrow_c_stream__`` or ``__arrow_c_array__`` (a
    /// ``pyarrow.Table`` or ``RecordBatch``, a Polars or pandas
    /// ``DataFrame``). Column names are those of the CSV files
    /// (``household_id``, ``village_id``, ``residency``, ...); cells may be
    /// typed (dates, timestamps, integers, booleans, lists of strings) or
    /// text. Timestamps without a time zone are China Standard Time; those
    /// with one are converted to it. Extra columns are ignored. ``events``
    /// is the household events table (``household_id``, ``date``,
    /// ``kind``), as events.csv.
    ///
    /// Raises ``ParseError`` listing every missing column and bad cell,
    /// each located by table, 0-based row (``path="visits[3]"``) and column
    /// (``field``, 1-based ``column``). Converting does not validate: call
    /// ``validate``.
    ///
    /// >>> import pyarrow as pa
    /// >>> ds = minqing.Dataset.from_arrow(
    /// ...     units=pa.table({"unit_id": ["V1"], "kind": ["village"]}),
    /// ...     households=pa.table({"household_id": ["H1"], "village_id": ["V1"],
    /// ...                          "residency": ["resident"]}))
    /// >>> ds.counts["households"]
    /// 1
    #[staticmethod]
    #[pyo3(signature = (*, units=None, households=None, cadres=None, teams=None, duty=None, assignments=None, visits=None, events=None))]
    #[allow(clippy::too_many_arguments)]
    fn from_arrow(
        py: Python<'_>,
        units: Option<AnyRecordBatch>,
        households: Option<AnyRecordBatch>,
        cadres: Option<AnyRecordBatch>,
        teams: Option<AnyRecordBatch>,
        duty: Option<AnyRecordBatch>,
        assignments: Option<AnyRecordBatch>,
        visits: Option<AnyRecordBatch>,
        events: Option<AnyRecordBatch>,
    ) -> PyResult<Self> {
        let tables = Tables {
            units: batches(units)?,
            households: batches(households)?,
            cadres: batches(cadres)?,
            teams: batches(teams)?,
            duty: batches(duty)?,
            assignments: batches(assignments)?,
            visits: batches(visits)?,
            events: batches(events)?,
        };
        py.detach(|| arrow_in::to_dataset(&tables))
            .map(Dataset)
            .map_err(Failure::Parse)
            .or_raise(py)
    }

    /// The data set as a ``minqing/1`` JSON document.
    ///
    /// >>> import json
    /// >>> doc = json.loads(minqing.Dataset().to_json())
    /// >>> list(doc)[:3]
    /// ['schema', 'units', 'households']
    /// >>> doc["schema"]
    /// 'minqing/1'
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| minqing::io::to_json_string(&self.0))
    }

    /// Writes the data set as CSV files into folder ``path`` (created when
    /// needed; the files there are replaced): ``units.csv``,
    /// ``households.csv``, ``cadres.csv``, ``assignments.csv``,
    /// ``visits.csv``, ``events.csv``, which ``read_csv_dir`` and
    /// ``compliance_csv`` read. Teams, duty spans and requests have no CSV
    /// file: keep them with ``to_json``. Raises ``OSError`` when a file
    /// cannot be written.
    ///
    /// >>> import pathlib, tempfile
    /// >>> d = pathlib.Path(tempfile.mkdtemp())
    /// >>> minqing.Dataset.from_json('{"schema": "minqing/1", "households": '
    /// ...     '[{"household_id": "H1", "village_id": "V1", "residency": "away"}]}').write_csv(d)
    /// >>> (d / "households.csv").read_text().splitlines()[1]
    /// 'H1,V1,away,,,,,,'
    fn write_csv(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        py.detach(|| minqing::io::write_csv_dir(&path, &self.0))
            .map_err(pyo3::PyErr::from)
    }

    /// How many records of each kind, by collection name.
    ///
    /// >>> minqing.Dataset().counts
    /// {'units': 0, 'households': 0, 'cadres': 0, 'teams': 0, 'duty': 0, 'assignments': 0, 'visits': 0, 'events': 0}
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.counts_list() {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Checks the data set as a whole and returns every problem at once, in
    /// the order found: duplicate IDs, dangling references, units that do
    /// not nest, overlapping assignments and duty spans, visits before
    /// registration or after ``today``. ``today`` is passed in, never read
    /// from the clock.
    ///
    /// With ``raise_on_error=True``, raises ``ValidationError`` (carrying
    /// every problem) when at least one problem is an error; warnings alone
    /// never raise.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", '
    /// ...     '"cadres": [{"cadre_id": "A", "name": "李某某"}, {"cadre_id": "A", "name": "王某某"}]}')
    /// >>> [p.code for p in ds.validate(datetime.date(2024, 6, 30))]
    /// ['cadre.duplicate_id']
    /// >>> ds.validate(datetime.date(2024, 6, 30), raise_on_error=True)
    /// Traceback (most recent call last):
    /// ...
    /// minqing.ValidationError: cadres[1], field `cadre_id`, cadre A: cadre ID A appears more than once / 干部编号 A 重复
    #[pyo3(signature = (today, *, min_station_members=3, raise_on_error=false))]
    fn validate(
        &self,
        py: Python<'_>,
        today: NaiveDate,
        min_station_members: i64,
        raise_on_error: bool,
    ) -> PyResult<Vec<Problem>> {
        let min_station_members =
            crate::convert::count_arg(py, min_station_members, "min_station_members")? as usize;
        let report = self.report(py, today, min_station_members);
        if raise_on_error && report.has_errors() {
            return Err(Failure::Validation(report).into_pyerr(py));
        }
        Ok(report.into_iter().map(Problem::from).collect())
    }

    /// As ``validate``, as an Arrow ``Table`` with one row a problem:
    /// ``code``, ``severity``, ``file``, ``line``, ``column``, ``field``,
    /// ``path``, ``record``, ``message_zh``, ``message_en``.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1"}')
    /// >>> ds.validate_table(datetime.date(2024, 6, 30)).num_rows
    /// 0
    #[pyo3(signature = (today, *, min_station_members=3))]
    fn validate_table(
        &self,
        py: Python<'_>,
        today: NaiveDate,
        min_station_members: i64,
    ) -> PyResult<Table> {
        let min_station_members =
            crate::convert::count_arg(py, min_station_members, "min_station_members")? as usize;
        let report = self.report(py, today, min_station_members);
        Ok(py.detach(|| arrow_out::problems_table(&report)))
    }

    /// What cadre ``cadre_id`` is doing at ``at`` (a naive
    /// ``datetime.datetime`` in China Standard Time), from the duty
    /// timeline: ``"on_duty"``, ``"in_field"``, ``"training"``,
    /// ``"meeting"``, ``"on_leave"``, or ``None`` when no span covers it.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "duty": ['
    /// ...     '{"cadre_id": "A", "status": "in_field", "from": "2024-05-06T12:00:00"}]}')
    /// >>> ds.status_at("A", datetime.datetime(2024, 5, 6, 15, 0))
    /// 'in_field'
    /// >>> ds.status_at("A", datetime.datetime(2024, 5, 6, 8, 0)) is None
    /// True
    fn status_at(
        &self,
        py: Python<'_>,
        cadre_id: &str,
        at: NaiveDateTime,
    ) -> PyResult<Option<&'static str>> {
        let cadre = CadreId::new(cadre_id).map_err(|e| {
            Failure::parse_one(
                Code::FieldBadId,
                Location::default().with_field("cadre_id"),
                format!("干部编号 {cadre_id:?} 无效：{e}"),
                format!("bad cadre ID {cadre_id:?}: {e}"),
            )
            .into_pyerr(py)
        })?;
        Ok(py
            .detach(|| minqing::cadre::status_at(&self.0.duty, &cadre, at))
            .map(|s| s.as_str()))
    }

    /// Who covers which household on ``on`` (有户必包, seed 001): see
    /// ``Coverage``. ``load_min`` / ``load_max`` are the load bounds of a
    /// cadre who has none of their own (seed 001: 60 to 70 households);
    /// ``check_idle_cadres`` also checks cadres who cover nobody.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": ['
    /// ...     '{"household_id": "H1", "village_id": "V1", "residency": "resident"}]}')
    /// >>> ds.coverage(datetime.date(2024, 6, 30), load_min=1, load_max=3).uncovered
    /// ['H1']
    #[pyo3(signature = (on, *, load_min=None, load_max=None, check_idle_cadres=false))]
    fn coverage(
        &self,
        py: Python<'_>,
        on: NaiveDate,
        load_min: Option<u32>,
        load_max: Option<u32>,
        check_idle_cadres: bool,
    ) -> Coverage {
        let default = CoverageOptions::default();
        let load = LoadBounds::new(
            load_min.unwrap_or(default.load.min),
            load_max.unwrap_or(default.load.max),
        );
        let opts = default.load(load).check_idle_cadres(check_idle_cadres);
        Coverage(py.detach(|| check_coverage(&self.0, on, &opts)))
    }

    /// Visit compliance of ``policy`` (a ``Policy``, a preset name or a
    /// policy dict; default ``"four_fixed_three_arrivals"``) from ``start``
    /// to ``end`` inclusive, over the data set's households, visits and
    /// events: see ``Compliance``. Per-cadre figures (``Compliance.cadres``)
    /// charge each requirement to the cadre assigned on its last day
    /// (``accountability="last_day"``) or first day (``"first_day"``). The
    /// GIL is released.
    ///
    /// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": ['
    /// ...     '{"household_id": "H1", "village_id": "V1", "residency": "away"}]}')
    /// >>> ds.compliance(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)).required
    /// 12
    #[pyo3(signature = (policy=None, *, start, end, accountability="last_day"))]
    fn compliance(
        &self,
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        start: NaiveDate,
        end: NaiveDate,
        accountability: &str,
    ) -> PyResult<Compliance> {
        compliance::of_dataset(py, &self.0, policy, start, end, accountability)
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }

    fn __repr__(&self) -> String {
        let parts: Vec<String> = self
            .counts_list()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("Dataset({})", parts.join(", "))
    }
}

/// Reads a folder of CSV exports (``units.csv``, ``households.csv``,
/// ``cadres.csv``, ``assignments.csv``, ``visits.csv``, and
/// ``events.csv``: ``household_id,date,kind``, the household events that
/// start a visit deadline; only households.csv is required) in ``encoding`` (``"utf8"``, or ``"gb18030"`` as Excel
/// saves on a Chinese system). Returns ``(Dataset, problems)``: rows that
/// cannot be read are left out and each is a problem located by ``file``,
/// ``line`` and ``column``. With ``raise_on_error=True``, raises
/// ``ParseError`` instead when any problem is an error. Raises
/// ``ParseError`` (``input.io``, ``input.missing_file``) when the folder or
/// households.csv cannot be read. Reading does not validate: call
/// ``Dataset.validate``.
///
/// >>> import minqing, pathlib, tempfile
/// >>> d = pathlib.Path(tempfile.mkdtemp())
/// >>> _ = (d / "households.csv").write_text("household_id,village_id,residency\nH1,V1,resident\nH2,V1,elsewhere\n")
/// >>> ds, problems = minqing.read_csv_dir(d)
/// >>> ds.counts["households"], [(p.code, p.location.line) for p in problems]
/// (1, [('field.bad_value', 3)])
#[pyfunction]
#[pyo3(signature = (path, *, encoding="utf8", raise_on_error=false))]
pub fn read_csv_dir(
    py: Python<'_>,
    path: std::path::PathBuf,
    encoding: &str,
    raise_on_error: bool,
) -> PyResult<(Dataset, Vec<Problem>)> {
    let encoding: Encoding = encoding.parse().map_err(|e| {
        Failure::input(&e, Location::default().with_field("encoding")).into_pyerr(py)
    })?;
    let (ds, _sources, report) = py
        .detach(|| minqing::io::read_csv_dir(&path, encoding))
        .map_err(Failure::Parse)
        .or_raise(py)?;
    if raise_on_error && report.has_errors() {
        return Err(Failure::Parse(report).into_pyerr(py));
    }
    Ok((Dataset(ds), report.into_iter().map(Problem::from).collect()))
}
