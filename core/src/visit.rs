//! Visits and contacts (走访 / 联系): who reached which household, when and how.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::cadre::word_enum;
use crate::id::{CadreId, HouseholdId};

word_enum! {
    /// How the contact was made.
    Mode {
        /// 入户走访: at the household, in person.
        InPerson = "in_person", "入户走访";
        /// 电话联系: by phone (counts for away households, seed 001).
        Phone = "phone", "电话联系";
        /// 视频联系: by video call.
        Video = "video", "视频联系";
        /// 到站接待: the household came to the work station (seed 003).
        AtStation = "at_station", "到站接待";
    }
}

impl Mode {
    /// True for a face-to-face contact (in person or at the station).
    pub fn is_face_to_face(self) -> bool {
        matches!(self, Mode::InPerson | Mode::AtStation)
    }
}

/// One visit or contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// The household reached.
    #[serde(rename = "household_id")]
    pub household: HouseholdId,
    /// The cadre who made the contact.
    #[serde(rename = "cadre_id")]
    pub cadre: CadreId,
    /// When, in China Standard Time (no offset is written).
    #[serde(with = "crate::io::date::serde_formats::datetime")]
    pub at: NaiveDateTime,
    /// How.
    pub mode: Mode,
    /// Whether the household signed the cadre's work log; attendance is
    /// proven by that signature (考勤以农牧民在工作日志上签字为依据, seed 001).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed: bool,
    /// A free note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Visit {
    /// An unsigned visit with no note.
    pub fn new(household: HouseholdId, cadre: CadreId, at: NaiveDateTime, mode: Mode) -> Self {
        Visit {
            household,
            cadre,
            at,
            mode,
            signed: false,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_json_round_trip() {
        let at = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        let mut v = Visit::new(
            HouseholdId::new("H1").unwrap(),
            CadreId::new("C1").unwrap(),
            at,
            Mode::Phone,
        );
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(j["at"], "2024-02-29T09:30:00");
        assert_eq!(j["mode"], "phone");
        assert!(j.get("signed").is_none());
        v.signed = true;
        let back: Visit = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        assert_eq!(back, v);
        assert!(Mode::AtStation.is_face_to_face());
        assert!(!Mode::Video.is_face_to_face());
    }
}
