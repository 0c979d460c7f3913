//! Policies, compliance, work-station presence and due lists as plain Rust
//! functions over JSON text (natively in `cargo test`, and in WebAssembly).
//! Conversion only: every figure is the core's (`minqing::cadence`,
//! `minqing::compliance`, `minqing::due`); this module reads the inputs,
//! and turns the core's household and rule indices into IDs and names.

use chrono::{NaiveDate, NaiveTime};
use minqing::cadence::{self, OverrideError, Policy, PresenceRule, presets};
use minqing::calendar::Window;
use minqing::compliance::{
    self, Accountability, CadreCompliance, ComplianceError, HouseholdColumns, PresencePeriod,
    StationDayHeld, VillageCompliance,
};
use minqing::dataset::Dataset;
use minqing::due::{DueBook, DueList, DueOptions};
use minqing::event::EventKind;
use minqing::id::CadreId;
use minqing::problem::{Code, CodedError, Location, Problem, Report};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::calls::parse_date;
use crate::document::{Doc, one, read_dataset, read_record};
use crate::requests::read_options;

/// The names of the ready-made policies, as `policyPreset` takes them.
pub const PRESETS: [&str; 4] = presets::NAMES;

fn shape(field: &str, zh: String, en: String) -> Report {
    one(Problem::new(
        Code::JsonShape,
        Location::default().with_field(field),
        zh,
        en,
    ))
}

/// `value` with the fields of `overrides` (an object) put over it
/// ([`cadence::with_overrides`]); `field` names the argument in errors.
fn overridden<T>(value: T, overrides: Option<&Value>, field: &str) -> Result<T, Report>
where
    T: Serialize + for<'de> Deserialize<'de>,
{
    let Some(over) = overrides.filter(|o| !o.is_null()) else {
        return Ok(value);
    };
    let Some(over) = over.as_object() else {
        return Err(shape(
            field,
            format!("{field} 应为对象"),
            format!("{field} must be an object"),
        ));
    };
    cadence::with_overrides(value, over).map_err(|e| override_problem(e, field))
}

/// An [`OverrideError`] as the problem of argument `field` (an unknown
/// preset: of `preset`); code and messages are the core's.
fn override_problem(e: OverrideError, field: &str) -> Report {
    let at = match e {
        OverrideError::UnknownPreset(_) => "preset",
        _ => field,
    };
    one(e.to_problem(Location::default().with_field(at)))
}

/// `policyPreset(name, overrides?)`: the ready-made policy `name` (one of
/// [`PRESETS`]) as a [`Policy`], with `overrides` (fields of the preset's
/// parameter struct, e.g. `hospitalisation_within_days` of
/// `presets::GridOnePlusX`) put over the seed's figures first.
///
/// # Errors
/// `field.bad_value` for an unknown preset; `json.*` for overrides that
/// are not fields of the preset or do not read.
pub fn policy_preset(name: &str, overrides: Option<&Value>) -> Result<Policy, Report> {
    let f = "overrides";
    let empty = serde_json::Map::new();
    let over = match overrides.filter(|o| !o.is_null()) {
        None => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => {
            return Err(shape(
                f,
                format!("{f} 应为对象"),
                format!("{f} must be an object"),
            ));
        }
    };
    presets::by_name_with(name, over).map_err(|e| override_problem(e, f))
}

/// A policy given as a preset name (`"contact_households"`), as
/// `{ "preset": NAME, "overrides": {...} }`, or as a whole [`Policy`]: the
/// core's one reader ([`cadence::policy_from_value`]).
///
/// # Errors
/// `field.bad_value` (at `preset`) for an unknown preset; `json.shape` for
/// a policy that does not read.
pub fn policy_of_value(v: &Value) -> Result<Policy, Report> {
    cadence::policy_from_value(v).map_err(|e| override_problem(e, "policy"))
}

/// [`policy_of_value`] over JSON text; a bare preset name
/// (`contact_households`, not JSON) is read as that preset.
///
/// # Errors
/// As [`policy_of_value`].
pub fn read_policy(text: &str) -> Result<Policy, Report> {
    let t = text.trim();
    if PRESETS.contains(&t) {
        return policy_preset(t, None);
    }
    let v: Value = read_record(text, "policy")?;
    policy_of_value(&v)
}

/// A window (`{ start, end }`, both inclusive) read from JSON text.
///
/// # Errors
/// `json.*`; `field.bad_date` when `end` is before `start`.
pub fn read_window(text: &str) -> Result<Window, Report> {
    let w: Window = read_record(text, "window")?;
    Window::checked(w.start, w.end)
        .map_err(|e| one(e.to_problem(Location::default().with_field("window"))))
}

/// The core's refusal to compute compliance, as a problem.
pub(crate) fn compliance_error(e: ComplianceError) -> Report {
    one(e.to_problem(Location::default().with_field("policy")))
}

/// The options of `compliance` (camelCase); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComplianceInput {
    /// Who the per-cadre figures charge a period to (default `last_day`).
    pub accountability: Option<Accountability>,
}

/// One rule's figures in a [`ComplianceOutput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutput {
    /// The rule's name.
    pub name: String,
    /// `period`, `event` or `round`.
    pub kind: &'static str,
    /// Required household-periods (household-events, household-rounds).
    pub required: u64,
    /// Met ones.
    pub met: u64,
}

/// One required household-period of a period rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodOutput {
    /// The household.
    pub household_id: String,
    /// The rule's name.
    pub rule: String,
    /// The period's first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// Whether it was met.
    pub met: bool,
}

/// One missed household-period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissedOutput {
    /// The household.
    pub household_id: String,
    /// The rule's name.
    pub rule: String,
    /// The period's first day.
    pub start: NaiveDate,
}

/// One event-triggered requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriggeredOutput {
    /// The household.
    pub household_id: String,
    /// The event rule's name.
    pub rule: String,
    /// The event's kind.
    pub kind: EventKind,
    /// The event's day.
    pub event_date: NaiveDate,
    /// The last day a contact counts.
    pub due: NaiveDate,
    /// Whether it was met.
    pub met: bool,
    /// The day of the contact that met it.
    pub met_on: Option<NaiveDate>,
}

/// One household's requirement in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundVisitOutput {
    /// The household.
    pub household_id: String,
    /// The round rule's name.
    pub rule: String,
    /// The round's name.
    pub round: String,
    /// Whether it was met.
    pub met: bool,
    /// The day of the contact that met it.
    pub met_on: Option<NaiveDate>,
}

/// The coverage of one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundOutput {
    /// The round rule's name.
    pub rule: String,
    /// The round's name.
    pub round: String,
    /// Households selected.
    pub selected: u64,
    /// Households visited as the rule asks.
    pub visited: u64,
    /// Per village (`required`: selected, `met`: visited).
    pub villages: Vec<VillageCompliance>,
}

/// What `compliance` returns: the core's `ComplianceReport` with its
/// household and rule indices turned into IDs and names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceOutput {
    /// The policy's name.
    pub policy_name: String,
    /// The window.
    pub window: Window,
    /// Required, all rules.
    pub required: u64,
    /// Met, all rules.
    pub met: u64,
    /// `met / required`, `null` when nothing is required.
    pub rate: Option<f64>,
    /// Per rule: period rules, then event rules, then round rules.
    pub rules: Vec<RuleOutput>,
    /// Per village, by village ID.
    pub villages: Vec<VillageCompliance>,
    /// Every required household-period, by household ID, rule, period.
    pub periods: Vec<PeriodOutput>,
    /// The missed household-periods.
    pub missed: Vec<MissedOutput>,
    /// Every event-triggered requirement.
    pub triggered: Vec<TriggeredOutput>,
    /// Every round requirement.
    pub round_visits: Vec<RoundVisitOutput>,
    /// Coverage per round.
    pub rounds: Vec<RoundOutput>,
    /// Per cadre, by the accountability rule.
    pub cadres: Vec<CadreCompliance>,
    /// Visits counted (in the window, of a known household).
    pub visits_counted: u64,
    /// Visits outside the window.
    pub visits_outside_window: u64,
}

/// `compliance`: the compliance of the data set with `policy` over
/// `window` ([`compliance::compliance_of_dataset`]), per rule, village,
/// household-period, event, round and cadre.
///
/// # Errors
/// The document, policy, window or options cannot be read, or the core
/// refuses the policy (`field.bad_value`).
pub fn compliance<'d>(
    doc: impl Into<Doc<'d>>,
    policy: &str,
    window: &str,
    options: Option<&str>,
) -> Result<ComplianceOutput, Report> {
    let policy = read_policy(policy)?;
    let window = read_window(window)?;
    let options: ComplianceInput = read_options(options, "options")?;
    let ds = doc.into().dataset()?;
    let r = compliance::compliance_of_dataset(&ds, &policy, window).map_err(compliance_error)?;
    let hs = HouseholdColumns::from_households(&ds.households);
    let hid = |h: u32| hs.id(h).to_string();
    let period_rule = |r: u16| policy.rules[r as usize].name.clone();
    let named = |kind, x: (&String, u64, u64)| RuleOutput {
        name: x.0.clone(),
        kind,
        required: x.1,
        met: x.2,
    };
    let rules = (r
        .rules
        .iter()
        .map(|x| named("period", (&x.name, x.required, x.met))))
    .chain(
        r.event_rules
            .iter()
            .map(|x| named("event", (&x.name, x.required, x.met))),
    )
    .chain(
        r.round_rules
            .iter()
            .map(|x| named("round", (&x.name, x.required, x.met))),
    )
    .collect();
    let periods = r
        .period_outcomes()
        .map(|o| PeriodOutput {
            household_id: hid(o.household),
            rule: period_rule(o.rule),
            start: o.period.start,
            end: o.period.end(),
            met: o.met,
        })
        .collect();
    let missed = r
        .missed()
        .map(|m| MissedOutput {
            household_id: hid(m.household),
            rule: period_rule(m.rule),
            start: m.period.start,
        })
        .collect();
    let triggered = r
        .triggered
        .iter()
        .map(|t| TriggeredOutput {
            household_id: hid(t.household),
            rule: policy.event_rules[t.rule as usize].name.clone(),
            kind: t.event_kind.clone(),
            event_date: t.event_date,
            due: t.due,
            met: t.met,
            met_on: t.met_on,
        })
        .collect();
    let round_rule = |rule: u16| &policy.round_rules[rule as usize];
    let round_visits = r
        .round_visits
        .iter()
        .map(|x| RoundVisitOutput {
            household_id: hid(x.household),
            rule: round_rule(x.rule).name.clone(),
            round: round_rule(x.rule).rounds[x.round as usize].name.clone(),
            met: x.met,
            met_on: x.met_on,
        })
        .collect();
    let rounds = r
        .rounds
        .iter()
        .map(|c| RoundOutput {
            rule: round_rule(c.rule).name.clone(),
            round: c.round.clone(),
            selected: c.selected,
            visited: c.visited,
            villages: c.villages.clone(),
        })
        .collect();
    let cadres = r.by_cadre(
        &hs,
        &ds.assignments,
        options.accountability.unwrap_or_default(),
    );
    Ok(ComplianceOutput {
        policy_name: r.policy_name.clone(),
        window: r.window,
        required: r.required,
        met: r.met,
        rate: r.rate(),
        rules,
        villages: r.villages.clone(),
        periods,
        missed,
        triggered,
        round_visits,
        rounds,
        cadres,
        visits_counted: r.visits_counted,
        visits_outside_window: r.visits_outside_window,
    })
}

/// One week or year of a [`PresenceOutput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresencePeriodOutput {
    /// The period's first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// Days of presence in it.
    pub days: u32,
    /// Whether they reach the rule's minimum.
    pub met: bool,
}

impl From<&PresencePeriod> for PresencePeriodOutput {
    fn from(p: &PresencePeriod) -> Self {
        PresencePeriodOutput {
            start: p.period.start,
            end: p.period.end(),
            days: p.days,
            met: p.met,
        }
    }
}

/// What `stationPresence` returns: the core's `PresenceReport` with each
/// period's last day written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresenceOutput {
    /// The team.
    pub team_id: String,
    /// The unit it serves.
    pub unit_id: String,
    /// The days of presence, ascending.
    pub days: Vec<NaiveDate>,
    /// Each week wholly inside the window.
    pub weeks: Vec<PresencePeriodOutput>,
    /// Each year wholly inside the window.
    pub years: Vec<PresencePeriodOutput>,
    /// Each station day: held or not.
    pub station_days: Vec<StationDayHeld>,
}

/// `stationPresence`: the presence of work station `team_id` over `window`
/// ([`compliance::station_presence`]) under the seed's [`PresenceRule`]
/// with `rule`'s fields (any of them) put over it.
///
/// # Errors
/// The document, window or rule cannot be read; `field.bad_id` for a team
/// the data set does not have.
pub fn station_presence<'d>(
    doc: impl Into<Doc<'d>>,
    team_id: &str,
    window: &str,
    rule: Option<&str>,
) -> Result<PresenceOutput, Report> {
    let window = read_window(window)?;
    let over: Option<Value> = rule.map(|r| read_record(r, "rule")).transpose()?;
    let rule = overridden(PresenceRule::default(), over.as_ref(), "rule")?;
    let ds = doc.into().dataset()?;
    let team = ds
        .teams
        .iter()
        .find(|t| t.id.as_str() == team_id)
        .ok_or_else(|| {
            one(Problem::new(
                Code::FieldBadId,
                Location::default().with_field("teamId"),
                format!("数据集中没有工作队 {team_id:?}"),
                format!("the data set has no team {team_id:?}"),
            ))
        })?;
    let r = compliance::station_presence(team, &ds.households, &ds.visits, window, &rule);
    Ok(PresenceOutput {
        team_id: r.team_id,
        unit_id: r.unit_id,
        days: r.days,
        weeks: r.weeks.iter().map(Into::into).collect(),
        years: r.years.iter().map(Into::into).collect(),
        station_days: r.station_days,
    })
}

/// The options of `dueList` (camelCase); every field optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DueInput {
    /// The visit policy: a preset name, `{ preset, overrides }` or a
    /// `Policy` (default: four fixed, three arrivals).
    pub policy: Option<Value>,
    /// Yellow when the deadline is at most this many days away (default 3).
    pub yellow_days: Option<u32>,
    /// The time of `today` at which request signals are taken
    /// (`"HH:MM:SS"`, default 00:00).
    pub request_time: Option<NaiveTime>,
    /// How many days back a household event can still be due (the core's
    /// default when left out).
    pub event_lookback_days: Option<u32>,
    /// The work stations' presence on the list: `true` for the seed's rule
    /// (`presets::work_station`), or an object of `PresenceRule` fields put
    /// over it; `false` or left out: none.
    pub presence: Option<Value>,
}

impl DueInput {
    /// The core's options: its defaults, with what is given here.
    ///
    /// # Errors
    /// A policy that does not read.
    pub fn options(self) -> Result<DueOptions, Report> {
        let mut o = DueOptions::new();
        if let Some(p) = self.policy.filter(|p| !p.is_null()) {
            o = o.policy(policy_of_value(&p)?);
        }
        if let Some(n) = self.yellow_days {
            o = o.yellow_days(n);
        }
        if let Some(t) = self.request_time {
            o = o.request_time(t);
        }
        if let Some(n) = self.event_lookback_days {
            o = o.event_lookback_days(n);
        }
        match self.presence {
            None | Some(Value::Null) | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => o = o.presence(presets::work_station()),
            Some(over @ Value::Object(_)) => {
                o = o.presence(overridden(
                    presets::work_station(),
                    Some(&over),
                    "presence",
                )?)
            }
            Some(_) => {
                return Err(shape(
                    "presence",
                    "presence 应为 true、false 或 PresenceRule 字段的对象".into(),
                    "presence must be true, false or an object of PresenceRule fields".into(),
                ));
            }
        }
        Ok(o)
    }
}

/// The cadre ID argument, checked against the data set
/// ([`minqing::due::known_cadre`]).
fn cadre_of(ds: &Dataset, cadre_id: &str) -> Result<CadreId, Report> {
    let at = || Location::default().with_field("cadreId");
    let id = CadreId::new(cadre_id).map_err(|e| one(e.to_problem(at())))?;
    minqing::due::known_cadre(ds, &id).map_err(|e| one(e.to_problem(at())))?;
    Ok(id)
}

/// A data set read once, for many due lists (`DuePlanner` in
/// JavaScript): the JSON is parsed and checked once; each list indexes the
/// households, assignments, visits and request logs with the core's
/// [`DueBook`] and reads only the cadre's households.
#[derive(Debug, Clone)]
pub struct Planner {
    ds: Dataset,
}

impl Planner {
    /// Reads the document.
    ///
    /// # Errors
    /// The document cannot be read.
    pub fn new(doc: &str) -> Result<Planner, Report> {
        Ok(Planner {
            ds: read_dataset(doc)?,
        })
    }

    /// The planner of a data set already read.
    pub fn of_dataset(ds: Dataset) -> Planner {
        Planner { ds }
    }

    /// The data set.
    pub fn dataset(&self) -> &Dataset {
        &self.ds
    }

    /// The cadre's due list on `today` ([`DueBook::due_list`]).
    ///
    /// # Errors
    /// `today` is not a date, the cadre is not in the data set, or the
    /// options cannot be read.
    pub fn due_list(
        &self,
        cadre_id: &str,
        today: &str,
        options: Option<&str>,
    ) -> Result<DueList, Report> {
        let today = parse_date(today, "today")?;
        let options: DueInput = read_options(options, "options")?;
        let options = options.options()?;
        let cadre = cadre_of(&self.ds, cadre_id)?;
        Ok(DueBook::of_dataset(&self.ds).due_list(&cadre, today, &options))
    }

    /// The cadre's due list on `today`, kept for lazy reading
    /// (`planner.plan` in JavaScript).
    ///
    /// # Errors
    /// As [`Planner::due_list`].
    pub fn plan(
        &self,
        cadre_id: &str,
        today: &str,
        options: Option<&str>,
    ) -> Result<crate::plan::Plan, Report> {
        self.due_list(cadre_id, today, options)
            .map(crate::plan::Plan::new)
    }

    /// The cadres of the data set, by ID.
    pub fn cadres(&self) -> Vec<String> {
        let mut c: Vec<String> = self.ds.cadres.iter().map(|c| c.id.to_string()).collect();
        c.sort();
        c
    }
}

/// `dueList`: the cadre's due list on `today` ([`minqing::due::due_list`]).
///
/// # Errors
/// As [`Planner::new`] and [`Planner::due_list`].
pub fn due_list(
    doc: &str,
    cadre_id: &str,
    today: &str,
    options: Option<&str>,
) -> Result<DueList, Report> {
    Planner::new(doc)?.due_list(cadre_id, today, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minqing::due::SignalLight;

    const DOC: &str = r#"{"schema": "minqing/1",
        "units": [{"unit_id": "V1", "kind": "village"}],
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                       {"household_id": "H2", "village_id": "V1", "residency": "resident"}],
        "cadres": [{"cadre_id": "A", "name": "李某某"}],
        "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H2", "cadre_id": "A", "from": "2024-01-01"}],
        "visits": [{"household_id": "H1", "cadre_id": "A", "at": "2024-03-02T09:00:00", "mode": "phone"}]}"#;

    const Q1: &str = r#"{"start": "2024-01-01", "end": "2024-03-31"}"#;

    #[test]
    fn policies_by_name_preset_object_or_whole() {
        let a = read_policy("contact_households").unwrap();
        let b = read_policy(r#""contact_households""#).unwrap();
        let c = read_policy(r#"{"preset": "contact_households"}"#).unwrap();
        let d = read_policy(&serde_json::to_string(&a).unwrap()).unwrap();
        assert!(a == b && b == c && c == d);
        let g = policy_preset(
            "grid_one_plus_x",
            Some(&serde_json::json!({"hospitalisation_within_days": 5})),
        )
        .unwrap();
        assert_ne!(g, policy_preset("grid_one_plus_x", None).unwrap());
        let code = |t: &str| read_policy(t).unwrap_err().problems[0].code;
        assert_eq!(code("nope"), Code::JsonSyntax);
        assert_eq!(code(r#"{"preset": "nope"}"#), Code::FieldBadValue);
        assert_eq!(
            code(r#"{"preset": "contact_households", "overrides": {"x": 1}}"#),
            Code::JsonShape
        );
        assert_eq!(
            code(r#"{"preset": "contact_households", "y": 1}"#),
            Code::JsonShape
        );
    }

    #[test]
    fn compliance_names_households_and_rules() {
        let r = compliance(DOC, "four_fixed_three_arrivals", Q1, None).unwrap();
        assert_eq!(r.policy_name, "four_fixed_three_arrivals");
        // H1 away: 3 months, March met; H2 resident: 6 half months, none met
        assert_eq!((r.required, r.met), (9, 1));
        assert_eq!(r.periods.len(), 9);
        assert_eq!(r.missed.len(), 8);
        assert_eq!(r.periods[0].household_id, "H1");
        assert_eq!(r.cadres[0].cadre_id, "A");
        assert!(r.rules.iter().all(|x| x.kind == "period"));
        let bad = compliance(
            DOC,
            "four_fixed_three_arrivals",
            r#"{"start": "2024-03-01", "end": "2024-01-01"}"#,
            None,
        );
        assert_eq!(bad.unwrap_err().problems[0].code, Code::WindowReversed);
        let bad = compliance(
            DOC,
            "four_fixed_three_arrivals",
            Q1,
            Some(r#"{"accountability": "whenever"}"#),
        );
        assert_eq!(bad.unwrap_err().problems[0].code, Code::JsonShape);
    }

    #[test]
    fn due_list_through_a_planner() {
        let p = Planner::new(DOC).unwrap();
        let list = p.due_list("A", "2024-03-13", None).unwrap();
        assert_eq!(list.items[0].household_id.as_str(), "H2");
        assert_eq!(list.items[0].light, SignalLight::Red);
        assert_eq!(list, due_list(DOC, "A", "2024-03-13", None).unwrap());
        let y = p
            .due_list(
                "A",
                "2024-03-13",
                Some(r#"{"yellowDays": 0, "policy": "contact_households"}"#),
            )
            .unwrap();
        assert_eq!(y.policy_name, "contact_households");
        let code =
            |c: &str, o: Option<&str>| p.due_list(c, "2024-03-13", o).unwrap_err().problems[0].code;
        assert_eq!(code("Z", None), Code::FieldBadId);
        assert_eq!(code("A", Some(r#"{"yellow_days": 0}"#)), Code::JsonShape);
        assert_eq!(p.cadres(), vec!["A".to_string()]);
    }
}
