//! `minqing.Problem` and `minqing.Location`: newtypes over the core's
//! [`minqing::problem::Problem`] and [`minqing::problem::Location`].

use minqing::problem::{Location as CoreLocation, Problem as CoreProblem, Severity};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One problem found in input data: a stable ``code`` that programs match
/// on, a ``severity`` (``"error"`` or ``"warning"``), where it is
/// (``location``) and a message in Chinese and English.
///
/// >>> import datetime, minqing
/// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": '
/// ...     '[{"household_id": "H1", "village_id": "V9", "residency": "resident"}]}')
/// >>> p = ds.validate(datetime.date(2024, 6, 30))[0]
/// >>> p.code, p.severity, p.location.path, p.location.field
/// ('household.unknown_village', 'error', 'households[0]', 'village_id')
/// >>> p.message_en
/// 'household H1 names village V9, which does not exist'
#[pyclass(module = "minqing", name = "Problem", frozen, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem(pub(crate) CoreProblem);

impl From<CoreProblem> for Problem {
    fn from(p: CoreProblem) -> Self {
        Problem(p)
    }
}

impl From<Problem> for CoreProblem {
    fn from(p: Problem) -> Self {
        p.0
    }
}

pub(crate) fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[pymethods]
impl Problem {
    /// The stable code, e.g. ``"visit.unknown_household"``.
    #[getter]
    fn code(&self) -> &'static str {
        self.0.code.as_str()
    }

    /// ``"error"`` or ``"warning"``.
    #[getter]
    fn severity(&self) -> &'static str {
        severity_str(self.0.severity)
    }

    /// True when the severity is ``"error"``.
    #[getter]
    fn is_error(&self) -> bool {
        self.0.is_error()
    }

    /// Where the problem was found.
    #[getter]
    fn location(&self) -> Location {
        Location(self.0.location.clone())
    }

    /// The message in English (``message_zh`` has it in Chinese).
    #[getter]
    fn message(&self) -> &str {
        &self.0.message.en
    }

    /// The message in Chinese (中文).
    #[getter]
    fn message_zh(&self) -> &str {
        &self.0.message.zh
    }

    /// The message in English.
    #[getter]
    fn message_en(&self) -> &str {
        &self.0.message.en
    }

    /// The problem as plain data, in the JSON shape of the core:
    /// ``{"code", "severity", "location": {...}, "message": {"zh", "en"}}``;
    /// location keys that are not set are left out.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("code", self.code())?;
        d.set_item("severity", self.severity())?;
        d.set_item("location", location_dict(py, &self.0.location)?)?;
        let m = PyDict::new(py);
        m.set_item("zh", &self.0.message.zh)?;
        m.set_item("en", &self.0.message.en)?;
        d.set_item("message", m)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Problem(code={:?}, severity={:?}, location={}, message={:?})",
            self.code(),
            self.severity(),
            Location(self.0.location.clone()).__repr__(),
            self.0.message.en
        )
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}

/// Where a problem was found. Every attribute may be ``None``: a problem
/// from a file has ``file``, ``line`` and ``column``; one from a JSON
/// document or an Arrow table has ``path`` (``"households[3]"``, 0-based
/// row) and ``field``; one found by validation names the ``record``.
#[pyclass(module = "minqing", name = "Location", frozen, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location(pub(crate) CoreLocation);

impl From<CoreLocation> for Location {
    fn from(l: CoreLocation) -> Self {
        Location(l)
    }
}

impl From<Location> for CoreLocation {
    fn from(l: Location) -> Self {
        l.0
    }
}

fn location_dict<'py>(py: Python<'py>, l: &CoreLocation) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    if let Some(v) = &l.file {
        d.set_item("file", v)?;
    }
    if let Some(v) = l.line {
        d.set_item("line", v)?;
    }
    if let Some(v) = l.column {
        d.set_item("column", v)?;
    }
    if let Some(v) = &l.field {
        d.set_item("field", v)?;
    }
    if let Some(v) = &l.path {
        d.set_item("path", v)?;
    }
    if let Some(v) = &l.record {
        d.set_item("record", v)?;
    }
    Ok(d)
}

#[pymethods]
impl Location {
    /// The file, as the caller named it (``"visits.csv"``), or the table.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }

    /// The 1-based line of the file.
    #[getter]
    fn line(&self) -> Option<u64> {
        self.0.line
    }

    /// The 1-based column.
    #[getter]
    fn column(&self) -> Option<u64> {
        self.0.column
    }

    /// The field (column name or JSON field name).
    #[getter]
    fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// A path such as ``"households[3]"`` (0-based).
    #[getter]
    fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }

    /// The record concerned, e.g. ``"household H0001"``.
    #[getter]
    fn record(&self) -> Option<&str> {
        self.0.record.as_deref()
    }

    /// The attributes that are set, as a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        location_dict(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let l = &self.0;
        let mut parts: Vec<String> = Vec::new();
        if let Some(v) = &l.file {
            parts.push(format!("file={v:?}"));
        }
        if let Some(v) = l.line {
            parts.push(format!("line={v}"));
        }
        if let Some(v) = l.column {
            parts.push(format!("column={v}"));
        }
        if let Some(v) = &l.field {
            parts.push(format!("field={v:?}"));
        }
        if let Some(v) = &l.path {
            parts.push(format!("path={v:?}"));
        }
        if let Some(v) = &l.record {
            parts.push(format!("record={v:?}"));
        }
        format!("Location({})", parts.join(", "))
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}
