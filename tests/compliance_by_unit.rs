//! Compliance rolled up the administrative tree: townships and counties sum
//! their villages; a broken tree neither loops nor loses a village.

use chrono::NaiveDate;
use minqing::cadence::presets::four_fixed_three_arrivals;
use minqing::calendar::Window;
use minqing::compliance::compliance_of_dataset;
use minqing::prelude::*;

fn id(s: &str) -> UnitId {
    UnitId::new(s).unwrap()
}

fn away(h: &str, village: &str) -> Household {
    Household::new(HouseholdId::new(h).unwrap(), id(village), Residency::Away)
}

fn phone(h: &str, month: u32) -> Visit {
    let at = NaiveDate::from_ymd_opt(2024, month, 9)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    Visit::new(
        HouseholdId::new(h).unwrap(),
        CadreId::new("C1").unwrap(),
        at,
        Mode::Phone,
    )
}

#[test]
fn townships_and_counties_sum_their_villages() {
    let mut ds = Dataset::new();
    ds.units = vec![
        Unit::new(id("C"), UnitKind::County),
        Unit::new(id("T1"), UnitKind::Township).with_parent(id("C")),
        Unit::new(id("T2"), UnitKind::Township).with_parent(id("C")),
        Unit::new(id("V1"), UnitKind::Village).with_parent(id("T1")),
        Unit::new(id("V2"), UnitKind::Village).with_parent(id("T1")),
        Unit::new(id("V3"), UnitKind::Village).with_parent(id("T2")),
    ];
    ds.households = vec![
        away("H1", "V1"),
        away("H2", "V2"),
        away("H3", "V3"),
        away("H4", "V3"),
    ];
    // H1: 3 months met, H2: 1, H3: 12, H4: none
    ds.visits = (1..=3).map(|m| phone("H1", m)).collect();
    ds.visits.push(phone("H2", 5));
    ds.visits.extend((1..=12).map(|m| phone("H3", m)));
    let report = compliance_of_dataset(
        &ds,
        &four_fixed_three_arrivals(),
        Window::year(2024).unwrap(),
    )
    .unwrap();
    let rows = report.by_unit(&ds.units);
    let get = |u: &str| {
        let r = rows.iter().find(|r| r.unit_id == u).unwrap();
        (r.kind, r.villages, r.required, r.met)
    };
    assert_eq!(get("V1"), (UnitKind::Village, 1, 12, 3));
    assert_eq!(get("T1"), (UnitKind::Township, 2, 24, 4));
    assert_eq!(get("T2"), (UnitKind::Township, 1, 24, 12));
    assert_eq!(get("C"), (UnitKind::County, 3, 48, 16));
    assert_eq!(get("C").2, report.required);
    assert_eq!(get("C").3, report.met);
    let ids: Vec<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
    assert_eq!(ids, ["C", "T1", "T2", "V1", "V2", "V3"]);
}

#[test]
fn a_cycle_or_a_missing_unit_loses_nothing() {
    let mut ds = Dataset::new();
    ds.units = vec![
        Unit::new(id("T"), UnitKind::Township).with_parent(id("V1")),
        Unit::new(id("V1"), UnitKind::Village).with_parent(id("T")),
    ];
    ds.households = vec![away("H1", "V1"), away("H2", "V9")];
    ds.visits = vec![phone("H1", 1), phone("H2", 2)];
    let report = compliance_of_dataset(
        &ds,
        &four_fixed_three_arrivals(),
        Window::year(2024).unwrap(),
    )
    .unwrap();
    let rows = report.by_unit(&ds.units);
    let ids: Vec<(&str, u32, u64)> = rows
        .iter()
        .map(|r| (r.unit_id.as_str(), r.villages, r.met))
        .collect();
    assert_eq!(ids, [("T", 1, 1), ("V1", 1, 1), ("V9", 1, 1)]);
}
