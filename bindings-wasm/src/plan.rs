//! A cadre's due list kept on the Rust side (`DuePlan` in JavaScript), so
//! that a front end reads only what it shows: counts, a page of households,
//! one household's items. Selection only: the list, its order, its counts
//! and a household's items are the core's ([`DueList::count`],
//! [`DueList::items_of`], [`DueList::household`]).
//!
//! Slices follow `Array.prototype.slice` for what is in range: an offset
//! or a limit past the end gives a shorter (possibly empty) slice, never an
//! error. An offset or a limit that is not a whole number of at least 0
//! (negative, fractional, `NaN`, `Infinity`) is a `field.bad_value`
//! problem at `offset` or `limit`.

use std::ops::Range;

use minqing::cadence::{CadenceRule, EventRule, RoundRule};
use minqing::due::{DueItem, DueList, HouseholdSignal, PresenceDue, SignalLight};
use minqing::id::HouseholdId;
use minqing::problem::{Code, Location, Problem, Report};
use serde::Serialize;

use crate::document::one;

/// What `plan.counts()` returns: households by light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueCounts {
    /// Red households.
    pub red: usize,
    /// Yellow households.
    pub yellow: usize,
    /// Green households.
    pub green: usize,
}

/// What `plan.rules()` returns: the policy's name and rules, as the
/// `DueList` has them (`event_rules` and `round_rules` left out when empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueRules<'a> {
    /// The policy's name.
    pub policy_name: &'a str,
    /// The period rules (`rules[item.rule_index]` for a period item).
    pub rules: &'a [CadenceRule],
    /// The event rules.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub event_rules: &'a [EventRule],
    /// The round rules.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub round_rules: &'a [RoundRule],
}

/// The range `offset..offset + limit` of a list of `len`, cut at its end;
/// `None` is 0 for the offset and "to the end" for the limit.
///
/// # Errors
/// `field.bad_value` at `offset` or `limit`: not a whole number of at
/// least 0.
pub fn slice_range(
    len: usize,
    offset: Option<f64>,
    limit: Option<f64>,
) -> Result<Range<usize>, Report> {
    let index = |x: f64, field: &str| -> Result<usize, Report> {
        if x.is_finite() && x >= 0.0 && x.fract() == 0.0 {
            // saturating: anything past the end is the end
            Ok(if x >= len as f64 { len } else { x as usize })
        } else {
            Err(one(Problem::new(
                Code::FieldBadValue,
                Location::default().with_field(field),
                format!("{field} 应为不小于 0 的整数，而不是 {x}"),
                format!("{field} must be a whole number of at least 0, not {x}"),
            )))
        }
    };
    let start = offset.map_or(Ok(0), |x| index(x, "offset"))?;
    let count = limit.map_or(Ok(len), |x| index(x, "limit"))?;
    Ok(start..start.saturating_add(count).min(len))
}

/// A household ID as given from JavaScript; `None` when it is not a valid
/// ID (and so on no list).
pub fn household_id(id: &str) -> Option<HouseholdId> {
    HouseholdId::new(id).ok()
}

/// A cadre's due list for lazy reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    list: DueList,
}

impl Plan {
    /// Keeps `list`.
    pub fn new(list: DueList) -> Plan {
        Plan { list }
    }

    /// The whole list (`plan.toJSON()`).
    pub fn list(&self) -> &DueList {
        &self.list
    }

    /// Households by light ([`DueList::count`]).
    pub fn counts(&self) -> DueCounts {
        DueCounts {
            red: self.list.count(SignalLight::Red),
            yellow: self.list.count(SignalLight::Yellow),
            green: self.list.count(SignalLight::Green),
        }
    }

    /// How many households the list has.
    pub fn len(&self) -> usize {
        self.list.households.len()
    }

    /// True when the cadre covers no household.
    pub fn is_empty(&self) -> bool {
        self.list.households.is_empty()
    }

    /// How many items the list has.
    pub fn item_count(&self) -> usize {
        self.list.items.len()
    }

    /// Households `offset..offset + limit`, in list order (see
    /// [`slice_range`]).
    ///
    /// # Errors
    /// As [`slice_range`].
    pub fn households(
        &self,
        offset: Option<f64>,
        limit: Option<f64>,
    ) -> Result<&[HouseholdSignal], Report> {
        let hs = &self.list.households;
        Ok(&hs[slice_range(hs.len(), offset, limit)?])
    }

    /// Items `offset..offset + limit`, in list order (see [`slice_range`]).
    ///
    /// # Errors
    /// As [`slice_range`].
    pub fn items(&self, offset: Option<f64>, limit: Option<f64>) -> Result<&[DueItem], Report> {
        let items = &self.list.items;
        Ok(&items[slice_range(items.len(), offset, limit)?])
    }

    /// The items of household `id`, in list order ([`DueList::items_of`]);
    /// none for a household not on the list.
    pub fn items_of<'a>(&'a self, id: &'a HouseholdId) -> Vec<&'a DueItem> {
        self.list.items_of(id).collect()
    }

    /// The signal of household `id` ([`DueList::household`]); `None` for a
    /// household not on the list.
    pub fn household(&self, id: &HouseholdId) -> Option<&HouseholdSignal> {
        self.list.household(id)
    }

    /// The station presence of the cadre's teams (empty unless asked for).
    pub fn presence(&self) -> &[PresenceDue] {
        &self.list.presence
    }

    /// The policy's name and rules.
    pub fn rules(&self) -> DueRules<'_> {
        DueRules {
            policy_name: &self.list.policy_name,
            rules: &self.list.rules,
            event_rules: &self.list.event_rules,
            round_rules: &self.list.round_rules,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::Planner;
    use serde_json::{Value, json};

    const DOC: &str = r#"{"schema": "minqing/1",
        "units": [{"unit_id": "V1", "kind": "village"}],
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"},
                       {"household_id": "H2", "village_id": "V1", "residency": "resident"},
                       {"household_id": "H3", "village_id": "V1", "residency": "resident"},
                       {"household_id": "H4", "village_id": "V1", "residency": "away"}],
        "cadres": [{"cadre_id": "A", "name": "李某某"}],
        "assignments": [{"household_id": "H1", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H2", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H3", "cadre_id": "A", "from": "2024-01-01"},
                        {"household_id": "H4", "cadre_id": "A", "from": "2024-01-01"}],
        "visits": [{"household_id": "H1", "cadre_id": "A", "at": "2024-03-02T09:00:00", "mode": "phone"},
                   {"household_id": "H3", "cadre_id": "A", "at": "2024-03-04T09:00:00", "mode": "in_person"}]}"#;

    fn js<T: Serialize + ?Sized>(x: &T) -> Value {
        serde_json::to_value(x).unwrap()
    }

    fn plan(options: Option<&str>) -> (Plan, DueList) {
        let p = Planner::new(DOC).unwrap();
        let plan = p.plan("A", "2024-03-13", options).unwrap();
        let list = crate::cadence::due_list(DOC, "A", "2024-03-13", options).unwrap();
        (plan, list)
    }

    #[test]
    fn slices_are_the_lists_parts() {
        let (p, list) = plan(None);
        assert_eq!(p.list(), &list, "toJSON is dueList");
        let full = js(&list);
        assert_eq!((p.len(), p.item_count()), (4, list.items.len()));
        assert_eq!(js(p.households(None, None).unwrap()), full["households"]);
        assert_eq!(js(p.items(None, None).unwrap()), full["items"]);
        let hs = full["households"].as_array().unwrap();
        assert_eq!(
            js(p.households(Some(1.0), Some(2.0)).unwrap()),
            json!(hs[1..3])
        );
        assert_eq!(js(p.households(Some(3.0), None).unwrap()), json!(hs[3..]));
        let items = full["items"].as_array().unwrap();
        assert_eq!(
            js(p.items(Some(1.0), Some(1.0)).unwrap()),
            json!(items[1..2])
        );
        for h in hs {
            let id = h["household_id"].as_str().unwrap();
            let mine: Vec<&Value> = items.iter().filter(|i| i["household_id"] == id).collect();
            let id = household_id(id).unwrap();
            assert_eq!(js(&p.items_of(&id)), json!(mine), "{id}");
            assert_eq!(mine.len() as u64, h["items"].as_u64().unwrap());
            assert_eq!(js(&p.household(&id)), *h);
        }
        let c = p.counts();
        assert_eq!(c.red + c.yellow + c.green, 4);
        assert_eq!(c.red, list.count(SignalLight::Red));
        assert_eq!(
            js(&c),
            json!({"red": c.red, "yellow": c.yellow, "green": c.green})
        );
        let rules = js(&p.rules());
        assert_eq!(rules["policy_name"], full["policy_name"]);
        assert_eq!(rules["rules"], full["rules"]);
        assert!(rules.get("event_rules").is_none() && full.get("event_rules").is_none());
        assert_eq!(js(p.presence()), json!([]));
    }

    #[test]
    fn presence_and_other_policies_come_through() {
        let opts = r#"{"policy": "contact_households", "yellowDays": 0}"#;
        let (p, list) = plan(Some(opts));
        assert_eq!(p.list(), &list);
        assert_eq!(p.rules().policy_name, "contact_households");
    }

    #[test]
    fn out_of_range_is_short_and_bad_numbers_are_errors() {
        let (p, _) = plan(None);
        let n = p.item_count() as f64;
        assert!(p.households(Some(4.0), None).unwrap().is_empty());
        assert!(p.households(Some(1e300), Some(1e300)).unwrap().is_empty());
        assert_eq!(p.households(Some(2.0), Some(99.0)).unwrap().len(), 2);
        assert!(p.households(None, Some(0.0)).unwrap().is_empty());
        assert!(p.items(Some(n), Some(5.0)).unwrap().is_empty());
        let h9 = household_id("H9").unwrap();
        assert!(p.items_of(&h9).is_empty());
        assert!(p.household(&h9).is_none());
        assert!(household_id("").is_none());
        for (offset, limit, field) in [
            (Some(-1.0), None, "offset"),
            (Some(0.5), None, "offset"),
            (Some(f64::NAN), None, "offset"),
            (Some(f64::INFINITY), None, "offset"),
            (None, Some(-0.5), "limit"),
            (Some(0.0), Some(f64::INFINITY), "limit"),
        ] {
            let e = p.households(offset, limit).unwrap_err();
            assert_eq!(e.problems[0].code, Code::FieldBadValue);
            assert_eq!(e.problems[0].location.field.as_deref(), Some(field));
            let e = p.items(offset, limit).unwrap_err();
            assert_eq!(e.problems[0].code, Code::FieldBadValue);
        }
        let code = |c: &str, o: Option<&str>| {
            Planner::new(DOC)
                .unwrap()
                .plan(c, "2024-03-13", o)
                .unwrap_err()
                .problems[0]
                .code
        };
        assert_eq!(code("Z", None), Code::FieldBadId);
        assert_eq!(code("A", Some(r#"{"yellow_days": 0}"#)), Code::JsonShape);
    }
}
