//! Round trips through every interchange format, and readers fed garbage.
//!
//! The strategies generate data sets whose every field is valid (IDs,
//! dates, tags known and custom, optional fields on and off, Chinese text,
//! commas, quotes and line breaks in names and notes); references between
//! records are not made consistent, since the formats carry them as they
//! are.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, NaiveDateTime};
use minqing::io::{
    CsvFiles, CsvWriters, Encoding, ReadOptions, from_json_str, read_assignments, read_cadres,
    read_csv_set, read_events, read_households, read_json, read_jsonl, read_units, read_visits,
    to_json_string, write_csv_set, write_jsonl,
};
use minqing::prelude::*;
use proptest::prelude::*;

fn id_str() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_\\-]{1,12}",
        "[户村组干部A-Z0-9·]{1,16}",
        "[A-Z0-9]{60,64}",
        "[a-z]([a-z ,\"|]{0,8}[a-z])?",
    ]
}

fn unit_id() -> impl Strategy<Value = UnitId> {
    id_str().prop_map(|s| UnitId::new(s).unwrap())
}
fn household_id() -> impl Strategy<Value = HouseholdId> {
    id_str().prop_map(|s| HouseholdId::new(s).unwrap())
}
fn cadre_id() -> impl Strategy<Value = CadreId> {
    id_str().prop_map(|s| CadreId::new(s).unwrap())
}
fn team_id() -> impl Strategy<Value = TeamId> {
    id_str().prop_map(|s| TeamId::new(s).unwrap())
}

/// Free text that is never empty: Chinese, commas, quotes, line breaks,
/// `|`, leading and trailing spaces, any printable character.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[李王张某纳林希里村 ,\"\n\r|a-z0-9]{1,24}",
        "\\PC{1,30}",
        Just("\"".to_string()),
        Just("说了\"低保\"的事,\r\n下次再来".to_string()),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    prop_oneof![
        (0u64..80_000).prop_map(move |n| base + Days::new(n)),
        Just(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
    ]
}

fn datetime() -> impl Strategy<Value = NaiveDateTime> {
    (
        date(),
        0u32..24,
        0u32..60,
        prop_oneof![Just(0u32), 0u32..60],
    )
        .prop_map(|(d, h, m, s)| d.and_hms_opt(h, m, s).unwrap())
}

fn tag() -> impl Strategy<Value = Tag> {
    prop_oneof![
        prop::sample::select(Tag::KNOWN.to_vec()),
        "[a-z养蜂户,\"]{1,6}".prop_map(|s| Tag::Custom(format!("x_{s}"))),
    ]
}

fn unit() -> impl Strategy<Value = Unit> {
    (
        unit_id(),
        prop::sample::select(UnitKind::ALL.to_vec()),
        prop::option::of(unit_id()),
        prop::option::of(text()),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(id, kind, parent, name, population)| Unit {
            id,
            kind,
            parent,
            name,
            population,
        })
}

fn household() -> impl Strategy<Value = Household> {
    (
        (
            household_id(),
            unit_id(),
            prop::sample::select(vec![Residency::Resident, Residency::Away]),
        ),
        prop::collection::btree_set(tag(), 0..4),
        prop::option::of(text()),
        prop::option::of("1[0-9]{10}"),
        prop::option::of(0u32..20),
        prop::option::of(date()),
        prop::option::of(date()),
    )
        .prop_map(
            |((id, village, residency), tags, name, phone, members, born, registered)| Household {
                id,
                village,
                residency,
                tags,
                name,
                phone,
                members,
                head_birth_date: born,
                registered_on: registered,
            },
        )
}

fn cadre() -> impl Strategy<Value = Cadre> {
    (
        (cadre_id(), text(), prop::option::of(text())),
        prop::option::of(prop::sample::select(Rank::ALL.to_vec())),
        prop::option::of(unit_id()),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u32>()),
        prop::collection::btree_set(prop::sample::select(Duty::ALL.to_vec()), 0..=5),
    )
        .prop_map(|((id, name, phone), rank, unit, min, max, duties)| Cadre {
            id,
            name,
            phone,
            rank,
            unit,
            min_households: min,
            max_households: max,
            duties,
        })
}

fn assignment() -> impl Strategy<Value = Assignment> {
    (household_id(), cadre_id(), date(), prop::option::of(date())).prop_map(
        |(household, cadre, from, to)| Assignment {
            household,
            cadre,
            from,
            to,
        },
    )
}

fn visit() -> impl Strategy<Value = Visit> {
    (
        household_id(),
        cadre_id(),
        datetime(),
        prop::sample::select(Mode::ALL.to_vec()),
        any::<bool>(),
        prop::option::of(text()),
    )
        .prop_map(|(household, cadre, at, mode, signed, note)| Visit {
            household,
            cadre,
            at,
            mode,
            signed,
            note,
        })
}

fn team() -> impl Strategy<Value = Team> {
    (
        team_id(),
        prop::sample::select(TeamKind::ALL.to_vec()),
        unit_id(),
        cadre_id(),
        prop::option::of(cadre_id()),
        prop::collection::vec(cadre_id(), 0..4),
    )
        .prop_map(|(id, kind, unit, leader, deputy, members)| Team {
            id,
            kind,
            unit,
            leader,
            deputy,
            members,
        })
}

fn duty_span() -> impl Strategy<Value = DutySpan> {
    (
        cadre_id(),
        prop::sample::select(DutyStatus::ALL.to_vec()),
        datetime(),
        prop::option::of(datetime()),
    )
        .prop_map(|(cadre, status, from, to)| DutySpan {
            cadre,
            status,
            from,
            to,
        })
}

fn event() -> impl Strategy<Value = HouseholdEvent> {
    let kind = prop_oneof![
        prop::sample::select(EventKind::KNOWN.to_vec()),
        "[a-z_]{1,10}|[住院婚丧新生儿]{1,4}|[a-z]([a-z ,\"|]{0,8}[a-z])?"
            .prop_map(|s| EventKind::parse(&s)),
    ];
    (household_id(), date(), kind).prop_map(|(h, d, k)| HouseholdEvent::new(h, d, k))
}

/// A data set with the six CSV collections; teams and duty empty.
fn csv_dataset() -> impl Strategy<Value = Dataset> {
    (
        prop::collection::vec(unit(), 0..6),
        prop::collection::vec(household(), 0..8),
        prop::collection::vec(cadre(), 0..5),
        prop::collection::vec(assignment(), 0..6),
        prop::collection::vec(visit(), 0..8),
        prop::collection::vec(event(), 0..4),
    )
        .prop_map(
            |(units, households, cadres, assignments, visits, events)| Dataset {
                units,
                households,
                cadres,
                teams: Vec::new(),
                duty: Vec::new(),
                assignments,
                visits,
                cases: Vec::new(),
                events,
            },
        )
}

fn full_dataset() -> impl Strategy<Value = Dataset> {
    (
        csv_dataset(),
        prop::collection::vec(team(), 0..4),
        prop::collection::vec(duty_span(), 0..4),
    )
        .prop_map(|(mut ds, teams, duty)| {
            ds.teams = teams;
            ds.duty = duty;
            ds
        })
}

fn write_all(ds: &Dataset) -> CsvWriters<Vec<u8>> {
    let mut out = CsvWriters {
        units: Vec::new(),
        households: Vec::new(),
        cadres: Vec::new(),
        assignments: Vec::new(),
        visits: Vec::new(),
        events: Vec::new(),
    };
    write_csv_set(&mut out, ds).expect("writing to memory");
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn json_round_trip(ds in full_dataset()) {
        let s = to_json_string(&ds);
        let schema_first = s.starts_with("{\n  \"schema\": \"minqing/1\"");
        prop_assert!(schema_first, "schema is not first: {}", s);
        let back = from_json_str(&s).map_err(|r| TestCaseError::fail(r.to_string()))?;
        prop_assert_eq!(&back, &ds);
        let back = read_json(s.as_bytes()).map_err(|r| TestCaseError::fail(r.to_string()))?;
        prop_assert_eq!(back, ds);
    }

    #[test]
    fn csv_round_trip(ds in csv_dataset()) {
        let out = write_all(&ds);
        let files = CsvFiles::new()
            .units(&out.units[..])
            .households(&out.households[..])
            .cadres(&out.cadres[..])
            .assignments(&out.assignments[..])
            .visits(&out.visits[..])
            .events(&out.events[..]);
        let (back, sources, report) = read_csv_set(files);
        // the only thing allowed to be said: a file holds no row
        prop_assert!(
            report.iter().all(|p| p.code == Code::CsvNoRows),
            "{}", report
        );
        prop_assert_eq!(sources.households.len(), back.households.len());
        prop_assert_eq!(sources.visits.len(), back.visits.len());
        prop_assert_eq!(sources.events.len(), back.events.len());
        prop_assert_eq!(back, ds);
    }

    #[test]
    fn jsonl_round_trip_of_visits(visits in prop::collection::vec(visit(), 0..20)) {
        let mut buf = Vec::new();
        write_jsonl(&mut buf, &visits).expect("writing to memory");
        prop_assert_eq!(buf.iter().filter(|&&b| b == b'\n').count(), visits.len());
        let parsed = read_jsonl::<Visit, _>(&buf[..], "visits.jsonl");
        prop_assert!(parsed.report.is_empty(), "{}", parsed.report);
        prop_assert_eq!(parsed.sources.len(), visits.len());
        prop_assert_eq!(parsed.records, visits);
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        header in prop::sample::select(vec![
            "",
            "unit_id,kind,parent_id,name,population\n",
            "household_id,village_id,residency,tags,members,head_birth_date,registered_on\n",
            "cadre_id,name,rank,duties,min_households\n",
            "household_id,cadre_id,from,to\n",
            "household_id,cadre_id,at,mode,signed,note\n",
            "household_id,date,kind\n",
        ]),
    ) {
        let mut input = header.as_bytes().to_vec();
        input.extend_from_slice(&bytes);
        for enc in [Encoding::Utf8, Encoding::Gb18030] {
            let o = ReadOptions::new("f.csv").encoding(enc);
            let counts = [
                { let p = read_units(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
                { let p = read_households(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
                { let p = read_cadres(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
                { let p = read_assignments(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
                { let p = read_visits(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
                { let p = read_events(&input[..], &o); (p.records.len(), p.sources.len(), p.report) },
            ];
            for (records, sources, report) in counts {
                prop_assert_eq!(records, sources);
                prop_assert!(report.iter().all(|p| p.location.file.as_deref() == Some("f.csv")));
            }
        }
        // JSON: either a data set or a report with at least one error
        if let Err(r) = read_json(&input[..]) {
            prop_assert!(r.has_errors());
        }
        let p = read_jsonl::<Visit, _>(&input[..], "f.jsonl");
        prop_assert_eq!(p.records.len(), p.sources.len());
    }

    #[test]
    fn readers_never_panic_on_csv_like_bytes(
        bytes in prop::collection::vec(
            prop::sample::select(b",,\"\"\n\r a1|-:/T\xEF\xBB\xBF\xFF\xFE\x00\xe6\x9d\x8e2024-01-01".to_vec()),
            0..300,
        ),
    ) {
        for header in [
            "unit_id,kind\n",
            "household_id,cadre_id,at,mode,signed,note\n",
            "cadre_id,name,duties\n",
        ] {
            let mut input = header.as_bytes().to_vec();
            input.extend_from_slice(&bytes);
            let p = read_visits(&input[..], &ReadOptions::new("v.csv"));
            prop_assert_eq!(p.records.len(), p.sources.len());
            let p = read_units(&input[..], &ReadOptions::new("u.csv"));
            prop_assert_eq!(p.records.len(), p.sources.len());
            let p = read_cadres(&input[..], &ReadOptions::new("c.csv").encoding(Encoding::Gb18030));
            prop_assert_eq!(p.records.len(), p.sources.len());
        }
    }
}

#[test]
fn csv_round_trip_keeps_tricky_values() {
    let mut h = Household::new(
        HouseholdId::new("户,001").unwrap(),
        UnitId::new("V\"1").unwrap(),
        Residency::Away,
    );
    h.name = Some(" 王\n某 ".into());
    h.tags = BTreeSet::from([Tag::Custom("x_a,b".into()), Tag::LowIncome]);
    let ds = Dataset {
        households: vec![h],
        ..Dataset::default()
    };
    let out = write_all(&ds);
    let (back, _, report) = read_csv_set(CsvFiles::new().households(&out.households[..]));
    assert!(report.is_empty(), "{report}");
    assert_eq!(back, ds);
}

#[test]
fn json_round_trip_of_a_whole_township_with_requests() {
    let mut ds = minqing::synth::township(&minqing::synth::SynthOptions::default())
        .expect("the default township builds");
    ds.cases = minqing::synth_cases::generate_requests(
        &ds,
        NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
        7,
    );
    assert!(ds.cases.len() > 100, "the township raises requests");
    let text = to_json_string(&ds);
    let back = minqing::io::from_json_str(&text).expect("reads back");
    assert_eq!(back, ds);
    assert!(back.cases.iter().all(|log| log.verify().is_ok()));
}
