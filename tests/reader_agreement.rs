//! One contract for the readers: generated households.csv and visits.csv
//! rows, good and bad, read by the general CSV reader (`io::csv`), the fast
//! columnar reader (`io::columnar`) and, written as a `minqing/1` document
//! with the same cell texts, the JSON reader (`io::json`). Every row is
//! taken by all three or refused by all three; a taken row gives the same
//! record; a refused row gives the same problem codes through both CSV
//! readers. Date-times come in every form of formats.md and in near misses.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, NaiveDateTime};
use minqing::io::columnar::{self, LoadOptions};
use minqing::io::{ReadOptions, from_json_str, read_households, read_visits};
use minqing::problem::Code;
use proptest::prelude::*;
use serde_json::{Value, json};

/// An ID cell: mostly valid, sometimes empty, padded, too long or with a
/// control character.
fn id_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Z][0-9]{1,3}",
        1 => Just(String::new()),
        1 => "[A-Z][0-9]{1,3}".prop_map(|s| format!(" {s}")),
        1 => "[A-Z]{65,70}",
        1 => Just("户\u{1}".to_string()),
    ]
}

fn residency_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("resident".to_string()),
        4 => Just("away".to_string()),
        1 => Just("Resident".to_string()),
        1 => Just("nomad".to_string()),
        1 => Just(String::new()),
    ]
}

fn tags_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => Just("hardship".to_string()),
        2 => Just("elderly_alone|beekeeper".to_string()),
        1 => Just("low_income|contact_household|party_member".to_string()),
    ]
}

fn date_text(d: NaiveDate, form: u8) -> String {
    match form {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => d.format("%Y/%-m/%-d").to_string(),
        2 => "2023-02-29".to_string(),
        3 => "2024-13-01".to_string(),
        4 => d.format("%d/%m/%Y").to_string(),
        _ => String::new(),
    }
}

fn some_date() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    prop_oneof![
        (0u64..2_500).prop_map(move |n| base + Days::new(n)),
        Just(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
    ]
}

fn datetime_text(t: NaiveDateTime, form: u8) -> String {
    match form {
        0 => t.format("%Y-%m-%dT%H:%M").to_string(),
        1 => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        2 => t.format("%Y-%m-%d %H:%M").to_string(),
        3 => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        4 => t.format("%Y/%-m/%-d %-H:%M").to_string(),
        5 => t.format("%Y/%-m/%-d %-H:%M:%S").to_string(),
        // near misses, refused by the general grammar
        6 => t.format("%Y-%m-%d %-H:%M").to_string(),
        7 => t.format("%Y-%-m-%-d %H:%M").to_string(),
        8 => t.format("%Y/%-m/%-dT%-H:%M").to_string(),
        9 => t.format("%Y-%m-%dT%H:%M+08:00").to_string(),
        10 => "2024-02-30T10:00".to_string(),
        11 => "2024-03-05T24:00".to_string(),
        12 => t.format("%Y-%m-%d").to_string(),
        _ => String::new(),
    }
}

fn mode_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("in_person".to_string()),
        2 => Just("phone".to_string()),
        1 => Just("video".to_string()),
        1 => Just("at_station".to_string()),
        1 => Just("visit".to_string()),
        1 => Just(String::new()),
    ]
}

fn signed_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => Just("true".to_string()),
        2 => Just("false".to_string()),
        1 => Just("yes".to_string()),
    ]
}

/// households.csv cells: household_id, village_id, residency, tags,
/// registered_on.
fn household_row() -> impl Strategy<Value = [String; 5]> {
    (
        id_cell(),
        id_cell(),
        residency_cell(),
        tags_cell(),
        some_date(),
        0u8..8,
    )
        .prop_map(|(h, v, r, t, d, f)| [h, v, r, t, date_text(d, f)])
}

/// visits.csv cells: household_id, cadre_id, at, mode, signed.
fn visit_row() -> impl Strategy<Value = [String; 5]> {
    (
        id_cell(),
        some_date(),
        0u32..86_400,
        0u8..15,
        mode_cell(),
        signed_cell(),
    )
        .prop_map(|(c, d, secs, f, m, s)| {
            let t = d
                .and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60)
                .unwrap();
            ["H1".to_string(), c, datetime_text(t, f), m, s]
        })
}

fn csv_line(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The error codes of a report, as a set (the readers may order a row's
/// problems differently).
fn error_codes<'a>(
    problems: impl IntoIterator<Item = &'a minqing::problem::Problem>,
) -> BTreeSet<Code> {
    problems
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| p.code)
        .collect()
}

/// The JSON form of a row: the same texts; an empty cell is a missing key.
fn json_object(names: &[&str], cells: &[String]) -> Value {
    let mut o = serde_json::Map::new();
    for (name, cell) in names.iter().zip(cells) {
        if cell.is_empty() {
            continue;
        }
        let v = match *name {
            "tags" => json!(minqing::io::cell::list_items(cell).collect::<Vec<_>>()),
            "signed" if cell == "true" || cell == "false" => json!(cell == "true"),
            _ => json!(cell),
        };
        o.insert((*name).to_string(), v);
    }
    Value::Object(o)
}

const HOUSEHOLD_COLUMNS: [&str; 5] = [
    "household_id",
    "village_id",
    "residency",
    "tags",
    "registered_on",
];
const VISIT_COLUMNS: [&str; 5] = ["household_id", "cadre_id", "at", "mode", "signed"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_household_row_is_taken_alike_by_every_reader(row in household_row()) {
        let text = format!("{}\n{}\n", HOUSEHOLD_COLUMNS.join(","), csv_line(&row));
        let general = read_households(text.as_bytes(), &ReadOptions::new("households.csv"));
        let fast = columnar::read_households(text.as_bytes(), &LoadOptions::new("households.csv"))
            .expect("the header is right");
        let doc = json!({"schema": "minqing/1", "households": [json_object(&HOUSEHOLD_COLUMNS, &row)]});
        let from_json = from_json_str(&doc.to_string());

        let taken = general.records.len() == 1;
        prop_assert_eq!(taken, fast.households.len() == 1, "columnar: {:?} {}", row, fast.problems);
        prop_assert_eq!(taken, from_json.is_ok(), "json: {:?} {:?}", row, from_json.as_ref().err().map(|r| r.to_string()));
        if taken {
            let h = &general.records[0];
            let ds = from_json.unwrap();
            prop_assert_eq!(&ds.households[0], h);
            prop_assert_eq!(fast.households.id(0), h.id.as_str());
            let tags: BTreeSet<&str> = fast.households.tags(0).map(|t| t.as_str()).collect();
            prop_assert_eq!(tags, h.tags.iter().map(|t| t.as_str()).collect::<BTreeSet<_>>());
        } else {
            prop_assert_eq!(error_codes(&general.report.problems), error_codes(&fast.problems.problems), "{:?}", row);
        }
    }

    #[test]
    fn a_visit_row_is_taken_alike_by_every_reader(row in visit_row()) {
        let households = "household_id,village_id,residency\nH1,V1,resident\n";
        let text = format!("{}\n{}\n", VISIT_COLUMNS.join(","), csv_line(&row));
        let general = read_visits(text.as_bytes(), &ReadOptions::new("visits.csv"));
        let hs = columnar::read_households(households.as_bytes(), &LoadOptions::new("households.csv"))
            .expect("households");
        let fast = columnar::read_visits(text.as_bytes(), &hs.index, &LoadOptions::new("visits.csv"))
            .expect("the header is right");
        let doc = json!({"schema": "minqing/1", "visits": [json_object(&VISIT_COLUMNS, &row)]});
        let from_json = from_json_str(&doc.to_string());

        let taken = general.records.len() == 1;
        prop_assert_eq!(taken, fast.visits.len() == 1, "columnar: {:?} {}", row, fast.problems);
        prop_assert_eq!(taken, from_json.is_ok(), "json: {:?} {:?}", row, from_json.as_ref().err().map(|r| r.to_string()));
        if taken {
            let v = &general.records[0];
            let ds = from_json.unwrap();
            prop_assert_eq!(&ds.visits[0], v);
            prop_assert_eq!(fast.visits.get(0), Some((0, v.at.date(), v.mode, v.signed)));
        } else {
            prop_assert_eq!(error_codes(&general.report.problems), error_codes(&fast.problems.problems), "{:?}", row);
        }
    }
}
