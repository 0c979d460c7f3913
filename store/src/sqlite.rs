//! The SQLite backend: one row an event, appended in a transaction that
//! checks the expected head.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::NaiveDateTime;
use minqing::case::{Entry, Hash, RequestEvent, RequestLog};
use minqing::id::RequestId;
use minqing::problem::{Code, Location, Problem};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::{LogStore, StoreError, Verified};

/// The schema version written in `minqing_meta`.
const SCHEMA_VERSION: &str = "1";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS minqing_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS request_events (
    request_id TEXT    NOT NULL,
    seq        INTEGER NOT NULL CHECK (seq >= 0),
    hash       TEXT    NOT NULL,
    entry      TEXT    NOT NULL,
    PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;
";

/// How long a writer waits for another writer's transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Request logs in a SQLite database (bundled SQLite: nothing to install).
///
/// Table `request_events` holds one row an event: `request_id`, `seq`,
/// `hash` (64 hex digits) and `entry`, the entry as one JSON object, the
/// same line the JSON Lines formats write. The database is in WAL mode with
/// `synchronous=FULL`: an append that returned is committed and synced.
///
/// A store keeps the logs it read or wrote in memory (up to 1,024 of them)
/// and reads a log's rows again only when its stored head has moved on: an
/// append costs one read of the head, not of the whole log. An edit of
/// older rows behind the store's back is found when the store is opened and
/// by [`LogStore::verify`].
///
/// One `SqliteStore` holds one connection behind a mutex, so it may be
/// shared by threads; stores opened on the same file (threads or
/// processes) are serialised by SQLite's write lock, and a stale writer
/// gets [`StoreError::Conflict`].
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    inner: Mutex<Inner>,
}

/// How many logs a store keeps in memory at most.
const CACHE_LOGS: usize = 1024;

#[derive(Debug)]
struct Inner {
    conn: Connection,
    /// Logs read or written by this store, verified then; one is used again
    /// only while the stored head is still its head.
    cache: HashMap<RequestId, RequestLog>,
}

impl Inner {
    /// The log of `request` with head `head` (read in the transaction
    /// `conn` is in): the cached one if its head is still `head`, else read
    /// and verified.
    fn log(
        &mut self,
        file: &Path,
        request: &RequestId,
        head: Hash,
    ) -> Result<RequestLog, StoreError> {
        match self.cache.remove(request) {
            Some(log) if log.head() == head => Ok(log),
            _ => load_log(&self.conn, file, request),
        }
    }

    fn keep(&mut self, log: RequestLog) {
        if self.cache.len() >= CACHE_LOGS {
            self.cache.clear();
        }
        self.cache.insert(log.request_id().clone(), log);
    }
}

impl SqliteStore {
    /// Opens (or creates) the database at `path`, sets WAL mode, creates
    /// the tables if missing and verifies every log's chain.
    ///
    /// # Errors
    /// [`StoreError::ChainBroken`] or [`StoreError::Corrupt`] when a stored
    /// log does not verify; [`StoreError::Busy`] or [`StoreError::Sqlite`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let store = Self::open_unverified(path)?;
        store.verify()?;
        Ok(store)
    }

    /// As [`SqliteStore::open`], without verifying the chains (for a
    /// large store whose chains are verified elsewhere, or to inspect a
    /// broken one). Each log is still verified when it is loaded or
    /// appended to.
    ///
    /// # Errors
    /// [`StoreError::Busy`] or [`StoreError::Sqlite`].
    pub fn open_unverified(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Switching to WAL takes a lock of its own and may report "busy"
        // while another connection opens the same new file: retry a while.
        let mut tries = 0;
        loop {
            let mode: Result<String, _> =
                conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0));
            match mode {
                Ok(_) => break,
                Err(e) if tries < 300 && is_busy(&e) => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute(
            "INSERT OR IGNORE INTO minqing_meta (key, value) VALUES ('schema_version', ?1)",
            [SCHEMA_VERSION],
        )?;
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM minqing_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if version.as_deref() != Some(SCHEMA_VERSION) {
            return Err(StoreError::Corrupt(Box::new(Problem::new(
                Code::InputIo,
                Location::file(path.display().to_string()),
                format!("数据库结构版本为 {version:?}，本程序只认 {SCHEMA_VERSION}"),
                format!("the schema version is {version:?}; this program reads {SCHEMA_VERSION}"),
            ))));
        }
        Ok(SqliteStore {
            path,
            inner: Mutex::new(Inner {
                conn,
                cache: HashMap::new(),
            }),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // A panic while the lock was held cannot leave a transaction open:
        // rusqlite rolls it back when it is dropped.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// One row, as read.
struct Row {
    request_id: String,
    seq: i64,
    hash: String,
    entry: String,
}

impl Row {
    fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            request_id: r.get(0)?,
            seq: r.get(1)?,
            hash: r.get(2)?,
            entry: r.get(3)?,
        })
    }

    /// The entry, checked against the row's own columns.
    fn parse(&self, file: &Path) -> Result<Entry, StoreError> {
        let corrupt = |zh: &str, en: &str| {
            let mut loc = Location::file(file.display().to_string());
            loc.path = Some(format!("request_events[{}, {}]", self.request_id, self.seq));
            StoreError::Corrupt(Box::new(Problem::new(Code::JsonShape, loc, zh, en)))
        };
        let entry: Entry = serde_json::from_str(&self.entry).map_err(|_| {
            corrupt(
                "entry 列不是事项事件",
                "the entry column is not a request log entry",
            )
        })?;
        let columns_agree = entry.request_id.as_str() == self.request_id
            && i64::try_from(entry.seq).ok() == Some(self.seq)
            && entry.hash.to_hex() == self.hash;
        if !columns_agree {
            return Err(corrupt(
                "request_id、seq 或 hash 列与 entry 列不一致",
                "the request_id, seq or hash column disagrees with the entry column",
            ));
        }
        Ok(entry)
    }
}

fn request_id(s: &str, file: &Path) -> Result<RequestId, StoreError> {
    RequestId::new(s).map_err(|_| {
        let mut loc = Location::file(file.display().to_string());
        loc.path = Some("request_events.request_id".into());
        StoreError::Corrupt(Box::new(Problem::new(
            Code::JsonShape,
            loc,
            "request_id 列不是合法的事项编号",
            "the request_id column is not a valid request ID",
        )))
    })
}

/// The log of `request`, verified.
fn load_log(conn: &Connection, file: &Path, request: &RequestId) -> Result<RequestLog, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT request_id, seq, hash, entry FROM request_events WHERE request_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([request.as_str()], Row::read)?;
    let mut entries = Vec::new();
    for row in rows {
        entries.push(row?.parse(file)?);
    }
    let log = RequestLog::from_entries(request.clone(), entries);
    check(&log)?;
    Ok(log)
}

fn check(log: &RequestLog) -> Result<(), StoreError> {
    log.verify().map_err(|chain_break| StoreError::ChainBroken {
        request: log.request_id().clone(),
        chain_break,
    })
}

fn head_of(conn: &Connection, request: &RequestId) -> Result<Hash, StoreError> {
    let hex: Option<String> = conn
        .prepare_cached(
            "SELECT hash FROM request_events WHERE request_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([request.as_str()], |r| r.get(0))
        .optional()?;
    match hex {
        None => Ok(Hash::GENESIS),
        // an unreadable hash column is found by `load_log`, which compares it
        // with the entry; here it simply does not match any expected head
        Some(h) => Ok(Hash::from_hex(&h).unwrap_or_default()),
    }
}

/// The append's work inside its transaction: the entry, and the log with
/// it (or the log unchanged, kept in the cache, when the event is refused).
fn append_in(
    inner: &mut Inner,
    file: &Path,
    request: &RequestId,
    expected_head: Hash,
    at: NaiveDateTime,
    event: RequestEvent,
) -> Result<(Entry, RequestLog), StoreError> {
    let found = head_of(&inner.conn, request)?;
    StoreError::check_head(request, expected_head, found)?;
    let mut log = inner.log(file, request, found)?;
    let entry = match log.append(at, event) {
        Ok(entry) => entry.clone(),
        Err(e) => {
            inner.keep(log);
            return Err(e.into());
        }
    };
    let mut line = Vec::new();
    minqing::io::write_jsonl(&mut line, [&entry]).map_err(StoreError::io("append"))?;
    let text = String::from_utf8_lossy(line.trim_ascii_end()).into_owned();
    let seq = i64::try_from(entry.seq).unwrap_or(i64::MAX);
    inner
        .conn
        .prepare_cached(
            "INSERT INTO request_events (request_id, seq, hash, entry) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![request.as_str(), seq, entry.hash.to_hex(), text])?;
    Ok((entry, log))
}

impl LogStore for SqliteStore {
    fn append(
        &self,
        request: &RequestId,
        expected_head: Hash,
        at: NaiveDateTime,
        event: RequestEvent,
    ) -> Result<Entry, StoreError> {
        let mut inner = self.inner();
        // IMMEDIATE: the write lock is taken before the head is read, so
        // the check and the insert are one atomic step.
        inner.conn.execute_batch("BEGIN IMMEDIATE")?;
        let result = append_in(&mut inner, &self.path, request, expected_head, at, event);
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        if let Err(e) = inner.conn.execute_batch(end) {
            inner.cache.remove(request);
            let _ = inner.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        let (entry, log) = result?;
        inner.keep(log);
        Ok(entry)
    }

    fn load(&self, request: &RequestId) -> Result<RequestLog, StoreError> {
        let mut inner = self.inner();
        // one read transaction: a consistent snapshot of the log
        inner.conn.execute_batch("BEGIN DEFERRED")?;
        let result =
            head_of(&inner.conn, request).and_then(|head| inner.log(&self.path, request, head));
        if let Err(e) = inner.conn.execute_batch("COMMIT") {
            let _ = inner.conn.execute_batch("ROLLBACK");
            return Err(e.into());
        }
        let log = result?;
        inner.keep(log.clone());
        Ok(log)
    }

    fn head(&self, request: &RequestId) -> Result<Hash, StoreError> {
        Ok(self.load(request)?.head())
    }

    fn requests(&self) -> Result<Vec<RequestId>, StoreError> {
        let inner = self.inner();
        let mut stmt = inner
            .conn
            .prepare_cached("SELECT DISTINCT request_id FROM request_events ORDER BY request_id")?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for id in ids {
            out.push(request_id(&id?, &self.path)?);
        }
        Ok(out)
    }

    fn verify(&self) -> Result<Verified, StoreError> {
        let mut inner = self.inner();
        let tx = inner
            .conn
            .transaction_with_behavior(TransactionBehavior::Deferred)?;
        let mut verified = Verified::default();
        {
            let mut stmt = tx.prepare(
                "SELECT request_id, seq, hash, entry FROM request_events ORDER BY request_id, seq",
            )?;
            let mut rows = stmt.query_map([], Row::read)?;
            let mut current: Option<(String, Vec<Entry>)> = None;
            let mut finish = |id: String, entries: Vec<Entry>| -> Result<(), StoreError> {
                verified.requests += 1;
                verified.events += entries.len();
                check(&RequestLog::from_entries(
                    request_id(&id, &self.path)?,
                    entries,
                ))
            };
            loop {
                let row = rows.next().transpose()?;
                let same =
                    matches!((&row, &current), (Some(r), Some((id, _))) if &r.request_id == id);
                if !same && let Some((id, entries)) = current.take() {
                    finish(id, entries)?;
                }
                let Some(row) = row else { break };
                let entry = row.parse(&self.path)?;
                current
                    .get_or_insert_with(|| (row.request_id.clone(), Vec::new()))
                    .1
                    .push(entry);
            }
        }
        tx.finish()?;
        Ok(verified)
    }
}
