//! What the store tests share: the two backends behind one type, a planned
//! stream of events, and a small seeded random generator.
#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use minqing::case::{Category, Channel, RequestEvent, RequestKind, RequestLog, Track};
use minqing::id::{CadreId, HouseholdId, RequestId};
use minqing_store::{JsonlStore, LogStore, SqliteStore, StoreError};

/// The two backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Jsonl,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Sqlite, Backend::Jsonl];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Jsonl => "jsonl",
        }
    }

    pub fn parse(s: &str) -> Backend {
        match s {
            "sqlite" => Backend::Sqlite,
            "jsonl" => Backend::Jsonl,
            other => panic!("unknown backend {other}"),
        }
    }

    /// The store's file in `dir`.
    pub fn file(self, dir: &Path) -> PathBuf {
        dir.join(match self {
            Backend::Sqlite => "requests.sqlite",
            Backend::Jsonl => "requests.jsonl",
        })
    }

    pub fn open(self, path: &Path) -> Result<Box<dyn LogStore + Send + Sync>, StoreError> {
        Ok(match self {
            Backend::Sqlite => Box::new(SqliteStore::open(path)?),
            Backend::Jsonl => Box::new(JsonlStore::open(path)?),
        })
    }
}

pub fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 5, 6)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

pub fn rid(s: &str) -> RequestId {
    RequestId::new(s).unwrap()
}

pub fn raised(household: &str, summary: &str) -> RequestEvent {
    RequestEvent::Raised {
        household: HouseholdId::new(household).unwrap(),
        cadre: CadreId::new("C1").unwrap(),
        category: Category::Other,
        kind: RequestKind::Request,
        channel: Channel::Visit,
        summary: summary.into(),
    }
}

/// How many requests the planned stream spreads over.
pub const PLANNED_REQUESTS: u64 = 16;

/// The `g`-th event of the planned stream: request `g % 16`, raised, then
/// triaged, then carried over again and again, one second apart.
pub fn planned(g: u64) -> (RequestId, NaiveDateTime, RequestEvent) {
    let r = g % PLANNED_REQUESTS;
    let at = t0() + Duration::seconds(g as i64);
    let event = match g / PLANNED_REQUESTS {
        0 => raised(&format!("H{r}"), &format!("g{g}")),
        1 => RequestEvent::Triaged {
            track: Track::Joint,
            deadline: Some(at + Duration::days(30)),
        },
        _ => RequestEvent::CarriedOver {
            period: format!("g{g}"),
        },
    };
    (rid(&format!("R{r:02}")), at, event)
}

/// The tag a writer put in an event (the summary of `raised`, the period of
/// `carried_over`).
pub fn tag(event: &RequestEvent) -> Option<&str> {
    match event {
        RequestEvent::Raised { summary, .. } => Some(summary),
        RequestEvent::CarriedOver { period } => Some(period),
        _ => None,
    }
}

/// The event a concurrent writer appends with tag `tag`: `raised` on an
/// empty log, else `carried_over`.
pub fn next_tagged(log: &RequestLog, tag: &str) -> (NaiveDateTime, RequestEvent) {
    let event = if log.is_empty() {
        raised("H1", tag)
    } else {
        RequestEvent::CarriedOver { period: tag.into() }
    };
    (t0(), event)
}

/// Every stored log, in the order of the request IDs.
pub fn all_logs(store: &dyn LogStore) -> Vec<RequestLog> {
    store
        .requests()
        .unwrap()
        .iter()
        .map(|id| store.load(id).unwrap())
        .collect()
}

/// xorshift64*: enough randomness for kill moments, seeded.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}
