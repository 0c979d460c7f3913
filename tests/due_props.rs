//! Properties of due lists (`minqing::due`): the order of the visits never
//! matters, and one more visit never makes a light worse.

use chrono::{Days, NaiveDate};
use minqing::cadence::{CadenceRule, Policy, Selector};
use minqing::calendar::PeriodKind;
use minqing::due::{DueBook, DueList, DueOptions};
use minqing::prelude::*;
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(offset)
}

/// Seed 001's two rules, seed 002's weekly contact-household rule (signed
/// only) and a twice-a-month rule for hardship households.
fn policy() -> Policy {
    Policy::new("mixed")
        .rule(
            CadenceRule::new(
                "resident",
                Selector::new().residency(Residency::Resident),
                PeriodKind::HalfMonth,
            )
            .modes([Mode::InPerson]),
        )
        .rule(CadenceRule::new(
            "away",
            Selector::new().residency(Residency::Away),
            PeriodKind::Month,
        ))
        .rule(
            CadenceRule::new(
                "contact",
                Selector::new().contact_household(true),
                PeriodKind::IsoWeek,
            )
            .modes([Mode::InPerson, Mode::AtStation])
            .signed_only(true),
        )
        .rule(
            CadenceRule::new(
                "hardship",
                Selector::new().tag(Tag::Hardship),
                PeriodKind::Month,
            )
            .min_contacts(2),
        )
}

#[derive(Debug, Clone)]
struct World {
    households: Vec<Household>,
    assignments: Vec<Assignment>,
    visits: Vec<Visit>,
    today: NaiveDate,
}

type VisitSpec = (usize, u64, usize, bool);

fn visit(w_households: &[Household], (h, d, m, signed): VisitSpec) -> Visit {
    let mut v = Visit::new(
        w_households[h % w_households.len()].id.clone(),
        CadreId::new("C1").unwrap(),
        day(d).and_hms_opt(9, 0, 0).unwrap(),
        Mode::ALL[m % Mode::ALL.len()],
    );
    v.signed = signed;
    v
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(
            (
                any::<bool>(),
                0u8..4,
                prop::option::of(0u64..120),
                any::<bool>(),
            ),
            1..8,
        ),
        prop::collection::vec((0usize..8, 0u64..150, 0usize..4, any::<bool>()), 0..40),
        0u64..150,
        0u64..60,
    )
        .prop_map(|(hs, vs, today, handover)| {
            let households: Vec<Household> = hs
                .iter()
                .enumerate()
                .map(|(i, &(resident, tags, reg, _))| {
                    let r = if resident {
                        Residency::Resident
                    } else {
                        Residency::Away
                    };
                    let mut h = Household::new(
                        HouseholdId::new(format!("H{i}")).unwrap(),
                        UnitId::new("V1").unwrap(),
                        r,
                    );
                    if tags & 1 == 1 {
                        h = h.with_tag(Tag::ContactHousehold);
                    }
                    if tags & 2 == 2 {
                        h = h.with_tag(Tag::Hardship);
                    }
                    h.registered_on = reg.map(day);
                    h
                })
                .collect();
            let mut assignments = Vec::new();
            for (h, &(_, _, _, moves)) in households.iter().zip(&hs) {
                if moves {
                    assignments.push(Assignment {
                        to: Some(day(handover)),
                        ..Assignment::new(h.id.clone(), CadreId::new("C1").unwrap(), day(0))
                    });
                    assignments.push(Assignment::new(
                        h.id.clone(),
                        CadreId::new("C2").unwrap(),
                        day(handover),
                    ));
                } else {
                    assignments.push(Assignment::new(
                        h.id.clone(),
                        CadreId::new("C1").unwrap(),
                        day(0),
                    ));
                }
            }
            let visits = vs.into_iter().map(|s| visit(&households, s)).collect();
            World {
                households,
                assignments,
                visits,
                today: day(today),
            }
        })
}

fn lists(w: &World, visits: &[Visit]) -> Vec<DueList> {
    let book = DueBook::new(&w.households, &w.assignments, visits);
    let o = DueOptions::new().policy(policy());
    ["C1", "C2"]
        .iter()
        .map(|c| book.due_list(&CadreId::new(*c).unwrap(), w.today, &o))
        .collect()
}

proptest! {
    #[test]
    fn shuffling_visits_never_changes_the_list(
        (w, shuffled) in world().prop_flat_map(|w| {
            let vs = w.visits.clone();
            (Just(w), Just(vs).prop_shuffle())
        })
    ) {
        prop_assert_eq!(lists(&w, &w.visits), lists(&w, &shuffled));
    }

    #[test]
    fn adding_a_visit_never_makes_a_light_worse(
        w in world(),
        extra in (0usize..8, 0u64..150, 0usize..4, any::<bool>()),
    ) {
        let before = lists(&w, &w.visits);
        let mut more = w.visits.clone();
        more.push(visit(&w.households, extra));
        let after = lists(&w, &more);
        for (b, a) in before.iter().zip(&after) {
            prop_assert_eq!(b.households.len(), a.households.len());
            for hb in &b.households {
                let ha = a.household(&hb.household_id).expect("still listed");
                prop_assert!(ha.light <= hb.light, "{:?} -> {:?}", hb, ha);
            }
            for ib in &b.items {
                let ia = a
                    .items
                    .iter()
                    .find(|i| i.household_id == ib.household_id && i.rule_index == ib.rule_index)
                    .expect("same items");
                prop_assert!(ia.light <= ib.light);
                prop_assert!(ia.deadline >= ib.deadline);
            }
        }
    }
}
