//! Cadres (干部), their duties and duty status over time, and the village
//! work teams and work stations they form (seeds 001, 003).

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::id::{CadreId, TeamId, UnitId};

macro_rules! word_enum {
    (
        $(#[$tdoc:meta])* $name:ident {
            $( $(#[$doc:meta])* $variant:ident = $s:literal, $zh:literal; )*
        }
    ) => {
        $(#[$tdoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$doc])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The word used in files.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)* }
            }

            /// The Chinese name.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)* }
            }

            /// The value for a word used in files.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)* _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use word_enum;

word_enum! {
    /// A cadre's rank, as far as the rules care (seed 002: a leader covers
    /// at least 2 contact households; seed 001: the team leader comes from
    /// the township, the deputy is the village party secretary).
    Rank {
        /// 领导干部: a township or county leader.
        Leader = "leader", "领导干部";
        /// 中层干部: a middle-ranking cadre.
        Middle = "middle", "中层干部";
        /// 一般干部: an ordinary township cadre.
        Ordinary = "ordinary", "一般干部";
        /// 村干部: a village cadre (e.g. the party branch secretary).
        Village = "village", "村干部";
        /// 选派干部: a cadre dispatched from the city or county (seed 001).
        Dispatched = "dispatched", "选派干部";
    }
}

word_enum! {
    /// The five duties every household cadre carries (五大员, seed 001).
    Duty {
        /// 联络员: liaison.
        Liaison = "liaison", "联络员";
        /// 宣传员: publicity.
        Publicity = "publicity", "宣传员";
        /// 代办员: proxy, carries matters for the household.
        Proxy = "proxy", "代办员";
        /// 帮扶员: assistance.
        Assistance = "assistance", "帮扶员";
        /// 调解员: mediator, the first responder in disputes.
        Mediator = "mediator", "调解员";
    }
}

word_enum! {
    /// What a cadre is doing, as shown on the office door (工作状态, seed 001)
    /// so that residents know whether to wait or to phone.
    DutyStatus {
        /// 在岗: in the office.
        OnDuty = "on_duty", "在岗";
        /// 下乡: out in the villages.
        InField = "in_field", "下乡";
        /// 培训: in training.
        Training = "training", "培训";
        /// 开会: in a meeting.
        Meeting = "meeting", "开会";
        /// 请假: on leave.
        OnLeave = "on_leave", "请假";
    }
}

/// How many households a cadre may cover: `min..=max`.
/// Seed 001: 60 to 70 households a cadre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LoadBounds {
    /// The fewest households.
    pub min: u32,
    /// The most households.
    pub max: u32,
}

impl LoadBounds {
    /// Bounds `min..=max`.
    pub fn new(min: u32, max: u32) -> Self {
        LoadBounds { min, max }
    }

    /// Seed 001's 60 to 70 households a cadre (四定三到).
    pub fn seed_001() -> Self {
        LoadBounds { min: 60, max: 70 }
    }

    /// True when `n` lies within the bounds.
    pub fn contains(self, n: u32) -> bool {
        self.min <= n && n <= self.max
    }
}

impl Default for LoadBounds {
    fn default() -> Self {
        LoadBounds::seed_001()
    }
}

fn all_duties() -> BTreeSet<Duty> {
    Duty::ALL.iter().copied().collect()
}

fn is_all_duties(d: &BTreeSet<Duty>) -> bool {
    *d == all_duties()
}

/// One cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadre {
    /// Its ID, unique among cadres.
    #[serde(rename = "cadre_id")]
    pub id: CadreId,
    /// The cadre's name (shown on the contact card 连心卡).
    pub name: String,
    /// The phone number on the contact card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Rank, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<Rank>,
    /// The home unit (the township office, or the village of a village cadre).
    #[serde(rename = "unit_id", default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// The lowest number of households this cadre should cover; `None`
    /// means the policy's default.
    #[serde(
        rename = "min_households",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub min_households: Option<u32>,
    /// The highest number; `None` means the policy's default.
    #[serde(
        rename = "max_households",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub max_households: Option<u32>,
    /// The duties the cadre carries; all five by default (seed 001).
    #[serde(default = "all_duties", skip_serializing_if = "is_all_duties")]
    pub duties: BTreeSet<Duty>,
}

impl Cadre {
    /// A cadre with all five duties and no optional fields.
    pub fn new(id: CadreId, name: impl Into<String>) -> Self {
        Cadre {
            id,
            name: name.into(),
            phone: None,
            rank: None,
            unit: None,
            min_households: None,
            max_households: None,
            duties: all_duties(),
        }
    }

    /// This cadre's load bounds: its own where set, else `default`'s.
    pub fn load_bounds(&self, default: LoadBounds) -> LoadBounds {
        LoadBounds {
            min: self.min_households.unwrap_or(default.min),
            max: self.max_households.unwrap_or(default.max),
        }
    }
}

word_enum! {
    /// The kind of a team posted to a village.
    TeamKind {
        /// 驻村工作队: a village work team (seed 001).
        WorkTeam = "work_team", "驻村工作队";
        /// 群众工作站: a work station (seed 003).
        WorkStation = "work_station", "群众工作站";
        /// 网格小组: a grid team, "1+X" (seed 000).
        GridTeam = "grid_team", "网格小组";
    }
}

/// A village work team or work station: a leader from the township, a
/// deputy (the village party secretary, seed 001) and members ranked first,
/// second, third responsible (第一、第二、第三责任人, seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// Its ID, unique among teams.
    #[serde(rename = "team_id")]
    pub id: TeamId,
    /// What kind of team.
    pub kind: TeamKind,
    /// The village (or grid) it serves.
    #[serde(rename = "unit_id")]
    pub unit: UnitId,
    /// The leader (队长 / 站长).
    pub leader: CadreId,
    /// The deputy (副队长).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy: Option<CadreId>,
    /// Members in order of responsibility: the first is the first
    /// responsible, then the second, the third, and so on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<CadreId>,
}

impl Team {
    /// Every cadre of the team: leader, deputy, members, without repeats,
    /// in that order.
    pub fn cadres(&self) -> Vec<&CadreId> {
        let mut out: Vec<&CadreId> = vec![&self.leader];
        out.extend(self.deputy.iter());
        out.extend(self.members.iter());
        let mut seen = BTreeSet::new();
        out.retain(|c| seen.insert(*c));
        out
    }

    /// The member who is `rank`-th responsible (1-based), if any.
    pub fn responsible(&self, rank: usize) -> Option<&CadreId> {
        rank.checked_sub(1).and_then(|i| self.members.get(i))
    }
}

/// A span of time during which a cadre has one duty status. `to` is
/// exclusive; `None` means "until further notice".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutySpan {
    /// The cadre.
    #[serde(rename = "cadre_id")]
    pub cadre: CadreId,
    /// What the cadre is doing.
    pub status: DutyStatus,
    /// From this instant (China Standard Time), inclusive.
    #[serde(with = "crate::io::date::serde_formats::datetime")]
    pub from: NaiveDateTime,
    /// Until this instant, exclusive.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::io::date::serde_formats::opt_datetime"
    )]
    pub to: Option<NaiveDateTime>,
}

impl DutySpan {
    /// True when the span covers instant `t`.
    pub fn covers(&self, t: NaiveDateTime) -> bool {
        self.from <= t && self.to.is_none_or(|to| t < to)
    }
}

/// What cadre `cadre` is doing at instant `t`, from the timeline `spans`.
/// `None` when no span covers `t`. When spans overlap (validation reports
/// that as `duty.overlap`), the one that started last wins.
///
/// ```
/// use minqing::cadre::{status_at, DutySpan, DutyStatus};
/// use minqing::id::CadreId;
/// use chrono::NaiveDate;
/// let at = |h| NaiveDate::from_ymd_opt(2024, 5, 6).unwrap().and_hms_opt(h, 0, 0).unwrap();
/// let c = CadreId::new("C1")?;
/// let spans = vec![
///     DutySpan { cadre: c.clone(), status: DutyStatus::OnDuty, from: at(8), to: Some(at(10)) },
///     DutySpan { cadre: c.clone(), status: DutyStatus::InField, from: at(10), to: None },
/// ];
/// assert_eq!(status_at(&spans, &c, at(9)), Some(DutyStatus::OnDuty));
/// assert_eq!(status_at(&spans, &c, at(10)), Some(DutyStatus::InField));
/// assert_eq!(status_at(&spans, &c, at(7)), None);
/// # Ok::<(), minqing::id::IdError>(())
/// ```
pub fn status_at(spans: &[DutySpan], cadre: &CadreId, t: NaiveDateTime) -> Option<DutyStatus> {
    spans
        .iter()
        .filter(|s| &s.cadre == cadre && s.covers(t))
        .max_by_key(|s| s.from)
        .map(|s| s.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for r in Rank::ALL {
            assert_eq!(Rank::parse(r.as_str()), Some(*r));
        }
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.as_str()), Some(*d));
        }
        for s in DutyStatus::ALL {
            assert_eq!(DutyStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(DutyStatus::InField.zh(), "下乡");
        assert_eq!(Rank::parse("boss"), None);
    }

    #[test]
    fn cadre_defaults_to_five_duties_and_policy_bounds() {
        let c = Cadre::new(CadreId::new("C1").unwrap(), "李某某");
        assert_eq!(c.duties.len(), 5);
        assert_eq!(
            c.load_bounds(LoadBounds::default()),
            LoadBounds::new(60, 70)
        );
        let json = serde_json::to_value(&c).unwrap();
        assert!(
            json.get("duties").is_none(),
            "all five duties are the default"
        );
        let back: Cadre = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
        let mut c2 = c.clone();
        c2.max_households = Some(90);
        assert_eq!(
            c2.load_bounds(LoadBounds::default()),
            LoadBounds::new(60, 90)
        );
    }

    #[test]
    fn team_ranks_members() {
        let id = |s: &str| CadreId::new(s).unwrap();
        let t = Team {
            id: TeamId::new("T1").unwrap(),
            kind: TeamKind::WorkStation,
            unit: UnitId::new("V1").unwrap(),
            leader: id("L"),
            deputy: Some(id("D")),
            members: vec![id("A"), id("B"), id("L")],
        };
        assert_eq!(t.responsible(1), Some(&id("A")));
        assert_eq!(t.responsible(2), Some(&id("B")));
        assert_eq!(t.responsible(0), None);
        assert_eq!(t.cadres().len(), 4);
    }
}
