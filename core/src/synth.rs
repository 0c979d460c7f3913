//! A seeded, deterministic synthetic township (feature `synth`).
//!
//! [`township`] builds a whole [`Dataset`] at the scale of seed 001 (the
//! 四定三到 township): 28 villages, each with a village work team
//! (驻村工作队) led by a township leader with the village party secretary as
//! deputy; 4,760 resident and 4,590 away households; 102 township cadres in
//! the field plus cadres dispatched from the city and banner (选派干部), each
//! covering 60 to 70 households; 25 office cadres with no households
//! (机关值守); assignments, duty status and half a year of visits (the
//! first half of 2024: one assessment period, seeds 001 and 000).
//!
//! The generator uses its own small PRNG (SplitMix64), integer arithmetic
//! only and no hash-map iteration, so the same [`SynthOptions`] give the
//! same data set on every platform and every version of Rust. All names and
//! phone numbers are synthetic.
//!
//! # Example
//! ```
//! use minqing::synth::{township, SynthOptions};
//! use minqing::assign::{check_coverage, CoverageOptions};
//! use minqing::dataset::ValidateOptions;
//!
//! let opts = SynthOptions::default().seed(7).villages(3).households(200, 190)
//!     .field_cadres(4).dispatched_cadres(2).office_cadres(1);
//! let ds = township(&opts)?;
//! assert_eq!(ds.households.len(), 390);
//! assert!(ds.validate(&ValidateOptions::new(opts.end)).is_ok());
//! let cov = check_coverage(&ds, opts.end, &CoverageOptions::default());
//! assert!(cov.is_fully_covered());
//! assert!(cov.cadres.iter().all(|c| c.within));
//! # Ok::<(), minqing::synth::SynthError>(())
//! ```

use std::collections::BTreeSet;
use std::ops::RangeInclusive;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::assign::{Assignment, ContactQuota};
use crate::cadre::{Cadre, DutySpan, DutyStatus, LoadBounds, Rank, Team, TeamKind};
use crate::dataset::Dataset;
use crate::household::{Household, Residency, Tag};
use crate::id::{CadreId, HouseholdId, TeamId, UnitId};
use crate::org::{Unit, UnitKind};
use crate::visit::{Mode, Visit};

// ---------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same on
/// every platform. Not for cryptography.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for one part of the generation, so that a
    /// change in one part does not shift every other.
    fn fork(seed: u64, stream: u64) -> Self {
        let mut r = Rng::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-high.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    fn below_usize(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// A number in `r` (its start when it is empty).
    fn range(&mut self, r: &RangeInclusive<u32>) -> u32 {
        let (lo, hi) = (*r.start(), *r.end());
        if hi <= lo {
            return lo;
        }
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// True with probability `permille` / 1000.
    fn chance(&mut self, permille: u32) -> bool {
        self.below(1000) < u64::from(permille)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below_usize(items.len())]
    }

    /// Fisher-Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below_usize(i + 1);
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------

/// Options of [`township`]. [`Default`] is seed 001's township; every
/// figure can be changed with a consuming setter.
///
/// # Example
/// ```
/// use minqing::synth::SynthOptions;
/// let o = SynthOptions::default();
/// assert_eq!((o.villages, o.resident_households, o.away_households), (28, 4760, 4590));
/// assert_eq!((o.field_cadres, o.office_cadres), (102, 25));
/// assert_eq!(o.covering_cadres(), 144);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthOptions {
    /// The PRNG seed.
    pub seed: u64,
    /// Villages (村), each with one work team (seed 001: 28).
    pub villages: u32,
    /// Resident households (常住户, seed 001: 4,760).
    pub resident_households: u32,
    /// Away households (外出户, seed 001: 4,590).
    pub away_households: u32,
    /// Township cadres who leave the office for the villages (seed 001: 80%
    /// of the township's cadres, 102 people). One of them leads each
    /// village's work team, so there must be at least one a village.
    pub field_cadres: u32,
    /// Cadres dispatched from the city and banner (seed 001: 会同市、旗选派
    /// 党员干部). The default, 42, makes 144 covering cadres, so that
    /// 9,350 households give about 65 a cadre.
    pub dispatched_cadres: u32,
    /// Township cadres kept in the office for the window services, with no
    /// households (seed 001: 20%, 25 people).
    pub office_cadres: u32,
    /// Households a covering cadre gets (seed 001: 60 to 70).
    pub load: LoadBounds,
    /// The contact-household quota by village population (seed 002); each
    /// village gets its quota plus up to two more.
    pub quota: ContactQuota,
    /// The first day of the window: assignments start on it.
    pub start: NaiveDate,
    /// The last day of the window (inclusive): the natural `today` of the
    /// data set; nothing happens after it.
    pub end: NaiveDate,
    /// Days between two visits to a resident household (seed 001: at least
    /// once every half month).
    pub resident_gap_days: RangeInclusive<u32>,
    /// Days between two contacts with an away household (seed 001: at
    /// least once a month; mostly by phone).
    pub away_gap_days: RangeInclusive<u32>,
    /// Days between two visits to a contact household (seed 002: weekly).
    pub contact_gap_days: RangeInclusive<u32>,
    /// Households visited far less often than the rules ask, in permille.
    pub neglected_permille: u32,
    /// Days between two visits to a neglected household.
    pub neglected_gap_days: RangeInclusive<u32>,
    /// Households moved to another cadre of the same team in the middle of
    /// the window, in permille. Households are swapped in pairs between
    /// two cadres on a handover day, so loads stay within bounds.
    pub reassigned_permille: u32,
    /// Households registered inside the window (after its first day).
    pub late_registrations: u32,
    /// Face-to-face visits signed in the cadre's work log, in permille
    /// (seed 001: attendance is proven by the signature).
    pub signed_permille: u32,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            seed: 20_140_612,
            villages: 28,
            resident_households: 4760,
            away_households: 4590,
            field_cadres: 102,
            dispatched_cadres: 42,
            office_cadres: 25,
            load: LoadBounds::seed_001(),
            quota: ContactQuota::seed_002(),
            start: ymd(2024, 1, 1),
            end: ymd(2024, 6, 30),
            resident_gap_days: 8..=15,
            away_gap_days: 18..=30,
            contact_gap_days: 5..=7,
            neglected_permille: 30,
            neglected_gap_days: 25..=60,
            reassigned_permille: 10,
            late_registrations: 12,
            signed_permille: 800,
        }
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

macro_rules! setters {
    ($( $(#[$doc:meta])* $name:ident : $ty:ty; )*) => {
        impl SynthOptions {
            $(
                $(#[$doc])*
                pub fn $name(mut self, v: $ty) -> Self {
                    self.$name = v;
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets the PRNG seed.
    seed: u64;
    /// Sets the number of villages.
    villages: u32;
    /// Sets the number of township cadres in the field.
    field_cadres: u32;
    /// Sets the number of dispatched cadres.
    dispatched_cadres: u32;
    /// Sets the number of office cadres.
    office_cadres: u32;
    /// Sets the load bounds of covering cadres.
    load: LoadBounds;
    /// Sets the contact-household quota.
    quota: ContactQuota;
    /// Sets the days between visits to a resident household.
    resident_gap_days: RangeInclusive<u32>;
    /// Sets the days between contacts with an away household.
    away_gap_days: RangeInclusive<u32>;
    /// Sets the days between visits to a contact household.
    contact_gap_days: RangeInclusive<u32>;
    /// Sets the share of neglected households, in permille.
    neglected_permille: u32;
    /// Sets the days between visits to a neglected household.
    neglected_gap_days: RangeInclusive<u32>;
    /// Sets the share of reassigned households, in permille.
    reassigned_permille: u32;
    /// Sets the number of households registered inside the window.
    late_registrations: u32;
    /// Sets the share of signed face-to-face visits, in permille.
    signed_permille: u32;
}

impl SynthOptions {
    /// Seed 001's township (same as [`Default`]).
    pub fn new() -> Self {
        SynthOptions::default()
    }

    /// Sets the resident and away households.
    pub fn households(mut self, resident: u32, away: u32) -> Self {
        self.resident_households = resident;
        self.away_households = away;
        self
    }

    /// Sets the window, both days inclusive.
    pub fn window(mut self, start: NaiveDate, end: NaiveDate) -> Self {
        self.start = start;
        self.end = end;
        self
    }

    /// Households in all: resident plus away.
    pub fn total_households(&self) -> u32 {
        self.resident_households
            .saturating_add(self.away_households)
    }

    /// Cadres who cover households: in the field plus dispatched.
    pub fn covering_cadres(&self) -> u32 {
        self.field_cadres.saturating_add(self.dispatched_cadres)
    }

    fn check(&self) -> Result<(), SynthError> {
        if self.villages == 0 {
            return Err(SynthError::NoVillages);
        }
        if self.field_cadres < self.villages {
            return Err(SynthError::TooFewFieldCadres {
                field_cadres: self.field_cadres,
                villages: self.villages,
            });
        }
        let (h, c) = (
            u64::from(self.total_households()),
            u64::from(self.covering_cadres()),
        );
        if self.load.min > self.load.max
            || h < c * u64::from(self.load.min)
            || h > c * u64::from(self.load.max)
        {
            return Err(SynthError::LoadInfeasible {
                households: self.total_households(),
                cadres: self.covering_cadres(),
                load: self.load,
            });
        }
        if self.end < self.start {
            return Err(SynthError::BadWindow {
                start: self.start,
                end: self.end,
            });
        }
        for (name, gap) in [
            ("resident_gap_days", &self.resident_gap_days),
            ("away_gap_days", &self.away_gap_days),
            ("contact_gap_days", &self.contact_gap_days),
            ("neglected_gap_days", &self.neglected_gap_days),
        ] {
            if *gap.start() == 0 || gap.end() < gap.start() {
                return Err(SynthError::BadGap(name));
            }
        }
        if self.late_registrations > self.total_households() {
            return Err(SynthError::TooManyLateRegistrations);
        }
        let too_big = [
            self.neglected_permille,
            self.reassigned_permille,
            self.signed_permille,
        ]
        .into_iter()
        .any(|p| p > 1000);
        if too_big {
            return Err(SynthError::BadShare);
        }
        Ok(())
    }
}

/// Why [`township`] cannot build a data set from the options.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynthError {
    /// `villages` is 0.
    #[error("a township needs at least one village")]
    NoVillages,
    /// Fewer township field cadres than villages: each work team is led by
    /// a township cadre (seed 001).
    #[error("{field_cadres} field cadres cannot lead {villages} village work teams")]
    TooFewFieldCadres {
        /// Township cadres in the field.
        field_cadres: u32,
        /// Villages.
        villages: u32,
    },
    /// The households cannot be shared among the covering cadres within the
    /// load bounds.
    #[error(
        "{households} households cannot be shared among {cadres} cadres with {}..={} each",
        load.min,
        load.max
    )]
    LoadInfeasible {
        /// Households in all.
        households: u32,
        /// Covering cadres.
        cadres: u32,
        /// The load bounds.
        load: LoadBounds,
    },
    /// The window ends before it starts.
    #[error("the window ends on {end}, before it starts on {start}")]
    BadWindow {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// A gap between visits is empty or starts at 0 days.
    #[error("{0} must be a non-empty range of at least 1 day")]
    BadGap(&'static str),
    /// More late registrations than households.
    #[error("more households registered late than households")]
    TooManyLateRegistrations,
    /// A permille share above 1000.
    #[error("a share in permille is above 1000")]
    BadShare,
}

impl crate::problem::CodedError for SynthError {
    fn code(&self) -> crate::problem::Code {
        crate::problem::Code::SynthBadOptions
    }

    fn message(&self) -> crate::problem::Message {
        let zh = match self {
            SynthError::NoVillages => "乡镇至少要有一个村".to_string(),
            SynthError::TooFewFieldCadres {
                field_cadres,
                villages,
            } => format!("{field_cadres} 名下沉干部带不了 {villages} 个驻村工作队"),
            SynthError::LoadInfeasible {
                households,
                cadres,
                load,
            } => format!(
                "{households} 户无法按每人 {}～{} 户分给 {cadres} 名干部",
                load.min, load.max
            ),
            SynthError::BadWindow { start, end } => {
                format!("时段结束日 {end} 早于开始日 {start}")
            }
            SynthError::BadGap(what) => format!("{what} 应为至少 1 天的非空区间"),
            SynthError::TooManyLateRegistrations => "迟登记的户数多于总户数".to_string(),
            SynthError::BadShare => "千分比超过 1000".to_string(),
        };
        crate::problem::Message {
            zh,
            en: self.to_string(),
        }
    }
}

// ---------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚",
    "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "玉", "兰", "志", "海", "春",
    "林", "红", "成", "荣", "德", "福", "山", "光", "亮", "瑞", "珍", "凤", "宝", "喜", "贵", "生",
];

const VILLAGE_NAMES: &[&str] = &[
    "纳林希里",
    "红庆",
    "乌兰木伦",
    "巴音敖包",
    "察汗淖",
    "呼和陶勒",
    "阿拉腾",
    "敖包梁",
    "柳沟",
    "杨树湾",
    "石圪台",
    "沙梁",
    "新庙",
    "王家塔",
    "李家畔",
    "高家渠",
    "张家圪旦",
    "马家湾",
    "赵家梁",
    "前营子",
    "后营子",
    "东胜",
    "西沟",
    "南梁",
    "北湾",
    "苏布尔嘎",
    "哈巴格希",
    "格图",
];

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn person_name(rng: &mut Rng) -> String {
    let mut s = String::from(*rng.pick(SURNAMES));
    for _ in 0..1 + usize::from(rng.chance(600)) {
        let given: &&str = rng.pick(GIVEN);
        s.push_str(given);
    }
    s
}

fn phone(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&["139", "138", "150", "151", "177", "189", "135"]);
    format!("{prefix}{:08}", rng.below(100_000_000))
}

fn village_name(i: usize) -> String {
    let base = VILLAGE_NAMES[i % VILLAGE_NAMES.len()];
    match i / VILLAGE_NAMES.len() {
        0 => format!("{base}村"),
        k => format!("{base}{}村", k + 1),
    }
}

fn group_name(g: usize) -> String {
    match NUMERALS.get(g) {
        Some(n) => format!("{n}社"),
        None => format!("{}社", g + 1),
    }
}

// IDs are built from ASCII letters and digits, well under 64 characters:
// they are always valid.
fn unit_id(s: String) -> UnitId {
    UnitId::new(s).unwrap_or_else(|_| unreachable!("synthetic IDs are valid"))
}
fn cadre_id(s: String) -> CadreId {
    CadreId::new(s).unwrap_or_else(|_| unreachable!("synthetic IDs are valid"))
}
fn household_id(s: String) -> HouseholdId {
    HouseholdId::new(s).unwrap_or_else(|_| unreachable!("synthetic IDs are valid"))
}
fn team_id(s: String) -> TeamId {
    TeamId::new(s).unwrap_or_else(|_| unreachable!("synthetic IDs are valid"))
}

fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MAX)
}

fn sub_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(Days::new(u64::from(n)))
        .unwrap_or(NaiveDate::MIN)
}

fn at(d: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

/// Days from `a` to `b` (0 when `b` is before `a`).
fn days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    u32::try_from((b - a).num_days()).unwrap_or(0)
}

// ---------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------

/// Loads of the covering cadres: each within `load`, summing to `total`.
/// Starts even, then moves households between random pairs of cadres.
fn loads(rng: &mut Rng, cadres: usize, total: u32, load: LoadBounds) -> Vec<u32> {
    let c = cadres as u32;
    let (base, rem) = (total / c, total % c);
    let mut out: Vec<u32> = (0..c).map(|i| base + u32::from(i < rem)).collect();
    for _ in 0..cadres * 4 {
        let (i, j) = (rng.below_usize(cadres), rng.below_usize(cadres));
        let d = 1 + rng.below(3) as u32;
        if i != j && out[i] >= load.min + d && out[j] + d <= load.max {
            out[i] -= d;
            out[j] += d;
        }
    }
    rng.shuffle(&mut out);
    out
}

/// Covering cadres a village: at least one each, summing to `cadres`,
/// spread in pairs (base + s, base - s) so that small, middling and large
/// villages all occur (and with them all three quota tiers of seed 002),
/// the remainder going to the largest villages, then shuffled.
fn cadres_per_village(rng: &mut Rng, villages: usize, cadres: u32) -> Vec<u32> {
    let v = villages as u32;
    let (base, rem) = (cadres / v, cadres % v);
    const SPREAD: [u32; 8] = [3, 1, 2, 0, 1, 2, 3, 0];
    let mut k = vec![base; villages];
    for pair in 0..villages / 2 {
        let s = SPREAD[pair % SPREAD.len()].min(base.saturating_sub(1));
        k[2 * pair] = base + s;
        k[2 * pair + 1] = base - s;
    }
    let mut order: Vec<usize> = (0..villages).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(k[i]), i));
    for &i in order.iter().take(rem as usize) {
        k[i] += 1;
    }
    rng.shuffle(&mut k);
    k
}

/// A household size: 1 to 6 people, about 3 on average.
fn members(rng: &mut Rng) -> u32 {
    match rng.below(100) {
        0..10 => 1,
        10..35 => 2,
        35..65 => 3,
        65..85 => 4,
        85..95 => 5,
        _ => 6,
    }
}

struct Span {
    from: NaiveDate,
    to: Option<NaiveDate>,
    cadre: usize,
}

/// Builds the synthetic township described by `opts`.
///
/// Layout (IDs sort in generation order):
/// - units: county `X01`, township `T01`, villages `V01`.., and under each
///   village one villagers' group (社) per covering cadre, `V01G01`..;
/// - cadres: township field cadres `F001`.. (the first one per village is
///   the work-team leader, [`Rank::Leader`]), dispatched cadres `D001`..
///   ([`Rank::Dispatched`]), office cadres `O001`.. (no households), village
///   party secretaries `S01`.. ([`Rank::Village`], deputies of the teams);
/// - households `H00001`.., village by village, each covering cadre's
///   households together (one 社 each);
/// - teams `W01`.. ([`TeamKind::WorkTeam`]);
/// - assignments from the window's first day (or the registration day of a
///   household registered late); a few households swapped between two
///   cadres of one team on a handover day (old `to` = the day before the
///   new `from`);
/// - duty status spans for every cadre over the window;
/// - visits over the window: resident households mostly in person about
///   twice a month, away households mostly by phone about monthly, contact
///   households weekly, neglected households with long gaps; most
///   face-to-face visits signed.
///
/// # Errors
/// [`SynthError`] when the options cannot make a consistent township: no
/// village, fewer field cadres than villages, households that do not fit
/// the covering cadres' load bounds, a window that ends before it starts,
/// an empty gap, a share above 1000‰.
///
/// # Example
/// ```
/// use minqing::synth::{township, SynthOptions};
/// let ds = township(&SynthOptions::default())?;
/// assert_eq!(ds.households.len(), 9_350);
/// assert_eq!(ds, township(&SynthOptions::default())?);
/// # Ok::<(), minqing::synth::SynthError>(())
/// ```
pub fn township(opts: &SynthOptions) -> Result<Dataset, SynthError> {
    opts.check()?;
    let seed = opts.seed;
    let nv = opts.villages as usize;
    let ncov = opts.covering_cadres() as usize;
    let total = opts.total_households();
    let mut ds = Dataset::new();

    // ----- cadres and how they spread over the villages -----
    let mut rng = Rng::fork(seed, 1);
    let per_village = cadres_per_village(&mut rng, nv, opts.covering_cadres());
    let load = loads(&mut rng, ncov, total, opts.load);
    // covering cadre i: 0..field are F, then D.
    let field = opts.field_cadres as usize;
    let covering_id = |i: usize| -> CadreId {
        if i < field {
            cadre_id(format!("F{:03}", i + 1))
        } else {
            cadre_id(format!("D{:03}", i - field + 1))
        }
    };
    // village v: leader = field cadre v, then others drawn at random.
    let mut others: Vec<usize> = (nv..ncov).collect();
    rng.shuffle(&mut others);
    let mut village_cadres: Vec<Vec<usize>> = Vec::with_capacity(nv);
    let mut next = others.into_iter();
    for (v, &k) in per_village.iter().enumerate() {
        let mut cs = vec![v];
        cs.extend(next.by_ref().take(k as usize - 1));
        village_cadres.push(cs);
    }

    // ----- units -----
    let county = unit_id("X01".into());
    let town = unit_id("T01".into());
    ds.units
        .push(Unit::new(county.clone(), UnitKind::County).with_name("示范旗"));
    ds.units.push(
        Unit::new(town.clone(), UnitKind::Township)
            .with_parent(county)
            .with_name("红庆河镇"),
    );
    let village_ids: Vec<UnitId> = (0..nv).map(|v| unit_id(format!("V{:02}", v + 1))).collect();
    for (v, vid) in village_ids.iter().enumerate() {
        ds.units.push(
            Unit::new(vid.clone(), UnitKind::Village)
                .with_parent(town.clone())
                .with_name(village_name(v)),
        );
        for g in 0..village_cadres[v].len() {
            ds.units.push(
                Unit::new(unit_id(format!("{vid}G{:02}", g + 1)), UnitKind::Group)
                    .with_parent(vid.clone())
                    .with_name(group_name(g)),
            );
        }
    }

    // ----- cadres -----
    let mut rng = Rng::fork(seed, 2);
    let mut village_of = vec![0usize; ncov];
    for (v, cs) in village_cadres.iter().enumerate() {
        for &c in cs {
            village_of[c] = v;
        }
    }
    for i in 0..ncov {
        let mut c = Cadre::new(covering_id(i), person_name(&mut rng));
        c.phone = Some(phone(&mut rng));
        c.unit = Some(town.clone());
        c.rank = Some(if i < nv {
            Rank::Leader
        } else if i >= field {
            Rank::Dispatched
        } else if rng.chance(250) {
            Rank::Middle
        } else {
            Rank::Ordinary
        });
        ds.cadres.push(c);
    }
    for o in 0..opts.office_cadres as usize {
        let mut c = Cadre::new(cadre_id(format!("O{:03}", o + 1)), person_name(&mut rng));
        c.phone = Some(phone(&mut rng));
        c.unit = Some(town.clone());
        c.rank = Some(match o {
            0 => Rank::Leader,
            1..=4 => Rank::Middle,
            _ => Rank::Ordinary,
        });
        ds.cadres.push(c);
    }
    for (v, vid) in village_ids.iter().enumerate() {
        let mut c = Cadre::new(cadre_id(format!("S{:02}", v + 1)), person_name(&mut rng));
        c.phone = Some(phone(&mut rng));
        c.unit = Some(vid.clone());
        c.rank = Some(Rank::Village);
        ds.cadres.push(c);
    }

    // ----- teams -----
    for (v, vid) in village_ids.iter().enumerate() {
        ds.teams.push(Team {
            id: team_id(format!("W{:02}", v + 1)),
            kind: TeamKind::WorkTeam,
            unit: vid.clone(),
            leader: covering_id(village_cadres[v][0]),
            deputy: Some(cadre_id(format!("S{:02}", v + 1))),
            members: village_cadres[v][1..]
                .iter()
                .map(|&c| covering_id(c))
                .collect(),
        });
    }

    // ----- households -----
    let mut rng = Rng::fork(seed, 3);
    let mut residency: Vec<Residency> =
        std::iter::repeat_n(Residency::Resident, opts.resident_households as usize)
            .chain(std::iter::repeat_n(
                Residency::Away,
                opts.away_households as usize,
            ))
            .collect();
    rng.shuffle(&mut residency);
    let mut residency = residency.into_iter();
    // household index -> (village, covering cadre)
    let mut owner: Vec<(usize, usize)> = Vec::with_capacity(total as usize);
    let before_window = sub_days(opts.start, 1);
    let mut population = vec![0u32; nv];
    for (v, cs) in village_cadres.iter().enumerate() {
        for &c in cs {
            for _ in 0..load[c] {
                let n = owner.len();
                let res = residency.next().unwrap_or(Residency::Resident);
                let mut h = Household::new(
                    household_id(format!("H{:05}", n + 1)),
                    village_ids[v].clone(),
                    res,
                );
                h.name = Some(person_name(&mut rng));
                if rng.chance(920) {
                    h.phone = Some(phone(&mut rng));
                }
                let m = members(&mut rng);
                h.members = Some(m);
                population[v] = population[v].saturating_add(m);
                // head aged 22 to 88 at the window's start
                let age = 22 + rng.below(67) as u32;
                let born = sub_days(opts.start, age * 365 + rng.below(365) as u32);
                h.head_birth_date = Some(born);
                // registered when the head was 18 to 30 (not before 1985),
                // always before the window
                let reg = add_days(born, (18 + rng.below(13) as u32) * 365)
                    .max(ymd(1985, 1, 1))
                    .min(before_window);
                h.registered_on = Some(reg);
                tag(&mut rng, &mut h, age, m);
                ds.households.push(h);
                owner.push((v, c));
            }
        }
    }
    for (v, u) in ds
        .units
        .iter_mut()
        .filter(|u| u.kind == UnitKind::Village)
        .enumerate()
    {
        u.population = Some(population[v]);
    }

    // ----- contact households (seed 002) -----
    let mut rng = Rng::fork(seed, 4);
    let mut first = 0usize;
    let mut is_contact = vec![false; ds.households.len()];
    for (v, cs) in village_cadres.iter().enumerate() {
        let n: usize = cs.iter().map(|&c| load[c] as usize).sum();
        let range = first..first + n;
        first += n;
        let quota = opts.quota.for_population(population[v]).unwrap_or(0);
        let want = (quota + rng.below(3) as u32) as usize;
        // seed 002: chosen among party members, representatives, large
        // farms, petitioners and hardship households; residents first
        let mut cands: Vec<usize> = range.collect();
        rng.shuffle(&mut cands);
        cands.sort_by_key(|&i| {
            let h = &ds.households[i];
            let kind = [
                Tag::PartyMember,
                Tag::Representative,
                Tag::LargeFarm,
                Tag::Petitioner,
                Tag::Hardship,
            ]
            .iter()
            .any(|t| h.has_tag(t));
            (h.residency != Residency::Resident, !kind)
        });
        for &i in cands.iter().take(want) {
            ds.households[i].tags.insert(Tag::ContactHousehold);
            is_contact[i] = true;
        }
    }

    // ----- late registrations and reassignments -----
    let mut rng = Rng::fork(seed, 5);
    let window_days = days_between(opts.start, opts.end);
    let mut spans: Vec<Vec<Span>> = owner
        .iter()
        .map(|&(_, c)| {
            vec![Span {
                from: opts.start,
                to: None,
                cadre: c,
            }]
        })
        .collect();
    let mut touched = vec![false; owner.len()];
    if window_days >= 1 {
        let mut idx: Vec<usize> = (0..owner.len()).collect();
        rng.shuffle(&mut idx);
        for &i in idx.iter().take(opts.late_registrations as usize) {
            let reg = add_days(opts.start, 1 + rng.below(u64::from(window_days)) as u32);
            ds.households[i].registered_on = Some(reg);
            spans[i][0].from = reg;
            touched[i] = true;
        }
        // swaps of two households between two cadres of one team
        let swaps = (u64::from(total) * u64::from(opts.reassigned_permille) / 2000) as usize;
        let multi: Vec<usize> = (0..nv).filter(|&v| village_cadres[v].len() >= 2).collect();
        let mut of_cadre: Vec<Vec<usize>> = vec![Vec::new(); ncov];
        for (i, &(_, c)) in owner.iter().enumerate() {
            of_cadre[c].push(i);
        }
        // handover days away from the window's ends where possible
        let margin = (window_days / 10).min(7);
        let (lo, hi) = (1 + margin, window_days - margin.min(window_days - 1));
        let mut done = 0;
        let mut tries = 0;
        while done < swaps && !multi.is_empty() && tries < swaps * 20 {
            tries += 1;
            let v = *rng.pick(&multi);
            let cs = &village_cadres[v];
            let a = cs[rng.below_usize(cs.len())];
            let b = cs[rng.below_usize(cs.len())];
            if a == b {
                continue;
            }
            let ha = *rng.pick(&of_cadre[a]);
            let hb = *rng.pick(&of_cadre[b]);
            if touched[ha] || touched[hb] {
                continue;
            }
            let day = add_days(opts.start, lo + rng.below(u64::from(hi - lo + 1)) as u32);
            for (h, to) in [(ha, b), (hb, a)] {
                spans[h][0].to = Some(sub_days(day, 1));
                spans[h].push(Span {
                    from: day,
                    to: None,
                    cadre: to,
                });
                touched[h] = true;
            }
            done += 1;
        }
    }
    for (i, ss) in spans.iter().enumerate() {
        for s in ss {
            ds.assignments.push(Assignment {
                household: ds.households[i].id.clone(),
                cadre: covering_id(s.cadre),
                from: s.from,
                to: s.to,
            });
        }
    }

    // ----- duty status -----
    let mut rng = Rng::fork(seed, 6);
    let field_ids: BTreeSet<CadreId> = (0..ncov).map(covering_id).collect();
    let stop = at(opts.end, 18, 0);
    for c in &ds.cadres {
        let main = if field_ids.contains(&c.id) {
            DutyStatus::InField
        } else {
            DutyStatus::OnDuty
        };
        let mut t = at(opts.start, 8, 0);
        loop {
            let until = t + TimeDelta::days(i64::from(5 + rng.below(16) as u32));
            if until >= stop {
                ds.duty.push(DutySpan {
                    cadre: c.id.clone(),
                    status: main,
                    from: t,
                    to: None,
                });
                break;
            }
            ds.duty.push(DutySpan {
                cadre: c.id.clone(),
                status: main,
                from: t,
                to: Some(until),
            });
            let (status, len) = match rng.below(100) {
                0..45 => (DutyStatus::Meeting, TimeDelta::hours(4)),
                45..80 => (
                    DutyStatus::Training,
                    TimeDelta::days(1 + rng.below(3) as i64),
                ),
                _ => (
                    DutyStatus::OnLeave,
                    TimeDelta::days(1 + rng.below(2) as i64),
                ),
            };
            ds.duty.push(DutySpan {
                cadre: c.id.clone(),
                status,
                from: until,
                to: Some(until + len),
            });
            t = until + len;
        }
    }

    // ----- visits -----
    let mut rng = Rng::fork(seed, 7);
    for (i, h) in ds.households.iter().enumerate() {
        let neglected = !is_contact[i] && rng.chance(opts.neglected_permille);
        let gap = if neglected {
            &opts.neglected_gap_days
        } else if is_contact[i] {
            &opts.contact_gap_days
        } else if h.residency == Residency::Resident {
            &opts.resident_gap_days
        } else {
            &opts.away_gap_days
        };
        let first_day = h.registered_on.unwrap_or(opts.start).max(opts.start);
        let mut day = add_days(first_day, rng.below(u64::from(*gap.start())) as u32);
        while day <= opts.end {
            let Some(span) = spans[i]
                .iter()
                .find(|s| s.from <= day && s.to.is_none_or(|to| day <= to))
            else {
                break;
            };
            let mode = match (h.residency, rng.below(100)) {
                (Residency::Resident, 0..88) => Mode::InPerson,
                (Residency::Resident, 88..94) => Mode::AtStation,
                (Residency::Resident, _) => Mode::Phone,
                (Residency::Away, 0..80) => Mode::Phone,
                (Residency::Away, 80..92) => Mode::Video,
                (Residency::Away, _) => Mode::InPerson,
            };
            // away households are often reached in the evening (seed 004)
            let hour = if mode.is_face_to_face() {
                8 + rng.below(10) as u32
            } else {
                9 + rng.below(13) as u32
            };
            let mut v = Visit::new(
                h.id.clone(),
                covering_id(span.cadre),
                at(day, hour, rng.below(60) as u32),
                mode,
            );
            v.signed = mode.is_face_to_face() && rng.chance(opts.signed_permille);
            ds.visits.push(v);
            day = add_days(day, rng.range(gap));
        }
    }
    Ok(ds)
}

/// Tags with rough shares: hardship 6%, low income 5%, disabled 4%, major
/// illness 3%, party member 8%, large farm 6% of residents, migrant worker
/// 85% of away households, and aged 70 or over from the head's age.
fn tag(rng: &mut Rng, h: &mut Household, age: u32, members: u32) {
    let mut add = |t: Tag, permille: u32, rng: &mut Rng| {
        if rng.chance(permille) {
            h.tags.insert(t);
        }
    };
    add(Tag::Hardship, 60, rng);
    add(Tag::LowIncome, 50, rng);
    add(Tag::FiveGuarantees, 5, rng);
    add(Tag::Disabled, 40, rng);
    add(Tag::MajorIllness, 30, rng);
    add(Tag::Dispute, 15, rng);
    add(Tag::PartyMember, 80, rng);
    add(Tag::Representative, 15, rng);
    add(Tag::Petitioner, 5, rng);
    match h.residency {
        Residency::Resident => add(Tag::LargeFarm, 60, rng),
        Residency::Away => add(Tag::MigrantWorker, 850, rng),
    }
    if age >= 70 {
        h.tags.insert(Tag::Aged70Plus);
        if members == 1 {
            h.tags.insert(Tag::ElderlyAlone);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::{CoverageOptions, check_coverage};
    use crate::dataset::ValidateOptions;

    fn small() -> SynthOptions {
        SynthOptions::default()
            .villages(4)
            .households(300, 280)
            .field_cadres(6)
            .dispatched_cadres(3)
            .office_cadres(2)
    }

    #[test]
    fn prng_is_splitmix64() {
        // reference values of SplitMix64 seeded with 1234567
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        let mut r = Rng::new(0);
        assert!((0..1000).all(|_| r.below(7) < 7));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let a = township(&small()).unwrap();
        let b = township(&small()).unwrap();
        assert_eq!(a, b);
        let c = township(&small().seed(1)).unwrap();
        assert_ne!(a, c);
        assert_eq!(a.households.len(), c.households.len());
    }

    #[test]
    fn default_is_seed_001() {
        let o = SynthOptions::default();
        let ds = township(&o).unwrap();
        let count = |r: Residency| ds.households.iter().filter(|h| h.residency == r).count();
        assert_eq!(count(Residency::Resident), 4760);
        assert_eq!(count(Residency::Away), 4590);
        let villages = ds
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::Village)
            .count();
        assert_eq!(villages, 28);
        assert_eq!(ds.teams.len(), 28);
        let covering: BTreeSet<&CadreId> = ds.assignments.iter().map(|a| &a.cadre).collect();
        let rank = |id: &CadreId| ds.cadres.iter().find(|c| &c.id == id).and_then(|c| c.rank);
        let township_field = covering
            .iter()
            .filter(|c| rank(c) != Some(Rank::Dispatched))
            .count();
        assert_eq!(township_field, 102);
        assert_eq!(covering.len(), 144);
        let office = ds
            .cadres
            .iter()
            .filter(|c| c.unit.as_ref().is_some_and(|u| u.as_str() == "T01"))
            .filter(|c| !covering.contains(&c.id) && c.rank != Some(Rank::Dispatched))
            .count();
        assert_eq!(office, 25);
        for t in &ds.teams {
            assert_eq!(rank(&t.leader), Some(Rank::Leader));
            assert_eq!(rank(t.deputy.as_ref().unwrap()), Some(Rank::Village));
        }

        let report = ds.validate(&ValidateOptions::new(o.end));
        assert!(report.is_empty(), "{report}");

        let cov = check_coverage(&ds, o.end, &CoverageOptions::default());
        assert!(cov.is_fully_covered());
        assert_eq!(cov.households(), 9350);
        assert_eq!(cov.cadres.len(), 144);
        assert!(cov.cadres.iter().all(|c| (60..=70).contains(&c.households)));
        assert!(cov.problems.is_empty(), "{}", cov.problems);
        let quotas: BTreeSet<u32> = cov.villages.iter().filter_map(|v| v.quota).collect();
        assert_eq!(quotas, BTreeSet::from([10, 15, 20]));

        // some late registrations, reassignments and signed visits
        let late = ds
            .households
            .iter()
            .filter(|h| h.registered_on.is_some_and(|r| r > o.start))
            .count();
        assert_eq!(late, 12);
        let ended = ds.assignments.iter().filter(|a| a.to.is_some()).count();
        assert!(ended > 20, "{ended} reassignments");
        assert!(ds.visits.iter().any(|v| v.signed));
        assert!(ds.visits.iter().any(|v| v.mode == Mode::Phone));
    }

    #[test]
    fn reassignments_hand_over_the_next_day() {
        let ds = township(&small().reassigned_permille(100)).unwrap();
        let mut handovers = 0;
        for old in ds.assignments.iter().filter(|a| a.to.is_some()) {
            let new = ds
                .assignments
                .iter()
                .find(|a| a.household == old.household && a.from > old.from)
                .unwrap();
            assert_eq!(Some(new.from.pred_opt().unwrap()), old.to);
            assert_ne!(new.cadre, old.cadre);
            handovers += 1;
        }
        assert!(handovers >= 20, "{handovers}");
        // loads stay within bounds on every day of the window
        let o = small();
        let mut day = o.start;
        while day <= o.end {
            let cov = check_coverage(&ds, day, &CoverageOptions::default());
            assert!(cov.is_fully_covered(), "{day}");
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn visits_follow_the_assignment_and_the_window() {
        let o = small();
        let ds = township(&o).unwrap();
        for v in &ds.visits {
            assert!(v.at.date() >= o.start && v.at.date() <= o.end);
            let a = ds
                .assignments
                .iter()
                .find(|a| a.household == v.household && a.covers(v.at.date()))
                .unwrap();
            assert_eq!(a.cadre, v.cadre);
            assert!(!v.signed || v.mode.is_face_to_face());
        }
    }

    #[test]
    fn bad_options_are_errors_not_panics() {
        assert_eq!(township(&small().villages(0)), Err(SynthError::NoVillages));
        assert!(matches!(
            township(&small().villages(7)),
            Err(SynthError::TooFewFieldCadres { .. })
        ));
        assert!(matches!(
            township(&small().households(10, 10)),
            Err(SynthError::LoadInfeasible { .. })
        ));
        assert!(matches!(
            township(&small().window(ymd(2024, 2, 1), ymd(2024, 1, 1))),
            Err(SynthError::BadWindow { .. })
        ));
        assert_eq!(
            township(&small().away_gap_days(0..=3)),
            Err(SynthError::BadGap("away_gap_days"))
        );
        assert_eq!(
            township(&small().signed_permille(1001)),
            Err(SynthError::BadShare)
        );
        // a one-day window works: no late registrations or handovers
        let d = ymd(2024, 1, 1);
        let ds = township(&small().window(d, d)).unwrap();
        assert!(ds.validate(&ValidateOptions::new(d)).is_empty());
    }
}
