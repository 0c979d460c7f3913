//! Due lists (走访提醒清单) and the signal light (民情信号灯, seed 000 part
//! 5): for a cadre and a day, every household the cadre covers, what each
//! one still needs under a visit [`Policy`], by when, and a red, yellow or
//! green light with the reasons.
//!
//! # What a due item is
//!
//! For every household the cadre covers on `today` and every rule of the
//! policy that selects it, one [`DueItem`]: the rule's **requirement
//! period** and how many qualifying contacts it still needs.
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
//! # The signal light, exactly
//!
//! Per item ([`DueItem::light`]):
//! - **Red 红灯 (overdue, 逾期)**: the current period is not yet met **and**
//!   the previous period of the same rule was required (the household was
//!   registered by its first day) and ended unmet. Red lasts until a
//!   qualifying contact meets the current period; a period that ended
//!   unmet is never "made up" by a later visit, but the household stops
//!   being overdue once it has been contacted as the current period asks.
//! - **Yellow 黄灯 (due soon, 临期)**: not red, and the requirement's
//!   deadline is at most `yellow_days` days away: `deadline - today <=
//!   yellow_days` (default 3; with 3, a half month ending on the 15th turns
//!   yellow on the 12th; with 0, only on the deadline day itself). A
//!   deadline is never in the past: the requirement period always
//!   contains `today` or lies after it.
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
//! household ID, then by rule order. Households ([`DueList::households`]):
//! red, then yellow, then green, then by earliest deadline (households
//! without a requirement last), then by household ID.
//!
//! # Speed
//!
//! [`DueBook`] indexes the visits by household once (a counting pass and a
//! placing pass over the visits, no per-household scan of all visits) and
//! the assignments by cadre and by household; a list then reads only the
//! cadre's households and their own visits.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::assign::Assignment;
use crate::cadence::{CadenceRule, Policy, presets};
use crate::calendar::{Period, day_number, from_day_number};
use crate::case::{CasePolicy, RequestLight, RequestLog, SignalReasonKind, request_signal};
use crate::compliance::{FastHasher, HouseholdIndex};
use crate::dataset::Dataset;
use crate::household::Household;
use crate::id::{CadreId, HouseholdId, RequestId};
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

/// How a due list is made: the policy, the yellow window and the request
/// settings. Every figure is a default the caller can change.
///
/// ```
/// use minqing::due::DueOptions;
/// use minqing::cadence::presets;
/// let o = DueOptions::new().yellow_days(5).policy(presets::contact_households());
/// assert_eq!(o.yellow_days, 5);
/// assert_eq!(DueOptions::default().yellow_days, 3);
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
}

impl Default for DueOptions {
    fn default() -> Self {
        DueOptions {
            policy: presets::four_fixed_three_arrivals(),
            yellow_days: 3,
            case_policy: CasePolicy::default(),
            request_time: NaiveTime::MIN,
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
}

/// One household's next requirement under one rule (应访事项).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    /// The household.
    pub household_id: HouseholdId,
    /// The rule's name.
    pub rule: String,
    /// The rule's index in the policy; what counts (modes, signature) is
    /// that rule's, see [`DueList::rule_of`].
    pub rule_index: usize,
    /// The requirement period: the current one while it is not met, else
    /// the next one.
    pub period: Period,
    /// The deadline: the requirement period's last day.
    pub deadline: NaiveDate,
    /// `deadline - today` in days (0 on the deadline day).
    pub days_left: u32,
    /// Qualifying contacts still needed in the requirement period.
    pub contacts_needed: u32,
    /// Qualifying contacts already made in the requirement period.
    pub contacts_made: u32,
    /// The previous period, when it was required and ended unmet while the
    /// current one is not met yet (what makes the item red).
    pub missed_period: Option<Period>,
    /// The latest qualifying contact on or before `today`, any period.
    pub last_contact: Option<NaiveDate>,
    /// The item's light (visits only; see the module documentation).
    pub light: SignalLight,
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
    /// A rule's previous period ended unmet and the current one is not met.
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

/// One reason of a [`HouseholdSignal`]. Messages name the household, rule
/// and request IDs and dates only: never a name or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueReason {
    /// What.
    pub kind: DueReasonKind,
    /// The light this reason gives.
    pub light: SignalLight,
    /// The index of the rule concerned in the policy, for visit reasons
    /// (the message names the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
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
    /// Every red and yellow reason, red first (rules in policy order,
    /// then requests).
    pub reasons: Vec<DueReason>,
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
    /// The policy's rules, in order: what counts for each item
    /// (`rules[item.rule_index]`: modes, signature, period, minimum).
    pub rules: Vec<CadenceRule>,
    /// Every item, overdue first, then by deadline, household ID, rule.
    pub items: Vec<DueItem>,
    /// Every covered household, red, yellow, green, then by earliest
    /// deadline, then by ID.
    pub households: Vec<HouseholdSignal>,
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

    /// The rule of `item`: what counts (modes, signature) and how often.
    pub fn rule_of(&self, item: &DueItem) -> Option<&CadenceRule> {
        self.rules.get(item.rule_index)
    }

    /// The signal of household `id`, if it is on the list.
    pub fn household(&self, id: &HouseholdId) -> Option<&HouseholdSignal> {
        self.households.iter().find(|h| &h.household_id == id)
    }
}

/// Households, assignments, visits and (optionally) request logs indexed
/// for due lists: build it once, then ask for any cadre's list on any day.
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
    /// Assignment indices by cadre ID.
    by_cadre: HashMap<&'a str, Vec<u32>, FastHasher>,
    /// Assignment indices by household, CSR: `asg_idx[asg_start[h]..asg_start[h + 1]]`.
    asg_start: Vec<u32>,
    asg_idx: Vec<u32>,
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
        let akeys: Vec<u32> = assignments.iter().map(|a| key(&a.household)).collect();
        let (asg_start, asg_idx) = csr(n, &akeys);
        let mut by_cadre: HashMap<&'a str, Vec<u32>, FastHasher> = new_map();
        for (i, a) in assignments.iter().enumerate() {
            if akeys[i] != none {
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
            by_cadre,
            asg_start,
            asg_idx,
            visit_start,
            visit_day,
            visit_mode,
            visit_signed,
            unknown_visits,
            requests: new_map(),
        }
    }

    /// The book of a whole data set, its request logs included.
    pub fn of_dataset(ds: &'a Dataset) -> Self {
        DueBook::new(&ds.households, &ds.assignments, &ds.visits).with_requests(&ds.cases)
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
        let mut out = Vec::new();
        for &ai in list {
            let a = &self.assignments[ai as usize];
            if !a.covers(today) {
                continue;
            }
            let Some(h) = self.index.get(a.household.as_str().as_bytes()) else {
                continue;
            };
            let (s, e) = (
                self.asg_start[h as usize] as usize,
                self.asg_start[h as usize + 1] as usize,
            );
            let superseded = self.asg_idx[s..e].iter().any(|&bi| {
                let b = &self.assignments[bi as usize];
                bi != ai && b.covers(today) && b.from > a.from
            });
            if !superseded {
                out.push(h);
            }
        }
        out.sort_unstable_by_key(|&h| self.rank[h as usize]);
        out.dedup();
        out
    }

    /// The due item of household `h` under `rule`, if any; `days` holds
    /// the rule's periods around `today`, the same for every household.
    fn item(
        &self,
        h: u32,
        rule: &CadenceRule,
        rule_index: usize,
        days: &RuleDays,
        today: NaiveDate,
        yellow_days: u32,
    ) -> Option<DueItem> {
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
        let (s, e) = (
            self.visit_start[h as usize] as usize,
            self.visit_start[h as usize + 1] as usize,
        );
        let (mut n_cur, mut n_prev, mut last) = (0u32, 0u32, i32::MIN);
        for i in s..e {
            let day = self.visit_day[i];
            if day > t || !rule.qualifies(self.visit_mode[i], self.visit_signed[i]) {
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
        let missed_period = prev.filter(|_| period == cur && n_prev < min);
        let days_left = u32::try_from((deadline - today).num_days()).unwrap_or(u32::MAX);
        let light = if missed_period.is_some() {
            SignalLight::Red
        } else if days_left <= yellow_days {
            SignalLight::Yellow
        } else {
            SignalLight::Green
        };
        Some(DueItem {
            household_id: hh.id.clone(),
            rule: rule.name.clone(),
            rule_index,
            period,
            deadline,
            days_left,
            contacts_needed: min - made,
            contacts_made: made,
            missed_period,
            last_contact: (last != i32::MIN).then(|| from_day_number(last)).flatten(),
            light,
        })
    }

    /// The due list of cadre `cadre` on `today` (see the module
    /// documentation for what is listed, the lights and the order).
    ///
    /// # Example
    /// See [`DueBook`].
    pub fn due_list(&self, cadre: &CadreId, today: NaiveDate, opts: &DueOptions) -> DueList {
        let covered = self.covered(cadre.as_str(), today);
        let mut items = Vec::with_capacity(covered.len() * opts.policy.rules.len().min(4));
        let mut households = Vec::with_capacity(covered.len());
        let now = today.and_time(opts.request_time);
        let days: Vec<RuleDays> = opts
            .policy
            .rules
            .iter()
            .map(|r| RuleDays::new(r, today))
            .collect();
        for h in covered {
            let hh = &self.households[h as usize];
            if hh.registered_on.is_some_and(|r| r > today) {
                continue;
            }
            let first = items.len();
            for (ri, rule) in opts.policy.rules.iter().enumerate() {
                if rule.selector.selects(hh)
                    && let Some(item) = self.item(h, rule, ri, &days[ri], today, opts.yellow_days)
                {
                    items.push(item);
                }
            }
            let mine = &items[first..];
            let mut light = mine
                .iter()
                .map(|i| i.light)
                .max()
                .unwrap_or(SignalLight::Green);
            let mut reasons: Vec<DueReason> = Vec::with_capacity(
                mine.iter()
                    .filter(|i| i.light != SignalLight::Green)
                    .count(),
            );
            reasons.extend(mine.iter().filter_map(visit_reason));
            if let Some(logs) = self.requests.get(&h) {
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
                        request_id: Some(r.request_id),
                        deadline: r.deadline.map(|d| d.date()),
                        message: r.message,
                    }
                }));
            }
            // Red first; stable, so rules stay in policy order before requests.
            reasons.sort_by_key(|r| std::cmp::Reverse(r.light));
            households.push(HouseholdSignal {
                household_id: hh.id.clone(),
                light,
                deadline: mine.iter().map(|i| i.deadline).min(),
                items: mine.len(),
                reasons,
            });
        }
        // In place (no scratch buffer): the household ID and the rule
        // index break the ties.
        items.sort_unstable_by(|a, b| {
            (!a.is_overdue(), a.deadline)
                .cmp(&(!b.is_overdue(), b.deadline))
                .then_with(|| a.household_id.as_str().cmp(b.household_id.as_str()))
                .then(a.rule_index.cmp(&b.rule_index))
        });
        households.sort_unstable_by(|a, b| {
            let key = |h: &HouseholdSignal| {
                (std::cmp::Reverse(h.light), h.deadline.is_none(), h.deadline)
            };
            key(a)
                .cmp(&key(b))
                .then_with(|| a.household_id.as_str().cmp(b.household_id.as_str()))
        });
        DueList {
            cadre_id: cadre.clone(),
            today,
            policy_name: opts.policy.name.clone(),
            rules: opts.policy.rules.clone(),
            items,
            households,
        }
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
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y as u32;
    for n in [
        y / 1000,
        y / 100,
        y / 10,
        y,
        10,
        m / 10,
        m,
        10,
        day / 10,
        day,
    ] {
        s.push(if n == 10 { '-' } else { digit(n) });
    }
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
    for &b in &buf[i..] {
        s.push(char::from(b));
    }
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

/// The reason a red or yellow item gives; none for a green one. Messages
/// are built by hand, not with `format!`: a list of thousands of red
/// households writes thousands of them.
fn visit_reason(i: &DueItem) -> Option<DueReason> {
    use Piece::{D, N, T};
    let (rule, n, d) = (i.rule.as_str(), i.contacts_needed, i.deadline);
    let (kind, message) = match (i.light, i.missed_period) {
        (SignalLight::Red, Some(p)) => (
            DueReasonKind::Overdue,
            Message {
                zh: text(&[
                    T("规则 "),
                    T(rule),
                    T("：上一周期 "),
                    D(p.start),
                    T(" 至 "),
                    D(p.end()),
                    T(" 未达标，本周期还需 "),
                    N(n),
                    T(" 次，截止 "),
                    D(d),
                ]),
                en: text(&[
                    T("rule "),
                    T(rule),
                    T(": the period "),
                    D(p.start),
                    T(" to "),
                    D(p.end()),
                    T(" ended unmet; "),
                    N(n),
                    T(" more contact(s) needed by "),
                    D(d),
                ]),
            },
        ),
        (SignalLight::Yellow, _) => (
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
                    N(i.days_left),
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
                    N(i.days_left),
                    T(" day(s) left)"),
                ]),
            },
        ),
        _ => return None,
    };
    Some(DueReason {
        kind,
        light: i.light,
        rule_index: Some(i.rule_index),
        request_id: None,
        deadline: Some(d),
        message,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Selector;
    use crate::calendar::PeriodKind;
    use crate::case::{Category, Channel, RequestEvent, RequestKind};
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
    fn json_words() {
        assert_eq!(serde_json::to_value(SignalLight::Red).unwrap(), "red");
        assert_eq!(
            serde_json::to_value(DueReasonKind::DueSoon).unwrap(),
            "due_soon"
        );
        assert!(SignalLight::Green < SignalLight::Yellow && SignalLight::Yellow < SignalLight::Red);
        assert_eq!(SignalLight::Red.zh(), "红灯");
    }
}
