//! Properties of compliance: the rate lies in [0, 1]; adding a visit never
//! lowers `met`; the order of visits never changes any output; sequential
//! and parallel scans agree. The policy mixes period rules, event-triggered
//! rules and campaign-round rules.

use chrono::{Days, NaiveDate};
use minqing::cadence::{CadenceRule, EventRule, Policy, RoundRule, Selector, presets};
use minqing::calendar::{CampaignRound, PeriodKind, Window};
use minqing::compliance::{
    ComplianceReport, Execution, HouseholdColumns, IndexedEvent, VisitColumns,
    compliance_with_events,
};
use minqing::event::EventKind;
use minqing::household::Residency;
use minqing::visit::Mode;
use proptest::prelude::*;

type V = (u32, u32, u8, bool);

fn setup(n: usize, res: &[bool], visits: &[V]) -> (HouseholdColumns, VisitColumns) {
    let mut hs = HouseholdColumns::new();
    for (i, &r) in res.iter().enumerate().take(n) {
        let tags: &[&str] = if i % 3 == 0 {
            &["contact_household"]
        } else {
            &[]
        };
        let reg = (i % 5 == 0).then(|| {
            NaiveDate::from_ymd_opt(2024, 1 + (i % 12) as u32, 1 + (i % 28) as u32).unwrap()
        });
        hs.push(
            &format!("H{:03}", (i * 7919) % 1000),
            &format!("V{}", i % 4),
            if r {
                Residency::Resident
            } else {
                Residency::Away
            },
            tags.iter().copied(),
            reg,
        );
    }
    let start = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
    let mut vs = VisitColumns::new();
    for &(h, day, mode, signed) in visits {
        vs.push(
            h,
            start + Days::new(u64::from(day)),
            Mode::ALL[mode as usize % 4],
            signed,
        );
    }
    (hs, vs)
}

fn events(raw: &[(u32, u32, u8)]) -> Vec<IndexedEvent> {
    let start = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
    raw.iter()
        .map(|&(h, day, k)| IndexedEvent {
            household: h,
            date: start + Days::new(u64::from(day)),
            kind: match k % 4 {
                0 => EventKind::Hospitalisation,
                1 => EventKind::Wedding,
                2 => EventKind::Funeral,
                _ => EventKind::Custom("满月".into()),
            },
        })
        .collect()
}

fn policy() -> Policy {
    let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    let rounds = vec![
        CampaignRound::new("一", Window::new(d(2, 1), d(2, 29)).unwrap()),
        CampaignRound::new("二", Window::new(d(6, 1), d(8, 31)).unwrap()),
        CampaignRound::new(
            "跨年",
            Window::new(d(12, 1), d(12, 31) + Days::new(10)).unwrap(),
        ),
    ];
    let mut p = presets::grid_one_plus_x();
    p.rules.clear();
    p.event_rules.push(
        EventRule::new("twice_signed", [], 10)
            .min_contacts(2)
            .signed_only(true),
    );
    p.round_rules = presets::visit_all_rounds(rounds.clone()).round_rules;
    p.round_rules.push(
        RoundRule::new(
            "contact_twice",
            Selector::new().contact_household(true),
            rounds,
        )
        .min_contacts(2),
    );
    presets::four_fixed_three_arrivals()
        .rule(presets::contact_households().rules[0].clone())
        .rule(
            CadenceRule::new(
                "signed_twice_quarterly",
                Selector::new().residency(Residency::Away),
                PeriodKind::Quarter,
            )
            .min_contacts(2)
            .signed_only(true),
        )
        .event_rule(p.event_rules[0].clone())
        .event_rule(p.event_rules[1].clone())
        .event_rule(p.event_rules[2].clone())
        .round_rule(p.round_rules[0].clone())
        .round_rule(p.round_rules[1].clone())
        .round_rule(p.round_rules[2].clone())
}

type Outputs = (
    u64,
    u64,
    Vec<(String, u64, u64)>,
    Vec<(u32, u16, NaiveDate)>,
    String,
);

fn outputs(r: &ComplianceReport) -> Outputs {
    (
        r.required,
        r.met,
        r.villages
            .iter()
            .map(|v| (v.village_id.clone(), v.required, v.met))
            .collect(),
        r.missed()
            .map(|m| (m.household, m.rule, m.period.start))
            .collect(),
        serde_json::to_string(&(&r.triggered, &r.round_visits, &r.rounds, &r.event_rules)).unwrap(),
    )
}

fn run(
    hs: &HouseholdColumns,
    vs: &VisitColumns,
    ev: &[IndexedEvent],
    exec: Execution,
) -> ComplianceReport {
    compliance_with_events(hs, vs, ev, &policy(), window(), exec).unwrap()
}

fn window() -> Window {
    Window::new(
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    )
    .unwrap()
}

proptest! {
    #[test]
    fn invariants(
        res in prop::collection::vec(any::<bool>(), 1..25),
        visits in prop::collection::vec((0u32..27, 0u32..420, 0u8..4, any::<bool>()), 0..300),
        extra in (0u32..25, 0u32..420, 0u8..4, any::<bool>()),
        raw_events in prop::collection::vec((0u32..27, 0u32..420, 0u8..4), 0..12),
        same_day in prop::collection::vec((0u32..4, 0u8..4), 0..6),
        seed in any::<u64>(),
    ) {
        let n = res.len();
        let (hs, vs) = setup(n, &res, &visits);
        // Some events share a household and a day (a wedding and a funeral
        // on 2024-03-05 …), so that their order is tested too.
        let mut raw_events = raw_events;
        raw_events.extend(same_day.iter().map(|&(h, k)| (h, 95, k)));
        let ev = events(&raw_events);
        let base = run(&hs, &vs, &ev, Execution::Sequential);
        prop_assert!(base.met <= base.required);
        let parts = base.rules.iter().map(|r| r.required).sum::<u64>()
            + base.event_rules.iter().map(|r| r.required).sum::<u64>()
            + base.round_rules.iter().map(|r| r.required).sum::<u64>();
        prop_assert_eq!(parts, base.required);
        for t in &base.triggered {
            prop_assert!(t.event_date <= t.due);
            prop_assert_eq!(t.met, t.met_on.is_some());
            if let Some(on) = t.met_on {
                prop_assert!(t.event_date <= on && on <= t.due);
            }
        }
        for c in &base.rounds {
            prop_assert!(c.visited <= c.selected);
        }
        if let Some(rate) = base.rate() {
            prop_assert!((0.0..=1.0).contains(&rate));
        }
        for v in &base.villages {
            prop_assert!(v.met <= v.required);
        }
        prop_assert_eq!(
            (base.missed().count() + base.missed_triggered().count() + base.missed_rounds().count())
                as u64,
            base.required - base.met
        );

        // Parallel agrees with sequential.
        let par = run(&hs, &vs, &ev, Execution::Parallel);
        prop_assert_eq!(outputs(&par), outputs(&base));

        // Shuffling the visits changes nothing.
        let mut shuffled = visits.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let (_, vs2) = setup(n, &res, &shuffled);
        let mut ev2 = ev.clone();
        for i in (1..ev2.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            ev2.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let r2 = run(&hs, &vs2, &ev2, Execution::Sequential);
        prop_assert_eq!(outputs(&r2), outputs(&base));

        // One more visit never lowers met, nor changes required.
        let mut more = visits.clone();
        more.push(extra);
        let (_, vs3) = setup(n, &res, &more);
        let r3 = run(&hs, &vs3, &ev, Execution::Sequential);
        prop_assert!(r3.met >= base.met);
        prop_assert_eq!(r3.required, base.required);
        if let (Some(a), Some(b)) = (r3.rate(), base.rate()) {
            prop_assert!(a >= b);
        }
    }
}
