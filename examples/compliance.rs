//! The benchmark job of `shared/spec/benchmark-workload.md`: compliance with
//! "four fixed, three arrivals" (四定三到, seed 001) over 2024.
//!
//! ```text
//! cargo run --release --example compliance -- IN_DIR OUT_DIR
//! ```
//!
//! Reads `IN_DIR/households.csv` and `IN_DIR/visits.csv`, writes
//! `OUT_DIR/summary.csv` (`required,met,rate`), `OUT_DIR/villages.csv`
//! (`village_id,required,met,rate`, by village ID) and `OUT_DIR/missed.csv`
//! (`household_id,period_start`, by household ID then period start). Rates
//! are `format!("{:.6}", met as f64 / required as f64)`; a rate with nothing
//! required is left empty. On stderr: how many rows were skipped and why,
//! the first problems with their lines, and the time of each phase.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use minqing::cadence::presets;
use minqing::calendar::Window;
use minqing::compliance::{ComplianceReport, HouseholdColumns, compliance, rate};
use minqing::io::columnar::{LoadOptions, RowCounts, read_households, read_visits};
use minqing::problem::Report;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: compliance IN_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(input), Path::new(output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn show(file: &str, counts: &RowCounts, problems: &Report) {
    eprintln!(
        "{file}: {} rows, {} kept, {} skipped: {} outside the window, {} unknown household, {} duplicate, {} bad",
        counts.rows,
        counts.kept,
        counts.skipped(),
        counts.outside_window,
        counts.unknown_household,
        counts.duplicate,
        counts.bad
    );
    for p in problems.iter().take(10) {
        eprintln!("  {p}");
    }
    if problems.problems.len() > 10 {
        eprintln!(
            "  ... {} more problems listed",
            problems.problems.len() - 10
        );
    }
}

pub fn run(input: &Path, output: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let c0 = cpu_seconds();
    let window = Window::year(2024).ok_or("bad window")?;
    let hpath = input.join("households.csv");
    let hs = read_households(File::open(&hpath)?, &LoadOptions::new("households.csv"))
        .map_err(|r| r.to_string())?;
    show("households.csv", &hs.counts, &hs.problems);
    let th = Instant::now();
    let vpath = input.join("visits.csv");
    let vsize = std::fs::metadata(&vpath)?.len() as usize;
    let vopts = LoadOptions::new("visits.csv")
        .window(window)
        .expected_rows(vsize / 34);
    let vs = read_visits(File::open(&vpath)?, &hs.index, &vopts).map_err(|r| r.to_string())?;
    show("visits.csv", &vs.counts, &vs.problems);
    let t1 = Instant::now();
    let c1 = cpu_seconds();

    let policy = presets::four_fixed_three_arrivals();
    let report = compliance(&hs.households, &vs.visits, &policy, window)?;
    drop(vs);
    let t2 = Instant::now();
    let c2 = cpu_seconds();

    std::fs::create_dir_all(output)?;
    write_outputs(output, &report, &hs.households)?;
    let t3 = Instant::now();
    let c3 = cpu_seconds();
    eprintln!(
        "required {}, met {}, rate {}",
        report.required,
        report.met,
        rate_text(report.met, report.required)
    );
    let visits = report.visits_counted;
    eprintln!(
        "times: read {:.3} s (households {:.3} s, visits {:.3} s), compute {:.3} s ({:.1}M visits/s), write {:.3} s, total {:.3} s",
        (t1 - t0).as_secs_f64(),
        (th - t0).as_secs_f64(),
        (t1 - th).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        visits as f64 / (t2 - t1).as_secs_f64() / 1e6,
        (t3 - t2).as_secs_f64(),
        (t3 - t0).as_secs_f64()
    );
    if let (Some(c0), Some(c1), Some(c2), Some(c3)) = (c0, c1, c2, c3) {
        eprintln!(
            "cpu (user+sys, all threads): read {:.2} s, compute {:.2} s ({:.1}M visits per cpu-second), write {:.2} s, total {:.2} s",
            c1 - c0,
            c2 - c1,
            visits as f64 / (c2 - c1).max(0.01) / 1e6,
            c3 - c2,
            c3 - c0
        );
    }
    Ok(())
}

/// The process's CPU time so far (user + system, all threads), from
/// `/proc/self/stat` on Linux (clock ticks of 1/100 s); `None` elsewhere.
/// On a shared machine this shows the work done apart from the waiting.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn rate_text(met: u64, required: u64) -> String {
    rate(met, required).map_or(String::new(), |r| format!("{r:.6}"))
}

fn create(dir: &Path, name: &str) -> std::io::Result<BufWriter<File>> {
    let p: PathBuf = dir.join(name);
    Ok(BufWriter::with_capacity(1 << 20, File::create(p)?))
}

fn write_outputs(
    dir: &Path,
    report: &ComplianceReport,
    households: &HouseholdColumns,
) -> std::io::Result<()> {
    let mut w = create(dir, "summary.csv")?;
    writeln!(w, "required,met,rate")?;
    writeln!(
        w,
        "{},{},{}",
        report.required,
        report.met,
        rate_text(report.met, report.required)
    )?;
    w.flush()?;

    let mut w = create(dir, "villages.csv")?;
    writeln!(w, "village_id,required,met,rate")?;
    for v in &report.villages {
        writeln!(
            w,
            "{},{},{},{}",
            v.village_id,
            v.required,
            v.met,
            rate_text(v.met, v.required)
        )?;
    }
    w.flush()?;

    // The missed list: household IDs and period starts are copied as
    // bytes; each period's date is formatted once.
    let dates: Vec<Vec<[u8; 10]>> = report
        .rules
        .iter()
        .map(|r| {
            r.periods
                .iter()
                .map(|p| {
                    let s = p.start.format("%Y-%m-%d").to_string();
                    let mut a = [b'0'; 10];
                    if s.len() == 10 {
                        a.copy_from_slice(s.as_bytes());
                    }
                    a
                })
                .collect()
        })
        .collect();
    let order: Vec<u32> = report.household_order().collect();
    let mut w = create(dir, "missed.csv")?;
    w.write_all(b"household_id,period_start\n")?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let format = |hs: &[u32]| {
        let mut buf = Vec::with_capacity(hs.len() * 24 * 10);
        for &h in hs {
            let id = households.id(h).as_bytes();
            for m in report.missed_of(h) {
                buf.extend_from_slice(id);
                buf.push(b',');
                buf.extend_from_slice(&dates[m.rule as usize][m.period_index as usize]);
                buf.push(b'\n');
            }
        }
        buf
    };
    for round in order.chunks(1 << 16) {
        let part = round.len().div_ceil(threads).max(1);
        let bufs: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = round
                .chunks(part)
                .map(|c| s.spawn(move || format(c)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .map_err(|_| std::io::Error::other("a writer thread failed"))
                })
                .collect::<std::io::Result<Vec<Vec<u8>>>>()
        })?;
        for b in bufs {
            w.write_all(&b)?;
        }
    }
    w.flush()
}
