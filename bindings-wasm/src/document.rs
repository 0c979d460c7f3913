//! Reading JSON text into core types, with every failure turned into a
//! [`Problem`] (`json.syntax`, `json.shape`, `json.schema`).
//!
//! TEMPORARY: this module stands in for `minqing::io`'s JSON reader, which is
//! being written on another branch. When it lands, [`read_dataset`] and
//! [`read_record`] become one call each into it, and the codes, paths and
//! messages come from the core; nothing else in the binding changes.

use minqing::dataset::Dataset;
use minqing::problem::{Code, Location, Problem, Report};
use serde::de::DeserializeOwned;

/// The schema this version reads.
pub const SCHEMA: &str = "minqing/1";

/// Reads a `minqing/1` JSON document.
///
/// TEMPORARY (switch to `minqing::io`'s JSON reader when it lands): serde
/// into [`Dataset`], after checking the `schema` field.
///
/// # Errors
/// One problem: `json.syntax` (not JSON; with line and column),
/// `json.schema` (no `schema` field or one other than `minqing/1`) or
/// `json.shape` (a field of the wrong type or value; with its JSON path).
pub fn read_dataset(text: &str) -> Result<Dataset, Report> {
    // a first pass tells syntax from shape, and finds the schema
    let head: serde_json::Value =
        serde_json::from_str(text).map_err(|e| one(json_error(&e, None, "document")))?;
    let Some(fields) = head.as_object() else {
        return Err(one(Problem::new(
            Code::JsonShape,
            Location::default(),
            "文档应为 JSON 对象",
            "the document must be a JSON object",
        )));
    };
    match fields.get("schema") {
        Some(serde_json::Value::String(s)) if s == SCHEMA => {}
        Some(other) => {
            return Err(one(Problem::new(
                Code::JsonSchema,
                Location::default().with_field("schema"),
                format!("文档的 schema 为 {other}，本版本只能读取 \"{SCHEMA}\""),
                format!("the document's schema is {other}; this version reads \"{SCHEMA}\" only"),
            )));
        }
        None => {
            return Err(one(Problem::new(
                Code::JsonSchema,
                Location::default().with_field("schema"),
                format!("文档缺少 schema 字段（应为 \"{SCHEMA}\"）"),
                format!("the document has no schema field (expected \"{SCHEMA}\")"),
            )));
        }
    }
    read_json(text, "document")
}

/// Reads one record (a household, a visit) from its JSON text.
///
/// TEMPORARY (switch to `minqing::io`'s JSON reader when it lands).
///
/// # Errors
/// One problem, `json.syntax` or `json.shape`, located at the field that
/// failed (serde stops at the first one).
pub fn read_record<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Report> {
    read_json(text, what)
}

fn read_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Report> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = (path != ".").then_some(path);
        one(json_error(e.inner(), path, what))
    })?;
    Ok(value)
}

/// A report of the one problem `p`.
pub(crate) fn one(p: Problem) -> Report {
    Report::from_iter([p])
}

fn json_error(e: &serde_json::Error, path: Option<String>, what: &str) -> Problem {
    use serde_json::error::Category;
    let code = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => Code::JsonSyntax,
        Category::Data => Code::JsonShape,
    };
    let mut loc = Location::default();
    if e.line() > 0 {
        loc.line = Some(e.line() as u64);
        loc.column = Some(e.column() as u64);
    }
    if let Some(p) = path {
        // the field is the last step of the path: `households[3].village_id`
        let field = p.rsplit('.').next().unwrap_or(&p);
        let field = field.split('[').next().unwrap_or(field);
        if !field.is_empty() {
            loc.field = Some(field.to_string());
        }
        loc.path = Some(p);
    }
    let (zh, en) = match code {
        Code::JsonSyntax => (
            format!("{what} 不是合法的 JSON：{e}"),
            format!("the {what} is not valid JSON: {e}"),
        ),
        _ => (
            format!("{what} 的内容不符合格式：{e}"),
            format!("the {what} does not have the expected shape: {e}"),
        ),
    };
    Problem::new(code, loc, zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minqing::household::Household;

    #[test]
    fn a_document_reads() {
        let ds =
            read_dataset(r#"{"schema":"minqing/1","units":[{"unit_id":"V1","kind":"village"}]}"#)
                .unwrap();
        assert_eq!(ds.units.len(), 1);
    }

    #[test]
    fn syntax_schema_and_shape_are_told_apart() {
        let p = read_dataset("{\"schema\": \"minqing/1\",\n  oops}")
            .unwrap_err()
            .problems
            .remove(0);
        assert_eq!(p.code, Code::JsonSyntax);
        assert_eq!(p.location.line, Some(2));

        let p = read_dataset(r#"{"units": []}"#)
            .unwrap_err()
            .problems
            .remove(0);
        assert_eq!(p.code, Code::JsonSchema);
        let p = read_dataset(r#"{"schema": "minqing/2"}"#)
            .unwrap_err()
            .problems
            .remove(0);
        assert_eq!(p.code, Code::JsonSchema);
        let p = read_dataset("[1, 2]").unwrap_err().problems.remove(0);
        assert_eq!(p.code, Code::JsonShape);

        let p = read_dataset(
            r#"{"schema":"minqing/1","households":[{"household_id":"H1","village_id":"V1","residency":"gone"}]}"#,
        )
        .unwrap_err().problems.remove(0);
        assert_eq!(p.code, Code::JsonShape);
        assert_eq!(p.location.path.as_deref(), Some("households[0].residency"));
        assert_eq!(p.location.field.as_deref(), Some("residency"));
        assert!(p.message.en.contains("gone"), "{}", p.message.en);
    }

    #[test]
    fn a_record_names_its_bad_field() {
        let p = read_record::<Household>(
            r#"{"household_id":"H1","village_id":"V1","residency":"away","registered_on":"2024-02-30"}"#,
            "household",
        )
        .unwrap_err().problems.remove(0);
        assert_eq!(p.code, Code::JsonShape);
        assert_eq!(p.location.field.as_deref(), Some("registered_on"));
        let p = read_record::<Household>(r#"{"household_id":"","village_id":"V1"}"#, "household")
            .unwrap_err()
            .problems
            .remove(0);
        assert_eq!(p.location.field.as_deref(), Some("household_id"));
    }
}
