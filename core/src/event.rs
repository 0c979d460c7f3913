//! Household events (家庭大事): a hospitalisation, a wedding, a funeral…
//! Seed 000 part 5 makes some of them trigger a visit: among the ten
//! must-visit households (十必访) are "families struck by a major illness or
//! hospitalisation" (发生大病住院等重大变故家庭必访) and "weddings and
//! funerals of party members and residents" (红白喜事必访). The cadence rule
//! that such an event triggers is [`crate::cadence::EventRule`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::id::HouseholdId;

/// What happened to a household. The named kinds are the ones seed 000
/// names; any other word is kept as [`EventKind::Custom`]. In JSON a kind is
/// one word: `"hospitalisation"`, `"wedding"`, `"funeral"` or the custom
/// word as written.
///
/// ```
/// use minqing::event::EventKind;
/// assert_eq!(EventKind::parse("wedding"), EventKind::Wedding);
/// assert_eq!(EventKind::parse("new_baby"), EventKind::Custom("new_baby".into()));
/// assert_eq!(EventKind::Funeral.zh(), "丧事");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// 住院: a member was admitted to hospital (a major illness).
    Hospitalisation,
    /// 婚事: a wedding (红事).
    Wedding,
    /// 丧事: a funeral (白事).
    Funeral,
    /// Any other event, kept as written.
    Custom(String),
}

impl EventKind {
    /// Every named kind.
    pub const KNOWN: &'static [EventKind] = &[
        EventKind::Hospitalisation,
        EventKind::Wedding,
        EventKind::Funeral,
    ];

    /// The word used in files.
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::Hospitalisation => "hospitalisation",
            EventKind::Wedding => "wedding",
            EventKind::Funeral => "funeral",
            EventKind::Custom(s) => s,
        }
    }

    /// The Chinese name of a named kind; a custom kind as written.
    pub fn zh(&self) -> &str {
        match self {
            EventKind::Hospitalisation => "住院",
            EventKind::Wedding => "婚事",
            EventKind::Funeral => "丧事",
            EventKind::Custom(s) => s,
        }
    }

    /// The kind for a word: a named kind when the word is one, else
    /// [`EventKind::Custom`].
    pub fn parse(s: &str) -> EventKind {
        match s {
            "hospitalisation" => EventKind::Hospitalisation,
            "wedding" => EventKind::Wedding,
            "funeral" => EventKind::Funeral,
            other => EventKind::Custom(other.to_string()),
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        crate::io::cell::event_kind(&s).ok_or_else(|| {
            serde::de::Error::custom(
                "event kind is empty or has white space at an end or a control character",
            )
        })
    }
}

/// One event of a household on a day (a date, no time: the rules count
/// whole days).
///
/// ```
/// use minqing::event::{EventKind, HouseholdEvent};
/// use minqing::id::HouseholdId;
/// use chrono::NaiveDate;
/// let e = HouseholdEvent::new(
///     HouseholdId::new("H1")?,
///     NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
///     EventKind::Hospitalisation,
/// );
/// let json = serde_json::to_string(&e).unwrap();
/// assert_eq!(json, r#"{"household_id":"H1","date":"2024-02-29","kind":"hospitalisation"}"#);
/// assert_eq!(serde_json::from_str::<HouseholdEvent>(&json).unwrap(), e);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdEvent {
    /// The household it happened to.
    #[serde(rename = "household_id")]
    pub household: HouseholdId,
    /// The day it happened (or became known).
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

impl HouseholdEvent {
    /// An event of `kind` for `household` on `date`.
    pub fn new(household: HouseholdId, date: NaiveDate, kind: EventKind) -> Self {
        HouseholdEvent {
            household,
            date,
            kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_refuse_blank() {
        for k in EventKind::KNOWN {
            let j = serde_json::to_string(k).unwrap();
            assert_eq!(serde_json::from_str::<EventKind>(&j).unwrap(), *k);
        }
        let c: EventKind = serde_json::from_str(r#""满月酒""#).unwrap();
        assert_eq!(c, EventKind::Custom("满月酒".into()));
        assert_eq!(c.zh(), "满月酒");
        assert!(serde_json::from_str::<EventKind>(r#""""#).is_err());
        assert!(serde_json::from_str::<EventKind>(r#"" x""#).is_err());
    }
}
