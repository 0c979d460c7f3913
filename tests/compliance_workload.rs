//! The benchmark job (`examples/compliance.rs`) on a small workload built
//! here, checked against a second, straightforward implementation (a
//! `BTreeSet` of met (household, period start) pairs), and the engine's
//! cache-blocked and parallel paths against the same at 40,000 households.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use minqing::cadence::presets;
use minqing::calendar::Window;
use minqing::compliance::{Execution, HouseholdColumns, VisitColumns, compliance_with};
use minqing::household::Residency;
use minqing::visit::Mode;

#[allow(dead_code)]
#[path = "../examples/compliance.rs"]
mod job;

/// A small deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct Row {
    household: String,
    at: String,
    mode: &'static str,
}

struct Workload {
    households: Vec<(String, String, Residency)>,
    visits: Vec<Row>,
}

fn workload(n: usize, seed: u64) -> Workload {
    let mut rng = Lcg(seed);
    let households: Vec<(String, String, Residency)> = (0..n)
        .map(|i| {
            let r = if rng.below(100) < 51 {
                Residency::Resident
            } else {
                Residency::Away
            };
            (format!("H{i:05}"), format!("V{:03}", i / 97), r)
        })
        .collect();
    let modes = ["in_person", "phone", "video", "at_station"];
    let mut visits = Vec::new();
    let first = d(2023, 12, 20);
    for (i, (id, _, _)) in households.iter().enumerate() {
        // Some households are never visited.
        if i % 13 == 5 {
            continue;
        }
        for _ in 0..rng.below(30) {
            let day = first + Days::new(rng.below(388));
            let k = if rng.below(4) == 0 { 4 } else { 2 };
            let mode = modes[rng.below(k) as usize];
            visits.push(Row {
                household: id.clone(),
                at: format!("{}T{:02}:{:02}", day, 8 + rng.below(12), rng.below(60)),
                mode,
            });
        }
    }
    // The edges: Feb 29, month ends and half-month edges, the window's
    // ends and just outside, a phone call for a resident, an unknown
    // household and a bad row.
    let edges = [
        "2024-02-29T23:59",
        "2024-02-15T00:00",
        "2024-02-16T00:00",
        "2024-01-31T12:00",
        "2024-04-30T12:00",
        "2024-12-31T23:59",
        "2024-01-01T00:00",
        "2023-12-31T23:59",
        "2025-01-01T00:00",
    ];
    for (k, at) in edges.iter().enumerate() {
        for mode in ["in_person", "phone"] {
            visits.push(Row {
                household: households[k * 7].0.clone(),
                at: (*at).to_string(),
                mode,
            });
        }
    }
    visits.push(Row {
        household: "H99999".into(),
        at: "2024-05-05T10:00".into(),
        mode: "in_person",
    });
    visits.push(Row {
        household: households[1].0.clone(),
        at: "2024-02-30T10:00".into(),
        mode: "in_person",
    });
    // Shuffle (Fisher-Yates).
    for i in (1..visits.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        visits.swap(i, j);
    }
    Workload { households, visits }
}

fn period_start(r: Residency, day: NaiveDate) -> NaiveDate {
    match r {
        Residency::Resident => d(
            day.year(),
            day.month(),
            if day.day() <= 15 { 1 } else { 16 },
        ),
        Residency::Away => d(day.year(), day.month(), 1),
    }
}

fn starts(r: Residency) -> Vec<NaiveDate> {
    let mut v = Vec::new();
    for m in 1..=12 {
        v.push(d(2024, m, 1));
        if r == Residency::Resident {
            v.push(d(2024, m, 16));
        }
    }
    v
}

/// The three outputs, computed the simple way.
fn expected(w: &Workload) -> (String, String, String) {
    let by_id: BTreeMap<&str, (&str, Residency)> = w
        .households
        .iter()
        .map(|(h, v, r)| (h.as_str(), (v.as_str(), *r)))
        .collect();
    let mut met: BTreeSet<(&str, NaiveDate)> = BTreeSet::new();
    for v in &w.visits {
        let Ok(at) = chrono::NaiveDateTime::parse_from_str(&v.at, "%Y-%m-%dT%H:%M") else {
            continue;
        };
        let day = at.date();
        if day < d(2024, 1, 1) || day > d(2024, 12, 31) {
            continue;
        }
        let Some(&(_, r)) = by_id.get(v.household.as_str()) else {
            continue;
        };
        if r == Residency::Resident && v.mode != "in_person" {
            continue;
        }
        met.insert((v.household.as_str(), period_start(r, day)));
    }
    let (mut req, mut ok) = (0u64, 0u64);
    let mut villages: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    let mut missed = String::from("household_id,period_start\n");
    for (h, (v, r)) in &by_id {
        for s in starts(*r) {
            req += 1;
            let e = villages.entry(v).or_default();
            e.0 += 1;
            if met.contains(&(*h, s)) {
                ok += 1;
                e.1 += 1;
            } else {
                writeln!(missed, "{h},{s}").unwrap();
            }
        }
    }
    let summary = format!(
        "required,met,rate\n{req},{ok},{:.6}\n",
        ok as f64 / req as f64
    );
    let mut vs = String::from("village_id,required,met,rate\n");
    for (v, (r, m)) in villages {
        writeln!(vs, "{v},{r},{m},{:.6}", m as f64 / r as f64).unwrap();
    }
    (summary, vs, missed)
}

fn temp_dir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("minqing-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

#[test]
fn job_matches_the_simple_implementation() {
    let w = workload(3_000, 42);
    let dir = temp_dir("compliance-job");
    let (input, output) = (dir.join("in"), dir.join("out"));
    std::fs::create_dir_all(&input).unwrap();
    let mut hs = String::from("household_id,village_id,residency,tags\n");
    for (h, v, r) in &w.households {
        writeln!(hs, "{h},{v},{r},").unwrap();
    }
    std::fs::write(input.join("households.csv"), hs).unwrap();
    let mut vs = String::from("household_id,cadre_id,at,mode\n");
    for v in &w.visits {
        writeln!(vs, "{},C1,{},{}", v.household, v.at, v.mode).unwrap();
    }
    std::fs::write(input.join("visits.csv"), vs).unwrap();

    job::run(&input, &output).unwrap();
    let read = |f: &str| std::fs::read_to_string(output.join(f)).unwrap();
    let (summary, villages, missed) = expected(&w);
    assert_eq!(read("summary.csv"), summary);
    assert_eq!(read("villages.csv"), villages);
    assert_eq!(read("missed.csv"), missed);
    // The missed list has required - met lines.
    let fig: Vec<u64> = summary
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .take(2)
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(missed.lines().count() as u64 - 1, fig[0] - fig[1]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hand_computed_household() {
    // One resident and one away household over January and February 2024.
    let mut hs = HouseholdColumns::new();
    hs.push("H1", "V1", Residency::Resident, [], None);
    hs.push("H2", "V1", Residency::Away, [], None);
    let mut vs = VisitColumns::new();
    vs.push(0, d(2024, 2, 29), Mode::InPerson, false); // 2024-02-16 met
    vs.push(0, d(2024, 1, 15), Mode::InPerson, false); // 2024-01-01 met
    vs.push(0, d(2024, 1, 16), Mode::Phone, false); // phone: not for a resident
    vs.push(0, d(2024, 3, 1), Mode::InPerson, false); // outside
    vs.push(1, d(2024, 1, 31), Mode::Video, false); // 2024-01 met
    vs.push(5, d(2024, 1, 31), Mode::Video, false); // unknown household
    let window = Window::new(d(2024, 1, 1), d(2024, 2, 29)).unwrap();
    let r = compliance_with(
        &hs,
        &vs,
        &presets::four_fixed_three_arrivals(),
        window,
        Execution::Sequential,
    )
    .unwrap();
    assert_eq!((r.required, r.met), (6, 3));
    assert_eq!(
        (r.visits_outside_window, r.visits_unknown_household),
        (1, 1)
    );
    let missed: Vec<(&str, NaiveDate)> = r
        .missed()
        .map(|m| (hs.id(m.household), m.period.start))
        .collect();
    assert_eq!(
        missed,
        vec![
            ("H1", d(2024, 1, 16)),
            ("H1", d(2024, 2, 1)),
            ("H2", d(2024, 2, 1))
        ]
    );
}

#[test]
fn blocked_and_parallel_paths_match_the_simple_implementation() {
    // Enough households and visits for the cache-blocked scan and the
    // parallel split.
    let n = 40_000;
    let mut rng = Lcg(7);
    let mut hs = HouseholdColumns::new();
    let mut res = Vec::new();
    for i in 0..n {
        let r = if rng.below(2) == 0 {
            Residency::Resident
        } else {
            Residency::Away
        };
        res.push(r);
        hs.push(
            &format!("H{i:06}"),
            &format!("V{:03}", i % 211),
            r,
            [],
            None,
        );
    }
    let mut vs = VisitColumns::new();
    let mut met: BTreeSet<(u32, NaiveDate)> = BTreeSet::new();
    let first = d(2023, 12, 25);
    for _ in 0..300_000 {
        let h = rng.below(n as u64 + 10) as u32;
        let day = first + Days::new(rng.below(380));
        let mode = if rng.below(3) == 0 {
            Mode::Phone
        } else {
            Mode::InPerson
        };
        vs.push(h, day, mode, false);
        if (h as usize) < n && day.year() == 2024 {
            let r = res[h as usize];
            if r == Residency::Away || mode == Mode::InPerson {
                met.insert((h, period_start(r, day)));
            }
        }
    }
    let required: u64 = res.iter().map(|r| starts(*r).len() as u64).sum();
    let window = Window::year(2024).unwrap();
    let policy = presets::four_fixed_three_arrivals();
    let seq = compliance_with(&hs, &vs, &policy, window, Execution::Sequential).unwrap();
    let par = compliance_with(&hs, &vs, &policy, window, Execution::Parallel).unwrap();
    assert_eq!((seq.required, seq.met), (required, met.len() as u64));
    assert_eq!((par.required, par.met), (seq.required, seq.met));
    assert_eq!(par.villages, seq.villages);
    assert_eq!(
        (par.visits_outside_window, par.visits_unknown_household),
        (seq.visits_outside_window, seq.visits_unknown_household)
    );
    let m_seq: Vec<_> = seq.missed().collect();
    let m_par: Vec<_> = par.missed().collect();
    assert_eq!(m_seq, m_par);
    assert_eq!(m_seq.len() as u64, required - met.len() as u64);
    for m in m_seq.iter().step_by(97) {
        assert!(!met.contains(&(m.household, m.period.start)));
    }
}
