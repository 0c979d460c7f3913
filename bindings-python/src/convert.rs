//! Conversion only: core values to and from Python through serde (JSON
//! text and Python's `json` module), dates and date-times given either as
//! `datetime` objects or ISO text, and generic serde rows to Arrow.
//!
//! Nested results (request states, due events, meeting agendas, metrics)
//! come out as plain dicts and lists shaped as the core's JSON (dates as
//! ISO text), the same shape as the shared vectors and the JSON Lines files.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, ListBuilder, StringBuilder,
    TimestampSecondBuilder, UInt64Builder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use minqing::problem::{Code, Location};
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDate, PyDateTime, PyDict, PyFrozenSet, PySet, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::arrow_out::Table;
use crate::errors::Failure;

/// A serialisable core value as Python objects (dicts, lists, str, int,
/// float, bool, None), through `json.loads`.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// A Python object as JSON, through `json.dumps`; `date` and `datetime`
/// values become ISO text.
pub(crate) fn to_json(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        // A JSON document given as text.
        let text: String = s.extract()?;
        return serde_json::from_str(&text).map_err(|e| {
            Failure::parse_one(
                Code::JsonSyntax,
                Location::default(),
                format!("JSON 语法错误：{e}"),
                format!("JSON syntax error: {e}"),
            )
            .into_pyerr(py)
        });
    }
    // Dates become ISO text; sets (of modes, of tags) sorted lists.
    let default = PyCFunction::new_closure(py, None, None, |args: &Bound<'_, PyTuple>, _| {
        let x = args.get_item(0)?;
        if x.is_instance_of::<PySet>() || x.is_instance_of::<PyFrozenSet>() {
            let py = x.py();
            return py
                .import("builtins")?
                .call_method1("sorted", (x,))
                .map(Bound::unbind);
        }
        x.call_method0("isoformat").map(Bound::unbind)
    })?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("default", default)?;
    kwargs.set_item("ensure_ascii", false)?;
    let text: String = py
        .import("json")?
        .call_method("dumps", (obj,), Some(&kwargs))?
        .extract()?;
    serde_json::from_str(&text).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A core value from a Python object (or JSON text), through serde;
/// raises `ParseError` (`json.shape`, at `what`) when it does not fit.
pub(crate) fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    from_json(obj.py(), to_json(obj)?, what)
}

/// A core value from JSON; raises `ParseError` (`json.shape`, at `what`).
pub(crate) fn from_json<T: DeserializeOwned>(py: Python<'_>, v: Value, what: &str) -> PyResult<T> {
    serde_json::from_value(v).map_err(|e| {
        Failure::parse_one(
            Code::JsonShape,
            Location::default().at_path(what),
            format!("{what} 的结构不对：{e}"),
            format!("{what} does not have the expected shape: {e}"),
        )
        .into_pyerr(py)
    })
}

/// A core value from `default` with the caller's overrides (a dict or
/// JSON text; `None`: the default itself), under the core's one override
/// semantics ([`minqing::cadence::with_overrides`]: objects merge, a key
/// the value does not read is refused at any depth).
pub(crate) fn with_overrides<T: Serialize + DeserializeOwned>(
    py: Python<'_>,
    default: T,
    overrides: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<T> {
    let Some(o) = overrides.filter(|o| !o.is_none()) else {
        return Ok(default);
    };
    let refused = |e: minqing::cadence::OverrideError| {
        Failure::of_override(&e, Location::default().at_path(what)).into_pyerr(py)
    };
    let Value::Object(over) = to_json(o)? else {
        return Err(refused(minqing::cadence::OverrideError::NotAStruct));
    };
    minqing::cadence::with_overrides(default, &over).map_err(refused)
}

/// A count argument (days, problems to keep, members) given as a Python
/// `int`: refused with the core's `field.bad_number` when below 0 or too
/// large ([`minqing::io::cell::count`]), never an `OverflowError`.
pub(crate) fn count_arg(py: Python<'_>, n: i64, what: &str) -> PyResult<u32> {
    minqing::io::cell::count(n)
        .map_err(|e| Failure::input(&e, Location::default().with_field(what)).into_pyerr(py))
}

fn bad_time(py: Python<'_>, what: &str, text: &str) -> PyErr {
    Failure::parse_one(
        Code::FieldBadDate,
        Location::default().with_field(what),
        format!("{what} 不是有效的日期或时间：{text:?}"),
        format!("{what} is not a valid date or date-time: {text:?}"),
    )
    .into_pyerr(py)
}

/// A date-time from a naive `datetime.datetime` (China Standard Time) or
/// ISO text (`YYYY-MM-DDTHH:MM[:SS]`).
pub(crate) fn datetime_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveDateTime> {
    let py = obj.py();
    if obj.is_instance_of::<PyDateTime>() {
        return obj.extract();
    }
    let text: String = obj.extract()?;
    minqing::io::parse_datetime(&text).map_err(|_| bad_time(py, what, &text))
}

/// A date from a `datetime.date` or ISO text (`YYYY-MM-DD`).
pub(crate) fn date_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveDate> {
    let py = obj.py();
    if obj.is_instance_of::<PyDateTime>() {
        let dt: NaiveDateTime = obj.extract()?;
        return Ok(dt.date());
    }
    if obj.is_instance_of::<PyDate>() {
        return obj.extract();
    }
    let text: String = obj.extract()?;
    minqing::io::parse_date(&text).map_err(|_| bad_time(py, what, &text))
}

/// The Arrow type of one column of a serde-rows table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Col {
    Text,
    UInt,
    Bool,
    /// A naive date-time (China Standard Time), as a timestamp in seconds
    /// without a time zone.
    DateTime,
    /// A list of text (a JSON array of strings).
    TextList,
    /// A date (ISO text in the JSON), as Arrow `date32`.
    Date,
    /// A floating-point number.
    Float,
}

/// Rows (serde objects) as one Arrow table; each column is named and read
/// at a JSON pointer of the row (`"/bounds/min"`); missing or null cells are
/// null.
pub(crate) fn rows_table(rows: &[Value], columns: &[(&str, &str, Col)]) -> Table {
    let n = rows.len();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for &(name, pointer, col) in columns {
        let cells = rows
            .iter()
            .map(|r| r.pointer(pointer).filter(|v| !v.is_null()));
        let (dt, array): (DataType, ArrayRef) = match col {
            Col::Text => {
                let mut b = StringBuilder::with_capacity(n, n * 8);
                for c in cells {
                    match c {
                        Some(Value::String(s)) => b.append_value(s),
                        Some(v) => b.append_value(v.to_string()),
                        None => b.append_null(),
                    }
                }
                (DataType::Utf8, Arc::new(b.finish()))
            }
            Col::UInt => {
                let mut b = UInt64Builder::with_capacity(n);
                for c in cells {
                    b.append_option(c.and_then(Value::as_u64));
                }
                (DataType::UInt64, Arc::new(b.finish()))
            }
            Col::Bool => {
                let mut b = BooleanBuilder::with_capacity(n);
                for c in cells {
                    b.append_option(c.and_then(Value::as_bool));
                }
                (DataType::Boolean, Arc::new(b.finish()))
            }
            Col::DateTime => {
                let mut b = TimestampSecondBuilder::with_capacity(n);
                for c in cells {
                    b.append_option(
                        c.and_then(Value::as_str)
                            .and_then(|s| minqing::io::parse_datetime(s).ok())
                            .map(|t| t.and_utc().timestamp()),
                    );
                }
                (
                    DataType::Timestamp(TimeUnit::Second, None),
                    Arc::new(b.finish()),
                )
            }
            Col::Float => {
                let mut b = Float64Builder::with_capacity(n);
                for c in cells {
                    b.append_option(c.and_then(Value::as_f64));
                }
                (DataType::Float64, Arc::new(b.finish()))
            }
            Col::Date => {
                let mut b = Date32Builder::with_capacity(n);
                for c in cells {
                    b.append_option(
                        c.and_then(Value::as_str)
                            .and_then(|s| minqing::io::parse_date(s).ok())
                            .map(date32),
                    );
                }
                (DataType::Date32, Arc::new(b.finish()))
            }
            Col::TextList => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for c in cells {
                    match c.and_then(Value::as_array) {
                        Some(items) => {
                            for x in items {
                                b.values().append_option(x.as_str());
                            }
                            b.append(true);
                        }
                        None => b.append(false),
                    }
                }
                let array = b.finish();
                (array.data_type().clone(), Arc::new(array))
            }
        };
        fields.push(Field::new(name, dt, true));
        arrays.push(array);
    }
    let schema: SchemaRef = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).expect("columns match the schema");
    Table::new(vec![batch], schema)
}

/// Days since 1970-01-01 (Arrow's `date32`).
pub(crate) fn date32(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - 719_163
}
