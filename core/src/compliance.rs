//! Compliance with a visit policy over a window (走访达标率): for every
//! household, every rule that selects it and every period of that rule, was
//! the cadence met or missed.
//!
//! # How periods are counted
//!
//! - **Whole periods only.** A rule's required periods are the periods of
//!   its kind that lie wholly inside the window (`Window::whole_periods`).
//!   A period sticking out of the window (the ISO week of 2024-12-30 in a
//!   2024 window) is neither required nor met: it cannot be judged on the
//!   window's visits.
//! - **Registration.** A household with `registered_on` (登记日期) counts
//!   for a period when it was registered **on or before the period's first
//!   day**. A household registered on 2024-03-10 is not required to be
//!   visited in the half month of 2024-03-01 to 15, and is from 2024-03-16 on.
//!   A household without a registration date counts for every period.
//! - A period is met when it holds at least `min_contacts` qualifying
//!   contacts (mode in the rule's modes, signed when the rule says so).
//!   Visits are compared by their calendar date as written (China Standard
//!   Time, no conversion): the time of day never matters.
//! - A visit outside the window, or naming a household index the table does
//!   not have, counts for nothing; the report says how many there were.
//!
//! # Event-triggered and campaign-round requirements
//!
//! Besides its period rules a policy may hold event rules
//! ([`crate::cadence::EventRule`], seed 000 part 5: a hospitalisation, a
//! wedding or a funeral triggers a visit, 十必访) and round rules
//! ([`crate::cadence::RoundRule`], seed 004: 遍访). [`compliance_with_events`]
//! judges them too:
//!
//! - An event's requirement runs **from the event's day to `within_days`
//!   days after it, both inclusive** (within 3 days of 2024-02-27: by
//!   2024-03-01; a visit on 2024-03-02 is one day late, and missed). It is
//!   required when both days lie in the window and the household was
//!   registered on or before the event's day.
//! - A round's requirement is the round's dates; the round must lie wholly
//!   in the window and the household be registered by its first day.
//! - Each counts as one required item in the totals, per village and per
//!   cadre, charged to the cadre assigned on its due day (its last day) by
//!   default, or its first day.
//!
//! A work station's presence (seed 003) is judged by [`station_presence`].
//!
//! # Accountability
//!
//! Per-cadre figures ([`ComplianceReport::by_cadre`]) charge each required
//! period to one cadre: by default the cadre assigned to the household on
//! the period's **last day** ([`Accountability::LastDay`]), so a period
//! handed over mid-way belongs to whoever held it when it closed. A period
//! with no assignment on that day is counted as unassigned.
//!
//! # Layout
//!
//! Households are interned once into dense indices ([`HouseholdColumns`]:
//! ID arena, village index, residency, tags, registration day); visits are
//! flat columns ([`VisitColumns`]: household index, day number, mode,
//! signed). The hot loop maps each visit's day to a period index with a
//! per-rule table and sets one bit (or bumps one counter when a rule needs
//! two or more contacts a period). With the `parallel` feature the visits
//! are split across threads whose bit sets are OR-ed together: results are
//! identical with or without it.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assign::Assignment;
use crate::cadence::{CadenceRule, Policy, PresenceRule};
use crate::cadre::Team;
use crate::calendar::{Period, PeriodKind, Window, day_number, from_day_number};
use crate::event::{EventKind, HouseholdEvent};
use crate::household::{Household, Residency, Tag};
use crate::visit::{Mode, Visit};

/// The hasher of the columnar maps: fast, fixed seed, deterministic.
pub type FastHasher = foldhash::fast::FixedState;

fn hasher() -> FastHasher {
    FastHasher::with_seed(0x6d69_6e71_696e_6721)
}

/// Strings stored back to back in one buffer, addressed by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringColumn {
    text: String,
    ends: Vec<usize>,
}

impl StringColumn {
    /// An empty column.
    pub fn new() -> Self {
        StringColumn::default()
    }

    /// Appends `s` and returns its index.
    pub fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(self.text.len());
        (self.ends.len() - 1) as u32
    }

    /// The string at `i` (empty when out of range).
    pub fn get(&self, i: u32) -> &str {
        let i = i as usize;
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..end]
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len() as u32).map(move |i| self.get(i))
    }
}

/// Households interned into dense indices `0..len()`, column by column:
/// the input of [`compliance`]. Build it with [`HouseholdColumns::push`],
/// [`HouseholdColumns::from_households`] or the CSV loader
/// `io::columnar::read_households`.
///
/// ```
/// use minqing::compliance::HouseholdColumns;
/// use minqing::household::Residency;
/// let mut hs = HouseholdColumns::new();
/// let i = hs.push("H1", "V1", Residency::Resident, ["hardship"], None);
/// assert_eq!((i, hs.id(i), hs.village_id(i)), (0, "H1", "V1"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct HouseholdColumns {
    ids: StringColumn,
    village: Vec<u32>,
    villages: StringColumn,
    village_index: HashMap<String, u32, FastHasher>,
    residency: Vec<Residency>,
    tag_names: Vec<Tag>,
    tag_index: HashMap<String, u16, FastHasher>,
    tag_ends: Vec<u32>,
    tag_values: Vec<u16>,
    registered: Vec<i32>,
}

/// The registration day of a household without one.
const NO_REGISTRATION: i32 = i32::MIN;

impl HouseholdColumns {
    /// An empty table.
    pub fn new() -> Self {
        HouseholdColumns {
            village_index: HashMap::with_hasher(hasher()),
            tag_index: HashMap::with_hasher(hasher()),
            ..Default::default()
        }
    }

    /// Appends a household and returns its index. IDs are taken as given:
    /// checking them (and their uniqueness) is the reader's or
    /// `Dataset::validate`'s work. More than 65,535 distinct tags are not
    /// kept (the extra tags are dropped).
    pub fn push<'t>(
        &mut self,
        id: &str,
        village: &str,
        residency: Residency,
        tags: impl IntoIterator<Item = &'t str>,
        registered_on: Option<NaiveDate>,
    ) -> u32 {
        let last = self.village.last().copied();
        let v = match last.filter(|&v| self.villages.get(v) == village) {
            Some(v) => v,
            None => match self.village_index.get(village) {
                Some(&v) => v,
                None => {
                    let v = self.villages.push(village);
                    self.village_index.insert(village.to_string(), v);
                    v
                }
            },
        };
        for t in tags {
            let ti = match self.tag_index.get(t) {
                Some(&ti) => ti,
                None => {
                    let Ok(ti) = u16::try_from(self.tag_names.len()) else {
                        continue;
                    };
                    self.tag_names.push(Tag::parse(t));
                    self.tag_index.insert(t.to_string(), ti);
                    ti
                }
            };
            let from = self.tag_ends.last().copied().unwrap_or(0) as usize;
            if !self.tag_values[from..].contains(&ti) {
                self.tag_values.push(ti);
            }
        }
        self.tag_ends.push(self.tag_values.len() as u32);
        self.village.push(v);
        self.residency.push(residency);
        self.registered
            .push(registered_on.map_or(NO_REGISTRATION, day_number));
        self.ids.push(id)
    }

    /// The table of `households`, in their order (index `i` is
    /// `households[i]`).
    pub fn from_households(households: &[Household]) -> Self {
        let mut t = HouseholdColumns::new();
        for h in households {
            t.push(
                h.id.as_str(),
                h.village.as_str(),
                h.residency,
                h.tags.iter().map(Tag::as_str),
                h.registered_on,
            );
        }
        t
    }

    /// How many households.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there is no household.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ID of household `i`.
    pub fn id(&self, i: u32) -> &str {
        self.ids.get(i)
    }

    /// The IDs, by index.
    pub fn ids(&self) -> &StringColumn {
        &self.ids
    }

    /// The village ID of household `i`.
    pub fn village_id(&self, i: u32) -> &str {
        self.village
            .get(i as usize)
            .map_or("", |&v| self.villages.get(v))
    }

    /// The village index of each household (indices into
    /// [`HouseholdColumns::villages`]).
    pub fn village_indices(&self) -> &[u32] {
        &self.village
    }

    /// The distinct village IDs, in order of first appearance.
    pub fn villages(&self) -> &StringColumn {
        &self.villages
    }

    /// The residency of household `i` (resident when out of range).
    pub fn residency(&self, i: u32) -> Residency {
        self.residency
            .get(i as usize)
            .copied()
            .unwrap_or(Residency::Resident)
    }

    /// The registration date of household `i`, when known.
    pub fn registered_on(&self, i: u32) -> Option<NaiveDate> {
        match self.registered.get(i as usize) {
            Some(&d) if d != NO_REGISTRATION => from_day_number(d),
            _ => None,
        }
    }

    /// The tags of household `i`.
    pub fn tags(&self, i: u32) -> impl Iterator<Item = &Tag> + '_ {
        let i = i as usize;
        let slice = if i < self.tag_ends.len() {
            self.tag_slice(i)
        } else {
            &[]
        };
        slice.iter().map(|&t| &self.tag_names[t as usize])
    }

    fn tag_slice(&self, i: usize) -> &[u16] {
        let end = self.tag_ends[i] as usize;
        let start = if i == 0 {
            0
        } else {
            self.tag_ends[i - 1] as usize
        };
        &self.tag_values[start..end]
    }

    /// The bit mask of the rules of `policy` that select each household
    /// (bit `r` for `policy.rules[r]`; rules past the 64th are ignored).
    pub fn rule_masks(&self, policy: &Policy) -> Vec<u64> {
        let mut masks = vec![0u64; self.len()];
        for (r, rule) in policy.rules.iter().take(MAX_RULES).enumerate() {
            let sel = &rule.selector;
            // Required tags, as indices; a tag no household has selects none.
            let mut need: Vec<u16> = Vec::new();
            let mut impossible = false;
            for t in &sel.tags {
                match self.tag_index.get(t.as_str()) {
                    Some(&ti) => need.push(ti),
                    None => impossible = true,
                }
            }
            // At least one of `any_tags`, as indices; none known selects none.
            let any: Vec<u16> = sel
                .any_tags
                .iter()
                .filter_map(|t| self.tag_index.get(t.as_str()).copied())
                .collect();
            if impossible || (!sel.any_tags.is_empty() && any.is_empty()) {
                continue;
            }
            let contact = self.tag_index.get(Tag::ContactHousehold.as_str()).copied();
            let village_ok: Option<Vec<bool>> = (!sel.villages.is_empty()).then(|| {
                self.villages
                    .iter()
                    .map(|v| sel.villages.iter().any(|s| s.as_str() == v))
                    .collect()
            });
            for (i, m) in masks.iter_mut().enumerate() {
                if sel.residency.is_some_and(|x| x != self.residency[i]) {
                    continue;
                }
                if let Some(ok) = &village_ok
                    && !ok[self.village[i] as usize]
                {
                    continue;
                }
                let tags = self.tag_slice(i);
                if let Some(want) = sel.contact_household {
                    let has = contact.is_some_and(|c| tags.contains(&c));
                    if has != want {
                        continue;
                    }
                }
                if need.iter().all(|t| tags.contains(t))
                    && (any.is_empty() || any.iter().any(|t| tags.contains(t)))
                {
                    *m |= 1 << r;
                }
            }
        }
        masks
    }
}

/// A map from household ID bytes to household index, built for speed.
///
/// IDs shaped like the first one inserted (a fixed prefix and a fixed
/// number of digits, e.g. `H0000001`) are looked up by their number: while
/// they were inserted in numbering order as consecutive indices (the
/// usual case of generated IDs) the index is computed, with no memory
/// read; otherwise they are in a dense table, one array read instead of a
/// hash probe. Other IDs go to
/// hash maps keyed by a `u64` (up to 8 bytes), a `u128` (up to 16) or the
/// boxed bytes. The first of two equal IDs wins.
#[derive(Debug, Clone)]
pub struct HouseholdIndex {
    /// The prefix and the digit count of table-shaped IDs.
    pattern: Option<(Vec<u8>, usize)>,
    /// While `Some((first_number, first_index, count))`: table-shaped IDs
    /// numbered `first_number..first_number + count` are households
    /// `first_index..first_index + count`, and `dense` is empty.
    affine: Option<(usize, u32, usize)>,
    /// Household index by number; `NONE` where there is none.
    dense: Vec<u32>,
    dense_count: usize,
    short: HashMap<u64, u32, FastHasher>,
    mid: HashMap<u128, u32, FastHasher>,
    long: HashMap<Box<[u8]>, u32, FastHasher>,
}

const NONE: u32 = u32::MAX;

#[inline]
fn key8(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(a)
}

#[inline]
fn key16(b: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a[..b.len()].copy_from_slice(b);
    u128::from_le_bytes(a)
}

/// Splits an ID into a prefix and a tail of 1 to 9 digits.
fn digit_tail(id: &[u8]) -> Option<(&[u8], usize)> {
    let digits = id.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    (1..=9)
        .contains(&digits)
        .then(|| (&id[..id.len() - digits], digits))
}

impl Default for HouseholdIndex {
    fn default() -> Self {
        HouseholdIndex {
            pattern: None,
            affine: None,
            dense: Vec::new(),
            dense_count: 0,
            short: HashMap::with_hasher(hasher()),
            mid: HashMap::with_hasher(hasher()),
            long: HashMap::with_hasher(hasher()),
        }
    }
}

impl HouseholdIndex {
    /// The index of every household of `households`.
    pub fn new(households: &HouseholdColumns) -> Self {
        let mut ix = HouseholdIndex::default();
        for (i, id) in households.ids.iter().enumerate() {
            ix.insert(id.as_bytes(), i as u32);
        }
        ix
    }

    /// The number of a table-shaped ID.
    #[inline]
    fn number(&self, id: &[u8]) -> Option<usize> {
        let (prefix, digits) = self.pattern.as_ref()?;
        if id.len() != prefix.len() + digits || !id.starts_with(prefix) {
            return None;
        }
        id[prefix.len()..].iter().try_fold(0usize, |n, &c| {
            let d = c.wrapping_sub(b'0');
            (d < 10).then(|| n * 10 + usize::from(d))
        })
    }

    fn get_hashed(&self, id: &[u8]) -> Option<u32> {
        if id.last() == Some(&0) {
            return self.long.get(id).copied();
        }
        match id.len() {
            0..=8 => self.short.get(&key8(id)).copied(),
            9..=16 => self.mid.get(&key16(id)).copied(),
            _ => self.long.get(id).copied(),
        }
    }

    /// Adds `id` for index `i` unless `id` is already there; returns the
    /// index `id` had before, if any.
    pub fn insert(&mut self, id: &[u8], i: u32) -> Option<u32> {
        if self.pattern.is_none()
            && self.is_empty()
            && let Some((prefix, digits)) = digit_tail(id)
        {
            self.pattern = Some((prefix.to_vec(), digits));
        }
        if let Some(n) = self.number(id) {
            match self.affine {
                None if self.dense_count == 0 && self.get_hashed(id).is_none() => {
                    self.affine = Some((n, i, 1));
                    self.dense_count = 1;
                    return None;
                }
                Some((n0, i0, count)) => {
                    if (n0..n0 + count).contains(&n) {
                        return Some(i0 + (n - n0) as u32);
                    }
                    if n == n0 + count && i64::from(i) == i64::from(i0) + count as i64 {
                        self.affine = Some((n0, i0, count + 1));
                        self.dense_count += 1;
                        return None;
                    }
                    // The numbering is no longer consecutive: fill the table.
                    self.affine = None;
                    self.dense = vec![NONE; n0 + count];
                    for k in 0..count {
                        self.dense[n0 + k] = i0 + k as u32;
                    }
                }
                None => {}
            }
            // Keep the table at most about 4 slots a household.
            let cap = (4 * (self.dense_count + 1)).max(1 << 16);
            if n < self.dense.len() && self.dense[n] != NONE {
                return Some(self.dense[n]);
            }
            if n < self.dense.len() || n < cap {
                if let Some(old) = self.get_hashed(id) {
                    return Some(old);
                }
                if n >= self.dense.len() {
                    let len = (n + 1).max(self.dense.len() * 2).min(cap.max(n + 1));
                    self.dense.resize(len, NONE);
                }
                self.dense[n] = i;
                self.dense_count += 1;
                return None;
            }
        }
        if let Some(old) = self.get(id) {
            return Some(old);
        }
        if id.last() == Some(&0) {
            // Keys are zero-padded: an ID ending in NUL (never a valid
            // ID) goes to the exact map.
            self.long.insert(id.into(), i);
            return None;
        }
        match id.len() {
            0..=8 => self.short.insert(key8(id), i),
            9..=16 => self.mid.insert(key16(id), i),
            _ => self.long.insert(id.into(), i),
        };
        None
    }

    /// The index of household `id`, if it is known.
    #[inline]
    pub fn get(&self, id: &[u8]) -> Option<u32> {
        if let Some(n) = self.number(id) {
            if let Some((n0, i0, count)) = self.affine {
                if n >= n0 && n - n0 < count {
                    return Some(i0 + (n - n0) as u32);
                }
            } else if let Some(&i) = self.dense.get(n)
                && i != NONE
            {
                return Some(i);
            }
        }
        self.get_hashed(id)
    }

    /// How many IDs.
    pub fn len(&self) -> usize {
        self.dense_count + self.short.len() + self.mid.len() + self.long.len()
    }

    /// True when there is no ID.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Visits as flat columns of equal length: household index, day number
/// (`calendar::day_number`), mode, signed.
///
/// ```
/// use minqing::compliance::VisitColumns;
/// use minqing::visit::Mode;
/// use chrono::NaiveDate;
/// let mut v = VisitColumns::new();
/// v.push(0, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), Mode::InPerson, false);
/// assert_eq!(v.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitColumns {
    pub(crate) household: Vec<u32>,
    pub(crate) day: Vec<i32>,
    pub(crate) mode: Vec<Mode>,
    pub(crate) signed: Vec<bool>,
}

/// How many visits of a conversion were left out, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSkips {
    /// Visits whose date is outside the window.
    pub outside_window: u64,
    /// Visits naming a household the table does not have.
    pub unknown_household: u64,
}

impl VisitColumns {
    /// No visits.
    pub fn new() -> Self {
        VisitColumns::default()
    }

    /// Room for `n` visits.
    pub fn with_capacity(n: usize) -> Self {
        VisitColumns {
            household: Vec::with_capacity(n),
            day: Vec::with_capacity(n),
            mode: Vec::with_capacity(n),
            signed: Vec::with_capacity(n),
        }
    }

    /// Appends a visit to household index `household` on `date`.
    pub fn push(&mut self, household: u32, date: NaiveDate, mode: Mode, signed: bool) {
        self.push_day(household, day_number(date), mode, signed);
    }

    /// Appends a visit on day number `day` (`calendar::day_number`).
    #[inline]
    pub fn push_day(&mut self, household: u32, day: i32, mode: Mode, signed: bool) {
        self.household.push(household);
        self.day.push(day);
        self.mode.push(mode);
        self.signed.push(signed);
    }

    /// Appends every visit of `other`.
    pub fn append(&mut self, other: &mut VisitColumns) {
        self.household.append(&mut other.household);
        self.day.append(&mut other.day);
        self.mode.append(&mut other.mode);
        self.signed.append(&mut other.signed);
    }

    /// How many visits.
    pub fn len(&self) -> usize {
        self.household.len()
    }

    /// True when there is no visit.
    pub fn is_empty(&self) -> bool {
        self.household.is_empty()
    }

    /// Visit `i`: household index, date, mode, signed.
    pub fn get(&self, i: usize) -> Option<(u32, NaiveDate, Mode, bool)> {
        Some((
            *self.household.get(i)?,
            from_day_number(*self.day.get(i)?)?,
            *self.mode.get(i)?,
            *self.signed.get(i)?,
        ))
    }

    /// The household-index column.
    pub fn households(&self) -> &[u32] {
        &self.household
    }

    /// The day-number column.
    pub fn days(&self) -> &[i32] {
        &self.day
    }

    /// Visits `visits` of the households of `households` (matched by ID),
    /// keeping those inside `window` (all when `None`), with what was left
    /// out.
    pub fn from_visits(
        households: &HouseholdColumns,
        index: &HouseholdIndex,
        visits: &[Visit],
        window: Option<Window>,
    ) -> (VisitColumns, VisitSkips) {
        let _ = households;
        let mut out = VisitColumns::with_capacity(visits.len());
        let mut skips = VisitSkips::default();
        for v in visits {
            let date = v.at.date();
            if window.is_some_and(|w| !w.contains(date)) {
                skips.outside_window += 1;
                continue;
            }
            match index.get(v.household.as_str().as_bytes()) {
                Some(h) => out.push(h, date, v.mode, v.signed),
                None => skips.unknown_household += 1,
            }
        }
        (out, skips)
    }
}

/// The most rules a policy may have.
pub const MAX_RULES: usize = 64;

/// Why compliance could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplianceError {
    /// The policy has more rules than [`MAX_RULES`].
    #[error("policy has {0} rules; at most 64 are supported / 制度规则超过64条")]
    TooManyRules(usize),
    /// A rule asks for more contacts a period than can be counted.
    #[error("rule `{0}` asks for more than 65535 contacts a period / 规则要求次数过大")]
    MinContactsTooLarge(String),
    /// Per-cadre figures were asked of data read without assignments (a
    /// fast path given households and visits only): without them every
    /// period would look unassigned.
    #[error(
        "per-cadre figures need the assignments; none were given / 未提供包联分工，无法按干部统计"
    )]
    NoAssignments,
}

impl crate::problem::CodedError for ComplianceError {
    fn code(&self) -> crate::problem::Code {
        use crate::problem::Code;
        match self {
            ComplianceError::TooManyRules(_) => Code::ComplianceTooManyRules,
            ComplianceError::MinContactsTooLarge(_) => Code::ComplianceMinContactsTooLarge,
            ComplianceError::NoAssignments => Code::ComplianceNoAssignments,
        }
    }
}

/// How the visits are scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Execution {
    /// On the calling thread.
    Sequential,
    /// Across rayon's threads when the `parallel` feature is on, else
    /// sequential. Results are identical.
    #[default]
    Parallel,
}

#[derive(Debug, Clone)]
struct RulePlan {
    periods: Vec<Period>,
    starts: Vec<i32>,
    /// For each day of the window, its period index; days of periods that
    /// stick out of the window map to `periods.len()`, a slot never read.
    day_to_period: Vec<u32>,
    min: u32,
    /// u64 words a household (bit rules) or counters a household (count
    /// rules).
    stride: usize,
    counting: bool,
}

impl RulePlan {
    fn new(rule: &CadenceRule, window: &Window) -> Self {
        let periods: Vec<Period> = window.whole_periods(rule.period).collect();
        let starts: Vec<i32> = periods.iter().map(|p| day_number(p.start)).collect();
        let n = periods.len() as u32;
        let w0 = day_number(window.start);
        let mut day_to_period = vec![n; window.days() as usize];
        for (pi, p) in periods.iter().enumerate() {
            let a = (day_number(p.start) - w0) as usize;
            let b = (day_number(p.end()) - w0) as usize;
            for slot in &mut day_to_period[a..=b] {
                *slot = pi as u32;
            }
        }
        let counting = rule.min_contacts >= 2;
        let stride = if counting {
            periods.len() + 1
        } else {
            (periods.len() + 1).div_ceil(64)
        };
        RulePlan {
            periods,
            starts,
            day_to_period,
            min: rule.min_contacts,
            stride,
            counting,
        }
    }

    fn first_required(&self, registered: i32) -> usize {
        if registered == NO_REGISTRATION {
            0
        } else {
            self.starts.partition_point(|&s| s < registered)
        }
    }
}

/// Per-rule marks: bits (min 1) or saturating counters (min 2 or more).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Marks {
    Bits(Vec<u64>),
    Counts(Vec<u16>),
}

impl Marks {
    #[cfg(feature = "parallel")]
    fn merge(&mut self, other: &Marks) {
        match (self, other) {
            (Marks::Bits(a), Marks::Bits(b)) => a.iter_mut().zip(b).for_each(|(x, y)| *x |= y),
            (Marks::Counts(a), Marks::Counts(b)) => a
                .iter_mut()
                .zip(b)
                .for_each(|(x, y)| *x = x.saturating_add(*y)),
            _ => {}
        }
    }
}

fn mode_code(mode: Mode, signed: bool) -> usize {
    let m = match mode {
        Mode::InPerson => 0,
        Mode::Phone => 1,
        Mode::Video => 2,
        Mode::AtStation => 3,
    };
    m | (usize::from(signed) << 2)
}

struct Scan<'a> {
    plans: &'a [RulePlan],
    masks: &'a [u64],
    qualify: [u64; 8],
    w0: i32,
    ndays: u32,
    /// When every rule needs one word a household and one contact a
    /// period: the marks are one array, household-major (`h * rules + r`,
    /// a household's words side by side), and `bit_table[off * rules + r]`
    /// is the bit of day `off` for rule `r`.
    flat: bool,
    bit_table: Vec<u64>,
}

impl<'a> Scan<'a> {
    fn new(plans: &'a [RulePlan], masks: &'a [u64], qualify: [u64; 8], window: &Window) -> Self {
        let ndays = window.days();
        let flat = !plans.is_empty() && plans.iter().all(|p| !p.counting && p.stride == 1);
        let bit_table = if flat {
            (0..ndays as usize)
                .flat_map(|off| {
                    plans
                        .iter()
                        .map(move |p| 1u64 << (p.day_to_period[off] & 63))
                })
                .collect()
        } else {
            Vec::new()
        };
        Scan {
            plans,
            masks,
            qualify,
            w0: day_number(window.start),
            ndays,
            flat,
            bit_table,
        }
    }

    /// The per-rule marks of a scan's result.
    fn split_rule_marks(&self, marks: Vec<Marks>) -> Vec<Marks> {
        if !self.flat {
            return marks;
        }
        let rules = self.plans.len();
        let Some(Marks::Bits(flat)) = marks.into_iter().next() else {
            return Vec::new();
        };
        (0..rules)
            .map(|r| Marks::Bits(flat.iter().skip(r).step_by(rules).copied().collect()))
            .collect()
    }

    fn empty_marks(&self) -> Vec<Marks> {
        let n = self.masks.len();
        if self.flat {
            return vec![Marks::Bits(vec![0; n * self.plans.len()])];
        }
        self.plans
            .iter()
            .map(|p| {
                if p.counting {
                    Marks::Counts(vec![0; n * p.stride])
                } else {
                    Marks::Bits(vec![0; n * p.stride])
                }
            })
            .collect()
    }

    /// Marks the period of one visit for the rules in `m`.
    #[inline(always)]
    fn mark(&self, marks: &mut [Marks], single_word: bool, h: usize, off: usize, mut m: u64) {
        if self.flat {
            if let Some(Marks::Bits(bits)) = marks.first_mut() {
                let rules = self.plans.len();
                while m != 0 {
                    let r = m.trailing_zeros() as usize;
                    m &= m - 1;
                    bits[h * rules + r] |= self.bit_table[off * rules + r];
                }
            }
            return;
        }
        while m != 0 {
            let r = m.trailing_zeros() as usize;
            m &= m - 1;
            let plan = &self.plans[r];
            let p = plan.day_to_period[off] as usize;
            match &mut marks[r] {
                Marks::Bits(bits) if single_word => bits[h] |= 1 << p,
                Marks::Bits(bits) => bits[h * plan.stride + (p >> 6)] |= 1 << (p & 63),
                Marks::Counts(c) => {
                    let x = &mut c[h * plan.stride + p];
                    *x = x.saturating_add(1);
                }
            }
        }
    }

    /// Marks visits `lo..hi` one by one, in their order.
    fn run_direct(
        &self,
        v: &VisitColumns,
        lo: usize,
        hi: usize,
        marks: &mut [Marks],
        single_word: bool,
    ) -> (u64, u64) {
        let (mut outside, mut unknown) = (0u64, 0u64);
        let hh = &v.household[lo..hi];
        let days = &v.day[lo..hi];
        let modes = &v.mode[lo..hi];
        let signed = &v.signed[lo..hi];
        for (((&h, &day), &mode), &s) in hh.iter().zip(days).zip(modes).zip(signed) {
            let off = day.wrapping_sub(self.w0) as u32;
            if off >= self.ndays {
                outside += 1;
                continue;
            }
            let Some(&hmask) = self.masks.get(h as usize) else {
                unknown += 1;
                continue;
            };
            let m = hmask & self.qualify[mode_code(mode, s)];
            self.mark(marks, single_word, h as usize, off as usize, m);
        }
        (outside, unknown)
    }

    /// Marks one block's grouped visits (see [`Scan::run`]) when every
    /// rule is one word a household: the block's masks and marks are
    /// sliced once; with up to four rules each rule's word is or-ed with its
    /// day bit or with nothing, without a branch on whether it applies.
    fn mark_block_flat(&self, grouped: &[u32], base: usize, off_bits: u32, marks: &mut [Marks]) {
        let Some(Marks::Bits(bits)) = marks.first_mut() else {
            return;
        };
        match self.plans.len() {
            1 => self.mark_flat::<1>(grouped, base, off_bits, bits),
            2 => self.mark_flat::<2>(grouped, base, off_bits, bits),
            3 => self.mark_flat::<3>(grouped, base, off_bits, bits),
            4 => self.mark_flat::<4>(grouped, base, off_bits, bits),
            rules => {
                for &x in grouped {
                    let h = base + (x >> (off_bits + 3)) as usize;
                    let off = ((x >> 3) & ((1 << off_bits) - 1)) as usize;
                    let Some(&hmask) = self.masks.get(h) else {
                        continue;
                    };
                    let mut m = hmask & self.qualify[(x & 7) as usize];
                    while m != 0 {
                        let r = m.trailing_zeros() as usize;
                        m &= m - 1;
                        if let (Some(w), Some(&bit)) = (
                            bits.get_mut(h * rules + r),
                            self.bit_table.get(off * rules + r),
                        ) {
                            *w |= bit;
                        }
                    }
                }
            }
        }
    }

    /// [`Scan::mark_block_flat`] for `R` rules: a household's `R` words are
    /// one array, and each day's `R` bits are one array.
    fn mark_flat<const R: usize>(
        &self,
        grouped: &[u32],
        base: usize,
        off_bits: u32,
        bits: &mut [u64],
    ) {
        let masks = &self.masks[base.min(self.masks.len())..];
        let from = (base * R).min(bits.len());
        let bits = &mut bits[from..];
        let qualify = self.qualify;
        let off_mask = (1u32 << off_bits) - 1;
        let hshift = off_bits + 3;
        for &x in grouped {
            let h = (x >> hshift) as usize;
            let off = ((x >> 3) & off_mask) as usize;
            let words = bits
                .get_mut(h * R..h * R + R)
                .and_then(|w| <&mut [u64; R]>::try_from(w).ok());
            let day = self
                .bit_table
                .get(off * R..off * R + R)
                .and_then(|d| <&[u64; R]>::try_from(d).ok());
            let (Some(&hmask), Some(w), Some(day)) = (masks.get(h), words, day) else {
                continue;
            };
            let m = hmask & qualify[(x & 7) as usize];
            for r in 0..R {
                w[r] |= day[r] & 0u64.wrapping_sub((m >> r) & 1);
            }
        }
    }

    /// The hot loop: marks the periods of visits `lo..hi`. Returns the
    /// visits outside the window and those with an unknown household.
    ///
    /// With many households the visits are first grouped (up to 8 visits a
    /// household at a time) by blocks of 16,384 households, so that the
    /// marks of a block are touched many times while in the CPU's cache.
    fn run(&self, v: &VisitColumns, lo: usize, hi: usize, marks: &mut [Marks]) -> (u64, u64) {
        const SHIFT_MIN: u32 = 14;
        let n = self.masks.len();
        let single_word = self.plans.iter().all(|p| !p.counting && p.stride == 1);
        let (mut outside, mut unknown) = (0u64, 0u64);
        let hh = &v.household[lo..hi];
        let days = &v.day[lo..hi];
        let modes = &v.mode[lo..hi];
        let signed = &v.signed[lo..hi];
        if n <= 1 << (SHIFT_MIN + 1) || self.ndays > 1 << 24 || hh.len() < 1 << 12 {
            return self.run_direct(v, lo, hi, marks, single_word);
        }
        let bits_n = usize::BITS - (n - 1).leading_zeros();
        let shift = SHIFT_MIN.max(bits_n.saturating_sub(8));
        // A grouped visit is one u32: the household within its block, the
        // day of the window and the mode code. Windows too long for that
        // (centuries at these block sizes) take the direct loop above.
        let off_bits = u32::BITS - (self.ndays.max(2) - 1).leading_zeros();
        if shift + off_bits + 3 > 32 {
            return self.run_direct(v, lo, hi, marks, single_word);
        }
        let nb = ((n - 1) >> shift) + 1;
        // Up to 8 visits a household a pass, so that each block's marks
        // are touched many times while cached (at most 64 MiB scratch).
        let chunk = (8 * n).clamp(1 << 20, 1 << 24);
        let mut scratch = vec![0u32; chunk.min(hh.len())];
        let mut start = vec![0usize; nb + 1];
        let mut cursor = vec![0usize; nb];
        let mut c = 0;
        while c < hh.len() {
            let e = (c + chunk).min(hh.len());
            start.iter_mut().for_each(|x| *x = 0);
            for &h in &hh[c..e] {
                if let Some(x) = start.get_mut((h as usize >> shift) + 1) {
                    *x += 1;
                }
            }
            for b in 0..nb {
                start[b + 1] += start[b];
            }
            cursor.copy_from_slice(&start[..nb]);
            let local = (1u32 << shift) - 1;
            let visits = hh[c..e]
                .iter()
                .zip(&days[c..e])
                .zip(&modes[c..e])
                .zip(&signed[c..e]);
            for (((&h, &day), &mode), &s) in visits {
                let off = day.wrapping_sub(self.w0) as u32;
                if off >= self.ndays {
                    outside += 1;
                    continue;
                }
                if h as usize >= n {
                    unknown += 1;
                    continue;
                }
                let Some(slot) = cursor.get_mut(h as usize >> shift) else {
                    continue;
                };
                let code = mode_code(mode, s) as u32;
                if let Some(x) = scratch.get_mut(*slot) {
                    *x = (h & local) << (off_bits + 3) | off << 3 | code;
                }
                *slot += 1;
            }
            for b in 0..nb {
                let grouped = &scratch[start[b]..cursor[b]];
                let base = b << shift;
                if self.flat {
                    self.mark_block_flat(grouped, base, off_bits, marks);
                } else {
                    for &x in grouped {
                        let h = base + (x >> (off_bits + 3)) as usize;
                        let off = ((x >> 3) & ((1 << off_bits) - 1)) as usize;
                        let m = self.masks[h] & self.qualify[(x & 7) as usize];
                        self.mark(marks, single_word, h, off, m);
                    }
                }
            }
            c = e;
        }
        (outside, unknown)
    }
}

/// Compliance of `policy` over `window`, scanning in parallel when the
/// `parallel` feature is on (see [`compliance_with`]).
///
/// # Errors
/// [`ComplianceError`] when the policy has more than 64 rules or a rule
/// asks for more than 65,535 contacts a period.
///
/// # Example
/// ```
/// use minqing::cadence::presets;
/// use minqing::calendar::Window;
/// use minqing::compliance::{compliance, HouseholdColumns, VisitColumns};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut hs = HouseholdColumns::new();
/// hs.push("H1", "V1", Residency::Resident, [], None);
/// hs.push("H2", "V1", Residency::Away, [], None);
/// let mut vs = VisitColumns::new();
/// vs.push(0, d(1, 3), Mode::InPerson, false); // H1, first half of January
/// vs.push(0, d(1, 20), Mode::Phone, false);   // a phone call: not for a resident
/// vs.push(1, d(2, 29), Mode::Phone, false);   // H2, February
/// let window = Window::new(d(1, 1), d(2, 29)).unwrap();
/// let r = compliance(&hs, &vs, &presets::four_fixed_three_arrivals(), window)?;
/// assert_eq!((r.required, r.met), (4 + 2, 1 + 1));
/// let missed: Vec<_> = r.missed().map(|m| (hs.id(m.household), m.period.start)).collect();
/// assert_eq!(missed[0], ("H1", d(1, 16)));
/// assert_eq!(missed.len(), 4);
/// # Ok::<(), minqing::compliance::ComplianceError>(())
/// ```
pub fn compliance(
    households: &HouseholdColumns,
    visits: &VisitColumns,
    policy: &Policy,
    window: Window,
) -> Result<ComplianceReport, ComplianceError> {
    compliance_with(households, visits, policy, window, Execution::Parallel)
}

/// Compliance of `policy` over `window`, scanned as `exec` says.
///
/// # Errors
/// As [`compliance`].
pub fn compliance_with(
    households: &HouseholdColumns,
    visits: &VisitColumns,
    policy: &Policy,
    window: Window,
    exec: Execution,
) -> Result<ComplianceReport, ComplianceError> {
    compliance_with_events(households, visits, &[], policy, window, exec)
}

/// Compliance of every rule of `policy` over `window`, scanned as `exec`
/// says: the period rules as [`compliance_with`], plus the event-triggered
/// rules over `events` and the campaign-round rules. Their requirements
/// count in the totals, per village and per cadre alongside the periods;
/// each is listed in [`ComplianceReport::triggered`] and
/// [`ComplianceReport::round_visits`].
///
/// An event's requirement runs from the event's day to its due day
/// (`EventRule::due`), both inclusive. It is required when both days lie
/// inside the window and the household was registered on or before the
/// event's day; it is met when at least `min_contacts` qualifying contacts
/// fall on those days. Events naming a household index the table does not
/// have are ignored. A round's requirement is the round's dates; the round
/// must lie wholly inside the window and the household must be registered
/// on or before its first day.
///
/// # Errors
/// As [`compliance`]; also [`ComplianceError::TooManyRules`] past 65,535
/// event or round rules.
///
/// # Example
/// ```
/// use minqing::cadence::presets;
/// use minqing::calendar::Window;
/// use minqing::compliance::{compliance_with_events, Execution, HouseholdColumns, IndexedEvent, VisitColumns};
/// use minqing::event::EventKind;
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let mut hs = HouseholdColumns::new();
/// hs.push("H1", "V1", Residency::Away, [], None);
/// let mut vs = VisitColumns::new();
/// vs.push(0, d(3, 2), Mode::InPerson, false); // one day late for a funeral on 02-27
/// let events = [IndexedEvent { household: 0, date: d(2, 27), kind: EventKind::Funeral }];
/// let policy = presets::grid_one_plus_x();
/// let w = Window::new(d(2, 1), d(3, 31)).unwrap();
/// let r = compliance_with_events(&hs, &vs, &events, &policy, w, Execution::Sequential)?;
/// assert_eq!(r.triggered[0].due, d(3, 1)); // 3 days: 02-28, 02-29, 03-01
/// assert!(!r.triggered[0].met);
/// assert_eq!((r.required, r.met), (1, 0));
/// # Ok::<(), minqing::compliance::ComplianceError>(())
/// ```
pub fn compliance_with_events(
    households: &HouseholdColumns,
    visits: &VisitColumns,
    events: &[IndexedEvent],
    policy: &Policy,
    window: Window,
    exec: Execution,
) -> Result<ComplianceReport, ComplianceError> {
    let spans = policy.event_rules.len().max(policy.round_rules.len());
    if spans > usize::from(u16::MAX) {
        return Err(ComplianceError::TooManyRules(spans));
    }
    if policy.rules.len() > MAX_RULES {
        return Err(ComplianceError::TooManyRules(policy.rules.len()));
    }
    if let Some(r) = policy.rules.iter().find(|r| r.min_contacts > 65_535) {
        return Err(ComplianceError::MinContactsTooLarge(r.name.clone()));
    }
    let plans: Vec<RulePlan> = policy
        .rules
        .iter()
        .map(|r| RulePlan::new(r, &window))
        .collect();
    let masks = households.rule_masks(policy);
    let mut qualify = [0u64; 8];
    for (r, rule) in policy.rules.iter().enumerate() {
        // Rules needing no contact at all are met without looking.
        if rule.min_contacts == 0 {
            continue;
        }
        for &mode in Mode::ALL {
            for signed in [false, true] {
                if rule.qualifies(mode, signed) {
                    qualify[mode_code(mode, signed)] |= 1 << r;
                }
            }
        }
    }
    let scan = Scan::new(&plans, &masks, qualify, &window);
    let n = visits.len();
    let (marks, outside, unknown) = run_scan(&scan, visits, n, exec);
    let marks = scan.split_rule_marks(marks);

    let order = id_order(households);
    let mut report = ComplianceReport {
        policy_name: policy.name.clone(),
        window,
        rules: policy
            .rules
            .iter()
            .zip(&plans)
            .map(|(r, p)| RuleSummary {
                name: r.name.clone(),
                period: r.period,
                periods: p.periods.clone(),
                households: 0,
                required: 0,
                met: 0,
            })
            .collect(),
        required: 0,
        met: 0,
        villages: Vec::new(),
        visits_counted: n as u64 - outside - unknown,
        visits_outside_window: outside,
        visits_unknown_household: unknown,
        events_unknown_household: 0,
        plans,
        masks,
        registered: households.registered.clone(),
        marks,
        order,
        event_rules: Vec::new(),
        round_rules: Vec::new(),
        triggered: Vec::new(),
        round_visits: Vec::new(),
        rounds: Vec::new(),
    };
    report.evaluate_spans(households, visits, events, policy);
    report.total(households);
    Ok(report)
}

fn run_scan(
    scan: &Scan<'_>,
    visits: &VisitColumns,
    n: usize,
    exec: Execution,
) -> (Vec<Marks>, u64, u64) {
    #[cfg(feature = "parallel")]
    if exec == Execution::Parallel && n >= 1 << 16 && rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        let parts = rayon::current_num_threads();
        let step = n.div_ceil(parts);
        let results: Vec<(Vec<Marks>, u64, u64)> = (0..parts)
            .into_par_iter()
            .map(|k| {
                let lo = (k * step).min(n);
                let hi = ((k + 1) * step).min(n);
                let mut marks = scan.empty_marks();
                let (o, u) = scan.run(visits, lo, hi, &mut marks);
                (marks, o, u)
            })
            .collect();
        let mut it = results.into_iter();
        let (mut marks, mut outside, mut unknown) = it.next().unwrap_or_default();
        for (m, o, u) in it {
            for (a, b) in marks.iter_mut().zip(&m) {
                a.merge(b);
            }
            outside += o;
            unknown += u;
        }
        return (marks, outside, unknown);
    }
    let _ = exec;
    let mut marks = scan.empty_marks();
    let (o, u) = scan.run(visits, 0, n, &mut marks);
    (marks, o, u)
}

fn id_order(households: &HouseholdColumns) -> Option<Vec<u32>> {
    let ids = &households.ids;
    let sorted = (1..ids.len() as u32).all(|i| ids.get(i - 1) <= ids.get(i));
    if sorted {
        return None;
    }
    let mut order: Vec<u32> = (0..ids.len() as u32).collect();
    #[cfg(feature = "parallel")]
    {
        use rayon::slice::ParallelSliceMut;
        order.par_sort_by(|&a, &b| ids.get(a).cmp(ids.get(b)));
    }
    #[cfg(not(feature = "parallel"))]
    order.sort_by(|&a, &b| ids.get(a).cmp(ids.get(b)));
    Some(order)
}

/// One rule's figures over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    /// The rule's name.
    pub name: String,
    /// Its period kind.
    pub period: PeriodKind,
    /// Its required periods: the whole periods of the window, in order.
    pub periods: Vec<Period>,
    /// How many households it selects.
    pub households: u64,
    /// Required household-periods.
    pub required: u64,
    /// Met household-periods.
    pub met: u64,
}

/// One village's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageCompliance {
    /// The village ID.
    pub village_id: String,
    /// Required household-periods.
    pub required: u64,
    /// Met household-periods.
    pub met: u64,
}

impl VillageCompliance {
    /// `met / required`, `None` when nothing is required.
    pub fn rate(&self) -> Option<f64> {
        rate(self.met, self.required)
    }
}

/// One unit's figures: a village's own, or the sum over every village
/// below a township, county or grid piece ([`ComplianceReport::by_unit`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCompliance {
    /// The unit.
    pub unit_id: String,
    /// Its kind.
    pub kind: crate::org::UnitKind,
    /// Villages counted (the unit itself when it is a village).
    pub villages: u32,
    /// Required household-periods.
    pub required: u64,
    /// Met household-periods.
    pub met: u64,
}

impl UnitCompliance {
    /// `met / required`, `None` when nothing is required.
    pub fn rate(&self) -> Option<f64> {
        rate(self.met, self.required)
    }
}

impl ComplianceReport {
    /// The per-village figures rolled up the administrative tree: one row
    /// for every unit of `units` that is a village with households in the
    /// report or an ancestor of one (township, county, and a grid piece
    /// or grid a village sits in), sorted by unit ID. A village missing
    /// from `units` is counted for itself only. A cycle in the tree (which
    /// validation reports as `unit.cycle`) stops the walk up instead of
    /// looping.
    ///
    /// # Example
    /// ```
    /// use minqing::prelude::*;
    /// use minqing::calendar::Window;
    /// use minqing::cadence::presets::four_fixed_three_arrivals;
    /// use minqing::compliance::compliance_of_dataset;
    /// use chrono::NaiveDate;
    /// let id = |s: &str| UnitId::new(s).unwrap();
    /// let mut ds = Dataset::new();
    /// ds.units = vec![
    ///     Unit::new(id("C"), UnitKind::County),
    ///     Unit::new(id("T"), UnitKind::Township).with_parent(id("C")),
    ///     Unit::new(id("V1"), UnitKind::Village).with_parent(id("T")),
    ///     Unit::new(id("V2"), UnitKind::Village).with_parent(id("T")),
    /// ];
    /// // two away households: one month each is required
    /// ds.households = vec![
    ///     Household::new(HouseholdId::new("H1")?, id("V1"), Residency::Away),
    ///     Household::new(HouseholdId::new("H2")?, id("V2"), Residency::Away),
    /// ];
    /// let jan = NaiveDate::from_ymd_opt(2024, 1, 9).unwrap().and_hms_opt(10, 0, 0).unwrap();
    /// ds.visits = vec![Visit::new(HouseholdId::new("H2")?, CadreId::new("C1")?, jan, Mode::Phone)];
    /// let window = Window::year(2024).unwrap();
    /// let report = compliance_of_dataset(&ds, &four_fixed_three_arrivals(), window).unwrap();
    /// let rows = report.by_unit(&ds.units);
    /// let t = rows.iter().find(|r| r.unit_id == "T").unwrap();
    /// assert_eq!((t.villages, t.required, t.met), (2, 24, 1));
    /// assert_eq!(rows.iter().find(|r| r.unit_id == "C").unwrap().met, 1);
    /// assert_eq!(rows.len(), 4);
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn by_unit(&self, units: &[crate::org::Unit]) -> Vec<UnitCompliance> {
        use crate::org::UnitKind;
        use std::collections::{BTreeMap, HashSet};
        let by_id: HashMap<&str, &crate::org::Unit> =
            units.iter().map(|u| (u.id.as_str(), u)).collect();
        let mut rows: BTreeMap<String, UnitCompliance> = BTreeMap::new();
        for v in &self.villages {
            let mut add = |id: &str, kind: UnitKind| {
                let row = rows
                    .entry(id.to_string())
                    .or_insert_with(|| UnitCompliance {
                        unit_id: id.to_string(),
                        kind,
                        villages: 0,
                        required: 0,
                        met: 0,
                    });
                row.villages += 1;
                row.required += v.required;
                row.met += v.met;
            };
            let own_kind = by_id
                .get(v.village_id.as_str())
                .map_or(UnitKind::Village, |u| u.kind);
            add(&v.village_id, own_kind);
            let mut seen: HashSet<&str> = HashSet::from([v.village_id.as_str()]);
            let mut cur = by_id.get(v.village_id.as_str()).copied();
            while let Some(parent) = cur
                .and_then(|u| u.parent.as_ref())
                .and_then(|p| by_id.get(p.as_str()).copied())
            {
                if !seen.insert(parent.id.as_str()) {
                    break;
                }
                add(parent.id.as_str(), parent.kind);
                cur = Some(parent);
            }
        }
        rows.into_values().collect()
    }
}

/// `met / required` as an IEEE-754 double; `None` when `required` is 0.
pub fn rate(met: u64, required: u64) -> Option<f64> {
    (required > 0).then(|| met as f64 / required as f64)
}

/// One household's figures under one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRow {
    /// The household index.
    pub household: u32,
    /// The rule index in the policy.
    pub rule: u16,
    /// Required periods.
    pub required: u32,
    /// Met periods.
    pub met: u32,
}

/// One missed period (未达标): household, rule, period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missed {
    /// The household index.
    pub household: u32,
    /// The rule index in the policy.
    pub rule: u16,
    /// The period's index among the rule's periods.
    pub period_index: u32,
    /// The period.
    pub period: Period,
}

/// Who a period is charged to in per-cadre figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accountability {
    /// The cadre assigned on the period's last day (default).
    #[default]
    LastDay,
    /// The cadre assigned on the period's first day.
    FirstDay,
}

/// One cadre's figures (`cadre_id` empty: periods with no cadre assigned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadreCompliance {
    /// The cadre ID, or empty for unassigned periods.
    pub cadre_id: String,
    /// Required household-periods charged to the cadre.
    pub required: u64,
    /// Met household-periods charged to the cadre.
    pub met: u64,
}

/// The result of [`compliance`]: totals, per-rule and per-village figures,
/// and per-household rows and the missed list, computed lazily from the
/// marks it keeps.
#[derive(Debug, Clone)]
pub struct ComplianceReport {
    /// The policy's name.
    pub policy_name: String,
    /// The window.
    pub window: Window,
    /// Per rule, in policy order.
    pub rules: Vec<RuleSummary>,
    /// Required household-periods, all rules.
    pub required: u64,
    /// Met household-periods, all rules.
    pub met: u64,
    /// Per village, sorted by village ID; villages with nothing required
    /// included.
    pub villages: Vec<VillageCompliance>,
    /// Visits that were in the window and named a known household.
    pub visits_counted: u64,
    /// Visits outside the window.
    pub visits_outside_window: u64,
    /// Visits naming a household index the table does not have.
    pub visits_unknown_household: u64,
    /// Household events naming a household the table does not have (not
    /// judged; `Dataset::validate` reports them as
    /// `event.unknown_household`).
    pub events_unknown_household: u64,
    plans: Vec<RulePlan>,
    masks: Vec<u64>,
    registered: Vec<i32>,
    marks: Vec<Marks>,
    order: Option<Vec<u32>>,
    /// Per event-triggered rule, in policy order.
    pub event_rules: Vec<SpanRuleSummary>,
    /// Per campaign-round rule, in policy order.
    pub round_rules: Vec<SpanRuleSummary>,
    /// Every event-triggered requirement, met or missed, in household-ID
    /// order, then event day, then rule.
    pub triggered: Vec<TriggeredVisit>,
    /// Every campaign-round requirement, met or missed, in household-ID
    /// order, then rule, then round.
    pub round_visits: Vec<RoundVisit>,
    /// Coverage of every round of every round rule (遍访覆盖), in policy
    /// then round order.
    pub rounds: Vec<RoundCoverage>,
}

impl ComplianceReport {
    /// `met / required`; `None` when nothing is required.
    pub fn rate(&self) -> Option<f64> {
        rate(self.met, self.required)
    }

    /// How many households the report covers.
    pub fn household_count(&self) -> usize {
        self.masks.len()
    }

    /// True when period `p` of rule `r` is met for household `h`
    /// (whether or not it is required).
    fn period_met(&self, h: usize, r: usize, p: usize) -> bool {
        let plan = &self.plans[r];
        if plan.min == 0 {
            return true;
        }
        match &self.marks[r] {
            Marks::Bits(b) => b[h * plan.stride + (p >> 6)] >> (p & 63) & 1 == 1,
            Marks::Counts(c) => u32::from(c[h * plan.stride + p]) >= plan.min,
        }
    }

    fn row(&self, h: usize, r: usize) -> (u32, u32) {
        let plan = &self.plans[r];
        let first = plan.first_required(self.registered[h]);
        let np = plan.periods.len();
        if first >= np {
            return (0, 0);
        }
        let required = (np - first) as u32;
        if plan.min == 0 {
            return (required, required);
        }
        let met = match &self.marks[r] {
            Marks::Bits(b) => {
                let words = &b[h * plan.stride..(h + 1) * plan.stride];
                let mut met = 0u32;
                for (wi, &w) in words.iter().enumerate() {
                    let lo = wi * 64;
                    let mut keep = w;
                    // Only bits first..np count.
                    if first > lo {
                        keep &= if first - lo >= 64 {
                            0
                        } else {
                            !0u64 << (first - lo)
                        };
                    }
                    if np < lo + 64 {
                        keep &= if np <= lo { 0 } else { (1u64 << (np - lo)) - 1 };
                    }
                    met += keep.count_ones();
                }
                met
            }
            Marks::Counts(c) => c[h * plan.stride + first..h * plan.stride + np]
                .iter()
                .filter(|&&x| u32::from(x) >= plan.min)
                .count() as u32,
        };
        (required, met)
    }

    fn total(&mut self, households: &HouseholdColumns) {
        let nv = households.villages.len();
        let mut vreq = vec![0u64; nv];
        let mut vmet = vec![0u64; nv];
        let mut rules: Vec<(u64, u64, u64)> = vec![(0, 0, 0); self.plans.len()];
        for h in 0..self.masks.len() {
            let mut m = self.masks[h];
            while m != 0 {
                let r = m.trailing_zeros() as usize;
                m &= m - 1;
                let (req, met) = self.row(h, r);
                let v = households.village[h] as usize;
                vreq[v] += u64::from(req);
                vmet[v] += u64::from(met);
                rules[r].0 += 1;
                rules[r].1 += u64::from(req);
                rules[r].2 += u64::from(met);
            }
        }
        for (s, (n, req, met)) in self.rules.iter_mut().zip(rules) {
            s.households = n;
            s.required = req;
            s.met = met;
        }
        let spans = self
            .triggered
            .iter()
            .map(|t| (t.household, t.met))
            .chain(self.round_visits.iter().map(|r| (r.household, r.met)));
        for (h, met) in spans {
            if let Some(&v) = households.village.get(h as usize) {
                vreq[v as usize] += 1;
                vmet[v as usize] += u64::from(met);
            }
        }
        let all = self
            .rules
            .iter()
            .map(|r| (r.required, r.met))
            .chain(self.event_rules.iter().map(|r| (r.required, r.met)))
            .chain(self.round_rules.iter().map(|r| (r.required, r.met)));
        (self.required, self.met) = all.fold((0, 0), |(a, b), (r, m)| (a + r, b + m));
        let mut villages: Vec<VillageCompliance> = (0..nv)
            .map(|v| VillageCompliance {
                village_id: households.villages.get(v as u32).to_string(),
                required: vreq[v],
                met: vmet[v],
            })
            .collect();
        villages.sort_by(|a, b| a.village_id.cmp(&b.village_id));
        self.villages = villages;
    }

    /// Household indices in household-ID order.
    pub fn household_order(&self) -> impl Iterator<Item = u32> + '_ {
        let n = self.masks.len() as u32;
        let (sorted, plain) = match &self.order {
            Some(o) => (Some(o.iter().copied()), None),
            None => (None, Some(0..n)),
        };
        sorted
            .into_iter()
            .flatten()
            .chain(plain.into_iter().flatten())
    }

    /// Per household and rule selecting it: required and met periods, in
    /// household-index order, computed as the iterator goes.
    pub fn household_rows(&self) -> impl Iterator<Item = HouseholdRow> + '_ {
        (0..self.masks.len()).flat_map(move |h| {
            let mut m = self.masks[h];
            std::iter::from_fn(move || {
                if m == 0 {
                    return None;
                }
                let r = m.trailing_zeros() as usize;
                m &= m - 1;
                let (required, met) = self.row(h, r);
                Some(HouseholdRow {
                    household: h as u32,
                    rule: r as u16,
                    required,
                    met,
                })
            })
        })
    }

    /// The missed periods of household `h`, by period start, then rule.
    pub fn missed_of(&self, h: u32) -> impl Iterator<Item = Missed> + '_ {
        let hu = h as usize;
        let mask = self.masks.get(hu).copied().unwrap_or(0);
        let mut cursor = [0u32; MAX_RULES];
        let mut live = mask;
        let mut m = mask;
        while m != 0 {
            let r = m.trailing_zeros() as usize;
            m &= m - 1;
            cursor[r] = self.plans[r].first_required(self.registered[hu]) as u32;
        }
        std::iter::from_fn(move || {
            // Advance every live rule's cursor to its next missed period,
            // then take the earliest.
            let mut best: Option<(i32, usize)> = None;
            let mut m = live;
            while m != 0 {
                let r = m.trailing_zeros() as usize;
                m &= m - 1;
                let plan = &self.plans[r];
                let mut p = cursor[r] as usize;
                while p < plan.periods.len() && self.period_met(hu, r, p) {
                    p += 1;
                }
                cursor[r] = p as u32;
                if p >= plan.periods.len() {
                    live &= !(1 << r);
                    continue;
                }
                let s = plan.starts[p];
                if best.is_none_or(|(bs, _)| s < bs) {
                    best = Some((s, r));
                }
            }
            let (_, r) = best?;
            let p = cursor[r] as usize;
            cursor[r] += 1;
            Some(Missed {
                household: h,
                rule: r as u16,
                period_index: p as u32,
                period: self.plans[r].periods[p],
            })
        })
    }

    /// Every missed period of the period rules, in household-ID order then
    /// period start (then rule); with period rules only, its length is
    /// `required - met` (missed event and round requirements are
    /// [`ComplianceReport::missed_triggered`] and
    /// [`ComplianceReport::missed_rounds`]).
    pub fn missed(&self) -> impl Iterator<Item = Missed> + '_ {
        self.household_order().flat_map(move |h| self.missed_of(h))
    }

    /// Per-cadre figures: each required period of each household is
    /// charged to the cadre its assignment names on the day `rule` says
    /// (by default the period's last day). Sorted by cadre ID; periods
    /// with no assignment that day come first, with an empty `cadre_id`
    /// (left out when there are none).
    pub fn by_cadre(
        &self,
        households: &HouseholdColumns,
        assignments: &[Assignment],
        rule: Accountability,
    ) -> Vec<CadreCompliance> {
        let index = HouseholdIndex::new(households);
        let mut spans: Vec<Vec<&Assignment>> = vec![Vec::new(); self.masks.len()];
        for a in assignments {
            if let Some(h) = index.get(a.household.as_str().as_bytes())
                && let Some(list) = spans.get_mut(h as usize)
            {
                list.push(a);
            }
        }
        let mut totals: HashMap<&str, (u64, u64), FastHasher> = HashMap::with_hasher(hasher());
        let spans_by_household = &spans;
        for (h, list) in spans.iter().enumerate() {
            let mut m = self.masks[h];
            while m != 0 {
                let r = m.trailing_zeros() as usize;
                m &= m - 1;
                let plan = &self.plans[r];
                let first = plan.first_required(self.registered[h]);
                for p in first..plan.periods.len() {
                    let period = plan.periods[p];
                    let day = match rule {
                        Accountability::LastDay => period.end(),
                        Accountability::FirstDay => period.start,
                    };
                    let cadre = Assignment::holding(list.iter().copied(), day)
                        .map_or("", |a| a.cadre.as_str());
                    let e = totals.entry(cadre).or_default();
                    e.0 += 1;
                    e.1 += u64::from(self.period_met(h, r, p));
                }
            }
        }
        let spans = self
            .triggered
            .iter()
            .map(|t| (t.household, t.event_date, t.due, t.met))
            .chain(
                self.round_visits
                    .iter()
                    .map(|r| (r.household, r.start, r.end, r.met)),
            );
        for (h, first, last, met) in spans {
            let day = match rule {
                Accountability::LastDay => last,
                Accountability::FirstDay => first,
            };
            let cadre = Assignment::holding(spans_of(spans_by_household, h).iter().copied(), day)
                .map_or("", |a| a.cadre.as_str());
            let e = totals.entry(cadre).or_default();
            e.0 += 1;
            e.1 += u64::from(met);
        }
        let mut out: Vec<CadreCompliance> = totals
            .into_iter()
            .map(|(c, (required, met))| CadreCompliance {
                cadre_id: c.to_string(),
                required,
                met,
            })
            .collect();
        out.sort_by(|a, b| a.cadre_id.cmp(&b.cadre_id));
        out
    }
}

fn spans_of<'a>(spans: &'a [Vec<&'a Assignment>], h: u32) -> &'a [&'a Assignment] {
    spans.get(h as usize).map_or(&[], Vec::as_slice)
}

/// A household event with its household as an index of a
/// [`HouseholdColumns`] (see [`events_to_columns`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexedEvent {
    /// The household index.
    pub household: u32,
    /// The event's day.
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

/// The events of `events` whose household `index` knows, as
/// [`IndexedEvent`]s, and how many named an unknown household.
pub fn events_to_columns(
    index: &HouseholdIndex,
    events: &[HouseholdEvent],
) -> (Vec<IndexedEvent>, u64) {
    let mut unknown = 0;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        match index.get(e.household.as_str().as_bytes()) {
            Some(h) => out.push(IndexedEvent {
                household: h,
                date: e.date,
                kind: e.kind.clone(),
            }),
            None => unknown += 1,
        }
    }
    (out, unknown)
}

/// One event-triggered or round rule's figures over the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanRuleSummary {
    /// The rule's name.
    pub name: String,
    /// Required household-events (or household-rounds).
    pub required: u64,
    /// Met ones.
    pub met: u64,
}

/// One requirement an event triggered: met or missed, with its due day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggeredVisit {
    /// The household index.
    pub household: u32,
    /// The event rule's index in `Policy::event_rules`.
    pub rule: u16,
    /// The event's kind.
    pub event_kind: EventKind,
    /// The event's day: the first day a contact counts.
    pub event_date: NaiveDate,
    /// The last day a contact counts.
    pub due: NaiveDate,
    /// Whether enough qualifying contacts fell on those days.
    pub met: bool,
    /// The day of the contact that met it (the `min_contacts`-th
    /// qualifying contact in date order), when met by contacts.
    pub met_on: Option<NaiveDate>,
}

/// One household's requirement in one campaign round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundVisit {
    /// The household index.
    pub household: u32,
    /// The round rule's index in `Policy::round_rules`.
    pub rule: u16,
    /// The round's index among the rule's rounds.
    pub round: u32,
    /// The round's first day.
    pub start: NaiveDate,
    /// The round's last day.
    pub end: NaiveDate,
    /// Whether enough qualifying contacts fell in the round.
    pub met: bool,
    /// The day of the contact that met it, when met by contacts.
    pub met_on: Option<NaiveDate>,
}

/// Coverage of one campaign round (遍访覆盖率, seed 004: all 12,800 resident
/// households visited): households visited out of those selected, in all
/// and per village.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundCoverage {
    /// The round rule's index in `Policy::round_rules`.
    pub rule: u16,
    /// The round's name.
    pub round: String,
    /// The round's dates.
    pub window: Window,
    /// Households required in the round.
    pub selected: u64,
    /// Those visited as the rule asks.
    pub visited: u64,
    /// Per village (`required`: selected, `met`: visited), sorted by
    /// village ID; villages with no selected household left out.
    pub villages: Vec<VillageCompliance>,
}

impl RoundCoverage {
    /// `visited / selected`; `None` when nobody is selected.
    pub fn rate(&self) -> Option<f64> {
        rate(self.visited, self.selected)
    }
}

/// One required period of one household under one rule, met or missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodOutcome {
    /// The household index.
    pub household: u32,
    /// The rule index in the policy.
    pub rule: u16,
    /// The period's index among the rule's periods.
    pub period_index: u32,
    /// The period.
    pub period: Period,
    /// Whether it was met.
    pub met: bool,
}

/// Selected, visited, and (selected, visited) per village index.
type RoundTally = (u64, u64, Vec<(u64, u64)>);

/// A span requirement while it is worked out.
struct SpanReq {
    household: u32,
    event: Option<(u16, EventKind)>,
    round: Option<(u16, u32)>,
    start: i32,
    end: i32,
}

impl ComplianceReport {
    /// Works out the event and round requirements of `policy`.
    fn evaluate_spans(
        &mut self,
        households: &HouseholdColumns,
        visits: &VisitColumns,
        events: &[IndexedEvent],
        policy: &Policy,
    ) {
        self.event_rules = policy
            .event_rules
            .iter()
            .map(|r| SpanRuleSummary {
                name: r.name.clone(),
                required: 0,
                met: 0,
            })
            .collect();
        self.round_rules = policy
            .round_rules
            .iter()
            .map(|r| SpanRuleSummary {
                name: r.name.clone(),
                required: 0,
                met: 0,
            })
            .collect();
        if policy.event_rules.is_empty() && policy.round_rules.is_empty() {
            return;
        }
        let n = households.len();
        let w = self.window;
        let selects = |sel: &crate::cadence::Selector, h: u32| {
            sel.selects_parts(
                households.village_id(h),
                households.residency(h),
                |t: &Tag| households.tags(h).any(|x| x == t),
            )
        };
        let registered_by = |h: u32, day: i32| {
            let r = self.registered[h as usize];
            r == NO_REGISTRATION || r <= day
        };
        let mut reqs: Vec<SpanReq> = Vec::new();
        for e in events {
            if e.household as usize >= n {
                continue;
            }
            for (r, rule) in policy.event_rules.iter().enumerate() {
                if !rule.triggered_by(&e.kind) || !selects(&rule.selector, e.household) {
                    continue;
                }
                let Some(due) = rule.due(e.date) else {
                    continue;
                };
                let start = day_number(e.date);
                if w.contains(e.date) && w.contains(due) && registered_by(e.household, start) {
                    reqs.push(SpanReq {
                        household: e.household,
                        event: Some((r as u16, e.kind.clone())),
                        round: None,
                        start,
                        end: day_number(due),
                    });
                }
            }
        }
        for (r, rule) in policy.round_rules.iter().enumerate() {
            let chosen: Vec<u32> = (0..n as u32)
                .filter(|&h| selects(&rule.selector, h))
                .collect();
            for (k, round) in rule.rounds.iter().enumerate() {
                let (a, b) = (round.window.start, round.window.end);
                if !(w.contains(a) && w.contains(b)) {
                    continue;
                }
                let (start, end) = (day_number(a), day_number(b));
                for &h in &chosen {
                    if registered_by(h, start) {
                        reqs.push(SpanReq {
                            household: h,
                            event: None,
                            round: Some((r as u16, k as u32)),
                            start,
                            end,
                        });
                    }
                }
            }
        }
        // The qualifying contacts of the households concerned, by day.
        let mut offsets = vec![0usize; n + 1];
        let mut wanted = vec![false; n];
        for q in &reqs {
            wanted[q.household as usize] = true;
        }
        let (w0, w1) = (day_number(w.start), day_number(w.end));
        let keep = |i: usize| {
            let h = visits.household[i] as usize;
            let d = visits.day[i];
            h < n && wanted[h] && (w0..=w1).contains(&d)
        };
        for i in 0..visits.len() {
            if keep(i) {
                offsets[visits.household[i] as usize + 1] += 1;
            }
        }
        for h in 0..n {
            offsets[h + 1] += offsets[h];
        }
        let mut fill = offsets.clone();
        let mut by_day: Vec<(i32, u8)> = vec![(0, 0); offsets[n]];
        for i in 0..visits.len() {
            if keep(i) {
                let h = visits.household[i] as usize;
                by_day[fill[h]] = (
                    visits.day[i],
                    mode_code(visits.mode[i], visits.signed[i]) as u8,
                );
                fill[h] += 1;
            }
        }
        for h in 0..n {
            by_day[offsets[h]..offsets[h + 1]].sort_unstable();
        }
        let qualify = |modes: &std::collections::BTreeSet<Mode>, signed_only: bool| {
            let mut q = [false; 8];
            for &m in Mode::ALL {
                for s in [false, true] {
                    q[mode_code(m, s)] = modes.contains(&m) && (s || !signed_only);
                }
            }
            q
        };
        let event_q: Vec<[bool; 8]> = policy
            .event_rules
            .iter()
            .map(|r| qualify(&r.modes, r.signed_only))
            .collect();
        let round_q: Vec<[bool; 8]> = policy
            .round_rules
            .iter()
            .map(|r| qualify(&r.modes, r.signed_only))
            .collect();
        let rank: Vec<u32> = match &self.order {
            Some(o) => {
                let mut rank = vec![0u32; n];
                for (i, &h) in o.iter().enumerate() {
                    rank[h as usize] = i as u32;
                }
                rank
            }
            None => (0..n as u32).collect(),
        };
        // Household-ID order; events by day, rule, kind; then rounds by
        // rule and round. Equal requirements are identical records, so the
        // order of the input never shows.
        let key = |q: &SpanReq| {
            (
                rank[q.household as usize],
                q.round.is_some(),
                q.round.map_or(q.start, |(r, _)| i32::from(r)),
                q.round
                    .map_or(q.event.as_ref().map_or(0, |e| e.0), |(_, k)| k as u16),
            )
        };
        reqs.sort_by(|a, b| {
            key(a).cmp(&key(b)).then_with(|| {
                let kind = |q: &SpanReq| q.event.as_ref().map(|e| e.1.clone());
                kind(a).cmp(&kind(b))
            })
        });
        let mut rounds_cov: Vec<Vec<RoundTally>> = policy
            .round_rules
            .iter()
            .map(|r| vec![(0, 0, vec![(0, 0); households.villages.len()]); r.rounds.len()])
            .collect();
        for q in reqs {
            let h = q.household as usize;
            let (q8, min) = match (&q.event, q.round) {
                (Some((r, _)), _) => (
                    &event_q[*r as usize],
                    policy.event_rules[*r as usize].min_contacts,
                ),
                (None, Some((r, _))) => (
                    &round_q[r as usize],
                    policy.round_rules[r as usize].min_contacts,
                ),
                (None, None) => continue,
            };
            let list = &by_day[offsets[h]..offsets[h + 1]];
            let from = list.partition_point(|&(d, _)| d < q.start);
            let mut count = 0u32;
            let mut met_on = None;
            if min > 0 {
                for &(d, code) in &list[from..] {
                    if d > q.end {
                        break;
                    }
                    if q8[code as usize] {
                        count += 1;
                        if count == min {
                            met_on = from_day_number(d);
                            break;
                        }
                    }
                }
            }
            let met = min == 0 || count >= min;
            let (start, end) = (
                from_day_number(q.start).unwrap_or(w.start),
                from_day_number(q.end).unwrap_or(w.end),
            );
            match (q.event, q.round) {
                (Some((r, kind)), _) => {
                    let s = &mut self.event_rules[r as usize];
                    s.required += 1;
                    s.met += u64::from(met);
                    self.triggered.push(TriggeredVisit {
                        household: q.household,
                        rule: r,
                        event_kind: kind,
                        event_date: start,
                        due: end,
                        met,
                        met_on,
                    });
                }
                (None, Some((r, k))) => {
                    let s = &mut self.round_rules[r as usize];
                    s.required += 1;
                    s.met += u64::from(met);
                    let c = &mut rounds_cov[r as usize][k as usize];
                    c.0 += 1;
                    c.1 += u64::from(met);
                    let v = households.village[h] as usize;
                    c.2[v].0 += 1;
                    c.2[v].1 += u64::from(met);
                    self.round_visits.push(RoundVisit {
                        household: q.household,
                        rule: r,
                        round: k,
                        start,
                        end,
                        met,
                        met_on,
                    });
                }
                (None, None) => {}
            }
        }
        for (r, rule) in policy.round_rules.iter().enumerate() {
            for (k, round) in rule.rounds.iter().enumerate() {
                let (selected, visited, per) = &rounds_cov[r][k];
                let mut villages: Vec<VillageCompliance> = per
                    .iter()
                    .enumerate()
                    .filter(|(_, (req, _))| *req > 0)
                    .map(|(v, &(required, met))| VillageCompliance {
                        village_id: households.villages.get(v as u32).to_string(),
                        required,
                        met,
                    })
                    .collect();
                villages.sort_by(|a, b| a.village_id.cmp(&b.village_id));
                self.rounds.push(RoundCoverage {
                    rule: r as u16,
                    round: round.name.clone(),
                    window: round.window,
                    selected: *selected,
                    visited: *visited,
                    villages,
                });
            }
        }
    }

    /// The missed event-triggered requirements, in the order of
    /// [`ComplianceReport::triggered`].
    pub fn missed_triggered(&self) -> impl Iterator<Item = &TriggeredVisit> + '_ {
        self.triggered.iter().filter(|t| !t.met)
    }

    /// The missed campaign-round requirements, in the order of
    /// [`ComplianceReport::round_visits`].
    pub fn missed_rounds(&self) -> impl Iterator<Item = &RoundVisit> + '_ {
        self.round_visits.iter().filter(|r| !r.met)
    }

    /// Every required period of the period rules, met or missed, in
    /// household-ID order, then rule, then period.
    pub fn period_outcomes(&self) -> impl Iterator<Item = PeriodOutcome> + '_ {
        self.household_order().flat_map(move |h| {
            let hu = h as usize;
            let mask = self.masks[hu];
            (0..self.plans.len())
                .filter(move |&r| mask >> r & 1 == 1)
                .flat_map(move |r| {
                    let plan = &self.plans[r];
                    (plan.first_required(self.registered[hu])..plan.periods.len()).map(move |p| {
                        PeriodOutcome {
                            household: h,
                            rule: r as u16,
                            period_index: p as u32,
                            period: plan.periods[p],
                            met: self.period_met(hu, r, p),
                        }
                    })
                })
        })
    }
}

/// The presence of one work station over a window (see [`PresenceRule`]
/// for what counts as a day of presence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceReport {
    /// The team's ID.
    pub team_id: String,
    /// The unit it serves.
    pub unit_id: String,
    /// The days of presence inside the window, ascending.
    pub days: Vec<NaiveDate>,
    /// Each short period (week) wholly inside the window.
    pub weeks: Vec<PresencePeriod>,
    /// Each long period (year) wholly inside the window.
    pub years: Vec<PresencePeriod>,
    /// Each station day (逢五) inside the window: held or not.
    pub station_days: Vec<StationDayHeld>,
}

/// Days of presence in one period and whether they were enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresencePeriod {
    /// The period.
    pub period: Period,
    /// Days of presence in it.
    pub days: u32,
    /// Whether `days` reaches the rule's minimum.
    pub met: bool,
}

/// Whether a station day was held (a day of presence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationDayHeld {
    /// The station day.
    pub date: NaiveDate,
    /// Whether it was a day of presence.
    pub held: bool,
}

impl PresenceReport {
    /// Weeks met, weeks judged.
    pub fn weeks_met(&self) -> (usize, usize) {
        (
            self.weeks.iter().filter(|p| p.met).count(),
            self.weeks.len(),
        )
    }
}

/// The presence of work station `team` in its village over `window` (驻村
///工作站 每周至少下村1天，全年不少于52天, and 逢五 station days, seed 003),
/// from the `visits` of its cadres to `households` of its unit. Meant for
/// a team of kind `WorkStation`; any team is counted the same way.
/// Visits naming an unknown household are ignored.
///
/// # Example
/// ```
/// use minqing::cadence::presets;
/// use minqing::calendar::Window;
/// use minqing::compliance::station_presence;
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2024, m, day).unwrap();
/// let team = Team {
///     id: TeamId::new("WS1")?, kind: TeamKind::WorkStation, unit: UnitId::new("V1")?,
///     leader: CadreId::new("C1")?, deputy: None, members: vec![],
/// };
/// let hs = [Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident)];
/// let at = |m, day| d(m, day).and_hms_opt(10, 0, 0).unwrap();
/// let visits = [
///     Visit::new(HouseholdId::new("H1")?, CadreId::new("C1")?, at(3, 5), Mode::AtStation),
///     Visit::new(HouseholdId::new("H1")?, CadreId::new("C1")?, at(3, 12), Mode::Phone),
/// ];
/// let w = Window::new(d(3, 4), d(3, 17)).unwrap(); // two ISO weeks
/// let r = station_presence(&team, &hs, &visits, w, &presets::work_station());
/// assert_eq!(r.days, vec![d(3, 5)]);
/// assert_eq!(r.weeks_met(), (1, 2)); // a phone call is no presence
/// assert!(r.station_days[0].held && !r.station_days[1].held);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn station_presence(
    team: &Team,
    households: &[Household],
    visits: &[Visit],
    window: Window,
    rule: &PresenceRule,
) -> PresenceReport {
    let cadres: std::collections::BTreeSet<&str> =
        team.cadres().into_iter().map(|c| c.as_str()).collect();
    let local: std::collections::HashSet<&str> = households
        .iter()
        .filter(|h| h.village == team.unit)
        .map(|h| h.id.as_str())
        .collect();
    let mut days: Vec<NaiveDate> = visits
        .iter()
        .filter(|v| {
            rule.modes.contains(&v.mode)
                && cadres.contains(v.cadre.as_str())
                && local.contains(v.household.as_str())
                && window.contains(v.at.date())
        })
        .map(|v| v.at.date())
        .collect();
    days.sort_unstable();
    days.dedup();
    let count = |p: &Period| {
        let a = days.partition_point(|&d| d < p.start);
        let b = days.partition_point(|&d| d <= p.end());
        (b - a) as u32
    };
    let judge = |kind: PeriodKind, min: u32| -> Vec<PresencePeriod> {
        window
            .whole_periods(kind)
            .map(|period| {
                let n = count(&period);
                PresencePeriod {
                    period,
                    days: n,
                    met: n >= min,
                }
            })
            .collect()
    };
    let weeks = judge(rule.week, rule.min_days_per_week);
    let years = judge(rule.year, rule.min_days_per_year);
    let station_days = rule
        .station_days
        .dates_in(&window)
        .into_iter()
        .map(|date| StationDayHeld {
            date,
            held: days.binary_search(&date).is_ok(),
        })
        .collect();
    PresenceReport {
        team_id: team.id.as_str().to_string(),
        unit_id: team.unit.as_str().to_string(),
        days,
        weeks,
        years,
        station_days,
    }
}

/// Compliance of `policy` over `window` for a whole data set: households,
/// visits and household events are interned first (visits of unknown
/// households and outside the window are counted in the report; events of
/// unknown households are ignored).
///
/// # Errors
/// As [`compliance`].
///
/// # Example
/// ```
/// use minqing::cadence::presets;
/// use minqing::calendar::Window;
/// use minqing::compliance::compliance_of_dataset;
/// use minqing::prelude::*;
/// let mut ds = Dataset::new();
/// ds.households.push(Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Away));
/// let r = compliance_of_dataset(&ds, &presets::four_fixed_three_arrivals(), Window::year(2024).unwrap()).unwrap();
/// assert_eq!((r.required, r.met), (12, 0));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn compliance_of_dataset(
    ds: &crate::dataset::Dataset,
    policy: &Policy,
    window: Window,
) -> Result<ComplianceReport, ComplianceError> {
    let hs = HouseholdColumns::from_households(&ds.households);
    let index = HouseholdIndex::new(&hs);
    let (vs, skips) = VisitColumns::from_visits(&hs, &index, &ds.visits, Some(window));
    let (events, unknown_events) = events_to_columns(&index, &ds.events);
    let mut r = compliance_with_events(&hs, &vs, &events, policy, window, Execution::Parallel)?;
    r.visits_outside_window += skips.outside_window;
    r.visits_unknown_household += skips.unknown_household;
    r.events_unknown_household += unknown_events;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::{CadenceRule, Selector, presets};
    use crate::id::{CadreId, HouseholdId};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    #[test]
    fn a_period_ending_on_a_handover_day_is_the_new_cadres() {
        // H1 passes from A to B on 02-29, the last day of February: both
        // assignments cover that day, and B's (started last) answers for
        // the month, as on the due lists; whatever order they are listed in
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V1", Residency::Away, [], None);
        let vs = VisitColumns::new();
        let w = Window::new(d(2, 1), d(2, 29)).unwrap();
        let r = compliance(&hs, &vs, &presets::four_fixed_three_arrivals(), w).unwrap();
        let h = HouseholdId::new("H1").unwrap();
        let mut old = Assignment::new(h.clone(), CadreId::new("A").unwrap(), d(1, 1));
        old.to = Some(d(2, 29));
        let new = Assignment::new(h, CadreId::new("B").unwrap(), d(2, 29));
        for asg in [[old.clone(), new.clone()], [new, old]] {
            let by = r.by_cadre(&hs, &asg, Accountability::LastDay);
            let ids: Vec<&str> = by.iter().map(|c| c.cadre_id.as_str()).collect();
            assert_eq!(ids, ["B"]);
            let first = r.by_cadre(&hs, &asg, Accountability::FirstDay);
            assert_eq!(first[0].cadre_id, "A");
        }
    }

    #[test]
    fn registration_counts_from_the_next_whole_period() {
        let mut hs = HouseholdColumns::new();
        hs.push("H2", "V1", Residency::Resident, [], Some(d(3, 10)));
        hs.push("H1", "V2", Residency::Resident, [], Some(d(3, 16)));
        let mut vs = VisitColumns::new();
        vs.push(0, d(3, 16), Mode::InPerson, false);
        vs.push(1, d(3, 31), Mode::InPerson, false);
        let w = Window::new(d(3, 1), d(4, 15)).unwrap();
        let r = compliance(&hs, &vs, &presets::four_fixed_three_arrivals(), w).unwrap();
        // Both count from 2024-03-16: two periods each, one met each.
        assert_eq!((r.required, r.met), (4, 2));
        let missed: Vec<(&str, NaiveDate)> = r
            .missed()
            .map(|m| (hs.id(m.household), m.period.start))
            .collect();
        assert_eq!(missed, vec![("H1", d(4, 1)), ("H2", d(4, 1))]);
        assert_eq!(r.villages[0].village_id, "V1");
    }

    #[test]
    fn counting_rules_and_multi_rule_merge() {
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V1", Residency::Resident, ["contact_household"], None);
        let policy = presets::four_fixed_three_arrivals().rule(
            CadenceRule::new(
                "twice_monthly",
                Selector::new().contact_household(true),
                PeriodKind::Month,
            )
            .min_contacts(2),
        );
        let mut vs = VisitColumns::new();
        vs.push(0, d(1, 2), Mode::InPerson, false);
        vs.push(0, d(1, 20), Mode::Phone, true);
        let w = Window::new(d(1, 1), d(2, 29)).unwrap();
        for exec in [Execution::Sequential, Execution::Parallel] {
            let r = compliance_with(&hs, &vs, &policy, w, exec).unwrap();
            assert_eq!((r.required, r.met), (4 + 2, 1 + 1));
            let missed: Vec<(u16, NaiveDate)> =
                r.missed().map(|m| (m.rule, m.period.start)).collect();
            assert_eq!(
                missed,
                vec![(0, d(1, 16)), (0, d(2, 1)), (2, d(2, 1)), (0, d(2, 16))]
            );
            let rows: Vec<HouseholdRow> = r.household_rows().collect();
            assert_eq!(rows.len(), 2);
            assert_eq!((rows[1].required, rows[1].met), (2, 1));
        }
    }

    /// The cache-blocked scan against the direct one, visit by visit, for
    /// a flat policy (one word a household a rule), a counting rule and a
    /// rule of more than 64 periods, with unknown households and visits
    /// outside the window.
    #[test]
    fn blocked_scan_marks_what_the_direct_scan_marks() {
        let n = 40_000u32;
        let mut hs = HouseholdColumns::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |k: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % k
        };
        for i in 0..n {
            let r = if next(2) == 0 {
                Residency::Resident
            } else {
                Residency::Away
            };
            let tags: &[&str] = if next(3) == 0 {
                &["contact_household"]
            } else {
                &[]
            };
            hs.push(&format!("H{i:06}"), "V1", r, tags.iter().copied(), None);
        }
        let mut vs = VisitColumns::new();
        for _ in 0..200_000 {
            let mode = Mode::ALL[next(4) as usize];
            let day = d(1, 1) + chrono::Days::new(next(800));
            vs.push(next(u64::from(n) + 50) as u32, day, mode, next(2) == 0);
        }
        let year = Window::new(d(1, 1), d(12, 31)).unwrap();
        // 105 ISO weeks: two words a household.
        let two_years =
            Window::new(d(1, 1), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()).unwrap();
        let weekly_twice =
            CadenceRule::new("weekly_twice", Selector::new(), PeriodKind::IsoWeek).min_contacts(2);
        let policies = [
            (presets::four_fixed_three_arrivals(), year),
            (
                presets::four_fixed_three_arrivals().rule(weekly_twice),
                year,
            ),
            (presets::contact_households(), two_years),
        ];
        for (policy, w) in &policies {
            let w = *w;
            let plans: Vec<RulePlan> = policy.rules.iter().map(|r| RulePlan::new(r, &w)).collect();
            let masks = hs.rule_masks(policy);
            let mut qualify = [0u64; 8];
            for (r, rule) in policy.rules.iter().enumerate() {
                for &mode in Mode::ALL {
                    for signed in [false, true] {
                        if rule.qualifies(mode, signed) {
                            qualify[mode_code(mode, signed)] |= 1 << r;
                        }
                    }
                }
            }
            let scan = Scan::new(&plans, &masks, qualify, &w);
            let single_word = plans.iter().all(|p| !p.counting && p.stride == 1);
            let mut blocked = scan.empty_marks();
            let a = scan.run(&vs, 0, vs.len(), &mut blocked);
            let mut direct = scan.empty_marks();
            let b = scan.run_direct(&vs, 0, vs.len(), &mut direct, single_word);
            assert_eq!(a, b, "{}", policy.name);
            assert!(a.0 > 0 && a.1 > 0);
            assert_eq!(blocked, direct, "{}", policy.name);
        }
    }

    #[test]
    fn cadre_accountability_last_day() {
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V1", Residency::Away, [], None);
        let vs = VisitColumns::new();
        let w = Window::new(d(1, 1), d(2, 29)).unwrap();
        let r = compliance(&hs, &vs, &presets::four_fixed_three_arrivals(), w).unwrap();
        let mut a = Assignment::new(
            HouseholdId::new("H1").unwrap(),
            CadreId::new("C1").unwrap(),
            d(1, 1),
        );
        a.to = Some(d(1, 30));
        let b = Assignment::new(
            HouseholdId::new("H1").unwrap(),
            CadreId::new("C2").unwrap(),
            d(1, 31),
        );
        let by = r.by_cadre(&hs, &[a.clone(), b.clone()], Accountability::LastDay);
        assert_eq!(by.len(), 1);
        assert_eq!((by[0].cadre_id.as_str(), by[0].required), ("C2", 2));
        let by = r.by_cadre(&hs, &[a, b], Accountability::FirstDay);
        assert_eq!(by.len(), 2);
        let by = r.by_cadre(&hs, &[], Accountability::LastDay);
        assert_eq!((by[0].cadre_id.as_str(), by[0].required), ("", 2));
    }

    #[test]
    fn event_visit_one_day_late_is_missed() {
        use crate::event::EventKind;
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V1", Residency::Resident, [], None);
        hs.push("H2", "V2", Residency::Resident, [], Some(d(2, 10)));
        let mut vs = VisitColumns::new();
        vs.push(0, d(2, 26), Mode::InPerson, false); // before the event: no
        vs.push(0, d(3, 8), Mode::Phone, false); // phone: not for this rule
        vs.push(0, d(3, 8), Mode::InPerson, false); // day 7: on time
        vs.push(1, d(3, 2), Mode::InPerson, false); // day 4 of a 3-day rule
        let events = [
            IndexedEvent {
                household: 0,
                date: d(3, 1),
                kind: EventKind::Hospitalisation,
            },
            IndexedEvent {
                household: 1,
                date: d(2, 27),
                kind: EventKind::Wedding,
            },
            IndexedEvent {
                household: 1,
                date: d(2, 5), // before registration: not required
                kind: EventKind::Funeral,
            },
            IndexedEvent {
                household: 0,
                date: d(3, 30), // due after the window: not judged
                kind: EventKind::Funeral,
            },
        ];
        let policy = presets::grid_one_plus_x();
        let w = Window::new(d(2, 1), d(3, 31)).unwrap();
        let r = compliance_with_events(&hs, &vs, &events, &policy, w, Execution::Parallel).unwrap();
        let got: Vec<(&str, NaiveDate, NaiveDate, bool, Option<NaiveDate>)> = r
            .triggered
            .iter()
            .map(|t| (hs.id(t.household), t.event_date, t.due, t.met, t.met_on))
            .collect();
        assert_eq!(
            got,
            vec![
                ("H1", d(3, 1), d(3, 8), true, Some(d(3, 8))),
                ("H2", d(2, 27), d(3, 1), false, None),
            ]
        );
        assert_eq!((r.required, r.met), (2, 1));
        assert_eq!(r.missed_triggered().count(), 1);
        assert_eq!(r.villages[1].required, 1);
        let a = Assignment::new(
            HouseholdId::new("H2").unwrap(),
            CadreId::new("C9").unwrap(),
            d(1, 1),
        );
        let by = r.by_cadre(&hs, &[a], Accountability::LastDay);
        assert_eq!(by[1].cadre_id, "C9");
        assert_eq!((by[1].required, by[1].met), (1, 0));
    }

    #[test]
    fn rounds_and_any_tags() {
        use crate::calendar::CampaignRound;
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V1", Residency::Resident, ["hardship"], None);
        hs.push("H2", "V1", Residency::Away, ["dispute", "large_farm"], None);
        hs.push("H3", "V2", Residency::Resident, [], Some(d(4, 2)));
        let mut vs = VisitColumns::new();
        vs.push(0, d(3, 3), Mode::InPerson, false);
        vs.push(1, d(4, 20), Mode::Phone, false);
        vs.push(2, d(4, 20), Mode::Phone, false);
        let rounds = vec![
            CampaignRound::new("一", Window::new(d(3, 1), d(3, 31)).unwrap()),
            CampaignRound::new("二", Window::new(d(4, 1), d(4, 30)).unwrap()),
            CampaignRound::new("三", Window::new(d(5, 1), d(7, 31)).unwrap()),
        ];
        let p = presets::visit_all_rounds(rounds);
        let w = Window::new(d(3, 1), d(5, 31)).unwrap();
        let r = compliance(&hs, &vs, &p, w).unwrap();
        // Round 三 sticks out; H3, registered after both rounds began,
        // counts in neither.
        let cov: Vec<(u16, &str, u64, u64)> = r
            .rounds
            .iter()
            .map(|c| (c.rule, c.round.as_str(), c.selected, c.visited))
            .collect();
        assert_eq!(
            cov,
            vec![
                (0, "一", 1, 1),
                (0, "二", 1, 0),
                (0, "三", 0, 0),
                (1, "一", 1, 0),
                (1, "二", 1, 1),
                (1, "三", 0, 0)
            ]
        );
        assert_eq!((r.required, r.met), (4, 2));
        assert_eq!(r.missed_rounds().count(), 2);
        // any_tags: the must-visit rules select H1 (resident) and H2 (away).
        let g = presets::grid_one_plus_x();
        let masks = hs.rule_masks(&g);
        assert_eq!(masks, vec![0b001, 0b010, 0]);
    }

    #[test]
    fn presence_counts_days_not_visits() {
        use crate::cadre::{Team, TeamKind};
        use crate::id::{TeamId, UnitId};
        let id = |s: &str| CadreId::new(s).unwrap();
        let team = Team {
            id: TeamId::new("WS").unwrap(),
            kind: TeamKind::WorkStation,
            unit: UnitId::new("V1").unwrap(),
            leader: id("C1"),
            deputy: None,
            members: vec![id("C2")],
        };
        let h = |s: &str, v: &str| {
            Household::new(
                HouseholdId::new(s).unwrap(),
                UnitId::new(v).unwrap(),
                Residency::Resident,
            )
        };
        let hs = [h("H1", "V1"), h("H2", "V2")];
        let v = |hh: &str, c: &str, m: u32, day: u32, mode: Mode| {
            Visit::new(
                HouseholdId::new(hh).unwrap(),
                id(c),
                d(m, day).and_hms_opt(9, 0, 0).unwrap(),
                mode,
            )
        };
        let visits = [
            v("H1", "C1", 1, 5, Mode::InPerson),
            v("H1", "C2", 1, 5, Mode::AtStation), // same day: one day
            v("H2", "C1", 1, 9, Mode::InPerson),  // another village
            v("H1", "C3", 1, 10, Mode::InPerson), // not of the team
            v("H1", "C2", 1, 16, Mode::Video),    // not presence
            v("H1", "C2", 1, 17, Mode::InPerson),
        ];
        let w = Window::new(d(1, 1), d(1, 21)).unwrap();
        let r = station_presence(
            &team,
            &hs,
            &visits,
            w,
            &crate::cadence::PresenceRule::default(),
        );
        assert_eq!(r.days, vec![d(1, 5), d(1, 17)]);
        // ISO weeks wholly inside: 01-01..07, 08..14, 15..21.
        let weeks: Vec<(u32, bool)> = r.weeks.iter().map(|p| (p.days, p.met)).collect();
        assert_eq!(weeks, vec![(1, true), (0, false), (1, true)]);
        assert!(r.years.is_empty());
        let held: Vec<bool> = r.station_days.iter().map(|s| s.held).collect();
        assert_eq!(held, vec![true, false]);
        let y = station_presence(
            &team,
            &hs,
            &visits,
            Window::year(2024).unwrap(),
            &Default::default(),
        );
        assert_eq!((y.years[0].days, y.years[0].met), (2, false));
        assert_eq!(y.weeks.len(), 52);
    }

    #[test]
    fn index_handles_short_long_and_nul() {
        let mut hs = HouseholdColumns::new();
        hs.push("H1", "V", Residency::Away, [], None);
        hs.push("H0000000001", "V", Residency::Away, [], None);
        hs.push(&"户".repeat(10), "V", Residency::Away, [], None);
        let ix = HouseholdIndex::new(&hs);
        assert_eq!(ix.get(b"H1"), Some(0));
        assert_eq!(ix.get(b"H1\0"), None);
        assert_eq!(ix.get(b"H0000000001"), Some(1));
        assert_eq!(ix.get("户".repeat(10).as_bytes()), Some(2));
        assert_eq!(ix.get(b""), None);
        assert_eq!(ix.len(), 3);
    }

    #[test]
    fn index_numbered_ids_in_and_out_of_order() {
        // Consecutive, then a gap, a repeat, an out-of-order and a far one.
        let ids = [
            "H0007", "H0008", "H0009", "H0012", "H0008", "H0003", "H9999", "X1", "H12",
        ];
        let mut ix = HouseholdIndex::default();
        let mut expect = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let old = ix.insert(id.as_bytes(), i as u32);
            expect.push(old);
        }
        assert_eq!(expect[4], Some(1));
        assert!(
            expect
                .iter()
                .enumerate()
                .all(|(i, o)| i == 4 || o.is_none())
        );
        for (i, id) in ids.iter().enumerate() {
            let want = if i == 4 { 1 } else { i as u32 };
            assert_eq!(ix.get(id.as_bytes()), Some(want), "{id}");
        }
        assert_eq!(ix.get(b"H0010"), None);
        assert_eq!(ix.get(b"H0006"), None);
        assert_eq!(ix.len(), 8);
        let mut seq = HouseholdIndex::default();
        for i in 0..1000u32 {
            assert_eq!(seq.insert(format!("H{:07}", i + 5).as_bytes(), i), None);
        }
        assert_eq!(seq.get(b"H0000005"), Some(0));
        assert_eq!(seq.get(b"H0001004"), Some(999));
        assert_eq!(seq.get(b"H0001005"), None);
        assert_eq!(seq.get(b"H0000004"), None);
    }

    #[test]
    fn unsorted_ids_and_out_of_range_visits() {
        let mut hs = HouseholdColumns::new();
        hs.push("H3", "V2", Residency::Away, [], None);
        hs.push("H10", "V1", Residency::Away, [], None);
        let mut vs = VisitColumns::new();
        vs.push(7, d(1, 1), Mode::Phone, false);
        vs.push(
            0,
            NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
            Mode::Phone,
            false,
        );
        let w = Window::new(d(1, 1), d(1, 31)).unwrap();
        let r = compliance(&hs, &vs, &presets::four_fixed_three_arrivals(), w).unwrap();
        assert_eq!(
            (r.visits_unknown_household, r.visits_outside_window),
            (1, 1)
        );
        let order: Vec<&str> = r.missed().map(|m| hs.id(m.household)).collect();
        assert_eq!(order, vec!["H10", "H3"]);
    }
}
