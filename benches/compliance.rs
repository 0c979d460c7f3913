//! Compliance with "four fixed, three arrivals" (seed 001) over 2024 at
//! 100,000 households and about 1.5 million visits, generated here from a
//! fixed seed (the shape of `shared/spec/gen_workload.py`: 51% resident,
//! about 20 visits a resident and 10 an away household, 85% / 20% in
//! person), sequential and parallel.
//!
//! ```text
//! cargo bench --bench compliance
//! ```

use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use minqing::cadence::presets;
use minqing::calendar::Window;
use minqing::compliance::{Execution, HouseholdColumns, VisitColumns, compliance_with};
use minqing::household::Residency;
use minqing::visit::Mode;

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

fn workload(n: usize, seed: u64) -> (HouseholdColumns, VisitColumns) {
    let mut rng = Rng(seed | 1);
    let mut hs = HouseholdColumns::new();
    let mut visits: Vec<(u32, u64, bool)> = Vec::new();
    for i in 0..n {
        let resident = rng.below(100) < 51;
        let r = if resident {
            Residency::Resident
        } else {
            Residency::Away
        };
        hs.push(
            &format!("H{i:07}"),
            &format!("V{:05}", i / 300),
            r,
            [],
            None,
        );
        let count = if resident {
            10 + rng.below(21)
        } else {
            5 + rng.below(11)
        };
        for _ in 0..count {
            let in_person = rng.below(100) < if resident { 85 } else { 20 };
            visits.push((i as u32, rng.below(366), in_person));
        }
    }
    // Unsorted, like the workload.
    for i in (1..visits.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        visits.swap(i, j);
    }
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut vs = VisitColumns::with_capacity(visits.len());
    for (h, day, in_person) in visits {
        let mode = if in_person {
            Mode::InPerson
        } else {
            Mode::Phone
        };
        vs.push(h, start + Days::new(day), mode, false);
    }
    (hs, vs)
}

fn bench(c: &mut Criterion) {
    let (hs, vs) = workload(100_000, 7);
    let policy = presets::four_fixed_three_arrivals();
    let window = Window::year(2024).unwrap();
    let mut g = c.benchmark_group("compliance_100k");
    g.throughput(Throughput::Elements(vs.len() as u64));
    g.sample_size(20);
    for (name, exec) in [
        ("sequential", Execution::Sequential),
        ("parallel", Execution::Parallel),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = compliance_with(&hs, &vs, &policy, window, exec).unwrap();
                std::hint::black_box((r.required, r.met))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
