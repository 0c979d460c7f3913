//! Replays every malformed-input case of `tests/data/bad/`: each folder holds
//! some of the six CSV files (or a `dataset.json`) and an `expected.json`
//! naming exactly the set of distinct problem codes that reading the folder
//! and validating what was read must produce. `make_cases.py` there writes
//! the cases.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use minqing::io::{Encoding, read_csv_dir, read_json};
use minqing::prelude::*;
use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/data/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    out.sort();
    out
}

struct Outcome {
    report: Report,
    rows: Option<Dataset>,
    from_csv: bool,
}

fn run(dir: &Path, expected: &Value) -> Outcome {
    let today: NaiveDate = expected["today"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("today");
    let opts = ValidateOptions::new(today);
    let json = dir.join("dataset.json");
    if json.is_file() {
        let file = std::fs::File::open(&json).expect("open dataset.json");
        return match read_json(file) {
            Err(report) => Outcome {
                report,
                rows: None,
                from_csv: false,
            },
            Ok(ds) => Outcome {
                report: ds.validate(&opts),
                rows: Some(ds),
                from_csv: false,
            },
        };
    }
    let encoding = match expected["encoding"].as_str() {
        Some("gb18030") => Encoding::Gb18030,
        Some("utf8") | None => Encoding::Utf8,
        Some(other) => panic!("unknown encoding {other}"),
    };
    let (ds, sources, mut report) = read_csv_dir(dir, encoding).expect("a readable folder");
    assert_eq!(sources.households.len(), ds.households.len());
    assert_eq!(sources.visits.len(), ds.visits.len());
    report.extend(ds.validate_with_sources(&opts, &sources));
    Outcome {
        report,
        rows: Some(ds),
        from_csv: true,
    }
}

/// Codes whose problems concern a whole file rather than a line of it.
const FILE_LEVEL: &[Code] = &[
    Code::CsvEmpty,
    Code::CsvNoRows,
    Code::InputMissingFile,
    Code::InputIo,
];

#[test]
fn every_bad_input_gives_exactly_its_codes() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expected: Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/expected.json: {e}"));
        let want: BTreeSet<String> = expected["codes"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: codes"))
            .iter()
            .map(|c| {
                let s = c.as_str().expect("a code string");
                assert!(Code::parse(s).is_some(), "{name}: unknown code {s}");
                s.to_string()
            })
            .collect();
        let out = run(dir, &expected);
        let got: BTreeSet<String> = out
            .report
            .codes()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        if got != want {
            failures.push(format!(
                "{name}: expected {want:?}, got {got:?}\n{}",
                out.report
            ));
            continue;
        }
        for p in &out.report {
            assert!(
                !p.message.zh.is_empty() && !p.message.en.is_empty(),
                "{name}: {p}"
            );
            if out.from_csv {
                assert!(p.location.file.is_some(), "{name}: no file in {p}");
                if !FILE_LEVEL.contains(&p.code) {
                    assert!(p.location.line.is_some(), "{name}: no line in {p}");
                }
            }
        }
        if let Some(rows) = expected.get("expect_rows").and_then(Value::as_object) {
            let ds = out.rows.as_ref().expect("rows were read");
            for (coll, n) in rows {
                let have = match coll.as_str() {
                    "units" => ds.units.len(),
                    "households" => ds.households.len(),
                    "cadres" => ds.cadres.len(),
                    "assignments" => ds.assignments.len(),
                    "visits" => ds.visits.len(),
                    "events" => ds.events.len(),
                    other => panic!("{name}: unknown collection {other}"),
                };
                assert_eq!(Some(have as u64), n.as_u64(), "{name}: {coll} read");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A problem's code, line, column and field.
type Spot<'a> = (Code, Option<u64>, Option<u64>, Option<&'a str>);

#[test]
fn row_problems_point_at_line_and_column() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad");
    let (_, _, report) =
        read_csv_dir(root.join("041-many-problems-in-one-row"), Encoding::Utf8).unwrap();
    let at: Vec<Spot<'_>> = report
        .iter()
        .map(|p| {
            (
                p.code,
                p.location.line,
                p.location.column,
                p.location.field.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            (Code::FieldBadValue, Some(5), Some(3), Some("residency")),
            (Code::FieldBadNumber, Some(5), Some(7), Some("members")),
            (
                Code::FieldBadDate,
                Some(5),
                Some(8),
                Some("head_birth_date")
            ),
        ]
    );
    let (_, _, report) =
        read_csv_dir(root.join("015-quoted-newline-is-fine"), Encoding::Utf8).unwrap();
    assert!(report.is_empty());
}

#[test]
fn missing_folder_is_an_error() {
    let err = read_csv_dir("/nonexistent/minqing/folder", Encoding::Utf8).unwrap_err();
    assert_eq!(err.codes(), vec![Code::InputIo]);
}
