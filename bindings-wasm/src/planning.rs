//! Coverage, compliance and a cadre's request signals as plain Rust
//! functions over JSON text (natively in `cargo test`, and in
//! WebAssembly). Conversion and selection only: the figures are the core's.

use chrono::NaiveDateTime;
use minqing::assign::{self, CoverageOptions, CoverageReport, QuotaTier};
use minqing::cadence::presets;
use minqing::cadre::LoadBounds;
use minqing::calendar::Window;
use minqing::case::{CasePolicy, RequestSignal};
use minqing::compliance::{self, Accountability, HouseholdColumns};
use minqing::id::CadreId;
use minqing::problem::{Code, CodedError, Location, Problem, Report};
use serde::{Deserialize, Serialize};

use crate::calls::{parse_date, parse_datetime};
use crate::document::{Doc, one};
use crate::requests::read_options;

/// The options of `coverage` (camelCase); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CoverageInput {
    /// The fewest households of a cadre without bounds of their own.
    pub load_min: Option<u32>,
    /// The most households of such a cadre.
    pub load_max: Option<u32>,
    /// The contact-household quota by village population.
    pub quota_tiers: Option<Vec<QuotaTier>>,
    /// Also check cadres who cover no household.
    pub check_idle_cadres: Option<bool>,
}

impl CoverageInput {
    /// The core's options: its defaults, with what is given here.
    pub fn options(self) -> CoverageOptions {
        let mut o = CoverageOptions::default();
        let d = o.load;
        o = o.load(LoadBounds::new(
            self.load_min.unwrap_or(d.min),
            self.load_max.unwrap_or(d.max),
        ));
        if let Some(tiers) = self.quota_tiers {
            o = o.quota(assign::ContactQuota::new(tiers));
        }
        if let Some(yes) = self.check_idle_cadres {
            o = o.check_idle_cadres(yes);
        }
        o
    }
}

/// Whose compliance `complianceSummary` reports: one cadre, one village,
/// or (neither) the whole data set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComplianceScope {
    /// A cadre: the periods charged to them (assigned on the period's last day).
    pub cadre_id: Option<String>,
    /// A village.
    pub village_id: Option<String>,
}

/// What `complianceSummary` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceSummary {
    /// The policy's name (`four_fixed_three_arrivals`).
    pub policy_name: String,
    /// The window.
    pub window: Window,
    /// The cadre, when the summary is a cadre's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadre_id: Option<String>,
    /// The village, when the summary is a village's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub village_id: Option<String>,
    /// Required household-periods.
    pub required: u64,
    /// Met household-periods.
    pub met: u64,
    /// `met / required`, `null` when nothing is required.
    pub rate: Option<f64>,
}

fn bad_id(field: &str, what: &str, id: &str) -> Report {
    one(Problem::new(
        Code::FieldBadId,
        Location::default().with_field(field),
        format!("数据集中没有{what} {id:?}"),
        format!("the data set has no {what} {id:?}"),
    ))
}

/// `coverage`: the coverage, load and quota report on `on`
/// ([`assign::check_coverage`]).
///
/// # Errors
/// The document or the options cannot be read, or `on` is not a date.
pub fn coverage<'d>(
    doc: impl Into<Doc<'d>>,
    on: &str,
    options: Option<&str>,
) -> Result<CoverageReport, Report> {
    let on = parse_date(on, "on")?;
    let ds = doc.into().dataset()?;
    let options: CoverageInput = read_options(options, "options")?;
    Ok(assign::check_coverage(&ds, on, &options.options()))
}

/// `complianceSummary`: the four-fixed-three-arrivals preset's compliance
/// from `start` to `end` ([`compliance::compliance_of_dataset`]), for a
/// cadre ([`compliance::ComplianceReport::by_cadre`]), a village (its row of
/// the report) or the whole data set.
///
/// # Errors
/// The document or the scope cannot be read, a date is bad or `end` is
/// before `start` (`field.bad_date`), the scope names both a cadre and a
/// village (`field.bad_value`) or one the data set does not have
/// (`field.bad_id`).
pub fn compliance_summary<'d>(
    doc: impl Into<Doc<'d>>,
    scope: Option<&str>,
    start: &str,
    end: &str,
) -> Result<ComplianceSummary, Report> {
    let scope: ComplianceScope = read_options(scope, "scope")?;
    let (from, to) = (parse_date(start, "start")?, parse_date(end, "end")?);
    let window = Window::checked(from, to)
        .map_err(|e| one(e.to_problem(Location::default().with_field("end"))))?;
    if scope.cadre_id.is_some() && scope.village_id.is_some() {
        return Err(one(Problem::new(
            Code::FieldBadValue,
            Location::default().with_field("scope"),
            "scope 只能指定 cadreId 或 villageId 之一",
            "scope names a cadreId or a villageId, not both",
        )));
    }
    let ds = doc.into().dataset()?;
    let report =
        compliance::compliance_of_dataset(&ds, &presets::four_fixed_three_arrivals(), window)
            .map_err(|e| {
                let s = e.to_string();
                let (en, zh) = s.split_once(" / ").unwrap_or((&s, &s));
                one(Problem::new(
                    Code::FieldBadValue,
                    Location::default(),
                    zh.to_string(),
                    en.to_string(),
                ))
            })?;
    let (required, met) = if let Some(c) = &scope.cadre_id {
        if !ds.cadres.iter().any(|x| x.id.as_str() == c) {
            return Err(bad_id("cadreId", "cadre", c));
        }
        let hs = HouseholdColumns::from_households(&ds.households);
        report
            .by_cadre(&hs, &ds.assignments, Accountability::LastDay)
            .into_iter()
            .find(|row| &row.cadre_id == c)
            .map_or((0, 0), |row| (row.required, row.met))
    } else if let Some(v) = &scope.village_id {
        let row = report.villages.iter().find(|row| &row.village_id == v);
        let row = row.ok_or_else(|| bad_id("villageId", "village", v))?;
        (row.required, row.met)
    } else {
        (report.required, report.met)
    };
    Ok(ComplianceSummary {
        policy_name: report.policy_name.clone(),
        window,
        cadre_id: scope.cadre_id,
        village_id: scope.village_id,
        required,
        met,
        rate: compliance::rate(met, required),
    })
}

/// `requestSignals`: the request signal light (default policy) at `now`
/// of each household on the cadre's due list of that day
/// ([`minqing::due::DueBook::request_signals`]: the due list's coverage
/// rule, so on a handover day the household is the new cadre's), in
/// household-ID order.
///
/// # Errors
/// The document cannot be read, the cadre ID is not valid or not in the
/// data set, or `now` is not a date-time.
pub fn request_signals<'d>(
    doc: impl Into<Doc<'d>>,
    cadre_id: &str,
    now: &str,
) -> Result<Vec<RequestSignal>, Report> {
    let now: NaiveDateTime = parse_datetime(now, "now")?;
    let ds = doc.into().dataset()?;
    let cadre = CadreId::new(cadre_id).map_err(|_| bad_id("cadreId", "cadre", cadre_id))?;
    minqing::due::request_signals(&ds, &cadre, now, &CasePolicy::default())
        .map_err(|e| one(e.to_problem(Location::default().with_field("cadreId"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::read_dataset;

    const DOC: &str = r#"{"schema": "minqing/1",
        "units": [{"unit_id": "V1", "kind": "village"}],
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                       {"household_id": "H2", "village_id": "V1", "residency": "resident"}],
        "cadres": [{"cadre_id": "A", "name": "李某某"}],
        "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"}],
        "visits": [{"household_id": "H1", "cadre_id": "A", "at": "2024-01-05T09:00:00", "mode": "phone"}]}"#;

    #[test]
    fn compliance_for_the_data_set_a_village_and_a_cadre() {
        let all = compliance_summary(DOC, None, "2024-01-01", "2024-03-31").unwrap();
        assert_eq!(all.policy_name, "four_fixed_three_arrivals");
        assert!(all.required > 0 && all.met > 0);
        let v = compliance_summary(
            DOC,
            Some(r#"{"villageId": "V1"}"#),
            "2024-01-01",
            "2024-03-31",
        )
        .unwrap();
        assert_eq!((v.required, v.met), (all.required, all.met));
        let a = compliance_summary(DOC, Some(r#"{"cadreId": "A"}"#), "2024-01-01", "2024-03-31")
            .unwrap();
        assert!(a.required < all.required, "H2 is nobody's");
        let err = |scope: &str, end: &str| {
            compliance_summary(DOC, Some(scope), "2024-01-01", end)
                .unwrap_err()
                .problems[0]
                .code
        };
        assert_eq!(
            err(r#"{"villageId": "V9"}"#, "2024-03-31"),
            Code::FieldBadId
        );
        assert_eq!(err("{}", "2023-03-31"), Code::WindowReversed);
        assert_eq!(
            err(r#"{"villageId": "V1", "cadreId": "A"}"#, "2024-03-31"),
            Code::FieldBadValue
        );
    }

    #[test]
    fn signals_on_a_handover_day_follow_the_due_list() {
        // H1 passes from A to B on 2024-03-01: that day it is on B's due
        // list only, and so are its request signals (the regression: A's
        // signals listed it too)
        let doc = r#"{"schema": "minqing/1",
            "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"}],
            "cadres": [{"cadre_id": "A", "name": "甲"}, {"cadre_id": "B", "name": "乙"}],
            "assignments": [
                {"household_id": "H1", "cadre_id": "A", "from": "2024-01-01", "to": "2024-03-01"},
                {"household_id": "H1", "cadre_id": "B", "from": "2024-03-01"}]}"#;
        let at = "2024-03-01T08:00:00";
        let ids = |c| -> Vec<String> {
            request_signals(doc, c, at)
                .unwrap()
                .iter()
                .map(|s| s.household_id.to_string())
                .collect()
        };
        assert_eq!((ids("A"), ids("B")), (vec![], vec!["H1".to_string()]));
        let ds = read_dataset(doc).unwrap();
        let due = |c| {
            minqing::due::due_list(
                &ds,
                &CadreId::new(c).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                &minqing::due::DueOptions::new(),
            )
            .households
            .len()
        };
        assert_eq!((due("A"), due("B")), (0, 1));
    }

    #[test]
    fn signals_of_the_cadres_households() {
        let s = request_signals(DOC, "A", "2024-06-01T08:00:00").unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].household_id.as_str(), "H1");
        assert_eq!(
            request_signals(DOC, "Z", "2024-06-01T08:00:00")
                .unwrap_err()
                .problems[0]
                .code,
            Code::FieldBadId
        );
        let r = coverage(DOC, "2024-06-30", Some(r#"{"loadMin": 1, "loadMax": 2}"#)).unwrap();
        assert_eq!(r.uncovered.len(), 1);
    }
}
