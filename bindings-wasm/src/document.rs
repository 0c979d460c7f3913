//! Reading JSON text into core types through the core's readers
//! (`minqing::io`): the codes, paths and messages are the core's.
//!
//! - a whole `minqing/1` document: [`minqing::io::from_json_str`];
//! - one record (a household, a visit, a request log, an event): the core's
//!   JSON Lines reader, [`minqing::io::read_jsonl`], over that one value.

use minqing::io::{from_json_str, read_jsonl};
use minqing::problem::{Code, Location, Problem, Report};
use serde::de::DeserializeOwned;

/// The data set argument of a call: a `minqing/1` document still to read
/// (a free function's `doc`), or one read once already (a `Dataset`
/// object's). Every call reads its data set through [`Doc::dataset`], so
/// that the free function and the method are one code path.
#[derive(Debug, Clone, Copy)]
pub enum Doc<'a> {
    /// JSON text.
    Text(&'a str),
    /// A data set already read.
    Read(&'a minqing::dataset::Dataset),
}

impl<'a> From<&'a str> for Doc<'a> {
    fn from(t: &'a str) -> Self {
        Doc::Text(t)
    }
}

impl<'a> From<&'a String> for Doc<'a> {
    fn from(t: &'a String) -> Self {
        Doc::Text(t)
    }
}

impl<'a> From<&'a minqing::dataset::Dataset> for Doc<'a> {
    fn from(ds: &'a minqing::dataset::Dataset) -> Self {
        Doc::Read(ds)
    }
}

impl<'a> Doc<'a> {
    /// The data set: read from the text ([`read_dataset`]), or borrowed.
    ///
    /// # Errors
    /// As [`read_dataset`].
    pub fn dataset(self) -> Result<std::borrow::Cow<'a, minqing::dataset::Dataset>, Report> {
        match self {
            Doc::Text(t) => read_dataset(t).map(std::borrow::Cow::Owned),
            Doc::Read(ds) => Ok(std::borrow::Cow::Borrowed(ds)),
        }
    }
}

/// Reads a `minqing/1` JSON document ([`minqing::io::from_json_str`]).
///
/// # Errors
/// One problem: `json.syntax` (with line and column), `json.schema` or
/// `json.shape` (with the JSON path of the wrong value).
pub fn read_dataset(text: &str) -> Result<minqing::dataset::Dataset, Report> {
    from_json_str(text)
}

/// Reads one JSON value (a household, a visit, a request log) with the
/// core's JSON Lines reader, `what` naming it in the location's `file`.
/// A record given over several lines is first put on one (line breaks
/// outside strings are white space in JSON, and inside strings they are
/// not allowed). A `json.shape` problem is also given the record's field
/// (`registered_on`), the first step of its path, so that a form can put
/// it next to that field.
///
/// # Errors
/// One problem: `json.syntax` or `json.shape` (serde stops at the first),
/// or `json.shape` for an empty text.
pub fn read_record<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Report> {
    let line = one_line(text);
    let mut parsed = read_jsonl::<T, _>(line.as_bytes(), what);
    if !parsed.report.problems.is_empty() {
        for p in &mut parsed.report.problems {
            let field = p.location.path.as_deref().and_then(first_field);
            if p.location.field.is_none() {
                p.location.field = field;
            }
        }
        return Err(parsed.report);
    }
    match parsed.records.pop() {
        Some(record) if parsed.records.is_empty() => Ok(record),
        _ => Err(one(Problem::new(
            Code::JsonShape,
            Location::file(what),
            format!("{what} 应为一个 JSON 值"),
            format!("the {what} must be one JSON value"),
        ))),
    }
}

/// The text on one line: compact JSON when it parses, else the line breaks
/// turned into spaces (the syntax error is still reported).
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['\n', '\r']) {
        return text.into();
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => v.to_string().into(),
        Err(_) => text.replace(['\n', '\r'], " ").into(),
    }
}

/// `registered_on` of `registered_on`, `tags` of `tags[2]`, `event` of
/// `event.deadline`.
fn first_field(path: &str) -> Option<String> {
    let head = path.split(['.', '[']).next().unwrap_or("");
    (!head.is_empty()).then(|| head.to_string())
}

/// A report of the one problem `p`.
pub(crate) fn one(p: Problem) -> Report {
    Report::from_iter([p])
}

#[cfg(test)]
mod tests {
    use super::*;
    use minqing::household::Household;

    #[test]
    fn a_document_reads_through_the_core() {
        let ds =
            read_dataset(r#"{"schema":"minqing/1","units":[{"unit_id":"V1","kind":"village"}]}"#)
                .unwrap();
        assert_eq!(ds.units.len(), 1);
        let code = |t: &str| read_dataset(t).unwrap_err().problems[0].code;
        assert_eq!(
            code("{\"schema\": \"minqing/1\",\n  oops}"),
            Code::JsonSyntax
        );
        assert_eq!(code(r#"{"units": []}"#), Code::JsonSchema);
        assert_eq!(code("[1, 2]"), Code::JsonShape);
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
        let p = read_record::<Household>(
            "{\"household_id\":\"\",\n \"village_id\":\"V1\"}",
            "household",
        )
        .unwrap_err()
        .problems
        .remove(0);
        assert_eq!(p.location.field.as_deref(), Some("household_id"));
        let p = read_record::<Household>("{\"household_id\":\n oops", "household")
            .unwrap_err()
            .problems
            .remove(0);
        assert_eq!(p.code, Code::JsonSyntax);
        assert_eq!(
            read_record::<Household>("  ", "household")
                .unwrap_err()
                .problems[0]
                .code,
            Code::JsonShape
        );
        let h: Household = read_record(
            "{\"household_id\": \"H1\",\n \"village_id\": \"V1\", \"residency\": \"away\"}",
            "household",
        )
        .unwrap();
        assert_eq!(h.id.as_str(), "H1");
    }
}
