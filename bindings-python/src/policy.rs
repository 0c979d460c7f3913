//! Cadence policies and the work-station presence rule from Python:
//! `minqing.Policy` and `minqing.PresenceRule`, newtypes over
//! [`minqing::cadence::Policy`] and [`minqing::cadence::PresenceRule`].
//!
//! A preset's figures are the fields of its core struct
//! (`presets::FourFixedThreeArrivals` and the others); keyword overrides
//! replace fields of that struct through its serde form, so the binding
//! knows no figure itself.

use minqing::cadence::{
    OverrideError, Policy as CorePolicy, PresenceRule as CorePresenceRule, presets, with_overrides,
};
use minqing::problem::{CodedError, Location};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::convert::{from_py, to_json, to_py};
use crate::errors::Failure;

/// The keyword `overrides` as the JSON object the core's
/// [`with_overrides`] takes (a text value is the value itself, not a JSON
/// document).
fn override_map(overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Map<String, Value>> {
    let mut map = Map::new();
    for (k, x) in overrides.into_iter().flat_map(|o| o.iter()) {
        let value = match x.cast::<PyString>() {
            Ok(t) => Value::String(t.extract()?),
            Err(_) => to_json(&x)?,
        };
        map.insert(k.extract()?, value);
    }
    Ok(map)
}

/// An [`OverrideError`] as Python says it, in the core's words: an unknown
/// field is a `TypeError` (as of an unexpected keyword argument), a value
/// that does not fit a `ParseError`, an unknown preset an `InputError`.
fn override_error(py: Python<'_>, e: OverrideError, what: &str) -> PyErr {
    match e {
        OverrideError::UnknownField { .. } => {
            PyTypeError::new_err(format!("{what}: {}", e.message().en))
        }
        OverrideError::BadValue(_) => {
            Failure::of_override(&e, Location::default().at_path(what)).into_pyerr(py)
        }
        _ => Failure::of_override(&e, Location::default().with_field(what)).into_pyerr(py),
    }
}

/// `value` with the keyword `overrides` put over its fields
/// ([`with_overrides`]).
pub(crate) fn overridden<T: Serialize + DeserializeOwned>(
    py: Python<'_>,
    value: T,
    overrides: Option<&Bound<'_, PyDict>>,
    what: &str,
) -> PyResult<T> {
    with_overrides(value, &override_map(overrides)?).map_err(|e| override_error(py, e, what))
}

/// The preset `name` with `overrides` put over its struct's fields.
fn preset(
    py: Python<'_>,
    name: &str,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<CorePolicy> {
    presets::by_name_with(name, &override_map(overrides)?)
        .map_err(|e| override_error(py, e, &format!("preset {name}")))
}

/// A visit policy: cadence rules (every half month, every month, every
/// week), event-triggered rules (a visit within days of a hospitalisation,
/// a wedding or a funeral) and campaign-round rules (遍访). Build one from
/// a preset, with keyword overrides of the preset's figures, or from the
/// core's JSON shape; pass it as ``policy=`` to ``Dataset.compliance``,
/// ``compliance_csv``, ``compliance_arrow`` and ``due_list``. Immutable.
///
/// >>> import minqing
/// >>> p = minqing.Policy.four_fixed_three_arrivals(resident_period="iso_week")
/// >>> p
/// Policy(name="four_fixed_three_arrivals", rules=['resident', 'away'], event_rules=[], round_rules=[])
/// >>> p.to_dict()["rules"][0]["period"]
/// 'iso_week'
/// >>> minqing.Policy.from_json(p.to_json()) == p
/// True
#[pyclass(module = "minqing", name = "Policy", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct Policy(pub(crate) CorePolicy);

impl From<CorePolicy> for Policy {
    fn from(p: CorePolicy) -> Self {
        Policy(p)
    }
}

impl From<Policy> for CorePolicy {
    fn from(p: Policy) -> Self {
        p.0
    }
}

#[pymethods]
impl Policy {
    /// The preset called ``name`` (``"four_fixed_three_arrivals"``,
    /// ``"contact_households"``, ``"grid_one_plus_x"``,
    /// ``"visit_all_rounds"``), its figures changed by the keyword
    /// arguments (the fields of the preset: see the preset's own method).
    ///
    /// >>> minqing.Policy.preset("grid_one_plus_x", hospitalisation_within_days=5).event_rule_names
    /// ['hospitalisation', 'wedding_or_funeral']
    #[staticmethod]
    #[pyo3(signature = (name, **overrides))]
    fn preset(py: Python<'_>, name: &str, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        preset(py, name, overrides).map(Policy)
    }

    /// "Four fixed, three arrivals" (四定三到, seed 001): a resident
    /// household visited in person every half month, an away household
    /// contacted (phone counts) every month. Fields: ``resident_period``,
    /// ``resident_min``, ``resident_modes``, ``away_period``, ``away_min``,
    /// ``away_modes``, ``signed_only``.
    ///
    /// >>> minqing.Policy.four_fixed_three_arrivals(signed_only=True).to_dict()["rules"][0]["signed_only"]
    /// True
    #[staticmethod]
    #[pyo3(signature = (**overrides))]
    fn four_fixed_three_arrivals(
        py: Python<'_>,
        overrides: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        preset(py, "four_fixed_three_arrivals", overrides).map(Policy)
    }

    /// Contact households (联系户, seed 002): a visit every week. Fields:
    /// ``period``, ``min_visits``, ``modes``, ``signed_only``.
    ///
    /// >>> minqing.Policy.contact_households(min_visits=2).to_dict()["rules"][0]["min_contacts"]
    /// 2
    #[staticmethod]
    #[pyo3(signature = (**overrides))]
    fn contact_households(py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        preset(py, "contact_households", overrides).map(Policy)
    }

    /// The grid "1+X" and the ten must-visit households (十必访, seed 000):
    /// must-visit households every week, contact households every week, and
    /// a visit within days of a hospitalisation, a wedding or a funeral.
    /// Fields: ``must_visit_tags``, ``resident_period``, ``resident_modes``,
    /// ``away_period``, ``away_modes``, ``contact_period``,
    /// ``contact_modes``, ``hospitalisation_within_days``,
    /// ``wedding_funeral_within_days``, ``event_modes``, ``signed_only``.
    ///
    /// >>> minqing.Policy.grid_one_plus_x().rule_names
    /// ['must_visit_resident', 'must_visit_away', 'contact_household']
    #[staticmethod]
    #[pyo3(signature = (**overrides))]
    fn grid_one_plus_x(py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        preset(py, "grid_one_plus_x", overrides).map(Policy)
    }

    /// Visit-all rounds (遍访, seed 004): every resident household visited
    /// in person once each round, away households by an evening visit or
    /// phone. ``rounds`` is a list of ``{"name": ..., "window": {"start":
    /// ..., "end": ...}}``. Other fields: ``resident_modes``,
    /// ``include_away``, ``away_modes``, ``min_contacts``, ``signed_only``.
    ///
    /// >>> p = minqing.Policy.visit_all_rounds(rounds=[
    /// ...     {"name": "第一轮", "window": {"start": datetime.date(2024, 2, 1), "end": datetime.date(2024, 2, 29)}}])
    /// >>> (p.round_rule_names, p.to_dict()["round_rules"][0]["rounds"][0]["name"])
    /// (['resident', 'away'], '第一轮')
    #[staticmethod]
    #[pyo3(signature = (**overrides))]
    fn visit_all_rounds(py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        preset(py, "visit_all_rounds", overrides).map(Policy)
    }

    /// A policy from the core's JSON shape (text, or a dict as from
    /// ``to_dict``). Raises ``ParseError`` when it does not fit.
    ///
    /// >>> minqing.Policy.from_json('{"name": "mine", "rules": []}').name
    /// 'mine'
    #[staticmethod]
    fn from_json(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        from_py(data, "policy").map(Policy)
    }

    /// The policy as JSON text (the core's shape).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The policy as a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    /// The policy's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The names of the period rules, in order.
    #[getter]
    fn rule_names(&self) -> Vec<String> {
        self.0.rules.iter().map(|r| r.name.clone()).collect()
    }

    /// The names of the event-triggered rules, in order.
    #[getter]
    fn event_rule_names(&self) -> Vec<String> {
        self.0.event_rules.iter().map(|r| r.name.clone()).collect()
    }

    /// The names of the campaign-round rules, in order.
    #[getter]
    fn round_rule_names(&self) -> Vec<String> {
        self.0.round_rules.iter().map(|r| r.name.clone()).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Policy(name={:?}, rules={}, event_rules={}, round_rules={})",
            self.0.name,
            py_list(&self.rule_names()),
            py_list(&self.event_rule_names()),
            py_list(&self.round_rule_names())
        )
    }
}

/// Names as a Python list shows them: `['a', 'b']`.
fn py_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    format!("[{}]", quoted.join(", "))
}

/// A policy argument: a ``Policy``, a preset name, or a policy in the
/// core's JSON shape (dict or text); `None` gives `default`.
pub(crate) fn policy_arg(
    policy: Option<&Bound<'_, PyAny>>,
    default: fn() -> CorePolicy,
) -> PyResult<CorePolicy> {
    let Some(policy) = policy.filter(|p| !p.is_none()) else {
        return Ok(default());
    };
    if let Ok(p) = policy.cast::<Policy>() {
        return Ok(p.get().0.clone());
    }
    let py = policy.py();
    let value = match policy.cast::<PyString>() {
        // a bare preset name, or a policy as JSON text
        Ok(s) => {
            let text: String = s.extract()?;
            if text.trim_start().starts_with('{') {
                to_json(policy)?
            } else {
                serde_json::Value::String(text)
            }
        }
        Err(_) => to_json(policy)?,
    };
    minqing::cadence::policy_from_value(&value).map_err(|e| {
        Failure::of_override(&e, Location::default().with_field("policy")).into_pyerr(py)
    })
}

/// Seed 003's work-station presence rule (群众工作站): the team in the
/// village at least 1 day a week and 52 days a year, station days 逢五 (the
/// 5th, 15th and 25th). Pass it to ``station_presence``. Immutable.
///
/// >>> r = minqing.PresenceRule.work_station(min_days_per_year=40)
/// >>> r
/// PresenceRule(modes=['in_person', 'at_station'], week='iso_week', min_days_per_week=1, year='year', min_days_per_year=40, station_days=[5, 15, 25])
/// >>> minqing.PresenceRule.from_json(r.to_json()) == r
/// True
#[pyclass(module = "minqing", name = "PresenceRule", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceRule(pub(crate) CorePresenceRule);

#[pymethods]
impl PresenceRule {
    /// The seed's rule, its figures changed by the keyword arguments:
    /// ``modes``, ``week``, ``min_days_per_week``, ``year``,
    /// ``min_days_per_year``, ``station_days`` (a list of days of the month).
    #[staticmethod]
    #[pyo3(signature = (**overrides))]
    fn work_station(py: Python<'_>, overrides: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        presence_rule(py, presets::work_station(), overrides).map(PresenceRule)
    }

    /// A rule from the core's JSON shape (text or dict).
    #[staticmethod]
    fn from_json(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        from_py(data, "presence rule").map(PresenceRule)
    }

    /// The rule as JSON text (the core's shape).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The rule as a dict (the core's JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    fn __repr__(&self) -> String {
        let r = &self.0;
        let modes: Vec<String> = r
            .modes
            .iter()
            .map(|m| format!("'{}'", m.as_str()))
            .collect();
        format!(
            "PresenceRule(modes=[{}], week='{}', min_days_per_week={}, year='{}', min_days_per_year={}, station_days={:?})",
            modes.join(", "),
            r.week.as_str(),
            r.min_days_per_week,
            r.year.as_str(),
            r.min_days_per_year,
            r.station_days.days
        )
    }
}

/// `rule` with keyword overrides; `station_days` may be given as a plain
/// list of days (the core's shape is `{"days": [...]}`).
pub(crate) fn presence_rule(
    py: Python<'_>,
    rule: CorePresenceRule,
    overrides: Option<&Bound<'_, PyDict>>,
) -> PyResult<CorePresenceRule> {
    let Some(over) = overrides else {
        return Ok(rule);
    };
    let over = over.copy()?;
    if let Some(days) = over.get_item("station_days")? {
        if let Ok(Value::Array(list)) = to_json(&days) {
            over.set_item(
                "station_days",
                to_py(py, &serde_json::json!({ "days": list }))?,
            )?;
        }
    }
    overridden(py, rule, Some(&over), "work_station")
}
