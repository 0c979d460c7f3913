//! The data set: every record of a township (or county) in one value, and
//! its validation as a whole.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assign::Assignment;
use crate::cadre::{Cadre, DutySpan, Team, TeamKind};
use crate::case::{RequestEvent, RequestLog};
use crate::event::HouseholdEvent;
use crate::household::Household;
use crate::org::{Unit, UnitKind};
use crate::problem::{Code, Location, Problem, Report};
use crate::visit::Visit;

/// Every record of a township (or a county): units, households, cadres,
/// teams, duty status, assignments and visits. Plain data; call
/// [`Dataset::validate`] to check it as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// The administrative tree and the grid overlay.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// The households.
    #[serde(default)]
    pub households: Vec<Household>,
    /// The cadres.
    #[serde(default)]
    pub cadres: Vec<Cadre>,
    /// Village work teams, work stations and grid teams.
    #[serde(default)]
    pub teams: Vec<Team>,
    /// Duty status over time.
    #[serde(default)]
    pub duty: Vec<DutySpan>,
    /// Who covers which household, over time.
    #[serde(default)]
    pub assignments: Vec<Assignment>,
    /// Visits and contacts.
    #[serde(default)]
    pub visits: Vec<Visit>,
    /// Requests raised by households (诉求), one event log each (see
    /// [`crate::case`]).
    #[serde(default)]
    pub cases: Vec<RequestLog>,
    /// Household events (家庭大事: hospitalisation, wedding, funeral…)
    /// that trigger a visit (seed 000 part 5, see [`crate::event`]).
    #[serde(default)]
    pub events: Vec<HouseholdEvent>,
}

/// Where each record of a [`Dataset`] came from, when it was read from
/// files: `households[i]` came from `households[i]`'s location here. A
/// collection left empty makes validation fall back to JSON paths such as
/// `households[3]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// One location a unit.
    pub units: Vec<Location>,
    /// One location a household.
    pub households: Vec<Location>,
    /// One location a cadre.
    pub cadres: Vec<Location>,
    /// One location a team.
    pub teams: Vec<Location>,
    /// One location a duty span.
    pub duty: Vec<Location>,
    /// One location an assignment.
    pub assignments: Vec<Location>,
    /// One location a visit.
    pub visits: Vec<Location>,
    /// One location a household event.
    pub events: Vec<Location>,
}

/// Options of [`Dataset::validate`].
///
/// ```
/// use minqing::dataset::ValidateOptions;
/// use chrono::NaiveDate;
/// let opts = ValidateOptions::new(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap())
///     .min_station_members(4);
/// assert_eq!(opts.today, NaiveDate::from_ymd_opt(2024, 6, 30).unwrap());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The day of the check: nothing may have happened after it. Passed in,
    /// never read from the clock.
    pub today: NaiveDate,
    /// The fewest members a work station must have (seed 003: at least 3,
    /// ranked first, second, third responsible).
    pub min_station_members: usize,
}

impl ValidateOptions {
    /// Options for a check on `today`, with the seeds' defaults.
    pub fn new(today: NaiveDate) -> Self {
        ValidateOptions {
            today,
            min_station_members: 3,
        }
    }

    /// Sets the fewest members a work station must have.
    pub fn min_station_members(mut self, n: usize) -> Self {
        self.min_station_members = n;
        self
    }
}

struct Ctx<'a> {
    sources: Option<&'a Sources>,
    report: Report,
}

impl Ctx<'_> {
    fn loc(&self, coll: &'static str, i: usize, field: Option<&str>) -> Location {
        let base = self
            .sources
            .and_then(|s| {
                let v = match coll {
                    "units" => &s.units,
                    "households" => &s.households,
                    "cadres" => &s.cadres,
                    "teams" => &s.teams,
                    "duty" => &s.duty,
                    "assignments" => &s.assignments,
                    "events" => &s.events,
                    _ => &s.visits,
                };
                v.get(i).cloned()
            })
            .unwrap_or_else(|| Location::default().at_path(format!("{coll}[{i}]")));
        match field {
            Some(f) if base.field.is_none() => base.with_field(f),
            _ => base,
        }
    }

    fn push(&mut self, code: Code, loc: Location, record: String, zh: String, en: String) {
        let mut loc = loc;
        loc.record = Some(record);
        self.report.push(Problem::new(code, loc, zh, en));
    }
}

impl Dataset {
    /// An empty data set.
    pub fn new() -> Self {
        Dataset::default()
    }

    /// Checks the data set as a whole and returns every problem at once:
    /// duplicate IDs, dangling references, units that do not nest, cycles,
    /// overlapping assignments and duty spans, visits before registration or
    /// after `opts.today`. Problems name records by JSON path
    /// (`visits[12]`); use [`Dataset::validate_with_sources`] to name file
    /// and line instead.
    ///
    /// ```
    /// use minqing::prelude::*;
    /// use chrono::NaiveDate;
    /// let mut ds = Dataset::new();
    /// ds.units.push(Unit::new(UnitId::new("V1")?, UnitKind::Village));
    /// ds.households.push(Household::new(HouseholdId::new("H1")?, UnitId::new("V2")?, Residency::Resident));
    /// let report = ds.validate(&ValidateOptions::new(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()));
    /// assert_eq!(report.codes(), vec![Code::HouseholdUnknownVillage]);
    /// assert_eq!(report.problems[0].location.path.as_deref(), Some("households[0]"));
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn validate(&self, opts: &ValidateOptions) -> Report {
        self.run_validation(opts, None)
    }

    /// As [`Dataset::validate`], locating each problem by `sources` (file
    /// and line of each record, as the CSV readers return them).
    pub fn validate_with_sources(&self, opts: &ValidateOptions, sources: &Sources) -> Report {
        self.run_validation(opts, Some(sources))
    }

    fn run_validation(&self, opts: &ValidateOptions, sources: Option<&Sources>) -> Report {
        let mut cx = Ctx {
            sources,
            report: Report::new(),
        };
        let units = self.check_units(&mut cx);
        let households = self.check_households(&mut cx, &units, opts);
        let cadres = self.check_cadres(&mut cx, &units);
        self.check_teams(&mut cx, &units, &cadres, opts);
        self.check_duty(&mut cx, &cadres);
        self.check_assignments(&mut cx, &households, &cadres, opts);
        self.check_visits(&mut cx, &households, &cadres, opts);
        self.check_cases(&mut cx, &households, &cadres, opts);
        self.check_events(&mut cx, &households, opts);
        self.check_text_lengths(&mut cx);
        cx.report
    }

    /// Free text within [`MAX_TEXT_CHARS`](crate::io::cell::MAX_TEXT_CHARS)
    /// characters, whatever the record came from: the CSV readers refuse an
    /// over-long cell as they read it, the JSON document and Arrow tables
    /// are checked here.
    fn check_text_lengths(&self, cx: &mut Ctx) {
        let mut texts: Vec<(&'static str, usize, &'static str, &str)> = Vec::new();
        for (i, u) in self.units.iter().enumerate() {
            texts.extend(u.name.as_deref().map(|t| ("units", i, "name", t)));
        }
        for (i, h) in self.households.iter().enumerate() {
            texts.extend(h.name.as_deref().map(|t| ("households", i, "name", t)));
            texts.extend(h.phone.as_deref().map(|t| ("households", i, "phone", t)));
        }
        for (i, c) in self.cadres.iter().enumerate() {
            texts.push(("cadres", i, "name", &c.name));
            texts.extend(c.phone.as_deref().map(|t| ("cadres", i, "phone", t)));
        }
        for (i, v) in self.visits.iter().enumerate() {
            texts.extend(v.note.as_deref().map(|t| ("visits", i, "note", t)));
        }
        for (coll, i, field, text) in texts {
            let Some(n) = crate::io::cell::too_long(text) else {
                continue;
            };
            let zh_field = match field {
                "name" => "名称",
                "phone" => "电话",
                _ => "备注",
            };
            let rec = format!("{coll}[{i}]");
            let (zh, en) = crate::io::cell::too_long_messages(zh_field, field, n);
            cx.push(
                Code::FieldTooLong,
                cx.loc(coll, i, Some(field)),
                rec.clone(),
                format!("{rec}：{zh}"),
                format!("{rec}: {en}"),
            );
        }
    }

    fn check_units<'a>(&'a self, cx: &mut Ctx) -> HashMap<&'a str, &'a Unit> {
        let mut by_id: HashMap<&str, &Unit> = HashMap::with_capacity(self.units.len());
        for (i, u) in self.units.iter().enumerate() {
            if by_id.insert(u.id.as_str(), u).is_some() {
                cx.push(
                    Code::UnitDuplicateId,
                    cx.loc("units", i, Some("unit_id")),
                    format!("unit {}", u.id),
                    format!("单位编号 {} 重复", u.id),
                    format!("unit ID {} appears more than once", u.id),
                );
                // keep the first one as the unit of that ID
                let first = self.units.iter().find(|x| x.id == u.id).expect("present");
                by_id.insert(u.id.as_str(), first);
            }
        }
        for (i, u) in self.units.iter().enumerate() {
            let Some(parent_id) = &u.parent else { continue };
            match by_id.get(parent_id.as_str()) {
                None => cx.push(
                    Code::UnitUnknownParent,
                    cx.loc("units", i, Some("parent_id")),
                    format!("unit {}", u.id),
                    format!("单位 {} 的上级 {} 不存在", u.id, parent_id),
                    format!(
                        "unit {} names parent {}, which does not exist",
                        u.id, parent_id
                    ),
                ),
                Some(p) if !u.kind.may_nest_in(p.kind) => cx.push(
                    Code::UnitBadNesting,
                    cx.loc("units", i, Some("parent_id")),
                    format!("unit {}", u.id),
                    format!(
                        "{}（{}）不能隶属于{}（{}）",
                        u.id,
                        u.kind.zh(),
                        p.id,
                        p.kind.zh()
                    ),
                    format!(
                        "{} ({}) cannot sit under {} ({})",
                        u.id, u.kind, p.id, p.kind
                    ),
                ),
                Some(_) => {}
            }
        }
        // cycles: walk up from every unit; a walk longer than the number of
        // units, or one that meets its start, is a cycle. Report each cycle
        // once, at its first member in file order.
        let mut reported: HashSet<&str> = HashSet::new();
        for (i, u) in self.units.iter().enumerate() {
            let mut seen: Vec<&str> = vec![u.id.as_str()];
            let mut cur = u;
            let mut cyclic = false;
            while let Some(p) = cur.parent.as_ref().and_then(|p| by_id.get(p.as_str())) {
                if p.id == u.id {
                    cyclic = true;
                    break;
                }
                if seen.contains(&p.id.as_str()) || seen.len() > self.units.len() {
                    break; // a cycle above u, reported at its own members
                }
                seen.push(p.id.as_str());
                cur = p;
            }
            if cyclic && seen.iter().all(|s| !reported.contains(s)) {
                reported.extend(seen.iter().copied());
                let path = seen.join(" → ");
                cx.push(
                    Code::UnitCycle,
                    cx.loc("units", i, Some("parent_id")),
                    format!("unit {}", u.id),
                    format!("单位上下级关系成环：{path} → {}", u.id),
                    format!("units form a cycle: {path} → {}", u.id),
                );
            }
        }
        by_id
    }

    fn check_households<'a>(
        &'a self,
        cx: &mut Ctx,
        units: &HashMap<&str, &Unit>,
        opts: &ValidateOptions,
    ) -> HashMap<&'a str, &'a Household> {
        let mut by_id: HashMap<&str, &Household> = HashMap::with_capacity(self.households.len());
        for (i, h) in self.households.iter().enumerate() {
            let rec = format!("household {}", h.id);
            if by_id.contains_key(h.id.as_str()) {
                cx.push(
                    Code::HouseholdDuplicateId,
                    cx.loc("households", i, Some("household_id")),
                    rec.clone(),
                    format!("户编号 {} 重复", h.id),
                    format!("household ID {} appears more than once", h.id),
                );
            } else {
                by_id.insert(h.id.as_str(), h);
            }
            match units.get(h.village.as_str()) {
                None => cx.push(
                    Code::HouseholdUnknownVillage,
                    cx.loc("households", i, Some("village_id")),
                    rec.clone(),
                    format!("户 {} 所属村 {} 不存在", h.id, h.village),
                    format!(
                        "household {} names village {}, which does not exist",
                        h.id, h.village
                    ),
                ),
                Some(u) if u.kind != UnitKind::Village => cx.push(
                    Code::HouseholdNotAVillage,
                    cx.loc("households", i, Some("village_id")),
                    rec.clone(),
                    format!(
                        "户 {} 的 village_id {} 是{}，不是村",
                        h.id,
                        h.village,
                        u.kind.zh()
                    ),
                    format!(
                        "household {}: {} is a {}, not a village",
                        h.id, h.village, u.kind
                    ),
                ),
                Some(_) => {}
            }
            if let Some(r) = h.registered_on {
                if r > opts.today {
                    cx.push(
                        Code::HouseholdFutureRegistration,
                        cx.loc("households", i, Some("registered_on")),
                        rec.clone(),
                        format!("户 {} 的登记日期 {r} 晚于今天 {}", h.id, opts.today),
                        format!(
                            "household {} registered on {r}, after today ({})",
                            h.id, opts.today
                        ),
                    );
                }
            }
            if let Some(b) = h.head_birth_date {
                if b > opts.today {
                    cx.push(
                        Code::HouseholdBadBirthDate,
                        cx.loc("households", i, Some("head_birth_date")),
                        rec.clone(),
                        format!("户 {} 户主出生日期 {b} 晚于今天 {}", h.id, opts.today),
                        format!(
                            "household {}: head born on {b}, after today ({})",
                            h.id, opts.today
                        ),
                    );
                }
            }
        }
        by_id
    }

    fn check_cadres<'a>(
        &'a self,
        cx: &mut Ctx,
        units: &HashMap<&str, &Unit>,
    ) -> HashMap<&'a str, &'a Cadre> {
        let mut by_id: HashMap<&str, &Cadre> = HashMap::with_capacity(self.cadres.len());
        for (i, c) in self.cadres.iter().enumerate() {
            let rec = format!("cadre {}", c.id);
            if by_id.contains_key(c.id.as_str()) {
                cx.push(
                    Code::CadreDuplicateId,
                    cx.loc("cadres", i, Some("cadre_id")),
                    rec.clone(),
                    format!("干部编号 {} 重复", c.id),
                    format!("cadre ID {} appears more than once", c.id),
                );
            } else {
                by_id.insert(c.id.as_str(), c);
            }
            if let Some(u) = &c.unit {
                if !units.contains_key(u.as_str()) {
                    cx.push(
                        Code::CadreUnknownUnit,
                        cx.loc("cadres", i, Some("unit_id")),
                        rec.clone(),
                        format!("干部 {} 所在单位 {u} 不存在", c.id),
                        format!("cadre {} names unit {u}, which does not exist", c.id),
                    );
                }
            }
            if let (Some(min), Some(max)) = (c.min_households, c.max_households) {
                if min > max {
                    cx.push(
                        Code::CadreBadLoadBounds,
                        cx.loc("cadres", i, Some("min_households")),
                        rec.clone(),
                        format!("干部 {} 包户数下限 {min} 大于上限 {max}", c.id),
                        format!(
                            "cadre {}: min_households {min} is above max_households {max}",
                            c.id
                        ),
                    );
                }
            }
        }
        by_id
    }

    fn check_teams(
        &self,
        cx: &mut Ctx,
        units: &HashMap<&str, &Unit>,
        cadres: &HashMap<&str, &Cadre>,
        opts: &ValidateOptions,
    ) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, t) in self.teams.iter().enumerate() {
            let rec = format!("team {}", t.id);
            if !seen.insert(t.id.as_str()) {
                cx.push(
                    Code::TeamDuplicateId,
                    cx.loc("teams", i, Some("team_id")),
                    rec.clone(),
                    format!("工作队编号 {} 重复", t.id),
                    format!("team ID {} appears more than once", t.id),
                );
            }
            let unit_ok = units.get(t.unit.as_str()).is_some_and(|u| {
                matches!(
                    u.kind,
                    UnitKind::Village | UnitKind::GridPiece | UnitKind::Grid
                )
            });
            if !unit_ok {
                cx.push(
                    Code::TeamUnknownVillage,
                    cx.loc("teams", i, Some("unit_id")),
                    rec.clone(),
                    format!(
                        "工作队 {} 驻在的 {} 不存在或不是村、网片、网格",
                        t.id, t.unit
                    ),
                    format!(
                        "team {}: {} is not a known village, grid piece or grid",
                        t.id, t.unit
                    ),
                );
            }
            let named = std::iter::once(("leader", &t.leader))
                .chain(t.deputy.iter().map(|d| ("deputy", d)))
                .chain(t.members.iter().map(|m| ("members", m)));
            let mut members_seen: HashSet<&str> = HashSet::new();
            for (field, c) in named {
                if !cadres.contains_key(c.as_str()) {
                    cx.push(
                        Code::TeamUnknownCadre,
                        cx.loc("teams", i, Some(field)),
                        rec.clone(),
                        format!("工作队 {} 的成员 {c} 不是已登记的干部", t.id),
                        format!("team {} names cadre {c}, who does not exist", t.id),
                    );
                }
                if field == "members" && !members_seen.insert(c.as_str()) {
                    cx.push(
                        Code::TeamDuplicateMember,
                        cx.loc("teams", i, Some("members")),
                        rec.clone(),
                        format!("工作队 {} 重复列出成员 {c}", t.id),
                        format!("team {} lists member {c} twice", t.id),
                    );
                }
            }
            if t.kind == TeamKind::WorkStation && t.members.len() < opts.min_station_members {
                cx.push(
                    Code::TeamTooFewMembers,
                    cx.loc("teams", i, Some("members")),
                    rec.clone(),
                    format!(
                        "工作站 {} 只有 {} 名成员，至少应有 {} 名",
                        t.id,
                        t.members.len(),
                        opts.min_station_members
                    ),
                    format!(
                        "work station {} has {} members; at least {} are required",
                        t.id,
                        t.members.len(),
                        opts.min_station_members
                    ),
                );
            }
        }
    }

    fn check_duty(&self, cx: &mut Ctx, cadres: &HashMap<&str, &Cadre>) {
        let mut by_cadre: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in self.duty.iter().enumerate() {
            let rec = format!("duty span of cadre {}", s.cadre);
            if !cadres.contains_key(s.cadre.as_str()) {
                cx.push(
                    Code::DutyUnknownCadre,
                    cx.loc("duty", i, Some("cadre_id")),
                    rec.clone(),
                    format!("工作状态记录的干部 {} 不存在", s.cadre),
                    format!("duty status names cadre {}, who does not exist", s.cadre),
                );
            }
            if s.to.is_some_and(|to| to <= s.from) {
                cx.push(
                    Code::DutyBadRange,
                    cx.loc("duty", i, Some("to")),
                    rec,
                    format!("工作状态的结束时间不晚于开始时间（{}）", s.from),
                    format!("duty status ends at or before its start ({})", s.from),
                );
                continue;
            }
            by_cadre.entry(s.cadre.as_str()).or_default().push(i);
        }
        let mut cadre_ids: Vec<&str> = by_cadre.keys().copied().collect();
        cadre_ids.sort_unstable();
        for c in cadre_ids {
            let mut idx = by_cadre[c].clone();
            idx.sort_by_key(|&i| (self.duty[i].from, i));
            for w in idx.windows(2) {
                let (a, b) = (&self.duty[w[0]], &self.duty[w[1]]);
                if a.to.is_none_or(|to| b.from < to) {
                    cx.push(
                        Code::DutyOverlap,
                        cx.loc("duty", w[1], Some("from")),
                        format!("duty span of cadre {c}"),
                        format!("干部 {c} 的工作状态时段重叠（{} 起）", b.from),
                        format!(
                            "cadre {c} has overlapping duty status spans (from {})",
                            b.from
                        ),
                    );
                }
            }
        }
    }

    fn check_assignments(
        &self,
        cx: &mut Ctx,
        households: &HashMap<&str, &Household>,
        cadres: &HashMap<&str, &Cadre>,
        opts: &ValidateOptions,
    ) {
        let mut by_household: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in self.assignments.iter().enumerate() {
            let rec = format!(
                "assignment of household {} to cadre {}",
                a.household, a.cadre
            );
            if !households.contains_key(a.household.as_str()) {
                cx.push(
                    Code::AssignmentUnknownHousehold,
                    cx.loc("assignments", i, Some("household_id")),
                    rec.clone(),
                    format!("包户关系中的户 {} 不存在", a.household),
                    format!(
                        "assignment names household {}, which does not exist",
                        a.household
                    ),
                );
            }
            if !cadres.contains_key(a.cadre.as_str()) {
                cx.push(
                    Code::AssignmentUnknownCadre,
                    cx.loc("assignments", i, Some("cadre_id")),
                    rec.clone(),
                    format!("包户关系中的干部 {} 不存在", a.cadre),
                    format!("assignment names cadre {}, who does not exist", a.cadre),
                );
            }
            if a.from > opts.today {
                cx.push(
                    Code::AssignmentFuture,
                    cx.loc("assignments", i, Some("from")),
                    rec.clone(),
                    format!("包户关系从 {} 开始，晚于今天 {}", a.from, opts.today),
                    format!(
                        "assignment starts on {}, after today ({})",
                        a.from, opts.today
                    ),
                );
            }
            if let Some(to) = a.to {
                if to < a.from {
                    cx.push(
                        Code::AssignmentBadRange,
                        cx.loc("assignments", i, Some("to")),
                        rec,
                        format!("包户关系结束日期 {to} 早于开始日期 {}", a.from),
                        format!("assignment ends on {to}, before it starts ({})", a.from),
                    );
                    continue;
                }
            }
            by_household
                .entry(a.household.as_str())
                .or_default()
                .push(i);
        }
        let mut ids: Vec<&str> = by_household.keys().copied().collect();
        ids.sort_unstable();
        for h in ids {
            let mut idx = by_household[h].clone();
            if idx.len() < 2 {
                continue;
            }
            idx.sort_by_key(|&i| (self.assignments[i].from, i));
            // compare each span with the furthest-reaching span before it
            let mut reach = idx[0];
            for &j in &idx[1..] {
                let (a, b) = (&self.assignments[reach], &self.assignments[j]);
                if a.overlaps(b) {
                    let to = a.to.map_or_else(|| "—".to_string(), |d| d.to_string());
                    cx.push(
                        Code::AssignmentOverlap,
                        cx.loc("assignments", j, Some("from")),
                        format!("assignment of household {h} to cadre {}", b.cadre),
                        format!(
                            "户 {h} 的包户时段重叠：{} 自 {} 起，而 {} 至 {to} 仍在包联",
                            b.cadre, b.from, a.cadre
                        ),
                        format!(
                            "household {h} has overlapping assignments: {} from {} while {} covers it until {to}",
                            b.cadre, b.from, a.cadre
                        ),
                    );
                }
                if b.to.unwrap_or(NaiveDate::MAX) > a.to.unwrap_or(NaiveDate::MAX) {
                    reach = j;
                }
            }
        }
    }

    fn check_visits(
        &self,
        cx: &mut Ctx,
        households: &HashMap<&str, &Household>,
        cadres: &HashMap<&str, &Cadre>,
        opts: &ValidateOptions,
    ) {
        let mut seen: HashSet<(&str, &str, chrono::NaiveDateTime, crate::visit::Mode)> =
            HashSet::with_capacity(self.visits.len());
        for (i, v) in self.visits.iter().enumerate() {
            let rec = format!("visit #{} to household {}", i + 1, v.household);
            match households.get(v.household.as_str()) {
                None => cx.push(
                    Code::VisitUnknownHousehold,
                    cx.loc("visits", i, Some("household_id")),
                    rec.clone(),
                    format!("走访记录中的户 {} 不存在", v.household),
                    format!(
                        "visit names household {}, which does not exist",
                        v.household
                    ),
                ),
                Some(h) => {
                    if let Some(r) = h.registered_on {
                        if v.at.date() < r {
                            cx.push(
                                Code::VisitBeforeRegistration,
                                cx.loc("visits", i, Some("at")),
                                rec.clone(),
                                format!("走访时间 {} 早于该户登记日期 {r}", v.at),
                                format!(
                                    "visit at {} is before the household was registered ({r})",
                                    v.at
                                ),
                            );
                        }
                    }
                }
            }
            if !cadres.contains_key(v.cadre.as_str()) {
                cx.push(
                    Code::VisitUnknownCadre,
                    cx.loc("visits", i, Some("cadre_id")),
                    rec.clone(),
                    format!("走访记录中的干部 {} 不存在", v.cadre),
                    format!("visit names cadre {}, who does not exist", v.cadre),
                );
            }
            if v.at.date() > opts.today {
                cx.push(
                    Code::VisitFutureDate,
                    cx.loc("visits", i, Some("at")),
                    rec.clone(),
                    format!("走访时间 {} 晚于今天 {}", v.at, opts.today),
                    format!("visit at {} is after today ({})", v.at, opts.today),
                );
            }
            if !seen.insert((v.household.as_str(), v.cadre.as_str(), v.at, v.mode)) {
                cx.push(
                    Code::VisitDuplicate,
                    cx.loc("visits", i, None),
                    rec,
                    format!("同一走访（{} {} {}）重复登记", v.cadre, v.at, v.mode.zh()),
                    format!(
                        "the same visit ({} at {}, {}) is recorded twice",
                        v.cadre, v.at, v.mode
                    ),
                );
            }
        }
    }
}

impl Dataset {
    /// Requests: unique IDs, known households and cadres, no event after
    /// `today`, an intact hash chain, and a history that folds (every
    /// event fits). Located by JSON path (`cases[2].events[4]`).
    fn check_cases(
        &self,
        cx: &mut Ctx,
        households: &HashMap<&str, &Household>,
        cadres: &HashMap<&str, &Cadre>,
        opts: &ValidateOptions,
    ) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, log) in self.cases.iter().enumerate() {
            let id = log.request_id();
            let rec = format!("request {id}");
            let at = |j: Option<usize>, field: &str| {
                let path = match j {
                    Some(j) => format!("cases[{i}].events[{j}]"),
                    None => format!("cases[{i}]"),
                };
                Location::default().at_path(path).with_field(field)
            };
            if !seen.insert(id.as_str()) {
                cx.push(
                    Code::RequestDuplicateId,
                    at(None, "request_id"),
                    rec.clone(),
                    format!("事项编号 {id} 重复"),
                    format!("request ID {id} appears more than once"),
                );
            }
            for (j, e) in log.entries().iter().enumerate() {
                let mut named: Vec<(&str, &crate::id::CadreId)> = Vec::new();
                match &e.event {
                    RequestEvent::Raised {
                        household, cadre, ..
                    } => {
                        if !households.contains_key(household.as_str()) {
                            cx.push(
                                Code::RequestUnknownHousehold,
                                at(Some(j), "household_id"),
                                rec.clone(),
                                format!("事项 {id} 的户 {household} 不存在"),
                                format!(
                                    "request {id} names household {household}, which does not exist"
                                ),
                            );
                        }
                        named.push(("cadre_id", cadre));
                    }
                    RequestEvent::Assigned { handler, .. } => named.push(("handler", handler)),
                    _ => {}
                }
                for (field, c) in named {
                    if !cadres.contains_key(c.as_str()) {
                        cx.push(
                            Code::RequestUnknownCadre,
                            at(Some(j), field),
                            rec.clone(),
                            format!("事项 {id} 的干部 {c} 不存在"),
                            format!("request {id} names cadre {c}, who does not exist"),
                        );
                    }
                }
                if e.at.date() > opts.today {
                    cx.push(
                        Code::RequestFutureEvent,
                        at(Some(j), "at"),
                        rec.clone(),
                        format!("事项 {id} 的事件时间 {} 晚于今天 {}", e.at, opts.today),
                        format!(
                            "request {id} has an event at {}, after today ({})",
                            e.at, opts.today
                        ),
                    );
                }
            }
            if let Err(b) = log.verify() {
                let m = b.message();
                cx.push(
                    Code::RequestChainBroken,
                    at(Some(b.index), "hash"),
                    rec.clone(),
                    format!("事项 {id} 的哈希链断裂：{}", m.zh),
                    format!("request {id}: hash chain broken: {}", m.en),
                );
            }
            // the first event that does not fit, located at its index
            let mut state = None;
            for (j, e) in log.entries().iter().enumerate() {
                let step = if &e.request_id == id {
                    crate::case::apply(state.as_ref(), id, e.at, &e.event)
                } else {
                    Err(crate::case::CaseError::WrongLog {
                        expected: id.clone(),
                        found: e.request_id.clone(),
                    })
                };
                match step {
                    Ok(s) => state = Some(s),
                    Err(err) => {
                        cx.push(
                            err.code(),
                            at(Some(j), "event"),
                            rec.clone(),
                            format!("事项 {id}：{}", err.message_zh()),
                            format!("request {id}: {}", err.message_en()),
                        );
                        break;
                    }
                }
            }
        }
    }
}

impl Dataset {
    /// Household events: a known household, and no event after `today`.
    /// Located by file and line when read from events.csv, else by JSON
    /// path (`events[3]`).
    fn check_events(
        &self,
        cx: &mut Ctx,
        households: &HashMap<&str, &Household>,
        opts: &ValidateOptions,
    ) {
        for (i, e) in self.events.iter().enumerate() {
            let rec = format!("event #{} of household {}", i + 1, e.household);
            let at = |cx: &Ctx, field: &str| cx.loc("events", i, Some(field));
            if !households.contains_key(e.household.as_str()) {
                cx.push(
                    Code::EventUnknownHousehold,
                    at(cx, "household_id"),
                    rec.clone(),
                    format!("家庭事件中的户 {} 不存在", e.household),
                    format!(
                        "event names household {}, which does not exist",
                        e.household
                    ),
                );
            }
            if e.date > opts.today {
                cx.push(
                    Code::EventFutureDate,
                    at(cx, "date"),
                    rec,
                    format!("家庭事件日期 {} 晚于今天 {}", e.date, opts.today),
                    format!("event on {} is after today ({})", e.date, opts.today),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use chrono::NaiveDateTime;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, 0, 0).unwrap()
    }

    fn uid(s: &str) -> UnitId {
        UnitId::new(s).unwrap()
    }
    fn hid(s: &str) -> HouseholdId {
        HouseholdId::new(s).unwrap()
    }
    fn cid(s: &str) -> CadreId {
        CadreId::new(s).unwrap()
    }

    /// A small, valid township: county C, township T, villages V1 and V2,
    /// a group under V1, three households, two cadres, a work station.
    fn township() -> Dataset {
        let mut ds = Dataset::new();
        ds.units = vec![
            Unit::new(uid("C"), UnitKind::County),
            Unit::new(uid("T"), UnitKind::Township).with_parent(uid("C")),
            Unit::new(uid("V1"), UnitKind::Village)
                .with_parent(uid("T"))
                .with_population(480),
            Unit::new(uid("V2"), UnitKind::Village).with_parent(uid("T")),
            Unit::new(uid("G1"), UnitKind::Group).with_parent(uid("V1")),
        ];
        let mut h2 = Household::new(hid("H2"), uid("V1"), Residency::Away);
        h2.registered_on = Some(d(2024, 3, 10));
        ds.households = vec![
            Household::new(hid("H1"), uid("V1"), Residency::Resident),
            h2,
            Household::new(hid("H3"), uid("V2"), Residency::Resident),
        ];
        ds.cadres = vec![
            Cadre::new(cid("A"), "甲某某"),
            Cadre::new(cid("B"), "乙某某"),
            Cadre::new(cid("S"), "丙某某"),
        ];
        ds.teams = vec![Team {
            id: TeamId::new("WS1").unwrap(),
            kind: TeamKind::WorkStation,
            unit: uid("V1"),
            leader: cid("A"),
            deputy: Some(cid("B")),
            members: vec![cid("A"), cid("B"), cid("S")],
        }];
        ds.duty = vec![
            DutySpan {
                cadre: cid("A"),
                status: DutyStatus::OnDuty,
                from: t(2024, 5, 6, 8),
                to: Some(t(2024, 5, 6, 12)),
            },
            DutySpan {
                cadre: cid("A"),
                status: DutyStatus::InField,
                from: t(2024, 5, 6, 12),
                to: None,
            },
        ];
        ds.assignments = vec![
            Assignment {
                household: hid("H1"),
                cadre: cid("A"),
                from: d(2024, 1, 1),
                to: Some(d(2024, 6, 30)),
            },
            Assignment::new(hid("H1"), cid("B"), d(2024, 7, 1)),
            Assignment::new(hid("H2"), cid("A"), d(2024, 3, 10)),
            Assignment::new(hid("H3"), cid("B"), d(2024, 1, 1)),
        ];
        ds.visits = vec![
            Visit::new(hid("H1"), cid("A"), t(2024, 2, 29, 10), Mode::InPerson),
            Visit::new(hid("H2"), cid("A"), t(2024, 3, 10, 9), Mode::Phone),
        ];
        ds
    }

    fn today() -> ValidateOptions {
        ValidateOptions::new(d(2024, 12, 31))
    }

    #[test]
    fn events_name_known_households_and_past_days() {
        let mut ds = township();
        let known = ds.households[0].id.clone();
        ds.events = vec![
            HouseholdEvent::new(known.clone(), d(2024, 2, 29), EventKind::Wedding),
            HouseholdEvent::new(hid("NOPE"), d(2024, 3, 1), EventKind::Funeral),
            HouseholdEvent::new(known, d(2025, 1, 1), EventKind::Hospitalisation),
        ];
        let r = ds.validate(&ValidateOptions::new(d(2024, 12, 31)));
        assert_eq!(
            r.codes(),
            vec![Code::EventUnknownHousehold, Code::EventFutureDate]
        );
        assert_eq!(r.problems[0].location.path.as_deref(), Some("events[1]"));
        assert_eq!(r.problems[1].location.field.as_deref(), Some("date"));
        // The JSON document keeps them.
        let back = crate::io::from_json_str(&crate::io::to_json_string(&ds)).unwrap();
        assert_eq!(back.events, ds.events);
        let old = r#"{"schema": "minqing/1", "households": []}"#;
        assert!(crate::io::from_json_str(old).unwrap().events.is_empty());
    }

    #[test]
    fn a_valid_township_has_no_problem() {
        let r = township().validate(&today());
        assert!(r.is_empty(), "{r}");
    }

    #[test]
    fn duplicate_ids_are_reported_once_each() {
        let mut ds = township();
        ds.units
            .push(Unit::new(uid("V2"), UnitKind::Village).with_parent(uid("T")));
        ds.households
            .push(Household::new(hid("H3"), uid("V2"), Residency::Away));
        ds.cadres.push(Cadre::new(cid("B"), "重复"));
        ds.teams.push(ds.teams[0].clone());
        let r = ds.validate(&today());
        assert_eq!(
            r.codes(),
            vec![
                Code::UnitDuplicateId,
                Code::HouseholdDuplicateId,
                Code::CadreDuplicateId,
                Code::TeamDuplicateId
            ]
        );
        assert_eq!(r.problems.len(), 4);
        assert_eq!(r.problems[0].location.path.as_deref(), Some("units[5]"));
        assert_eq!(
            r.problems[1].location.path.as_deref(),
            Some("households[3]")
        );
    }

    #[test]
    fn dangling_references_name_the_field() {
        let mut ds = township();
        ds.units
            .push(Unit::new(uid("V9"), UnitKind::Village).with_parent(uid("T9")));
        ds.households
            .push(Household::new(hid("H9"), uid("G1"), Residency::Away));
        ds.households
            .push(Household::new(hid("H10"), uid("NOPE"), Residency::Away));
        ds.cadres[0].unit = Some(uid("NOPE"));
        ds.teams[0].members.push(cid("Z"));
        ds.duty.push(DutySpan {
            cadre: cid("Z"),
            status: DutyStatus::Meeting,
            from: t(2024, 1, 1, 8),
            to: None,
        });
        ds.assignments
            .push(Assignment::new(hid("HX"), cid("ZZ"), d(2024, 1, 1)));
        ds.visits.push(Visit::new(
            hid("HX"),
            cid("ZZ"),
            t(2024, 4, 1, 9),
            Mode::Video,
        ));
        let r = ds.validate(&today());
        let fields: Vec<(Code, Option<&str>)> = r
            .iter()
            .map(|p| (p.code, p.location.field.as_deref()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Code::UnitUnknownParent, Some("parent_id")),
                (Code::HouseholdNotAVillage, Some("village_id")),
                (Code::HouseholdUnknownVillage, Some("village_id")),
                (Code::CadreUnknownUnit, Some("unit_id")),
                (Code::TeamUnknownCadre, Some("members")),
                (Code::DutyUnknownCadre, Some("cadre_id")),
                (Code::AssignmentUnknownHousehold, Some("household_id")),
                (Code::AssignmentUnknownCadre, Some("cadre_id")),
                (Code::VisitUnknownHousehold, Some("household_id")),
                (Code::VisitUnknownCadre, Some("cadre_id")),
            ]
        );
        assert!(
            r.iter()
                .all(|p| !p.message.zh.is_empty() && !p.message.en.is_empty())
        );
    }

    #[test]
    fn cycles_and_bad_nesting() {
        let mut ds = township();
        // T -> C; make C sit under V1: C ⊂ V1 ⊂ T ⊂ C, a cycle, and a county
        // may not nest at all.
        ds.units[0].parent = Some(uid("V1"));
        let r = ds.validate(&today());
        assert_eq!(r.codes(), vec![Code::UnitCycle, Code::UnitBadNesting]);
        let cycles: Vec<_> = r.iter().filter(|p| p.code == Code::UnitCycle).collect();
        assert_eq!(cycles.len(), 1, "one cycle is reported once: {r}");
        assert!(
            cycles[0].message.en.contains("C → V1 → T → C"),
            "{}",
            cycles[0].message.en
        );

        let mut ds = township();
        ds.units
            .push(Unit::new(uid("SELF"), UnitKind::Group).with_parent(uid("SELF")));
        let r = ds.validate(&today());
        assert_eq!(r.codes(), vec![Code::UnitCycle, Code::UnitBadNesting]);
    }

    #[test]
    fn overlapping_assignments_and_bad_ranges() {
        let mut ds = township();
        // handover on the same day: both cover 2024-07-01
        ds.assignments[0].to = Some(d(2024, 7, 1));
        ds.assignments.push(Assignment {
            household: hid("H3"),
            cadre: cid("A"),
            from: d(2024, 5, 1),
            to: Some(d(2024, 4, 1)),
        });
        let r = ds.validate(&today());
        assert_eq!(
            r.codes(),
            vec![Code::AssignmentBadRange, Code::AssignmentOverlap]
        );
        let overlap = r
            .iter()
            .find(|p| p.code == Code::AssignmentOverlap)
            .unwrap();
        assert_eq!(overlap.location.path.as_deref(), Some("assignments[1]"));

        // a span nested inside a long one is caught even after a short one
        let mut ds = township();
        ds.assignments[0].to = None; // H1: A from Jan 1 open-ended, B from Jul 1
        ds.assignments.push(Assignment {
            household: hid("H1"),
            cadre: cid("S"),
            from: d(2024, 8, 1),
            to: Some(d(2024, 8, 2)),
        });
        let r = ds.validate(&today());
        assert_eq!(
            r.iter()
                .filter(|p| p.code == Code::AssignmentOverlap)
                .count(),
            2,
            "{r}"
        );
    }

    #[test]
    fn visits_in_the_future_or_before_registration() {
        let mut ds = township();
        ds.visits.push(Visit::new(
            hid("H2"),
            cid("A"),
            t(2024, 3, 9, 23),
            Mode::Phone,
        ));
        ds.visits.push(Visit::new(
            hid("H1"),
            cid("A"),
            t(2025, 1, 1, 0),
            Mode::InPerson,
        ));
        ds.visits.push(ds.visits[0].clone());
        let r = ds.validate(&today());
        assert_eq!(
            r.codes(),
            vec![
                Code::VisitFutureDate,
                Code::VisitBeforeRegistration,
                Code::VisitDuplicate
            ]
        );
        assert!(
            r.iter()
                .any(|p| p.code == Code::VisitDuplicate && !p.is_error())
        );
        // the last day itself is fine
        let mut ds = township();
        ds.visits.push(Visit::new(
            hid("H1"),
            cid("A"),
            t(2024, 12, 31, 20),
            Mode::InPerson,
        ));
        assert!(ds.validate(&today()).is_empty());
    }

    #[test]
    fn households_and_cadres_checked_against_today() {
        let mut ds = township();
        ds.households[0].registered_on = Some(d(2025, 1, 1));
        ds.households[2].head_birth_date = Some(d(2025, 2, 1));
        ds.cadres[1].min_households = Some(80);
        ds.cadres[1].max_households = Some(70);
        ds.assignments
            .push(Assignment::new(hid("H3"), cid("S"), d(2025, 3, 1)));
        let r = ds.validate(&today());
        assert_eq!(
            r.codes(),
            vec![
                Code::HouseholdFutureRegistration,
                Code::HouseholdBadBirthDate,
                Code::CadreBadLoadBounds,
                Code::AssignmentOverlap,
                Code::AssignmentFuture,
                Code::VisitBeforeRegistration,
            ]
        );
        // the future assignment is only a warning; that it overlaps the
        // open-ended one is an error, and H1's visit now precedes its
        // (future) registration
        assert!(
            r.iter()
                .any(|p| p.code == Code::AssignmentFuture && !p.is_error())
        );
    }

    #[test]
    fn duty_spans_and_stations() {
        let mut ds = township();
        ds.duty.push(DutySpan {
            cadre: cid("A"),
            status: DutyStatus::Training,
            from: t(2024, 6, 1, 8),
            to: Some(t(2024, 6, 1, 8)),
        });
        ds.duty.push(DutySpan {
            cadre: cid("A"),
            status: DutyStatus::Meeting,
            from: t(2024, 5, 6, 11),
            to: Some(t(2024, 5, 6, 13)),
        });
        ds.teams[0].members.truncate(2);
        ds.teams[0].members.push(cid("A"));
        ds.teams[0].unit = uid("G1");
        let r = ds.validate(&today());
        assert_eq!(
            r.codes(),
            vec![
                Code::TeamUnknownVillage,
                Code::TeamDuplicateMember,
                Code::DutyBadRange,
                Code::DutyOverlap
            ],
            "{r}"
        );
        let r = ds.validate(&today().min_station_members(4));
        assert!(r.codes().contains(&Code::TeamTooFewMembers));
    }

    #[test]
    fn sources_replace_paths() {
        let mut ds = township();
        ds.visits.push(Visit::new(
            hid("NOPE"),
            cid("A"),
            t(2024, 4, 1, 9),
            Mode::Phone,
        ));
        let sources = Sources {
            visits: (0..ds.visits.len())
                .map(|i| Location::file("visits.csv").at_line(i as u64 + 2))
                .collect(),
            ..Sources::default()
        };
        let r = ds.validate_with_sources(&today(), &sources);
        let p = &r.problems[0];
        assert_eq!(p.code, Code::VisitUnknownHousehold);
        assert_eq!(p.location.file.as_deref(), Some("visits.csv"));
        assert_eq!(p.location.line, Some(4));
        assert_eq!(p.location.field.as_deref(), Some("household_id"));
        assert!(p.location.path.is_none());
    }

    #[test]
    fn requests_are_validated() {
        use crate::case::{CasePolicy, Category, Channel, RequestEvent, RequestKind, RequestLog};
        let raise = |h: &str, c: &str| RequestEvent::Raised {
            household: hid(h),
            cadre: cid(c),
            category: Category::Insurance,
            kind: RequestKind::Request,
            channel: Channel::Visit,
            summary: String::new(),
        };
        let p = CasePolicy::default();
        let mut ok = RequestLog::new(crate::id::RequestId::new("R1").unwrap());
        ok.append(t(2024, 5, 6, 10), raise("H1", "A")).unwrap();
        ok.append(
            t(2024, 5, 6, 10),
            p.triage_default(Category::Insurance, t(2024, 5, 6, 10)),
        )
        .unwrap();
        let mut ds = township();
        ds.cases.push(ok.clone());
        assert!(ds.validate(&today()).is_empty());
        // round trip through the JSON document keeps the requests
        let back: Dataset = serde_json::from_str(&serde_json::to_string(&ds).unwrap()).unwrap();
        assert_eq!(back, ds);
        let mut bad = RequestLog::new(crate::id::RequestId::new("R2").unwrap());
        bad.append(t(2025, 1, 2, 10), raise("NOPE", "ZZ")).unwrap();
        ds.cases.push(bad);
        ds.cases.push(ok.clone());
        let mut entries = ok.entries().to_vec();
        entries[1].at = t(2024, 5, 6, 9);
        for e in &mut entries {
            e.request_id = crate::id::RequestId::new("R3").unwrap();
        }
        ds.cases.push(RequestLog::from_entries(
            crate::id::RequestId::new("R3").unwrap(),
            entries,
        ));
        let r = ds.validate(&today());
        let got: Vec<(Code, Option<&str>)> = r
            .iter()
            .map(|p| (p.code, p.location.path.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Code::RequestUnknownHousehold, Some("cases[1].events[0]")),
                (Code::RequestUnknownCadre, Some("cases[1].events[0]")),
                (Code::RequestFutureEvent, Some("cases[1].events[0]")),
                (Code::RequestDuplicateId, Some("cases[2]")),
                (Code::RequestChainBroken, Some("cases[3].events[0]")),
                (Code::RequestOutOfOrder, Some("cases[3].events[1]")),
            ],
            "{r}"
        );
    }

    #[test]
    fn over_long_text_is_refused_whatever_the_source() {
        let mut ds = township();
        let long = "字".repeat(crate::io::cell::MAX_TEXT_CHARS + 1);
        ds.cadres[0].name = long.clone();
        ds.households[1].phone = Some(long.clone());
        ds.visits[0].note = Some(long);
        let report = ds.validate(&today());
        assert!(
            report.problems.iter().all(|p| p.code == Code::FieldTooLong),
            "{report}"
        );
        let fields: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.location.path.clone(), p.location.field.clone()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (Some("households[1]".into()), Some("phone".into())),
                (Some("cadres[0]".into()), Some("name".into())),
                (Some("visits[0]".into()), Some("note".into())),
            ]
        );
        // exactly at the limit is fine
        ds.cadres[0].name = "字".repeat(crate::io::cell::MAX_TEXT_CHARS);
        ds.households[1].phone = None;
        ds.visits[0].note = None;
        assert!(ds.validate(&today()).is_ok());
    }

    #[test]
    fn validation_never_changes_the_data() {
        let ds = township();
        let before = ds.clone();
        let _ = ds.validate(&today());
        assert_eq!(ds, before);
    }
}

// ---- One new record against a data set, indexed once --------------------

/// A data set indexed once for checking one new household or visit at a
/// time, as a form does while the user types: each check costs a few hash
/// look-ups instead of validating the whole data set again.
///
/// The answer is exactly what [`Dataset::validate`] would report at the
/// record if it were appended to the data set (its index is the
/// collection's length, e.g. `visits[10000]`): the same problems, codes,
/// messages, locations and record names, in the same order. No rule is
/// written twice: the checker hands [`Dataset::validate`] a data set of
/// the new record and only the records the rules compare it with (for a
/// visit: its household, its cadre, an earlier identical visit; for a
/// household: its village unit and an earlier household with its ID, each
/// the first of its ID, as validation takes them), then gives the
/// problems found at the new record its place in the whole data set.
///
/// The checker owns what it keeps (the first unit, household and cadre of
/// each ID, and the key of every visit), so it does not borrow the data
/// set. Made from the data set as it was; after appending records to the
/// data set, make a new one.
///
/// # Example
/// ```
/// use minqing::dataset::{RecordChecker, ValidateOptions};
/// use minqing::prelude::*;
/// use chrono::NaiveDate;
/// let mut ds = Dataset::new();
/// ds.units.push(Unit::new(UnitId::new("V1")?, UnitKind::Village));
/// ds.households.push(Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident));
/// ds.cadres.push(Cadre::new(CadreId::new("C1")?, "李某某"));
/// let checker = RecordChecker::new(&ds);
/// let today = ValidateOptions::new(NaiveDate::from_ymd_opt(2024, 6, 30).unwrap());
/// let at = NaiveDate::from_ymd_opt(2024, 6, 3).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let good = Visit::new(HouseholdId::new("H1")?, CadreId::new("C1")?, at, Mode::InPerson);
/// assert!(checker.visit(&good, &today).is_empty());
/// let bad = Visit::new(HouseholdId::new("H9")?, CadreId::new("C1")?, at, Mode::InPerson);
/// let problems = checker.visit(&bad, &today);
/// assert_eq!(problems[0].code, Code::VisitUnknownHousehold);
/// assert_eq!(problems[0].location.path.as_deref(), Some("visits[0]"));
/// assert_eq!(problems[0].location.field.as_deref(), Some("household_id"));
/// # Ok::<(), minqing::id::IdError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordChecker {
    units: HashMap<String, Unit>,
    households: HashMap<String, Household>,
    cadres: HashMap<String, Cadre>,
    visit_keys: HashSet<(String, String, chrono::NaiveDateTime, crate::visit::Mode)>,
    household_count: usize,
    visit_count: usize,
}

impl RecordChecker {
    /// Indexes `ds`: one pass over its units, households, cadres and
    /// visits.
    pub fn new(ds: &Dataset) -> Self {
        fn first<T: Clone>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, T> {
            let mut out: HashMap<String, T> = HashMap::with_capacity(items.len());
            for x in items {
                out.entry(id(x).to_string()).or_insert_with(|| x.clone());
            }
            out
        }
        RecordChecker {
            units: first(&ds.units, |u| u.id.as_str()),
            households: first(&ds.households, |h| h.id.as_str()),
            cadres: first(&ds.cadres, |c| c.id.as_str()),
            visit_keys: ds
                .visits
                .iter()
                .map(|v| {
                    (
                        v.household.as_str().to_string(),
                        v.cadre.as_str().to_string(),
                        v.at,
                        v.mode,
                    )
                })
                .collect(),
            household_count: ds.households.len(),
            visit_count: ds.visits.len(),
        }
    }

    /// The problems `household` would have at `households[n]` if appended
    /// to the data set of `n` households (as [`Dataset::validate`] reports
    /// them there).
    pub fn household(&self, household: &Household, opts: &ValidateOptions) -> Vec<Problem> {
        let mut mini = Dataset::new();
        if let Some(u) = self.units.get(household.village.as_str()) {
            mini.units.push(u.clone());
        }
        if let Some(h) = self.households.get(household.id.as_str()) {
            mini.households.push(h.clone());
        }
        mini.households.push(household.clone());
        let at = format!("households[{}]", mini.households.len() - 1);
        let place = format!("households[{}]", self.household_count);
        relocate(mini.validate(opts), &at, &place, None)
    }

    /// The problems `visit` would have at `visits[n]` if appended to the
    /// data set of `n` visits (as [`Dataset::validate`] reports them
    /// there).
    pub fn visit(&self, visit: &Visit, opts: &ValidateOptions) -> Vec<Problem> {
        let mut mini = Dataset::new();
        if let Some(h) = self.households.get(visit.household.as_str()) {
            mini.households.push(h.clone());
        }
        if let Some(c) = self.cadres.get(visit.cadre.as_str()) {
            mini.cadres.push(c.clone());
        }
        let key = (
            visit.household.as_str().to_string(),
            visit.cadre.as_str().to_string(),
            visit.at,
            visit.mode,
        );
        if self.visit_keys.contains(&key) {
            // an identical visit is already recorded: the new one repeats it
            mini.visits.push(visit.clone());
        }
        mini.visits.push(visit.clone());
        let at = format!("visits[{}]", mini.visits.len() - 1);
        let place = format!("visits[{}]", self.visit_count);
        // check_visits names a visit by its position: "visit #N to household H"
        let record = format!(
            "visit #{} to household {}",
            self.visit_count + 1,
            visit.household
        );
        relocate(mini.validate(opts), &at, &place, Some(record))
    }
}

/// The problems of `report` at JSON path `at`, moved to path `place` (and
/// given record name `record`, when the name holds the position).
fn relocate(report: Report, at: &str, place: &str, record: Option<String>) -> Vec<Problem> {
    report
        .problems
        .into_iter()
        .filter(|p| p.location.path.as_deref() == Some(at))
        .map(|mut p| {
            p.location.path = Some(place.to_string());
            if let Some(r) = &record {
                p.location.record = Some(r.clone());
            }
            p
        })
        .collect()
}

#[cfg(test)]
mod record_checker_tests {
    use super::*;
    use crate::household::Residency;
    use crate::id::{CadreId, HouseholdId, UnitId};
    use crate::visit::Mode;
    use chrono::NaiveDateTime;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }
    fn t(m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(m, day).and_hms_opt(h, 0, 0).unwrap()
    }
    fn hid(s: &str) -> HouseholdId {
        HouseholdId::new(s).unwrap()
    }
    fn cid(s: &str) -> CadreId {
        CadreId::new(s).unwrap()
    }
    fn uid(s: &str) -> UnitId {
        UnitId::new(s).unwrap()
    }

    /// A data set with some problems of its own: a duplicate household,
    /// duplicate units, a registration date, repeated visits.
    fn data() -> Dataset {
        let mut ds = Dataset::new();
        ds.units = vec![
            Unit::new(uid("T"), UnitKind::Township),
            Unit::new(uid("V1"), UnitKind::Village).with_parent(uid("T")),
            Unit::new(uid("V2"), UnitKind::Village).with_parent(uid("T")),
            Unit::new(uid("V2"), UnitKind::Group),
        ];
        let mut h2 = Household::new(hid("H2"), uid("V1"), Residency::Away);
        h2.registered_on = Some(d(3, 1));
        ds.households = vec![
            Household::new(hid("H1"), uid("V1"), Residency::Resident),
            h2,
            Household::new(hid("H1"), uid("V2"), Residency::Away),
        ];
        ds.cadres = vec![
            Cadre::new(cid("A"), "李某某"),
            Cadre::new(cid("B"), "王某某"),
        ];
        ds.visits = vec![
            Visit::new(hid("H1"), cid("A"), t(2, 1, 9), Mode::InPerson),
            Visit::new(hid("H1"), cid("A"), t(2, 1, 9), Mode::InPerson),
            Visit::new(hid("H2"), cid("B"), t(3, 5, 9), Mode::Phone),
        ];
        ds
    }

    /// What validating the whole data set with `push` applied reports at
    /// the appended record.
    fn whole(
        ds: &Dataset,
        opts: &ValidateOptions,
        push: impl Fn(&mut Dataset) -> String,
    ) -> Vec<Problem> {
        let mut all = ds.clone();
        let at = push(&mut all);
        all.validate(opts)
            .problems
            .into_iter()
            .filter(|p| p.location.path.as_deref() == Some(at.as_str()))
            .collect()
    }

    #[test]
    fn visits_as_the_whole_validation_reports_them() {
        let ds = data();
        let checker = RecordChecker::new(&ds);
        let opts = ValidateOptions::new(d(6, 30));
        let visits = [
            Visit::new(hid("H1"), cid("A"), t(6, 3, 9), Mode::InPerson),
            Visit::new(hid("H9"), cid("Z"), t(7, 3, 9), Mode::Phone),
            Visit::new(hid("H2"), cid("B"), t(2, 3, 9), Mode::Phone),
            Visit::new(hid("H2"), cid("B"), t(3, 5, 9), Mode::Phone),
            Visit::new(hid("H1"), cid("A"), t(2, 1, 9), Mode::InPerson),
            Visit::new(hid("H1"), cid("A"), t(2, 1, 9), Mode::Video),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for v in &visits {
            let want = whole(&ds, &opts, |all| {
                all.visits.push(v.clone());
                format!("visits[{}]", all.visits.len() - 1)
            });
            let got = checker.visit(v, &opts);
            assert_eq!(got, want, "{v:?}");
            seen.extend(got.iter().map(|p| p.code));
        }
        // every visit rule was exercised
        for c in [
            Code::VisitUnknownHousehold,
            Code::VisitUnknownCadre,
            Code::VisitFutureDate,
            Code::VisitBeforeRegistration,
            Code::VisitDuplicate,
        ] {
            assert!(seen.contains(&c), "{c:?} exercised");
        }
    }

    #[test]
    fn households_as_the_whole_validation_reports_them() {
        let ds = data();
        let checker = RecordChecker::new(&ds);
        let opts = ValidateOptions::new(d(6, 30));
        let mut future = Household::new(hid("H5"), uid("V1"), Residency::Resident);
        future.registered_on = Some(d(7, 1));
        future.head_birth_date = Some(d(8, 1));
        let households = [
            Household::new(hid("H4"), uid("V1"), Residency::Resident),
            Household::new(hid("H1"), uid("V1"), Residency::Resident),
            Household::new(hid("H4"), uid("V9"), Residency::Away),
            Household::new(hid("H4"), uid("T"), Residency::Away),
            Household::new(hid("H4"), uid("V2"), Residency::Away),
            future,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for h in &households {
            let want = whole(&ds, &opts, |all| {
                all.households.push(h.clone());
                format!("households[{}]", all.households.len() - 1)
            });
            let got = checker.household(h, &opts);
            assert_eq!(got, want, "{h:?}");
            seen.extend(got.iter().map(|p| p.code));
        }
        for c in [
            Code::HouseholdDuplicateId,
            Code::HouseholdUnknownVillage,
            Code::HouseholdNotAVillage,
            Code::HouseholdFutureRegistration,
            Code::HouseholdBadBirthDate,
        ] {
            assert!(seen.contains(&c), "{c:?} exercised");
        }
    }

    #[test]
    fn an_empty_data_set() {
        let checker = RecordChecker::new(&Dataset::new());
        let opts = ValidateOptions::new(d(6, 30));
        let v = Visit::new(hid("H1"), cid("A"), t(6, 1, 9), Mode::Phone);
        let codes: Vec<Code> = checker.visit(&v, &opts).iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec![Code::VisitUnknownHousehold, Code::VisitUnknownCadre]
        );
    }
}
