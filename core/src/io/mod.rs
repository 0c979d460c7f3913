//! Reading and writing the interchange formats of `shared/spec/formats.md`:
//! the five CSV files, the JSON document (`"schema": "minqing/1"`) and JSON
//! Lines for event streams.

// TEMPORARY STUB: replaced by the io branch
#[cfg(feature = "fs")]
pub use stub::{Encoding, read_csv_dir};

// TEMPORARY STUB: replaced by the io branch
#[cfg(feature = "fs")]
mod stub {
    use std::path::Path;

    use crate::dataset::{Dataset, Sources};
    use crate::problem::Report;

    /// The text encoding of the CSV files (TEMPORARY STUB: replaced by the
    /// io branch).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Encoding {
        /// UTF-8.
        Utf8,
    }

    /// Reads a folder of CSV files (TEMPORARY STUB: replaced by the io
    /// branch; always fails).
    ///
    /// # Errors
    /// Always: the reader is not merged yet.
    pub fn read_csv_dir(
        path: &Path,
        encoding: Encoding,
    ) -> Result<(Dataset, Sources, Report), std::io::Error> {
        let _ = encoding;
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!(
                "{}: the CSV folder reader is not merged yet (io branch)",
                path.display()
            ),
        ))
    }
}
