//! Each JavaScript function of the binding as a plain Rust function over
//! JSON text and strings, so that the same path runs natively in
//! `cargo test` and in WebAssembly. Conversion and filtering only: every
//! rule is the core's.

use chrono::{NaiveDate, NaiveDateTime};
use minqing::cadre::{self, DutyStatus};
use minqing::dataset::{Dataset, RecordChecker, ValidateOptions};
use minqing::household::Household;
use minqing::id::CadreId;
use minqing::problem::{Code, Location, Problem, Report};
use minqing::visit::Visit;

use crate::document::{Doc, one, read_dataset, read_record};

/// Parses a calendar date argument (`"2024-06-30"`).
///
/// # Errors
/// `field.bad_date`, located at the argument's name.
pub fn parse_date(s: &str, arg: &str) -> Result<NaiveDate, Report> {
    s.parse().map_err(|e| {
        one(Problem::new(
            Code::FieldBadDate,
            Location::default().with_field(arg),
            format!("{arg} 不是有效日期（YYYY-MM-DD）：{s:?}，{e}"),
            format!("{arg} is not a valid date (YYYY-MM-DD): {s:?}, {e}"),
        ))
    })
}

/// Parses a date-time argument (`"2024-05-06T19:00:00"`, no offset).
///
/// # Errors
/// `field.bad_datetime`, located at the argument's name.
pub fn parse_datetime(s: &str, arg: &str) -> Result<NaiveDateTime, Report> {
    s.parse().map_err(|e| {
        one(Problem::new(
            Code::FieldBadDatetime,
            Location::default().with_field(arg),
            format!("{arg} 不是有效时间（YYYY-MM-DDTHH:MM:SS）：{s:?}，{e}"),
            format!("{arg} is not a valid date-time (YYYY-MM-DDTHH:MM:SS): {s:?}, {e}"),
        ))
    })
}

/// `validateDataset`: every problem of the document, in the core's order.
///
/// # Errors
/// The document cannot be read, or `today` is not a date.
pub fn validate_dataset<'d>(
    doc: impl Into<Doc<'d>>,
    today: &str,
    min_station_members: Option<usize>,
) -> Result<Vec<Problem>, Report> {
    let today = parse_date(today, "today")?;
    let ds = doc.into().dataset()?;
    let mut opts = ValidateOptions::new(today);
    if let Some(n) = min_station_members {
        opts = opts.min_station_members(n);
    }
    Ok(ds.validate(&opts).problems)
}

/// `validateHousehold`: the problems the household would have if appended to
/// the data set. A household that does not even read gives its one
/// `json.*` problem (at the field that failed) instead.
///
/// # Errors
/// The data set cannot be read, or `today` is not a date.
pub fn validate_household(household: &str, doc: &str, today: &str) -> Result<Vec<Problem>, Report> {
    let today = parse_date(today, "today")?;
    let mut ds = read_dataset(doc)?;
    let h: Household = match read_record(household, "household") {
        Ok(h) => h,
        Err(report) => return Ok(report.problems),
    };
    ds.households.push(h);
    let at = format!("households[{}]", ds.households.len() - 1);
    Ok(problems_at(&ds, today, &at))
}

/// `validateVisit`: the problems the visit would have if appended to the
/// data set. A visit that does not even read gives its one `json.*`
/// problem (at the field that failed) instead.
///
/// # Errors
/// The data set cannot be read, or `today` is not a date.
pub fn validate_visit(visit: &str, doc: &str, today: &str) -> Result<Vec<Problem>, Report> {
    let today = parse_date(today, "today")?;
    let mut ds = read_dataset(doc)?;
    let v: Visit = match read_record(visit, "visit") {
        Ok(v) => v,
        Err(report) => return Ok(report.problems),
    };
    ds.visits.push(v);
    let at = format!("visits[{}]", ds.visits.len() - 1);
    Ok(problems_at(&ds, today, &at))
}

/// Validates `ds` and keeps the problems located at the record at JSON path
/// `at` (filtering, not a rule: which problems exist is the core's answer).
fn problems_at(ds: &Dataset, today: NaiveDate, at: &str) -> Vec<Problem> {
    ds.validate(&ValidateOptions::new(today))
        .into_iter()
        .filter(|p| p.location.path.as_deref() == Some(at))
        .collect()
}

/// A data set read and indexed once for checking new households and visits
/// as a form is typed (`Validator` in JavaScript): each check is
/// [`RecordChecker`]'s, the same problems as [`validate_household`] and
/// [`validate_visit`] give, without reading or validating the whole data
/// set again.
#[derive(Debug, Clone)]
pub struct Checker {
    inner: RecordChecker,
}

impl Checker {
    /// Reads and indexes the document.
    ///
    /// # Errors
    /// The document cannot be read.
    pub fn new(doc: &str) -> Result<Checker, Report> {
        let ds = read_dataset(doc)?;
        Ok(Checker {
            inner: RecordChecker::new(&ds),
        })
    }

    /// As [`validate_household`], against the data set read once.
    ///
    /// # Errors
    /// `today` is not a date.
    pub fn household(&self, household: &str, today: &str) -> Result<Vec<Problem>, Report> {
        let today = parse_date(today, "today")?;
        match read_record::<Household>(household, "household") {
            Ok(h) => Ok(self.inner.household(&h, &ValidateOptions::new(today))),
            Err(report) => Ok(report.problems),
        }
    }

    /// As [`validate_visit`], against the data set read once.
    ///
    /// # Errors
    /// `today` is not a date.
    pub fn visit(&self, visit: &str, today: &str) -> Result<Vec<Problem>, Report> {
        let today = parse_date(today, "today")?;
        match read_record::<Visit>(visit, "visit") {
            Ok(v) => Ok(self.inner.visit(&v, &ValidateOptions::new(today))),
            Err(report) => Ok(report.problems),
        }
    }
}

/// `statusAt`: the cadre's duty status at `at`, or `None` when no span
/// covers it.
///
/// # Errors
/// The document cannot be read, the cadre ID is not valid, or `at` is not a
/// date-time.
pub fn status_at<'d>(
    doc: impl Into<Doc<'d>>,
    cadre_id: &str,
    at: &str,
) -> Result<Option<DutyStatus>, Report> {
    let cadre = CadreId::new(cadre_id).map_err(|e| {
        one(Problem::new(
            Code::FieldBadId,
            Location::default().with_field("cadreId"),
            format!("cadreId 不是有效编号：{cadre_id:?}，{e}"),
            format!("cadreId is not a valid ID: {cadre_id:?}, {e}"),
        ))
    })?;
    let at = parse_datetime(at, "at")?;
    let ds = doc.into().dataset()?;
    Ok(cadre::status_at(&ds.duty, &cadre, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checker_answers_as_the_one_shot_functions() {
        let checker = Checker::new(DOC).unwrap();
        let visits = [
            r#"{"household_id": "H1", "cadre_id": "A", "at": "2024-06-03T09:00:00", "mode": "phone"}"#,
            r#"{"household_id": "H9", "cadre_id": "Z", "at": "2024-07-03T09:00:00", "mode": "phone"}"#,
            r#"{"household_id": "H1", "cadre_id": "A", "at": "2024-03-01T09:00:00", "mode": "phone"}"#,
            r#"{"household_id": "H1", "cadre_id": "A", "at": "yesterday", "mode": "phone"}"#,
        ];
        for v in visits {
            assert_eq!(
                checker.visit(v, "2024-06-30").unwrap(),
                validate_visit(v, DOC, "2024-06-30").unwrap(),
                "{v}"
            );
        }
        let households = [
            r#"{"household_id": "H2", "village_id": "V1", "residency": "away"}"#,
            r#"{"household_id": "H1", "village_id": "T", "residency": "away", "registered_on": "2024-07-01"}"#,
            r#"{"household_id": "H3", "village_id": "V1", "residency": "moved"}"#,
        ];
        for h in households {
            assert_eq!(
                checker.household(h, "2024-06-30").unwrap(),
                validate_household(h, DOC, "2024-06-30").unwrap(),
                "{h}"
            );
        }
        assert_eq!(
            checker.visit(visits[0], "30.6.2024").unwrap_err().problems[0].code,
            Code::FieldBadDate
        );
    }

    const DOC: &str = r#"{
        "schema": "minqing/1",
        "units": [{"unit_id": "T", "kind": "township"},
                  {"unit_id": "V1", "kind": "village", "parent_id": "T"}],
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident",
                        "registered_on": "2024-03-10"}],
        "cadres": [{"cadre_id": "A", "name": "李某某"}],
        "duty": [{"cadre_id": "A", "status": "in_field", "from": "2024-05-06T12:00:00"}],
        "visits": [{"household_id": "H1", "cadre_id": "A", "at": "2024-03-10T09:00:00", "mode": "phone"}]
    }"#;

    #[test]
    fn a_good_household_has_no_problem_and_a_bad_one_its_fields() {
        let ok = r#"{"household_id": "H2", "village_id": "V1", "residency": "away"}"#;
        assert_eq!(validate_household(ok, DOC, "2024-06-30").unwrap(), vec![]);
        let bad = r#"{"household_id": "H1", "village_id": "T", "residency": "away",
                      "registered_on": "2024-07-01"}"#;
        let got: Vec<(Code, Option<String>)> = validate_household(bad, DOC, "2024-06-30")
            .unwrap()
            .into_iter()
            .map(|p| (p.code, p.location.field))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::HouseholdDuplicateId, Some("household_id".into())),
                (Code::HouseholdNotAVillage, Some("village_id".into())),
                (
                    Code::HouseholdFutureRegistration,
                    Some("registered_on".into())
                ),
            ]
        );
    }

    #[test]
    fn only_the_new_visit_is_reported() {
        // the data set's own problems (none here, but a bad existing record
        // would be) are not the form's business
        let v = r#"{"household_id": "H1", "cadre_id": "Z", "at": "2024-07-01T08:00:00", "mode": "phone"}"#;
        let codes: Vec<Code> = validate_visit(v, DOC, "2024-06-30")
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes, vec![Code::VisitUnknownCadre, Code::VisitFutureDate]);
        let dup = r#"{"household_id": "H1", "cadre_id": "A", "at": "2024-03-10T09:00:00", "mode": "phone"}"#;
        let codes: Vec<Code> = validate_visit(dup, DOC, "2024-06-30")
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes, vec![Code::VisitDuplicate]);
        let unreadable =
            r#"{"household_id": "H1", "cadre_id": "A", "at": "yesterday", "mode": "phone"}"#;
        let ps = validate_visit(unreadable, DOC, "2024-06-30").unwrap();
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].code, Code::JsonShape);
        assert_eq!(ps[0].location.field.as_deref(), Some("at"));
    }

    #[test]
    fn arguments_are_checked() {
        assert_eq!(
            validate_dataset(DOC, "2024-02-30", None)
                .unwrap_err()
                .problems[0]
                .code,
            Code::FieldBadDate
        );
        assert_eq!(
            status_at(DOC, "", "2024-05-06T13:00:00")
                .unwrap_err()
                .problems[0]
                .code,
            Code::FieldBadId
        );
        assert_eq!(
            status_at(DOC, "A", "2024-05-06").unwrap_err().problems[0].code,
            Code::FieldBadDatetime
        );
        assert_eq!(
            status_at(DOC, "A", "2024-05-06T13:00:00").unwrap(),
            Some(DutyStatus::InField)
        );
        assert_eq!(status_at(DOC, "A", "2024-05-06T11:00:00").unwrap(), None);
    }
}
