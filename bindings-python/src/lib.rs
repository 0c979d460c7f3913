//! Python binding of minqing: conversion and error mapping only; every rule
//! lives in the core crate.
use pyo3::prelude::*;

/// The native module `minqing._minqing`.
#[pymodule]
mod _minqing {
    /// The version of the binding (the workspace version).
    #[allow(non_upper_case_globals)]
    #[pymodule_export]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
