//! Arrow tables out: `minqing.Table`, a result table that pyarrow, Polars
//! and pandas read through the Arrow PyCapsule interface, without copying
//! row by row.

use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use minqing::problem::Report;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};
use pyo3_arrow::ffi::{ArrayIterator, to_stream_pycapsule};

use crate::problem::severity_str;

/// A table of results in Arrow memory. Read it with ``pyarrow.table(t)`` or
/// ``polars.DataFrame(t)``, or call ``to_pyarrow()``, ``to_polars()``,
/// ``to_pandas()``; any library that speaks the Arrow PyCapsule interface
/// (``__arrow_c_stream__``) reads it without a copy. (``polars.from_arrow(t)``
/// gives a Series of structs, as it does for every PyCapsule stream.)
///
/// >>> import datetime, minqing, pyarrow
/// >>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": '
/// ...     '[{"household_id": "H1", "village_id": "V9", "residency": "resident"}]}')
/// >>> t = ds.validate_table(datetime.date(2024, 6, 30))
/// >>> t
/// Table(rows=1, columns=['code', 'severity', 'file', 'line', 'column', 'field', 'path', 'record', 'message_zh', 'message_en'])
/// >>> pyarrow.table(t).column("code").to_pylist()
/// ['household.unknown_village']
#[pyclass(module = "minqing", name = "Table", frozen)]
pub struct Table {
    batches: Vec<RecordBatch>,
    schema: SchemaRef,
}

impl Table {
    pub(crate) fn new(batches: Vec<RecordBatch>, schema: SchemaRef) -> Self {
        Table { batches, schema }
    }
}

#[pymethods]
impl Table {
    /// The Arrow C stream of the table (the Arrow PyCapsule interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let fields = self.schema.fields().clone();
        let arrays = self
            .batches
            .clone()
            .into_iter()
            .map(|b| Ok(Arc::new(StructArray::from(b)) as ArrayRef));
        let reader = Box::new(ArrayIterator::new(
            arrays,
            Field::new_struct("", fields, false)
                .with_metadata(self.schema.metadata().clone())
                .into(),
        ));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    /// How many rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.num_rows()
    }

    /// The table as a ``pyarrow.Table`` (needs pyarrow).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        py.import("pyarrow")?
            .getattr("table")?
            .call1(PyTuple::new(py, [slf])?)
    }

    /// The table as a ``polars.DataFrame`` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        py.import("polars")?
            .getattr("DataFrame")?
            .call1(PyTuple::new(py, [slf])?)
    }

    /// The table as a ``pandas.DataFrame`` (needs pyarrow and pandas).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_pyarrow(slf)?.call_method0("to_pandas")
    }

    fn __repr__(&self) -> String {
        let names: Vec<String> = self
            .column_names()
            .iter()
            .map(|n| format!("'{n}'"))
            .collect();
        format!(
            "Table(rows={}, columns=[{}])",
            self.num_rows(),
            names.join(", ")
        )
    }
}

/// The problems of `report` as one record batch: `code`, `severity`, the
/// location (`file`, `line`, `column`, `field`, `path`, `record`; null when
/// not set) and `message_zh`, `message_en`.
pub(crate) fn problems_table(report: &Report) -> Table {
    let n = report.problems.len();
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("code", DataType::Utf8, false),
        Field::new("severity", DataType::Utf8, false),
        Field::new("file", DataType::Utf8, true),
        Field::new("line", DataType::UInt64, true),
        Field::new("column", DataType::UInt64, true),
        Field::new("field", DataType::Utf8, true),
        Field::new("path", DataType::Utf8, true),
        Field::new("record", DataType::Utf8, true),
        Field::new("message_zh", DataType::Utf8, false),
        Field::new("message_en", DataType::Utf8, false),
    ]));
    let mut s: Vec<StringBuilder> = (0..8)
        .map(|_| StringBuilder::with_capacity(n, n * 16))
        .collect();
    let mut line = UInt64Builder::with_capacity(n);
    let mut column = UInt64Builder::with_capacity(n);
    for p in report {
        let l = &p.location;
        s[0].append_value(p.code.as_str());
        s[1].append_value(severity_str(p.severity));
        s[2].append_option(l.file.as_deref());
        line.append_option(l.line);
        column.append_option(l.column);
        s[3].append_option(l.field.as_deref());
        s[4].append_option(l.path.as_deref());
        s[5].append_option(l.record.as_deref());
        s[6].append_value(&p.message.zh);
        s[7].append_value(&p.message.en);
    }
    let mut text = s.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef);
    let mut columns: Vec<ArrayRef> = text.by_ref().take(3).collect();
    columns.push(Arc::new(line.finish()));
    columns.push(Arc::new(column.finish()));
    columns.extend(text);
    let batch = RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema");
    Table::new(vec![batch], schema)
}
