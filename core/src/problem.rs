//! Problems found in input data, each with a stable code, a severity, the
//! place it came from and a message in Chinese and English.
//!
//! Parsers and validation never stop at the first problem: they return every
//! problem at once in a [`Report`], and keep every good record.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the data can still be used as it is.
    Warning,
    /// The record (or the whole input) is wrong and must be corrected.
    Error,
}

/// Where a problem was found. Every field is optional: a CSV problem has a
/// file, a line and a column; a JSON problem has a path; a problem found by
/// validation names the record.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The file (as the caller named it, e.g. `visits.csv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The 1-based column (field position) on that line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The field (CSV column name or JSON field name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A JSON path such as `households[3].village_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The record concerned, e.g. `household H0001` or `visit #12`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

impl Location {
    /// A location in a file.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: Some(file.into()),
            ..Location::default()
        }
    }

    /// A location naming a record, e.g. `Location::record("household", "H1")`.
    pub fn record(kind: &str, id: impl fmt::Display) -> Self {
        Location {
            record: Some(format!("{kind} {id}")),
            ..Location::default()
        }
    }

    /// The same location at `line`.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location at 1-based `column`, named `field`.
    pub fn at_field(mut self, column: u64, field: impl Into<String>) -> Self {
        self.column = Some(column);
        self.field = Some(field.into());
        self
    }

    /// The same location with field name `field` (no column number).
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same location at JSON path `path`.
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            let mut s = file.clone();
            if let Some(line) = self.line {
                s.push_str(&format!(":{line}"));
                if let Some(col) = self.column {
                    s.push_str(&format!(":{col}"));
                }
            }
            parts.push(s);
        } else if let Some(line) = self.line {
            parts.push(format!("line {line}"));
        }
        if let Some(path) = &self.path {
            parts.push(path.clone());
        }
        if let Some(field) = &self.field {
            parts.push(format!("field `{field}`"));
        }
        if let Some(record) = &self.record {
            parts.push(record.clone());
        }
        if parts.is_empty() {
            f.write_str("(no location)")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Message {
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

/// An error of this crate: a stable [`Code`] and a message in both
/// languages, so that every binding maps it the same way (into a
/// [`Problem`] with [`CodedError::to_problem`]).
///
/// The error's `Display` is `English / 中文`; [`CodedError::message`] splits
/// it.
///
/// ```
/// use minqing::compliance::ComplianceError;
/// use minqing::problem::{Code, CodedError, Location};
/// let e = ComplianceError::NoAssignments;
/// assert_eq!(e.code(), Code::ComplianceNoAssignments);
/// let p = e.to_problem(Location::default().with_field("assignments"));
/// assert!(!p.message.zh.is_empty() && !p.message.en.contains('/'));
/// ```
pub trait CodedError: std::error::Error {
    /// The stable code.
    fn code(&self) -> Code;

    /// The message in Chinese and English.
    fn message(&self) -> Message {
        let s = self.to_string();
        // English before the first separator, Chinese after the last: an
        // ID inside the message may itself hold " / "
        let en = s.split(" / ").next().unwrap_or_default().to_string();
        let zh = s.rsplit(" / ").next().unwrap_or_default().to_string();
        Message { zh, en }
    }

    /// The error as a [`Problem`] at `location`.
    fn to_problem(&self, location: Location) -> Problem {
        let m = self.message();
        Problem::new(self.code(), location, m.zh, m.en)
    }
}

/// One problem: what programs match on (`code`), how bad it is, where it
/// is, and what people read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// A stable machine code such as `visit.unknown_household`.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Where it was found.
    pub location: Location,
    /// What went wrong, in Chinese and English.
    pub message: Message,
}

impl Problem {
    /// A problem with the severity its code carries by default.
    pub fn new(
        code: Code,
        location: Location,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            severity: code.default_severity(),
            location,
            message: Message {
                zh: zh.into(),
                en: en.into(),
            },
        }
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}] {}: {} / {}",
            self.code, self.location, self.message.en, self.message.zh
        )
    }
}

/// All problems found in one piece of work, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Report {
    /// The problems.
    pub problems: Vec<Problem>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Self {
        Report::default()
    }

    /// Adds a problem.
    pub fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Problem>) {
        self.problems.extend(other);
    }

    /// True when no problem is an error (warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.has_errors()
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    /// How many problems are errors.
    pub fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// How many problems are warnings.
    pub fn warning_count(&self) -> usize {
        self.problems.len() - self.error_count()
    }

    /// True when there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// The distinct codes, sorted.
    pub fn codes(&self) -> Vec<Code> {
        let mut c: Vec<Code> = self.problems.iter().map(|p| p.code).collect();
        c.sort();
        c.dedup();
        c
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.problems.iter()
    }
}

impl IntoIterator for Report {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.problems.into_iter()
    }
}

impl<'a> IntoIterator for &'a Report {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.problems.iter()
    }
}

impl FromIterator<Problem> for Report {
    fn from_iter<I: IntoIterator<Item = Problem>>(iter: I) -> Self {
        Report {
            problems: iter.into_iter().collect(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        write!(
            f,
            "{} error(s), {} warning(s)",
            self.error_count(),
            self.warning_count()
        )
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $s:literal, $sev:ident; )*) => {
        /// A stable machine code for a problem. Programs match on
        /// [`Code::as_str`] (e.g. `"visit.unknown_household"`); the strings
        /// never change meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable string, e.g. `"visit.unknown_household"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $s,)* }
            }

            /// The severity problems with this code have unless said otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The code for a stable string, if there is one.
            pub fn parse(s: &str) -> Option<Code> {
                match s { $($s => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    // ----- reading files -----
    /// The input is not valid UTF-8 (perhaps GB18030: say so when reading).
    InputNotUtf8 = "input.not_utf8", Error;
    /// The input is not valid in the encoding the caller named.
    InputBadEncoding = "input.bad_encoding", Error;
    /// The input could not be read (an I/O error).
    InputIo = "input.io", Error;
    /// The file is empty: not even a header row.
    CsvEmpty = "csv.empty", Error;
    /// A required column is missing from the header.
    CsvMissingColumn = "csv.missing_column", Error;
    /// The header names the same column twice.
    CsvDuplicateColumn = "csv.duplicate_column", Error;
    /// The header has a column this file does not know; it is ignored.
    CsvUnknownColumn = "csv.unknown_column", Warning;
    /// A row has a different number of fields than the header.
    CsvFieldCount = "csv.field_count", Error;
    /// A row is malformed CSV (e.g. a stray quote).
    CsvSyntax = "csv.syntax", Error;
    /// The file has a header but no data row.
    CsvNoRows = "csv.no_rows", Warning;
    /// A required field is empty.
    FieldEmpty = "field.empty", Error;
    /// A field is longer than allowed.
    FieldTooLong = "field.too_long", Error;
    /// An ID is not valid (empty, over 64 characters, stray white space).
    FieldBadId = "field.bad_id", Error;
    /// A date is not a real calendar date in an accepted format.
    FieldBadDate = "field.bad_date", Error;
    /// A date-time is not valid or not in an accepted format.
    FieldBadDatetime = "field.bad_datetime", Error;
    /// A value is not one of the allowed words (e.g. residency).
    FieldBadValue = "field.bad_value", Error;
    /// A number is not a valid non-negative whole number.
    FieldBadNumber = "field.bad_number", Error;
    /// A boolean is not `true` or `false`.
    FieldBadBool = "field.bad_bool", Error;
    /// The JSON is not well formed.
    JsonSyntax = "json.syntax", Error;
    /// The JSON is well formed but does not have the expected shape.
    JsonShape = "json.shape", Error;
    /// The document names no schema or one this version does not know.
    JsonSchema = "json.schema", Error;
    /// A file the data set cannot do without (households.csv) is missing.
    InputMissingFile = "input.missing_file", Error;

    // ----- validating a data set -----
    /// Two units share an ID.
    UnitDuplicateId = "unit.duplicate_id", Error;
    /// A unit names a parent that does not exist.
    UnitUnknownParent = "unit.unknown_parent", Error;
    /// A unit is its own ancestor.
    UnitCycle = "unit.cycle", Error;
    /// A unit sits under a parent of a kind it cannot nest in.
    UnitBadNesting = "unit.bad_nesting", Error;
    /// Two households share an ID.
    HouseholdDuplicateId = "household.duplicate_id", Error;
    /// A household names a village that does not exist.
    HouseholdUnknownVillage = "household.unknown_village", Error;
    /// A household's `village_id` names a unit that is not a village.
    HouseholdNotAVillage = "household.not_a_village", Error;
    /// A household names a group or grid that does not exist or is not one.
    HouseholdUnknownUnit = "household.unknown_unit", Error;
    /// A household was registered after `today`.
    HouseholdFutureRegistration = "household.future_registration", Error;
    /// A household head's birth date lies after `today` or after registration.
    HouseholdBadBirthDate = "household.bad_birth_date", Error;
    /// Two cadres share an ID.
    CadreDuplicateId = "cadre.duplicate_id", Error;
    /// A cadre names a home unit that does not exist.
    CadreUnknownUnit = "cadre.unknown_unit", Error;
    /// A cadre's minimum load is above the maximum.
    CadreBadLoadBounds = "cadre.bad_load_bounds", Error;
    /// Two teams share an ID.
    TeamDuplicateId = "team.duplicate_id", Error;
    /// A team names a village that does not exist or is not a village.
    TeamUnknownVillage = "team.unknown_village", Error;
    /// A team names a cadre that does not exist.
    TeamUnknownCadre = "team.unknown_cadre", Error;
    /// A team lists the same cadre twice.
    TeamDuplicateMember = "team.duplicate_member", Error;
    /// A team has fewer members than required (seed 003: at least 3).
    TeamTooFewMembers = "team.too_few_members", Warning;
    /// A duty-status span names a cadre that does not exist.
    DutyUnknownCadre = "duty.unknown_cadre", Error;
    /// A duty-status span ends before it starts.
    DutyBadRange = "duty.bad_range", Error;
    /// Two duty-status spans of one cadre overlap.
    DutyOverlap = "duty.overlap", Error;
    /// An assignment names a household that does not exist.
    AssignmentUnknownHousehold = "assignment.unknown_household", Error;
    /// An assignment names a cadre that does not exist.
    AssignmentUnknownCadre = "assignment.unknown_cadre", Error;
    /// An assignment ends before it starts.
    AssignmentBadRange = "assignment.bad_range", Error;
    /// Two assignments of one household overlap in time.
    AssignmentOverlap = "assignment.overlap", Error;
    /// An assignment starts after `today`.
    AssignmentFuture = "assignment.future", Warning;
    /// A visit names a household that does not exist.
    VisitUnknownHousehold = "visit.unknown_household", Error;
    /// A visit names a cadre that does not exist.
    VisitUnknownCadre = "visit.unknown_cadre", Error;
    /// A visit lies after `today`.
    VisitFutureDate = "visit.future_date", Error;
    /// A visit lies before the household was registered.
    VisitBeforeRegistration = "visit.before_registration", Error;
    /// The same visit (household, cadre, instant, mode) is recorded twice.
    VisitDuplicate = "visit.duplicate", Warning;

    // ----- requests (cases): validation and event logs -----
    /// Two request logs share a request ID.
    RequestDuplicateId = "request.duplicate_id", Error;
    /// A request names a household that does not exist.
    RequestUnknownHousehold = "request.unknown_household", Error;
    /// A request names a cadre (raiser or handler) who does not exist.
    RequestUnknownCadre = "request.unknown_cadre", Error;
    /// A request event lies after `today`.
    RequestFutureEvent = "request.future_event", Error;
    /// The hash chain of a request log is broken: an event was edited,
    /// removed or reordered (see `case::ChainBreak`).
    RequestChainBroken = "request.chain_broken", Error;
    /// An event does not fit the request's state (e.g. feedback before any
    /// resolution); appending it is refused.
    RequestBadTransition = "request.bad_transition", Error;
    /// An event other than a reopening was appended to a closed (struck
    /// off, 销号) request.
    RequestClosed = "request.closed", Error;
    /// The first event of a request is not `raised`, or `raised` comes twice.
    RequestNotRaised = "request.not_raised", Error;
    /// An event is earlier than the event before it.
    RequestOutOfOrder = "request.out_of_order", Error;
    /// A deadline is not after the instant of the event that sets it.
    RequestBadDeadline = "request.bad_deadline", Error;
    /// An escalation does not go up the ladder.
    RequestBadLevel = "request.bad_level", Error;
    /// An event that needs a deadline (feedback "not satisfied" opens a
    /// rectification, 限期整改) has none.
    RequestMissingDeadline = "request.missing_deadline", Error;
    /// A reopening or explanation gives no reason (never silently).
    RequestMissingReason = "request.missing_reason", Error;
    /// An event names another request than its log, or its position.
    RequestWrongLog = "request.wrong_log", Error;

    // ----- coverage and load on a date -----
    /// A household nobody covers on the date (有户必包、不漏一户, seed 001).
    CoverageUncovered = "coverage.uncovered", Error;
    /// A household covered by more than one cadre on the date.
    CoverageDouble = "coverage.double", Error;
    /// A cadre covers fewer households than the lower load bound.
    LoadBelowMin = "load.below_min", Warning;
    /// A cadre covers more households than the upper load bound.
    LoadAboveMax = "load.above_max", Warning;
    /// A village has fewer contact households than its quota (seed 002).
    QuotaContactHouseholds = "quota.contact_households", Warning;
    /// A village has no population, so its contact-household quota is unknown.
    QuotaNoPopulation = "quota.no_population", Warning;

    // ----- computations refused -----
    /// A policy has more rules than a compliance run can count.
    ComplianceTooManyRules = "compliance.too_many_rules", Error;
    /// A rule asks for more contacts a period than can be counted.
    ComplianceMinContactsTooLarge = "compliance.min_contacts_too_large", Error;
    /// Per-cadre figures were asked of a result read without assignments.
    ComplianceNoAssignments = "compliance.no_assignments", Error;

    /// The options of the synthetic township generator cannot be met.
    SynthBadOptions = "synth.bad_options", Error;
    /// A window ends before it starts.
    WindowReversed = "window.reversed", Error;

    // ----- household events -----
    /// A household event names a household that does not exist.
    EventUnknownHousehold = "event.unknown_household", Error;
    /// A household event lies after `today`.
    EventFutureDate = "event.future_date", Error;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem code `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    /// Every public error type of the crate has a code and both messages:
    /// a new `pub enum FooError` without `impl CodedError for FooError`
    /// fails here.
    #[test]
    fn every_public_error_type_is_coded() {
        fn rs_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).expect("src is readable") {
                let p = e.expect("an entry").path();
                if p.is_dir() {
                    rs_files(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        rs_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let text: String = files
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("readable source"))
            .collect();
        let mut names = Vec::new();
        for line in text.lines() {
            for lead in ["pub enum ", "pub struct "] {
                if let Some(rest) = line.trim_start().strip_prefix(lead) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if name.ends_with("Error") {
                        names.push(name);
                    }
                }
            }
        }
        assert!(
            names.len() >= 7,
            "the scan finds the error types: {names:?}"
        );
        let uncoded: Vec<&String> = names
            .iter()
            .filter(|n| !text.contains(&format!("CodedError for {n} ")))
            .collect();
        assert!(uncoded.is_empty(), "no CodedError impl: {uncoded:?}");
        // and each speaks both languages, with no English left in the zh
        let d = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let samples: Vec<Box<dyn CodedError>> = vec![
            Box::new(crate::id::IdError::TooLong(70)),
            Box::new(crate::io::date::DateError::NotCalendar),
            Box::new(crate::calendar::WindowError::Reversed { start: d, end: d }),
            Box::new(crate::compliance::ComplianceError::NoAssignments),
            Box::new(crate::cadence::OverrideError::NotAStruct),
            Box::new(crate::due::DueError::UnknownCadre(
                crate::id::CadreId::new("C1").unwrap(),
            )),
            Box::new(crate::case::CaseError::Closed { event: "noted" }),
        ];
        for e in samples {
            let m = e.message();
            assert!(!m.zh.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.zh, m.en, "{e}: a Chinese message of its own");
            let p = e.to_problem(Location::default());
            assert_eq!(p.code, e.code());
        }
    }

    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert_eq!(Code::parse(c.as_str()), Some(c));
            let (area, name) = c.as_str().split_once('.').expect("area.name");
            assert!(!area.is_empty() && !name.is_empty());
        }
        assert_eq!(Code::parse("no.such_code"), None);
    }

    #[test]
    fn report_counts_and_codes() {
        let mut r = Report::new();
        assert!(r.is_ok() && r.is_empty());
        r.push(Problem::new(
            Code::CsvUnknownColumn,
            Location::file("a.csv"),
            "未知列",
            "unknown column",
        ));
        assert!(r.is_ok());
        r.push(Problem::new(
            Code::FieldBadDate,
            Location::file("a.csv").at_line(3).at_field(2, "from"),
            "日期无效",
            "bad date",
        ));
        r.push(Problem::new(
            Code::FieldBadDate,
            Location::file("a.csv").at_line(4),
            "日期无效",
            "bad date",
        ));
        assert!(r.has_errors());
        assert_eq!(r.error_count(), 2);
        assert_eq!(r.warning_count(), 1);
        assert_eq!(r.codes(), vec![Code::CsvUnknownColumn, Code::FieldBadDate]);
        let shown = r.problems[1].to_string();
        assert!(shown.contains("a.csv:3:2"), "{shown}");
        assert!(shown.contains("field.bad_date"), "{shown}");
    }

    #[test]
    fn problem_json_shape_is_stable() {
        let p = Problem::new(
            Code::VisitUnknownHousehold,
            Location::record("visit", "#2").with_field("household_id"),
            "走访记录引用了不存在的户",
            "visit names an unknown household",
        );
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "visit.unknown_household");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["location"]["field"], "household_id");
        assert!(v["location"].get("line").is_none());
        let back: Problem = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }
}
