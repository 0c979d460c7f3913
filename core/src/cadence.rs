//! Visit cadences (走访频次): "at least N qualifying contacts in every
//! period", which households a rule applies to, and policies made of named
//! rules. Everything here is plain data with serde (stable snake_case JSON),
//! so a policy can travel as JSON to Python or the browser.
//!
//! The seeds' cadences are in [`presets`]; every figure there is a field a
//! caller can change.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::calendar::PeriodKind;
use crate::household::{Household, Residency, Tag};
use crate::id::UnitId;
use crate::visit::{Mode, Visit};

/// Which households a rule applies to. Every condition is optional; the
/// conditions that are set must all hold (AND). The empty selector selects
/// every household.
///
/// ```
/// use minqing::cadence::Selector;
/// use minqing::prelude::*;
/// let h = Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Away)
///     .with_tag(Tag::ContactHousehold);
/// assert!(Selector::new().residency(Residency::Away).contact_household(true).selects(&h));
/// assert!(!Selector::new().tag(Tag::Hardship).selects(&h));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selector {
    /// Only households of this residency (常住户 / 外出户).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residency: Option<Residency>,
    /// Only households carrying every one of these tags.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<Tag>,
    /// Only households of one of these villages (empty: any village).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub villages: BTreeSet<UnitId>,
    /// Only contact households 联系户 (`true`) or only the others
    /// (`false`): whether the household carries [`Tag::ContactHousehold`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_household: Option<bool>,
}

impl Selector {
    /// The selector of every household.
    pub fn new() -> Self {
        Selector::default()
    }

    /// Also requires residency `r`.
    pub fn residency(mut self, r: Residency) -> Self {
        self.residency = Some(r);
        self
    }

    /// Also requires tag `t`.
    pub fn tag(mut self, t: Tag) -> Self {
        self.tags.insert(t);
        self
    }

    /// Also allows village `v` (the household must be in one of the
    /// villages named, once any is named).
    pub fn village(mut self, v: UnitId) -> Self {
        self.villages.insert(v);
        self
    }

    /// Also requires being a contact household (`true`) or not (`false`).
    pub fn contact_household(mut self, yes: bool) -> Self {
        self.contact_household = Some(yes);
        self
    }

    /// True when the selector selects a household with these attributes.
    pub fn selects_parts<'a>(
        &self,
        village: &str,
        residency: Residency,
        mut has_tag: impl FnMut(&Tag) -> bool + 'a,
    ) -> bool {
        self.residency.is_none_or(|r| r == residency)
            && (self.villages.is_empty() || self.villages.iter().any(|v| v.as_str() == village))
            && self
                .contact_household
                .is_none_or(|want| has_tag(&Tag::ContactHousehold) == want)
            && self.tags.iter().all(has_tag)
    }

    /// True when the selector selects household `h`.
    pub fn selects(&self, h: &Household) -> bool {
        self.selects_parts(h.village.as_str(), h.residency, |t| h.has_tag(t))
    }
}

fn all_modes() -> BTreeSet<Mode> {
    Mode::ALL.iter().copied().collect()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A cadence rule: at least `min_contacts` qualifying contacts in every
/// `period` for every household the `selector` selects. A contact
/// qualifies when its mode is in `modes` and, if `signed_only`, the
/// household signed the cadre's work log (`Visit::signed`: seed 001,
/// 考勤以农牧民在工作日志上签字为依据).
///
/// ```
/// use minqing::cadence::{CadenceRule, Selector};
/// use minqing::calendar::PeriodKind;
/// use minqing::prelude::*;
/// let rule = CadenceRule::new("resident", Selector::new().residency(Residency::Resident), PeriodKind::HalfMonth)
///     .modes([Mode::InPerson]);
/// assert!(rule.qualifies(Mode::InPerson, false));
/// assert!(!rule.qualifies(Mode::Phone, true));
/// let json = serde_json::to_string(&rule).unwrap();
/// assert_eq!(serde_json::from_str::<CadenceRule>(&json).unwrap(), rule);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadenceRule {
    /// A name for reports, e.g. `resident_half_month`.
    pub name: String,
    /// The households the rule applies to.
    #[serde(default)]
    pub selector: Selector,
    /// The period length.
    pub period: PeriodKind,
    /// How many qualifying contacts each period needs (usually 1).
    #[serde(default = "one")]
    pub min_contacts: u32,
    /// The modes that count; missing in JSON means every mode.
    #[serde(default = "all_modes")]
    pub modes: BTreeSet<Mode>,
    /// Only contacts the household signed for count.
    #[serde(default, skip_serializing_if = "is_false")]
    pub signed_only: bool,
}

fn one() -> u32 {
    1
}

impl CadenceRule {
    /// A rule called `name`: at least one contact of any mode every
    /// `period` for the households `selector` selects.
    pub fn new(name: impl Into<String>, selector: Selector, period: PeriodKind) -> Self {
        CadenceRule {
            name: name.into(),
            selector,
            period,
            min_contacts: 1,
            modes: all_modes(),
            signed_only: false,
        }
    }

    /// Sets how many contacts each period needs.
    pub fn min_contacts(mut self, n: u32) -> Self {
        self.min_contacts = n;
        self
    }

    /// Sets the modes that count.
    pub fn modes(mut self, modes: impl IntoIterator<Item = Mode>) -> Self {
        self.modes = modes.into_iter().collect();
        self
    }

    /// Sets whether only signed contacts count.
    pub fn signed_only(mut self, yes: bool) -> Self {
        self.signed_only = yes;
        self
    }

    /// True when a contact by `mode`, signed or not, counts for this rule.
    pub fn qualifies(&self, mode: Mode, signed: bool) -> bool {
        self.modes.contains(&mode) && (signed || !self.signed_only)
    }

    /// True when `visit` counts for this rule (its date aside).
    pub fn qualifies_visit(&self, visit: &Visit) -> bool {
        self.qualifies(visit.mode, visit.signed)
    }
}

/// A policy (走访制度): named cadence rules in order. A household must
/// satisfy every rule that selects it; a household no rule selects has no
/// requirement.
///
/// ```
/// use minqing::cadence::{presets, Policy};
/// let p = presets::four_fixed_three_arrivals();
/// assert_eq!(p.rules.len(), 2);
/// let back: Policy = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
/// assert_eq!(back, p);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's name, e.g. `four_fixed_three_arrivals`.
    pub name: String,
    /// The rules, in order.
    pub rules: Vec<CadenceRule>,
}

impl Policy {
    /// An empty policy called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Policy {
            name: name.into(),
            rules: Vec::new(),
        }
    }

    /// The same policy with `rule` added at the end.
    pub fn rule(mut self, rule: CadenceRule) -> Self {
        self.rules.push(rule);
        self
    }
}

/// The seeds' cadences as ready-made policies. Each is a struct whose
/// fields carry the seed's figures as defaults, plus a function returning
/// the default policy.
pub mod presets {
    use super::*;

    /// "Four fixed, three arrivals" (四定三到, seed 001): a resident
    /// household 常住户 gets at least one in-person visit every half month;
    /// an away household 外出户 at least one contact of any mode (phone
    /// counts) every month. The figures are fields: change them before
    /// calling [`FourFixedThreeArrivals::policy`].
    ///
    /// ```
    /// use minqing::cadence::presets::FourFixedThreeArrivals;
    /// use minqing::calendar::PeriodKind;
    /// let weekly = FourFixedThreeArrivals { resident_period: PeriodKind::IsoWeek, ..Default::default() };
    /// assert_eq!(weekly.policy().rules[0].period, PeriodKind::IsoWeek);
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct FourFixedThreeArrivals {
        /// Resident households' period (default: half month).
        pub resident_period: PeriodKind,
        /// Resident households' contacts per period (default: 1).
        pub resident_min: u32,
        /// Modes that count for resident households (default: in person).
        pub resident_modes: BTreeSet<Mode>,
        /// Away households' period (default: month).
        pub away_period: PeriodKind,
        /// Away households' contacts per period (default: 1).
        pub away_min: u32,
        /// Modes that count for away households (default: any).
        pub away_modes: BTreeSet<Mode>,
        /// Only signed contacts count (default: no).
        pub signed_only: bool,
    }

    impl Default for FourFixedThreeArrivals {
        fn default() -> Self {
            FourFixedThreeArrivals {
                resident_period: PeriodKind::HalfMonth,
                resident_min: 1,
                resident_modes: [Mode::InPerson].into_iter().collect(),
                away_period: PeriodKind::Month,
                away_min: 1,
                away_modes: all_modes(),
                signed_only: false,
            }
        }
    }

    impl FourFixedThreeArrivals {
        /// The policy: rule `resident` then rule `away`.
        pub fn policy(&self) -> Policy {
            Policy::new("four_fixed_three_arrivals")
                .rule(
                    CadenceRule::new(
                        "resident",
                        Selector::new().residency(Residency::Resident),
                        self.resident_period,
                    )
                    .min_contacts(self.resident_min)
                    .modes(self.resident_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
                .rule(
                    CadenceRule::new(
                        "away",
                        Selector::new().residency(Residency::Away),
                        self.away_period,
                    )
                    .min_contacts(self.away_min)
                    .modes(self.away_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
        }
    }

    /// Seed 001's policy with its default figures (see
    /// [`FourFixedThreeArrivals`]); the benchmark workload's policy.
    pub fn four_fixed_three_arrivals() -> Policy {
        FourFixedThreeArrivals::default().policy()
    }

    /// Contact households 联系户 (seed 002, also seed 000): at least
    /// `min_visits` visits of the `modes` every `period`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct ContactHouseholds {
        /// The period (default: ISO week).
        pub period: PeriodKind,
        /// Visits per period (default: 1).
        pub min_visits: u32,
        /// Modes that count (default: in person or at the station).
        pub modes: BTreeSet<Mode>,
        /// Only signed visits count (default: no).
        pub signed_only: bool,
    }

    impl Default for ContactHouseholds {
        fn default() -> Self {
            ContactHouseholds {
                period: PeriodKind::IsoWeek,
                min_visits: 1,
                modes: [Mode::InPerson, Mode::AtStation].into_iter().collect(),
                signed_only: false,
            }
        }
    }

    impl ContactHouseholds {
        /// The policy: one rule `contact_household`.
        pub fn policy(&self) -> Policy {
            Policy::new("contact_households").rule(
                CadenceRule::new(
                    "contact_household",
                    Selector::new().contact_household(true),
                    self.period,
                )
                .min_contacts(self.min_visits)
                .modes(self.modes.iter().copied())
                .signed_only(self.signed_only),
            )
        }
    }

    /// Seed 002's weekly visit to contact households, default figures.
    pub fn contact_households() -> Policy {
        ContactHouseholds::default().policy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::HouseholdId;

    #[test]
    fn presets_have_the_seed_figures() {
        let p = presets::four_fixed_three_arrivals();
        assert_eq!(p.rules[0].period, PeriodKind::HalfMonth);
        assert!(p.rules[0].qualifies(Mode::InPerson, false));
        assert!(!p.rules[0].qualifies(Mode::Phone, false));
        assert_eq!(p.rules[1].period, PeriodKind::Month);
        assert!(p.rules[1].qualifies(Mode::Phone, false));
        let c = presets::contact_households();
        assert_eq!(c.rules[0].period, PeriodKind::IsoWeek);
    }

    #[test]
    fn json_is_stable_snake_case() {
        let p = presets::contact_households();
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["rules"][0]["period"], "iso_week");
        assert_eq!(v["rules"][0]["selector"]["contact_household"], true);
        assert_eq!(v["rules"][0]["modes"][0], "in_person");
        let minimal: CadenceRule =
            serde_json::from_str(r#"{"name":"x","period":"month"}"#).unwrap();
        assert_eq!(minimal.min_contacts, 1);
        assert_eq!(minimal.modes.len(), Mode::ALL.len());
        assert_eq!(minimal.selector, Selector::new());
    }

    #[test]
    fn selector_ands_conditions() {
        let h = Household::new(
            HouseholdId::new("H1").unwrap(),
            UnitId::new("V1").unwrap(),
            Residency::Resident,
        )
        .with_tag(Tag::Hardship);
        assert!(Selector::new().selects(&h));
        let s = Selector::new()
            .residency(Residency::Resident)
            .tag(Tag::Hardship);
        assert!(s.selects(&h));
        assert!(!s.clone().tag(Tag::Disabled).selects(&h));
        assert!(s.clone().village(UnitId::new("V1").unwrap()).selects(&h));
        assert!(!s.clone().village(UnitId::new("V2").unwrap()).selects(&h));
        assert!(s.clone().contact_household(false).selects(&h));
        assert!(!s.contact_household(true).selects(&h));
    }
}
