//! End to end: the synthetic township of seed 001, validated and checked
//! for coverage, load and contact-household quota.

use std::collections::{BTreeMap, BTreeSet};

use minqing::assign::{CoverageOptions, check_coverage};
use minqing::cadre::Rank;
use minqing::dataset::ValidateOptions;
use minqing::household::{Residency, Tag};
use minqing::org::UnitKind;
use minqing::synth::{SynthOptions, township};

#[test]
fn seed_001_township_end_to_end() {
    let opts = SynthOptions::default();
    let ds = township(&opts).expect("default options are consistent");
    let today = opts.end;

    let report = ds.validate(&ValidateOptions::new(today));
    assert!(report.is_empty(), "{report}");

    // every village has a work team: a township leader, the village party
    // secretary as deputy (seed 001)
    let villages: BTreeSet<_> = ds
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Village)
        .map(|u| u.id.clone())
        .collect();
    assert_eq!(villages.len(), 28);
    let team_villages: BTreeSet<_> = ds.teams.iter().map(|t| t.unit.clone()).collect();
    assert_eq!(team_villages, villages);
    let rank =
        |id: &minqing::id::CadreId| ds.cadres.iter().find(|c| &c.id == id).and_then(|c| c.rank);
    for t in &ds.teams {
        assert_eq!(rank(&t.leader), Some(Rank::Leader), "team {}", t.id);
        let deputy = t.deputy.as_ref().expect("a deputy");
        assert_eq!(rank(deputy), Some(Rank::Village), "team {}", t.id);
        let secretary = ds.cadres.iter().find(|c| &c.id == deputy).unwrap();
        assert_eq!(secretary.unit.as_ref(), Some(&t.unit));
    }

    let cov = check_coverage(&ds, today, &CoverageOptions::default());
    // totals add up (seed 001: 4,760 resident + 4,590 away = 9,350)
    let sum = |f: fn(&minqing::assign::VillageCoverage) -> u32| -> u32 {
        cov.villages.iter().map(f).sum()
    };
    assert_eq!(sum(|v| v.households), 9350);
    assert_eq!(sum(|v| v.resident), 4760);
    assert_eq!(sum(|v| v.away), 4590);
    assert_eq!(sum(|v| v.covered), 9350);
    for v in &cov.villages {
        assert_eq!(v.resident + v.away, v.households, "village {}", v.village);
        assert_eq!(
            v.covered + v.uncovered,
            v.households,
            "village {}",
            v.village
        );
        let people: u32 = ds
            .households
            .iter()
            .filter(|h| h.village == v.village)
            .filter_map(|h| h.members)
            .sum();
        assert_eq!(v.population, Some(people), "village {}", v.village);
    }

    // no household missed or covered twice (有户必包、不漏一户)
    assert!(cov.uncovered.is_empty());
    assert!(cov.doubly_covered.is_empty());
    assert!(cov.problems.is_empty(), "{}", cov.problems);

    // 144 covering cadres, 102 of them township cadres in the field, each
    // with 60 to 70 households; office cadres are not load-checked
    assert_eq!(cov.cadres.len(), 144);
    assert!(
        cov.cadres
            .iter()
            .all(|c| c.within && (60..=70).contains(&c.households))
    );
    let township_field = cov
        .cadres
        .iter()
        .filter(|c| rank(&c.cadre) != Some(Rank::Dispatched))
        .count();
    assert_eq!(township_field, 102);
    assert_eq!(ds.cadres.len(), 144 + 25 + 28);

    // every quota tier of seed 002 occurs, and every village meets its quota
    let mut tiers: BTreeMap<u32, usize> = BTreeMap::new();
    for v in &cov.villages {
        let q = v.quota.expect("every village has a population");
        *tiers.entry(q).or_default() += 1;
        assert!(v.contact_households >= q, "village {}", v.village);
    }
    assert_eq!(tiers.keys().copied().collect::<Vec<_>>(), [10, 15, 20]);
    let contact = ds
        .households
        .iter()
        .filter(|h| h.has_tag(&Tag::ContactHousehold))
        .count() as u32;
    assert_eq!(contact, sum(|v| v.contact_households));

    // resident households are mostly seen in person, away households mostly
    // phoned
    let resident: BTreeSet<_> = ds
        .households
        .iter()
        .filter(|h| h.residency == Residency::Resident)
        .map(|h| h.id.clone())
        .collect();
    let (mut res_face, mut res_all, mut away_face, mut away_all) = (0, 0, 0, 0);
    for v in &ds.visits {
        if resident.contains(&v.household) {
            res_all += 1;
            res_face += usize::from(v.mode.is_face_to_face());
        } else {
            away_all += 1;
            away_face += usize::from(v.mode.is_face_to_face());
        }
    }
    assert!(res_face * 10 > res_all * 8, "{res_face} of {res_all}");
    assert!(away_face * 10 < away_all * 2, "{away_face} of {away_all}");

    // a day before the late registrations, fewer households count
    let early = check_coverage(&ds, opts.start, &CoverageOptions::default());
    assert!(early.is_fully_covered());
    assert!(early.households() < 9350);
}

#[test]
fn another_seed_is_another_township_of_the_same_shape() {
    let a = township(&SynthOptions::default()).unwrap();
    let b = township(&SynthOptions::default().seed(99)).unwrap();
    assert_ne!(a, b);
    assert_eq!(a.households.len(), b.households.len());
    let cov = check_coverage(&b, SynthOptions::default().end, &CoverageOptions::default());
    assert!(cov.is_fully_covered());
    assert!(cov.problems.is_empty(), "{}", cov.problems);
}

#[test]
fn synthetic_requests_run_the_whole_pipeline() {
    use minqing::case::{Stage, Track};
    use minqing::metrics::{MetricsQuery, request_metrics};

    let opts = SynthOptions::default();
    let mut ds = township(&opts).expect("default options are consistent");
    ds.cases = minqing::synth_cases::generate_requests(&ds, opts.start, opts.end, opts.seed);
    // the requests join the data set and it still validates: every
    // household and cadre they name exists, every chain verifies
    let report = ds.validate(&ValidateOptions::new(opts.end));
    assert!(report.is_empty(), "{report}");

    let states: Vec<_> = ds.cases.iter().map(|l| l.state().expect("folds")).collect();
    for track in Track::ALL {
        assert!(
            states.iter().any(|s| s.first_track == Some(*track)),
            "no request on track {track}"
        );
    }
    assert!(states.iter().any(|s| s.stage == Stage::Closed));
    assert!(states.iter().any(|s| s.stage != Stage::Closed));

    let now = opts.end.and_hms_opt(23, 59, 59).unwrap();
    let m = request_metrics(&ds.cases, &MetricsQuery::new(), now);
    assert_eq!(m.collected, ds.cases.len() as u64);
    assert_eq!(m.open + m.closed, m.collected);
    assert!(m.resolution.numerator <= m.resolution.denominator);
}
