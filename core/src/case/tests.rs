use super::*;
use chrono::{Duration, NaiveDate};

fn t(m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn raised(category: Category) -> RequestEvent {
    RequestEvent::Raised {
        household: HouseholdId::new("H1").unwrap(),
        cadre: CadreId::new("C1").unwrap(),
        category,
        kind: RequestKind::Request,
        channel: Channel::Visit,
        summary: "a request".into(),
    }
}

fn new_log(category: Category, at: NaiveDateTime) -> RequestLog {
    let mut log = RequestLog::new(RequestId::new("R1").unwrap());
    log.append(at, raised(category)).unwrap();
    log
}

fn resolved() -> RequestEvent {
    RequestEvent::Resolved {
        outcome: Outcome::Full,
        measures: "done".into(),
    }
}

fn satisfied() -> RequestEvent {
    RequestEvent::FeedbackGiven {
        satisfaction: Satisfaction::Satisfied,
        rectify_by: None,
        note: String::new(),
    }
}

#[test]
fn on_the_spot_track_to_closed() {
    let p = CasePolicy::default();
    let mut log = new_log(Category::Other, t(5, 6, 10));
    log.append(t(5, 6, 10), p.triage_default(Category::Other, t(5, 6, 10)))
        .unwrap();
    log.append(
        t(5, 6, 10),
        RequestEvent::HandledOnSpot {
            measures: String::new(),
        },
    )
    .unwrap();
    log.append(t(5, 6, 11), satisfied()).unwrap();
    log.append(t(5, 7, 9), RequestEvent::Closed).unwrap();
    let s = log.state().unwrap();
    assert_eq!(s.stage, Stage::Closed);
    assert!(s.on_the_spot && s.concluded_on_time == Some(true));
    assert_eq!(s.closed_at, Some(t(5, 7, 9)));
    // after closing only a reopening (with a reason) is accepted
    let before = log.clone();
    assert_eq!(
        log.append(t(5, 8, 9), resolved()).unwrap_err().code(),
        Code::RequestClosed
    );
    let silent = RequestEvent::Reopened {
        reason: " ".into(),
        deadline: None,
    };
    assert_eq!(
        log.append(t(5, 8, 9), silent).unwrap_err().code(),
        Code::RequestMissingReason
    );
    assert_eq!(log, before);
    log.append(
        t(5, 8, 9),
        RequestEvent::Reopened {
            reason: "the fix did not hold".into(),
            deadline: Some(t(5, 9, 9)),
        },
    )
    .unwrap();
    let s = log.state().unwrap();
    assert_eq!((s.stage, s.reopened, s.closed_at), (Stage::Open, 1, None));
}

#[test]
fn refusals_have_codes_and_keep_the_log() {
    let p = CasePolicy::default();
    let mut empty = RequestLog::new(RequestId::new("R1").unwrap());
    assert_eq!(
        empty
            .append(t(5, 6, 10), RequestEvent::Closed)
            .unwrap_err()
            .code(),
        Code::RequestNotRaised
    );
    let mut log = new_log(Category::Insurance, t(5, 6, 10));
    let cases: Vec<(NaiveDateTime, RequestEvent, Code)> = vec![
        (t(5, 6, 10), raised(Category::Other), Code::RequestNotRaised),
        (
            t(5, 6, 9),
            p.triage(Track::Proxy, t(5, 6, 9)),
            Code::RequestOutOfOrder,
        ),
        (t(5, 6, 11), satisfied(), Code::RequestBadTransition),
        (
            t(5, 6, 11),
            RequestEvent::Triaged {
                track: Track::Proxy,
                deadline: Some(t(5, 6, 11)),
            },
            Code::RequestBadDeadline,
        ),
        (
            t(5, 6, 11),
            RequestEvent::HandledOnSpot {
                measures: String::new(),
            },
            Code::RequestBadTransition,
        ),
    ];
    for (at, ev, code) in cases {
        let before = serde_json::to_string(&log).unwrap();
        let err = log.append(at, ev).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(!err.message_zh().is_empty() && !err.message_en().is_empty());
        assert_ne!(err.message_zh(), err.message_en());
        assert_eq!(serde_json::to_string(&log).unwrap(), before);
    }
    log.append(t(5, 6, 11), p.triage(Track::Proxy, t(5, 6, 11)))
        .unwrap();
    log.append(
        t(5, 6, 12),
        RequestEvent::ProxyStarted {
            measures: String::new(),
        },
    )
    .unwrap();
    // a second start, and a re-triage after handling began, are refused
    assert!(
        log.append(
            t(5, 6, 12),
            RequestEvent::ProxyStarted {
                measures: String::new()
            }
        )
        .is_err()
    );
    assert!(
        log.append(t(5, 6, 12), p.triage(Track::Joint, t(5, 6, 12)))
            .is_err()
    );
    // escalation must go up
    let down = p.escalate(Level::Cadre, EscalationReason::BeyondPower, t(5, 6, 12), "");
    assert_eq!(
        log.append(t(5, 6, 12), down).unwrap_err().code(),
        Code::RequestBadLevel
    );
    // not satisfied needs a deadline
    log.append(t(5, 7, 9), resolved()).unwrap();
    let no_deadline = RequestEvent::FeedbackGiven {
        satisfaction: Satisfaction::NotSatisfied,
        rectify_by: None,
        note: String::new(),
    };
    assert_eq!(
        log.append(t(5, 7, 10), no_deadline).unwrap_err().code(),
        Code::RequestMissingDeadline
    );
    assert_eq!(log.len(), 4);
    assert!(log.verify().is_ok());
}

#[test]
fn proxy_overdue_climbs_the_ladder_to_county_supervision() {
    let p = CasePolicy::default();
    let at = t(1, 31, 15);
    let mut log = new_log(Category::HouseholdRegistration, at);
    log.append(at, p.triage_default(Category::HouseholdRegistration, at))
        .unwrap();
    assert_eq!(log.state().unwrap().deadline, Some(t(2, 1, 15)));
    assert!(escalations_due(&log, &p, t(2, 1, 15)).is_empty());
    let mut now = t(2, 1, 16);
    let mut levels = Vec::new();
    for _ in 0..4 {
        let due = escalations_due(&log, &p, now);
        assert_eq!(due.len(), 1);
        log.append(due[0].at, due[0].event.clone()).unwrap();
        let s = log.state().unwrap();
        levels.push(s.level);
        now = s.deadline.unwrap() + Duration::hours(1);
    }
    assert_eq!(
        levels,
        vec![
            Level::WorkTeam,
            Level::VillageCommittees,
            Level::Township,
            Level::County
        ]
    );
    let s = log.state().unwrap();
    assert_eq!(s.track, Some(Track::Joint));
    // at the county: the three supervision tasks; ask again a week later
    let due = escalations_due(&log, &p, now);
    let tasks: Vec<&str> = due.iter().map(|d| d.event.kind_str()).collect();
    assert_eq!(tasks, vec!["supervised"; 3]);
    for d in &due {
        log.append(d.at, d.event.clone()).unwrap();
    }
    assert!(escalations_due(&log, &p, now + Duration::days(6)).is_empty());
    let due = escalations_due(&log, &p, now + Duration::days(7));
    assert_eq!(
        due.iter().map(|d| d.event.clone()).collect::<Vec<_>>(),
        vec![RequestEvent::Supervised {
            task: SupervisionTask::Ask,
            note: String::new()
        }]
    );
    assert!(log.verify().is_ok());
}

#[test]
fn unmediated_dispute_goes_to_the_township_and_a_meeting() {
    let p = CasePolicy::default();
    let at = t(5, 20, 9);
    let mut log = new_log(Category::Dispute, at);
    log.append(at, p.triage_default(Category::Dispute, at))
        .unwrap();
    assert_eq!(log.state().unwrap().track, Some(Track::Mediation));
    assert!(
        escalations_due(&log, &p, t(9, 1, 9)).is_empty(),
        "no mediation deadline"
    );
    log.append(
        t(5, 21, 9),
        RequestEvent::NotMediated {
            reason: "both sides refuse".into(),
        },
    )
    .unwrap();
    let due = escalations_due(&log, &p, t(5, 21, 10));
    assert!(matches!(
        due[0].event,
        RequestEvent::Escalated {
            to: Level::Township,
            reason: EscalationReason::NotMediated,
            ..
        }
    ));
    log.append(due[0].at, due[0].event.clone()).unwrap();
    // escalated on 21 May: after the 3rd, so the 5 June meeting
    let m = meetings_due(
        std::slice::from_ref(&log),
        &p,
        NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
    );
    assert_eq!(
        m.joint_meeting,
        NaiveDate::from_ymd_opt(2024, 6, 5).unwrap()
    );
    assert_eq!(m.joint_agenda, vec![RequestId::new("R1").unwrap()]);
    let m = meetings_due(
        std::slice::from_ref(&log),
        &p,
        NaiveDate::from_ymd_opt(2024, 6, 6).unwrap(),
    );
    assert_eq!(m.joint_missed, vec![RequestId::new("R1").unwrap()]);
    log.append(
        t(6, 5, 9),
        RequestEvent::Assigned {
            handler: CadreId::new("C9").unwrap(),
            deadline: t(6, 30, 18),
            meeting_on: NaiveDate::from_ymd_opt(2024, 6, 5),
            measures: String::new(),
        },
    )
    .unwrap();
    log.append(
        t(6, 10, 9),
        RequestEvent::Mediated {
            measures: String::new(),
        },
    )
    .unwrap();
    let s = log.state().unwrap();
    assert!(s.mediated && s.concluded_on_time == Some(true));
    assert_eq!(s.responsible().as_str(), "C9");
}

#[test]
fn not_satisfied_opens_a_rectification() {
    let p = CasePolicy::default();
    let at = t(3, 1, 9);
    let mut log = new_log(Category::Subsidy, at);
    log.append(at, p.triage_default(Category::Subsidy, at))
        .unwrap();
    log.append(
        t(3, 1, 20),
        RequestEvent::Resolved {
            outcome: Outcome::Partial,
            measures: String::new(),
        },
    )
    .unwrap();
    log.append(t(3, 2, 9), p.not_satisfied(t(3, 2, 9), ""))
        .unwrap();
    let s = log.state().unwrap();
    assert_eq!(
        (s.stage, s.deadline),
        (Stage::Rectifying, Some(t(3, 17, 9)))
    );
    // rectification overdue: one level up
    let due = escalations_due(&log, &p, t(3, 17, 10));
    assert!(matches!(
        due[0].event,
        RequestEvent::Escalated {
            to: Level::WorkTeam,
            ..
        }
    ));
    log.append(t(3, 10, 9), resolved()).unwrap();
    log.append(t(3, 10, 10), satisfied()).unwrap();
    log.append(t(3, 10, 11), RequestEvent::Closed).unwrap();
    assert_eq!(log.state().unwrap().outcome, Some(Outcome::Full));
}

#[test]
fn hash_chain_finds_edits_removals_reorders() {
    let p = CasePolicy::default();
    let at = t(3, 1, 9);
    let mut log = new_log(Category::Subsidy, at);
    log.append(at, p.triage_default(Category::Subsidy, at))
        .unwrap();
    log.append(
        t(3, 1, 10),
        RequestEvent::ProxyStarted {
            measures: String::new(),
        },
    )
    .unwrap();
    log.append(t(3, 1, 20), resolved()).unwrap();
    assert!(log.verify().is_ok());
    assert_eq!(log.entries()[0].prev_hash, Hash::GENESIS);
    assert_eq!(log.entries()[1].prev_hash, log.entries()[0].hash);
    let id = log.request_id().clone();
    let mut e = log.entries().to_vec();

    let mut edited = e.clone();
    edited[2].at = t(3, 1, 11);
    let b = RequestLog::from_entries(id.clone(), edited)
        .verify()
        .unwrap_err();
    assert_eq!((b.index, b.kind), (2, BreakKind::Edited));

    let mut rehashed = e.clone();
    rehashed[1].event = p.triage(Track::Proxy, t(3, 2, 9));
    rehashed[1].hash = rehashed[1].compute_hash();
    let b = RequestLog::from_entries(id.clone(), rehashed)
        .verify()
        .unwrap_err();
    assert_eq!((b.index, b.kind), (1, BreakKind::Edited));

    let mut removed = e.clone();
    removed.remove(1);
    let b = RequestLog::from_entries(id.clone(), removed)
        .verify()
        .unwrap_err();
    assert_eq!((b.index, b.kind), (1, BreakKind::Removed));

    let mut swapped = e.clone();
    swapped.swap(1, 2);
    let b = RequestLog::from_entries(id.clone(), swapped)
        .verify()
        .unwrap_err();
    assert_eq!((b.index, b.kind), (1, BreakKind::Reordered));

    let mut foreign = e.clone();
    foreign[3].request_id = RequestId::new("R2").unwrap();
    let b = RequestLog::from_entries(id.clone(), foreign)
        .verify()
        .unwrap_err();
    assert_eq!((b.index, b.kind), (3, BreakKind::Foreign));

    // cut short at the end: only the recorded head tells
    let head = log.head();
    e.pop();
    let short = RequestLog::from_entries(id, e);
    assert!(short.verify().is_ok());
    let b = short.verify_head(4, head).unwrap_err();
    assert_eq!((b.index, b.kind), (3, BreakKind::Removed));
    assert!(log.verify_head(4, head).is_ok());
    assert_eq!(Hash::from_hex(&head.to_hex()), Some(head));
    assert_eq!(Hash::from_hex("zz"), None);
}

#[test]
fn canonical_bytes_are_documented_ones() {
    let p = CasePolicy::default();
    let at = t(5, 6, 10);
    let mut log = new_log(Category::Insurance, at);
    log.append(at, p.triage(Track::Proxy, at)).unwrap();
    let e = &log.entries()[1];
    assert_eq!(
        String::from_utf8(e.canonical_bytes()).unwrap(),
        r#"{"request_id":"R1","seq":1,"at":"2024-05-06T10:00:00","event":{"type":"triaged","track":"proxy","deadline":"2024-05-07T10:00:00"}}"#
    );
    // a line written with other white space and field order parses to the same hash
    let line = r#"{ "hash": "HASH", "prev_hash": "PREV", "event": {"deadline": "2024-05-07T10:00:00", "track": "proxy", "type": "triaged"}, "at": "2024-05-06T10:00:00", "seq": 1, "request_id": "R1" }"#
        .replace("HASH", &e.hash.to_hex())
        .replace("PREV", &e.prev_hash.to_hex());
    let back: Entry = serde_json::from_str(&line).unwrap();
    assert_eq!(back.compute_hash(), e.hash);
}

#[test]
fn jsonl_round_trip_and_line_errors() {
    let p = CasePolicy::default();
    let mut a = new_log(Category::Other, t(5, 6, 10));
    a.append(t(5, 6, 10), p.triage(Track::OnTheSpot, t(5, 6, 10)))
        .unwrap();
    let mut b = RequestLog::new(RequestId::new("R2").unwrap());
    b.append(t(5, 6, 11), raised(Category::Dispute)).unwrap();
    let text = write_jsonl(&[a.clone(), b.clone()]);
    assert_eq!(text.lines().count(), 3);
    let (logs, report) = read_jsonl(&text, "cases.jsonl");
    assert!(report.is_empty(), "{report}");
    assert_eq!(logs, vec![a.clone(), b]);
    let broken = format!(
        "\u{feff}{}\n\n{{\"request_id\": 5}}\n{{oops\n",
        text.trim_end()
    );
    let (logs, report) = read_jsonl(&broken, "cases.jsonl");
    assert_eq!(logs.len(), 2);
    let got: Vec<(Code, Option<u64>)> = report.iter().map(|p| (p.code, p.location.line)).collect();
    assert_eq!(
        got,
        vec![(Code::JsonShape, Some(5)), (Code::JsonSyntax, Some(6))]
    );
    assert_eq!(
        report.problems[0].location.file.as_deref(),
        Some("cases.jsonl")
    );
}

#[test]
fn views_and_signal() {
    let p = CasePolicy::default();
    let at = t(5, 6, 10);
    let mut proxy = new_log(Category::Insurance, at);
    proxy
        .append(at, p.triage_default(Category::Insurance, at))
        .unwrap();
    let mut joint = RequestLog::new(RequestId::new("R2").unwrap());
    joint.append(at, raised(Category::Infrastructure)).unwrap();
    joint.append(at, p.triage(Track::Joint, at)).unwrap();
    joint
        .append(
            at,
            p.escalate(Level::Township, EscalationReason::BeyondPower, at, ""),
        )
        .unwrap();
    let mut done = RequestLog::new(RequestId::new("R3").unwrap());
    done.append(at, raised(Category::Other)).unwrap();
    done.append(at, p.triage(Track::OnTheSpot, at)).unwrap();
    done.append(
        at,
        RequestEvent::HandledOnSpot {
            measures: "fixed".into(),
        },
    )
    .unwrap();
    let logs = vec![proxy, joint, done];

    let l = intake_ledgers(&logs, at);
    assert_eq!(
        (l.on_the_spot.len(), l.proxy.len(), l.escalated.len()),
        (1, 1, 1)
    );
    let mine = open_requests_for_cadre(&logs, &CadreId::new("C1").unwrap(), at);
    let order: Vec<&str> = mine.iter().map(|r| r.request_id.as_str()).collect();
    assert_eq!(
        order,
        vec!["R1", "R2", "R3"],
        "soonest deadline first, none last"
    );

    let visits = vec![crate::visit::Visit::new(
        HouseholdId::new("H1").unwrap(),
        CadreId::new("C1").unwrap(),
        at,
        crate::visit::Mode::InPerson,
    )];
    let day = at.date();
    let o = one_ledger_two_lists(&visits, &logs, day, day);
    assert_eq!(o.visits[0].requests.len(), 3);
    assert_eq!(o.requests.len(), 2);
    assert_eq!(o.completed[0].measures, "fixed");

    let h1 = HouseholdId::new("H1").unwrap();
    let s = request_signal(&logs, &h1, &p, at + Duration::hours(1));
    assert_eq!(s.light, RequestLight::Yellow);
    let s = request_signal(&logs, &h1, &p, at + Duration::hours(25));
    assert_eq!(s.light, RequestLight::Red);
    assert_eq!(s.reasons[0].kind, SignalReasonKind::Overdue);
    assert_eq!(s.reasons[0].request_id.as_str(), "R1");
    // R3 waits for feedback: red once the 7 feedback days have passed
    let s = request_signal(&logs[2..], &h1, &p, at + Duration::days(8));
    assert_eq!(s.reasons[0].kind, SignalReasonKind::FeedbackOverdue);
    let other = request_signal(&logs, &HouseholdId::new("H2").unwrap(), &p, at);
    assert_eq!(other.light, RequestLight::Green);
}

#[test]
fn meeting_dates_clamp_to_month_end() {
    let c = ReportingCycle::default()
        .card_summary_day(31)
        .joint_meeting_day(31);
    let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    assert_eq!(c.card_summary_on_or_after(d(4, 2)), d(4, 30));
    assert_eq!(c.joint_meeting_for(d(2, 29)), d(2, 29));
    assert_eq!(c.joint_meeting_for(d(12, 31)), d(12, 31));
    let c = ReportingCycle::default();
    assert_eq!(
        c.joint_meeting_for(d(12, 4)),
        NaiveDate::from_ymd_opt(2025, 1, 5).unwrap()
    );
    // 2024-05-06 is a Monday
    assert_eq!(c.analysis_meeting_on_or_after(d(5, 6)), d(5, 6));
    assert_eq!(c.analysis_meeting_on_or_after(d(5, 7)), d(5, 13));
}
