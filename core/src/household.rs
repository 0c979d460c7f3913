//! Households (户): the unit that is visited.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::id::{HouseholdId, UnitId};

/// Whether a household lives in the village (常住户) or works elsewhere
/// (外出户). Seed 001: 4,760 resident and 4,590 away households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Residency {
    /// 常住户: lives in the village; visited in person.
    Resident,
    /// 外出户: its members work elsewhere; a phone call counts as contact.
    Away,
}

impl Residency {
    /// Both values.
    pub const ALL: [Residency; 2] = [Residency::Resident, Residency::Away];

    /// The word used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Residency::Resident => "resident",
            Residency::Away => "away",
        }
    }

    /// The residency for a word used in files.
    pub fn parse(s: &str) -> Option<Residency> {
        match s {
            "resident" => Some(Residency::Resident),
            "away" => Some(Residency::Away),
            _ => None,
        }
    }
}

impl fmt::Display for Residency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! tags {
    ($( $(#[$doc:meta])* $variant:ident = $s:literal, $zh:literal; )*) => {
        /// A household tag. The named tags are the ones the seeds' rules use
        /// (formats.md); any other word is kept as [`Tag::Custom`].
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Tag {
            $( $(#[$doc])* $variant, )*
            /// Any other tag, kept as written.
            Custom(String),
        }

        impl Tag {
            /// Every named tag.
            pub const KNOWN: &'static [Tag] = &[$(Tag::$variant),*];

            /// The word used in files.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Tag::$variant => $s,)*
                    Tag::Custom(s) => s,
                }
            }

            /// The Chinese name of a named tag; a custom tag as written.
            pub fn zh(&self) -> &str {
                match self {
                    $(Tag::$variant => $zh,)*
                    Tag::Custom(s) => s,
                }
            }

            /// The tag for a word: a named tag when the word is one, else
            /// [`Tag::Custom`].
            pub fn parse(s: &str) -> Tag {
                match s {
                    $($s => Tag::$variant,)*
                    other => Tag::Custom(other.to_string()),
                }
            }
        }
    };
}

tags! {
    /// 独居老人: elderly living alone.
    ElderlyAlone = "elderly_alone", "独居老人";
    /// 70岁以上: aged 70 or over (also derivable from the head's birth date).
    Aged70Plus = "aged_70_plus", "70岁以上老人";
    /// 困难户: hardship household.
    Hardship = "hardship", "困难户";
    /// 残疾人户: a disabled member.
    Disabled = "disabled", "残疾人户";
    /// 大病户: major illness or hospitalisation.
    MajorIllness = "major_illness", "大病户";
    /// 矛盾纠纷户: a neighbour dispute.
    Dispute = "dispute", "矛盾纠纷户";
    /// 外出务工户: migrant workers.
    MigrantWorker = "migrant_worker", "外出务工户";
    /// 种养大户: a large farming household.
    LargeFarm = "large_farm", "种养大户";
    /// 党员: party members.
    PartyMember = "party_member", "党员户";
    /// 代表: deputies and representatives.
    Representative = "representative", "代表户";
    /// 低保户: minimum living allowance.
    LowIncome = "low_income", "低保户";
    /// 五保户: five-guarantees household.
    FiveGuarantees = "five_guarantees", "五保户";
    /// 上访户: petitioner.
    Petitioner = "petitioner", "上访户";
    /// 联系户: a contact household (seed 002), visited weekly.
    ContactHousehold = "contact_household", "联系户";
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Tag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        check_tag(&s).map_err(serde::de::Error::custom)?;
        Ok(Tag::parse(&s))
    }
}

/// Checks that `s` can be a tag: non-empty, no `|` (the list separator),
/// no white space at the ends, no control character.
///
/// # Errors
/// A message in English saying what is wrong.
pub fn check_tag(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        Err("tag is empty")
    } else if s.contains('|') {
        Err("tag contains `|`, the list separator")
    } else if s.trim() != s || s.chars().any(char::is_control) {
        Err("tag has white space at an end or a control character")
    } else {
        Ok(())
    }
}

/// One household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// Its ID, unique among households.
    #[serde(rename = "household_id")]
    pub id: HouseholdId,
    /// The village it belongs to.
    #[serde(rename = "village_id")]
    pub village: UnitId,
    /// Resident or away.
    pub residency: Residency,
    /// Tags that select the rules which apply to it.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<Tag>,
    /// The head of household's name (personal data: never published unmasked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A contact phone number (personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// How many people live in the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u32>,
    /// The head of household's birth date, so that "aged 70 or over on a
    /// date" can be derived.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::io::date::serde_formats::opt_date"
    )]
    pub head_birth_date: Option<NaiveDate>,
    /// The day the household was registered; it counts from then on.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::io::date::serde_formats::opt_date"
    )]
    pub registered_on: Option<NaiveDate>,
}

impl Household {
    /// A household with no tags and no optional fields.
    pub fn new(id: HouseholdId, village: UnitId, residency: Residency) -> Self {
        Household {
            id,
            village,
            residency,
            tags: BTreeSet::new(),
            name: None,
            phone: None,
            members: None,
            head_birth_date: None,
            registered_on: None,
        }
    }

    /// The same household with `tag` added.
    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.insert(tag);
        self
    }

    /// True when the household carries `tag`.
    pub fn has_tag(&self, tag: &Tag) -> bool {
        self.tags.contains(tag)
    }

    /// The head's age in whole years on `on`, when the birth date is known.
    ///
    /// ```
    /// # use minqing::household::{Household, Residency};
    /// # use minqing::id::{HouseholdId, UnitId};
    /// use chrono::NaiveDate;
    /// let mut h = Household::new(HouseholdId::new("H1")?, UnitId::new("V1")?, Residency::Resident);
    /// h.head_birth_date = NaiveDate::from_ymd_opt(1954, 3, 1);
    /// assert_eq!(h.head_age_on(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()), Some(69));
    /// assert_eq!(h.head_age_on(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()), Some(70));
    /// # Ok::<(), minqing::id::IdError>(())
    /// ```
    pub fn head_age_on(&self, on: NaiveDate) -> Option<u32> {
        let born = self.head_birth_date?;
        if on < born {
            return None;
        }
        let mut age = on.year() - born.year();
        if (on.month(), on.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        u32::try_from(age).ok()
    }

    /// True when the household is "aged 70 or over" on `on` (十必访, seed 000):
    /// tagged [`Tag::Aged70Plus`], or the head is `min_age` or older by the
    /// birth date. Someone born on 29 February turns a year older on 1 March
    /// in common years.
    pub fn is_elderly_on(&self, on: NaiveDate, min_age: u32) -> bool {
        self.has_tag(&Tag::Aged70Plus) || self.head_age_on(on).is_some_and(|a| a >= min_age)
    }

    /// True when the household counts on `on`: registered on or before it
    /// (or no registration date known).
    pub fn is_registered_on(&self, on: NaiveDate) -> bool {
        self.registered_on.is_none_or(|r| r <= on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tags_parse_known_and_custom() {
        for t in Tag::KNOWN {
            assert_eq!(&Tag::parse(t.as_str()), t);
        }
        assert_eq!(Tag::parse("beekeeper"), Tag::Custom("beekeeper".into()));
        assert_eq!(Tag::parse("contact_household").zh(), "联系户");
    }

    #[test]
    fn tag_serde_refuses_separator() {
        assert!(serde_json::from_str::<Tag>("\"a|b\"").is_err());
        assert!(serde_json::from_str::<Tag>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<Tag>("\"hardship\"").unwrap(),
            Tag::Hardship
        );
    }

    #[test]
    fn age_on_leap_day_birthday() {
        let mut h = Household::new(
            HouseholdId::new("H").unwrap(),
            UnitId::new("V").unwrap(),
            Residency::Away,
        );
        h.head_birth_date = Some(d(1952, 2, 29));
        assert_eq!(h.head_age_on(d(2022, 2, 28)), Some(69));
        assert_eq!(h.head_age_on(d(2022, 3, 1)), Some(70));
        assert_eq!(h.head_age_on(d(2024, 2, 29)), Some(72));
        assert_eq!(h.head_age_on(d(1950, 1, 1)), None);
        assert!(h.is_elderly_on(d(2022, 3, 1), 70));
        assert!(!h.is_elderly_on(d(2022, 2, 28), 70));
    }

    #[test]
    fn registration_bounds_counting() {
        let mut h = Household::new(
            HouseholdId::new("H").unwrap(),
            UnitId::new("V").unwrap(),
            Residency::Resident,
        );
        assert!(h.is_registered_on(d(2000, 1, 1)));
        h.registered_on = Some(d(2024, 3, 10));
        assert!(!h.is_registered_on(d(2024, 3, 9)));
        assert!(h.is_registered_on(d(2024, 3, 10)));
    }
}
