//! Properties of compliance: the rate lies in [0, 1]; adding a visit never
//! lowers `met`; the order of visits never changes any output; sequential
//! and parallel scans agree.

use chrono::{Days, NaiveDate};
use minqing::cadence::{CadenceRule, Policy, Selector, presets};
use minqing::calendar::{PeriodKind, Window};
use minqing::compliance::{
    ComplianceReport, Execution, HouseholdColumns, VisitColumns, compliance_with,
};
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

fn policy() -> Policy {
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
}

type Outputs = (
    u64,
    u64,
    Vec<(String, u64, u64)>,
    Vec<(u32, u16, NaiveDate)>,
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
    )
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
        seed in any::<u64>(),
    ) {
        let n = res.len();
        let p = policy();
        let (hs, vs) = setup(n, &res, &visits);
        let base = compliance_with(&hs, &vs, &p, window(), Execution::Sequential).unwrap();
        prop_assert!(base.met <= base.required);
        if let Some(rate) = base.rate() {
            prop_assert!((0.0..=1.0).contains(&rate));
        }
        for v in &base.villages {
            prop_assert!(v.met <= v.required);
        }
        prop_assert_eq!(base.missed().count() as u64, base.required - base.met);

        // Parallel agrees with sequential.
        let par = compliance_with(&hs, &vs, &p, window(), Execution::Parallel).unwrap();
        prop_assert_eq!(outputs(&par), outputs(&base));

        // Shuffling the visits changes nothing.
        let mut shuffled = visits.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let (_, vs2) = setup(n, &res, &shuffled);
        let r2 = compliance_with(&hs, &vs2, &p, window(), Execution::Sequential).unwrap();
        prop_assert_eq!(outputs(&r2), outputs(&base));

        // One more visit never lowers met, nor changes required.
        let mut more = visits.clone();
        more.push(extra);
        let (_, vs3) = setup(n, &res, &more);
        let r3 = compliance_with(&hs, &vs3, &p, window(), Execution::Sequential).unwrap();
        prop_assert!(r3.met >= base.met);
        prop_assert_eq!(r3.required, base.required);
    }
}
