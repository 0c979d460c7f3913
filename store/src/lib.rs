//! Durable stores for minqing's request logs (诉求台账): the hash-chained,
//! append-only [`RequestLog`]s of the core, kept in SQLite
//! ([`SqliteStore`], the embedded default: no server) or in a JSON Lines
//! file ([`JsonlStore`], for those who want plain files).
//!
//! Both implement one trait, [`LogStore`], and both decide exactly as
//! [`RequestLog::append`] decides: a store loads the request's log, lets
//! the core append the event, and writes the resulting entry. An event the
//! core refuses is returned as [`StoreError::Case`] with the core's error
//! and code, and nothing is written.
//!
//! Writers are optimistic: [`LogStore::append`] takes the head hash the
//! writer last saw ([`RequestLog::head`]); if another writer appended
//! first, the append fails with [`StoreError::Conflict`] and writes
//! nothing. [`LogStore::append_retrying`] reads again, lets the caller
//! decide again and retries.
//!
//! An append that returned `Ok` is on disk (SQLite: a committed
//! transaction with `synchronous=FULL` in WAL mode; JSON Lines: the line
//! written and `fdatasync`ed under an exclusive file lock), and survives the
//! process being killed. A JSON Lines file left with a torn last line by a
//! crash is repaired on opening: the line is moved to a side file and
//! reported ([`TornTail`]), never silently dropped or accepted.
//!
//! Every log's chain is verified when a store is opened and on demand
//! ([`LogStore::verify`]).
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use minqing::case::*;
//! use minqing::id::{CadreId, HouseholdId, RequestId};
//! use minqing_store::{LogStore, SqliteStore};
//!
//! let dir = std::env::temp_dir().join(format!("minqing-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let store = SqliteStore::open(dir.join("requests.sqlite"))?;
//!
//! let at = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap().and_hms_opt(10, 0, 0).unwrap();
//! let r1 = RequestId::new("R1")?;
//! let raised = RequestEvent::Raised {
//!     household: HouseholdId::new("H1")?,
//!     cadre: CadreId::new("C1")?,
//!     category: Category::HouseholdRegistration,
//!     kind: RequestKind::Request,
//!     channel: Channel::Visit,
//!     summary: "newborn registration".into(),
//! };
//! // a new request's head is the genesis hash
//! let first = store.append(&r1, Hash::GENESIS, at, raised.clone())?;
//! let triage = CasePolicy::default().triage_default(Category::HouseholdRegistration, at);
//! store.append(&r1, first.hash, at, triage)?;
//! assert_eq!(store.state(&r1)?.track, Some(Track::Proxy));
//!
//! // a writer that still holds the old head appends nothing
//! let stale = store.append(&r1, first.hash, at, RequestEvent::Closed).unwrap_err();
//! assert_eq!(stale.code(), "store.conflict");
//! // the core's refusal passes through, with its code, and nothing is stored
//! let head = store.head(&r1)?;
//! let refused = store.append(&r1, head, at, RequestEvent::Closed).unwrap_err();
//! assert_eq!(refused.code(), "request.bad_transition");
//! assert_eq!(store.load(&r1)?.len(), 2);
//! assert_eq!(store.verify()?.events, 2);
//! # drop(store);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod error;
mod jsonl;
mod sqlite;

use chrono::NaiveDateTime;
use minqing::case::{Entry, Hash, RequestEvent, RequestLog, RequestState};
use minqing::id::RequestId;

pub use error::{StoreError, TornReason, TornTail};
pub use jsonl::JsonlStore;
pub use sqlite::SqliteStore;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// What [`LogStore::verify`] checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verified {
    /// How many request logs.
    pub requests: usize,
    /// How many events in all.
    pub events: usize,
}

/// A durable home for request logs. Every method reads or writes the store
/// itself, so several stores (threads, processes) may share one database or
/// file.
pub trait LogStore {
    /// Appends `event` at `at` to the log of `request`, if the log's head is
    /// still `expected_head` ([`Hash::GENESIS`] for a request not stored
    /// yet), and returns the entry written.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the head moved on;
    /// [`StoreError::Case`] with the core's error when the event does not
    /// fit (exactly what [`RequestLog::append`] returns); I/O, corruption
    /// or database errors. In every error case nothing was written.
    fn append(
        &self,
        request: &RequestId,
        expected_head: Hash,
        at: NaiveDateTime,
        event: RequestEvent,
    ) -> Result<Entry, StoreError>;

    /// The log of `request` as stored (empty for a request not stored),
    /// its chain verified.
    ///
    /// # Errors
    /// [`StoreError::ChainBroken`], [`StoreError::Corrupt`], I/O or database
    /// errors.
    fn load(&self, request: &RequestId) -> Result<RequestLog, StoreError>;

    /// The requests stored, in the order of their IDs.
    ///
    /// # Errors
    /// I/O or database errors.
    fn requests(&self) -> Result<Vec<RequestId>, StoreError>;

    /// Reads every stored log again and verifies each chain.
    ///
    /// # Errors
    /// The first [`StoreError::ChainBroken`] or [`StoreError::Corrupt`]
    /// found, or an I/O or database error.
    fn verify(&self) -> Result<Verified, StoreError>;

    /// The head hash of `request`'s log ([`Hash::GENESIS`] when not stored).
    ///
    /// # Errors
    /// As [`LogStore::load`].
    fn head(&self, request: &RequestId) -> Result<Hash, StoreError> {
        Ok(self.load(request)?.head())
    }

    /// The state of `request`: [`RequestLog::state`] of the stored log.
    ///
    /// # Errors
    /// As [`LogStore::load`]; [`StoreError::Case`] with
    /// [`minqing::case::CaseError::NotRaised`] for a request not stored.
    fn state(&self, request: &RequestId) -> Result<RequestState, StoreError> {
        Ok(self.load(request)?.state()?)
    }

    /// Reads the log, lets `decide` choose the event from it, and appends
    /// it with the head just read; on a [`StoreError::Conflict`] reads
    /// again and decides again, up to `tries` times in all.
    ///
    /// # Errors
    /// The last conflict when every try conflicted, or the first other
    /// error.
    fn append_retrying(
        &self,
        request: &RequestId,
        tries: usize,
        decide: &mut dyn FnMut(&RequestLog) -> (NaiveDateTime, RequestEvent),
    ) -> Result<Entry, StoreError> {
        let mut left = tries.max(1);
        loop {
            let log = self.load(request)?;
            let (at, event) = decide(&log);
            match self.append(request, log.head(), at, event) {
                Err(e) if e.is_conflict() && left > 1 => left -= 1,
                other => return other,
            }
        }
    }
}
