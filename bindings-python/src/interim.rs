//! INTERIM: stand-ins for `minqing::io`, which is being written on another
//! branch. Each function here has the signature of the `minqing::io` item
//! named in its doc comment; when `minqing::io` lands, delete this file and
//! call those instead (`grep -rn interim::` finds every caller).
//!
//! They only deserialise and serialise with serde; the rules of formats.md
//! (accepted date formats, schema refusal, row-level reports) belong to the
//! core reader, not to the binding.

use chrono::{NaiveDate, NaiveDateTime};
use minqing::dataset::Dataset;
use minqing::problem::{Code, Location, Problem, Report};
use serde_json::Value;

/// The schema name of the JSON document (`minqing::io::SCHEMA`).
pub(crate) const SCHEMA: &str = "minqing/1";

/// Reads a `minqing/1` JSON document (`minqing::io::from_json_str`).
pub(crate) fn from_json_str(s: &str) -> Result<Dataset, Report> {
    let one = |code: Code, path: Option<String>, zh: String, en: String| -> Report {
        let loc = Location {
            path,
            ..Location::default()
        };
        std::iter::once(Problem::new(code, loc, zh, en)).collect()
    };
    let doc: Value = serde_json::from_str(s).map_err(|e| {
        one(
            Code::JsonSyntax,
            None,
            format!("JSON 格式错误：{e}"),
            format!("malformed JSON: {e}"),
        )
    })?;
    match doc.get("schema").and_then(Value::as_str) {
        Some(SCHEMA) => {}
        other => {
            let shown = other.unwrap_or("(none)");
            return Err(one(
                Code::JsonSchema,
                Some("schema".into()),
                format!("不支持的 schema：{shown}，应为 {SCHEMA}"),
                format!("unknown schema {shown}; expected {SCHEMA}"),
            ));
        }
    }
    serde_json::from_value(doc).map_err(|e| {
        one(
            Code::JsonShape,
            None,
            format!("JSON 结构不符：{e}"),
            format!("the JSON does not have the expected shape: {e}"),
        )
    })
}

/// Writes a `minqing/1` JSON document (`minqing::io::to_json_string`).
pub(crate) fn to_json_string(dataset: &Dataset) -> String {
    // the struct's own field order, with `schema` first (formats.md)
    let body = serde_json::to_string(dataset).expect("a data set always serialises");
    let rest = body.strip_prefix('{').unwrap_or(&body);
    format!("{{\"schema\":\"{SCHEMA}\",{rest}")
}

/// Parses a date cell (`minqing::io::parse_date`). Interim: ISO only.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    s.trim().parse().ok()
}

/// Parses a date-time cell (`minqing::io::parse_datetime`). Interim: ISO
/// with `T` or a space, seconds optional.
pub(crate) fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}
