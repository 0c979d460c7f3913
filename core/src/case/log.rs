//! The append-only event log of one request and its SHA-256 hash chain.

use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CaseError, RequestEvent, RequestState, apply};
use crate::id::RequestId;
use crate::problem::Message;

/// A SHA-256 digest, written in files as 64 lowercase hexadecimal digits.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The hash that the first event of every log chains to: 32 zero bytes.
    pub const GENESIS: Hash = Hash([0; 32]);

    /// The 64 lowercase hexadecimal digits.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
            s.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
        }
        s
    }

    /// Parses 64 hexadecimal digits (either case).
    pub fn from_hex(s: &str) -> Option<Hash> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in b.chunks(2).enumerate() {
            let hi = char::from(pair[0]).to_digit(16)?;
            let lo = char::from(pair[1]).to_digit(16)?;
            out[i] = u8::try_from(hi * 16 + lo).ok()?;
        }
        Some(Hash(out))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Hash::from_hex(&s)
            .ok_or_else(|| serde::de::Error::custom("a hash is 64 hexadecimal digits"))
    }
}

/// One event of a request's log, as stored: which request, its position,
/// when, what, and the hash chain. One JSON Lines line is one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The request.
    pub request_id: RequestId,
    /// The 0-based position in the log.
    pub seq: u64,
    /// When it happened, China Standard Time (no offset written).
    pub at: NaiveDateTime,
    /// What happened.
    pub event: RequestEvent,
    /// The hash of the entry before (`GENESIS` for the first).
    pub prev_hash: Hash,
    /// This entry's hash: see [`Entry::compute_hash`].
    pub hash: Hash,
}

#[derive(Serialize)]
struct Canonical<'a> {
    request_id: &'a RequestId,
    seq: u64,
    at: &'a NaiveDateTime,
    event: &'a RequestEvent,
}

impl Entry {
    /// The bytes the hash covers, besides the previous hash: the compact
    /// JSON that `serde_json` writes for the object
    /// `{"request_id", "seq", "at", "event"}` in that order, where `at` is
    /// `YYYY-MM-DDTHH:MM:SS` (fractions of a second only when not zero) and
    /// `event` is `{"type": ..., fields in declaration order}` with empty
    /// optional fields left out, strings as UTF-8 with JSON escapes only
    /// where JSON requires them. For example
    /// `{"request_id":"R1","seq":1,"at":"2024-05-06T10:00:00","event":{"type":"triaged","track":"proxy","deadline":"2024-05-07T10:00:00"}}`.
    ///
    /// The bytes are rebuilt from the parsed values, so white space, field
    /// order or escapes in a file do not change the hash; any change of
    /// meaning does.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Canonical {
            request_id: &self.request_id,
            seq: self.seq,
            at: &self.at,
            event: &self.event,
        })
        .unwrap_or_default()
    }

    /// SHA-256 over the 32 bytes of `prev_hash` followed by
    /// [`Entry::canonical_bytes`].
    pub fn compute_hash(&self) -> Hash {
        let mut h = Sha256::new();
        h.update(self.prev_hash.0);
        h.update(self.canonical_bytes());
        Hash(h.finalize().into())
    }
}

/// How the hash chain is broken ([`RequestLog::verify`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's content no longer matches its hash, or it was rewritten
    /// and re-hashed (then the entry after it no longer chains to it).
    Edited,
    /// One or more entries before this one are missing.
    Removed,
    /// The entry is out of its place.
    Reordered,
    /// The entry names another request than its log.
    Foreign,
}

/// Where and how a log's hash chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    /// The 0-based index in the log of the first entry found broken.
    pub index: usize,
    /// How.
    pub kind: BreakKind,
}

impl ChainBreak {
    /// A message in Chinese and English.
    pub fn message(&self) -> Message {
        let i = self.index;
        let (zh, en) = match self.kind {
            BreakKind::Edited => (
                format!("第 {i} 号事件被改动（哈希不符）"),
                format!("event {i} was edited (its hash does not match)"),
            ),
            BreakKind::Removed => (
                format!("第 {i} 号事件之前有事件被删除"),
                format!("one or more events before position {i} were removed"),
            ),
            BreakKind::Reordered => (
                format!("第 {i} 号事件次序被调换"),
                format!("event {i} is out of order"),
            ),
            BreakKind::Foreign => (
                format!("第 {i} 号事件属于另一事项"),
                format!("event {i} belongs to another request"),
            ),
        };
        Message { zh, en }
    }
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.message();
        write!(f, "{} / {}", m.en, m.zh)
    }
}

/// The append-only event log of one request (诉求台账). Events are only
/// added by [`RequestLog::append`], which refuses what does not fit; the
/// state is [`RequestLog::state`], a fold.
///
/// ```
/// use minqing::case::*;
/// use minqing::id::{CadreId, HouseholdId, RequestId};
/// use chrono::NaiveDate;
///
/// let at = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap().and_hms_opt(10, 0, 0).unwrap();
/// let policy = CasePolicy::default();
/// let mut log = RequestLog::new(RequestId::new("R1")?);
/// log.append(at, RequestEvent::Raised {
///     household: HouseholdId::new("H1")?,
///     cadre: CadreId::new("C1")?,
///     category: Category::HouseholdRegistration,
///     kind: RequestKind::Request,
///     channel: Channel::Visit,
///     summary: "newborn registration".into(),
/// })?;
/// log.append(at, policy.triage_default(Category::HouseholdRegistration, at))?;
/// let state = log.state()?;
/// assert_eq!(state.track, Some(Track::Proxy));
/// assert_eq!(state.deadline, Some(at + chrono::Duration::hours(24)));
/// // closing before any resolution is refused, and the log is unchanged
/// let err = log.append(at, RequestEvent::Closed).unwrap_err();
/// assert_eq!(err.code().as_str(), "request.bad_transition");
/// assert_eq!(log.len(), 2);
/// assert!(log.verify().is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLog {
    request_id: RequestId,
    events: Vec<Entry>,
}

impl RequestLog {
    /// An empty log for request `id`.
    pub fn new(request_id: RequestId) -> Self {
        RequestLog {
            request_id,
            events: Vec::new(),
        }
    }

    /// A log made of entries as read from storage, unchecked: call
    /// [`RequestLog::verify`] and [`RequestLog::state`] to check it.
    pub fn from_entries(request_id: RequestId, entries: Vec<Entry>) -> Self {
        RequestLog {
            request_id,
            events: entries,
        }
    }

    /// The request.
    pub fn request_id(&self) -> &RequestId {
        &self.request_id
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.events
    }

    /// How many events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when no event was appended yet.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The hash of the last entry (`GENESIS` for an empty log). Keep it
    /// elsewhere (a published notice, a second store) to detect a log cut
    /// short ([`RequestLog::verify_head`]).
    pub fn head(&self) -> Hash {
        self.events.last().map_or(Hash::GENESIS, |e| e.hash)
    }

    /// Checks `event` at `at` against the folded state and, if it fits,
    /// appends it with its hash.
    ///
    /// # Errors
    /// A [`CaseError`] when the event does not fit the request's state, is
    /// earlier than the last event, or the log itself does not fold (it was
    /// read from storage and is invalid). The log is then unchanged.
    pub fn append(&mut self, at: NaiveDateTime, event: RequestEvent) -> Result<&Entry, CaseError> {
        let state = self.try_state()?;
        apply(state.as_ref(), &self.request_id, at, &event)?;
        let mut entry = Entry {
            request_id: self.request_id.clone(),
            seq: self.events.len() as u64,
            at,
            event,
            prev_hash: self.head(),
            hash: Hash::GENESIS,
        };
        entry.hash = entry.compute_hash();
        self.events.push(entry);
        Ok(&self.events[self.events.len() - 1])
    }

    /// The state: the fold of every event.
    ///
    /// # Errors
    /// [`CaseError::NotRaised`] for an empty log, or the error of the first
    /// event that does not fit (a log read from storage may be invalid).
    pub fn state(&self) -> Result<RequestState, CaseError> {
        self.try_state()?
            .ok_or(CaseError::NotRaised { event: "(empty)" })
    }

    /// The state as it was at `instant`: the fold of the events at or
    /// before it; `None` if the request was not raised yet.
    ///
    /// # Errors
    /// As [`RequestLog::state`].
    pub fn state_at(&self, instant: NaiveDateTime) -> Result<Option<RequestState>, CaseError> {
        let n = self.events.iter().take_while(|e| e.at <= instant).count();
        fold(&self.request_id, &self.events[..n])
    }

    fn try_state(&self) -> Result<Option<RequestState>, CaseError> {
        fold(&self.request_id, &self.events)
    }

    /// Checks the hash chain and says where it breaks: an edited entry
    /// (content changed, or rewritten and re-hashed), removed entries,
    /// entries out of order, an entry of another request. A log cut short
    /// at its end still chains; see [`RequestLog::verify_head`].
    ///
    /// # Errors
    /// The first [`ChainBreak`] found.
    pub fn verify(&self) -> Result<(), ChainBreak> {
        let mut prev = Hash::GENESIS;
        for (i, e) in self.events.iter().enumerate() {
            let brk = |kind| Err(ChainBreak { index: i, kind });
            if e.request_id != self.request_id {
                return brk(BreakKind::Foreign);
            }
            if e.hash != e.compute_hash() {
                return brk(BreakKind::Edited);
            }
            let expected = i as u64;
            if e.prev_hash != prev {
                if e.seq == expected {
                    // the entry before was rewritten and re-hashed
                    return Err(ChainBreak {
                        index: i.saturating_sub(1),
                        kind: BreakKind::Edited,
                    });
                }
                if e.seq > expected {
                    let later = self.events[i + 1..].iter().any(|x| x.seq == expected);
                    return brk(if later {
                        BreakKind::Reordered
                    } else {
                        BreakKind::Removed
                    });
                }
                return brk(BreakKind::Reordered);
            }
            if e.seq != expected {
                return brk(BreakKind::Edited);
            }
            prev = e.hash;
        }
        Ok(())
    }

    /// As [`RequestLog::verify`], and checks that the log has `len` events
    /// ending in `head`, as recorded elsewhere: detects a log cut short.
    ///
    /// # Errors
    /// The first [`ChainBreak`]; a log shorter than `len` is
    /// [`BreakKind::Removed`] at its length; a different head is
    /// [`BreakKind::Edited`] at the last entry.
    pub fn verify_head(&self, len: usize, head: Hash) -> Result<(), ChainBreak> {
        self.verify()?;
        if self.events.len() < len {
            return Err(ChainBreak {
                index: self.events.len(),
                kind: BreakKind::Removed,
            });
        }
        if self.events.len() > len || self.head() != head {
            return Err(ChainBreak {
                index: len.saturating_sub(1),
                kind: BreakKind::Edited,
            });
        }
        Ok(())
    }
}

/// The fold of `entries` (of request `request_id`) into a state; `None` for
/// no entry.
///
/// # Errors
/// The error of the first entry that does not fit, or
/// [`CaseError::WrongLog`] for an entry of another request.
pub fn fold(request_id: &RequestId, entries: &[Entry]) -> Result<Option<RequestState>, CaseError> {
    let mut state: Option<RequestState> = None;
    for e in entries {
        if &e.request_id != request_id {
            return Err(CaseError::WrongLog {
                expected: request_id.clone(),
                found: e.request_id.clone(),
            });
        }
        state = Some(apply(state.as_ref(), request_id, e.at, &e.event)?);
    }
    Ok(state)
}
