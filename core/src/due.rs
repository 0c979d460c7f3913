//! Due lists (走访提醒清单) and the signal light (民情信号灯, seed 000 part
//! 5): for a cadre and a day, every household the cadre covers, what each
//! one still needs under a visit [`Policy`], by when, and a red, yellow or
//! green light with the reasons.
//!
//! # What a due item is
//!
//! For every household the cadre covers on `today` and every rule of the
//! policy that selects it, [`DueItem`]s: what the rule still asks, by
//! when. A policy has three kinds of rule ([`DueSource`]): period rules
//! (`Policy::rules`, below), event rules (`Policy::event_rules`, see
//! [Event items](#event-items)) and campaign-round rules
//! (`Policy::round_rules`, see [Round items](#round-items)). For a period
//! rule the item is the rule's **requirement period** and how many
//! qualifying contacts it still needs.
//!
//! - The requirement period is the rule's period containing `today`
//!   (`calendar::Period::of`) while it is not yet met; once it is met, the
//!   period after it (which then needs the full `min_contacts`).
//! - Registration follows the compliance engine ([`crate::compliance`]): a
//!   household counts for a period when it was registered on or before the
//!   period's first day. A household registered in the middle of the
//!   current period is first due in the next period; a household
//!   registered after `today` is not listed at all.
//! - A contact qualifies when the rule says so (`CadenceRule::qualifies`:
//!   mode, signature). Contacts by any cadre count, as in compliance.
//!   Contacts dated after `today` are ignored; contacts dated `today`
//!   count, so a list made in the evening shows the day's work.
//! - A rule asking for 0 contacts makes no item.
//!
//! # Event items
//!
//! An event rule (`EventRule`, seed 000 part 5: a hospitalisation, a
//! wedding or a funeral must be visited) asks for `min_contacts`
//! qualifying contacts from the event's day to `within_days` days after
//! it, both ends inclusive. The requirement is the compliance engine's
//! (`compliance::compliance_with_events`): the rule is triggered by the
//! event's kind (`EventRule::triggered_by`), selects the household, and
//! the household was registered on or before the event's day. Events come
//! from [`DueBook::with_events`] (a data set's `events` through
//! [`DueBook::of_dataset`]); events of unknown households are ignored, and
//! an event dated after `today` is not listed yet.
//!
//! - **Open** (`event day <= today <= deadline`) and fewer qualifying
//!   contacts than asked since the event's day: an item with deadline the
//!   window's last day, yellow or green as for a period item.
//! - **Ended unmet** (`deadline < today`): a **red** item (overdue,
//!   `missed_period` is the event's window, `days_left` 0) for
//!   [`DueOptions::event_lookback_days`] days after the deadline (default
//!   30: with a deadline on 1 March, still red on 31 March, gone on 1
//!   April), so the morning's list says which event visits were missed.
//!   As for period rules, a late visit does not make the requirement good
//!   in compliance, but the household stops being overdue once the
//!   contacts made since the event's day reach `min_contacts`.
//! - Met in time: no item.
//!
//! The item's `period` is the window as a [`PeriodKind::Span`](crate::calendar::PeriodKind::Span)
//! ([`Period::span`]: event day to deadline) and its `event` the event's
//! kind and date. `contacts_made` counts the qualifying contacts from the
//! event's day to `today`.
//!
//! # Round items
//!
//! A round rule (`RoundRule`, seed 004 遍访: every household selected
//! visited once in each named round) gives an item for each of its rounds
//! whose dates contain `today`, for each household it selects that was
//! registered on or before the round's first day and has fewer qualifying
//! contacts in the round (first day to `today`) than asked. The deadline is
//! the round's last day; the light is yellow or green as for a period
//! item, **never red**: a campaign round is a one-off sweep, and a round
//! that ended unmet cannot be made good by a later visit (it stays missed
//! in compliance, `ComplianceReport::missed_rounds`), nor does it make the
//! next round overdue. Rounds that have ended or not begun are not listed.
//! The item's `period` is the round's dates as a [`PeriodKind::Span`](crate::calendar::PeriodKind::Span) and
//! its `round` the round's name.
//!
//! # Station presence
//!
//! With [`DueOptions::presence`] set (e.g. to `presets::work_station()`,
//! seed 003: at least 1 day a week and 52 days a year in the village), the
//! list carries a [`PresenceDue`] for every team of [`DueBook::with_teams`]
//! (a data set's `teams`) the cadre belongs to (leader, deputy or member),
//! in team-ID order: days of presence this week and this year up to
//! `today`, as `compliance::station_presence` counts them, and the next
//! station day. Its light:
//! - **red** when the previous week ended below `min_days_per_week` and
//!   this week has not reached it yet;
//! - **yellow** when this week has not reached it and the week ends within
//!   `yellow_days` (`week end - today <= yellow_days`);
//! - **green** otherwise.
//!
//! The year's minimum is reported (`days_this_year`, `min_days_per_year`)
//! but does not colour the light. Presence is the team's, so it does not
//! change any household's light.
//!
//! # The signal light, exactly
//!
//! Per item ([`DueItem::light`]):
//! - **Red 红灯 (overdue, 逾期)**: the current period is not yet met **and**
//!   the previous period of the same rule was required (the household was
//!   registered by its first day) and ended unmet. Red lasts until a
//!   qualifying contact meets the current period; a period that ended
//!   unmet is never "made up" by a later visit, but the household stops
//!   being overdue once it has been contacted as the current period asks.
//!   For event rules: the event's window ended unmet (see *Event items*);
//!   round items are never red.
//! - **Yellow 黄灯 (due soon, 临期)**: not red, and the requirement's
//!   deadline is at most `yellow_days` days away: `deadline - today <=
//!   yellow_days` (default 3; with 3, a half month ending on the 15th turns
//!   yellow on the 12th; with 0, only on the deadline day itself). A
//!   period or round item's deadline is never in the past: the
//!   requirement period always contains `today` or lies after it (only a
//!   red event item has a past deadline, see *Event items*).
//! - **Green 绿灯**: otherwise.
//!
//! Per household ([`HouseholdSignal::light`]): the worst of its items'
//! lights and, when request logs were given, of its request signal
//! ([`crate::case::request_signal`]: red for an overdue request or overdue
//! feedback, yellow for an open request), taken at `today` and
//! [`DueOptions::request_time`] (default 00:00, the morning's list). A
//! covered household no rule selects and with no open request is green.
//!
//! # Who is listed
//!
//! The households whose assignment ([`Assignment`]) to the cadre covers
//! `today`. On a handover day both the old assignment (ending that day)
//! and the new one (starting that day) cover it: the household is listed
//! for the assignment that started last only, so it leaves the old cadre's
//! list and joins the new cadre's list on the handover day. The light is
//! the household's, not the cadre's: a household handed over while
//! overdue is red on the new cadre's list.
//!
//! # Order
//!
//! Items ([`DueList::items`]): overdue first, then by deadline, then by
//! household ID, then by source (period, event, round rules), then by
//! rule order, then by event day and kind or round order. Households ([`DueList::households`]):
//! red, then yellow, then green, then by earliest deadline (households
//! without a requirement last), then by household ID.
//!
//! # Speed
//!
//! [`DueBook`] indexes the visits by household once (a counting pass and a
//! placing pass over the visits, no per-household scan of all visits) and
//! the assignments by cadre and by household; a list then reads only the
//! cadre's households and their own visits. Items are worked out as
//! small index records, sorted by integer keys (a household's rank in ID
//! order, not its ID string) and only then written out with their IDs and
//! names; reason messages are written only for red and yellow items.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use std::collections::BTreeSet;

use crate::assign::Assignment;
use crate::cadence::{CadenceRule, EventRule, Policy, PresenceRule, RoundRule, presets};
use crate::cadre::Team;
use crate::calendar::{Period, Window, day_number, from_day_number};
use crate::case::{
    CasePolicy, RequestLight, RequestLog, RequestSignal, SignalReasonKind, request_signal,
};
use crate::compliance::{FastHasher, HouseholdIndex};
use crate::dataset::Dataset;
use crate::event::{EventKind, HouseholdEvent};
use crate::household::Household;
use crate::id::{CadreId, HouseholdId, RequestId, TeamId};
use crate::problem::Message;
use crate::visit::{Mode, Visit};

/// The colour of the signal light (民情信号灯, seed 000 part 5). Ordered
/// from best to worst: `Green < Yellow < Red`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalLight {
    /// 绿灯: nothing due within the yellow window, no open request.
    Green,
    /// 黄灯: a requirement due within the yellow window, or an open request.
    Yellow,
    /// 红灯: overdue (a required period ended unmet and the current one is
    /// not met yet), or an overdue request.
    Red,
}

impl SignalLight {
    /// The word used in JSON, e.g. `red`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalLight::Green => "green",
            SignalLight::Yellow => "yellow",
            SignalLight::Red => "red",
        }
    }

    /// The Chinese name, e.g. `红灯`.
    pub fn zh(self) -> &'static str {
        match self {
            SignalLight::Green => "绿灯",
            SignalLight::Yellow => "黄灯",
            SignalLight::Red => "红灯",
        }
    }
}

impl std::fmt::Display for SignalLight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<RequestLight> for SignalLight {
    fn from(l: RequestLight) -> Self {
        match l {
            RequestLight::Green => SignalLight::Green,
            RequestLight::Yellow => SignalLight::Yellow,
            RequestLight::Red => SignalLight::Red,
        }
    }
}

/// How a due list is made: the policy, the yellow window, the event
/// look-back, station presence and the request settings. Every figure is
/// a default the caller can change.
///
/// ```
/// use minqing::due::DueOptions;
/// use minqing::cadence::presets;
/// let o = DueOptions::new()
///     .yellow_days(5)
///     .policy(presets::grid_one_plus_x())
///     .event_lookback_days(14)
///     .presence(presets::work_station());
/// assert_eq!((o.yellow_days, o.event_lookback_days), (5, 14));
/// let d = DueOptions::default();
/// assert_eq!((d.yellow_days, d.event_lookback_days, d.presence), (3, 30, None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueOptions {
    /// The visit policy (default: seed 001's four fixed, three arrivals,
    /// `presets::four_fixed_three_arrivals`).
    pub policy: Policy,
    /// Yellow when the deadline is at most this many days after `today`
    /// (default 3).
    pub yellow_days: u32,
    /// The request policy used for the request signal (default
    /// `CasePolicy::default()`).
    pub case_policy: CasePolicy,
    /// The time of `today` at which the request signal is taken (default
    /// 00:00: the list is made before the day's work).
    pub request_time: NaiveTime,
    /// How many days after an event rule's deadline an unmet requirement
    /// stays on the list as a red item: while `today <= deadline +
    /// event_lookback_days` (default 30; with 0 an unmet requirement leaves
    /// the list when its deadline has passed). See the module
    /// documentation, *Event items*.
    #[serde(default = "default_event_lookback_days")]
    pub event_lookback_days: u32,
    /// The station presence rule to report for the cadre's teams (default
    /// `None`: no presence on the list; `presets::work_station()` gives
    /// seed 003's rule). See the module documentation, *Station presence*.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence: Option<PresenceRule>,
}

fn default_event_lookback_days() -> u32 {
    30
}

impl Default for DueOptions {
    fn default() -> Self {
        DueOptions {
            policy: presets::four_fixed_three_arrivals(),
            yellow_days: 3,
            case_policy: CasePolicy::default(),
            request_time: NaiveTime::MIN,
            event_lookback_days: default_event_lookback_days(),
            presence: None,
        }
    }
}

impl DueOptions {
    /// The defaults (see the fields).
    pub fn new() -> Self {
        DueOptions::default()
    }

    /// Sets the visit policy.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the yellow window in days.
    pub fn yellow_days(mut self, days: u32) -> Self {
        self.yellow_days = days;
        self
    }

    /// Sets the request policy of the request signal.
    pub fn case_policy(mut self, policy: CasePolicy) -> Self {
        self.case_policy = policy;
        self
    }

    /// Sets the time of day at which the request signal is taken.
    pub fn request_time(mut self, t: NaiveTime) -> Self {
        self.request_time = t;
        self
    }

    /// Sets how many days after its deadline an unmet event requirement
    /// stays red on the list.
    pub fn event_lookback_days(mut self, days: u32) -> Self {
        self.event_lookback_days = days;
        self
    }

    /// Reports station presence under `rule` for the cadre's teams.
    pub fn presence(mut self, rule: PresenceRule) -> Self {
        self.presence = Some(rule);
        self
    }
}

/// Which kind of rule a [`DueItem`] or a [`DueReason`] comes from; it says
/// which of the policy's lists `rule_index` indexes.
///
/// ```
/// use minqing::due::DueSource;
/// assert_eq!(serde_json::to_value(DueSource::Event).unwrap(), "event");
/// assert!(DueSource::Period < DueSource::Event && DueSource::Event < DueSource::Round);
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DueSource {
    /// A period rule: `rule_index` indexes `Policy::rules`.
    #[default]
    Period,
    /// An event rule: `rule_index` indexes `Policy::event_rules`.
    Event,
    /// A campaign-round rule: `rule_index` indexes `Policy::round_rules`.
    Round,
}

impl DueSource {
    /// The word used in JSON, e.g. `event`.
    pub fn as_str(self) -> &'static str {
        match self {
            DueSource::Period => "period",
            DueSource::Event => "event",
            DueSource::Round => "round",
        }
    }
}

/// The household event an event item answers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DueEvent {
    /// The event's kind.
    pub kind: EventKind,
    /// The event's day: the first day a contact counts.
    pub date: NaiveDate,
}

/// One household's next requirement under one rule (应访事项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    /// The household.
    pub household_id: HouseholdId,
    /// The rule's name.
    pub rule: String,
    /// The rule's index in the policy's list that `source` names:
    /// `Policy::rules` for a period item, `Policy::event_rules` for an
    /// event item, `Policy::round_rules` for a round item. What counts
    /// (modes, signature) is that rule's, see [`DueList::counts`].
    pub rule_index: usize,
    /// Which kind of rule the item comes from (JSON `"period"`, `"event"`
    /// or `"round"`; `"period"` when missing).
    #[serde(default)]
    pub source: DueSource,
    /// The requirement period. Period rules: the current period while it
    /// is not met, else the next one. Event rules: the event's day to the
    /// deadline, and round rules: the round's dates, both as a
    /// [`PeriodKind::Span`](crate::calendar::PeriodKind::Span).
    pub period: Period,
    /// The deadline: the requirement period's last day (for a red event
    /// item, a day already past).
    pub deadline: NaiveDate,
    /// `deadline - today` in days (0 on the deadline day, and for a red
    /// event item whose deadline has passed).
    pub days_left: u32,
    /// Qualifying contacts still needed.
    pub contacts_needed: u32,
    /// Qualifying contacts already made in the requirement period (event
    /// items: since the event's day; round items: since the round's first
    /// day), on or before `today`.
    pub contacts_made: u32,
    /// What makes the item red. Period rules: the previous period, when it
    /// was required and ended unmet while the current one is not met yet.
    /// Event rules: the event's window, when it ended unmet.
    pub missed_period: Option<Period>,
    /// The latest qualifying contact on or before `today`, any period.
    pub last_contact: Option<NaiveDate>,
    /// The item's light (visits only; see the module documentation).
    pub light: SignalLight,
    /// The event, for an event item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<DueEvent>,
    /// The round's name, for a round item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
}

impl DueItem {
    /// True when the item is overdue (red).
    pub fn is_overdue(&self) -> bool {
        self.missed_period.is_some()
    }
}

/// Why a household's light has its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueReasonKind {
    /// A rule's requirement is overdue: a period rule's previous period
    /// ended unmet and the current one is not met, or an event rule's
    /// window ended unmet.
    Overdue,
    /// A rule's deadline is within the yellow window.
    DueSoon,
    /// A request is overdue.
    RequestOverdue,
    /// A resolved request's feedback to the household is overdue.
    RequestFeedbackOverdue,
    /// A request is open and on time.
    RequestOpen,
}

/// One reason of a [`HouseholdSignal`]. Messages name the household, rule,
/// event kind, round and request IDs and dates only: never a name or a
/// phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueReason {
    /// What.
    pub kind: DueReasonKind,
    /// The light this reason gives.
    pub light: SignalLight,
    /// The index of the rule concerned, for visit reasons, in the list
    /// that `source` names (the message names the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    /// The kind of rule concerned, for visit reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DueSource>,
    /// The request concerned, for request reasons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<RequestId>,
    /// The deadline concerned, if any (a request's deadline as a date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// In Chinese and English.
    pub message: Message,
}

/// A household's merged signal light (民情信号灯) on a due list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdSignal {
    /// The household.
    pub household_id: HouseholdId,
    /// The worst of its items' lights and its request signal.
    pub light: SignalLight,
    /// Its earliest item deadline; `None` when no rule selects it.
    pub deadline: Option<NaiveDate>,
    /// Its items on the list.
    pub items: usize,
    /// Every red and yellow reason, red first (period rules, event rules
    /// and round rules, each in policy order, then requests).
    pub reasons: Vec<DueReason>,
}

/// A team's station presence on a cadre's due list (驻村工作站, seed 003:
/// 每周至少下村1天，全年不少于52天; see the module documentation, *Station
/// presence*). Days are counted as `compliance::station_presence` counts
/// them, on or before `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceDue {
    /// The team.
    pub team_id: TeamId,
    /// The current week (the rule's short period containing `today`).
    pub week: Period,
    /// Days of presence this week, up to `today`.
    pub days_this_week: u32,
    /// Days of presence in the previous week (whole).
    pub days_last_week: u32,
    /// The rule's weekly minimum.
    pub min_days_per_week: u32,
    /// The current year (the rule's long period containing `today`).
    pub year: Period,
    /// Days of presence this year, up to `today`.
    pub days_this_year: u32,
    /// The rule's yearly minimum.
    pub min_days_per_year: u32,
    /// The next station day (逢五) on or after `today`, if any within a
    /// year.
    pub next_station_day: Option<NaiveDate>,
    /// Red, yellow or green (see the module documentation).
    pub light: SignalLight,
}

/// A cadre's due list for a day (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueList {
    /// The cadre.
    pub cadre_id: CadreId,
    /// The day.
    pub today: NaiveDate,
    /// The policy's name.
    pub policy_name: String,
    /// The policy's period rules, in order: what counts for each period
    /// item (`rules[item.rule_index]`: modes, signature, period, minimum).
    pub rules: Vec<CadenceRule>,
    /// The policy's event rules, in order (`event_rules[item.rule_index]`
    /// for an event item). Left out of JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_rules: Vec<EventRule>,
    /// The policy's round rules, in order (`round_rules[item.rule_index]`
    /// for a round item). Left out of JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub round_rules: Vec<RoundRule>,
    /// Every item, overdue first, then by deadline, household ID, source,
    /// rule, event or round.
    pub items: Vec<DueItem>,
    /// Every covered household, red, yellow, green, then by earliest
    /// deadline, then by ID.
    pub households: Vec<HouseholdSignal>,
    /// Station presence of the cadre's teams, by team ID, when
    /// [`DueOptions::presence`] is set. Left out of JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub presence: Vec<PresenceDue>,
}

impl DueList {
    /// How many households have light `light`.
    pub fn count(&self, light: SignalLight) -> usize {
        self.households.iter().filter(|h| h.light == light).count()
    }

    /// The items of household `id`, in list order.
    pub fn items_of<'a>(&'a self, id: &'a HouseholdId) -> impl Iterator<Item = &'a DueItem> + 'a {
        self.items.iter().filter(move |i| &i.household_id == id)
    }

    /// The period rule of a period item: what counts (modes, signature)
    /// and how often. `None` for event and round items (see
    /// [`DueList::event_rule_of`], [`DueList::round_rule_of`]).
    pub fn rule_of(&self, item: &DueItem) -> Option<&CadenceRule> {
        (item.source == DueSource::Period)
            .then(|| self.rules.get(item.rule_index))
            .flatten()
    }

    /// The event rule of an event item; `None` for other items.
    pub fn event_rule_of(&self, item: &DueItem) -> Option<&EventRule> {
        (item.source == DueSource::Event)
            .then(|| self.event_rules.get(item.rule_index))
            .flatten()
    }

    /// The round rule of a round item; `None` for other items.
    pub fn round_rule_of(&self, item: &DueItem) -> Option<&RoundRule> {
        (item.source == DueSource::Round)
            .then(|| self.round_rules.get(item.rule_index))
            .flatten()
    }

    /// What counts for `item` whatever its source: the modes its rule
    /// accepts and whether only signed contacts count.
    ///
    /// ```
    /// use minqing::due::{due_list, DueOptions};
    /// use minqing::prelude::*;
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let mut ds = Dataset::new();
    /// let (h, c) = (HouseholdId::new("H1")?, CadreId::new("C1")?);
    /// ds.households.push(Household::new(h.clone(), UnitId::new("V1")?, Residency::Away));
    /// ds.assignments.push(Assignment::new(h, c.clone(), d(1, 1)));
    /// let list = due_list(&ds, &c, d(6, 13), &DueOptions::new());
    /// let (modes, signed_only) = list.counts(&list.items[0]).unwrap();
    /// assert!(modes.contains(&Mode::Phone) && !signed_only);
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn counts(&self, item: &DueItem) -> Option<(&BTreeSet<Mode>, bool)> {
        match item.source {
            DueSource::Period => self.rule_of(item).map(|r| (&r.modes, r.signed_only)),
            DueSource::Event => self.event_rule_of(item).map(|r| (&r.modes, r.signed_only)),
            DueSource::Round => self.round_rule_of(item).map(|r| (&r.modes, r.signed_only)),
        }
    }

    /// The signal of household `id`, if it is on the list.
    pub fn household(&self, id: &HouseholdId) -> Option<&HouseholdSignal> {
        self.households.iter().find(|h| &h.household_id == id)
    }
}

/// Households, assignments, visits and (optionally) request logs,
/// household events and teams indexed for due lists: build it once, then
/// ask for any cadre's list on any day.
///
/// # Example
/// ```
/// use minqing::due::{DueBook, DueOptions, SignalLight};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let hs = vec![
///     Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident),
///     Household::new(HouseholdId::new("H2")?, UnitId::new("V1")?, Residency::Away),
/// ];
/// let c = CadreId::new("C1")?;
/// let asg: Vec<Assignment> = hs.iter().map(|h| Assignment::new(h.id.clone(), c.clone(), d(1, 1))).collect();
/// let visits = vec![Visit::new(hs[1].id.clone(), c.clone(), d(3, 2).and_hms_opt(9, 0, 0).unwrap(), Mode::Phone)];
/// let book = DueBook::new(&hs, &asg, &visits);
/// let list = book.due_list(&c, d(3, 13), &DueOptions::new());
/// // H1 (resident): nothing since 1 January, so 1 to 15 February and 16 to 29
/// // February ended unmet: red, due by 15 March.
/// assert_eq!(list.items[0].household_id.as_str(), "H1");
/// assert_eq!((list.items[0].light, list.items[0].deadline), (SignalLight::Red, d(3, 15)));
/// // H2 (away): phoned on 2 March, March is met; next due by 30 April.
/// assert_eq!((list.items[1].light, list.items[1].deadline), (SignalLight::Green, d(4, 30)));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DueBook<'a> {
    households: &'a [Household],
    index: HouseholdIndex,
    assignments: &'a [Assignment],
    /// Each assignment's household index (`u32::MAX`: unknown).
    asg_h: Vec<u32>,
    /// Assignment indices by cadre ID.
    by_cadre: HashMap<&'a str, Vec<u32>, FastHasher>,
    /// Assignment indices by household, CSR: `asg_idx[asg_start[h]..asg_start[h + 1]]`.
    asg_start: Vec<u32>,
    asg_idx: Vec<u32>,
    /// The visits as given (station presence reads them).
    visits: &'a [Visit],
    /// Visits by household, CSR.
    visit_start: Vec<u32>,
    visit_day: Vec<i32>,
    visit_mode: Vec<Mode>,
    visit_signed: Vec<bool>,
    /// Visits naming a household the book does not have.
    unknown_visits: u64,
    /// Request logs by household index.
    requests: HashMap<u32, Vec<RequestLog>, FastHasher>,
    /// Each household's position in household-ID order.
    rank: Vec<u32>,
    /// Household events.
    events: &'a [HouseholdEvent],
    /// Events by household, CSR, each household's by day then kind.
    event_start: Vec<u32>,
    event_idx: Vec<u32>,
    /// Teams, for station presence.
    teams: &'a [Team],
}

fn new_map<K, V>() -> HashMap<K, V, FastHasher> {
    HashMap::with_hasher(FastHasher::with_seed(0x6475_655f_6c69_7374))
}

/// Groups `0..n` items by a key index below `groups` (CSR layout).
fn csr(groups: usize, keys: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; groups + 1];
    for &k in keys {
        if (k as usize) < groups {
            start[k as usize + 1] += 1;
        }
    }
    for i in 0..groups {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut idx = vec![0u32; start[groups] as usize];
    for (i, &k) in keys.iter().enumerate() {
        if (k as usize) < groups {
            idx[fill[k as usize] as usize] = i as u32;
            fill[k as usize] += 1;
        }
    }
    (start, idx)
}

/// A due item while the list is worked out: indices and dates only, no
/// strings (written out as a [`DueItem`] once sorted).
#[derive(Debug, Clone, Copy)]
struct Proto {
    h: u32,
    source: DueSource,
    rule: u32,
    /// The event's index in the book's events, or the round's index among
    /// the rule's rounds; 0 for period items.
    extra: u32,
    period: Period,
    deadline: NaiveDate,
    days_left: u32,
    needed: u32,
    made: u32,
    missed: Option<Period>,
    last: Option<NaiveDate>,
    light: SignalLight,
}

/// A date as a sort key that fits 31 bits (every date chrono has, in
/// order).
fn day_key(d: NaiveDate) -> u32 {
    (i64::from(day_number(d)) + (1 << 30)).clamp(0, (1 << 31) - 1) as u32
}

/// What a visit reason's message depends on, besides the rule's name:
/// households with the same key share one message (built once a list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MessageKey {
    source: DueSource,
    rule: u32,
    extra: u32,
    light: SignalLight,
    missed: Option<Period>,
    needed: u32,
    deadline: NaiveDate,
    days_left: u32,
}

/// Reorders `v` in place so that `v[i]` becomes the old `v[order[i]]`
/// (`order` a permutation of `0..v.len()`; it is used up).
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    for i in 0..v.len().min(order.len()) {
        if order[i] == u32::MAX {
            continue;
        }
        let mut j = i;
        loop {
            let k = order[j] as usize;
            order[j] = u32::MAX;
            if k == i || k >= v.len() {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

/// The most messages a list keeps for reuse.
const MEMO: usize = 32;

/// The light of a requirement not overdue: yellow within the window.
fn soon_light(days_left: u32, yellow_days: u32) -> SignalLight {
    if days_left <= yellow_days {
        SignalLight::Yellow
    } else {
        SignalLight::Green
    }
}

impl<'a> DueBook<'a> {
    /// Indexes `households`, `assignments` and `visits` (visits of unknown
    /// households are counted, see [`DueBook::unknown_visits`]; the first of
    /// two households with the same ID wins).
    pub fn new(
        households: &'a [Household],
        assignments: &'a [Assignment],
        visits: &'a [Visit],
    ) -> Self {
        // The compliance engine's index: generated IDs (`H0000001`) are
        // looked up by their number, without hashing or comparing strings.
        let mut index = HouseholdIndex::default();
        for (i, h) in households.iter().enumerate() {
            index.insert(h.id.as_str().as_bytes(), i as u32);
        }
        let n = households.len();
        let none = u32::MAX;
        let key = |id: &HouseholdId| index.get(id.as_str().as_bytes()).unwrap_or(none);
        // Visits: one pass over the records (household, day, mode,
        // signed into compact columns), then a counting sort by household
        // that reads only those columns.
        let mut vkeys = Vec::with_capacity(visits.len());
        let mut days = Vec::with_capacity(visits.len());
        let mut codes = Vec::with_capacity(visits.len());
        for v in visits {
            vkeys.push(key(&v.household));
            days.push(day_number(v.at.date()));
            codes.push((v.mode, v.signed));
        }
        let unknown_visits = vkeys.iter().filter(|&&k| k == none).count() as u64;
        let (visit_start, vidx) = csr(n, &vkeys);
        let mut visit_day = Vec::with_capacity(vidx.len());
        let mut visit_mode = Vec::with_capacity(vidx.len());
        let mut visit_signed = Vec::with_capacity(vidx.len());
        for &i in &vidx {
            let i = i as usize;
            visit_day.push(days[i]);
            visit_mode.push(codes[i].0);
            visit_signed.push(codes[i].1);
        }
        let asg_h: Vec<u32> = assignments.iter().map(|a| key(&a.household)).collect();
        let (asg_start, asg_idx) = csr(n, &asg_h);
        let mut by_cadre: HashMap<&'a str, Vec<u32>, FastHasher> = new_map();
        for (i, a) in assignments.iter().enumerate() {
            if asg_h[i] != none {
                by_cadre.entry(a.cadre.as_str()).or_default().push(i as u32);
            }
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            households[a as usize]
                .id
                .as_str()
                .cmp(households[b as usize].id.as_str())
                .then(a.cmp(&b))
        });
        let mut rank = vec![0u32; n];
        for (r, &h) in order.iter().enumerate() {
            rank[h as usize] = r as u32;
        }
        DueBook {
            households,
            index,
            rank,
            assignments,
            asg_h,
            by_cadre,
            asg_start,
            asg_idx,
            visits,
            visit_start,
            visit_day,
            visit_mode,
            visit_signed,
            unknown_visits,
            requests: new_map(),
            events: &[],
            event_start: vec![0; n + 1],
            event_idx: Vec::new(),
            teams: &[],
        }
    }

    /// The book of a whole data set, its request logs, household events
    /// and teams included.
    pub fn of_dataset(ds: &'a Dataset) -> Self {
        DueBook::new(&ds.households, &ds.assignments, &ds.visits)
            .with_requests(&ds.cases)
            .with_events(&ds.events)
            .with_teams(&ds.teams)
    }

    /// The same book with `logs` merged into the lights (logs that do not
    /// fold, or name an unknown household, are left out).
    pub fn with_requests(mut self, logs: &[RequestLog]) -> Self {
        self.requests.clear();
        for log in logs {
            let Ok(s) = log.state() else { continue };
            if let Some(h) = self.index.get(s.household.as_str().as_bytes()) {
                self.requests.entry(h).or_default().push(log.clone());
            }
        }
        self
    }

    /// The same book with the household `events` that event rules read
    /// (events naming an unknown household are ignored; their order does
    /// not matter).
    ///
    /// ```
    /// use minqing::cadence::presets;
    /// use minqing::due::{DueBook, DueOptions, DueSource, SignalLight};
    /// use minqing::event::{EventKind, HouseholdEvent};
    /// use minqing::prelude::*;
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let h = Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident);
    /// let c = CadreId::new("C1")?;
    /// let asg = [Assignment::new(h.id.clone(), c.clone(), d(1, 1))];
    /// let events = [HouseholdEvent::new(h.id.clone(), d(6, 8), EventKind::Hospitalisation)];
    /// let hs = [h];
    /// let book = DueBook::new(&hs, &asg, &[]).with_events(&events);
    /// let list = book.due_list(&c, d(6, 13), &DueOptions::new().policy(presets::grid_one_plus_x()));
    /// // Admitted on 8 June: an in-person visit is due within 7 days, by 15 June.
    /// let item = &list.items[0];
    /// assert_eq!((item.source, item.rule.as_str()), (DueSource::Event, "hospitalisation"));
    /// assert_eq!((item.period.start, item.deadline, item.light), (d(6, 8), d(6, 15), SignalLight::Yellow));
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn with_events(mut self, events: &'a [HouseholdEvent]) -> Self {
        let n = self.households.len();
        let keys: Vec<u32> = events
            .iter()
            .map(|e| {
                self.index
                    .get(e.household.as_str().as_bytes())
                    .unwrap_or(u32::MAX)
            })
            .collect();
        let (start, mut idx) = csr(n, &keys);
        for h in 0..n {
            let (s, e) = (start[h] as usize, start[h + 1] as usize);
            if e - s > 1 {
                idx[s..e].sort_by(|&a, &b| {
                    let (x, y) = (&events[a as usize], &events[b as usize]);
                    (x.date, &x.kind).cmp(&(y.date, &y.kind))
                });
            }
        }
        self.events = events;
        self.event_start = start;
        self.event_idx = idx;
        self
    }

    /// The same book with the `teams` whose station presence a list
    /// reports (see [`DueOptions::presence`]).
    pub fn with_teams(mut self, teams: &'a [Team]) -> Self {
        self.teams = teams;
        self
    }

    /// How many visits named a household the book does not have.
    pub fn unknown_visits(&self) -> u64 {
        self.unknown_visits
    }

    /// Every cadre that has an assignment to a known household, by ID.
    pub fn cadres(&self) -> Vec<&'a str> {
        let mut c: Vec<&'a str> = self.by_cadre.keys().copied().collect();
        c.sort_unstable();
        c
    }

    /// The household indices cadre `cadre` covers on `today` (handover
    /// day: the assignment that started last wins), in household-ID order.
    fn covered(&self, cadre: &str, today: NaiveDate) -> Vec<u32> {
        let Some(list) = self.by_cadre.get(cadre) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(list.len());
        for &ai in list {
            let a = &self.assignments[ai as usize];
            if !a.covers(today) {
                continue;
            }
            let h = self.asg_h[ai as usize];
            let (s, e) = (
                self.asg_start[h as usize] as usize,
                self.asg_start[h as usize + 1] as usize,
            );
            let of_household = self.asg_idx[s..e]
                .iter()
                .map(|&bi| &self.assignments[bi as usize]);
            if a.holds(of_household, today) {
                out.push(h);
            }
        }
        out.sort_unstable_by_key(|&h| self.rank[h as usize]);
        out.dedup();
        out
    }

    /// The households on cadre `cadre`'s list on `today`: those they cover
    /// ([`DueBook::covered`]) that are registered by then, in household-ID
    /// order.
    fn listed(&self, cadre: &CadreId, today: NaiveDate) -> Vec<u32> {
        let mut out = self.covered(cadre.as_str(), today);
        out.retain(|&h| {
            self.households[h as usize]
                .registered_on
                .is_none_or(|r| r <= today)
        });
        out
    }

    /// The request signal ([`request_signal`]) at `now` of each household on
    /// the cadre's due list of `now`'s day: the same households as
    /// [`DueBook::due_list`] lists (on a handover day, the new cadre's), in
    /// household-ID order, green where the household has no open request.
    ///
    /// ```
    /// use minqing::case::{CasePolicy, RequestLight};
    /// use minqing::due::DueBook;
    /// use minqing::prelude::*;
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2024, m, day).unwrap();
    /// let h = Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident);
    /// let (a, b) = (CadreId::new("A")?, CadreId::new("B")?);
    /// let mut old = Assignment::new(h.id.clone(), a.clone(), d(1, 1));
    /// old.to = Some(d(3, 1));
    /// let asg = [old, Assignment::new(h.id.clone(), b.clone(), d(3, 1))];
    /// let hs = [h];
    /// let book = DueBook::new(&hs, &asg, &[]);
    /// let at = d(3, 1).and_hms_opt(9, 0, 0).unwrap();
    /// assert!(book.request_signals(&a, at, &CasePolicy::default()).is_empty());
    /// let b_signals = book.request_signals(&b, at, &CasePolicy::default());
    /// assert_eq!(b_signals[0].light, RequestLight::Green);
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn request_signals(
        &self,
        cadre: &CadreId,
        now: NaiveDateTime,
        policy: &CasePolicy,
    ) -> Vec<RequestSignal> {
        self.listed(cadre, now.date())
            .into_iter()
            .map(|h| {
                let logs = self.requests.get(&h).map_or(&[][..], Vec::as_slice);
                request_signal(logs, &self.households[h as usize].id, policy, now)
            })
            .collect()
    }

    /// The visits of household `h`: day, mode, signed.
    fn visits_of(&self, h: u32) -> impl Iterator<Item = (i32, Mode, bool)> + '_ {
        let (s, e) = (
            self.visit_start[h as usize] as usize,
            self.visit_start[h as usize + 1] as usize,
        );
        (s..e).map(move |i| (self.visit_day[i], self.visit_mode[i], self.visit_signed[i]))
    }

    /// Qualifying contacts of household `h` from day `from` to day `to`
    /// (day numbers, both inclusive), and the latest qualifying contact on
    /// or before `to`, for a rule whose test is `qualifies`.
    fn count(
        &self,
        h: u32,
        from: i32,
        to: i32,
        qualifies: impl Fn(Mode, bool) -> bool,
    ) -> (u32, i32) {
        let (mut n, mut last) = (0u32, i32::MIN);
        for (day, mode, signed) in self.visits_of(h) {
            if day > to || !qualifies(mode, signed) {
                continue;
            }
            last = last.max(day);
            if day >= from {
                n += 1;
            }
        }
        (n, last)
    }

    /// The due item of household `h` under period rule `rule`, if any;
    /// `days` holds the rule's periods around `today`, the same for every
    /// household.
    fn period_item(
        &self,
        h: u32,
        rule: &CadenceRule,
        rule_index: usize,
        days: &RuleDays,
        today: NaiveDate,
        yellow_days: u32,
    ) -> Option<Proto> {
        let hh = &self.households[h as usize];
        let min = rule.min_contacts;
        if min == 0 {
            return None;
        }
        let required = |p: &Period| hh.registered_on.is_none_or(|r| r <= p.start);
        let cur = days.cur;
        let cur_required = required(&cur);
        let prev = days.prev.filter(|p| cur_required && required(p));
        let t = day_number(today);
        let (cs, ce) = days.cur_days;
        let (ps, pe) = if prev.is_some() {
            days.prev_days
        } else {
            (1, 0)
        };
        let (mut n_cur, mut n_prev, mut last) = (0u32, 0u32, i32::MIN);
        for (day, mode, signed) in self.visits_of(h) {
            if day > t || !rule.qualifies(mode, signed) {
                continue;
            }
            last = last.max(day);
            if cs <= day && day <= ce {
                n_cur += 1;
            } else if ps <= day && day <= pe {
                n_prev += 1;
            }
        }
        let (period, deadline, made) = if cur_required && n_cur < min {
            (cur, days.cur_end, n_cur)
        } else {
            let next = days.next?;
            (next, days.next_end, 0)
        };
        let missed = prev.filter(|_| period == cur && n_prev < min);
        let days_left = u32::try_from((deadline - today).num_days()).unwrap_or(u32::MAX);
        let light = if missed.is_some() {
            SignalLight::Red
        } else {
            soon_light(days_left, yellow_days)
        };
        Some(Proto {
            h,
            source: DueSource::Period,
            rule: rule_index as u32,
            extra: 0,
            period,
            deadline,
            days_left,
            needed: min - made,
            made,
            missed,
            last: (last != i32::MIN).then(|| from_day_number(last)).flatten(),
            light,
        })
    }

    /// The event items of household `h` under event rule `rule` (see the
    /// module documentation, *Event items*), pushed onto `out`.
    fn event_items(
        &self,
        h: u32,
        rule: &EventRule,
        rule_index: usize,
        today: NaiveDate,
        opts: &DueOptions,
        out: &mut Vec<Proto>,
    ) {
        let hh = &self.households[h as usize];
        let min = rule.min_contacts;
        let (s, e) = (
            self.event_start[h as usize] as usize,
            self.event_start[h as usize + 1] as usize,
        );
        if min == 0 || s == e {
            return;
        }
        let t = day_number(today);
        for &ei in &self.event_idx[s..e] {
            let ev = &self.events[ei as usize];
            // The compliance engine's requirement: triggered, a due day,
            // registered by the event's day.
            if ev.date > today
                || !rule.triggered_by(&ev.kind)
                || hh.registered_on.is_some_and(|r| r > ev.date)
            {
                continue;
            }
            let Some(due) = rule.due(ev.date) else {
                continue;
            };
            let overdue = due < today;
            if overdue && (today - due).num_days() > i64::from(opts.event_lookback_days) {
                continue;
            }
            let (made, last) = self.count(h, day_number(ev.date), t, |m, s| rule.qualifies(m, s));
            if made >= min {
                continue;
            }
            let Some(span) = Period::span(ev.date, due) else {
                continue;
            };
            let days_left = u32::try_from((due - today).num_days()).unwrap_or(0);
            out.push(Proto {
                h,
                source: DueSource::Event,
                rule: rule_index as u32,
                extra: ei,
                period: span,
                deadline: due,
                days_left,
                needed: min - made,
                made,
                missed: overdue.then_some(span),
                last: (last != i32::MIN).then(|| from_day_number(last)).flatten(),
                light: if overdue {
                    SignalLight::Red
                } else {
                    soon_light(days_left, opts.yellow_days)
                },
            });
        }
    }

    /// The round items of household `h` under round rule `rule` (see the
    /// module documentation, *Round items*), pushed onto `out`.
    fn round_items(
        &self,
        h: u32,
        rule: &RoundRule,
        rule_index: usize,
        today: NaiveDate,
        yellow_days: u32,
        out: &mut Vec<Proto>,
    ) {
        let hh = &self.households[h as usize];
        let min = rule.min_contacts;
        if min == 0 {
            return;
        }
        let t = day_number(today);
        for (k, round) in rule.rounds.iter().enumerate() {
            let w = round.window;
            if !w.contains(today) || hh.registered_on.is_some_and(|r| r > w.start) {
                continue;
            }
            let (made, last) = self.count(h, day_number(w.start), t, |m, s| rule.qualifies(m, s));
            if made >= min {
                continue;
            }
            let Some(span) = Period::span(w.start, w.end) else {
                continue;
            };
            let days_left = u32::try_from((w.end - today).num_days()).unwrap_or(0);
            out.push(Proto {
                h,
                source: DueSource::Round,
                rule: rule_index as u32,
                extra: k as u32,
                period: span,
                deadline: w.end,
                days_left,
                needed: min - made,
                made,
                missed: None,
                last: (last != i32::MIN).then(|| from_day_number(last)).flatten(),
                light: soon_light(days_left, yellow_days),
            });
        }
    }

    /// The station presence of `team` on `today` under `rule` (see the
    /// module documentation, *Station presence*).
    fn presence_of(
        &self,
        team: &Team,
        rule: &PresenceRule,
        today: NaiveDate,
        yellow_days: u32,
    ) -> PresenceDue {
        let week = Period::of(rule.week, today);
        let year = Period::of(rule.year, today);
        let prev_week = week.start.pred_opt().map(|d| Period::of(rule.week, d));
        let first = prev_week.map_or(week.start, |p| p.start).min(year.start);
        // The presence engine counts the days; the window ends today so
        // nothing later counts.
        let window = Window::new(first, today).unwrap_or(Window {
            start: today,
            end: today,
        });
        let r =
            crate::compliance::station_presence(team, self.households, self.visits, window, rule);
        let count = |from: NaiveDate| {
            let a = r.days.partition_point(|&d| d < from);
            (r.days.len() - a) as u32
        };
        let days_this_week = count(week.start);
        let days_this_year = count(year.start);
        let days_last_week = prev_week
            .and_then(|p| r.weeks.iter().find(|w| w.period == p))
            .map_or(0, |w| w.days);
        let last_week_unmet = prev_week.is_some() && days_last_week < rule.min_days_per_week;
        let week_unmet = days_this_week < rule.min_days_per_week;
        let week_left = u32::try_from((week.end() - today).num_days()).unwrap_or(0);
        let light = if week_unmet && last_week_unmet {
            SignalLight::Red
        } else if week_unmet && week_left <= yellow_days {
            SignalLight::Yellow
        } else {
            SignalLight::Green
        };
        let ahead = Window::new(
            today,
            today
                .checked_add_days(chrono::Days::new(400))
                .unwrap_or(NaiveDate::MAX),
        );
        let next_station_day = ahead.and_then(|w| rule.station_days.dates_in(&w).first().copied());
        PresenceDue {
            team_id: team.id.clone(),
            week,
            days_this_week,
            days_last_week,
            min_days_per_week: rule.min_days_per_week,
            year,
            days_this_year,
            min_days_per_year: rule.min_days_per_year,
            next_station_day,
            light,
        }
    }

    /// The due list of cadre `cadre` on `today` (see the module
    /// documentation for what is listed, the lights and the order).
    ///
    /// # Example
    /// See [`DueBook`].
    pub fn due_list(&self, cadre: &CadreId, today: NaiveDate, opts: &DueOptions) -> DueList {
        let policy = &opts.policy;
        let covered = self.listed(cadre, today);
        let mut protos: Vec<Proto> = Vec::with_capacity(covered.len() * policy.rule_count().min(4));
        let mut households: Vec<HouseholdSignal> = Vec::with_capacity(covered.len());
        let mut hkeys: Vec<(u128, u32)> = Vec::with_capacity(covered.len());
        let mut memo: Vec<(MessageKey, Message)> = Vec::new();
        let now = today.and_time(opts.request_time);
        let days: Vec<RuleDays> = policy
            .rules
            .iter()
            .map(|r| RuleDays::new(r, today))
            .collect();
        for h in covered {
            let hh = &self.households[h as usize];
            let first = protos.len();
            for (ri, rule) in policy.rules.iter().enumerate() {
                if rule.selector.selects(hh)
                    && let Some(p) =
                        self.period_item(h, rule, ri, &days[ri], today, opts.yellow_days)
                {
                    protos.push(p);
                }
            }
            for (ri, rule) in policy.event_rules.iter().enumerate() {
                if rule.selector.selects(hh) {
                    self.event_items(h, rule, ri, today, opts, &mut protos);
                }
            }
            for (ri, rule) in policy.round_rules.iter().enumerate() {
                if rule.selector.selects(hh) {
                    self.round_items(h, rule, ri, today, opts.yellow_days, &mut protos);
                }
            }
            let mine = &protos[first..];
            let mut light = SignalLight::Green;
            let mut deadline: Option<NaiveDate> = None;
            let mut flagged = 0;
            for p in mine {
                light = light.max(p.light);
                deadline = Some(deadline.map_or(p.deadline, |d| d.min(p.deadline)));
                flagged += usize::from(p.light != SignalLight::Green);
            }
            let logs = self.requests.get(&h);
            let mut reasons: Vec<DueReason> = Vec::new();
            if flagged > 0 {
                reasons.reserve_exact(flagged);
                reasons.extend(
                    mine.iter()
                        .filter_map(|p| self.visit_reason(p, policy, &mut memo)),
                );
            }
            if let Some(logs) = logs {
                let sig = request_signal(logs, &hh.id, &opts.case_policy, now);
                light = light.max(sig.light.into());
                reasons.extend(sig.reasons.into_iter().map(|r| {
                    let (kind, l) = match r.kind {
                        SignalReasonKind::Overdue => {
                            (DueReasonKind::RequestOverdue, SignalLight::Red)
                        }
                        SignalReasonKind::FeedbackOverdue => {
                            (DueReasonKind::RequestFeedbackOverdue, SignalLight::Red)
                        }
                        SignalReasonKind::Open => (DueReasonKind::RequestOpen, SignalLight::Yellow),
                    };
                    DueReason {
                        kind,
                        light: l,
                        rule_index: None,
                        source: None,
                        request_id: Some(r.request_id),
                        deadline: r.deadline.map(|d| d.date()),
                        message: r.message,
                    }
                }));
            }
            // Red first; stable, so rules stay in policy order before requests.
            if reasons.len() > 1 {
                reasons.sort_by_key(|r| std::cmp::Reverse(r.light));
            }
            // Red, yellow, green; then by deadline (none last); then by
            // the household's rank in ID order.
            let key = (u128::from(2 - light as u8) << 96)
                | (u128::from(deadline.is_none()) << 95)
                | (u128::from(deadline.map_or(0, day_key)) << 32)
                | u128::from(self.rank[h as usize]);
            hkeys.push((key, households.len() as u32));
            households.push(HouseholdSignal {
                household_id: hh.id.clone(),
                light,
                deadline,
                items: mine.len(),
                reasons,
            });
        }
        // Sorted as small records by integer keys (overdue first, the
        // deadline, the household's rank in ID order standing for its ID),
        // then written out in order; ties by source, rule, event or round.
        let mut order: Vec<(u64, u32)> = protos
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let key = (u64::from(p.missed.is_none()) << 63)
                    | (u64::from(day_key(p.deadline)) << 32)
                    | u64::from(self.rank[p.h as usize]);
                (key, i as u32)
            })
            .collect();
        order.sort_unstable_by(|&(ka, ia), &(kb, ib)| {
            ka.cmp(&kb).then_with(|| {
                let (a, b) = (&protos[ia as usize], &protos[ib as usize]);
                (a.source, a.rule)
                    .cmp(&(b.source, b.rule))
                    .then_with(|| match a.source {
                        DueSource::Period => std::cmp::Ordering::Equal,
                        DueSource::Round => a.extra.cmp(&b.extra),
                        DueSource::Event => {
                            let (x, y) = (
                                &self.events[a.extra as usize],
                                &self.events[b.extra as usize],
                            );
                            (x.date, &x.kind).cmp(&(y.date, &y.kind))
                        }
                    })
            })
        });
        let items: Vec<DueItem> = order
            .iter()
            .map(|&(_, i)| self.materialise(&protos[i as usize], policy))
            .collect();
        // Keys are unique (the rank is): the order is total.
        hkeys.sort_unstable();
        let mut to: Vec<u32> = hkeys.iter().map(|&(_, i)| i).collect();
        permute(&mut households, &mut to);
        let presence = match &opts.presence {
            None => Vec::new(),
            Some(rule) => {
                let mut teams: Vec<&Team> = self
                    .teams
                    .iter()
                    .filter(|t| t.cadres().contains(&cadre))
                    .collect();
                teams.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
                teams
                    .into_iter()
                    .map(|t| self.presence_of(t, rule, today, opts.yellow_days))
                    .collect()
            }
        };
        DueList {
            cadre_id: cadre.clone(),
            today,
            policy_name: policy.name.clone(),
            rules: policy.rules.clone(),
            event_rules: policy.event_rules.clone(),
            round_rules: policy.round_rules.clone(),
            items,
            households,
            presence,
        }
    }

    /// The rule name of `p`.
    fn rule_name<'p>(&self, p: &Proto, policy: &'p Policy) -> &'p str {
        let r = p.rule as usize;
        match p.source {
            DueSource::Period => policy.rules.get(r).map(|x| x.name.as_str()),
            DueSource::Event => policy.event_rules.get(r).map(|x| x.name.as_str()),
            DueSource::Round => policy.round_rules.get(r).map(|x| x.name.as_str()),
        }
        .unwrap_or("")
    }

    /// The event of an event item.
    fn event_of(&self, p: &Proto) -> Option<&'a HouseholdEvent> {
        (p.source == DueSource::Event)
            .then(|| self.events.get(p.extra as usize))
            .flatten()
    }

    /// The round name of a round item.
    fn round_of<'p>(&self, p: &Proto, policy: &'p Policy) -> Option<&'p str> {
        (p.source == DueSource::Round)
            .then(|| {
                policy
                    .round_rules
                    .get(p.rule as usize)
                    .and_then(|r| r.rounds.get(p.extra as usize))
                    .map(|r| r.name.as_str())
            })
            .flatten()
    }

    /// `p` written out with its IDs and names.
    fn materialise(&self, p: &Proto, policy: &Policy) -> DueItem {
        DueItem {
            household_id: self.households[p.h as usize].id.clone(),
            rule: self.rule_name(p, policy).to_string(),
            rule_index: p.rule as usize,
            source: p.source,
            period: p.period,
            deadline: p.deadline,
            days_left: p.days_left,
            contacts_needed: p.needed,
            contacts_made: p.made,
            missed_period: p.missed,
            last_contact: p.last,
            light: p.light,
            event: self.event_of(p).map(|e| DueEvent {
                kind: e.kind.clone(),
                date: e.date,
            }),
            round: self.round_of(p, policy).map(str::to_string),
        }
    }

    /// The reason a red or yellow item gives; none for a green one.
    /// Messages are built by hand, not with `format!`: a list of thousands
    /// of red households writes thousands of them.
    fn visit_reason(
        &self,
        p: &Proto,
        policy: &Policy,
        memo: &mut Vec<(MessageKey, Message)>,
    ) -> Option<DueReason> {
        use Piece::{D, N, T};
        let kind = match (p.light, p.missed) {
            (SignalLight::Green, _) | (SignalLight::Red, None) => return None,
            (SignalLight::Red, Some(_)) => DueReasonKind::Overdue,
            (SignalLight::Yellow, _) => DueReasonKind::DueSoon,
        };
        let reason = |message| DueReason {
            kind,
            light: p.light,
            rule_index: Some(p.rule as usize),
            source: Some(p.source),
            request_id: None,
            deadline: Some(p.deadline),
            message,
        };
        // An event's message names its own event: not shared.
        let key = (p.source != DueSource::Event).then_some(MessageKey {
            source: p.source,
            rule: p.rule,
            extra: p.extra,
            light: p.light,
            missed: p.missed,
            needed: p.needed,
            deadline: p.deadline,
            days_left: p.days_left,
        });
        if let Some(k) = key
            && let Some((_, m)) = memo.iter().find(|(x, _)| *x == k)
        {
            return Some(reason(m.clone()));
        }
        let rule = self.rule_name(p, policy);
        let (n, d, left) = (p.needed, p.deadline, p.days_left);
        let event = self.event_of(p);
        let round = self.round_of(p, policy);
        let (_kind, message) = match (p.light, p.missed, event, round) {
            (SignalLight::Green, ..) => return None,
            (SignalLight::Red, Some(_), Some(e), _) => (
                DueReasonKind::Overdue,
                Message {
                    zh: text(&[
                        T("规则 "),
                        T(rule),
                        T("："),
                        T(e.kind.zh()),
                        T(" "),
                        D(e.date),
                        T(" 后应于 "),
                        D(d),
                        T(" 前走访，已逾期，还需 "),
                        N(n),
                        T(" 次"),
                    ]),
                    en: text(&[
                        T("rule "),
                        T(rule),
                        T(": "),
                        T(e.kind.as_str()),
                        T(" on "),
                        D(e.date),
                        T(" called for a visit by "),
                        D(d),
                        T("; overdue, "),
                        N(n),
                        T(" more contact(s) needed"),
                    ]),
                },
            ),
            (SignalLight::Red, Some(m), ..) => (
                DueReasonKind::Overdue,
                Message {
                    zh: text(&[
                        T("规则 "),
                        T(rule),
                        T("：上一周期 "),
                        D(m.start),
                        T(" 至 "),
                        D(m.end()),
                        T(" 未达标，本周期还需 "),
                        N(n),
                        T(" 次，截止 "),
                        D(d),
                    ]),
                    en: text(&[
                        T("rule "),
                        T(rule),
                        T(": the period "),
                        D(m.start),
                        T(" to "),
                        D(m.end()),
                        T(" ended unmet; "),
                        N(n),
                        T(" more contact(s) needed by "),
                        D(d),
                    ]),
                },
            ),
            (SignalLight::Red, None, ..) => return None,
            (SignalLight::Yellow, _, Some(e), _) => (
                DueReasonKind::DueSoon,
                Message {
                    zh: text(&[
                        T("规则 "),
                        T(rule),
                        T("："),
                        T(e.kind.zh()),
                        T(" "),
                        D(e.date),
                        T("，还需 "),
                        N(n),
                        T(" 次，截止 "),
                        D(d),
                        T("（剩 "),
                        N(left),
                        T(" 天）"),
                    ]),
                    en: text(&[
                        T("rule "),
                        T(rule),
                        T(": "),
                        T(e.kind.as_str()),
                        T(" on "),
                        D(e.date),
                        T(": "),
                        N(n),
                        T(" more contact(s) needed by "),
                        D(d),
                        T(" ("),
                        N(left),
                        T(" day(s) left)"),
                    ]),
                },
            ),
            (SignalLight::Yellow, _, None, Some(r)) => (
                DueReasonKind::DueSoon,
                Message {
                    zh: text(&[
                        T("规则 "),
                        T(rule),
                        T("：遍访 "),
                        T(r),
                        T("，还需 "),
                        N(n),
                        T(" 次，截止 "),
                        D(d),
                        T("（剩 "),
                        N(left),
                        T(" 天）"),
                    ]),
                    en: text(&[
                        T("rule "),
                        T(rule),
                        T(": round "),
                        T(r),
                        T(": "),
                        N(n),
                        T(" more contact(s) needed by "),
                        D(d),
                        T(" ("),
                        N(left),
                        T(" day(s) left)"),
                    ]),
                },
            ),
            (SignalLight::Yellow, ..) => (
                DueReasonKind::DueSoon,
                Message {
                    zh: text(&[
                        T("规则 "),
                        T(rule),
                        T("：还需 "),
                        N(n),
                        T(" 次，截止 "),
                        D(d),
                        T("（剩 "),
                        N(left),
                        T(" 天）"),
                    ]),
                    en: text(&[
                        T("rule "),
                        T(rule),
                        T(": "),
                        N(n),
                        T(" more contact(s) needed by "),
                        D(d),
                        T(" ("),
                        N(left),
                        T(" day(s) left)"),
                    ]),
                },
            ),
        };
        debug_assert_eq!(kind, _kind);
        if let Some(k) = key
            && memo.len() < MEMO
        {
            memo.push((k, message.clone()));
        }
        Some(reason(message))
    }
}

/// A rule's periods around `today` (the calendar's period arithmetic,
/// done once a list instead of once a household).
struct RuleDays {
    cur: Period,
    cur_end: NaiveDate,
    cur_days: (i32, i32),
    next: Option<Period>,
    next_end: NaiveDate,
    prev: Option<Period>,
    prev_days: (i32, i32),
}

impl RuleDays {
    fn new(rule: &CadenceRule, today: NaiveDate) -> Self {
        let cur = Period::of(rule.period, today);
        let cur_end = cur.end();
        let next = cur.next();
        let prev = cur.start.pred_opt().map(|d| Period::of(rule.period, d));
        RuleDays {
            cur,
            cur_end,
            cur_days: (day_number(cur.start), day_number(cur_end)),
            next,
            next_end: next.map_or(NaiveDate::MAX, |p| p.end()),
            prev,
            prev_days: prev.map_or((1, 0), |p| (day_number(p.start), day_number(p.end()))),
        }
    }
}

/// Appends `d` as `YYYY-MM-DD` (years 0 to 9999; others through chrono).
fn push_date(s: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        s.push_str(&d.to_string());
        return;
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let buf = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    s.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

/// Appends `n` in decimal.
fn push_u32(s: &mut String, n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Builds a message from pieces: text, dates and numbers.
enum Piece<'a> {
    T(&'a str),
    D(NaiveDate),
    N(u32),
}

fn text(pieces: &[Piece<'_>]) -> String {
    let len = pieces
        .iter()
        .map(|p| match p {
            Piece::T(t) => t.len(),
            Piece::D(_) | Piece::N(_) => 10,
        })
        .sum();
    let mut s = String::with_capacity(len);
    for p in pieces {
        match p {
            Piece::T(t) => s.push_str(t),
            Piece::D(d) => push_date(&mut s, *d),
            Piece::N(n) => push_u32(&mut s, *n),
        }
    }
    s
}

/// The due list of cadre `cadre` on `today` over a whole data set, its
/// request logs merged into the lights. To make many lists from the same
/// data, build a [`DueBook`] once instead.
///
/// # Example
/// ```
/// use minqing::due::{due_list, DueOptions, SignalLight};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut ds = Dataset::new();
/// let h = HouseholdId::new("H1")?;
/// let c = CadreId::new("C1")?;
/// ds.households.push(Household::new(h.clone(), UnitId::new("V1")?, Residency::Resident));
/// ds.assignments.push(Assignment::new(h.clone(), c.clone(), d(1, 1)));
/// // Visited in person on 3 June: the half month 1 to 15 June is met.
/// ds.visits.push(Visit::new(h.clone(), c.clone(), d(6, 3).and_hms_opt(10, 0, 0).unwrap(), Mode::InPerson));
/// let list = due_list(&ds, &c, d(6, 13), &DueOptions::new());
/// let item = &list.items[0];
/// assert_eq!((item.rule.as_str(), item.deadline, item.contacts_needed), ("resident", d(6, 30), 1));
/// assert_eq!(item.light, SignalLight::Green);
/// assert_eq!(item.last_contact, Some(d(6, 3)));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn due_list(ds: &Dataset, cadre: &CadreId, today: NaiveDate, opts: &DueOptions) -> DueList {
    DueBook::of_dataset(ds).due_list(cadre, today, opts)
}

/// Why a cadre's view could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DueError {
    /// The cadre is not in the data set's cadres.
    #[error("cadre {0} is not in the data set / 数据中没有干部 {0}")]
    UnknownCadre(CadreId),
}

impl crate::problem::CodedError for DueError {
    fn code(&self) -> crate::problem::Code {
        match self {
            DueError::UnknownCadre(_) => crate::problem::Code::FieldBadId,
        }
    }
}

/// The request signals at `now` of the households on cadre `cadre`'s due
/// list of that day ([`DueBook::request_signals`]), for a data set whose
/// cadres include `cadre`.
///
/// # Errors
/// [`DueError::UnknownCadre`] when the data set has no such cadre (an
/// empty list would hide a misspelt ID).
///
/// ```
/// use minqing::case::CasePolicy;
/// use minqing::due::{request_signals, DueError};
/// use minqing::prelude::*;
/// let ds = Dataset::new();
/// let at = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let c = CadreId::new("C9")?;
/// assert_eq!(request_signals(&ds, &c, at, &CasePolicy::default()), Err(DueError::UnknownCadre(c)));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn request_signals(
    ds: &Dataset,
    cadre: &CadreId,
    now: NaiveDateTime,
    policy: &CasePolicy,
) -> Result<Vec<RequestSignal>, DueError> {
    known_cadre(ds, cadre)?;
    Ok(DueBook::of_dataset(ds).request_signals(cadre, now, policy))
}

/// `cadre` is one of the data set's cadres: every binding checks a cadre
/// argument with this before making the cadre's view, so that a misspelt
/// ID is an error rather than an empty list.
///
/// # Errors
/// [`DueError::UnknownCadre`].
pub fn known_cadre(ds: &Dataset, cadre: &CadreId) -> Result<(), DueError> {
    if ds.cadres.iter().any(|c| &c.id == cadre) {
        Ok(())
    } else {
        Err(DueError::UnknownCadre(cadre.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Selector;
    use crate::calendar::PeriodKind;
    use crate::case::{Category, Channel, RequestEvent, RequestKind};
    use crate::event::EventKind;
    use crate::household::Residency;
    use crate::id::UnitId;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn hh(id: &str, r: Residency) -> Household {
        Household::new(HouseholdId::new(id).unwrap(), UnitId::new("V1").unwrap(), r)
    }

    fn cadre(id: &str) -> CadreId {
        CadreId::new(id).unwrap()
    }

    fn visit(h: &str, on: NaiveDate, mode: Mode) -> Visit {
        Visit::new(
            HouseholdId::new(h).unwrap(),
            cadre("C1"),
            on.and_hms_opt(10, 0, 0).unwrap(),
            mode,
        )
    }

    fn assign(h: &Household, c: &str) -> Assignment {
        Assignment::new(h.id.clone(), cadre(c), d(2020, 1, 1))
    }

    /// One household covered by C1, its visits, the list on `today`.
    fn one(h: Household, visits: &[Visit], today: NaiveDate, o: &DueOptions) -> DueList {
        let hs = [h];
        let asg = [assign(&hs[0], "C1")];
        DueBook::new(&hs, &asg, visits).due_list(&cadre("C1"), today, o)
    }

    #[test]
    fn month_end_and_yellow_window_boundary() {
        let o = DueOptions::new();
        let vs = [visit("H1", d(2023, 12, 10), Mode::Phone)];
        // January has 31 days: 3 days left on the 28th is yellow, 4 on the 27th green.
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 1, 28), &o);
        let i = &l.items[0];
        assert_eq!(
            (i.rule.as_str(), i.deadline, i.days_left),
            ("away", d(2024, 1, 31), 3)
        );
        assert_eq!(i.light, SignalLight::Yellow);
        assert_eq!(l.households[0].reasons[0].kind, DueReasonKind::DueSoon);
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 1, 27), &o);
        assert_eq!(
            (l.items[0].days_left, l.items[0].light),
            (4, SignalLight::Green)
        );
        assert!(l.households[0].reasons.is_empty());
        // A window of 0 days: yellow only on the deadline day.
        let o0 = DueOptions::new().yellow_days(0);
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 1, 30), &o0);
        assert_eq!(l.items[0].light, SignalLight::Green);
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 1, 31), &o0);
        assert_eq!(l.items[0].light, SignalLight::Yellow);
        // Phoned on the 31st: January met; next due at February's end, 29th.
        let vs2 = [vs[0].clone(), visit("H1", d(2024, 1, 31), Mode::Phone)];
        let l = one(hh("H1", Residency::Away), &vs2, d(2024, 1, 31), &o);
        let i = &l.items[0];
        assert_eq!(
            (i.period.start, i.deadline),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!((i.contacts_needed, i.contacts_made), (1, 0));
        assert_eq!(i.last_contact, Some(d(2024, 1, 31)));
        assert_eq!(i.light, SignalLight::Green);
        // Nothing in December either: December ended unmet, red.
        let l = one(hh("H1", Residency::Away), &[], d(2024, 1, 5), &o);
        assert_eq!(l.items[0].missed_period.unwrap().start, d(2023, 12, 1));
        assert_eq!(l.items[0].light, SignalLight::Red);
        assert_eq!(l.households[0].reasons[0].kind, DueReasonKind::Overdue);
    }

    #[test]
    fn february_29_half_month() {
        let o = DueOptions::new();
        let first_half = [visit("H1", d(2024, 2, 2), Mode::InPerson)];
        let l = one(
            hh("H1", Residency::Resident),
            &first_half,
            d(2024, 2, 29),
            &o,
        );
        let i = &l.items[0];
        assert_eq!(
            (i.period.start, i.deadline, i.days_left),
            (d(2024, 2, 16), d(2024, 2, 29), 0)
        );
        assert_eq!(i.light, SignalLight::Yellow);
        let both = [
            first_half[0].clone(),
            visit("H1", d(2024, 2, 29), Mode::InPerson),
        ];
        let l = one(hh("H1", Residency::Resident), &both, d(2024, 2, 29), &o);
        assert_eq!(
            (l.items[0].period.start, l.items[0].deadline),
            (d(2024, 3, 1), d(2024, 3, 15))
        );
        // A common year: the second half of February ends on the 28th.
        let l = one(hh("H1", Residency::Resident), &[], d(2023, 2, 20), &o);
        assert_eq!(l.items[0].deadline, d(2023, 2, 28));
        assert_eq!(l.items[0].missed_period.unwrap().end(), d(2023, 2, 15));
    }

    #[test]
    fn registered_mid_month() {
        let o = DueOptions::new();
        let mut h = hh("H1", Residency::Resident);
        h.registered_on = Some(d(2024, 3, 10));
        // Registered on the 10th: the half month of 1 to 15 March is not
        // required; the first requirement is 16 to 31 March. A visit on the
        // 11th is its last contact but not for that period.
        let vs = [visit("H1", d(2024, 3, 11), Mode::InPerson)];
        let l = one(h.clone(), &vs, d(2024, 3, 12), &o);
        let i = &l.items[0];
        assert_eq!(
            (i.period.start, i.deadline, i.contacts_made),
            (d(2024, 3, 16), d(2024, 3, 31), 0)
        );
        assert_eq!(
            (i.light, i.last_contact),
            (SignalLight::Green, Some(d(2024, 3, 11)))
        );
        // On the 20th with nothing since: the unrequired first half makes no red.
        let l = one(h.clone(), &[], d(2024, 3, 20), &o);
        assert_eq!(l.items[0].light, SignalLight::Green);
        // On 5 April: 16 to 31 March was required and ended unmet.
        let l = one(h.clone(), &[], d(2024, 4, 5), &o);
        assert_eq!(l.items[0].light, SignalLight::Red);
        // Registered after today: not listed.
        let l = one(h, &[], d(2024, 3, 9), &o);
        assert!(l.items.is_empty() && l.households.is_empty());
    }

    #[test]
    fn reassignment_mid_period_hands_over_on_the_day() {
        let hs = [hh("H1", Residency::Resident)];
        let asg = [
            Assignment {
                to: Some(d(2024, 3, 10)),
                ..assign(&hs[0], "A")
            },
            Assignment::new(hs[0].id.clone(), cadre("B"), d(2024, 3, 10)),
        ];
        let book = DueBook::new(&hs, &asg, &[]);
        let o = DueOptions::new();
        let on = |c: &str, day| {
            book.due_list(&cadre(c), d(2024, 3, day), &o)
                .households
                .len()
        };
        assert_eq!((on("A", 9), on("B", 9)), (1, 0));
        assert_eq!(
            (on("A", 10), on("B", 10)),
            (0, 1),
            "handover day: the new cadre"
        );
        assert_eq!((on("A", 11), on("B", 11)), (0, 1));
        // The household's light is its own: overdue on B's list too.
        let l = book.due_list(&cadre("B"), d(2024, 3, 10), &o);
        assert_eq!(l.households[0].light, SignalLight::Red);
        assert_eq!(book.cadres(), vec!["A", "B"]);
    }

    #[test]
    fn phone_does_not_count_for_a_resident_household() {
        let o = DueOptions::new();
        let vs = [
            visit("H1", d(2024, 2, 20), Mode::InPerson),
            visit("H1", d(2024, 3, 5), Mode::Phone),
        ];
        let l = one(hh("H1", Residency::Resident), &vs, d(2024, 3, 12), &o);
        let i = &l.items[0];
        assert_eq!((i.contacts_needed, i.contacts_made), (1, 0));
        assert_eq!(
            i.last_contact,
            Some(d(2024, 2, 20)),
            "the phone call is not a qualifying contact"
        );
        assert_eq!((i.light, i.days_left), (SignalLight::Yellow, 3));
        // For an away household the same call meets March.
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 3, 12), &o);
        assert_eq!(l.items[0].period.start, d(2024, 4, 1));
    }

    #[test]
    fn two_contacts_a_period_and_future_visits() {
        let p = Policy::new("twice")
            .rule(CadenceRule::new("twice", Selector::new(), PeriodKind::Month).min_contacts(2));
        let o = DueOptions::new().policy(p);
        let vs = [
            visit("H1", d(2024, 5, 1), Mode::InPerson),
            visit("H1", d(2024, 4, 3), Mode::InPerson),
            visit("H1", d(2024, 5, 20), Mode::InPerson), // after today: ignored
        ];
        let l = one(hh("H1", Residency::Away), &vs, d(2024, 5, 10), &o);
        let i = &l.items[0];
        assert_eq!((i.contacts_needed, i.contacts_made), (1, 1));
        assert_eq!(i.light, SignalLight::Red, "April had one contact of two");
        assert_eq!(i.last_contact, Some(d(2024, 5, 1)));
    }

    #[test]
    fn order_is_overdue_then_deadline_then_id() {
        let hs = [
            hh("H3", Residency::Resident),
            hh("H1", Residency::Away),
            hh("H2", Residency::Resident),
            hh("H4", Residency::Resident).with_tag(crate::household::Tag::Hardship),
        ];
        let asg: Vec<Assignment> = hs.iter().map(|h| assign(h, "C1")).collect();
        let vs = [
            visit("H1", d(2024, 5, 3), Mode::Phone),
            visit("H2", d(2024, 4, 20), Mode::InPerson),
            visit("H3", d(2024, 4, 20), Mode::InPerson),
            visit("H4", d(2024, 4, 20), Mode::InPerson),
            visit("H4", d(2024, 5, 2), Mode::InPerson),
        ];
        let today = d(2024, 5, 6);
        let l = DueBook::new(&hs, &asg, &vs).due_list(&cadre("C1"), today, &DueOptions::new());
        let ids: Vec<&str> = l.items.iter().map(|i| i.household_id.as_str()).collect();
        // H2, H3: 16 to 30 April met, due 15 May (green). H4: May's first
        // half met, due 31 May. H1 away: May met, due 30 June.
        assert_eq!(ids, vec!["H2", "H3", "H4", "H1"]);
        let l = DueBook::new(&hs, &asg, &vs[..1]).due_list(&cadre("C1"), today, &DueOptions::new());
        let ids: Vec<&str> = l
            .households
            .iter()
            .map(|h| h.household_id.as_str())
            .collect();
        assert_eq!(ids, vec!["H2", "H3", "H4", "H1"]);
        assert_eq!(l.count(SignalLight::Red), 3);
        assert_eq!(l.count(SignalLight::Green), 1);
    }

    #[test]
    fn an_overdue_request_turns_the_light_red() {
        let hs = [hh("H1", Residency::Away)];
        let asg = [assign(&hs[0], "C1")];
        let vs = [visit("H1", d(2024, 5, 3), Mode::Phone)];
        let p = CasePolicy::default();
        let at = d(2024, 5, 6).and_hms_opt(10, 0, 0).unwrap();
        let mut log = RequestLog::new(RequestId::new("R1").unwrap());
        log.append(
            at,
            RequestEvent::Raised {
                household: hs[0].id.clone(),
                cadre: cadre("C1"),
                category: Category::Insurance,
                kind: RequestKind::Request,
                channel: Channel::Phone,
                summary: "pension insurance".into(),
            },
        )
        .unwrap();
        log.append(at, p.triage_default(Category::Insurance, at))
            .unwrap();
        let logs = [log];
        let o = DueOptions::new();
        let plain = DueBook::new(&hs, &asg, &vs);
        let l = plain.due_list(&cadre("C1"), d(2024, 5, 7), &o);
        assert_eq!(l.households[0].light, SignalLight::Green, "no logs passed");
        let book = DueBook::new(&hs, &asg, &vs).with_requests(&logs);
        // 7 May, 00:00: the proxy deadline (7 May 10:00) is still ahead: yellow.
        let l = book.due_list(&cadre("C1"), d(2024, 5, 7), &o);
        assert_eq!(l.households[0].light, SignalLight::Yellow);
        assert_eq!(l.households[0].reasons[0].kind, DueReasonKind::RequestOpen);
        // 8 May: overdue, red; the visit item itself stays green.
        let l = book.due_list(&cadre("C1"), d(2024, 5, 8), &o);
        let s = &l.households[0];
        assert_eq!(s.light, SignalLight::Red);
        assert_eq!(s.reasons[0].kind, DueReasonKind::RequestOverdue);
        assert_eq!(s.reasons[0].request_id.as_ref().unwrap().as_str(), "R1");
        assert_eq!(l.items[0].light, SignalLight::Green);
        assert!(!s.reasons[0].message.zh.is_empty() && !s.reasons[0].message.en.is_empty());
        // The same day at 11:00 is already past the deadline.
        let o11 = o
            .clone()
            .request_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap());
        let l = book.due_list(&cadre("C1"), d(2024, 5, 7), &o11);
        assert_eq!(l.households[0].light, SignalLight::Red);
    }

    #[test]
    fn unknown_and_unruled_households() {
        let hs = [hh("H1", Residency::Resident)];
        let p = Policy::new("away only").rule(CadenceRule::new(
            "away",
            Selector::new().residency(Residency::Away),
            PeriodKind::Month,
        ));
        let asg = [
            assign(&hs[0], "C1"),
            Assignment::new(HouseholdId::new("HX").unwrap(), cadre("C1"), d(2020, 1, 1)),
        ];
        let vs = [visit("HX", d(2024, 1, 1), Mode::InPerson)];
        let book = DueBook::new(&hs, &asg, &vs);
        assert_eq!(book.unknown_visits(), 1);
        let l = book.due_list(&cadre("C1"), d(2024, 1, 2), &DueOptions::new().policy(p));
        assert!(l.items.is_empty());
        assert_eq!(l.households.len(), 1);
        assert_eq!(
            (l.households[0].light, l.households[0].deadline),
            (SignalLight::Green, None)
        );
        assert!(
            book.due_list(&cadre("nobody"), d(2024, 1, 2), &DueOptions::new())
                .households
                .is_empty()
        );
        // Extreme dates do not panic.
        let _ = book.due_list(&cadre("C1"), NaiveDate::MAX, &DueOptions::new());
        let _ = book.due_list(&cadre("C1"), NaiveDate::MIN, &DueOptions::new());
    }

    #[test]
    fn hand_built_messages_match_format() {
        for day in [
            d(2024, 2, 29),
            d(2024, 10, 10),
            d(1010, 10, 20),
            d(105, 11, 30),
            d(1, 1, 1),
            d(9999, 12, 31),
            NaiveDate::MAX,
            NaiveDate::MIN,
        ] {
            let mut s = String::new();
            push_date(&mut s, day);
            assert_eq!(s, day.to_string());
        }
        for n in [0, 7, 10, 65_535, u32::MAX] {
            let mut s = String::new();
            push_u32(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn permute_follows_the_order() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut v, &mut [3, 0, 4, 1, 2]);
        assert_eq!(v, vec!['d', 'a', 'e', 'b', 'c']);
        let mut v: Vec<u32> = vec![];
        permute(&mut v, &mut []);
    }

    #[test]
    fn json_words() {
        assert_eq!(serde_json::to_value(SignalLight::Red).unwrap(), "red");
        assert_eq!(
            serde_json::to_value(DueReasonKind::DueSoon).unwrap(),
            "due_soon"
        );
        assert!(SignalLight::Green < SignalLight::Yellow && SignalLight::Yellow < SignalLight::Red);
        assert_eq!(SignalLight::Red.zh(), "红灯");
    }

    fn ev(h: &str, on: NaiveDate, kind: EventKind) -> HouseholdEvent {
        HouseholdEvent::new(HouseholdId::new(h).unwrap(), on, kind)
    }

    fn grid() -> DueOptions {
        DueOptions::new().policy(presets::grid_one_plus_x())
    }

    #[test]
    fn event_items_open_overdue_met() {
        let hs = [hh("H1", Residency::Resident), hh("H2", Residency::Away)];
        let asg: Vec<Assignment> = hs.iter().map(|h| assign(h, "C1")).collect();
        let events = [
            // Admitted 11 June: in person within 7 days, by 18 June.
            ev("H1", d(2024, 6, 11), EventKind::Hospitalisation),
            // Funeral 30 May: by 2 June; nothing came: red.
            ev("H2", d(2024, 5, 30), EventKind::Funeral),
            // Wedding 1 June, visited in person 3 June: met, no item.
            ev("H1", d(2024, 6, 1), EventKind::Wedding),
            // After today: not yet listed.
            ev("H1", d(2024, 6, 20), EventKind::Wedding),
        ];
        let vs = [
            visit("H1", d(2024, 6, 3), Mode::InPerson),
            // A phone call does not count for the event rules.
            visit("H2", d(2024, 6, 1), Mode::Phone),
        ];
        let book = DueBook::new(&hs, &asg, &vs).with_events(&events);
        let l = book.due_list(&cadre("C1"), d(2024, 6, 13), &grid());
        assert_eq!(l.items.len(), 2, "{:#?}", l.items);
        let red = &l.items[0];
        assert_eq!(
            (
                red.household_id.as_str(),
                red.source,
                red.rule.as_str(),
                red.rule_index
            ),
            ("H2", DueSource::Event, "wedding_or_funeral", 1)
        );
        assert_eq!(
            (red.light, red.deadline, red.days_left, red.contacts_needed),
            (SignalLight::Red, d(2024, 6, 2), 0, 1)
        );
        assert_eq!(
            red.period,
            Period::span(d(2024, 5, 30), d(2024, 6, 2)).unwrap()
        );
        assert_eq!(red.missed_period, Some(red.period));
        assert_eq!(
            red.event,
            Some(DueEvent {
                kind: EventKind::Funeral,
                date: d(2024, 5, 30)
            })
        );
        assert_eq!(l.event_rule_of(red).unwrap().name, "wedding_or_funeral");
        assert!(l.rule_of(red).is_none() && l.round_rule_of(red).is_none());
        let open = &l.items[1];
        assert_eq!(
            (
                open.household_id.as_str(),
                open.rule.as_str(),
                open.deadline,
                open.days_left
            ),
            ("H1", "hospitalisation", d(2024, 6, 18), 5)
        );
        assert_eq!(
            (open.light, open.last_contact),
            (SignalLight::Green, Some(d(2024, 6, 3)))
        );
        let s = l.household(&HouseholdId::new("H2").unwrap()).unwrap();
        assert_eq!(
            (s.light, s.reasons[0].kind),
            (SignalLight::Red, DueReasonKind::Overdue)
        );
        assert_eq!(
            (s.reasons[0].source, s.reasons[0].rule_index),
            (Some(DueSource::Event), Some(1))
        );
        assert!(s.reasons[0].message.zh.contains("丧事 2024-05-30"));
        // Within 3 days of the deadline: yellow.
        let l = book.due_list(&cadre("C1"), d(2024, 6, 15), &grid());
        let i = l
            .items
            .iter()
            .find(|i| i.rule == "hospitalisation")
            .unwrap();
        assert_eq!((i.light, i.days_left), (SignalLight::Yellow, 3));
        // The look-back: 30 days after 2 June is 2 July (still red), gone on 3 July.
        let red_on = |day| {
            book.due_list(&cadre("C1"), day, &grid())
                .items
                .iter()
                .any(|i| i.household_id.as_str() == "H2" && i.light == SignalLight::Red)
        };
        assert!(red_on(d(2024, 7, 2)) && !red_on(d(2024, 7, 3)));
        let short = grid().event_lookback_days(0);
        let l = book.due_list(&cadre("C1"), d(2024, 6, 3), &short);
        assert!(l.items.iter().all(|i| i.rule != "wedding_or_funeral"));
        // A late visit in person clears the red item (compliance still
        // counts the requirement missed).
        let late = [
            vs[0].clone(),
            vs[1].clone(),
            visit("H2", d(2024, 6, 10), Mode::InPerson),
        ];
        let l = DueBook::new(&hs, &asg, &late)
            .with_events(&events)
            .due_list(&cadre("C1"), d(2024, 6, 13), &grid());
        assert!(l.items.iter().all(|i| i.household_id.as_str() != "H2"));
        // Registered after the event: no requirement.
        let mut hs2 = hs.clone();
        hs2[1].registered_on = Some(d(2024, 5, 31));
        let l = DueBook::new(&hs2, &asg, &vs).with_events(&events).due_list(
            &cadre("C1"),
            d(2024, 6, 13),
            &grid(),
        );
        assert!(l.items.iter().all(|i| i.household_id.as_str() != "H2"));
    }

    #[test]
    fn event_items_agree_with_compliance() {
        use crate::calendar::Window;
        use crate::compliance::compliance_of_dataset;
        // Every event of a small data set; the window ends on the list's
        // day: a requirement compliance calls missed with its window ended
        // within the look-back is red on the list, one it calls met is not
        // on the list.
        let mut ds = Dataset::new();
        for (i, r) in [Residency::Resident, Residency::Away, Residency::Resident]
            .iter()
            .enumerate()
        {
            let h = hh(&format!("H{i}"), *r);
            ds.assignments.push(assign(&h, "C1"));
            ds.households.push(h);
        }
        let kinds = [
            EventKind::Hospitalisation,
            EventKind::Wedding,
            EventKind::Funeral,
        ];
        for k in 0..9u32 {
            ds.events.push(ev(
                &format!("H{}", k % 3),
                d(2024, 6, 1 + 2 * k),
                kinds[k as usize % 3].clone(),
            ));
        }
        for (k, m) in [
            (0, Mode::InPerson),
            (4, Mode::Phone),
            (9, Mode::InPerson),
            (14, Mode::InPerson),
        ] {
            ds.visits
                .push(visit(&format!("H{}", k % 3), d(2024, 6, 2 + k), m));
        }
        let today = d(2024, 6, 30);
        let policy = presets::grid_one_plus_x();
        let r = compliance_of_dataset(&ds, &policy, Window::new(d(2024, 6, 1), today).unwrap())
            .unwrap();
        let l = due_list(&ds, &cadre("C1"), today, &DueOptions::new().policy(policy));
        for t in &r.triggered {
            let id = ds.households[t.household as usize].id.as_str();
            let listed = l.items.iter().any(|i| {
                i.household_id.as_str() == id
                    && i.source == DueSource::Event
                    && i.rule_index == usize::from(t.rule)
                    && i.event
                        .as_ref()
                        .is_some_and(|e| e.date == t.event_date && e.kind == t.event_kind)
            });
            // A late in-person contact (after the deadline) clears the
            // red item while compliance keeps the requirement missed.
            let late = ds.visits.iter().any(|v| {
                v.household.as_str() == id
                    && v.mode == Mode::InPerson
                    && v.at.date() > t.due
                    && v.at.date() <= today
            });
            assert_eq!(listed, !t.met && !late, "{t:?}");
        }
    }

    #[test]
    fn round_items() {
        use crate::calendar::{CampaignRound, Window};
        let rounds = vec![
            CampaignRound::new(
                "第一轮",
                Window::new(d(2024, 3, 1), d(2024, 4, 30)).unwrap(),
            ),
            CampaignRound::new(
                "第二轮",
                Window::new(d(2024, 9, 1), d(2024, 10, 31)).unwrap(),
            ),
        ];
        let o = DueOptions::new().policy(presets::visit_all_rounds(rounds));
        let hs = [hh("H1", Residency::Resident), hh("H2", Residency::Away)];
        let asg: Vec<Assignment> = hs.iter().map(|h| assign(h, "C1")).collect();
        let vs = [visit("H2", d(2024, 3, 5), Mode::Phone)];
        let book = DueBook::new(&hs, &asg, &vs);
        let l = book.due_list(&cadre("C1"), d(2024, 4, 28), &o);
        assert_eq!(l.items.len(), 1);
        let i = &l.items[0];
        assert_eq!(
            (
                i.household_id.as_str(),
                i.source,
                i.rule.as_str(),
                i.round.as_deref()
            ),
            ("H1", DueSource::Round, "resident", Some("第一轮"))
        );
        assert_eq!(
            (i.deadline, i.days_left, i.light),
            (d(2024, 4, 30), 2, SignalLight::Yellow)
        );
        assert_eq!(
            i.period,
            Period::span(d(2024, 3, 1), d(2024, 4, 30)).unwrap()
        );
        assert_eq!(l.round_rule_of(i).unwrap().name, "resident");
        assert!(
            l.households[0].reasons[0]
                .message
                .en
                .contains("round 第一轮")
        );
        // After the round: a missed round is not made good; nothing listed,
        // and the next round starts green, not red.
        let l = book.due_list(&cadre("C1"), d(2024, 5, 2), &o);
        assert!(l.items.is_empty());
        let l = book.due_list(&cadre("C1"), d(2024, 9, 1), &o);
        assert_eq!(l.items.len(), 2);
        assert!(l.items.iter().all(|i| i.light == SignalLight::Green));
        // Registered after the round began: not required in it.
        let mut hs2 = hs.clone();
        hs2[0].registered_on = Some(d(2024, 3, 2));
        let l = DueBook::new(&hs2, &asg, &vs).due_list(&cadre("C1"), d(2024, 4, 28), &o);
        assert!(l.items.is_empty());
    }

    #[test]
    fn station_presence_on_the_list() {
        use crate::cadre::{Team, TeamKind};
        use crate::id::TeamId;
        let hs = [hh("H1", Residency::Resident)];
        let asg = [assign(&hs[0], "C1")];
        let teams = [Team {
            id: TeamId::new("WS1").unwrap(),
            kind: TeamKind::WorkStation,
            unit: UnitId::new("V1").unwrap(),
            leader: cadre("C9"),
            deputy: None,
            members: vec![cadre("C1")],
        }];
        // 2024-06-03 is a Monday. Present Tue 28 May (last week), then
        // phone only this week; a visit after today never counts.
        let vs = [
            visit("H1", d(2024, 5, 28), Mode::InPerson),
            visit("H1", d(2024, 6, 4), Mode::Phone),
            visit("H1", d(2024, 6, 9), Mode::AtStation),
        ];
        let book = DueBook::new(&hs, &asg, &vs).with_teams(&teams);
        let o = DueOptions::new().presence(presets::work_station());
        assert!(
            book.due_list(&cadre("C1"), d(2024, 6, 6), &DueOptions::new())
                .presence
                .is_empty()
        );
        let l = book.due_list(&cadre("C1"), d(2024, 6, 6), &o);
        let p = &l.presence[0];
        assert_eq!(p.team_id.as_str(), "WS1");
        assert_eq!((p.week.start, p.week.end()), (d(2024, 6, 3), d(2024, 6, 9)));
        assert_eq!(
            (p.days_this_week, p.days_last_week, p.days_this_year),
            (0, 1, 1)
        );
        assert_eq!((p.min_days_per_week, p.min_days_per_year), (1, 52));
        assert_eq!(p.next_station_day, Some(d(2024, 6, 15)));
        assert_eq!(p.light, SignalLight::Yellow, "Sunday is 3 days away");
        let l = book.due_list(&cadre("C1"), d(2024, 6, 5), &o);
        assert_eq!(
            (l.presence[0].light, l.presence[0].next_station_day),
            (SignalLight::Green, Some(d(2024, 6, 5)))
        );
        // The next Monday: last week had no presence (the 9th is later
        // than... no: the 9th is last week's Sunday and counts).
        let l = book.due_list(&cadre("C1"), d(2024, 6, 10), &o);
        assert_eq!(
            (l.presence[0].days_last_week, l.presence[0].light),
            (1, SignalLight::Green)
        );
        let l = book.due_list(&cadre("C1"), d(2024, 6, 17), &o);
        assert_eq!(
            (l.presence[0].days_last_week, l.presence[0].light),
            (0, SignalLight::Red)
        );
        assert_eq!(l.presence[0].days_this_year, 2);
        // Not a member: no presence.
        assert!(
            book.due_list(&cadre("C2"), d(2024, 6, 6), &o)
                .presence
                .is_empty()
        );
        // Extreme dates do not panic, with presence, events and rounds.
        let events = [
            ev("H1", NaiveDate::MAX, EventKind::Funeral),
            ev("H1", NaiveDate::MIN, EventKind::Hospitalisation),
        ];
        let book = book.with_events(&events);
        let round = crate::calendar::CampaignRound::new(
            "all",
            crate::calendar::Window::new(NaiveDate::MIN, NaiveDate::MAX).unwrap(),
        );
        let mut p = presets::grid_one_plus_x();
        p.round_rules = presets::visit_all_rounds(vec![round]).round_rules;
        let o = o.policy(p);
        for day in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = book.due_list(&cadre("C1"), day, &o);
        }
    }

    #[test]
    fn json_shape_of_new_fields() {
        let l = one(
            hh("H1", Residency::Away),
            &[],
            d(2024, 1, 5),
            &DueOptions::new(),
        );
        let v = serde_json::to_value(&l).unwrap();
        assert_eq!(v["items"][0]["source"], "period");
        assert!(v["items"][0].get("event").is_none() && v["items"][0].get("round").is_none());
        assert!(v.get("event_rules").is_none() && v.get("presence").is_none());
        assert_eq!(v["households"][0]["reasons"][0]["source"], "period");
        let back: DueList = serde_json::from_value(v).unwrap();
        assert_eq!(back, l);
        let mut item = serde_json::to_value(&l.items[0]).unwrap();
        item.as_object_mut().unwrap().remove("source");
        let old: DueItem = serde_json::from_value(item).unwrap();
        assert_eq!(old.source, DueSource::Period);
        let o: DueOptions = serde_json::from_value(serde_json::json!({
            "policy": presets::contact_households(), "yellow_days": 2,
            "case_policy": CasePolicy::default(), "request_time": "00:00:00"
        }))
        .unwrap();
        assert_eq!((o.event_lookback_days, o.presence), (30, None));
    }
}
