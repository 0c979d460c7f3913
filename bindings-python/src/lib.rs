//! Python binding of minqing: conversion and error mapping only; every rule
//! lives in the core crate.
//!
//! - [`dataset`]: `minqing.Dataset` (JSON and Arrow in, validation, duty status);
//! - [`problem`]: `minqing.Problem` and `minqing.Location`;
//! - [`errors`]: `minqing.Error` and its subclasses, and the one mapping from
//!   core errors to them;
//! - [`coverage`]: `minqing.Coverage` (`Dataset.coverage`);
//! - [`compliance`]: `minqing.Compliance`, `compliance_csv`, `compliance_arrow`;
//! - [`due`]: `minqing.due_list` and `minqing.DueList`, `request_signal`,
//!   `ical`;
//! - [`policy`]: `minqing.Policy` (presets with keyword overrides, JSON) and
//!   `minqing.PresenceRule`;
//! - [`presence`]: `minqing.station_presence` and `minqing.Presence`;
//! - [`requests`]: `minqing.RequestLog`, `escalations_due`, `meetings_due`,
//!   `request_metrics`;
//! - [`convert`]: serde values, dates and rows to and from Python and Arrow;
//! - [`arrow_in`] / [`arrow_out`]: Arrow tables in and out, through the Arrow
//!   PyCapsule interface (pyo3-arrow);
//!
//! Calls that do real work release the GIL (`Python::detach`).

pub mod arrow_in;
pub mod arrow_out;
pub mod compliance;
pub mod convert;
pub mod coverage;
pub mod dataset;
pub mod due;
pub mod errors;
pub mod policy;
pub mod presence;
pub mod problem;
pub mod requests;

use pyo3::prelude::*;

/// The native module `minqing._minqing`; the package `minqing` re-exports it.
#[pymodule]
mod _minqing {
    #[pymodule_export]
    use crate::arrow_out::Table;
    #[pymodule_export]
    use crate::compliance::{Compliance, compliance_arrow, compliance_csv};
    #[pymodule_export]
    use crate::coverage::Coverage;
    #[pymodule_export]
    use crate::dataset::{Dataset, read_csv_dir};
    #[pymodule_export]
    use crate::due::{DueList, due_list, ical, request_signal, request_signals};
    #[pymodule_export]
    use crate::errors::{Error, ParseError, TransitionError, ValidationError};
    #[pymodule_export]
    use crate::policy::{Policy, PresenceRule};
    #[pymodule_export]
    use crate::presence::{Presence, station_presence};
    #[pymodule_export]
    use crate::problem::{Location, Problem};
    #[pymodule_export]
    use crate::requests::{
        RequestLog, escalations_due, intake_ledgers, ledger_and_lists, meetings_due,
        open_requests_for_cadre, request_metrics, request_metrics_table, requests_from_arrow,
    };

    /// Adds what cannot be exported by declaration: `InputError`, a class
    /// with two bases.
    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("InputError", crate::errors::input_error(m.py())?)
    }

    /// The version of the binding (the workspace version).
    #[allow(non_upper_case_globals)]
    #[pymodule_export]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
