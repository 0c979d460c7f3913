//! placeholder
#![cfg(feature = "csv")]
