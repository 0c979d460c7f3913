//! A whole [`Dataset`] as one JSON document (formats.md):
//!
//! ```json
//! {"schema": "minqing/1", "units": [], "households": [], "cadres": [],
//!  "teams": [], "duty": [], "assignments": [], "visits": []}
//! ```
//!
//! `schema` is written first. A reader refuses a document without a schema
//! or with one it does not know (`json.schema`) before looking at anything
//! else, reports malformed JSON with its line and column (`json.syntax`)
//! and a value of the wrong shape with its path, e.g.
//! `households[3].village_id` (`json.shape`). Top-level fields other than
//! the ones above are ignored, so that later versions of `minqing/1` can
//! add collections (such as request histories) that older readers skip.

use std::io::{Read, Write};

use serde::Serialize;
use serde_json::Value;

use crate::dataset::Dataset;
use crate::problem::{Code, Location, Problem, Report};

/// The schema this version reads and writes.
pub const SCHEMA: &str = "minqing/1";

#[derive(Serialize)]
struct DocumentOut<'a> {
    schema: &'static str,
    #[serde(flatten)]
    dataset: &'a Dataset,
}

fn one(code: Code, location: Location, zh: String, en: String) -> Report {
    let mut r = Report::new();
    r.push(Problem::new(code, location, zh, en));
    r
}

fn syntax_problem(e: &serde_json::Error) -> Report {
    use serde_json::error::Category;
    let mut loc = Location::default();
    if e.line() > 0 {
        loc.line = Some(e.line() as u64);
        loc.column = Some(e.column() as u64);
    }
    match e.classify() {
        Category::Io => one(
            Code::InputIo,
            loc,
            format!("读取失败：{e}"),
            format!("could not read the input: {e}"),
        ),
        _ => one(
            Code::JsonSyntax,
            loc,
            format!(
                "JSON 格式错误（第 {} 行第 {} 列）：{e}",
                e.line(),
                e.column()
            ),
            format!(
                "malformed JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
        ),
    }
}

fn from_value(value: Value) -> Result<Dataset, Report> {
    let Value::Object(mut map) = value else {
        return Err(one(
            Code::JsonShape,
            Location::default().at_path("$"),
            "数据集文档应是一个 JSON 对象".into(),
            "a data set document must be a JSON object".into(),
        ));
    };
    match map.remove("schema") {
        Some(Value::String(s)) if s == SCHEMA => {}
        None => {
            return Err(one(
                Code::JsonSchema,
                Location::default().at_path("schema"),
                format!("文档缺少 \"schema\" 字段，应为 \"{SCHEMA}\""),
                format!("the document has no \"schema\" field; expected \"{SCHEMA}\""),
            ));
        }
        Some(other) => {
            return Err(one(
                Code::JsonSchema,
                Location::default().at_path("schema"),
                format!("不认识的 schema {other}，本版本只读 \"{SCHEMA}\""),
                format!("unknown schema {other}; this version reads \"{SCHEMA}\" only"),
            ));
        }
    }
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        one(
            Code::JsonShape,
            Location::default().at_path(path.clone()),
            format!("{path} 处的值不符合要求：{inner}"),
            format!("wrong value at {path}: {inner}"),
        )
    })
}

/// Reads a data set document.
///
/// # Errors
/// A [`Report`] with one problem: `json.syntax` (with line and column),
/// `json.schema` (schema missing or unknown), `json.shape` (with the JSON
/// path of the wrong value) or `input.io`.
///
/// # Example
/// ```
/// use minqing::io::read_json;
/// use minqing::problem::Code;
/// let doc = br#"{"schema": "minqing/1", "households": [
///     {"household_id": "H1", "village_id": "V1", "residency": "away"}]}"#;
/// let ds = read_json(&doc[..]).map_err(|r| r.to_string())?;
/// assert_eq!(ds.households.len(), 1);
///
/// let bad = br#"{"schema": "minqing/1", "households": [{"household_id": "H1"}]}"#;
/// let report = read_json(&bad[..]).unwrap_err();
/// assert_eq!(report.codes(), vec![Code::JsonShape]);
/// assert_eq!(report.problems[0].location.path.as_deref(), Some("households[0]"));
/// # Ok::<(), String>(())
/// ```
pub fn read_json<R: Read>(reader: R) -> Result<Dataset, Report> {
    let value: Value =
        serde_json::from_reader(std::io::BufReader::new(reader)).map_err(|e| syntax_problem(&e))?;
    from_value(value)
}

/// Reads a data set document from a string.
///
/// # Errors
/// As [`read_json`].
///
/// # Example
/// ```
/// use minqing::io::from_json_str;
/// use minqing::problem::Code;
/// let ds = from_json_str(r#"{"schema": "minqing/1"}"#).map_err(|r| r.to_string())?;
/// assert!(ds.households.is_empty());
/// let report = from_json_str(r#"{"schema": "minqing/9"}"#).unwrap_err();
/// assert_eq!(report.codes(), vec![Code::JsonSchema]);
/// # Ok::<(), String>(())
/// ```
pub fn from_json_str(s: &str) -> Result<Dataset, Report> {
    let value: Value = serde_json::from_str(s).map_err(|e| syntax_problem(&e))?;
    from_value(value)
}

/// The data set as a pretty-printed document, `schema` first.
///
/// # Example
/// ```
/// use minqing::io::{from_json_str, to_json_string};
/// use minqing::dataset::Dataset;
/// let s = to_json_string(&Dataset::new());
/// assert!(s.starts_with("{\n  \"schema\": \"minqing/1\""));
/// assert_eq!(from_json_str(&s).unwrap(), Dataset::new());
/// ```
pub fn to_json_string(dataset: &Dataset) -> String {
    let doc = DocumentOut {
        schema: SCHEMA,
        dataset,
    };
    // Every field of a Dataset serialises (string keys, no non-finite
    // floats), so this cannot fail.
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Writes the data set as a pretty-printed document, `schema` first.
///
/// # Errors
/// The writer's I/O error.
///
/// # Example
/// ```
/// use minqing::io::{read_json, write_json};
/// use minqing::dataset::Dataset;
/// let mut buf = Vec::new();
/// write_json(&mut buf, &Dataset::new())?;
/// assert_eq!(read_json(&buf[..]).unwrap(), Dataset::new());
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_json<W: Write>(mut writer: W, dataset: &Dataset) -> std::io::Result<()> {
    let doc = DocumentOut {
        schema: SCHEMA,
        dataset,
    };
    serde_json::to_writer_pretty(&mut writer, &doc).map_err(std::io::Error::other)?;
    writer.write_all(b"\n")?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    #[test]
    fn schema_is_first_and_round_trips() {
        let mut ds = Dataset::new();
        ds.units
            .push(Unit::new(UnitId::new("V1").unwrap(), UnitKind::Village));
        ds.households.push(Household::new(
            HouseholdId::new("H1").unwrap(),
            UnitId::new("V1").unwrap(),
            Residency::Away,
        ));
        let s = to_json_string(&ds);
        let first_key = s.find('"').map(|i| &s[i..i + 8]);
        assert_eq!(first_key, Some("\"schema\""));
        assert_eq!(from_json_str(&s).unwrap(), ds);
    }

    #[test]
    fn refuses_missing_and_unknown_schema() {
        let r = from_json_str(r#"{"households": []}"#).unwrap_err();
        assert_eq!(r.codes(), vec![Code::JsonSchema]);
        let r = from_json_str(r#"{"schema": 1}"#).unwrap_err();
        assert_eq!(r.codes(), vec![Code::JsonSchema]);
        let r = from_json_str("[]").unwrap_err();
        assert_eq!(r.codes(), vec![Code::JsonShape]);
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let r = from_json_str("{\"schema\": \"minqing/1\",\n  \"units\": [,]}").unwrap_err();
        assert_eq!(r.codes(), vec![Code::JsonSyntax]);
        assert_eq!(r.problems[0].location.line, Some(2));
        assert!(r.problems[0].location.column.is_some());
    }

    #[test]
    fn shape_error_has_path() {
        let doc = r#"{"schema": "minqing/1", "households": [
            {"household_id": "H1", "village_id": "V1", "residency": "away"},
            {"household_id": "H2", "village_id": "", "residency": "away"}]}"#;
        let r = from_json_str(doc).unwrap_err();
        assert_eq!(r.codes(), vec![Code::JsonShape]);
        assert_eq!(
            r.problems[0].location.path.as_deref(),
            Some("households[1].village_id")
        );
    }
}
