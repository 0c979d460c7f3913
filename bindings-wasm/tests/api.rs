//! The JavaScript side of the binding, in WebAssembly (Node): errors are
//! `MinqingError`s with `code` and `problems`; record validation returns
//! plain objects located at fields.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const DOC: &str = r#"{
    "schema": "minqing/1",
    "units": [{"unit_id": "T", "kind": "township"},
              {"unit_id": "V1", "kind": "village", "parent_id": "T"}],
    "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
    "cadres": [{"cadre_id": "A", "name": "李某某"}],
    "duty": [{"cadre_id": "A", "status": "in_field", "from": "2024-05-06T12:00:00"}]
}"#;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("an object")
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("JSON")
}

fn str_of(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// The error `f` throws: a MinqingError (an Error, named so) with `code`
/// and its first problem carrying the same code.
fn assert_throws(result: Result<JsValue, JsValue>, code: &str) -> JsValue {
    let e = result.expect_err("throws");
    assert!(e.is_instance_of::<js_sys::Error>(), "an Error");
    let e_err: &js_sys::Error = e.unchecked_ref();
    assert_eq!(String::from(e_err.name()), "MinqingError");
    assert!(!String::from(e_err.message()).is_empty());
    assert_eq!(str_of(&e, "code").as_deref(), Some(code));
    let problems = Array::from(&get(&e, "problems"));
    assert!(problems.length() >= 1);
    assert_eq!(str_of(&problems.get(0), "code").as_deref(), Some(code));
    let message = get(&problems.get(0), "message");
    assert!(str_of(&message, "zh").is_some_and(|s| !s.is_empty()));
    assert!(str_of(&message, "en").is_some_and(|s| !s.is_empty()));
    e
}

#[wasm_bindgen_test]
fn unreadable_documents_throw_minqing_errors() {
    let today = || JsValue::from_str("2024-06-30");
    let e = assert_throws(
        minqing_wasm::validate_dataset("{\n oops".into(), today(), None),
        "json.syntax",
    );
    let first = Array::from(&get(&e, "problems")).get(0);
    assert_eq!(get(&get(&first, "location"), "line").as_f64(), Some(2.0));
    assert_throws(
        minqing_wasm::validate_dataset(obj(r#"{"units": []}"#), today(), None),
        "json.schema",
    );
    assert_throws(
        minqing_wasm::validate_dataset(
            obj(r#"{"schema": "minqing/1", "units": 3}"#),
            today(),
            None,
        ),
        "json.shape",
    );
    assert_throws(
        minqing_wasm::validate_dataset(JsValue::from_f64(3.0), today(), None),
        "json.shape",
    );
    assert_throws(
        minqing_wasm::validate_dataset(DOC.into(), "30/06/2024".into(), None),
        "field.bad_date",
    );
    assert_throws(
        minqing_wasm::status_at(DOC.into(), "".into(), "2024-05-06T13:00:00".into()),
        "field.bad_id",
    );
    assert_throws(
        minqing_wasm::status_at(DOC.into(), "A".into(), JsValue::NULL),
        "field.bad_datetime",
    );
}

#[wasm_bindgen_test]
fn records_are_validated_against_the_data_set() {
    let today = || JsValue::from_str("2024-06-30");
    let ok = minqing_wasm::validate_household(
        obj(r#"{"household_id": "H2", "village_id": "V1", "residency": "away"}"#),
        obj(DOC),
        today(),
    )
    .unwrap();
    assert_eq!(Array::from(&ok).length(), 0);

    let bad = minqing_wasm::validate_visit(
        obj(r#"{"household_id": "H9", "cadre_id": "A", "at": "2024-05-06T09:00:00", "mode": "phone"}"#),
        DOC.into(),
        today(),
    )
    .unwrap();
    let bad = Array::from(&bad);
    assert_eq!(bad.length(), 1);
    let p = bad.get(0);
    assert_eq!(
        str_of(&p, "code").as_deref(),
        Some("visit.unknown_household")
    );
    assert_eq!(str_of(&p, "severity").as_deref(), Some("error"));
    assert_eq!(
        str_of(&get(&p, "location"), "field").as_deref(),
        Some("household_id")
    );
    // absent location fields are absent, not null
    assert!(get(&get(&p, "location"), "line").is_undefined());
}

#[wasm_bindgen_test]
fn status_is_a_word_or_null() {
    let at = |t: &str| minqing_wasm::status_at(obj(DOC), "A".into(), t.into()).unwrap();
    assert_eq!(
        at("2024-05-06T13:00:00").as_string().as_deref(),
        Some("in_field")
    );
    assert!(at("2024-05-06T11:00:00").is_null());
    assert_eq!(minqing_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn a_refused_event_throws_its_code_and_leaves_the_log() {
    let log = minqing_wasm::new_request_log("R1".into()).unwrap();
    let raised = obj(r#"{"type": "raised", "household_id": "H1", "cadre_id": "A",
        "category": "dispute", "channel": "walk_in", "summary": "boundary"}"#);
    let applied =
        minqing_wasm::apply_request_event(log.clone(), "2024-05-06T09:00:00".into(), raised)
            .unwrap();
    let log = get(&applied, "log");
    let before = String::from(JSON::stringify(&log).unwrap());
    assert_eq!(
        str_of(&get(&applied, "state"), "stage").as_deref(),
        Some("raised")
    );
    let e = assert_throws(
        minqing_wasm::apply_request_event(
            log.clone(),
            "2024-05-06T10:00:00".into(),
            obj(r#"{"type": "closed"}"#),
        ),
        "request.bad_transition",
    );
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(String::from(JSON::stringify(&log).unwrap()), before);
    assert_throws(
        minqing_wasm::apply_request_event(
            log.clone(),
            "2024-05-06T08:00:00".into(),
            obj(r#"{"type": "triaged", "track": "mediation"}"#),
        ),
        "request.out_of_order",
    );
    // (an internally tagged event is read whole: serde gives no path)
    assert_throws(
        minqing_wasm::apply_request_event(
            log.clone(),
            "2024-05-06T10:00:00".into(),
            obj(r#"{"type": "triaged", "track": "nowhere"}"#),
        ),
        "json.shape",
    );
    assert!(minqing_wasm::verify_request_log(log).unwrap().is_null());
}

#[wasm_bindgen_test]
fn policies_compliance_and_due_lists_throw_with_codes() {
    let window = || obj(r#"{"start": "2024-01-01", "end": "2024-03-31"}"#);
    // a preset as a plain Policy object, which compliance takes back
    let policy = minqing_wasm::policy_preset("contact_households".into(), None).expect("a preset");
    assert_eq!(
        str_of(&policy, "name").as_deref(),
        Some("contact_households")
    );
    assert!(Array::is_array(&get(&policy, "rules")));
    let r = minqing_wasm::compliance(DOC.into(), policy, window(), None).expect("a report");
    assert_eq!(
        str_of(&r, "policy_name").as_deref(),
        Some("contact_households")
    );
    assert_throws(
        minqing_wasm::policy_preset("weekly".into(), None),
        "field.bad_value",
    );
    assert_throws(
        minqing_wasm::policy_preset(
            "grid_one_plus_x".into(),
            Some(obj(r#"{"hospitalisation_days": 5}"#)),
        ),
        "json.shape",
    );
    assert_throws(
        minqing_wasm::compliance(
            DOC.into(),
            "four_fixed_three_arrivals".into(),
            obj(r#"{"start": "2024-03-31", "end": "2024-01-01"}"#),
            None,
        ),
        "window.reversed",
    );
    assert_throws(
        minqing_wasm::station_presence(DOC.into(), "WS9".into(), window(), None),
        "field.bad_id",
    );
    // due lists: a planner reads the document once
    let planner = minqing_wasm::DuePlanner::new(DOC.into()).expect("a planner");
    let list = planner
        .due_list("A".into(), "2024-06-30".into(), None)
        .expect("a list");
    assert_eq!(str_of(&list, "cadre_id").as_deref(), Some("A"));
    assert_throws(
        planner.due_list("Z".into(), "2024-06-30".into(), None),
        "field.bad_id",
    );
    assert_throws(
        planner.due_list("A".into(), "30/06/2024".into(), None),
        "field.bad_date",
    );
    assert_throws(
        planner.due_list(
            "A".into(),
            "2024-06-30".into(),
            Some(obj(r#"{"yellow_days": 1}"#)),
        ),
        "json.shape",
    );
    assert!(minqing_wasm::DuePlanner::new("{ oops".into()).is_err());
}

#[wasm_bindgen_test]
fn a_validator_answers_as_validate_visit_and_household() {
    let today = || JsValue::from_str("2024-06-30");
    let v = minqing_wasm::Validator::new(DOC.into()).expect("a validator");
    for visit in [
        r#"{"household_id": "H1", "cadre_id": "A", "at": "2024-06-03T09:00:00", "mode": "phone"}"#,
        r#"{"household_id": "H9", "cadre_id": "Z", "at": "2024-07-03T09:00:00", "mode": "phone"}"#,
        r#"{"household_id": "H1", "cadre_id": "A", "at": "later", "mode": "phone"}"#,
    ] {
        let a = v.visit(obj(visit), today()).expect("problems");
        let b = minqing_wasm::validate_visit(obj(visit), DOC.into(), today()).expect("problems");
        assert_eq!(
            JSON::stringify(&a).unwrap(),
            JSON::stringify(&b).unwrap(),
            "{visit}"
        );
    }
    let h = r#"{"household_id": "H1", "village_id": "T", "residency": "away"}"#;
    let a = v.household(obj(h), today()).expect("problems");
    let b = minqing_wasm::validate_household(obj(h), DOC.into(), today()).expect("problems");
    assert_eq!(JSON::stringify(&a).unwrap(), JSON::stringify(&b).unwrap());
    assert!(
        Array::from(&a).length() >= 2,
        "duplicate ID and not a village"
    );
    assert_throws(v.visit(obj(h), "June".into()), "field.bad_date");
}

#[wasm_bindgen_test]
fn a_plan_reads_the_due_list_in_parts() {
    let doc = r#"{"schema": "minqing/1",
        "units": [{"unit_id": "V1", "kind": "village"}],
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                       {"household_id": "H2", "village_id": "V1", "residency": "resident"},
                       {"household_id": "H3", "village_id": "V1", "residency": "resident"}],
        "cadres": [{"cadre_id": "A", "name": "李某某"}],
        "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H2", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H3", "cadre_id": "A", "from": "2024-01-01"}],
        "visits": [{"household_id": "H1", "cadre_id": "A", "at": "2024-03-02T09:00:00", "mode": "phone"}]}"#;
    let text = |v: &JsValue| String::from(JSON::stringify(v).unwrap());
    let planner = minqing_wasm::DuePlanner::new(doc.into()).expect("a planner");
    let today = || JsValue::from_str("2024-03-13");
    let list = planner.due_list("A".into(), today(), None).expect("a list");
    let plan = planner.plan("A".into(), today(), None).expect("a plan");
    assert_eq!(
        text(&plan.to_json().unwrap()),
        text(&list),
        "toJSON is dueList"
    );
    let households = Array::from(&get(&list, "households"));
    let items = Array::from(&get(&list, "items"));
    assert_eq!(plan.length(), households.length());
    assert_eq!(plan.item_count(), items.length());
    let n = |x: f64| Some(JsValue::from_f64(x));
    let page = plan.households(n(1.0), n(5.0)).unwrap();
    assert_eq!(text(&page), text(&households.slice(1, 6).into()));
    assert_eq!(
        text(&plan.households(None, None).unwrap()),
        text(&households.into())
    );
    assert_eq!(
        text(&plan.items(n(0.0), n(2.0)).unwrap()),
        text(&items.slice(0, 2).into())
    );
    assert_eq!(Array::from(&plan.items(n(99.0), None).unwrap()).length(), 0);
    let first = Array::from(&get(&list, "households")).get(0);
    let id = get(&first, "household_id");
    assert_eq!(text(&plan.household(id.clone()).unwrap()), text(&first));
    let mine: Array = items
        .iter()
        .filter(|i| get(i, "household_id") == id)
        .collect();
    assert_eq!(text(&plan.items_of(id).unwrap()), text(&mine.into()));
    assert!(plan.household("H9".into()).unwrap().is_undefined());
    assert_eq!(
        Array::from(&plan.items_of("H9".into()).unwrap()).length(),
        0
    );
    let counts = plan.counts().unwrap();
    let sum: f64 = ["red", "yellow", "green"]
        .iter()
        .map(|k| get(&counts, k).as_f64().unwrap())
        .sum();
    assert_eq!(sum, 3.0);
    let rules = plan.rules().unwrap();
    assert_eq!(text(&get(&rules, "rules")), text(&get(&list, "rules")));
    assert_eq!(Array::from(&plan.presence().unwrap()).length(), 0);
    // bad bounds and IDs throw with stable codes
    assert_throws(plan.households(n(-1.0), None), "field.bad_value");
    assert_throws(plan.households(None, n(1.5)), "field.bad_value");
    assert_throws(plan.items(Some("2".into()), None), "field.bad_value");
    assert_throws(plan.items_of(JsValue::from_f64(1.0)), "field.bad_id");
    assert_throws(
        planner.plan("Z".into(), today(), None).map(JsValue::from),
        "field.bad_id",
    );
    assert_throws(
        planner
            .plan("A".into(), "13/03/2024".into(), None)
            .map(JsValue::from),
        "field.bad_date",
    );
}
