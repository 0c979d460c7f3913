//! Due lists with the signal light (`minqing::due`, seed 000 part 5's
//! 民情信号灯) under "four fixed, three arrivals" (seed 001), on data
//! generated here from a fixed seed:
//!
//! - one cadre with 6,661 households and 10,000 visits over 2024 (the size
//!   at which the Community Health Toolkit's task engine needs about a
//!   minute; issue 3's target is under 10 ms): the whole call from records
//!   (`due_list` on a data set: index, then list) and the list alone from a
//!   prebuilt `DueBook`;
//! - a 100,000-household workload (about 1.5 million visits, 51% resident,
//!   65 households a cadre: 1,539 cadres): indexing it once, then every
//!   cadre's list.
//!
//! ```text
//! cargo bench --bench due
//! ```

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use minqing::due::{DueBook, DueOptions, SignalLight, due_list};
use minqing::prelude::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` households, `per_cadre` to a cadre, and visits: `visits_for(resident)`
/// per household, spread over 2024, 85% (resident) or 20% (away) in
/// person, shuffled.
fn township(
    n: usize,
    per_cadre: usize,
    seed: u64,
    mut visits_for: impl FnMut(&mut Rng, bool) -> u64,
) -> Dataset {
    let mut rng = Rng(seed | 1);
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut ds = Dataset::new();
    let cadres: Vec<CadreId> = (0..n.div_ceil(per_cadre))
        .map(|c| CadreId::new(format!("C{c:05}")).unwrap())
        .collect();
    for i in 0..n {
        let resident = rng.below(100) < 51;
        let r = if resident {
            Residency::Resident
        } else {
            Residency::Away
        };
        let id = HouseholdId::new(format!("H{i:07}")).unwrap();
        let village = UnitId::new(format!("V{:05}", i / 300)).unwrap();
        ds.households.push(Household::new(id.clone(), village, r));
        let cadre = &cadres[i / per_cadre];
        ds.assignments
            .push(Assignment::new(id.clone(), cadre.clone(), start));
        for _ in 0..visits_for(&mut rng, resident) {
            let in_person = rng.below(100) < if resident { 85 } else { 20 };
            let mode = if in_person {
                Mode::InPerson
            } else {
                Mode::Phone
            };
            let at = (start + Days::new(rng.below(366)))
                .and_hms_opt(9, 0, 0)
                .unwrap();
            ds.visits
                .push(Visit::new(id.clone(), cadre.clone(), at, mode));
        }
    }
    for i in (1..ds.visits.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        ds.visits.swap(i, j);
    }
    ds
}

fn bench(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
    let opts = DueOptions::new();

    // One cadre: 6,661 households, exactly 10,000 visits: 3,339 households
    // get 2, the other 3,322 get 1.
    let mut k = 0u64;
    let one = township(6_661, 6_661, 11, |_, _| {
        k += 1;
        if k <= 3_339 { 2 } else { 1 }
    });
    assert_eq!((one.households.len(), one.visits.len()), (6_661, 10_000));
    let cadre = one.assignments[0].cadre.clone();
    let list = due_list(&one, &cadre, today, &opts);
    println!(
        "one cadre: {} households, {} items: red {}, yellow {}, green {}",
        list.households.len(),
        list.items.len(),
        list.count(SignalLight::Red),
        list.count(SignalLight::Yellow),
        list.count(SignalLight::Green)
    );
    let mut g = c.benchmark_group("due_one_cadre_6661_households_10k_visits");
    g.throughput(Throughput::Elements(one.households.len() as u64));
    g.bench_function("index_and_list", |b| {
        b.iter(|| std::hint::black_box(due_list(&one, &cadre, today, &opts).items.len()))
    });
    let book = DueBook::of_dataset(&one);
    g.bench_function("list_from_book", |b| {
        b.iter(|| std::hint::black_box(book.due_list(&cadre, today, &opts).items.len()))
    });
    g.finish();

    // 100,000 households, about 1.5 million visits, 65 households a cadre;
    // built on first use, so that a filter can leave it out.
    let big = std::sync::OnceLock::new();
    let big = || {
        big.get_or_init(|| {
            let ds = township(100_000, 65, 7, |rng, resident| {
                if resident {
                    10 + rng.below(21)
                } else {
                    5 + rng.below(11)
                }
            });
            let cadres: Vec<CadreId> = DueBook::of_dataset(&ds)
                .cadres()
                .into_iter()
                .map(|c| CadreId::new(c).unwrap())
                .collect();
            println!(
                "100k workload: {} households, {} visits, {} cadres",
                ds.households.len(),
                ds.visits.len(),
                cadres.len()
            );
            (ds, cadres)
        })
    };
    let mut g = c.benchmark_group("due_100k_households");
    g.sample_size(10);
    g.bench_function("index", |b| {
        let (ds, _) = big();
        b.iter(|| std::hint::black_box(DueBook::of_dataset(ds).unknown_visits()))
    });
    g.bench_function("all_cadres_lists", |b| {
        let (ds, cadres) = big();
        let book = DueBook::of_dataset(ds);
        b.iter(|| {
            let mut n = 0;
            for c in cadres {
                n += book.due_list(c, today, &opts).items.len();
            }
            std::hint::black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
