//! # minqing 民情
//!
//! Household contact work in rural China (包联 / 民情联系): which cadre covers
//! which household, how often each household must be visited or phoned,
//! what residents raise at the door, where a request goes when it cannot be
//! solved on the spot, and how well a township is doing.
//!
//! The core is pure: no clock, no network, no files (except behind the
//! `fs` feature). Callers pass `today` and the data; the same inputs give the
//! same outputs in Rust, Python and WebAssembly.
//!
//! ```
//! use minqing::prelude::*;
//! use chrono::NaiveDate;
//!
//! let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
//! let mut ds = Dataset::new();
//! ds.units.push(Unit::new(UnitId::new("T1")?, UnitKind::Township));
//! ds.units.push(Unit::new(UnitId::new("V1")?, UnitKind::Village).with_parent(UnitId::new("T1")?));
//! ds.households.push(Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident));
//! ds.cadres.push(Cadre::new(CadreId::new("C1")?, "李某某"));
//! ds.assignments.push(Assignment::new(
//!     HouseholdId::new("H1")?,
//!     CadreId::new("C1")?,
//!     NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
//! ));
//! let report = ds.validate(&ValidateOptions::new(today));
//! assert!(report.is_ok(), "{report}");
//! # Ok::<(), minqing::id::IdError>(())
//! ```
//!
//! ## Features
//! - `csv` (default): CSV reading and writing per the interchange formats,
//!   with GB18030 decoding.
//! - `fs` (default): read and write a folder of CSV files by path.
//! - `synth`: a seeded synthetic township for examples, tests and benches.
//! - `parallel` (default): multi-core compliance and CSV loading with rayon;
//!   results are identical without it.
//! - `ical` (default): iCalendar export of due lists (`ical`), with the
//!   `icalendar` crate.
//!
//! The WebAssembly build uses `default-features = false`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod assign;
pub mod cadence;
pub mod cadre;
pub mod calendar;
pub mod case;
pub mod compliance;
pub mod dataset;
pub mod due;
pub mod event;
pub mod household;
#[cfg(feature = "ical")]
pub mod ical;
pub mod id;
pub mod io;
pub mod metrics;
pub mod notice;
pub mod org;
pub mod problem;
#[cfg(feature = "synth")]
pub mod synth;
#[cfg(feature = "synth")]
pub mod synth_cases;
pub mod visit;

/// The names most programs need, in one `use`.
pub mod prelude {
    pub use crate::assign::{
        Assignment, ContactQuota, CoverageOptions, CoverageReport, QuotaTier, check_coverage,
    };
    pub use crate::cadence::{CadenceRule, Policy, Selector};
    pub use crate::cadre::{Cadre, Duty, DutySpan, DutyStatus, LoadBounds, Rank, Team, TeamKind};
    pub use crate::calendar::{Period, PeriodKind, Window};
    pub use crate::case::{
        CasePolicy, Category, Channel, Level, RequestEvent, RequestKind, RequestLog, RequestState,
        Stage, Track, escalations_due,
    };
    pub use crate::compliance::{ComplianceReport, HouseholdColumns, VisitColumns, compliance};
    pub use crate::dataset::{Dataset, Sources, ValidateOptions};
    pub use crate::due::{DueBook, DueItem, DueList, DueOptions, SignalLight, due_list};
    pub use crate::event::{EventKind, HouseholdEvent};
    pub use crate::household::{Household, Residency, Tag};
    pub use crate::id::{CadreId, HouseholdId, RequestId, TeamId, UnitId};
    pub use crate::metrics::{Metrics, MetricsQuery, Rate, request_metrics};
    pub use crate::org::{Unit, UnitKind};
    pub use crate::problem::{Code, Location, Problem, Report, Severity};
    pub use crate::visit::{Mode, Visit};
}
