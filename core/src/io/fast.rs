//! The fast compliance path's tables (快速合规统计的输入): households and
//! visits through the columnar loaders of [`crate::io::columnar`], household
//! events and assignments (small tables) through the general readers, so
//! that a run over a folder gives the report [`compliance_of_dataset`]
//! gives over the same data read whole.
//!
//! Households and visits are loaded as the columnar loaders load them: a
//! bad row is skipped and counted, a repeated household ID counted as a
//! duplicate (the first wins), visits outside the window or of unknown
//! households counted and left out. Events and assignments are read by
//! [`read_events`] and [`read_assignments`]; their bad rows are problems
//! in [`ComplianceTables::problems`], never dropped silently, and events of
//! households the table does not have are counted in the report
//! ([`ComplianceReport::events_unknown_household`]).
//!
//! Per-cadre figures need the assignments: [`ComplianceTables::by_cadre`]
//! refuses with [`ComplianceError::NoAssignments`] when none were given,
//! rather than charging every period to nobody.
//!
//! [`compliance_of_dataset`]: crate::compliance::compliance_of_dataset

use std::io::Read;

use crate::assign::Assignment;
use crate::cadence::Policy;
use crate::calendar::Window;
use crate::compliance::{
    Accountability, CadreCompliance, ComplianceError, ComplianceReport, Execution,
    compliance_with_events, events_to_columns,
};
use crate::event::HouseholdEvent;
use crate::io::columnar::{self, LoadOptions, LoadedHouseholds, LoadedVisits};
use crate::io::csv::{ReadOptions, read_assignments, read_events};
use crate::problem::{Problem, Report};

/// Everything a fast compliance run reads: loaded households and visits,
/// the household events, and the assignments when they were given.
#[derive(Debug, Clone)]
pub struct ComplianceTables {
    /// The households, as the columnar loader keeps them.
    pub households: LoadedHouseholds,
    /// The visits in the window of known households.
    pub visits: LoadedVisits,
    /// The window the visits were loaded with, and the one compliance is
    /// computed over (visits outside it were not kept).
    pub window: Window,
    /// The household events (hospitalisation, wedding, funeral, ...).
    pub events: Vec<HouseholdEvent>,
    /// The assignments; `None` when none were given (then
    /// [`ComplianceTables::by_cadre`] is refused).
    pub assignments: Option<Vec<Assignment>>,
    /// Problems of the events and assignments tables (those of households
    /// and visits are in their own `problems`).
    pub problems: Report,
}

impl ComplianceTables {
    /// Households and visits (loaded with `window`) only: no events, no
    /// assignments.
    pub fn new(households: LoadedHouseholds, visits: LoadedVisits, window: Window) -> Self {
        ComplianceTables {
            households,
            visits,
            window,
            events: Vec::new(),
            assignments: None,
            problems: Report::new(),
        }
    }

    /// Sets the household events.
    pub fn with_events(mut self, events: Vec<HouseholdEvent>) -> Self {
        self.events = events;
        self
    }

    /// Sets the assignments.
    pub fn with_assignments(mut self, assignments: Vec<Assignment>) -> Self {
        self.assignments = Some(assignments);
        self
    }

    /// Compliance of `policy` over the tables' window: every period, event
    /// and round rule, as [`compliance_of_dataset`] computes it, with the
    /// rows the loaders left out counted in the report's visit figures.
    ///
    /// # Errors
    /// As [`crate::compliance::compliance`].
    ///
    /// [`compliance_of_dataset`]: crate::compliance::compliance_of_dataset
    pub fn compliance(&self, policy: &Policy) -> Result<ComplianceReport, ComplianceError> {
        let (events, unknown) = events_to_columns(&self.households.index, &self.events);
        let mut r = compliance_with_events(
            &self.households.households,
            &self.visits.visits,
            &events,
            policy,
            self.window,
            Execution::Parallel,
        )?;
        r.visits_outside_window += self.visits.counts.outside_window;
        r.visits_unknown_household += self.visits.counts.unknown_household;
        r.events_unknown_household += unknown;
        Ok(r)
    }

    /// Per-cadre figures of `report` under `rule`
    /// ([`ComplianceReport::by_cadre`]).
    ///
    /// # Errors
    /// [`ComplianceError::NoAssignments`] when no assignments were given.
    pub fn by_cadre(
        &self,
        report: &ComplianceReport,
        rule: Accountability,
    ) -> Result<Vec<CadreCompliance>, ComplianceError> {
        let assignments = self
            .assignments
            .as_deref()
            .ok_or(ComplianceError::NoAssignments)?;
        Ok(report.by_cadre(&self.households.households, assignments, rule))
    }

    /// Every problem of the four tables: households, visits, events,
    /// assignments.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.households
            .problems
            .iter()
            .chain(self.visits.problems.iter())
            .chain(self.problems.iter())
    }
}

/// The CSV files of a fast compliance run; events.csv and assignments.csv
/// may be left out.
#[derive(Debug)]
pub struct ComplianceFiles<R> {
    /// households.csv.
    pub households: R,
    /// visits.csv.
    pub visits: R,
    /// events.csv.
    pub events: Option<R>,
    /// assignments.csv.
    pub assignments: Option<R>,
    /// Visit rows to reserve room for (0 when unknown; the file size over
    /// 34 bytes is a good guess for the benchmark's columns).
    pub expected_visits: usize,
}

/// Reads the tables of a fast compliance run over `window` from UTF-8 CSV:
/// households and visits by the columnar loaders (the first
/// `max_problems` problems of each kept), events and assignments by the
/// general readers. `names` gives the file names used in problem
/// locations, in the order households, visits, events, assignments.
///
/// # Errors
/// A [`Report`] when households.csv or visits.csv cannot be read or lacks
/// a required column (as [`columnar::read_households`]). Bad rows are not
/// errors: they are counted and reported.
///
/// # Example
/// ```
/// use minqing::cadence::presets;
/// use minqing::calendar::Window;
/// use minqing::compliance::Accountability;
/// use minqing::io::fast::{read_compliance_csv, ComplianceFiles};
/// let households = "household_id,village_id,residency\nH1,V1,away\nH2,V1,away\n";
/// let visits = "household_id,cadre_id,at,mode\nH1,C1,2024-01-09T10:00,phone\n";
/// let events = "household_id,date,kind\nH2,2024-01-10,funeral\n";
/// let files = ComplianceFiles {
///     households: households.as_bytes(),
///     visits: visits.as_bytes(),
///     events: Some(events.as_bytes()),
///     assignments: None,
///     expected_visits: 0,
/// };
/// let w = Window::new(
///     chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
///     chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
/// ).unwrap();
/// let t = read_compliance_csv(files, w, 100, ["households.csv", "visits.csv", "events.csv", "assignments.csv"])
///     .map_err(|r| r.to_string())?;
/// let r = t.compliance(&presets::grid_one_plus_x()).unwrap();
/// assert_eq!(r.triggered.len(), 1); // the funeral: a visit due within 3 days
/// assert!(t.by_cadre(&r, Accountability::LastDay).is_err()); // no assignments given
/// # Ok::<(), String>(())
/// ```
pub fn read_compliance_csv<R: Read>(
    files: ComplianceFiles<R>,
    window: Window,
    max_problems: usize,
    names: [&str; 4],
) -> Result<ComplianceTables, Report> {
    let hs = columnar::read_households(
        files.households,
        &LoadOptions::new(names[0]).max_problems(max_problems),
    )?;
    let vs = columnar::read_visits(
        files.visits,
        &hs.index,
        &LoadOptions::new(names[1])
            .window(window)
            .max_problems(max_problems)
            .expected_rows(files.expected_visits),
    )?;
    let mut t = ComplianceTables::new(hs, vs, window);
    if let Some(r) = files.events {
        let parsed = read_events(r, &ReadOptions::new(names[2]));
        t.problems.extend(parsed.report);
        t.events = parsed.records;
    }
    if let Some(r) = files.assignments {
        let parsed = read_assignments(r, &ReadOptions::new(names[3]));
        t.problems.extend(parsed.report);
        t.assignments = Some(parsed.records);
    }
    Ok(t)
}

/// Reads `households.csv`, `visits.csv` and, when they exist, `events.csv`
/// and `assignments.csv` from folder `dir` (feature `fs`), as
/// [`read_compliance_csv`] reads them; locations name each file by its
/// path.
///
/// # Errors
/// A [`Report`] with `input.missing_file` when households.csv or
/// visits.csv is not there, `input.io` when a file cannot be opened, or as
/// [`read_compliance_csv`].
///
/// # Example
/// ```no_run
/// use minqing::calendar::Window;
/// use minqing::cadence::presets;
/// let w = Window::year(2024).unwrap();
/// let t = minqing::io::fast::read_compliance_dir("data/township", w, 100)
///     .map_err(|r| r.to_string())?;
/// let r = t.compliance(&presets::four_fixed_three_arrivals()).map_err(|e| e.to_string())?;
/// println!("{} of {} met", r.met, r.required);
/// # Ok::<(), String>(())
/// ```
#[cfg(feature = "fs")]
pub fn read_compliance_dir(
    dir: impl AsRef<std::path::Path>,
    window: Window,
    max_problems: usize,
) -> Result<ComplianceTables, Report> {
    use crate::problem::{Code, Location};
    let dir = dir.as_ref();
    let path = |n: &str| dir.join(n).display().to_string();
    let names = [
        path("households.csv"),
        path("visits.csv"),
        path("events.csv"),
        path("assignments.csv"),
    ];
    let mut report = Report::new();
    let mut open = |i: usize, required: bool| {
        let seen = report.problems.len();
        let f = crate::io::csv::open_if_there(&names[i], &mut report);
        if f.is_none() && required && report.problems.len() == seen {
            report.push(Problem::new(
                Code::InputMissingFile,
                Location::file(names[i].clone()),
                "缺少这个文件：快速统计需要户表和走访表",
                "the file is missing: the fast path needs households and visits",
            ));
        }
        f
    };
    let households = open(0, true);
    let visits = open(1, true);
    let events = open(2, false);
    let assignments = open(3, false);
    let (Some(households), Some(visits), true) = (households, visits, report.is_empty()) else {
        return Err(report);
    };
    let visit_bytes = visits.get_ref().metadata().map_or(0, |m| m.len());
    let files = ComplianceFiles {
        households,
        visits,
        events,
        assignments,
        expected_visits: usize::try_from(visit_bytes / 34).unwrap_or(0),
    };
    let names = [
        names[0].as_str(),
        names[1].as_str(),
        names[2].as_str(),
        names[3].as_str(),
    ];
    read_compliance_csv(files, window, max_problems, names)
}
