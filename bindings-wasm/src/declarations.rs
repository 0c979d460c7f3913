//! Checks that the hand-written TypeScript declarations (`types.d.ts`)
//! describe exactly what the core reads and writes: every interface has the
//! fields the core's serde output has (optional ones marked `?`), and every
//! string union has exactly the core's words. A change in the core that the
//! declarations miss fails `cargo test -p minqing-wasm`.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use chrono::NaiveDate;
    use minqing::cadre::{Duty, Rank};
    use minqing::prelude::*;
    use serde::Serialize;
    use serde_json::Value;

    const TS: &str = include_str!("types.d.ts");

    /// `export interface X { a: ..; b?: ..; }` → X → {a: required, b: optional}.
    fn interfaces() -> BTreeMap<String, BTreeMap<String, bool>> {
        let mut out = BTreeMap::new();
        let mut current: Option<(String, BTreeMap<String, bool>)> = None;
        for line in TS.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("export interface ") {
                let name = rest.split_whitespace().next().unwrap().to_string();
                current = Some((name, BTreeMap::new()));
            } else if line == "}" {
                if let Some((name, fields)) = current.take() {
                    out.insert(name, fields);
                }
            } else if let Some((_, fields)) = current.as_mut() {
                if line.starts_with("/*") || line.starts_with('*') || line.starts_with("//") {
                    continue;
                }
                if let Some((key, _)) = line.split_once(':') {
                    let optional = key.ends_with('?');
                    fields.insert(key.trim_end_matches('?').to_string(), !optional);
                }
            }
        }
        out
    }

    /// `export type X = "a" | "b";` (over one or more lines) → X → {a, b}.
    fn unions() -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        let mut lines = TS.lines().map(str::trim);
        while let Some(line) = lines.next() {
            let Some(rest) = line.strip_prefix("export type ") else {
                continue;
            };
            let (name, mut body) = rest.split_once('=').unwrap();
            let mut text = body.to_string();
            while !body.ends_with(';') {
                body = lines.next().unwrap();
                text.push_str(body);
            }
            let words: BTreeSet<String> = text
                .split('"')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            if !words.is_empty() && !text.contains('{') && !text.contains("string") {
                out.insert(name.trim().to_string(), words);
            }
        }
        out
    }

    fn words<T: Serialize>(all: &[T]) -> BTreeSet<String> {
        all.iter()
            .map(|x| {
                serde_json::to_value(x)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    fn keys<T: Serialize>(x: &T) -> BTreeSet<String> {
        match serde_json::to_value(x).unwrap() {
            Value::Object(m) => m.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    /// The interface has exactly the keys of `full` (everything set), and
    /// its required keys are exactly those of `minimal`.
    fn check<T: Serialize>(name: &str, full: &T, minimal: &T) {
        let all = interfaces();
        let fields = all
            .get(name)
            .unwrap_or_else(|| panic!("types.d.ts declares no interface {name}"));
        let declared: BTreeSet<String> = fields.keys().cloned().collect();
        assert_eq!(declared, keys(full), "fields of {name}");
        let required: BTreeSet<String> = fields
            .iter()
            .filter(|(_, r)| **r)
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(required, keys(minimal), "required fields of {name}");
    }

    fn d(m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, 1).unwrap()
    }

    #[test]
    fn string_unions_have_the_cores_words() {
        let u = unions();
        assert_eq!(u["UnitKind"], words(&UnitKind::ALL));
        assert_eq!(u["Residency"], words(&Residency::ALL));
        assert_eq!(u["KnownTag"], words(Tag::KNOWN));
        assert_eq!(u["Rank"], words(Rank::ALL));
        assert_eq!(u["Duty"], words(Duty::ALL));
        assert_eq!(u["TeamKind"], words(TeamKind::ALL));
        assert_eq!(u["DutyStatus"], words(DutyStatus::ALL));
        assert_eq!(u["Mode"], words(Mode::ALL));
        assert_eq!(u["Severity"], words(&[Severity::Warning, Severity::Error]));
        assert_eq!(u["Code"], words(Code::ALL), "the Code union of types.d.ts");
    }

    #[test]
    fn interfaces_have_the_cores_fields() {
        let id = |s: &str| UnitId::new(s).unwrap();
        let hid = HouseholdId::new("H1").unwrap();
        let cid = CadreId::new("C1").unwrap();
        let t = d(1).and_hms_opt(8, 0, 0).unwrap();

        let unit = Unit::new(id("V1"), UnitKind::Village);
        let full_unit = unit
            .clone()
            .with_parent(id("T"))
            .with_name("村")
            .with_population(1);
        check("Unit", &full_unit, &unit);

        let h = Household::new(hid.clone(), id("V1"), Residency::Away);
        let mut full_h = h.clone().with_tag(Tag::Hardship);
        full_h.name = Some("n".into());
        full_h.phone = Some("p".into());
        full_h.members = Some(3);
        full_h.head_birth_date = Some(d(1));
        full_h.registered_on = Some(d(2));
        check("Household", &full_h, &h);

        let c = Cadre::new(cid.clone(), "李某某");
        let mut full_c = c.clone();
        full_c.phone = Some("p".into());
        full_c.rank = Some(Rank::Leader);
        full_c.unit = Some(id("V1"));
        full_c.min_households = Some(1);
        full_c.max_households = Some(2);
        full_c.duties = [Duty::Proxy].into_iter().collect();
        check("Cadre", &full_c, &c);

        let team = Team {
            id: TeamId::new("WS").unwrap(),
            kind: TeamKind::WorkStation,
            unit: id("V1"),
            leader: cid.clone(),
            deputy: None,
            members: vec![],
        };
        let mut full_team = team.clone();
        full_team.deputy = Some(cid.clone());
        full_team.members = vec![cid.clone()];
        check("Team", &full_team, &team);

        let span = DutySpan {
            cadre: cid.clone(),
            status: DutyStatus::OnDuty,
            from: t,
            to: None,
        };
        let full_span = DutySpan {
            to: Some(t),
            ..span.clone()
        };
        check("DutySpan", &full_span, &span);

        let a = Assignment::new(hid.clone(), cid.clone(), d(1));
        let full_a = Assignment {
            to: Some(d(2)),
            ..a.clone()
        };
        check("Assignment", &full_a, &a);

        let v = Visit::new(hid, cid, t, Mode::Phone);
        let mut full_v = v.clone();
        full_v.signed = true;
        full_v.note = Some("n".into());
        check("Visit", &full_v, &v);

        let loc = Location::default();
        let full_loc = Location::file("f").at_line(1).at_field(2, "x").at_path("p");
        let full_loc = Location {
            record: Some("r".into()),
            ..full_loc
        };
        check("Location", &full_loc, &loc);

        let p = Problem::new(Code::JsonShape, loc, "中", "en");
        check("Problem", &p, &p);
        check("Message", &p.message, &p.message);
    }

    #[test]
    fn request_unions_have_the_cores_words() {
        use minqing::case::*;
        let u = unions();
        assert_eq!(u["Category"], words(Category::ALL));
        assert_eq!(u["Channel"], words(Channel::ALL));
        assert_eq!(u["RequestKind"], words(RequestKind::ALL));
        assert_eq!(u["Track"], words(Track::ALL));
        assert_eq!(u["Level"], words(Level::ALL));
        assert_eq!(u["EscalationReason"], words(EscalationReason::ALL));
        assert_eq!(u["Outcome"], words(Outcome::ALL));
        assert_eq!(u["Satisfaction"], words(Satisfaction::ALL));
        assert_eq!(u["SupervisionTask"], words(SupervisionTask::ALL));
        assert_eq!(u["Stage"], words(Stage::ALL));
        use minqing::case::BreakKind as B;
        assert_eq!(
            u["BreakKind"],
            words(&[B::Edited, B::Removed, B::Reordered, B::Foreign])
        );
        use RequestLight as L;
        assert_eq!(u["RequestLight"], words(&[L::Green, L::Yellow, L::Red]));
        use SignalReasonKind as K;
        assert_eq!(
            u["SignalReasonKind"],
            words(&[K::Overdue, K::FeedbackOverdue, K::Open])
        );
    }

    /// Each event type's interface against the core's serde output, with
    /// every optional field set (`full`) and none (`minimal`).
    #[test]
    fn request_events_have_the_cores_fields() {
        use minqing::case::*;
        let t = d(1).and_hms_opt(8, 0, 0).unwrap();
        let s = String::from;
        let cases: Vec<(&str, RequestEvent, RequestEvent)> = vec![
            (
                "RaisedEvent",
                RequestEvent::Raised {
                    household: HouseholdId::new("H1").unwrap(),
                    cadre: CadreId::new("C1").unwrap(),
                    category: Category::Other,
                    kind: RequestKind::Suggestion,
                    channel: Channel::Phone,
                    summary: s("x"),
                },
                RequestEvent::Raised {
                    household: HouseholdId::new("H1").unwrap(),
                    cadre: CadreId::new("C1").unwrap(),
                    category: Category::Other,
                    kind: RequestKind::Request,
                    channel: Channel::Phone,
                    summary: s(""),
                },
            ),
            (
                "TriagedEvent",
                RequestEvent::Triaged {
                    track: Track::Proxy,
                    deadline: Some(t),
                },
                RequestEvent::Triaged {
                    track: Track::Proxy,
                    deadline: None,
                },
            ),
            (
                "HandledOnSpotEvent",
                RequestEvent::HandledOnSpot { measures: s("m") },
                RequestEvent::HandledOnSpot { measures: s("") },
            ),
            (
                "ProxyStartedEvent",
                RequestEvent::ProxyStarted { measures: s("m") },
                RequestEvent::ProxyStarted { measures: s("") },
            ),
            (
                "EscalatedEvent",
                RequestEvent::Escalated {
                    to: Level::Township,
                    reason: EscalationReason::Overdue,
                    deadline: Some(t),
                    note: s("n"),
                },
                RequestEvent::Escalated {
                    to: Level::Township,
                    reason: EscalationReason::Overdue,
                    deadline: None,
                    note: s(""),
                },
            ),
            (
                "AssignedEvent",
                RequestEvent::Assigned {
                    handler: CadreId::new("C1").unwrap(),
                    deadline: t,
                    meeting_on: Some(d(1)),
                    measures: s("m"),
                },
                RequestEvent::Assigned {
                    handler: CadreId::new("C1").unwrap(),
                    deadline: t,
                    meeting_on: None,
                    measures: s(""),
                },
            ),
            (
                "MediatedEvent",
                RequestEvent::Mediated { measures: s("m") },
                RequestEvent::Mediated { measures: s("") },
            ),
            (
                "NotMediatedEvent",
                RequestEvent::NotMediated { reason: s("r") },
                RequestEvent::NotMediated { reason: s("r") },
            ),
            (
                "ExplainedEvent",
                RequestEvent::Explained { reason: s("r") },
                RequestEvent::Explained { reason: s("r") },
            ),
            (
                "ResolvedEvent",
                RequestEvent::Resolved {
                    outcome: Outcome::Full,
                    measures: s("m"),
                },
                RequestEvent::Resolved {
                    outcome: Outcome::Full,
                    measures: s(""),
                },
            ),
            (
                "FeedbackGivenEvent",
                RequestEvent::FeedbackGiven {
                    satisfaction: Satisfaction::NotSatisfied,
                    rectify_by: Some(t),
                    note: s("n"),
                },
                RequestEvent::FeedbackGiven {
                    satisfaction: Satisfaction::Satisfied,
                    rectify_by: None,
                    note: s(""),
                },
            ),
            (
                "ReopenedEvent",
                RequestEvent::Reopened {
                    reason: s("r"),
                    deadline: Some(t),
                },
                RequestEvent::Reopened {
                    reason: s("r"),
                    deadline: None,
                },
            ),
            ("ClosedEvent", RequestEvent::Closed, RequestEvent::Closed),
            (
                "CarriedOverEvent",
                RequestEvent::CarriedOver {
                    period: s("2024H2"),
                },
                RequestEvent::CarriedOver {
                    period: s("2024H2"),
                },
            ),
            (
                "SupervisedEvent",
                RequestEvent::Supervised {
                    task: SupervisionTask::Ask,
                    note: s("n"),
                },
                RequestEvent::Supervised {
                    task: SupervisionTask::Ask,
                    note: s(""),
                },
            ),
        ];
        let mut declared: BTreeSet<String> = BTreeSet::new();
        for (name, full, minimal) in &cases {
            check(name, full, minimal);
            let ty = &interfaces()[*name];
            assert!(ty["type"], "{name} has a type");
            declared.insert(full.kind_str().to_string());
        }
        // one interface for every event type: the `type` words of the union
        let union: BTreeSet<String> = TS
            .split("type: \"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_string())
            .collect();
        assert_eq!(union, declared, "every RequestEvent type is declared");
    }

    /// The records the request, coverage and compliance functions return.
    #[test]
    fn results_have_the_cores_fields() {
        use crate::{planning, requests};
        let doc = r#"{"schema": "minqing/1",
            "units": [{"unit_id": "V1", "kind": "village", "name": "一村", "population": 300}],
            "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                           {"household_id": "H2", "village_id": "V1", "residency": "away"}],
            "cadres": [{"cadre_id": "A", "name": "李某某"}, {"cadre_id": "B", "name": "王某某"}],
            "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"},
                            {"household_id": "H1", "cadre_id": "B", "from": "2024-01-01"}]}"#;
        let cov =
            planning::coverage(doc, "2024-06-30", Some(r#"{"checkIdleCadres": true}"#)).unwrap();
        check("CoverageReport", &cov, &cov);
        check("VillageCoverage", &cov.villages[0], &cov.villages[0]);
        check("CadreLoad", &cov.cadres[0], &cov.cadres[0]);
        check(
            "DoubleCover",
            &cov.doubly_covered[0],
            &cov.doubly_covered[0],
        );
        check("LoadBounds", &cov.cadres[0].bounds, &cov.cadres[0].bounds);
        let tier = minqing::assign::QuotaTier::up_to(300, 3);
        check("QuotaTier", &tier, &tier);

        let all = planning::compliance_summary(doc, None, "2024-01-01", "2024-03-31").unwrap();
        let mut full = all.clone();
        full.cadre_id = Some("A".into());
        full.village_id = Some("V1".into());
        check("ComplianceSummary", &full, &all);
        check("DateWindow", &all.window, &all.window);

        let log = serde_json::to_string(&requests::new_request_log("R1").unwrap()).unwrap();
        let raised = r#"{"type": "raised", "household_id": "H1", "cadre_id": "A",
            "category": "insurance", "channel": "phone", "summary": "x"}"#;
        let a = requests::apply_request_event(&log, "2024-01-31T15:00:00", raised).unwrap();
        let log = serde_json::to_string(&a.log).unwrap();
        let triage = r#"{"type": "triaged", "track": "proxy", "deadline": "2024-02-01T15:00:00"}"#;
        let a = requests::apply_request_event(&log, "2024-01-31T15:00:00", triage).unwrap();
        check("AppliedEvent", &a, &a);
        check("RequestLog", &a.log, &a.log);
        check("RequestEntry", &a.log.entries()[0], &a.log.entries()[0]);
        check("RequestState", &a.state, &a.state);
        check(
            "SupervisionRecord",
            &a.state.supervision,
            &a.state.supervision,
        );
        let log = serde_json::to_string(&a.log).unwrap();
        let due = requests::escalations_due(&log, "2024-03-01T00:00:00", None).unwrap();
        check("DueEvent", &due[0], &due[0]);
        let logs = format!("[{log}]");
        let m = requests::meetings_due(&logs, "2024-02-29", None).unwrap();
        check("MeetingsDue", &m, &m);
        let metrics = requests::request_metrics(&logs, "2024-03-01T00:00:00", None).unwrap();
        check("Metrics", &metrics, &metrics);
        check("Rate", &metrics.resolution, &metrics.resolution);
        let broken = log.replace("\"summary\":\"x\"", "\"summary\":\"y\"");
        let b = requests::verify_request_log(&broken)
            .unwrap()
            .expect("broken");
        check("ChainBreak", &b, &b);

        let mut with_case: Value = serde_json::from_str(doc).unwrap();
        with_case["cases"] = serde_json::from_str(&logs).unwrap();
        let s =
            planning::request_signals(&with_case.to_string(), "A", "2024-03-01T00:00:00").unwrap();
        check("RequestSignal", &s[0], &s[0]);
        check("SignalReason", &s[0].reasons[0], &s[0].reasons[0]);
    }

    /// The option and input interfaces: a sample with every declared field
    /// reads into the binding's type (which refuses unknown fields), and
    /// exactly the declared required fields cannot be left out.
    #[test]
    fn inputs_have_the_bindings_fields() {
        use crate::planning::{ComplianceScope, CoverageInput};
        use crate::requests::{CaseOptions, MetricsQueryInput, RequestIntake};
        fn input<T: serde::de::DeserializeOwned>(name: &str, sample: Value) {
            let fields = &interfaces()[name];
            let declared: BTreeSet<String> = fields.keys().cloned().collect();
            let obj = sample.as_object().unwrap();
            let given: BTreeSet<String> = obj.keys().cloned().collect();
            assert_eq!(
                declared, given,
                "the sample of {name} has every declared field"
            );
            serde_json::from_value::<T>(sample.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            for (key, required) in fields {
                let mut less = obj.clone();
                less.remove(key);
                let ok = serde_json::from_value::<T>(Value::Object(less)).is_ok();
                assert_eq!(ok, !required, "{name}.{key} is required: {required}");
            }
        }
        input::<CaseOptions>(
            "CaseOptions",
            serde_json::json!({"cardSummaryDay": 31, "jointMeetingDay": 5}),
        );
        input::<MetricsQueryInput>(
            "MetricsQuery",
            serde_json::json!({"from": "2024-01-01", "to": "2024-06-30", "cadreId": "A",
                "category": "dispute", "householdIds": ["H1"],
                "explainedCountsAsResolved": true, "partialCountsAsResolved": false}),
        );
        input::<RequestIntake>(
            "RequestIntake",
            serde_json::json!({"request_id": "R1", "at": "2024-06-01T09:00:00",
                "household_id": "H1", "cadre_id": "A", "category": "subsidy",
                "kind": "suggestion", "channel": "visit", "summary": "x"}),
        );
        input::<CoverageInput>(
            "CoverageOptions",
            serde_json::json!({"loadMin": 5, "loadMax": 10, "checkIdleCadres": true,
                "quotaTiers": [{"max_population": 300, "households": 3}]}),
        );
        // ComplianceScope is a TypeScript union of the two one-field objects
        let _: ComplianceScope =
            serde_json::from_value(serde_json::json!({"cadreId": "A"})).unwrap();
        let _: ComplianceScope =
            serde_json::from_value(serde_json::json!({"villageId": "V1"})).unwrap();
        assert!(TS.contains(
            "export type ComplianceScope = { cadreId: string } | { villageId: string } | Record<string, never>;"
        ));
    }

    /// Policies, compliance, presence and due lists (`src/cadence.rs`).
    #[test]
    fn cadence_results_have_the_cores_fields() {
        use crate::cadence::{self, ComplianceInput, DueInput};
        use minqing::cadence::{EventRule, PresenceRule, RoundRule, presets};
        use minqing::calendar::CampaignRound;
        use minqing::compliance::Accountability;
        use minqing::due::{DueEvent, DueReasonKind, DueSource, PresenceDue, SignalLight};
        let u = unions();
        let mut kinds = words(PeriodKind::ALL);
        kinds.extend(words(&[PeriodKind::Span]));
        assert_eq!(u["PeriodKind"], kinds);
        assert_eq!(
            u["DueSource"],
            words(&[DueSource::Period, DueSource::Event, DueSource::Round])
        );
        assert_eq!(
            u["SignalLight"],
            words(&[SignalLight::Green, SignalLight::Yellow, SignalLight::Red])
        );
        assert_eq!(
            u["DueReasonKind"],
            words(&[
                DueReasonKind::Overdue,
                DueReasonKind::DueSoon,
                DueReasonKind::RequestOverdue,
                DueReasonKind::RequestFeedbackOverdue,
                DueReasonKind::RequestOpen,
            ])
        );
        assert_eq!(
            u["Accountability"],
            words(&[Accountability::LastDay, Accountability::FirstDay])
        );
        assert_eq!(u["PresetName"], words(&cadence::PRESETS));

        let full_selector = Selector {
            residency: Some(Residency::Resident),
            tags: [Tag::Hardship].into(),
            villages: [UnitId::new("V1").unwrap()].into(),
            contact_household: Some(true),
            any_tags: [Tag::Disabled].into(),
        };
        check("Selector", &full_selector, &Selector::default());
        let rule = CadenceRule::new("r", Selector::default(), PeriodKind::Month);
        check("CadenceRule", &rule.clone().signed_only(true), &rule);
        let ev = EventRule::new("e", [EventKind::Funeral], 3);
        check("EventRule", &ev.clone().signed_only(true), &ev);
        let round = CampaignRound::new("第一轮", minqing::calendar::Window::year(2024).unwrap());
        check("CampaignRound", &round, &round);
        let rr = RoundRule::new("r", Selector::default(), [round]);
        check("RoundRule", &rr.clone().signed_only(true), &rr);
        let minimal = Policy::new("p").rule(rule.clone());
        let full = minimal.clone().event_rule(ev).round_rule(rr);
        check("Policy", &full, &minimal);
        let p = presets::FourFixedThreeArrivals::default();
        check("FourFixedThreeArrivals", &p, &p);
        let p = presets::ContactHouseholds::default();
        check("ContactHouseholds", &p, &p);
        let p = presets::GridOnePlusX::default();
        check("GridOnePlusX", &p, &p);
        let p = presets::VisitAllRounds::default();
        check("VisitAllRounds", &p, &p);
        let p = PresenceRule::default();
        check("PresenceRule", &p, &p);
        check("StationDays", &p.station_days, &p.station_days);

        let doc = r#"{"schema": "minqing/1",
            "units": [{"unit_id": "V1", "kind": "village"}],
            "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                           {"household_id": "H2", "village_id": "V1", "residency": "resident"}],
            "cadres": [{"cadre_id": "A", "name": "李某某"}],
            "teams": [{"team_id": "WS1", "kind": "work_station", "unit_id": "V1", "leader": "A"}],
            "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"},
                            {"household_id": "H2", "cadre_id": "A", "from": "2024-01-01"}],
            "visits": [{"household_id": "H2", "cadre_id": "A", "at": "2024-01-05T09:00:00", "mode": "in_person"},
                       {"household_id": "H1", "cadre_id": "A", "at": "2024-03-02T09:00:00", "mode": "phone"}]}"#;
        let window = r#"{"start": "2024-01-01", "end": "2024-03-31"}"#;
        let c = cadence::compliance(doc, "four_fixed_three_arrivals", window, None).unwrap();
        check("ComplianceReport", &c, &c);
        check("RuleCompliance", &c.rules[0], &c.rules[0]);
        check("VillageCompliance", &c.villages[0], &c.villages[0]);
        check("PeriodOutcome", &c.periods[0], &c.periods[0]);
        check("MissedPeriod", &c.missed[0], &c.missed[0]);
        check("CadreCompliance", &c.cadres[0], &c.cadres[0]);
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let t = cadence::TriggeredOutput {
            household_id: "H1".into(),
            rule: "e".into(),
            kind: EventKind::Funeral,
            event_date: day,
            due: day,
            met: true,
            met_on: Some(day),
        };
        check("TriggeredVisit", &t, &t);
        let rv = cadence::RoundVisitOutput {
            household_id: "H1".into(),
            rule: "r".into(),
            round: "第一轮".into(),
            met: false,
            met_on: None,
        };
        check("RoundVisit", &rv, &rv);
        let rc = cadence::RoundOutput {
            rule: "r".into(),
            round: "第一轮".into(),
            selected: 1,
            visited: 0,
            villages: c.villages.clone(),
        };
        check("RoundCoverage", &rc, &rc);

        let pr = cadence::station_presence(
            doc,
            "WS1",
            window,
            Some(r#"{"year": "month", "min_days_per_year": 1}"#),
        )
        .unwrap();
        check("PresenceReport", &pr, &pr);
        check("PresencePeriod", &pr.weeks[0], &pr.weeks[0]);
        check("StationDayHeld", &pr.station_days[0], &pr.station_days[0]);

        let list = cadence::due_list(doc, "A", "2024-03-13", None).unwrap();
        let item = list
            .items
            .iter()
            .find(|i| i.missed_period.is_some())
            .expect("red");
        let mut full_item = item.clone();
        let event = DueEvent {
            kind: EventKind::Funeral,
            date: day,
        };
        check("DueItemEvent", &event, &event);
        full_item.event = Some(event);
        full_item.round = Some("第一轮".into());
        check("DueItem", &full_item, item);
        let mut span = item.period;
        span.last = Some(day);
        check("Period", &span, &item.period);
        let presence = PresenceDue {
            team_id: TeamId::new("WS1").unwrap(),
            week: item.period,
            days_this_week: 1,
            days_last_week: 0,
            min_days_per_week: 1,
            year: item.period,
            days_this_year: 3,
            min_days_per_year: 52,
            next_station_day: Some(day),
            light: SignalLight::Yellow,
        };
        check("PresenceDue", &presence, &presence);
        let mut full_list = list.clone();
        full_list.event_rules = full.event_rules.clone();
        full_list.round_rules = full.round_rules.clone();
        full_list.presence = vec![presence];
        check("DueList", &full_list, &list);
        let h = &list.households[0];
        check("HouseholdSignal", h, h);
        let plan = crate::plan::Plan::new(full_list.clone());
        check("DueCounts", &plan.counts(), &plan.counts());
        let plain = crate::plan::Plan::new(list.clone());
        check("DueRules", &plan.rules(), &plain.rules());
        let mut reason = h.reasons[0].clone();
        reason.rule_index = None;
        reason.request_id = None;
        reason.deadline = None;
        reason.source = None;
        let mut full = reason.clone();
        full.rule_index = Some(0);
        full.request_id = Some(RequestId::new("R1").unwrap());
        full.deadline = Some(day);
        full.source = Some(DueSource::Period);
        check("DueReason", &full, &reason);

        fn input<T: serde::de::DeserializeOwned>(name: &str, sample: Value) {
            let fields = &interfaces()[name];
            let declared: BTreeSet<String> = fields.keys().cloned().collect();
            let given: BTreeSet<String> = sample.as_object().unwrap().keys().cloned().collect();
            assert_eq!(
                declared, given,
                "the sample of {name} has every declared field"
            );
            assert!(fields.values().all(|r| !r), "{name}: every field optional");
            serde_json::from_value::<T>(sample).unwrap_or_else(|e| panic!("{name}: {e}"));
            serde_json::from_value::<T>(serde_json::json!({})).unwrap();
        }
        input::<DueInput>(
            "DueOptions",
            serde_json::json!({"policy": "contact_households", "yellowDays": 2, "requestTime": "08:00:00",
                "eventLookbackDays": 30, "presence": true}),
        );
        input::<ComplianceInput>(
            "ComplianceOptions",
            serde_json::json!({"accountability": "first_day"}),
        );
    }

    #[test]
    fn the_document_has_the_data_sets_collections() {
        let mut expected = keys(&Dataset::new());
        expected.insert("schema".into());
        let doc = &interfaces()["MinqingDocument"];
        let declared: BTreeSet<String> = doc.keys().cloned().collect();
        assert_eq!(declared, expected);
        assert!(doc["schema"], "schema is required");
    }
}
