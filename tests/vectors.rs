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
        other => panic!("unknown operation `{other}`"),
    }
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
        let got = run(v["operation"].as_str().expect("operation"), &v["input"]);
        if got != v["expected"] {
            failures.push(format!(
                "{name}:\n  expected {}\n  got      {}",
                serde_json::to_string_pretty(&v["expected"]).unwrap(),
                serde_json::to_string_pretty(&got).unwrap()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
