//! Who covers which household, over time (包户 / 包联), and the coverage,
//! load and quota checks on a date (seeds 001, 002, 000).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cadre::LoadBounds;
use crate::dataset::Dataset;
use crate::household::{Household, Residency, Tag};
use crate::id::{CadreId, HouseholdId, UnitId};
use crate::org::UnitKind;
use crate::problem::{Code, Location, Problem, Report};

/// Household `household` is covered by cadre `cadre` from `from` to `to`,
/// both days inclusive; `to = None` means it still is. A household has at
/// most one assignment on any day; history is kept as a list of spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The household covered.
    #[serde(rename = "household_id")]
    pub household: HouseholdId,
    /// The cadre who covers it.
    #[serde(rename = "cadre_id")]
    pub cadre: CadreId,
    /// The first day covered.
    #[serde(with = "crate::io::date::serde_formats::date")]
    pub from: NaiveDate,
    /// The last day covered (inclusive); `None` while it lasts.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::io::date::serde_formats::opt_date"
    )]
    pub to: Option<NaiveDate>,
}

impl Assignment {
    /// An open-ended assignment from `from`.
    pub fn new(household: HouseholdId, cadre: CadreId, from: NaiveDate) -> Self {
        Assignment {
            household,
            cadre,
            from,
            to: None,
        }
    }

    /// True when the assignment covers day `on`.
    pub fn covers(&self, on: NaiveDate) -> bool {
        self.from <= on && self.to.is_none_or(|to| on <= to)
    }

    /// The latest first day among the household's `assignments` that cover
    /// day `on`: the coverage rule of due lists, request signals and
    /// per-cadre compliance. On a handover day, when the old assignment
    /// ends and the new one starts that day, the new one holds the
    /// household.
    fn latest_start<'a, I>(assignments: I, on: NaiveDate) -> Option<NaiveDate>
    where
        I: IntoIterator<Item = &'a Assignment>,
    {
        assignments
            .into_iter()
            .filter(|a| a.covers(on))
            .map(|a| a.from)
            .max()
    }

    /// True when this assignment holds its household on day `on`, of the
    /// household's `assignments` (this one among them): it covers `on` and
    /// none covering `on` started later. Two that started the same day
    /// (a double cover, which `Dataset::validate` reports) both hold it, so
    /// that neither cadre's due list loses the household.
    pub fn holds<'a, I>(&self, assignments: I, on: NaiveDate) -> bool
    where
        I: IntoIterator<Item = &'a Assignment>,
    {
        self.covers(on) && Self::latest_start(assignments, on) == Some(self.from)
    }

    /// The assignment charged for a household on day `on`, of that
    /// household's `assignments`: of those that hold it
    /// ([`Assignment::holds`]), the last in order.
    ///
    /// ```
    /// use minqing::assign::Assignment;
    /// use minqing::id::{CadreId, HouseholdId};
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let h = HouseholdId::new("H1")?;
    /// let mut old = Assignment::new(h.clone(), CadreId::new("A")?, d(1, 1));
    /// old.to = Some(d(3, 1));
    /// let new = Assignment::new(h, CadreId::new("B")?, d(3, 1));
    /// let both = [old, new];
    /// let on = |day| Assignment::holding(&both, day).map(|a| a.cadre.as_str());
    /// assert_eq!((on(d(2, 29)), on(d(3, 1)), on(d(3, 2))), (Some("A"), Some("B"), Some("B")));
    /// assert!(!both[0].holds(&both, d(3, 1)) && both[1].holds(&both, d(3, 1)));
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn holding<'a, I>(assignments: I, on: NaiveDate) -> Option<&'a Assignment>
    where
        I: IntoIterator<Item = &'a Assignment>,
        I::IntoIter: Clone,
    {
        let all = assignments.into_iter();
        let latest = Self::latest_start(all.clone(), on)?;
        all.filter(|a| a.covers(on) && a.from == latest).last()
    }

    /// True when the two spans share at least one day.
    pub fn overlaps(&self, other: &Assignment) -> bool {
        let a_end = self.to.unwrap_or(NaiveDate::MAX);
        let b_end = other.to.unwrap_or(NaiveDate::MAX);
        self.from <= b_end && other.from <= a_end
    }
}

// ---------------------------------------------------------------------
// Coverage, load and quota on a date
// ---------------------------------------------------------------------

/// One population tier of the contact-household quota: a village of at
/// most `max_population` people (`None`: any larger village) chooses
/// `households` contact households (联系户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuotaTier {
    /// The largest population of the tier, inclusive; `None` for the open
    /// top tier.
    pub max_population: Option<u32>,
    /// The number of contact households a village of the tier must have.
    pub households: u32,
}

impl QuotaTier {
    /// A tier for villages of up to `max_population` people.
    pub fn up_to(max_population: u32, households: u32) -> Self {
        QuotaTier {
            max_population: Some(max_population),
            households,
        }
    }

    /// The open top tier: every village larger than the tiers below.
    pub fn above(households: u32) -> Self {
        QuotaTier {
            max_population: None,
            households,
        }
    }
}

/// The contact-household quota by village population (联系户数量, seed 002:
/// 根据农村人口数量确定联系户，一般500人以下的村确定10户，500-1000人的村确定
/// 15户，1000人以上的村确定20户).
///
/// The tiers are kept sorted by `max_population`, the open tier last; a
/// village falls in the first tier whose `max_population` is at least its
/// population. The seed's "500 to 1,000" is read as 500 to 1,000 inclusive,
/// so that 499 → 10, 500 → 15, 1,000 → 15, 1,001 → 20.
///
/// # Example
/// ```
/// use minqing::assign::{ContactQuota, QuotaTier};
/// let q = ContactQuota::seed_002();
/// assert_eq!(q.for_population(499), Some(10));
/// assert_eq!(q.for_population(500), Some(15));
/// assert_eq!(q.for_population(1000), Some(15));
/// assert_eq!(q.for_population(1001), Some(20));
/// // a county's own tiers
/// let q = ContactQuota::new(vec![QuotaTier::up_to(300, 5), QuotaTier::above(8)]);
/// assert_eq!(q.for_population(301), Some(8));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ContactQuota {
    /// The tiers, smallest population first, the open tier (if any) last.
    pub tiers: Vec<QuotaTier>,
}

impl ContactQuota {
    /// A quota from `tiers`, in any order (they are sorted).
    pub fn new(mut tiers: Vec<QuotaTier>) -> Self {
        tiers.sort_by_key(|t| (t.max_population.is_none(), t.max_population, t.households));
        ContactQuota { tiers }
    }

    /// Seed 002's tiers: under 500 people 10, 500 to 1,000 people 15, over
    /// 1,000 people 20 contact households.
    pub fn seed_002() -> Self {
        ContactQuota::new(vec![
            QuotaTier::up_to(499, 10),
            QuotaTier::up_to(1000, 15),
            QuotaTier::above(20),
        ])
    }

    /// The quota of a village of `population` people; `None` when the
    /// population lies above every tier and there is no open tier.
    pub fn for_population(&self, population: u32) -> Option<u32> {
        self.tiers
            .iter()
            .find(|t| t.max_population.is_none_or(|m| population <= m))
            .map(|t| t.households)
    }
}

impl Default for ContactQuota {
    fn default() -> Self {
        ContactQuota::seed_002()
    }
}

/// Options of [`check_coverage`]; [`Default`] gives the seeds' figures
/// ([`LoadBounds::seed_001`], [`ContactQuota::seed_002`], office cadres not
/// checked).
///
/// # Example
/// ```
/// use minqing::assign::{ContactQuota, CoverageOptions, QuotaTier};
/// use minqing::cadre::LoadBounds;
/// let opts = CoverageOptions::default()
///     .load(LoadBounds::new(5, 10)) // the "1+X" grid model, seed 000
///     .quota(ContactQuota::new(vec![QuotaTier::above(12)]))
///     .check_idle_cadres(true);
/// assert_eq!(opts.load, LoadBounds::new(5, 10));
/// assert_eq!(CoverageOptions::default().load, LoadBounds::new(60, 70));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageOptions {
    /// The load bounds of a cadre who has none of their own (seed 001: 60 to
    /// 70 households a cadre). [`crate::cadre::Cadre::load_bounds`] overrides
    /// them per cadre.
    pub load: LoadBounds,
    /// The contact-household quota by village population (seed 002).
    pub quota: ContactQuota,
    /// Also check cadres who cover no household on the date and have no
    /// bounds of their own. Off by default: seed 001 keeps 20% of the
    /// township's cadres in the office for the window services (机关值守),
    /// with no households.
    pub check_idle_cadres: bool,
}

impl CoverageOptions {
    /// The seeds' defaults (same as [`Default`]).
    pub fn new() -> Self {
        CoverageOptions::default()
    }

    /// Sets the default load bounds.
    pub fn load(mut self, load: LoadBounds) -> Self {
        self.load = load;
        self
    }

    /// Sets the contact-household quota.
    pub fn quota(mut self, quota: ContactQuota) -> Self {
        self.quota = quota;
        self
    }

    /// Sets whether cadres with no household and no bounds of their own are
    /// load-checked too.
    pub fn check_idle_cadres(mut self, yes: bool) -> Self {
        self.check_idle_cadres = yes;
        self
    }
}

/// Coverage of one village on the date. Only households registered on or
/// before the date count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageCoverage {
    /// The village.
    pub village: UnitId,
    /// Its name, when the village is a known unit with a name.
    pub name: Option<String>,
    /// Registered population (people), where known.
    pub population: Option<u32>,
    /// Households of the village.
    pub households: u32,
    /// Of which resident (常住户).
    pub resident: u32,
    /// Of which away (外出户).
    pub away: u32,
    /// Households covered by at least one cadre.
    pub covered: u32,
    /// Households covered by nobody.
    pub uncovered: u32,
    /// Households covered by more than one cadre.
    pub doubly_covered: u32,
    /// Households tagged [`Tag::ContactHousehold`] (联系户).
    pub contact_households: u32,
    /// The contact-household quota for the population (seed 002); `None`
    /// when the population is unknown.
    pub quota: Option<u32>,
    /// Distinct cadres covering at least one household of the village.
    pub cadres: u32,
    /// The smallest total load (households covered, in all villages) among
    /// those cadres.
    pub min_load: Option<u32>,
    /// The largest total load among those cadres.
    pub max_load: Option<u32>,
}

/// The load of one checked cadre on the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreLoad {
    /// The cadre.
    pub cadre: CadreId,
    /// Households the cadre covers on the date.
    pub households: u32,
    /// The cadre's bounds (its own, else the options' default).
    pub bounds: LoadBounds,
    /// True when `households` lies within `bounds`.
    pub within: bool,
}

/// A household covered by more than one cadre on the date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoubleCover {
    /// The household.
    pub household: HouseholdId,
    /// The cadres covering it, sorted.
    pub cadres: Vec<CadreId>,
}

/// The result of [`check_coverage`]: figures per village and per cadre, the
/// households missed or covered twice, and the problems found. Every list
/// is sorted by ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// The date checked.
    pub on: NaiveDate,
    /// One row a village, sorted by village ID.
    pub villages: Vec<VillageCoverage>,
    /// One row a checked cadre, sorted by cadre ID.
    pub cadres: Vec<CadreLoad>,
    /// Households nobody covers, sorted.
    pub uncovered: Vec<HouseholdId>,
    /// Households covered by more than one cadre, sorted.
    pub doubly_covered: Vec<DoubleCover>,
    /// Problems: `coverage.uncovered`, `coverage.double`, `load.below_min`,
    /// `load.above_max`, `quota.contact_households`, `quota.no_population`.
    pub problems: Report,
}

impl CoverageReport {
    /// Households counted on the date, all villages together.
    pub fn households(&self) -> u32 {
        self.villages.iter().map(|v| v.households).sum()
    }

    /// Households covered by at least one cadre, all villages together.
    pub fn covered(&self) -> u32 {
        self.villages.iter().map(|v| v.covered).sum()
    }

    /// True when every household is covered by exactly one cadre (有户必包、
    /// 不漏一户, seed 001).
    pub fn is_fully_covered(&self) -> bool {
        self.uncovered.is_empty() && self.doubly_covered.is_empty()
    }
}

/// Checks coverage, load and contact-household quota on day `on`.
///
/// - **Coverage** (有户必包、不漏一户, seed 001): every household registered
///   on or before `on` ([`Household::is_registered_on`]) must be covered by
///   an [`Assignment`] on that day (`coverage.uncovered`, an error), and by
///   one cadre only (`coverage.double`, an error). Two assignments of the
///   same household to the same cadre count as one cadre (validation reports
///   them as `assignment.overlap`). Households registered after `on` are left
///   out of every figure; assignments naming unknown households are ignored.
/// - **Load** (seed 001: 60 to 70 households a cadre): a cadre's load is the
///   number of counted households it covers on `on`. The cadres checked are
///   those covering at least one household on `on` and those with bounds of
///   their own ([`crate::cadre::Cadre::min_households`] or
///   `max_households` set), who are expected to cover households. Cadres
///   with neither are office cadres kept for the window services (seed 001:
///   20% of cadres) and are skipped unless
///   [`CoverageOptions::check_idle_cadres`] is set. A cadre named by an
///   assignment but absent from the cadre list is checked with the default
///   bounds. Out of bounds gives `load.below_min` or `load.above_max`
///   (warnings).
/// - **Quota** (seed 002): a village (a unit of kind
///   [`UnitKind::Village`]) with fewer households tagged
///   [`Tag::ContactHousehold`] than [`ContactQuota::for_population`] gives
///   `quota.contact_households`; one with no population gives
///   `quota.no_population` (warnings). A village named by a household but
///   missing from the units still gets a row, without a quota check
///   (validation reports it).
///
/// Duplicate IDs (reported by validation) are counted once, the first
/// record winning.
///
/// # Example
/// ```
/// use minqing::prelude::*;
/// use minqing::assign::{check_coverage, CoverageOptions};
/// use chrono::NaiveDate;
///
/// let on = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
/// let mut ds = Dataset::new();
/// ds.units.push(Unit::new(UnitId::new("V1")?, UnitKind::Village).with_population(420));
/// for i in 1..=3 {
///     ds.households.push(Household::new(HouseholdId::new(format!("H{i}"))?, UnitId::new("V1")?, Residency::Resident));
/// }
/// ds.cadres.push(Cadre::new(CadreId::new("C1")?, "李某某"));
/// for i in 1..=2 {
///     ds.assignments.push(Assignment::new(
///         HouseholdId::new(format!("H{i}"))?,
///         CadreId::new("C1")?,
///         NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
///     ));
/// }
/// let report = check_coverage(&ds, on, &CoverageOptions::default());
/// assert_eq!(report.uncovered, vec![HouseholdId::new("H3")?]);
/// assert_eq!(report.villages[0].quota, Some(10));
/// assert_eq!(
///     report.problems.codes(),
///     vec![Code::CoverageUncovered, Code::LoadBelowMin, Code::QuotaContactHouseholds],
/// );
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn check_coverage(ds: &Dataset, on: NaiveDate, opts: &CoverageOptions) -> CoverageReport {
    // Households counted on the date, first record of each ID.
    let mut households: BTreeMap<&str, &Household> = BTreeMap::new();
    for h in ds.households.iter().filter(|h| h.is_registered_on(on)) {
        households.entry(h.id.as_str()).or_insert(h);
    }

    // Cadres covering each counted household on the date.
    let mut cover: BTreeMap<&str, BTreeSet<&CadreId>> = BTreeMap::new();
    for a in ds.assignments.iter().filter(|a| a.covers(on)) {
        if households.contains_key(a.household.as_str()) {
            cover
                .entry(a.household.as_str())
                .or_default()
                .insert(&a.cadre);
        }
    }

    // Loads.
    let mut load: BTreeMap<&CadreId, u32> = BTreeMap::new();
    for cadres in cover.values() {
        for c in cadres {
            *load.entry(*c).or_default() += 1;
        }
    }

    let mut report = Report::new();
    let mut uncovered = Vec::new();
    let mut doubly_covered = Vec::new();
    for (id, h) in &households {
        match cover.get(id) {
            None => {
                uncovered.push(h.id.clone());
                report.push(Problem::new(
                    Code::CoverageUncovered,
                    Location::record("household", &h.id),
                    format!(
                        "{on} 户 {}（{}）无人包联（有户必包、不漏一户）",
                        h.id, h.village
                    ),
                    format!(
                        "on {on}, household {} ({}) is covered by no cadre",
                        h.id, h.village
                    ),
                ));
            }
            Some(cs) if cs.len() > 1 => {
                let cadres: Vec<CadreId> = cs.iter().map(|c| (*c).clone()).collect();
                let list = cadres
                    .iter()
                    .map(CadreId::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                report.push(Problem::new(
                    Code::CoverageDouble,
                    Location::record("household", &h.id),
                    format!(
                        "{on} 户 {} 同时由 {} 名干部包联：{list}",
                        h.id,
                        cadres.len()
                    ),
                    format!(
                        "on {on}, household {} is covered by {} cadres: {list}",
                        h.id,
                        cadres.len()
                    ),
                ));
                doubly_covered.push(DoubleCover {
                    household: h.id.clone(),
                    cadres,
                });
            }
            Some(_) => {}
        }
    }

    // Cadre load rows.
    let mut known: BTreeMap<&CadreId, &crate::cadre::Cadre> = BTreeMap::new();
    for c in &ds.cadres {
        known.entry(&c.id).or_insert(c);
    }
    let mut checked: BTreeSet<&CadreId> = load.keys().copied().collect();
    for (id, c) in &known {
        let own = c.min_households.is_some() || c.max_households.is_some();
        if own || opts.check_idle_cadres {
            checked.insert(id);
        }
    }
    let mut cadre_rows = Vec::with_capacity(checked.len());
    for id in checked {
        let n = load.get(id).copied().unwrap_or(0);
        let bounds = known
            .get(id)
            .map_or(opts.load, |c| c.load_bounds(opts.load));
        let within = bounds.contains(n);
        if n < bounds.min {
            report.push(Problem::new(
                Code::LoadBelowMin,
                Location::record("cadre", id),
                format!("{on} 干部 {id} 包联 {n} 户，少于下限 {} 户", bounds.min),
                format!(
                    "on {on}, cadre {id} covers {n} households, fewer than the minimum of {}",
                    bounds.min
                ),
            ));
        } else if n > bounds.max {
            report.push(Problem::new(
                Code::LoadAboveMax,
                Location::record("cadre", id),
                format!("{on} 干部 {id} 包联 {n} 户，多于上限 {} 户", bounds.max),
                format!(
                    "on {on}, cadre {id} covers {n} households, more than the maximum of {}",
                    bounds.max
                ),
            ));
        }
        cadre_rows.push(CadreLoad {
            cadre: id.clone(),
            households: n,
            bounds,
            within,
        });
    }

    // Village rows: every village unit, plus villages named by households
    // but missing from the units.
    let mut village_units: BTreeMap<&str, &crate::org::Unit> = BTreeMap::new();
    for u in ds.units.iter().filter(|u| u.kind == UnitKind::Village) {
        village_units.entry(u.id.as_str()).or_insert(u);
    }
    let mut rows: BTreeMap<&str, VillageCoverage> = BTreeMap::new();
    let mut village_cadres: BTreeMap<&str, BTreeSet<&CadreId>> = BTreeMap::new();
    for (id, u) in &village_units {
        rows.insert(id, empty_row(u.id.clone(), u.name.clone(), u.population));
    }
    for (id, h) in &households {
        let row = rows
            .entry(h.village.as_str())
            .or_insert_with(|| empty_row(h.village.clone(), None, None));
        row.households += 1;
        match h.residency {
            Residency::Resident => row.resident += 1,
            Residency::Away => row.away += 1,
        }
        if h.has_tag(&Tag::ContactHousehold) {
            row.contact_households += 1;
        }
        match cover.get(id) {
            None => row.uncovered += 1,
            Some(cs) => {
                row.covered += 1;
                if cs.len() > 1 {
                    row.doubly_covered += 1;
                }
                village_cadres
                    .entry(h.village.as_str())
                    .or_default()
                    .extend(cs.iter().copied());
            }
        }
    }
    for (id, row) in &mut rows {
        if let Some(cs) = village_cadres.get(id) {
            row.cadres = u32::try_from(cs.len()).unwrap_or(u32::MAX);
            row.min_load = cs.iter().filter_map(|c| load.get(c).copied()).min();
            row.max_load = cs.iter().filter_map(|c| load.get(c).copied()).max();
        }
        if !village_units.contains_key(id) {
            continue;
        }
        match row.population {
            None => report.push(Problem::new(
                Code::QuotaNoPopulation,
                Location::record("village", &row.village),
                format!("村 {} 未登记人口，无法确定联系户数量", row.village),
                format!(
                    "village {} has no population, so its contact-household quota is unknown",
                    row.village
                ),
            )),
            Some(p) => {
                row.quota = opts.quota.for_population(p);
                if let Some(q) = row.quota {
                    if row.contact_households < q {
                        report.push(Problem::new(
                            Code::QuotaContactHouseholds,
                            Location::record("village", &row.village),
                            format!(
                                "村 {}（{p} 人）应确定联系户 {q} 户，现有 {} 户",
                                row.village, row.contact_households
                            ),
                            format!(
                                "village {} ({p} people) needs {q} contact households and has {}",
                                row.village, row.contact_households
                            ),
                        ));
                    }
                }
            }
        }
    }

    CoverageReport {
        on,
        villages: rows.into_values().collect(),
        cadres: cadre_rows,
        uncovered,
        doubly_covered,
        problems: report,
    }
}

fn empty_row(village: UnitId, name: Option<String>, population: Option<u32>) -> VillageCoverage {
    VillageCoverage {
        village,
        name,
        population,
        households: 0,
        resident: 0,
        away: 0,
        covered: 0,
        uncovered: 0,
        doubly_covered: 0,
        contact_households: 0,
        quota: None,
        cadres: 0,
        min_load: None,
        max_load: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    fn a(from: NaiveDate, to: Option<NaiveDate>) -> Assignment {
        Assignment {
            household: HouseholdId::new("H1").unwrap(),
            cadre: CadreId::new("C1").unwrap(),
            from,
            to,
        }
    }

    #[test]
    fn inclusive_days() {
        let x = a(d(1, 1), Some(d(6, 30)));
        assert!(x.covers(d(1, 1)) && x.covers(d(6, 30)));
        assert!(!x.covers(d(7, 1)));
        assert!(a(d(7, 1), None).covers(d(12, 31)));
    }

    #[test]
    fn handover_next_day_is_no_overlap() {
        let old = a(d(1, 1), Some(d(6, 30)));
        assert!(!old.overlaps(&a(d(7, 1), None)));
        assert!(old.overlaps(&a(d(6, 30), None)));
        assert!(a(d(3, 1), None).overlaps(&a(d(1, 1), None)));
    }

    // ----- coverage, load and quota -----

    use crate::cadre::Cadre;
    use crate::household::{Household, Residency, Tag};
    use crate::org::{Unit, UnitKind};
    use crate::problem::{Code, Severity};

    fn hid(i: u32) -> HouseholdId {
        HouseholdId::new(format!("H{i:04}")).unwrap()
    }

    fn cid(s: &str) -> CadreId {
        CadreId::new(s).unwrap()
    }

    fn vid(s: &str) -> UnitId {
        UnitId::new(s).unwrap()
    }

    /// One village `V1` of `population`, `n` resident households all
    /// covered by cadre `C1` from 1 January, `contacts` of them contact
    /// households.
    fn village(population: Option<u32>, n: u32, contacts: u32) -> Dataset {
        let mut ds = Dataset::new();
        let mut v = Unit::new(vid("V1"), UnitKind::Village);
        v.population = population;
        ds.units.push(v);
        ds.cadres.push(Cadre::new(cid("C1"), "李某某"));
        for i in 0..n {
            let mut h = Household::new(hid(i), vid("V1"), Residency::Resident);
            if i < contacts {
                h = h.with_tag(Tag::ContactHousehold);
            }
            ds.households.push(h);
            ds.assignments
                .push(Assignment::new(hid(i), cid("C1"), d(1, 1)));
        }
        ds
    }

    fn on() -> NaiveDate {
        d(6, 30)
    }

    #[test]
    fn quota_tier_boundaries() {
        let q = ContactQuota::seed_002();
        assert_eq!(q.for_population(0), Some(10));
        assert_eq!(q.for_population(499), Some(10));
        assert_eq!(q.for_population(500), Some(15));
        assert_eq!(q.for_population(1000), Some(15));
        assert_eq!(q.for_population(1001), Some(20));
        assert_eq!(q.for_population(u32::MAX), Some(20));
        // no open tier: nothing above the last bound
        let closed = ContactQuota::new(vec![QuotaTier::up_to(100, 3), QuotaTier::up_to(50, 2)]);
        assert_eq!(closed.tiers[0].max_population, Some(50), "tiers are sorted");
        assert_eq!(closed.for_population(50), Some(2));
        assert_eq!(closed.for_population(101), None);
        assert_eq!(ContactQuota::new(vec![]).for_population(1), None);
    }

    #[test]
    fn village_quota_at_each_boundary() {
        for (pop, quota) in [(499, 10), (500, 15), (1000, 15), (1001, 20)] {
            // exactly the quota: no problem
            let ds = village(Some(pop), 65, quota);
            let r = check_coverage(&ds, on(), &CoverageOptions::default());
            assert_eq!(r.villages[0].quota, Some(quota), "population {pop}");
            assert_eq!(r.villages[0].contact_households, quota);
            assert!(r.problems.is_empty(), "population {pop}: {}", r.problems);
            // one short: a warning naming the village
            let ds = village(Some(pop), 65, quota - 1);
            let r = check_coverage(&ds, on(), &CoverageOptions::default());
            assert_eq!(r.problems.codes(), vec![Code::QuotaContactHouseholds]);
            let p = &r.problems.problems[0];
            assert_eq!(p.severity, Severity::Warning);
            assert_eq!(p.location.record.as_deref(), Some("village V1"));
            assert!(p.message.zh.contains("联系户"), "{}", p.message.zh);
        }
    }

    #[test]
    fn village_without_population() {
        let ds = village(None, 65, 0);
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        assert_eq!(r.problems.codes(), vec![Code::QuotaNoPopulation]);
        assert_eq!(r.villages[0].quota, None);
        assert_eq!(r.villages[0].population, None);
    }

    #[test]
    fn load_bound_boundaries() {
        for (n, code) in [
            (59, Some(Code::LoadBelowMin)),
            (60, None),
            (70, None),
            (71, Some(Code::LoadAboveMax)),
        ] {
            let ds = village(Some(400), n, 10);
            let r = check_coverage(&ds, on(), &CoverageOptions::default());
            assert_eq!(r.cadres.len(), 1);
            assert_eq!(r.cadres[0].households, n);
            assert_eq!(r.cadres[0].bounds, LoadBounds::new(60, 70));
            assert_eq!(r.cadres[0].within, code.is_none(), "{n} households");
            assert_eq!(r.problems.codes(), code.into_iter().collect::<Vec<_>>());
            if let Some(p) = r.problems.problems.first() {
                assert_eq!(p.location.record.as_deref(), Some("cadre C1"));
            }
            assert_eq!(r.villages[0].min_load, Some(n));
            assert_eq!(r.villages[0].max_load, Some(n));
        }
    }

    #[test]
    fn per_cadre_and_option_bounds() {
        let mut ds = village(Some(400), 59, 10);
        ds.cadres[0].min_households = Some(50);
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        assert_eq!(r.cadres[0].bounds, LoadBounds::new(50, 70));
        assert!(r.problems.is_empty(), "{}", r.problems);
        let ds = village(Some(400), 8, 10);
        let r = check_coverage(
            &ds,
            on(),
            &CoverageOptions::new().load(LoadBounds::new(5, 10)),
        );
        assert!(r.cadres[0].within);
        // 8 households cannot hold the 10 contact households of the quota
        assert_eq!(r.problems.codes(), vec![Code::QuotaContactHouseholds]);
    }

    #[test]
    fn which_cadres_are_checked() {
        let mut ds = village(Some(400), 65, 10);
        // an office cadre: no households, no bounds of its own
        ds.cadres.push(Cadre::new(cid("C2"), "王某某"));
        // a cadre expected to cover households but covering none
        let mut c3 = Cadre::new(cid("C3"), "张某某");
        c3.max_households = Some(70);
        ds.cadres.push(c3);
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        let checked: Vec<&str> = r.cadres.iter().map(|c| c.cadre.as_str()).collect();
        assert_eq!(checked, ["C1", "C3"]);
        assert_eq!(r.problems.codes(), vec![Code::LoadBelowMin]);
        let r = check_coverage(&ds, on(), &CoverageOptions::new().check_idle_cadres(true));
        assert_eq!(r.cadres.len(), 3);
        assert_eq!(r.problems.error_count(), 0);
        assert_eq!(r.problems.warning_count(), 2);
    }

    #[test]
    fn uncovered_and_double() {
        let mut ds = village(Some(400), 62, 10);
        ds.cadres.push(Cadre::new(cid("C2"), "王某某"));
        ds.assignments.retain(|a| a.household != hid(5));
        ds.assignments
            .push(Assignment::new(hid(7), cid("C2"), d(3, 1)));
        // the same cadre twice is one cadre
        ds.assignments
            .push(Assignment::new(hid(8), cid("C1"), d(3, 1)));
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        assert_eq!(r.uncovered, vec![hid(5)]);
        assert_eq!(
            r.doubly_covered,
            vec![DoubleCover {
                household: hid(7),
                cadres: vec![cid("C1"), cid("C2")],
            }]
        );
        let v = &r.villages[0];
        assert_eq!(
            (v.households, v.covered, v.uncovered, v.doubly_covered),
            (62, 61, 1, 1)
        );
        assert_eq!(v.cadres, 2);
        assert_eq!((v.min_load, v.max_load), (Some(1), Some(61)));
        assert_eq!(
            r.problems.codes(),
            vec![
                Code::CoverageUncovered,
                Code::CoverageDouble,
                Code::LoadBelowMin
            ]
        );
        assert_eq!(r.problems.error_count(), 2);
        let p = r
            .problems
            .iter()
            .find(|p| p.code == Code::CoverageUncovered)
            .unwrap();
        assert_eq!(p.location.record.as_deref(), Some("household H0005"));
        assert!(!r.is_fully_covered());
        // before C2's assignment starts there is no double coverage
        let r = check_coverage(&ds, d(2, 29), &CoverageOptions::default());
        assert!(r.doubly_covered.is_empty());
    }

    #[test]
    fn reassignment_handover_day() {
        let mut ds = village(Some(400), 61, 10);
        ds.cadres.push(Cadre::new(cid("C2"), "王某某"));
        // H0000 moves from C1 to C2 on 1 April: C1 covers it until 31 March
        ds.assignments[0].to = Some(d(3, 31));
        ds.assignments
            .push(Assignment::new(hid(0), cid("C2"), d(4, 1)));
        let before = check_coverage(&ds, d(3, 31), &CoverageOptions::default());
        assert!(before.is_fully_covered());
        assert_eq!(before.cadres.len(), 1);
        assert_eq!(before.cadres[0].households, 61);
        let after = check_coverage(&ds, d(4, 1), &CoverageOptions::default());
        assert!(after.is_fully_covered(), "handover day: {}", after.problems);
        let loads: Vec<(&str, u32)> = after
            .cadres
            .iter()
            .map(|c| (c.cadre.as_str(), c.households))
            .collect();
        assert_eq!(loads, [("C1", 60), ("C2", 1)]);
        // a handover on the same day as the old end is double coverage
        ds.assignments[0].to = Some(d(4, 1));
        let r = check_coverage(&ds, d(4, 1), &CoverageOptions::default());
        assert_eq!(r.doubly_covered.len(), 1);
    }

    #[test]
    fn registered_after_the_date_is_not_counted() {
        let mut ds = village(Some(400), 60, 10);
        let mut late = Household::new(hid(99), vid("V1"), Residency::Away);
        late.registered_on = Some(d(7, 1));
        ds.households.push(late);
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        assert!(
            r.uncovered.is_empty() && r.problems.is_empty(),
            "{}",
            r.problems
        );
        assert_eq!(r.villages[0].households, 60);
        assert_eq!(r.villages[0].away, 0);
        // from its registration day it counts, and nobody covers it
        let r = check_coverage(&ds, d(7, 1), &CoverageOptions::default());
        assert_eq!(r.uncovered, vec![hid(99)]);
        assert_eq!((r.villages[0].resident, r.villages[0].away), (60, 1));
        // an assignment of a not yet registered household is not load
        ds.assignments
            .push(Assignment::new(hid(99), cid("C1"), d(1, 1)));
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        assert_eq!(r.cadres[0].households, 60);
    }

    #[test]
    fn unknown_village_gets_a_row_without_quota() {
        let mut ds = village(Some(400), 60, 10);
        ds.households
            .push(Household::new(hid(60), vid("V9"), Residency::Resident));
        ds.assignments
            .push(Assignment::new(hid(60), cid("C1"), d(1, 1)));
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        let ids: Vec<&str> = r.villages.iter().map(|v| v.village.as_str()).collect();
        assert_eq!(ids, ["V1", "V9"]);
        assert_eq!(r.households(), 61);
        assert_eq!(r.covered(), 61);
        assert!(r.problems.is_empty(), "{}", r.problems);
    }

    #[test]
    fn report_json_fields_are_snake_case() {
        let ds = village(Some(400), 60, 10);
        let r = check_coverage(&ds, on(), &CoverageOptions::default());
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["on"], "2024-06-30");
        assert_eq!(v["villages"][0]["village"], "V1");
        assert_eq!(v["villages"][0]["contact_households"], 10);
        assert_eq!(v["villages"][0]["doubly_covered"], 0);
        assert_eq!(v["cadres"][0]["bounds"]["min"], 60);
        assert_eq!(v["cadres"][0]["within"], true);
        assert!(v["problems"].as_array().unwrap().is_empty());
        let back: CoverageReport = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }
}
