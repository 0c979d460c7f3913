//! Python binding of minqing: conversion and error mapping only; every rule
//! lives in the core crate.
//!
//! - [`dataset`]: `minqing.Dataset` (JSON and Arrow in, validation, duty status);
//! - [`problem`]: `minqing.Problem` and `minqing.Location`;
//! - [`errors`]: `minqing.Error` and its subclasses, and the one mapping from
//!   core errors to them;
//! - [`arrow_in`] / [`arrow_out`]: Arrow tables in and out, through the Arrow
//!   PyCapsule interface (pyo3-arrow);
//!
//! Calls that do real work release the GIL (`Python::detach`).

pub mod arrow_in;
pub mod arrow_out;
pub mod dataset;
pub mod errors;
pub mod problem;

use pyo3::prelude::*;

/// The native module `minqing._minqing`; the package `minqing` re-exports it.
#[pymodule]
mod _minqing {
    #[pymodule_export]
    use crate::arrow_out::Table;
    #[pymodule_export]
    use crate::dataset::Dataset;
    #[pymodule_export]
    use crate::errors::{Error, ParseError, TransitionError, ValidationError};
    #[pymodule_export]
    use crate::problem::{Location, Problem};

    /// The version of the binding (the workspace version).
    #[allow(non_upper_case_globals)]
    #[pymodule_export]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
