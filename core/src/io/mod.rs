//! Reading and writing the interchange formats of `shared/spec/formats.md`:
//! the five CSV files, the JSON document (`"schema": "minqing/1"`) and JSON
//! Lines for event streams.

pub mod columnar;
