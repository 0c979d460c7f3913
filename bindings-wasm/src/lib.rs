//! WebAssembly binding of minqing: conversion and error mapping only; every
//! rule lives in the core crate.
//!
//! The JavaScript API (camelCase) is:
//!
//! | function | returns |
//! |---|---|
//! | `validateDataset(doc, today, options?)` | `Problem[]` |
//! | `validateHousehold(household, doc, today)` | `Problem[]` at that household |
//! | `validateVisit(visit, doc, today)` | `Problem[]` at that visit |
//! | `statusAt(doc, cadreId, at)` | `DutyStatus \| null` |
//! | `version()` | the package version |
//!
//! `doc` is a `minqing/1` JSON document, as an object or as JSON text.
//! Input the binding cannot use is thrown as a `MinqingError` (an `Error`
//! subclass with `code` and `problems`), never as a string.
//!
//! Each function is a thin wrapper over the same function of [`calls`],
//! which takes JSON text and runs natively too.
#![warn(missing_docs)]

pub mod calls;
mod declarations;
pub mod document;

use minqing::problem::{Code, Location, Problem, Report};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    /// Builds a `MinqingError` (js/error.js).
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(code: &str, message: &str, problems: JsValue) -> JsValue;
}

/// The error thrown to JavaScript for `problems` (at least one): a
/// `MinqingError` whose `code` is the first problem's code.
fn throw(problems: Vec<Problem>) -> JsValue {
    let first = problems.first().map(|p| (p.code, p.to_string()));
    let (code, message) = first.unwrap_or((Code::JsonShape, "unknown problem".into()));
    let problems = to_js(&problems).unwrap_or(JsValue::UNDEFINED);
    make_error(code.as_str(), &message, problems)
}

/// A core value as a plain JavaScript value: objects (not `Map`s), `null`
/// for `None`, numbers for integers.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

/// The JSON text of an argument given as an object or as a string.
fn json_text(value: &JsValue, arg: &str) -> Result<String, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    let bad = |why: String| {
        throw(vec![Problem::new(
            Code::JsonShape,
            Location::default().with_field(arg),
            format!("{arg} 应为对象或 JSON 文本：{why}"),
            format!("{arg} must be an object or JSON text: {why}"),
        )])
    };
    if !value.is_object() {
        return Err(bad(format!(
            "got {}",
            js_sys::JsString::from(value.js_typeof())
        )));
    }
    match js_sys::JSON::stringify(value) {
        Ok(s) => Ok(String::from(s)),
        Err(e) => Err(bad(format!("{e:?}"))),
    }
}

/// A string argument.
fn string_arg(value: &JsValue, arg: &str, code: Code) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        throw(vec![Problem::new(
            code,
            Location::default().with_field(arg),
            format!("{arg} 应为字符串"),
            format!("{arg} must be a string"),
        )])
    })
}

fn problems_to_js(result: Result<Vec<Problem>, Report>) -> Result<JsValue, JsValue> {
    match result {
        Ok(problems) => to_js(&problems),
        Err(report) => Err(throw(report.problems)),
    }
}

/// The version of the binding (the workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// `validateDataset(doc, today, options?)`: every problem of a `minqing/1`
/// document on `today`, in the core's order.
///
/// # Errors
/// A `MinqingError` with code `json.syntax`, `json.shape` or `json.schema`
/// when the document cannot be read; `field.bad_date` for a bad `today`;
/// `field.bad_number` for a bad option.
#[wasm_bindgen(js_name = validateDataset, unchecked_return_type = "Problem[]")]
pub fn validate_dataset(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    let min_station_members = match options.filter(|o| !o.is_undefined() && !o.is_null()) {
        None => None,
        Some(o) => {
            let n = js_sys::Reflect::get(&o, &JsValue::from_str("minStationMembers"))?;
            if n.is_undefined() {
                None
            } else {
                match n.as_f64() {
                    Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 => {
                        Some(x as usize)
                    }
                    _ => {
                        return Err(throw(vec![Problem::new(
                            Code::FieldBadNumber,
                            Location::default().with_field("minStationMembers"),
                            "minStationMembers 应为非负整数",
                            "minStationMembers must be a non-negative whole number",
                        )]));
                    }
                }
            }
        }
    };
    problems_to_js(calls::validate_dataset(&doc, &today, min_station_members))
}

/// `validateHousehold(household, doc, today)`: the field-level problems the
/// household would have if added to the data set (the data set's other
/// problems are left out).
///
/// # Errors
/// A `MinqingError` when the data set cannot be read or `today` is not a
/// date. A household that does not read is not thrown: its one `json.shape`
/// problem is returned, at the field that failed.
#[wasm_bindgen(js_name = validateHousehold, unchecked_return_type = "Problem[]")]
pub fn validate_household(
    #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
) -> Result<JsValue, JsValue> {
    let household = json_text(&household, "household")?;
    let doc = json_text(&doc, "doc")?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    problems_to_js(calls::validate_household(&household, &doc, &today))
}

/// `validateVisit(visit, doc, today)`: the field-level problems the visit
/// would have if added to the data set (the data set's other problems are
/// left out).
///
/// # Errors
/// As [`validate_household`].
#[wasm_bindgen(js_name = validateVisit, unchecked_return_type = "Problem[]")]
pub fn validate_visit(
    #[wasm_bindgen(unchecked_param_type = "Visit | string")] visit: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
) -> Result<JsValue, JsValue> {
    let visit = json_text(&visit, "visit")?;
    let doc = json_text(&doc, "doc")?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    problems_to_js(calls::validate_visit(&visit, &doc, &today))
}

/// `statusAt(doc, cadreId, at)`: the cadre's duty status at `at`
/// (`"2024-05-06T19:00:00"`), or `null` when no span covers it.
///
/// # Errors
/// A `MinqingError` when the document cannot be read, `cadreId` is not a
/// valid ID (`field.bad_id`) or `at` not a date-time (`field.bad_datetime`).
#[wasm_bindgen(js_name = statusAt, unchecked_return_type = "DutyStatus | null")]
pub fn status_at(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] at: JsValue,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
    let at = string_arg(&at, "at", Code::FieldBadDatetime)?;
    match calls::status_at(&doc, &cadre_id, &at) {
        Ok(status) => to_js(&status),
        Err(report) => Err(throw(report.problems)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_the_workspace_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
