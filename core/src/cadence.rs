//! Visit cadences (走访频次): "at least N qualifying contacts in every
//! period", which households a rule applies to, and policies made of named
//! rules. Everything here is plain data with serde (stable snake_case JSON),
//! so a policy can travel as JSON to Python or the browser.
//!
//! The seeds' cadences are in [`presets`]; every figure there is a field a
//! caller can change.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::calendar::{CampaignRound, PeriodKind, StationDays};
use crate::event::EventKind;
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
    /// Only households carrying at least one of these tags (empty: no
    /// condition). The ten must-visit households 十必访 of seed 000 are
    /// selected this way: any one of the tags makes a household one.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub any_tags: BTreeSet<Tag>,
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

    /// Also allows tag `t` among the tags of which a household must carry
    /// at least one.
    pub fn any_tag(mut self, t: Tag) -> Self {
        self.any_tags.insert(t);
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
            && self.tags.iter().all(&mut has_tag)
            && (self.any_tags.is_empty() || self.any_tags.iter().any(&mut has_tag))
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
        contact_counts(&self.modes, self.signed_only, mode, signed)
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
    /// The period rules ("at least N contacts every period"), in order.
    pub rules: Vec<CadenceRule>,
    /// The event-triggered rules ("within D days after an event"), in
    /// order; left out of JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_rules: Vec<EventRule>,
    /// The campaign-round rules ("once in every round"), in order; left
    /// out of JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub round_rules: Vec<RoundRule>,
}

impl Policy {
    /// An empty policy called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Policy {
            name: name.into(),
            ..Policy::default()
        }
    }

    /// The same policy with `rule` added at the end.
    pub fn rule(mut self, rule: CadenceRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// The same policy with event rule `rule` added at the end.
    pub fn event_rule(mut self, rule: EventRule) -> Self {
        self.event_rules.push(rule);
        self
    }

    /// The same policy with campaign-round rule `rule` added at the end.
    pub fn round_rule(mut self, rule: RoundRule) -> Self {
        self.round_rules.push(rule);
        self
    }

    /// How many rules of every kind.
    pub fn rule_count(&self) -> usize {
        self.rules.len() + self.event_rules.len() + self.round_rules.len()
    }
}

/// An event-triggered rule: for every event of one of `kinds` (empty: any
/// kind) of a household the `selector` selects, at least `min_contacts`
/// qualifying contacts **from the event's day to `within_days` days after
/// it, both ends inclusive**. With `within_days: 3`, an event on
/// 2024-02-27 is due by 2024-03-01: a visit that day is on time, one on
/// 2024-03-02 comes one day late and the requirement is missed. A contact
/// before the event's day never counts. Seed 000 part 5 (十必访): a
/// household struck by a hospitalisation (发生大病住院等重大变故家庭必访),
/// a wedding or a funeral (红白喜事必访) must be visited.
///
/// ```
/// use minqing::cadence::EventRule;
/// use minqing::event::EventKind;
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let rule = EventRule::new("wedding_or_funeral", [EventKind::Wedding, EventKind::Funeral], 3)
///     .modes([Mode::InPerson]);
/// let day = NaiveDate::from_ymd_opt(2024, 2, 27).unwrap();
/// assert_eq!(rule.due(day), NaiveDate::from_ymd_opt(2024, 3, 1));
/// assert!(rule.triggered_by(&EventKind::Funeral));
/// assert!(!rule.triggered_by(&EventKind::Hospitalisation));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRule {
    /// A name for reports, e.g. `hospitalisation`.
    pub name: String,
    /// The households the rule applies to.
    #[serde(default)]
    pub selector: Selector,
    /// The event kinds that trigger it; empty means every kind.
    #[serde(default)]
    pub kinds: BTreeSet<EventKind>,
    /// Days after the event by which the contact is due (0: the same day).
    pub within_days: u32,
    /// How many qualifying contacts are needed (usually 1).
    #[serde(default = "one")]
    pub min_contacts: u32,
    /// The modes that count; missing in JSON means every mode.
    #[serde(default = "all_modes")]
    pub modes: BTreeSet<Mode>,
    /// Only contacts the household signed for count.
    #[serde(default, skip_serializing_if = "is_false")]
    pub signed_only: bool,
}

impl EventRule {
    /// A rule called `name`: one contact of any mode within `within_days`
    /// days after an event of one of `kinds`, for every household.
    pub fn new(
        name: impl Into<String>,
        kinds: impl IntoIterator<Item = EventKind>,
        within_days: u32,
    ) -> Self {
        EventRule {
            name: name.into(),
            selector: Selector::new(),
            kinds: kinds.into_iter().collect(),
            within_days,
            min_contacts: 1,
            modes: all_modes(),
            signed_only: false,
        }
    }

    /// Sets the households the rule applies to.
    pub fn selector(mut self, selector: Selector) -> Self {
        self.selector = selector;
        self
    }

    /// Sets how many contacts are needed.
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

    /// True when an event of `kind` triggers this rule.
    pub fn triggered_by(&self, kind: &EventKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(kind)
    }

    /// The last day a contact for an event on `event_day` counts (`None`
    /// past the calendar's end).
    pub fn due(&self, event_day: NaiveDate) -> Option<NaiveDate> {
        event_day.checked_add_days(chrono::Days::new(u64::from(self.within_days)))
    }

    /// True when a contact by `mode`, signed or not, counts for this rule.
    pub fn qualifies(&self, mode: Mode, signed: bool) -> bool {
        contact_counts(&self.modes, self.signed_only, mode, signed)
    }
}

/// A campaign-round rule (遍访, seed 004): every household the `selector`
/// selects gets at least `min_contacts` qualifying contacts inside each of
/// the named `rounds`. A household counts for a round when it was
/// registered on or before the round's first day; a round counts when it
/// lies wholly inside the compliance window.
///
/// ```
/// use minqing::cadence::{RoundRule, Selector};
/// use minqing::calendar::{CampaignRound, Window};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let round = CampaignRound::new("第一轮", Window::new(d(3, 1), d(4, 30)).unwrap());
/// let rule = RoundRule::new("resident", Selector::new().residency(Residency::Resident), [round])
///     .modes([Mode::InPerson]);
/// assert!(rule.qualifies(Mode::InPerson, false));
/// assert!(!rule.qualifies(Mode::Phone, false));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRule {
    /// A name for reports, e.g. `resident`.
    pub name: String,
    /// The households the rule applies to.
    #[serde(default)]
    pub selector: Selector,
    /// The rounds, each a named date range.
    pub rounds: Vec<CampaignRound>,
    /// How many qualifying contacts each round needs (usually 1).
    #[serde(default = "one")]
    pub min_contacts: u32,
    /// The modes that count; missing in JSON means every mode.
    #[serde(default = "all_modes")]
    pub modes: BTreeSet<Mode>,
    /// Only contacts the household signed for count.
    #[serde(default, skip_serializing_if = "is_false")]
    pub signed_only: bool,
}

impl RoundRule {
    /// A rule called `name`: one contact of any mode in each of `rounds`
    /// for the households `selector` selects.
    pub fn new(
        name: impl Into<String>,
        selector: Selector,
        rounds: impl IntoIterator<Item = CampaignRound>,
    ) -> Self {
        RoundRule {
            name: name.into(),
            selector,
            rounds: rounds.into_iter().collect(),
            min_contacts: 1,
            modes: all_modes(),
            signed_only: false,
        }
    }

    /// Sets how many contacts each round needs.
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
        contact_counts(&self.modes, self.signed_only, mode, signed)
    }
}

/// The presence rule of a work station (群众工作站 / 驻村工作站, seed 003:
/// 每周至少下村1天，全年不少于52天, and 逢五 station days).
///
/// **A day of presence** is a calendar date on which at least one cadre of
/// the team (leader, deputy or member) recorded at least one contact whose
/// mode is in `modes` (default: in person or at the station) with a
/// household of the team's unit (its `unit_id` is the household's
/// village). Several contacts or several cadres on one day make one day.
/// Phone and video calls do not put anyone in the village.
///
/// The station requirement is met for each `week` period (default: ISO
/// week) with at least `min_days_per_week` days of presence (default 1),
/// for each `year` period (default: calendar year) with at least
/// `min_days_per_year` (default 52), and a station day (default 逢五: the
/// 5th, 15th and 25th) is held when it is a day of presence. Only periods
/// wholly inside the window are judged.
///
/// ```
/// use minqing::cadence::PresenceRule;
/// use minqing::calendar::PeriodKind;
/// let seed = PresenceRule::default();
/// assert_eq!((seed.min_days_per_week, seed.min_days_per_year), (1, 52));
/// assert_eq!(seed.week, PeriodKind::IsoWeek);
/// assert_eq!(seed.station_days.days, vec![5, 15, 25]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceRule {
    /// The modes that put a cadre in the village (default: in person, at
    /// the station).
    pub modes: BTreeSet<Mode>,
    /// The short period (default: ISO week).
    pub week: PeriodKind,
    /// Days of presence each short period needs (default: 1).
    pub min_days_per_week: u32,
    /// The long period (default: year).
    pub year: PeriodKind,
    /// Days of presence each long period needs (default: 52).
    pub min_days_per_year: u32,
    /// The fixed station days (default: 逢五, the 5th, 15th and 25th).
    pub station_days: StationDays,
}

impl Default for PresenceRule {
    fn default() -> Self {
        PresenceRule {
            modes: [Mode::InPerson, Mode::AtStation].into_iter().collect(),
            week: PeriodKind::IsoWeek,
            min_days_per_week: 1,
            year: PeriodKind::Year,
            min_days_per_year: 52,
            station_days: StationDays::default(),
        }
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

    /// The ten must-visit households' tags (十必访, seed 000 part 5): hardship,
    /// disabled, elderly living alone, aged 70 or over, major illness,
    /// neighbour dispute, migrant worker, large farm, party member and
    /// representative. The tenth kind, weddings and funerals, is an event
    /// (see [`GridOnePlusX`]).
    pub fn must_visit_tags() -> BTreeSet<Tag> {
        [
            Tag::Hardship,
            Tag::Disabled,
            Tag::ElderlyAlone,
            Tag::Aged70Plus,
            Tag::MajorIllness,
            Tag::Dispute,
            Tag::MigrantWorker,
            Tag::LargeFarm,
            Tag::PartyMember,
            Tag::Representative,
        ]
        .into_iter()
        .collect()
    }

    /// Grid "1+X" with the ten must-visit households (网格 "1+X" 与 "十必访",
    /// seed 000 part 5): one cadre or party member with X = 5 to 10 contact
    /// households, visited weekly; the households of the must-visit tags;
    /// and the visits that a hospitalisation, a wedding or a funeral
    /// triggers. The seed gives no figure for how often or how soon: the
    /// defaults below are this library's choice, each a field to change.
    ///
    /// | rule | selects | requirement (default) |
    /// |---|---|---|
    /// | `must_visit_resident` | resident, any must-visit tag | 1 in-person visit every ISO week |
    /// | `must_visit_away` | away, any must-visit tag | 1 contact of any mode every month |
    /// | `contact_household` | contact households 联系户 | 1 visit in person or at the station every ISO week |
    /// | `hospitalisation` (event) | any household, event 住院 | 1 in-person visit within 7 days |
    /// | `wedding_or_funeral` (event) | any household, event 婚事 or 丧事 | 1 in-person visit within 3 days |
    ///
    /// ```
    /// use minqing::cadence::presets::GridOnePlusX;
    /// let p = GridOnePlusX { hospitalisation_within_days: 2, ..Default::default() }.policy();
    /// assert_eq!(p.rules.len(), 3);
    /// assert_eq!(p.event_rules[0].within_days, 2);
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct GridOnePlusX {
        /// The must-visit tags (default: [`must_visit_tags`]).
        pub must_visit_tags: BTreeSet<Tag>,
        /// Resident must-visit households' period (default: ISO week).
        pub resident_period: PeriodKind,
        /// Modes that count for them (default: in person).
        pub resident_modes: BTreeSet<Mode>,
        /// Away must-visit households' period (default: month).
        pub away_period: PeriodKind,
        /// Modes that count for them (default: any).
        pub away_modes: BTreeSet<Mode>,
        /// Contact households' period (default: ISO week).
        pub contact_period: PeriodKind,
        /// Modes that count for them (default: in person or at the station).
        pub contact_modes: BTreeSet<Mode>,
        /// Days after a hospitalisation by which a visit is due (default: 7).
        pub hospitalisation_within_days: u32,
        /// Days after a wedding or a funeral by which a visit is due
        /// (default: 3).
        pub wedding_funeral_within_days: u32,
        /// Modes that count for event visits (default: in person).
        pub event_modes: BTreeSet<Mode>,
        /// Only signed contacts count (default: no).
        pub signed_only: bool,
    }

    impl Default for GridOnePlusX {
        fn default() -> Self {
            GridOnePlusX {
                must_visit_tags: must_visit_tags(),
                resident_period: PeriodKind::IsoWeek,
                resident_modes: [Mode::InPerson].into_iter().collect(),
                away_period: PeriodKind::Month,
                away_modes: all_modes(),
                contact_period: PeriodKind::IsoWeek,
                contact_modes: [Mode::InPerson, Mode::AtStation].into_iter().collect(),
                hospitalisation_within_days: 7,
                wedding_funeral_within_days: 3,
                event_modes: [Mode::InPerson].into_iter().collect(),
                signed_only: false,
            }
        }
    }

    impl GridOnePlusX {
        /// The policy: period rules `must_visit_resident`,
        /// `must_visit_away`, `contact_household`; event rules
        /// `hospitalisation`, `wedding_or_funeral`.
        pub fn policy(&self) -> Policy {
            let must = |r: Residency| {
                let mut s = Selector::new().residency(r);
                s.any_tags = self.must_visit_tags.clone();
                s
            };
            Policy::new("grid_one_plus_x")
                .rule(
                    CadenceRule::new(
                        "must_visit_resident",
                        must(Residency::Resident),
                        self.resident_period,
                    )
                    .modes(self.resident_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
                .rule(
                    CadenceRule::new("must_visit_away", must(Residency::Away), self.away_period)
                        .modes(self.away_modes.iter().copied())
                        .signed_only(self.signed_only),
                )
                .rule(
                    CadenceRule::new(
                        "contact_household",
                        Selector::new().contact_household(true),
                        self.contact_period,
                    )
                    .modes(self.contact_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
                .event_rule(
                    EventRule::new(
                        "hospitalisation",
                        [EventKind::Hospitalisation],
                        self.hospitalisation_within_days,
                    )
                    .modes(self.event_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
                .event_rule(
                    EventRule::new(
                        "wedding_or_funeral",
                        [EventKind::Wedding, EventKind::Funeral],
                        self.wedding_funeral_within_days,
                    )
                    .modes(self.event_modes.iter().copied())
                    .signed_only(self.signed_only),
                )
        }
    }

    /// Seed 000's grid "1+X" and ten must-visit households, default
    /// figures (see [`GridOnePlusX`]).
    pub fn grid_one_plus_x() -> Policy {
        GridOnePlusX::default().policy()
    }

    /// Seed 003's work-station presence: at least 1 day a week and 52 days
    /// a year in the village, station days 逢五 (see [`PresenceRule`]; use
    /// it with `compliance::station_presence`).
    pub fn work_station() -> PresenceRule {
        PresenceRule::default()
    }

    /// Visit-all rounds (遍访, seed 004): every resident household visited
    /// once in each named round, at home; away households reached by an
    /// evening visit or a phone call (晚上登门、电话交流). The rounds are
    /// the caller's (the seed ran two); the defaults are the figures.
    ///
    /// ```
    /// use minqing::cadence::presets::VisitAllRounds;
    /// use minqing::calendar::{CampaignRound, Window};
    /// let round = CampaignRound::new("第一轮", Window::year(2024).unwrap());
    /// let p = VisitAllRounds { rounds: vec![round], ..Default::default() }.policy();
    /// assert_eq!(p.round_rules.len(), 2);
    /// assert!(p.rules.is_empty());
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct VisitAllRounds {
        /// The rounds (default: none; name them).
        pub rounds: Vec<CampaignRound>,
        /// Modes that count for resident households (default: in person).
        pub resident_modes: BTreeSet<Mode>,
        /// Whether away households are required too (default: yes).
        pub include_away: bool,
        /// Modes that count for away households (default: in person, i.e.
        /// an evening visit, or phone).
        pub away_modes: BTreeSet<Mode>,
        /// Contacts each round needs (default: 1).
        pub min_contacts: u32,
        /// Only signed contacts count (default: no).
        pub signed_only: bool,
    }

    impl Default for VisitAllRounds {
        fn default() -> Self {
            VisitAllRounds {
                rounds: Vec::new(),
                resident_modes: [Mode::InPerson].into_iter().collect(),
                include_away: true,
                away_modes: [Mode::InPerson, Mode::Phone].into_iter().collect(),
                min_contacts: 1,
                signed_only: false,
            }
        }
    }

    impl VisitAllRounds {
        /// The policy: round rule `resident`, then (unless left out) round
        /// rule `away`.
        pub fn policy(&self) -> Policy {
            let mut p = Policy::new("visit_all_rounds").round_rule(
                RoundRule::new(
                    "resident",
                    Selector::new().residency(Residency::Resident),
                    self.rounds.iter().cloned(),
                )
                .min_contacts(self.min_contacts)
                .modes(self.resident_modes.iter().copied())
                .signed_only(self.signed_only),
            );
            if self.include_away {
                p = p.round_rule(
                    RoundRule::new(
                        "away",
                        Selector::new().residency(Residency::Away),
                        self.rounds.iter().cloned(),
                    )
                    .min_contacts(self.min_contacts)
                    .modes(self.away_modes.iter().copied())
                    .signed_only(self.signed_only),
                );
            }
            p
        }
    }

    /// Seed 004's visit-all rounds over `rounds`, default figures (see
    /// [`VisitAllRounds`]).
    pub fn visit_all_rounds(rounds: Vec<CampaignRound>) -> Policy {
        VisitAllRounds {
            rounds,
            ..Default::default()
        }
        .policy()
    }

    /// The names [`by_name`] and [`by_name_with`] know, in the order the
    /// docs list them.
    pub const NAMES: [&str; 4] = [
        "four_fixed_three_arrivals",
        "contact_households",
        "grid_one_plus_x",
        "visit_all_rounds",
    ];

    /// The policy preset called `name` with the fields of its struct
    /// ([`FourFixedThreeArrivals`], [`ContactHouseholds`],
    /// [`GridOnePlusX`], [`VisitAllRounds`]) named in `overrides`
    /// replaced ([`with_overrides`]).
    ///
    /// # Errors
    /// [`OverrideError::UnknownPreset`]
    /// for a name not in [`NAMES`]; as `with_overrides` for the overrides.
    ///
    /// ```
    /// use minqing::cadence::presets;
    /// let over = serde_json::json!({"hospitalisation_within_days": 5});
    /// let p = presets::by_name_with("grid_one_plus_x", over.as_object().unwrap())?;
    /// assert_eq!(p.event_rules[0].within_days, 5);
    /// assert!(presets::by_name_with("nope", &Default::default()).is_err());
    /// # Ok::<(), minqing::cadence::OverrideError>(())
    /// ```
    pub fn by_name_with(
        name: &str,
        overrides: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Policy, OverrideError> {
        Ok(match name {
            "four_fixed_three_arrivals" => {
                with_overrides(FourFixedThreeArrivals::default(), overrides)?.policy()
            }
            "contact_households" => {
                with_overrides(ContactHouseholds::default(), overrides)?.policy()
            }
            "grid_one_plus_x" => with_overrides(GridOnePlusX::default(), overrides)?.policy(),
            "visit_all_rounds" => with_overrides(VisitAllRounds::default(), overrides)?.policy(),
            other => return Err(OverrideError::UnknownPreset(other.to_string())),
        })
    }

    /// The policy preset called `name` with its default figures:
    /// `four_fixed_three_arrivals`, `contact_households`,
    /// `grid_one_plus_x` or `visit_all_rounds` (over `rounds`; the other
    /// presets ignore them). `None` for another name.
    ///
    /// ```
    /// use minqing::cadence::presets;
    /// assert_eq!(presets::by_name("grid_one_plus_x", &[]).unwrap().name, "grid_one_plus_x");
    /// assert!(presets::by_name("nope", &[]).is_none());
    /// ```
    pub fn by_name(name: &str, rounds: &[CampaignRound]) -> Option<Policy> {
        match name {
            "four_fixed_three_arrivals" => Some(four_fixed_three_arrivals()),
            "contact_households" => Some(contact_households()),
            "grid_one_plus_x" => Some(grid_one_plus_x()),
            "visit_all_rounds" => Some(visit_all_rounds(rounds.to_vec())),
            _ => None,
        }
    }
}

/// A policy as every binding takes one: a preset name
/// (`"contact_households"`), `{"preset": NAME, "overrides": {...}}` (the
/// overrides are fields of the preset's struct, put over it by
/// [`with_overrides`]), or a whole [`Policy`] in its JSON shape. The one
/// reader of this argument.
///
/// # Errors
/// [`OverrideError::UnknownPreset`] for a name no preset has;
/// [`OverrideError::UnknownField`] for a key beside `preset` and
/// `overrides` or an override the preset does not have;
/// [`OverrideError::BadValue`] for a `preset` that is not text, overrides
/// that are not an object, or a whole policy that does not read.
///
/// ```
/// use minqing::cadence::{policy_from_value, OverrideError};
/// use serde_json::json;
/// let p = policy_from_value(&json!({"preset": "grid_one_plus_x",
///                                   "overrides": {"hospitalisation_within_days": 5}}))?;
/// assert_eq!(p.event_rules[0].within_days, 5);
/// assert_eq!(policy_from_value(&json!("contact_households"))?.name, "contact_households");
/// let whole = serde_json::to_value(&p).unwrap();
/// assert_eq!(policy_from_value(&whole)?, p);
/// assert!(matches!(policy_from_value(&json!("weekly")), Err(OverrideError::UnknownPreset(_))));
/// assert!(matches!(policy_from_value(&json!({"preset": "grid_one_plus_x", "overide": {}})),
///                  Err(OverrideError::UnknownField { .. })));
/// # Ok::<(), OverrideError>(())
/// ```
pub fn policy_from_value(v: &serde_json::Value) -> Result<Policy, OverrideError> {
    use serde_json::Value;
    match v {
        Value::String(name) => presets::by_name_with(name, &serde_json::Map::new()),
        Value::Object(o) if o.contains_key("preset") => {
            if let Some(k) = o.keys().find(|k| *k != "preset" && *k != "overrides") {
                return Err(OverrideError::UnknownField {
                    field: k.clone(),
                    known: vec!["preset".into(), "overrides".into()],
                });
            }
            let Some(name) = o["preset"].as_str() else {
                return Err(OverrideError::BadValue("`preset` must be text".into()));
            };
            match o.get("overrides") {
                None | Some(Value::Null) => presets::by_name_with(name, &serde_json::Map::new()),
                Some(Value::Object(over)) => presets::by_name_with(name, over),
                Some(_) => Err(OverrideError::BadValue(
                    "`overrides` must be an object".into(),
                )),
            }
        }
        whole => serde_path_to_error::deserialize(whole).map_err(|e| {
            let path = e.path().to_string();
            OverrideError::BadValue(format!("{path}: {}", e.into_inner()))
        }),
    }
}

/// Why [`with_overrides`] or [`presets::by_name_with`] could not make
/// what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideError {
    /// No preset has this name (the names are [`presets::NAMES`]).
    UnknownPreset(String),
    /// The thing overridden is not a struct of named fields.
    NotAStruct,
    /// An override names a field the struct does not have.
    UnknownField {
        /// The field asked for.
        field: String,
        /// The fields there are, in the struct's order.
        known: Vec<String>,
    },
    /// A value does not read as its field's type (serde's message).
    BadValue(String),
}

/// An unknown preset is `field.bad_value`; the other refusals are
/// `json.shape` (the overrides do not fit the struct).
impl crate::problem::CodedError for OverrideError {
    fn code(&self) -> crate::problem::Code {
        match self {
            OverrideError::UnknownPreset(_) => crate::problem::Code::FieldBadValue,
            _ => crate::problem::Code::JsonShape,
        }
    }

    fn message(&self) -> crate::problem::Message {
        let zh = match self {
            OverrideError::UnknownPreset(name) => format!(
                "没有名为 {name:?} 的预设制度（可用：{}）",
                presets::NAMES.join("、")
            ),
            OverrideError::NotAStruct => "只能覆盖结构体的字段".to_string(),
            OverrideError::UnknownField { field, known } => {
                format!("没有字段 {field:?}（可用：{}）", known.join("、"))
            }
            OverrideError::BadValue(e) => format!("值不符合字段的类型：{e}"),
        };
        crate::problem::Message {
            zh,
            en: self.to_string(),
        }
    }
}

impl std::fmt::Display for OverrideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OverrideError::UnknownPreset(name) => write!(
                f,
                "no preset policy {name:?} (known: {})",
                presets::NAMES.join(", ")
            ),
            OverrideError::NotAStruct => f.write_str("only a struct's fields can be overridden"),
            OverrideError::UnknownField { field, known } => {
                write!(f, "no field {field:?} (known: {})", known.join(", "))
            }
            OverrideError::BadValue(e) => write!(f, "a value does not fit its field: {e}"),
        }
    }
}

impl std::error::Error for OverrideError {}

/// `value` with the fields named in `overrides` put over it, through the
/// value's serde form: how every binding and test changes a preset's
/// figures ([`presets::FourFixedThreeArrivals`] and the others), a
/// [`PresenceRule`]'s or a request policy's by name, with no figure of its
/// own. The one override semantics of the crate and both bindings:
///
/// - an object merges into a field that is itself an object, key by key
///   (`{"cycle": {"joint_meeting_day": 5}}` changes that day only; a map
///   field such as `level_days` gains or changes the keys given);
/// - anything else (a number, a list, text, `null`) replaces the field;
/// - a key the value does not read is refused, at any depth: a misspelt
///   `joint_meting_day` is [`OverrideError::UnknownField`] naming the path
///   (`cycle.joint_meting_day`), never silently ignored.
///
/// # Errors
/// [`OverrideError::UnknownField`], [`OverrideError::BadValue`], or
/// [`OverrideError::NotAStruct`] when `value` has no named fields.
///
/// ```
/// use minqing::cadence::{with_overrides, OverrideError, PresenceRule};
/// use minqing::case::CasePolicy;
/// let over = serde_json::json!({"min_days_per_year": 40});
/// let rule = with_overrides(PresenceRule::default(), over.as_object().unwrap())?;
/// assert_eq!((rule.min_days_per_year, rule.min_days_per_week), (40, 1));
/// let bad = serde_json::json!({"min_days": 40});
/// let e = with_overrides(PresenceRule::default(), bad.as_object().unwrap()).unwrap_err();
/// assert!(matches!(e, OverrideError::UnknownField { ref field, .. } if field == "min_days"));
/// // nested: one field of the reporting cycle, the rest kept
/// let base = CasePolicy::default();
/// let over = serde_json::json!({"cycle": {"joint_meeting_day": 5}});
/// let p = with_overrides(base.clone(), over.as_object().unwrap())?;
/// assert_eq!(p.cycle.joint_meeting_day, 5);
/// assert_eq!(p.cycle.card_summary_day, base.cycle.card_summary_day);
/// let typo = serde_json::json!({"cycle": {"joint_meting_day": 5}});
/// let e = with_overrides(base, typo.as_object().unwrap()).unwrap_err();
/// assert!(matches!(e, OverrideError::UnknownField { ref field, .. } if field == "cycle.joint_meting_day"));
/// # Ok::<(), OverrideError>(())
/// ```
pub fn with_overrides<T: Serialize + serde::de::DeserializeOwned>(
    value: T,
    overrides: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, OverrideError> {
    use serde_json::Value;
    if overrides.is_empty() {
        return Ok(value);
    }
    let mut v = serde_json::to_value(value).map_err(|e| OverrideError::BadValue(e.to_string()))?;
    let obj = v.as_object_mut().ok_or(OverrideError::NotAStruct)?;
    for k in overrides.keys() {
        if !obj.contains_key(k) {
            return Err(OverrideError::UnknownField {
                field: k.clone(),
                known: obj.keys().cloned().collect(),
            });
        }
    }
    fn merge(base: &mut Value, over: &Value) {
        match (base, over) {
            (Value::Object(b), Value::Object(o)) => {
                for (k, x) in o {
                    merge(b.entry(k.clone()).or_insert(Value::Null), x);
                }
            }
            (b, o) => *b = o.clone(),
        }
    }
    for (k, x) in overrides {
        merge(obj.entry(k.clone()).or_insert(Value::Null), x);
    }
    let out: T = serde_json::from_value(v).map_err(|e| OverrideError::BadValue(e.to_string()))?;
    // a key the value does not read vanishes on the way back: refuse it
    fn unread(back: &Value, over: &Value, path: &str) -> Option<OverrideError> {
        let (Value::Object(b), Value::Object(o)) = (back, over) else {
            return None;
        };
        for (k, x) in o {
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match b.get(k) {
                // `null` clears an optional field, which may then not be
                // written at all
                None if x.is_null() => {}
                None => {
                    return Some(OverrideError::UnknownField {
                        field: here,
                        known: b.keys().cloned().collect(),
                    });
                }
                Some(inner) => {
                    if let Some(e) = unread(inner, x, &here) {
                        return Some(e);
                    }
                }
            }
        }
        None
    }
    let back = serde_json::to_value(&out).map_err(|e| OverrideError::BadValue(e.to_string()))?;
    match unread(&back, &Value::Object(overrides.clone()), "") {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Whether a contact counts for a rule (every kind of rule asks the same):
/// its mode is one the rule accepts, and it is signed in the cadre's work
/// log when the rule asks for that (考勤以签字为依据, seed 001).
fn contact_counts(modes: &BTreeSet<Mode>, signed_only: bool, mode: Mode, signed: bool) -> bool {
    modes.contains(&mode) && (signed || !signed_only)
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
    fn new_rule_kinds_are_additive_in_json() {
        let v = serde_json::to_value(presets::four_fixed_three_arrivals()).unwrap();
        assert!(v.get("event_rules").is_none() && v.get("round_rules").is_none());
        let g = presets::grid_one_plus_x();
        let j = serde_json::to_value(&g).unwrap();
        assert_eq!(j["event_rules"][1]["kinds"][0], "wedding");
        assert_eq!(j["rules"][0]["selector"]["any_tags"][0], "elderly_alone");
        let back: Policy = serde_json::from_value(j).unwrap();
        assert_eq!(back, g);
        let minimal: EventRule = serde_json::from_str(r#"{"name":"x","within_days":0}"#).unwrap();
        assert!(minimal.triggered_by(&EventKind::Custom("any".into())));
        assert_eq!(minimal.due(NaiveDate::MAX), Some(NaiveDate::MAX));
        assert_eq!(
            EventRule::new("y", [], 1).due(NaiveDate::MAX),
            None,
            "no panic past the calendar's end"
        );
        assert_eq!(g.rule_count(), 5);
        let h = Household::new(
            HouseholdId::new("H1").unwrap(),
            UnitId::new("V1").unwrap(),
            Residency::Resident,
        )
        .with_tag(Tag::Dispute);
        assert!(g.rules[0].selector.selects(&h));
        assert!(!g.rules[1].selector.selects(&h));
        assert!(!g.rules[2].selector.selects(&h));
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
