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
//! | `validateRequestIntake(intake, doc, today)` | `Problem[]` at that request |
//! | `new Validator(doc)`, `.visit(visit, today)`, `.household(household, today)` | `Problem[]`, the data set indexed once |
//! | `statusAt(doc, cadreId, at)` | `DutyStatus \| null` |
//! | `coverage(doc, on, options?)` | `CoverageReport` |
//! | `complianceSummary(doc, scope, start, end)` | `ComplianceSummary` |
//! | `requestSignals(doc, cadreId, now)` | `RequestSignal[]` |
//! | `newRequestLog(requestId)` | an empty `RequestLog` |
//! | `applyRequestEvent(log, at, event)` | `{ log, state }` |
//! | `requestState(log)` | `RequestState` |
//! | `verifyRequestLog(log)` | `ChainBreak \| null` |
//! | `escalationsDue(log, now, options?)` | `DueEvent[]` |
//! | `meetingsDue(logs, today, options?)` | `MeetingsDue` |
//! | `requestMetrics(logs, now, query?)` | `Metrics` |
//! | `policyPreset(name, overrides?)` | `Policy` |
//! | `compliance(doc, policy, window, options?)` | `ComplianceReport` |
//! | `stationPresence(doc, teamId, window, rule?)` | `PresenceReport` |
//! | `dueList(doc, cadreId, today, options?)` | `DueList` |
//! | `new DuePlanner(doc)`, `.dueList(cadreId, today, options?)` | `DueList` |
//! | `planner.plan(cadreId, today, options?)` | `DuePlan`: the same list kept in wasm, read in parts |
//! | `new Dataset(doc)`: `.validate`, `.statusAt`, `.coverage`, `.complianceSummary`, `.compliance`, `.stationPresence`, `.dueList`, `.requestSignals`, `.cadres()` | the free functions' answers, the document read once |
//! | `version()` | the package version |
//!
//! `doc` is a `minqing/1` JSON document, as an object or as JSON text.
//! Input the binding cannot use is thrown as a `MinqingError` (an `Error`
//! subclass with `code` and `problems`), never as a string.
//!
//! Each function is a thin wrapper over the same function of [`calls`],
//! which takes JSON text and runs natively too.
#![warn(missing_docs)]

pub mod cadence;
pub mod calls;
mod declarations;
pub mod document;
pub mod plan;
pub mod planning;
pub mod requests;

use crate::document::Doc;
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

/// A large core answer (a due list, a compliance report: thousands of
/// records) as a plain JavaScript value, through JSON text and
/// `JSON.parse`: one crossing of the boundary instead of one per field,
/// and the same value as [`to_js`] gives (objects, `null` for `None`).
fn to_js_by_json<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// [`answer`] for large answers ([`to_js_by_json`]).
fn answer_by_json<T: Serialize>(result: Result<T, Report>) -> Result<JsValue, JsValue> {
    match result {
        Ok(value) => to_js_by_json(&value),
        Err(report) => Err(throw(report.problems)),
    }
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

/// An optional object argument as JSON text; `undefined` and `null` are
/// `None`.
fn opt_json(value: Option<JsValue>, arg: &str) -> Result<Option<String>, JsValue> {
    match value.filter(|v| !v.is_undefined() && !v.is_null()) {
        None => Ok(None),
        Some(v) => json_text(&v, arg).map(Some),
    }
}

/// A core answer as a JavaScript value, or its problems thrown.
fn answer<T: Serialize>(result: Result<T, Report>) -> Result<JsValue, JsValue> {
    match result {
        Ok(value) => to_js(&value),
        Err(report) => Err(throw(report.problems)),
    }
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
    validate_dataset_in(Doc::Text(&doc), today, options)
}

fn validate_dataset_in(
    doc: Doc<'_>,
    today: JsValue,
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
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
    problems_to_js(calls::validate_dataset(doc, &today, min_station_members))
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

/// A data set read and indexed once for validating new households and
/// visits as a form is typed: `new Validator(doc)`, then
/// `validator.visit(visit, today)` or `validator.household(household,
/// today)` on every keystroke; the same problems as `validateVisit` and
/// `validateHousehold`, without reading the whole data set again.
#[wasm_bindgen]
pub struct Validator {
    inner: calls::Checker,
}

#[wasm_bindgen]
impl Validator {
    /// Reads and indexes the document.
    ///
    /// # Errors
    /// A `MinqingError` with a `json.*` code.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    ) -> Result<Validator, JsValue> {
        let doc = json_text(&doc, "doc")?;
        match calls::Checker::new(&doc) {
            Ok(inner) => Ok(Validator { inner }),
            Err(report) => Err(throw(report.problems)),
        }
    }

    /// `validator.household(household, today)`: as `validateHousehold`.
    ///
    /// # Errors
    /// A `MinqingError` with code `field.bad_date`.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    pub fn household(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Household | string")] household: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
    ) -> Result<JsValue, JsValue> {
        let household = json_text(&household, "household")?;
        let today = string_arg(&today, "today", Code::FieldBadDate)?;
        problems_to_js(self.inner.household(&household, &today))
    }

    /// `validator.visit(visit, today)`: as `validateVisit`.
    ///
    /// # Errors
    /// A `MinqingError` with code `field.bad_date`.
    #[wasm_bindgen(unchecked_return_type = "Problem[]")]
    pub fn visit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Visit | string")] visit: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
    ) -> Result<JsValue, JsValue> {
        let visit = json_text(&visit, "visit")?;
        let today = string_arg(&today, "today", Code::FieldBadDate)?;
        problems_to_js(self.inner.visit(&visit, &today))
    }
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
    status_at_in(Doc::Text(&doc), cadre_id, at)
}

fn status_at_in(doc: Doc<'_>, cadre_id: JsValue, at: JsValue) -> Result<JsValue, JsValue> {
    let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
    let at = string_arg(&at, "at", Code::FieldBadDatetime)?;
    match calls::status_at(doc, &cadre_id, &at) {
        Ok(status) => to_js(&status),
        Err(report) => Err(throw(report.problems)),
    }
}

/// `validateRequestIntake(intake, doc, today)`: the field-level problems a
/// new request (its ID, when, and its `raised` event's fields) would have
/// if added to the data set: the core's refusal of the event, else the
/// data set's problems located at it.
///
/// # Errors
/// As [`validate_household`].
#[wasm_bindgen(js_name = validateRequestIntake, unchecked_return_type = "Problem[]")]
pub fn validate_request_intake(
    #[wasm_bindgen(unchecked_param_type = "RequestIntake | string")] intake: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
) -> Result<JsValue, JsValue> {
    let intake = json_text(&intake, "intake")?;
    let doc = json_text(&doc, "doc")?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    problems_to_js(requests::validate_request_intake(&intake, &doc, &today))
}

/// `coverage(doc, on, options?)`: who covers which household on `on`,
/// cadres' loads and contact-household quotas, with their problems
/// (`minqing::assign::check_coverage`).
///
/// # Errors
/// A `MinqingError` when the document or the options cannot be read
/// (`json.*`) or `on` is not a date (`field.bad_date`).
#[wasm_bindgen(js_name = coverage, unchecked_return_type = "CoverageReport")]
pub fn coverage(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CoverageOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    coverage_in(Doc::Text(&doc), on, options)
}

fn coverage_in(doc: Doc<'_>, on: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let on = string_arg(&on, "on", Code::FieldBadDate)?;
    let options = opt_json(options, "options")?;
    answer(planning::coverage(doc, &on, options.as_deref()))
}

/// `complianceSummary(doc, scope, start, end)`: compliance with the
/// four-fixed-three-arrivals preset (四定三到) from `start` to `end`, both
/// inclusive, of a cadre (`{ cadreId }`), a village (`{ villageId }`) or
/// the whole data set (`{}`).
///
/// # Errors
/// A `MinqingError`: `json.*` for a document or scope that cannot be read,
/// `field.bad_date`, `window.reversed` when `end` is before `start`,
/// `field.bad_id` for a cadre or village the data set does not have,
/// `field.bad_value` for a scope naming both.
#[wasm_bindgen(js_name = complianceSummary, unchecked_return_type = "ComplianceSummary")]
pub fn compliance_summary(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ComplianceScope")] scope: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] start: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] end: JsValue,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    compliance_summary_in(Doc::Text(&doc), scope, start, end)
}

fn compliance_summary_in(
    doc: Doc<'_>,
    scope: JsValue,
    start: JsValue,
    end: JsValue,
) -> Result<JsValue, JsValue> {
    let scope = opt_json(Some(scope), "scope")?;
    let start = string_arg(&start, "start", Code::FieldBadDate)?;
    let end = string_arg(&end, "end", Code::FieldBadDate)?;
    answer(planning::compliance_summary(
        doc,
        scope.as_deref(),
        &start,
        &end,
    ))
}

/// `requestSignals(doc, cadreId, now)`: the request signal light (green,
/// yellow, red, with reasons) of each household on the cadre's due list of
/// that day (the due list's coverage rule: on a handover day, the new
/// cadre's), from the document's `cases`, in household-ID order.
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_id` (a cadre the data set does
/// not have), `field.bad_datetime`.
#[wasm_bindgen(js_name = requestSignals, unchecked_return_type = "RequestSignal[]")]
pub fn request_signals(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] now: JsValue,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    request_signals_in(Doc::Text(&doc), cadre_id, now)
}

fn request_signals_in(doc: Doc<'_>, cadre_id: JsValue, now: JsValue) -> Result<JsValue, JsValue> {
    let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
    let now = string_arg(&now, "now", Code::FieldBadDatetime)?;
    answer(planning::request_signals(doc, &cadre_id, &now))
}

/// `newRequestLog(requestId)`: an empty request log, to append the
/// `raised` event to.
///
/// # Errors
/// A `MinqingError` with code `field.bad_id`.
#[wasm_bindgen(js_name = newRequestLog, unchecked_return_type = "RequestLog")]
pub fn new_request_log(
    #[wasm_bindgen(js_name = requestId, unchecked_param_type = "string")] request_id: JsValue,
) -> Result<JsValue, JsValue> {
    let id = string_arg(&request_id, "requestId", Code::FieldBadId)?;
    answer(requests::new_request_log(&id))
}

/// `applyRequestEvent(log, at, event)`: `{ log, state }`, the log with the
/// event appended (hash-chained) and the state it folds to. The given log
/// is never modified.
///
/// # Errors
/// A `MinqingError` with the core's code when the event does not fit
/// (`request.bad_transition`, `request.closed`, `request.out_of_order`,
/// `request.bad_deadline`, ...); `json.*` for a log or event that cannot
/// be read; `field.bad_datetime`.
#[wasm_bindgen(js_name = applyRequestEvent, unchecked_return_type = "AppliedEvent")]
pub fn apply_request_event(
    #[wasm_bindgen(unchecked_param_type = "RequestLog | string")] log: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] at: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestEvent | string")] event: JsValue,
) -> Result<JsValue, JsValue> {
    let log = json_text(&log, "log")?;
    let at = string_arg(&at, "at", Code::FieldBadDatetime)?;
    let event = json_text(&event, "event")?;
    answer(requests::apply_request_event(&log, &at, &event))
}

/// `requestState(log)`: the fold of the log's events.
///
/// # Errors
/// A `MinqingError`: `request.not_raised` for an empty log, the core's
/// code for a log that does not fold, `json.*`.
#[wasm_bindgen(js_name = requestState, unchecked_return_type = "RequestState")]
pub fn request_state(
    #[wasm_bindgen(unchecked_param_type = "RequestLog | string")] log: JsValue,
) -> Result<JsValue, JsValue> {
    let log = json_text(&log, "log")?;
    answer(requests::request_state(&log))
}

/// `verifyRequestLog(log)`: `null` when the hash chain holds, else where
/// and how it breaks.
///
/// # Errors
/// A `MinqingError` with a `json.*` code for a log that cannot be read.
#[wasm_bindgen(js_name = verifyRequestLog, unchecked_return_type = "ChainBreak | null")]
pub fn verify_request_log(
    #[wasm_bindgen(unchecked_param_type = "RequestLog | string")] log: JsValue,
) -> Result<JsValue, JsValue> {
    let log = json_text(&log, "log")?;
    answer(requests::verify_request_log(&log))
}

/// `escalationsDue(log, now, options?)`: the events a supervisor would
/// append at `now` (seed 002's ladder); append them with
/// `applyRequestEvent(log, due.at, due.event)`.
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_datetime`.
#[wasm_bindgen(js_name = escalationsDue, unchecked_return_type = "DueEvent[]")]
pub fn escalations_due(
    #[wasm_bindgen(unchecked_param_type = "RequestLog | string")] log: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] now: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CaseOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let log = json_text(&log, "log")?;
    let now = string_arg(&now, "now", Code::FieldBadDatetime)?;
    let options = opt_json(options, "options")?;
    answer(requests::escalations_due(&log, &now, options.as_deref()))
}

/// `meetingsDue(logs, today, options?)`: the next meetings and their
/// agendas, and what is overdue (seed 002's cycle).
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_date`.
#[wasm_bindgen(js_name = meetingsDue, unchecked_return_type = "MeetingsDue")]
pub fn meetings_due(
    #[wasm_bindgen(unchecked_param_type = "RequestLog[] | string")] logs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CaseOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let logs = json_text(&logs, "logs")?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    let options = opt_json(options, "options")?;
    answer(requests::meetings_due(&logs, &today, options.as_deref()))
}

/// `requestMetrics(logs, now, query?)`: resolution, on-time, mediation,
/// adoption and satisfaction rates and the rest, folded as of `now`.
///
/// # Errors
/// A `MinqingError`: `json.*` (an unknown query field included),
/// `field.bad_datetime`.
#[wasm_bindgen(js_name = requestMetrics, unchecked_return_type = "Metrics")]
pub fn request_metrics(
    #[wasm_bindgen(unchecked_param_type = "RequestLog[] | string")] logs: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] now: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MetricsQuery")] query: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let logs = json_text(&logs, "logs")?;
    let now = string_arg(&now, "now", Code::FieldBadDatetime)?;
    let query = opt_json(query, "query")?;
    answer(requests::request_metrics(&logs, &now, query.as_deref()))
}

/// `policyPreset(name, overrides?)`: a ready-made policy (`four_fixed_three_arrivals`,
/// `contact_households`, `grid_one_plus_x`, `visit_all_rounds`) as a plain
/// `Policy` object the caller may change and pass to `compliance` or
/// `dueList`; `overrides` replaces fields of the preset's parameters
/// (`{ hospitalisation_within_days: 5 }`) before the policy is made.
///
/// # Errors
/// A `MinqingError`: `field.bad_value` (unknown preset), `json.*`
/// (overrides the preset does not have, or of the wrong type).
#[wasm_bindgen(js_name = policyPreset, unchecked_return_type = "Policy")]
pub fn policy_preset(
    #[wasm_bindgen(unchecked_param_type = "PresetName")] name: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PresetOverrides")] overrides: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let name = string_arg(&name, "name", Code::FieldBadValue)?;
    let overrides = match opt_json(overrides, "overrides")? {
        None => None,
        Some(t) => Some(
            document::read_record::<serde_json::Value>(&t, "overrides")
                .map_err(|r| throw(r.problems))?,
        ),
    };
    answer(cadence::policy_preset(&name, overrides.as_ref()))
}

/// `compliance(doc, policy, window, options?)`: the data set's compliance
/// with `policy` (a preset name, `{ preset, overrides }` or a `Policy`)
/// over `window` (`{ start, end }`, inclusive): per rule, village,
/// household-period, event, round and cadre.
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_date`, `window.reversed`,
/// `field.bad_value` (an unknown preset), `compliance.*` (a policy the core
/// cannot run).
#[wasm_bindgen(js_name = compliance, unchecked_return_type = "ComplianceReport")]
pub fn compliance(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateWindow")] window: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ComplianceOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    compliance_in(Doc::Text(&doc), policy, window, options)
}

fn compliance_in(
    doc: Doc<'_>,
    policy: JsValue,
    window: JsValue,
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let policy = json_text(&policy, "policy")?;
    let window = json_text(&window, "window")?;
    let options = opt_json(options, "options")?;
    answer(cadence::compliance(
        doc,
        &policy,
        &window,
        options.as_deref(),
    ))
}

/// `stationPresence(doc, teamId, window, rule?)`: the days of presence of a
/// work station (驻村工作站) and whether its weeks, years and station days
/// (逢五) were met, under the seed's presence rule with `rule`'s fields put
/// over it.
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_date`, `field.bad_id`.
#[wasm_bindgen(js_name = stationPresence, unchecked_return_type = "PresenceReport")]
pub fn station_presence(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(js_name = teamId, unchecked_param_type = "string")] team_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateWindow")] window: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Partial<PresenceRule>")] rule: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    station_presence_in(Doc::Text(&doc), team_id, window, rule)
}

fn station_presence_in(
    doc: Doc<'_>,
    team_id: JsValue,
    window: JsValue,
    rule: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let team_id = string_arg(&team_id, "teamId", Code::FieldBadId)?;
    let window = json_text(&window, "window")?;
    let rule = opt_json(rule, "rule")?;
    answer(cadence::station_presence(
        doc,
        &team_id,
        &window,
        rule.as_deref(),
    ))
}

/// `dueList(doc, cadreId, today, options?)`: the cadre's due list on
/// `today`: every household they cover, what it still needs and by when,
/// and its signal light (red, yellow, green) with bilingual reasons.
///
/// # Errors
/// A `MinqingError`: `json.*`, `field.bad_date`, `field.bad_id` (a cadre
/// the data set does not have), `field.bad_value` (an unknown preset).
#[wasm_bindgen(js_name = dueList, unchecked_return_type = "DueList")]
pub fn due_list(
    #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DueOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let doc = json_text(&doc, "doc")?;
    let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    let options = opt_json(options, "options")?;
    answer_by_json(cadence::due_list(
        &doc,
        &cadre_id,
        &today,
        options.as_deref(),
    ))
}

/// The document read once, for `Dataset` and `DuePlanner`.
fn read_planner(doc: &JsValue) -> Result<cadence::Planner, JsValue> {
    let doc = json_text(doc, "doc")?;
    cadence::Planner::new(&doc).map_err(|report| throw(report.problems))
}

/// `dueList` on a data set read once: the method of `Dataset` and of
/// `DuePlanner`.
fn planner_due_list(
    planner: &cadence::Planner,
    cadre_id: JsValue,
    today: JsValue,
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
    let today = string_arg(&today, "today", Code::FieldBadDate)?;
    let options = opt_json(options, "options")?;
    answer_by_json(planner.due_list(&cadre_id, &today, options.as_deref()))
}

/// A data set read once (`new Dataset(doc)`): every call on it uses the
/// same parsed, checked document instead of reading the township again, and
/// answers exactly as the free function of the same name given that
/// document (the free functions are conveniences over the same code).
///
/// ```js
/// const ds = new Dataset(doc);
/// const problems = ds.validate("2024-06-30");
/// const list = ds.dueList("C1", "2024-06-13");
/// const report = ds.compliance("four_fixed_three_arrivals", { start: "2024-01-01", end: "2024-06-30" });
/// ds.free(); // when done
/// ```
#[wasm_bindgen(js_name = Dataset)]
pub struct JsDataset {
    inner: cadence::Planner,
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Reads the document (a `minqing/1` object or its JSON text).
    ///
    /// # Errors
    /// A `MinqingError` with a `json.*` code.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    ) -> Result<JsDataset, JsValue> {
        read_planner(&doc).map(|inner| JsDataset { inner })
    }

    /// `ds.validate(today, options?)`: as `validateDataset`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = validate, unchecked_return_type = "Problem[]")]
    pub fn validate_dataset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        validate_dataset_in(Doc::Read(self.inner.dataset()), today, options)
    }

    /// `ds.statusAt(cadreId, at)`: as `statusAt`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = statusAt, unchecked_return_type = "DutyStatus | null")]
    pub fn status_at(
        &self,
        #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] at: JsValue,
    ) -> Result<JsValue, JsValue> {
        status_at_in(Doc::Read(self.inner.dataset()), cadre_id, at)
    }

    /// `ds.coverage(on, options?)`: as `coverage`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = coverage, unchecked_return_type = "CoverageReport")]
    pub fn coverage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] on: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CoverageOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        coverage_in(Doc::Read(self.inner.dataset()), on, options)
    }

    /// `ds.complianceSummary(scope, start, end)`: as `complianceSummary`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = complianceSummary, unchecked_return_type = "ComplianceSummary")]
    pub fn compliance_summary(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ComplianceScope")] scope: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] start: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] end: JsValue,
    ) -> Result<JsValue, JsValue> {
        compliance_summary_in(Doc::Read(self.inner.dataset()), scope, start, end)
    }

    /// `ds.requestSignals(cadreId, now)`: as `requestSignals`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = requestSignals, unchecked_return_type = "RequestSignal[]")]
    pub fn request_signals(
        &self,
        #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDateTime")] now: JsValue,
    ) -> Result<JsValue, JsValue> {
        request_signals_in(Doc::Read(self.inner.dataset()), cadre_id, now)
    }

    /// `ds.compliance(policy, window, options?)`: as `compliance`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = compliance, unchecked_return_type = "ComplianceReport")]
    pub fn compliance(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyInput")] policy: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DateWindow")] window: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ComplianceOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        compliance_in(Doc::Read(self.inner.dataset()), policy, window, options)
    }

    /// `ds.stationPresence(teamId, window, rule?)`: as `stationPresence`.
    ///
    /// # Errors
    /// As the free function, less the document's own errors.
    #[wasm_bindgen(js_name = stationPresence, unchecked_return_type = "PresenceReport")]
    pub fn station_presence(
        &self,
        #[wasm_bindgen(js_name = teamId, unchecked_param_type = "string")] team_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DateWindow")] window: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Partial<PresenceRule>")] rule: Option<
            JsValue,
        >,
    ) -> Result<JsValue, JsValue> {
        station_presence_in(Doc::Read(self.inner.dataset()), team_id, window, rule)
    }

    /// `ds.dueList(cadreId, today, options?)`: as `dueList`.
    ///
    /// # Errors
    /// As `dueList`, less the document's own errors.
    #[wasm_bindgen(js_name = dueList, unchecked_return_type = "DueList")]
    pub fn due_list(
        &self,
        #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DueOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        planner_due_list(&self.inner, cadre_id, today, options)
    }

    /// The IDs of the data set's cadres, sorted.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn cadres(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.cadres())
    }
}

/// A data set read once for many due lists: `new DuePlanner(doc)`, then
/// `planner.dueList(cadreId, today, options?)` as often as needed (the
/// document is parsed and checked once, not on every call).
#[wasm_bindgen]
pub struct DuePlanner {
    inner: cadence::Planner,
}

#[wasm_bindgen]
impl DuePlanner {
    /// Reads the document.
    ///
    /// # Errors
    /// A `MinqingError` with a `json.*` code.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "DocumentInput")] doc: JsValue,
    ) -> Result<DuePlanner, JsValue> {
        read_planner(&doc).map(|inner| DuePlanner { inner })
    }

    /// `planner.dueList(cadreId, today, options?)`: as `dueList`.
    ///
    /// # Errors
    /// As `dueList`.
    #[wasm_bindgen(js_name = dueList, unchecked_return_type = "DueList")]
    pub fn due_list(
        &self,
        #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DueOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        planner_due_list(&self.inner, cadre_id, today, options)
    }

    /// `planner.plan(cadreId, today, options?)`: the same list as
    /// `dueList`, kept in WebAssembly as a `DuePlan` to be read in parts
    /// (counts, a page of households, one household's items) instead of
    /// handed over whole. Free it (`plan.free()`) when done.
    ///
    /// # Errors
    /// As `dueList`.
    pub fn plan(
        &self,
        #[wasm_bindgen(js_name = cadreId, unchecked_param_type = "string")] cadre_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DueOptions")] options: Option<JsValue>,
    ) -> Result<DuePlan, JsValue> {
        let cadre_id = string_arg(&cadre_id, "cadreId", Code::FieldBadId)?;
        let today = string_arg(&today, "today", Code::FieldBadDate)?;
        let options = opt_json(options, "options")?;
        match self.inner.plan(&cadre_id, &today, options.as_deref()) {
            Ok(inner) => Ok(DuePlan { inner }),
            Err(report) => Err(throw(report.problems)),
        }
    }

    /// The IDs of the data set's cadres, sorted.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn cadres(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.cadres())
    }
}

/// An optional slice bound (`offset`, `limit`): `undefined` and `null` are
/// `None`; anything but a number is a `field.bad_value` error (the number
/// itself is checked by [`plan::slice_range`]).
fn bound_arg(value: Option<JsValue>, arg: &str) -> Result<Option<f64>, JsValue> {
    match value.filter(|v| !v.is_undefined() && !v.is_null()) {
        None => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| {
            throw(vec![Problem::new(
                Code::FieldBadValue,
                Location::default().with_field(arg),
                format!("{arg} 应为数字"),
                format!("{arg} must be a number"),
            )])
        }),
    }
}

/// A cadre's due list kept in WebAssembly (`planner.plan(...)`): read only
/// what is shown. Records have exactly the shapes they have in the
/// `DueList` (`toJSON()` is that list, equal to `dueList`'s answer).
/// Slices are in list order; an offset or limit past the end gives a
/// shorter or empty array, one that is not a whole number of at least 0
/// throws a `MinqingError` with code `field.bad_value`.
#[wasm_bindgen]
pub struct DuePlan {
    inner: plan::Plan,
}

#[wasm_bindgen]
impl DuePlan {
    /// Households by light: `{ red, yellow, green }`.
    #[wasm_bindgen(unchecked_return_type = "DueCounts")]
    pub fn counts(&self) -> Result<JsValue, JsValue> {
        to_js_by_json(&self.inner.counts())
    }

    /// How many households the list has.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> u32 {
        self.inner.len() as u32
    }

    /// How many items the list has.
    #[wasm_bindgen(getter = itemCount)]
    pub fn item_count(&self) -> u32 {
        self.inner.item_count() as u32
    }

    /// `households(offset?, limit?)`: households `offset` (default 0) to
    /// `offset + limit` (default: to the end), red, yellow, green, then by
    /// earliest deadline, then by ID.
    ///
    /// # Errors
    /// `field.bad_value`: a bound that is not a whole number of at least 0.
    #[wasm_bindgen(unchecked_return_type = "HouseholdSignal[]")]
    pub fn households(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] offset: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (offset, limit) = (bound_arg(offset, "offset")?, bound_arg(limit, "limit")?);
        answer_by_json(self.inner.households(offset, limit))
    }

    /// `items(offset?, limit?)`: items `offset` to `offset + limit`,
    /// overdue first, then by deadline, household ID, source, rule.
    ///
    /// # Errors
    /// As `households`.
    #[wasm_bindgen(unchecked_return_type = "DueItem[]")]
    pub fn items(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] offset: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (offset, limit) = (bound_arg(offset, "offset")?, bound_arg(limit, "limit")?);
        answer_by_json(self.inner.items(offset, limit))
    }

    /// `itemsOf(householdId)`: the household's items in list order; `[]`
    /// for a household not on the list.
    ///
    /// # Errors
    /// `field.bad_id`: the ID is not a string.
    #[wasm_bindgen(js_name = itemsOf, unchecked_return_type = "DueItem[]")]
    pub fn items_of(
        &self,
        #[wasm_bindgen(js_name = householdId, unchecked_param_type = "string")]
        household_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = string_arg(&household_id, "householdId", Code::FieldBadId)?;
        match plan::household_id(&id) {
            Some(id) => to_js_by_json(&self.inner.items_of(&id)),
            None => Ok(js_sys::Array::new().into()),
        }
    }

    /// `household(householdId)`: the household's signal, or `undefined`
    /// for a household not on the list.
    ///
    /// # Errors
    /// `field.bad_id`: the ID is not a string.
    #[wasm_bindgen(unchecked_return_type = "HouseholdSignal | undefined")]
    pub fn household(
        &self,
        #[wasm_bindgen(js_name = householdId, unchecked_param_type = "string")]
        household_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = string_arg(&household_id, "householdId", Code::FieldBadId)?;
        match plan::household_id(&id)
            .as_ref()
            .and_then(|id| self.inner.household(id))
        {
            Some(h) => to_js_by_json(h),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The station presence of the cadre's teams (`[]` unless the options
    /// asked for `presence`).
    #[wasm_bindgen(unchecked_return_type = "PresenceDue[]")]
    pub fn presence(&self) -> Result<JsValue, JsValue> {
        to_js_by_json(self.inner.presence())
    }

    /// The policy's name and rules, as the `DueList` has them.
    #[wasm_bindgen(unchecked_return_type = "DueRules")]
    pub fn rules(&self) -> Result<JsValue, JsValue> {
        to_js_by_json(&self.inner.rules())
    }

    /// The whole `DueList`, as `dueList` returns it (and what
    /// `JSON.stringify(plan)` writes).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "DueList")]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js_by_json(self.inner.list())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_is_the_workspace_version() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
