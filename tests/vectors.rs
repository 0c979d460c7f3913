//! Replays every shared vector in `tests/vectors/` against the Rust core.
//! The Python and WebAssembly suites replay the same files.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use minqing::prelude::*;
use serde_json::{Value, json};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn load_vectors() -> Vec<(PathBuf, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable vector");
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, v)
        })
        .collect()
}

fn dataset(input: &Value) -> Dataset {
    let doc = &input["dataset"];
    assert_eq!(
        doc["schema"], "minqing/1",
        "vectors carry minqing/1 documents"
    );
    serde_json::from_value(doc.clone()).expect("vector data set parses")
}

fn date(v: &Value) -> NaiveDate {
    serde_json::from_value(v.clone()).expect("a date")
}

fn datetime(v: &Value) -> NaiveDateTime {
    serde_json::from_value(v.clone()).expect("a date-time")
}

/// Problems as the vectors hold them: code, severity and location; the
/// messages are checked to be there in both languages, not compared.
fn problems_json(report: &Report) -> Value {
    report
        .iter()
        .map(|p| {
            assert!(!p.message.zh.is_empty() && !p.message.en.is_empty(), "{p}");
            json!({"code": p.code, "severity": p.severity, "location": p.location})
        })
        .collect()
}

fn run(op: &str, input: &Value) -> Value {
    match op {
        "validate" => {
            let mut opts = ValidateOptions::new(date(&input["today"]));
            if let Some(n) = input
                .pointer("/options/min_station_members")
                .and_then(Value::as_u64)
            {
                opts = opts.min_station_members(n as usize);
            }
            let report = dataset(input).validate(&opts);
            json!({ "problems": problems_json(&report) })
        }
        "status_at" => {
            let ds = dataset(input);
            let cadre: CadreId =
                serde_json::from_value(input["cadre_id"].clone()).expect("cadre id");
            let status = minqing::cadre::status_at(&ds.duty, &cadre, datetime(&input["at"]));
            json!({ "status": status })
        }
        "coverage" => {
            let mut opts = minqing::assign::CoverageOptions::default();
            if let (Some(min), Some(max)) = (
                input.pointer("/options/load_min").and_then(Value::as_u64),
                input.pointer("/options/load_max").and_then(Value::as_u64),
            ) {
                opts = opts.load(LoadBounds::new(min as u32, max as u32));
            }
            let report =
                minqing::assign::check_coverage(&dataset(input), date(&input["on"]), &opts);
            let mut out = serde_json::to_value(&report).expect("report serialises");
            out["problems"] = problems_json(&report.problems);
            out
        }
        "request_fold" => {
            let (log, results) = request_log(input);
            let state = log.state().expect("the first event is accepted");
            json!({
                "results": results,
                "state": {
                    "stage": state.stage,
                    "track": state.track,
                    "level": state.level,
                    "deadline": state.deadline,
                    "handler": state.handler,
                    "outcome": state.outcome,
                    "explained": state.explained,
                    "feedback": state.feedback,
                    "closed_at": state.closed_at,
                },
                "verifies": log.verify().is_ok(),
            })
        }
        "escalations_due" => {
            let (log, results) = request_log(input);
            assert!(results.iter().all(|r| r == "ok"), "{results:?}");
            let due =
                minqing::case::escalations_due(&log, &case_policy(input), datetime(&input["now"]));
            let events: Vec<Value> = due
                .iter()
                .map(|d| {
                    assert_eq!(d.at, datetime(&input["now"]));
                    json!(d.event)
                })
                .collect();
            json!({ "due": events })
        }
        "meetings_due" => {
            let logs: Vec<RequestLog> = input["logs"]
                .as_array()
                .expect("logs")
                .iter()
                .map(|l| {
                    let (log, results) = request_log(l);
                    assert!(results.iter().all(|r| r == "ok"), "{results:?}");
                    log
                })
                .collect();
            let m = minqing::case::meetings_due(&logs, &case_policy(input), date(&input["today"]));
            json!(m)
        }
        "compliance" => compliance_vector(input),
        "request_signals" => {
            let cadre: CadreId =
                serde_json::from_value(input["cadre_id"].clone()).expect("cadre id");
            let signals = minqing::due::request_signals(
                &dataset(input),
                &cadre,
                datetime(&input["now"]),
                &minqing::case::CasePolicy::default(),
            )
            .expect("a cadre of the data set");
            let signals: Vec<Value> = signals
                .iter()
                .map(|s| {
                    for r in &s.reasons {
                        assert!(!r.message.zh.is_empty() && !r.message.en.is_empty());
                    }
                    json!({"household_id": s.household_id, "light": s.light,
                           "reasons": s.reasons.iter().map(|r| json!(r.kind)).collect::<Vec<_>>()})
                })
                .collect();
            json!({ "signals": signals })
        }
        "station_presence" => presence_vector(input),
        "due_list" => {
            let mut opts = minqing::due::DueOptions::new();
            if let Some(n) = input
                .pointer("/options/yellow_days")
                .and_then(Value::as_u64)
            {
                opts = opts.yellow_days(n as u32);
            }
            if let Some(n) = input
                .pointer("/options/event_lookback_days")
                .and_then(Value::as_u64)
            {
                opts = opts.event_lookback_days(n as u32);
            }
            match input.pointer("/options/policy") {
                Some(Value::String(name)) => {
                    opts = opts.policy(
                        minqing::cadence::presets::by_name(name, &[])
                            .unwrap_or_else(|| panic!("unknown preset `{name}`")),
                    )
                }
                Some(p) => opts = opts.policy(vector_policy(p)),
                None => {}
            }
            match input.pointer("/options/presence") {
                Some(Value::Bool(true)) => {
                    opts = opts.presence(minqing::cadence::presets::work_station())
                }
                Some(Value::Object(_)) => {
                    opts = opts.presence(overridden(
                        minqing::cadence::presets::work_station(),
                        &input["options"]["presence"],
                    ))
                }
                _ => {}
            }
            let cadre: CadreId =
                serde_json::from_value(input["cadre_id"].clone()).expect("cadre id");
            let list =
                minqing::due::due_list(&dataset(input), &cadre, date(&input["today"]), &opts);
            let items: Vec<Value> = list
                .items
                .iter()
                .map(|i| {
                    let mut v = json!({
                        "household_id": i.household_id,
                        "rule": i.rule,
                        "source": i.source,
                        "period_start": i.period.start,
                        "deadline": i.deadline,
                        "contacts_needed": i.contacts_needed,
                        "contacts_made": i.contacts_made,
                        "last_contact": i.last_contact,
                        "light": i.light,
                    });
                    if let Some(e) = &i.event {
                        v["event_kind"] = json!(e.kind);
                        v["event_date"] = json!(e.date);
                    }
                    if let Some(r) = &i.round {
                        v["round"] = json!(r);
                    }
                    v
                })
                .collect();
            let households: Vec<Value> = list
                .households
                .iter()
                .map(|h| {
                    for r in &h.reasons {
                        assert!(!r.message.zh.is_empty() && !r.message.en.is_empty());
                    }
                    json!({
                        "household_id": h.household_id,
                        "light": h.light,
                        "deadline": h.deadline,
                        "reasons": h.reasons.iter().map(|r| json!(r.kind)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let mut out = json!({ "items": items, "households": households });
            if !list.presence.is_empty() {
                out["presence"] = list
                    .presence
                    .iter()
                    .map(|p| {
                        json!({
                            "team_id": p.team_id,
                            "week_start": p.week.start,
                            "week_end": p.week.end(),
                            "days_this_week": p.days_this_week,
                            "days_last_week": p.days_last_week,
                            "min_days_per_week": p.min_days_per_week,
                            "year_start": p.year.start,
                            "days_this_year": p.days_this_year,
                            "min_days_per_year": p.min_days_per_year,
                            "next_station_day": p.next_station_day,
                            "light": p.light,
                        })
                    })
                    .collect();
            }
            out
        }
        other => panic!("unknown operation `{other}`"),
    }
}

/// `value` with the fields of `overrides` (an object) put over it.
fn overridden<T: serde::Serialize + serde::de::DeserializeOwned>(value: T, overrides: &Value) -> T {
    let empty = serde_json::Map::new();
    let over = overrides.as_object().unwrap_or(&empty);
    minqing::cadence::with_overrides(value, over).expect("overrides fit")
}

/// The policy of a `compliance` vector: `{"preset", "overrides"}` (the
/// preset's struct with some fields changed) or a `Policy` as JSON.
fn vector_policy(p: &Value) -> Policy {
    let Some(name) = p["preset"].as_str() else {
        return serde_json::from_value(p.clone()).expect("a policy");
    };
    let empty = serde_json::Map::new();
    let over = p["overrides"].as_object().unwrap_or(&empty);
    minqing::cadence::presets::by_name_with(name, over).expect("a preset with overrides")
}

fn compliance_args(
    input: &Value,
) -> (
    Dataset,
    minqing::cadence::Policy,
    Window,
    minqing::compliance::Accountability,
) {
    let ds = dataset(input);
    let policy = vector_policy(&input["policy"]);
    let window: Window = serde_json::from_value(input["window"].clone()).expect("a window");
    let acc = input
        .get("accountability")
        .map(|a| serde_json::from_value(a.clone()).expect("accountability"))
        .unwrap_or_default();
    (ds, policy, window, acc)
}

fn compliance_vector(input: &Value) -> Value {
    let (ds, policy, window, acc) = compliance_args(input);
    let r = minqing::compliance::compliance_of_dataset(&ds, &policy, window).expect("compliance");
    let hs = minqing::compliance::HouseholdColumns::from_households(&ds.households);
    let cadres = r.by_cadre(&hs, &ds.assignments, acc);
    compliance_json(&r, &hs, &policy, cadres)
}

/// The same vector through the fast path: the data set written as CSV
/// (households, visits, events, assignments) and read back by
/// `minqing::io::fast`, which must give the same output.
fn compliance_fast_vector(input: &Value) -> Value {
    use minqing::io::fast::{ComplianceFiles, read_compliance_csv};
    let (ds, policy, window, acc) = compliance_args(input);
    let mut buf: [Vec<u8>; 4] = Default::default();
    minqing::io::write_households(&mut buf[0], &ds.households).expect("written");
    minqing::io::write_visits(&mut buf[1], &ds.visits).expect("written");
    minqing::io::write_events(&mut buf[2], &ds.events).expect("written");
    minqing::io::write_assignments(&mut buf[3], &ds.assignments).expect("written");
    let files = ComplianceFiles {
        households: &buf[0][..],
        visits: &buf[1][..],
        events: Some(&buf[2][..]),
        assignments: Some(&buf[3][..]),
        expected_visits: 0,
    };
    let names = [
        "households.csv",
        "visits.csv",
        "events.csv",
        "assignments.csv",
    ];
    let t = read_compliance_csv(files, window, 100, names).expect("the tables load");
    let bad: Vec<_> = t.all_problems().filter(|p| p.is_error()).collect();
    assert!(bad.is_empty(), "{bad:?}");
    let r = t.compliance(&policy).expect("compliance");
    let cadres = t.by_cadre(&r, acc).expect("assignments were given");
    compliance_json(&r, &t.households.households, &policy, cadres)
}

fn compliance_json(
    r: &minqing::compliance::ComplianceReport,
    hs: &minqing::compliance::HouseholdColumns,
    policy: &minqing::cadence::Policy,
    cadres: Vec<minqing::compliance::CadreCompliance>,
) -> Value {
    let hid = |h: u32| hs.id(h).to_string();
    let period_rule = |r: u16| policy.rules[r as usize].name.clone();
    let rules: Vec<Value> = r
        .rules
        .iter()
        .map(|x| (&x.name, x.required, x.met))
        .chain(r.event_rules.iter().map(|x| (&x.name, x.required, x.met)))
        .chain(r.round_rules.iter().map(|x| (&x.name, x.required, x.met)))
        .map(|(name, required, met)| json!({"name": name, "required": required, "met": met}))
        .collect();
    let periods: Vec<Value> = r
        .period_outcomes()
        .map(|o| {
            json!({"household_id": hid(o.household), "rule": period_rule(o.rule),
                   "start": o.period.start, "end": o.period.end(), "met": o.met})
        })
        .collect();
    let missed: Vec<Value> = r
        .missed()
        .map(|m| json!({"household_id": hid(m.household), "rule": period_rule(m.rule), "start": m.period.start}))
        .collect();
    let triggered: Vec<Value> = r
        .triggered
        .iter()
        .map(|t| {
            json!({"household_id": hid(t.household), "rule": policy.event_rules[t.rule as usize].name,
                   "kind": t.event_kind, "event_date": t.event_date, "due": t.due,
                   "met": t.met, "met_on": t.met_on})
        })
        .collect();
    let round_name = |rule: u16, k: u32| {
        policy.round_rules[rule as usize].rounds[k as usize]
            .name
            .clone()
    };
    let round_visits: Vec<Value> = r
        .round_visits
        .iter()
        .map(|x| {
            json!({"household_id": hid(x.household), "rule": policy.round_rules[x.rule as usize].name,
                   "round": round_name(x.rule, x.round), "met": x.met, "met_on": x.met_on})
        })
        .collect();
    let rounds: Vec<Value> = r
        .rounds
        .iter()
        .map(|c| {
            json!({"rule": policy.round_rules[c.rule as usize].name, "round": c.round,
                   "selected": c.selected, "visited": c.visited, "villages": c.villages})
        })
        .collect();
    json!({
        "required": r.required,
        "met": r.met,
        "rules": rules,
        "villages": r.villages,
        "periods": periods,
        "missed": missed,
        "triggered": triggered,
        "round_visits": round_visits,
        "rounds": rounds,
        "cadres": cadres,
    })
}

fn presence_vector(input: &Value) -> Value {
    use minqing::cadence::PresenceRule;
    let ds = dataset(input);
    let team = ds
        .teams
        .iter()
        .find(|t| Some(t.id.as_str()) == input["team_id"].as_str())
        .expect("the team is in the data set");
    let window: Window = serde_json::from_value(input["window"].clone()).expect("a window");
    let rule = overridden(PresenceRule::default(), &input["overrides"]);
    let r = minqing::compliance::station_presence(team, &ds.households, &ds.visits, window, &rule);
    let periods = |ps: &[minqing::compliance::PresencePeriod]| -> Vec<Value> {
        ps.iter()
            .map(|p| json!({"start": p.period.start, "end": p.period.end(), "days": p.days, "met": p.met}))
            .collect()
    };
    json!({
        "days": r.days,
        "weeks": periods(&r.weeks),
        "years": periods(&r.years),
        "station_days": r.station_days,
    })
}

/// Appends `input.events` (`[{"at", "event"}]`) to a log named
/// `input.request_id`; one result per event: `"ok"` or the refusal's code.
/// A refused event must leave the log unchanged.
fn request_log(input: &Value) -> (RequestLog, Vec<String>) {
    let id: RequestId = serde_json::from_value(input["request_id"].clone()).expect("request id");
    let mut log = RequestLog::new(id);
    let mut results = Vec::new();
    for e in input["events"].as_array().expect("events") {
        let event: RequestEvent =
            serde_json::from_value(e["event"].clone()).unwrap_or_else(|err| panic!("{e}: {err}"));
        let before = log.clone();
        match log.append(datetime(&e["at"]), event) {
            Ok(_) => results.push("ok".to_string()),
            Err(err) => {
                assert_eq!(log, before, "a refused event changes nothing");
                results.push(err.code().as_str().to_string());
            }
        }
    }
    (log, results)
}

/// The default policy, with `input.cycle` (`card_summary_day`,
/// `joint_meeting_day`) where given.
fn case_policy(input: &Value) -> CasePolicy {
    let mut cycle = minqing::case::ReportingCycle::default();
    if let Some(d) = input
        .pointer("/cycle/card_summary_day")
        .and_then(Value::as_u64)
    {
        cycle = cycle.card_summary_day(d as u32);
    }
    if let Some(d) = input
        .pointer("/cycle/joint_meeting_day")
        .and_then(Value::as_u64)
    {
        cycle = cycle.joint_meeting_day(d as u32);
    }
    CasePolicy::default().cycle(cycle)
}

#[test]
fn every_vector_gives_its_expected_output() {
    let vectors = load_vectors();
    assert!(vectors.len() >= 5, "the shared vectors are missing");
    let mut failures = Vec::new();
    for (path, v) in &vectors {
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(
            v["name"].as_str(),
            Some(name.trim_end_matches(".json")),
            "name matches file"
        );
        assert!(
            v["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{name}: describe the case"
        );
        let op = v["operation"].as_str().expect("operation");
        let mut got = vec![("", run(op, &v["input"]))];
        if op == "compliance" {
            got.push((" (fast path)", compliance_fast_vector(&v["input"])));
        }
        for (path, got) in got {
            if got != v["expected"] {
                failures.push(format!(
                    "{name}{path}:\n  expected {}\n  got      {}",
                    serde_json::to_string_pretty(&v["expected"]).unwrap(),
                    serde_json::to_string_pretty(&got).unwrap()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
