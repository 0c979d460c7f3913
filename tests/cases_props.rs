//! Property tests of request logs (issue 4): random event sequences never
//! panic; a refused event leaves the log byte-identical; every accepted log
//! verifies; any single edit is detected; the fold of a log equals the fold
//! of its JSON Lines round trip.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use minqing::case::{
    self, BreakKind, Category, Channel, EscalationReason, Level, Outcome, RequestEvent,
    RequestKind, RequestLog, Satisfaction, SupervisionTask, Track,
};
use minqing::id::{CadreId, HouseholdId, RequestId};
use proptest::prelude::*;

fn base() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 1, 31)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    (0..all.len()).prop_map(move |i| all[i])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        "[a-z 某户\"\\\\]{1,12}"
    ]
}

fn deadline() -> impl Strategy<Value = Option<NaiveDateTime>> {
    prop_oneof![
        Just(None),
        (-48i64..24 * 40).prop_map(|h| Some(base() + Duration::hours(h)))
    ]
}

fn event() -> impl Strategy<Value = RequestEvent> {
    prop_oneof![
        (
            pick(Category::ALL),
            pick(RequestKind::ALL),
            pick(Channel::ALL),
            text()
        )
            .prop_map(|(category, kind, channel, summary)| RequestEvent::Raised {
                household: HouseholdId::new("H1").unwrap(),
                cadre: CadreId::new("C1").unwrap(),
                category,
                kind,
                channel,
                summary,
            }),
        (pick(Track::ALL), deadline())
            .prop_map(|(track, deadline)| RequestEvent::Triaged { track, deadline }),
        text().prop_map(|measures| RequestEvent::HandledOnSpot { measures }),
        text().prop_map(|measures| RequestEvent::ProxyStarted { measures }),
        (
            pick(Level::ALL),
            pick(EscalationReason::ALL),
            deadline(),
            text()
        )
            .prop_map(|(to, reason, deadline, note)| RequestEvent::Escalated {
                to,
                reason,
                deadline,
                note
            }),
        (0i64..24 * 60).prop_map(|h| RequestEvent::Assigned {
            handler: CadreId::new("C2").unwrap(),
            deadline: base() + Duration::hours(h),
            meeting_on: None,
            measures: String::new(),
        }),
        text().prop_map(|measures| RequestEvent::Mediated { measures }),
        text().prop_map(|reason| RequestEvent::NotMediated { reason }),
        text().prop_map(|reason| RequestEvent::Explained { reason }),
        (pick(Outcome::ALL), text())
            .prop_map(|(outcome, measures)| RequestEvent::Resolved { outcome, measures }),
        (pick(Satisfaction::ALL), deadline(), text()).prop_map(
            |(satisfaction, rectify_by, note)| RequestEvent::FeedbackGiven {
                satisfaction,
                rectify_by,
                note
            }
        ),
        (text(), deadline())
            .prop_map(|(reason, deadline)| RequestEvent::Reopened { reason, deadline }),
        Just(RequestEvent::Closed),
        text().prop_map(|period| RequestEvent::CarriedOver { period }),
        (pick(SupervisionTask::ALL), text())
            .prop_map(|(task, note)| RequestEvent::Supervised { task, note }),
    ]
}

/// A sequence that starts with a raise more often than not, so that deep
/// histories are reached, at instants that mostly go forward.
fn sequence() -> impl Strategy<Value = Vec<(i64, RequestEvent)>> {
    prop::collection::vec((-2i64..30, event()), 1..40)
}

/// Appends everything it can: the log, and how many events were refused.
fn build(seq: &[(i64, RequestEvent)], escalate: bool) -> (RequestLog, usize) {
    let policy = case::CasePolicy::default();
    let mut log = RequestLog::new(RequestId::new("R1").unwrap());
    let mut at = base();
    let mut refused = 0;
    for (step, ev) in seq {
        at += Duration::hours(*step);
        let before = serde_json::to_string(&log).unwrap();
        if log.append(at, ev.clone()).is_err() {
            refused += 1;
            assert_eq!(serde_json::to_string(&log).unwrap(), before);
        }
        if escalate {
            for due in case::escalations_due(&log, &policy, at) {
                log.append(due.at, due.event).expect("a due event fits");
            }
        }
    }
    (log, refused)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_sequences_never_panic_and_refusals_change_nothing(seq in sequence(), escalate in any::<bool>()) {
        let (log, refused) = build(&seq, escalate);
        prop_assert!(log.len() + refused >= seq.len());
        // every accepted log verifies and folds
        prop_assert!(log.verify().is_ok());
        if !log.is_empty() {
            prop_assert!(log.state().is_ok());
        }
    }

    #[test]
    fn jsonl_round_trip_keeps_the_fold(seq in sequence()) {
        let (log, _) = build(&seq, true);
        prop_assume!(!log.is_empty());
        let text = case::write_jsonl(std::slice::from_ref(&log));
        let (back, report) = case::read_jsonl(&text, "cases.jsonl");
        prop_assert!(report.is_empty());
        prop_assert_eq!(back.len(), 1);
        prop_assert_eq!(back[0].state().unwrap(), log.state().unwrap());
        prop_assert_eq!(&back[0], &log);
        prop_assert!(back[0].verify().is_ok());
    }

    #[test]
    fn any_single_edit_is_detected(seq in sequence(), which in any::<prop::sample::Index>(), how in 0u8..6) {
        let (log, _) = build(&seq, true);
        prop_assume!(!log.is_empty());
        let mut entries = log.entries().to_vec();
        let i = which.index(entries.len());
        let e = &mut entries[i];
        match how {
            0 => e.at += Duration::seconds(1),
            1 => e.seq += 1,
            2 => e.request_id = RequestId::new("R2").unwrap(),
            3 => e.event = RequestEvent::CarriedOver { period: "edited!".into() },
            4 => e.prev_hash.0[0] ^= 1,
            _ => e.hash.0[31] ^= 0x80,
        }
        let edited = RequestLog::from_entries(log.request_id().clone(), entries);
        let brk = edited.verify().expect_err("the edit is detected");
        prop_assert_eq!(brk.index, i);
        if how != 2 {
            prop_assert_eq!(brk.kind, BreakKind::Edited);
        }
    }

    #[test]
    fn a_removal_or_swap_is_detected(seq in sequence(), which in any::<prop::sample::Index>()) {
        let (log, _) = build(&seq, true);
        prop_assume!(log.len() >= 2);
        let n = log.len();
        let i = which.index(n - 1);
        let mut removed = log.entries().to_vec();
        removed.remove(i);
        let brk = RequestLog::from_entries(log.request_id().clone(), removed).verify();
        prop_assert_eq!(brk.map_err(|b| (b.index, b.kind)), Err((i, BreakKind::Removed)));
        let mut swapped = log.entries().to_vec();
        swapped.swap(i, i + 1);
        let brk = RequestLog::from_entries(log.request_id().clone(), swapped).verify();
        prop_assert_eq!(brk.map_err(|b| (b.index, b.kind)), Err((i, BreakKind::Reordered)));
    }
}
