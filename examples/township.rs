//! A township at a glance: coverage and load per village.
//!
//! ```text
//! cargo run --release --example township                  # seed 001's synthetic township
//! cargo run --release --example township -- --seed 7      # another draw
//! cargo run --release --example township -- --data DIR    # a folder of CSV files
//! cargo run --release --example township -- --today 2024-05-15
//! cargo run --release --example township -- --write-csv /tmp/t   # export, then read with --data
//! ```
//!
//! The program never reads the clock: `--today` defaults to the last day of
//! the synthetic window. With `--data` it exits with status 1 when any
//! problem is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use minqing::assign::{CoverageOptions, CoverageReport, check_coverage};
use minqing::case::{CasePolicy, Stage, Track, escalations_due_all, intake_ledgers, meetings_due};
use minqing::dataset::{Dataset, Sources, ValidateOptions};
use minqing::household::Residency;
use minqing::io::Encoding;
use minqing::metrics::{MetricsQuery, Rate, request_metrics};
use minqing::notice::mask_name;
use minqing::org::UnitKind;
use minqing::problem::Report;
use minqing::synth::{SynthOptions, township};
use minqing::synth_cases::generate_requests;
use minqing_examples::percent;

/// `println!` that ignores a closed pipe (`township | head`).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

const USAGE: &str = "usage: township [--data DIR [--encoding utf8|gb18030]] [--today YYYY-MM-DD] [--seed N] [--write-csv DIR]";

struct Args {
    data: Option<PathBuf>,
    encoding: Encoding,
    write_csv: Option<PathBuf>,
    today: Option<NaiveDate>,
    seed: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        data: None,
        encoding: Encoding::Utf8,
        write_csv: None,
        today: None,
        seed: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--data" => args.data = Some(PathBuf::from(value()?)),
            "--write-csv" => args.write_csv = Some(PathBuf::from(value()?)),
            "--encoding" => {
                let v = value()?;
                args.encoding = v
                    .parse::<Encoding>()
                    .map_err(|e| format!("--encoding: {e}"))?;
            }
            "--today" => {
                let v = value()?;
                let d = minqing::io::parse_date(&v).map_err(|e| format!("--today {v}: {e}"))?;
                args.today = Some(d);
            }
            "--seed" => {
                let v = value()?;
                args.seed = Some(v.parse().map_err(|e| format!("--seed {v}: {e}"))?);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// The one place that calls the CSV folder reader.
fn read_folder(dir: &Path, encoding: Encoding) -> Result<(Dataset, Sources, Report), Report> {
    minqing::io::read_csv_dir(dir, encoding)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("{e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut synth = SynthOptions::default();
    if let Some(seed) = args.seed {
        synth = synth.seed(seed);
    }
    // The synthetic window ends on --today, so that nothing lies after it.
    if let Some(t) = args.today {
        let (start, length) = (synth.start, synth.end - synth.start);
        synth = if t >= start {
            synth.window(start, t)
        } else {
            synth.window(t.checked_sub_signed(length).unwrap_or(t), t)
        };
    }
    let today = args.today.unwrap_or(synth.end);

    let (mut ds, mut problems, sources) = match &args.data {
        Some(dir) => match read_folder(dir, args.encoding) {
            Ok((ds, sources, report)) => {
                say!("读取 / read {}", dir.display());
                (ds, report, Some(sources))
            }
            Err(report) => {
                eprintln!("cannot read {}:\n{report}", dir.display());
                return ExitCode::FAILURE;
            }
        },
        None => match township(&synth) {
            Ok(ds) => {
                say!(
                    "合成乡镇 / synthetic township: seed {}, window {} .. {}",
                    synth.seed,
                    synth.start,
                    synth.end
                );
                (ds, Report::new(), None)
            }
            Err(e) => {
                eprintln!("cannot build the township: {e}");
                return ExitCode::FAILURE;
            }
        },
    };

    if let Some(out) = &args.write_csv {
        if let Err(e) = minqing::io::write_csv_dir(out, &ds) {
            eprintln!("cannot write {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
        say!("写出 / wrote the CSV files to {}", out.display());
    }

    // The synthetic township raises requests at the door over its window;
    // a CSV folder has none (requests travel as JSON Lines).
    if args.data.is_none() {
        ds.cases = generate_requests(&ds, synth.start, synth.end, synth.seed);
    }

    let vopts = ValidateOptions::new(today);
    problems.extend(match &sources {
        Some(s) => ds.validate_with_sources(&vopts, s),
        None => ds.validate(&vopts),
    });
    let cov = check_coverage(&ds, today, &CoverageOptions::default());
    problems.extend(cov.problems.iter().cloned());

    print_counts(&ds, today);
    print_problems(&problems, args.data.is_some());
    print_villages(&cov);
    print_loads(&ds, &cov);
    print_requests(&ds, today);
    print_visit_compliance(&ds, synth.start, today);
    print_due_list(&ds, &cov, today);

    if args.data.is_some() && problems.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_counts(ds: &Dataset, today: NaiveDate) {
    let units = |k: UnitKind| ds.units.iter().filter(|u| u.kind == k).count();
    let counted: Vec<_> = ds
        .households
        .iter()
        .filter(|h| h.is_registered_on(today))
        .collect();
    let resident = counted
        .iter()
        .filter(|h| h.residency == Residency::Resident)
        .count();
    let signed = ds.visits.iter().filter(|v| v.signed).count();
    say!("今天 / today: {today}");
    say!(
        "单位 / units: {} county, {} township, {} villages, {} groups",
        units(UnitKind::County),
        units(UnitKind::Township),
        units(UnitKind::Village),
        units(UnitKind::Group)
    );
    say!(
        "户 / households: {} ({} resident 常住户, {} away 外出户; {} registered after today)",
        counted.len(),
        resident,
        counted.len() - resident,
        ds.households.len() - counted.len()
    );
    say!(
        "干部 / cadres: {}; teams 工作队: {}; duty spans: {}; assignments: {}",
        ds.cadres.len(),
        ds.teams.len(),
        ds.duty.len(),
        ds.assignments.len()
    );
    say!(
        "走访 / visits: {} ({} signed, {})",
        ds.visits.len(),
        signed,
        percent(signed as u64, ds.visits.len() as u64)
    );
}

/// Every problem when reading files; the first 20 and a count by code for
/// the synthetic township.
fn print_problems(problems: &Report, all: bool) {
    say!();
    if problems.is_empty() {
        say!("问题 / problems: none");
        return;
    }
    say!(
        "问题 / problems: {} error(s), {} warning(s)",
        problems.error_count(),
        problems.warning_count()
    );
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for p in problems {
        *by_code.entry(p.code.as_str()).or_default() += 1;
    }
    for (code, n) in by_code {
        say!("  {n:>6}  {code}");
    }
    let shown = if all { problems.problems.len() } else { 20 };
    for p in problems.iter().take(shown) {
        let sev = if p.is_error() { "error" } else { "warning" };
        say!(
            "  {}  {sev} {}  {} / {}",
            p.location,
            p.code,
            p.message.en,
            p.message.zh
        );
    }
}

fn opt(n: Option<u32>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

fn print_villages(cov: &CoverageReport) {
    say!();
    say!("包联覆盖 / coverage on {}", cov.on);
    say!(
        "{:<8} {:>6} {:>6} {:>5} {:>7} {:>5} {:>6} {:>10} {:>6} {:>9}  name",
        "village",
        "people",
        "hh",
        "res",
        "away",
        "cov",
        "uncov",
        "contact/q",
        "cadres",
        "load"
    );
    for v in &cov.villages {
        let contact = format!("{}/{}", v.contact_households, opt(v.quota));
        let load = match (v.min_load, v.max_load) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => "—".to_string(),
        };
        say!(
            "{:<8} {:>6} {:>6} {:>5} {:>7} {:>5} {:>6} {:>10} {:>6} {:>9}  {}",
            v.village.as_str(),
            opt(v.population),
            v.households,
            v.resident,
            v.away,
            v.covered,
            v.uncovered + v.doubly_covered,
            contact,
            v.cadres,
            load,
            v.name.as_deref().unwrap_or("")
        );
    }
    let sum = |f: fn(&minqing::assign::VillageCoverage) -> u32| -> u32 {
        cov.villages.iter().map(f).sum()
    };
    say!(
        "{:<8} {:>6} {:>6} {:>5} {:>7} {:>5} {:>6} {:>10} {:>6}",
        "total",
        sum(|v| v.population.unwrap_or(0)),
        sum(|v| v.households),
        sum(|v| v.resident),
        sum(|v| v.away),
        sum(|v| v.covered),
        sum(|v| v.uncovered + v.doubly_covered),
        sum(|v| v.contact_households),
        cov.cadres.len()
    );
    say!("(uncov = uncovered + doubly covered; load = min-max households of the village's cadres)");
}

fn print_loads(ds: &Dataset, cov: &CoverageReport) {
    say!();
    let loads: Vec<u32> = cov.cadres.iter().map(|c| c.households).collect();
    let within = cov.cadres.iter().filter(|c| c.within).count();
    let (min, max) = (loads.iter().min(), loads.iter().max());
    let sum: u32 = loads.iter().sum();
    say!(
        "包户负荷 / cadre load: {} cadres checked, {} within bounds; min {}, max {}, mean {}",
        cov.cadres.len(),
        within,
        opt(min.copied()),
        opt(max.copied()),
        if loads.is_empty() {
            "—".to_string()
        } else {
            format!("{:.1}", f64::from(sum) / loads.len() as f64)
        }
    );
    say!(
        "  not checked (no households, no bounds of their own; office 机关值守 and village cadres): {}",
        ds.cadres.len().saturating_sub(cov.cadres.len())
    );
    let mut by_rank: BTreeMap<&str, (usize, u32)> = BTreeMap::new();
    for c in &cov.cadres {
        let rank = ds
            .cadres
            .iter()
            .find(|x| x.id == c.cadre)
            .and_then(|x| x.rank)
            .map_or("unknown", |r| r.as_str());
        let e = by_rank.entry(rank).or_default();
        e.0 += 1;
        e.1 += c.households;
    }
    for (rank, (n, hh)) in by_rank {
        say!("  {rank:<10} {n:>4} cadres, {hh:>5} households");
    }
    let mut hist: BTreeMap<u32, usize> = BTreeMap::new();
    for l in &loads {
        *hist.entry(*l).or_default() += 1;
    }
    let line: Vec<String> = hist.iter().map(|(l, n)| format!("{l}:{n}")).collect();
    say!("  households:cadres  {}", line.join(" "));
}

fn rate(r: &Rate) -> String {
    percent(r.numerator, r.denominator) + &format!(" ({}/{})", r.numerator, r.denominator)
}

/// The household-affairs pipeline (seeds 001, 002, 004): what was raised,
/// where it stands, the figures, and what is due at the end of `today`.
fn print_requests(ds: &Dataset, today: NaiveDate) {
    if ds.cases.is_empty() {
        return;
    }
    let now = today.and_hms_opt(23, 59, 59).expect("a valid time");
    let policy = CasePolicy::default();
    let states: Vec<_> = ds.cases.iter().filter_map(|l| l.state().ok()).collect();
    say!("");
    say!(
        "民情诉求 / requests raised at the door: {} (即办 on_the_spot, 代办 proxy, 联动 joint, 调解 mediation)",
        ds.cases.len()
    );
    let mut by_track: BTreeMap<(Option<Track>, Stage), u32> = BTreeMap::new();
    for s in &states {
        *by_track.entry((s.first_track, s.stage)).or_default() += 1;
    }
    let tracks: Vec<Option<Track>> = std::iter::once(None)
        .chain(Track::ALL.iter().copied().map(Some))
        .collect();
    say!(
        "{:<18}{}",
        "track \\ stage",
        Stage::ALL
            .iter()
            .map(|s| format!("{:>11}", s.as_str()))
            .collect::<String>()
    );
    for t in tracks {
        let row: Vec<u32> = Stage::ALL
            .iter()
            .map(|s| by_track.get(&(t, *s)).copied().unwrap_or(0))
            .collect();
        if row.iter().all(|&n| n == 0) {
            continue;
        }
        // English words only in this column: CJK characters are two
        // columns wide and would break the alignment.
        let name = t.map_or("(not triaged)", |t| t.as_str());
        say!(
            "{:<18}{}",
            name,
            row.iter().map(|n| format!("{n:>11}")).collect::<String>()
        );
    }

    let m = request_metrics(&ds.cases, &MetricsQuery::new(), now);
    say!("");
    say!("办结率 resolution      {}", rate(&m.resolution));
    say!("按期率 on time         {}", rate(&m.on_time));
    say!("即办率 on the spot     {}", rate(&m.on_the_spot));
    say!("调处率 mediation       {}", rate(&m.mediation));
    say!("采纳率 adoption        {}", rate(&m.adoption));
    say!("满意率 satisfaction    {}", rate(&m.satisfaction));
    let days = |d: Option<f64>| d.map_or("—".to_string(), |d| format!("{d:.1}"));
    say!(
        "days to close 销号天数  median {}, p90 {}; escalated {}, open {}, overdue {}, carried over {}",
        days(m.days_to_close_median),
        days(m.days_to_close_p90),
        m.escalated,
        m.open,
        m.overdue,
        m.carried_over
    );

    let ledgers = intake_ledgers(&ds.cases, now);
    say!(
        "三本台账 / intake ledgers: on the spot {}, proxy {}, escalated {}",
        ledgers.on_the_spot.len(),
        ledgers.proxy.len(),
        ledgers.escalated.len()
    );
    let due = escalations_due_all(&ds.cases, &policy, now);
    say!(
        "due at the end of {today}: {} escalation or supervision event(s) to append",
        due.len()
    );
    for d in due.iter().take(5) {
        say!("  {}  {}", d.request_id, d.because.en);
    }
    let meetings = meetings_due(&ds.cases, &policy, today);
    say!(
        "next joint meeting 联席会议 {} ({} on the agenda, {} missed); next analysis meeting 民情分析会 {} ({} on the agenda)",
        meetings.joint_meeting,
        meetings.joint_agenda.len(),
        meetings.joint_missed.len(),
        meetings.analysis_meeting,
        meetings.analysis_agenda.len()
    );
}

/// Visit compliance (走访达标率) under four fixed, three arrivals (seed 001:
/// resident households in person every half month, away households by any
/// mode every month) from `start` to `today`: per village required, met
/// and rate, then the ten cadres with the lowest rate, each period charged
/// to the cadre assigned on its last day (the default accountability rule).
fn print_visit_compliance(ds: &Dataset, start: NaiveDate, today: NaiveDate) {
    use minqing::compliance::{Accountability, HouseholdColumns, compliance_of_dataset};
    say!();
    let Some(window) = minqing::calendar::Window::new(start, today) else {
        say!("走访达标 / visit compliance: no window ({start} .. {today})");
        return;
    };
    let policy = minqing::cadence::presets::four_fixed_three_arrivals();
    let report = match compliance_of_dataset(ds, &policy, window) {
        Ok(r) => r,
        Err(e) => {
            say!("走访达标 / visit compliance: {e}");
            return;
        }
    };
    say!(
        "走访达标 / visit compliance, {} {} .. {} (whole periods only): {} of {} household-periods met, {}",
        policy.name,
        window.start,
        window.end,
        report.met,
        report.required,
        percent(report.met, report.required)
    );
    say!(
        "  {:<10} {:>9} {:>9} {:>8}",
        "village",
        "required",
        "met",
        "rate"
    );
    for v in &report.villages {
        say!(
            "  {:<10} {:>9} {:>9} {:>8}",
            v.village_id,
            v.required,
            v.met,
            percent(v.met, v.required)
        );
    }
    // the same figures up the tree: township and county
    for u in report
        .by_unit(&ds.units)
        .iter()
        .filter(|u| u.kind != UnitKind::Village)
    {
        say!(
            "  {:<10} {:>9} {:>9} {:>8}  ({}, {} villages)",
            u.unit_id,
            u.required,
            u.met,
            percent(u.met, u.required),
            u.kind.zh(),
            u.villages
        );
    }
    let hs = HouseholdColumns::from_households(&ds.households);
    let mut cadres = report.by_cadre(&hs, &ds.assignments, Accountability::LastDay);
    // Lowest rate first (compared exactly: met_a * req_b vs met_b * req_a),
    // then most missed, then cadre ID. Unassigned periods are not a cadre.
    cadres.retain(|c| !c.cadre_id.is_empty() && c.required > 0);
    cadres.sort_by(|a, b| {
        (u128::from(a.met) * u128::from(b.required))
            .cmp(&(u128::from(b.met) * u128::from(a.required)))
            .then((b.required - b.met).cmp(&(a.required - a.met)))
            .then(a.cadre_id.cmp(&b.cadre_id))
    });
    say!("  ten lowest cadres (each period charged to the cadre assigned on its last day):");
    say!(
        "  {:<10} {:>9} {:>9} {:>8}  name",
        "cadre",
        "required",
        "met",
        "rate"
    );
    for c in cadres.iter().take(10) {
        let name = ds
            .cadres
            .iter()
            .find(|x| x.id.as_str() == c.cadre_id)
            .map_or(String::new(), |x| mask_name(&x.name));
        say!(
            "  {:<10} {:>9} {:>9} {:>8}  {name}",
            c.cadre_id,
            c.required,
            c.met,
            percent(c.met, c.required)
        );
    }
}

/// One cadre's due list for the morning of `today` with the signal lights
/// (民情信号灯, seed 000 part 5): the busiest cadre, the first 15 rows and
/// the count per light.
fn print_due_list(ds: &Dataset, cov: &CoverageReport, today: NaiveDate) {
    use minqing::due::{DueBook, DueOptions, SignalLight};
    let Some(busiest) = cov
        .cadres
        .iter()
        .max_by(|a, b| a.households.cmp(&b.households).then(b.cadre.cmp(&a.cadre)))
    else {
        return;
    };
    let book = DueBook::of_dataset(ds);
    let list = book.due_list(&busiest.cadre, today, &DueOptions::new());
    say!("");
    say!(
        "走访提醒 / due list of cadre {} on the morning of {today} ({}): {} households, red {}, yellow {}, green {}",
        list.cadre_id,
        list.policy_name,
        list.households.len(),
        list.count(SignalLight::Red),
        list.count(SignalLight::Yellow),
        list.count(SignalLight::Green)
    );
    for h in list.households.iter().take(15) {
        let deadline = h.deadline.map_or("—".to_string(), |d| d.to_string());
        let why = h
            .reasons
            .first()
            .map_or(String::new(), |r| r.message.en.clone());
        say!(
            "  {:<6} {:<12} by {:<10}  {}",
            h.light.as_str(),
            h.household_id.as_str(),
            deadline,
            why
        );
    }
}
