//! Reading and writing the interchange formats of `shared/spec/formats.md`:
//! the CSV files, the JSON document (`"schema": "minqing/1"`) and JSON
//! Lines for event streams.
//!
//! - [`cell`]: what one cell means (lists, duties, text limits), shared by
//!   every reader.
//! - [`date`]: the date and date-time formats every file uses.
//! - [`json`]: a whole [`Dataset`](crate::dataset::Dataset) as one document.
//! - [`jsonl`]: any serde type, one JSON value a line.
//! - `columnar` (feature `csv`): the fast path for the two big files,
//!   households.csv and visits.csv, straight into the columns compliance
//!   runs on.
//! - `csv` (feature `csv`): units.csv, households.csv, cadres.csv,
//!   assignments.csv, visits.csv and events.csv (household events), one
//!   reader and one writer each, and the six files together. Teams and duty
//!   spans have no CSV file: they travel in the JSON document only.
//!
//! Readers never stop at the first problem: they return every good record
//! together with a [`Report`] of every bad one, and never panic, whatever
//! the bytes.

use crate::problem::{Location, Report};

pub mod cell;
#[cfg(feature = "csv")]
pub mod columnar;
#[cfg(feature = "csv")]
pub mod csv;
pub mod date;
#[cfg(feature = "csv")]
pub mod fast;
pub mod json;
pub mod jsonl;

pub use self::cell::MAX_TEXT_CHARS;
#[cfg(feature = "csv")]
pub use self::csv::{
    CsvFiles, CsvWriters, Encoding, EncodingError, ReadOptions, read_assignments, read_cadres,
    read_csv_set, read_events, read_households, read_units, read_visits, write_assignments,
    write_cadres, write_csv_set, write_events, write_households, write_units, write_visits,
};
#[cfg(feature = "fs")]
pub use self::csv::{read_csv_dir, write_csv_dir};
pub use self::date::{DateError, format_date, format_datetime, parse_date, parse_datetime};
pub use self::json::{SCHEMA, from_json_str, read_json, to_json_string, write_json};
pub use self::jsonl::{read_jsonl, write_jsonl};

/// The words a file may use for an enum, in the enum's order, for messages
/// such as "`x` is not one of: …"; the enum is the only list.
///
/// ```
/// use minqing::household::Residency;
/// assert_eq!(minqing::io::words_of(&Residency::ALL, Residency::as_str), ["resident", "away"]);
/// ```
pub fn words_of<T: Copy>(all: &[T], as_str: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| as_str(v)).collect()
}

/// What a reader returns: the good records, where each came from, and every
/// problem found (bad rows are reported here, never silently dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The records that were read without error, in file order.
    pub records: Vec<T>,
    /// The file and line of each record, parallel to `records`.
    pub sources: Vec<Location>,
    /// Every problem found, errors and warnings.
    pub report: Report,
}

impl<T> Parsed<T> {
    /// Nothing read, nothing reported.
    pub fn empty() -> Self {
        Parsed {
            records: Vec::new(),
            sources: Vec::new(),
            report: Report::new(),
        }
    }

    /// True when the report holds no error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.report.is_ok()
    }
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed::empty()
    }
}
