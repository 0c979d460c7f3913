//! Properties of due lists (`minqing::due`): the order of the visits and of
//! the household events never matters, and one more visit never makes a
//! light worse, under period, event and campaign-round rules.

use chrono::{Days, NaiveDate};
use minqing::cadence::{CadenceRule, EventRule, Policy, RoundRule, Selector};
use minqing::calendar::{CampaignRound, PeriodKind, Window};
use minqing::due::{DueBook, DueList, DueOptions, DueSource};
use minqing::event::{EventKind, HouseholdEvent};
use minqing::prelude::*;
use proptest::prelude::*;

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + Days::new(offset)
}

/// Seed 001's two rules, seed 002's weekly contact-household rule (signed
/// only), a twice-a-month rule for hardship households; seed 000's event
/// visits (a hospitalisation within 7 days in person, a wedding or funeral
/// within 3 days, twice) and seed 004's rounds.
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
        .event_rule(
            EventRule::new("hospitalisation", [EventKind::Hospitalisation], 7)
                .modes([Mode::InPerson]),
        )
        .event_rule(
            EventRule::new(
                "wedding_or_funeral",
                [EventKind::Wedding, EventKind::Funeral],
                3,
            )
            .min_contacts(2),
        )
        .round_rule(
            RoundRule::new(
                "resident_rounds",
                Selector::new().residency(Residency::Resident),
                [
                    CampaignRound::new("第一轮", Window::new(day(20), day(60)).unwrap()),
                    CampaignRound::new("第二轮", Window::new(day(50), day(130)).unwrap()),
                ],
            )
            .modes([Mode::InPerson]),
        )
}

const KINDS: [EventKind; 4] = [
    EventKind::Hospitalisation,
    EventKind::Wedding,
    EventKind::Funeral,
    EventKind::Hospitalisation,
];

#[derive(Debug, Clone)]
struct World {
    households: Vec<Household>,
    assignments: Vec<Assignment>,
    visits: Vec<Visit>,
    events: Vec<HouseholdEvent>,
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
        prop::collection::vec((0usize..8, 0u64..150, 0usize..4), 0..12),
    )
        .prop_map(|(hs, vs, today, handover, es)| {
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
            let events = es
                .into_iter()
                .map(|(h, d, k)| {
                    HouseholdEvent::new(
                        households[h % households.len()].id.clone(),
                        day(d),
                        KINDS[k].clone(),
                    )
                })
                .collect();
            World {
                households,
                assignments,
                visits,
                events,
                today: day(today),
            }
        })
}

fn lists(w: &World, visits: &[Visit]) -> Vec<DueList> {
    lists_with(w, visits, &w.events)
}

fn lists_with(w: &World, visits: &[Visit], events: &[HouseholdEvent]) -> Vec<DueList> {
    let book = DueBook::new(&w.households, &w.assignments, visits).with_events(events);
    let o = DueOptions::new().policy(policy()).event_lookback_days(20);
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
    fn shuffling_events_never_changes_the_list(
        (w, shuffled) in world().prop_flat_map(|w| {
            let es = w.events.clone();
            (Just(w), Just(es).prop_shuffle())
        })
    ) {
        prop_assert_eq!(lists(&w, &w.visits), lists_with(&w, &w.visits, &shuffled));
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
                // Event and round items go once met; period items move on.
                let ia = a.items.iter().find(|i| {
                    i.household_id == ib.household_id
                        && i.source == ib.source
                        && i.rule_index == ib.rule_index
                        && i.event == ib.event
                        && i.round == ib.round
                });
                let Some(ia) = ia else {
                    prop_assert!(ib.source != DueSource::Period, "period items stay: {:?}", ib);
                    continue;
                };
                prop_assert!(ia.light <= ib.light);
                prop_assert!(ia.deadline >= ib.deadline);
                prop_assert!(ia.contacts_needed <= ib.contacts_needed || ia.deadline > ib.deadline);
            }
            // Nothing new appears but a period rule's next period.
            for ia in &a.items {
                prop_assert!(
                    ia.source == DueSource::Period
                        || b.items.iter().any(|ib| ib.household_id == ia.household_id
                            && ib.source == ia.source
                            && ib.rule_index == ia.rule_index
                            && ib.event == ia.event
                            && ib.round == ia.round),
                    "new item {:?}", ia
                );
            }
        }
    }
}
