//! Who covers which household, over time (包户 / 包联), and the coverage,
//! load and quota checks on a date (seeds 001, 002, 000).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::id::{CadreId, HouseholdId};

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
    pub from: NaiveDate,
    /// The last day covered (inclusive); `None` while it lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

    /// True when the two spans share at least one day.
    pub fn overlaps(&self, other: &Assignment) -> bool {
        let a_end = self.to.unwrap_or(NaiveDate::MAX);
        let b_end = other.to.unwrap_or(NaiveDate::MAX);
        self.from <= b_end && other.from <= a_end
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
}
