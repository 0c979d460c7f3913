//! The store's errors and the report of a torn tail.

use std::fmt;
use std::path::PathBuf;

use minqing::case::{CaseError, ChainBreak, Hash};
use minqing::id::RequestId;
use minqing::problem::{Message, Problem};

/// Why a store operation failed. Each error has a stable [`StoreError::code`]
/// and a message in Chinese and English ([`StoreError::message`]); no free
/// text of a request is copied into it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The event was refused by the request's log, exactly as
    /// [`minqing::case::RequestLog::append`] refuses it; nothing was stored.
    /// Its code is the core's (`request.bad_transition`, ...).
    #[error(transparent)]
    Case(#[from] CaseError),
    /// The log's head is no longer the one the writer expected: another
    /// writer appended first. Nothing was stored; read the log again and
    /// decide again (see [`crate::LogStore::append_retrying`]).
    #[error("{}", display(&self.message()))]
    Conflict {
        /// The request.
        request: RequestId,
        /// The head the writer expected.
        expected: Hash,
        /// The head found in the store.
        found: Hash,
    },
    /// The JSON Lines file ends in a torn line (a write that never
    /// finished), and the store was opened with
    /// [`crate::JsonlStore::open_strict`]: nothing was moved.
    #[error("{}", display(&self.message()))]
    TornTail(TornTail),
    /// A stored log's hash chain is broken: the store was edited outside
    /// this crate.
    #[error("{}", display(&self.message()))]
    ChainBroken {
        /// The request whose log is broken.
        request: RequestId,
        /// Where and how.
        chain_break: ChainBreak,
    },
    /// A stored record cannot be read as a request log entry (not at the end
    /// of a JSON Lines file, where it would be a torn tail).
    #[error("{}", display(&self.message()))]
    Corrupt(Box<Problem>),
    /// Reading, writing or syncing a file failed.
    #[error("{}", display(&self.message()))]
    Io {
        /// What was being done (`"append"`, `"open"`, ...).
        op: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite stayed busy (locked by other writers) longer than the busy
    /// timeout. Nothing was stored; try again later.
    #[error("{}", display(&self.message()))]
    Busy(#[source] rusqlite::Error),
    /// Any other SQLite error.
    #[error("{}", display(&self.message()))]
    Sqlite(#[source] rusqlite::Error),
}

fn display(m: &Message) -> String {
    format!("{} / {}", m.en, m.zh)
}

impl StoreError {
    /// The stable code: the core's code for a refused event
    /// (`request.bad_transition`, ...), else `store.conflict`,
    /// `store.torn_tail`, `store.chain_broken`, `store.corrupt`, `store.io`,
    /// `store.busy` or `store.sqlite`.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Case(e) => e.code().as_str(),
            StoreError::Conflict { .. } => "store.conflict",
            StoreError::TornTail(_) => "store.torn_tail",
            StoreError::ChainBroken { .. } => "store.chain_broken",
            StoreError::Corrupt(_) => "store.corrupt",
            StoreError::Io { .. } => "store.io",
            StoreError::Busy(_) => "store.busy",
            StoreError::Sqlite(_) => "store.sqlite",
        }
    }

    /// The optimistic-concurrency check both backends make before an
    /// append: `Ok` when the stored head `found` is the head the writer
    /// `expected`, else [`StoreError::Conflict`].
    pub(crate) fn check_head(request: &RequestId, expected: Hash, found: Hash) -> Result<(), Self> {
        if found == expected {
            Ok(())
        } else {
            Err(StoreError::Conflict {
                request: request.clone(),
                expected,
                found,
            })
        }
    }

    /// True for [`StoreError::Conflict`]: read again and retry.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }

    /// The message in Chinese and English.
    pub fn message(&self) -> Message {
        let (zh, en) = match self {
            StoreError::Case(e) => (e.message_zh(), e.message_en()),
            StoreError::Conflict {
                request,
                expected,
                found,
            } => (
                format!(
                    "事项 {request} 已被其他写入者更新（预期末尾哈希 {}，实际 {}），本事件未写入",
                    short(expected),
                    short(found)
                ),
                format!(
                    "request {request} was changed by another writer (expected head {}, found {}); the event was not stored",
                    short(expected),
                    short(found)
                ),
            ),
            StoreError::TornTail(t) => {
                let m = t.message();
                (m.zh, m.en)
            }
            StoreError::ChainBroken {
                request,
                chain_break,
            } => {
                let m = chain_break.message();
                (
                    format!("事项 {request} 的哈希链断裂：{}", m.zh),
                    format!("the hash chain of request {request} is broken: {}", m.en),
                )
            }
            StoreError::Corrupt(p) => (
                format!("存储中有无法读取的记录（{}）：{}", p.location, p.message.zh),
                format!(
                    "the store holds an unreadable record ({}): {}",
                    p.location, p.message.en
                ),
            ),
            StoreError::Io { op, source } => (
                format!("文件操作失败（{op}）：{source}"),
                format!("file operation failed ({op}): {source}"),
            ),
            StoreError::Busy(e) => (
                format!("数据库忙（其他写入者占用时间过长），本事件未写入：{e}"),
                format!(
                    "the database stayed busy (locked by other writers); nothing was stored: {e}"
                ),
            ),
            StoreError::Sqlite(e) => (format!("SQLite 错误：{e}"), format!("SQLite error: {e}")),
        };
        Message { zh, en }
    }

    pub(crate) fn io(op: &'static str) -> impl FnOnce(std::io::Error) -> StoreError {
        move |source| StoreError::Io { op, source }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy(e)
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

fn short(h: &Hash) -> String {
    h.to_hex()[..12].to_string()
}

/// Why the end of a JSON Lines file was taken for a torn write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TornReason {
    /// The last line has no line break: its write never finished.
    Unterminated,
    /// The last line is not a readable entry.
    Unreadable,
    /// The last line is an entry that does not chain onto its log.
    Unchained,
}

/// A torn last line of a JSON Lines store, found on opening or before a
/// write, and set aside (moved to a side file) so that the chain ends at
/// the last whole entry. Nothing is dropped silently: the bytes are kept in
/// [`TornTail::set_aside`] and the report is returned by
/// [`crate::JsonlStore::torn_tails`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    /// The store's file.
    pub file: PathBuf,
    /// The 1-based line number of the torn line.
    pub line: u64,
    /// Its byte offset in the file (the file now ends there).
    pub offset: u64,
    /// How many bytes were set aside.
    pub len: u64,
    /// Why it was taken for torn.
    pub reason: TornReason,
    /// The side file that holds the torn bytes; `None` when nothing was
    /// moved ([`crate::JsonlStore::open_strict`]).
    pub set_aside: Option<PathBuf>,
}

impl TornTail {
    /// `store.torn_tail`.
    pub fn code(&self) -> &'static str {
        "store.torn_tail"
    }

    /// The report in Chinese and English.
    pub fn message(&self) -> Message {
        let file = self.file.display();
        let (why_zh, why_en) = match self.reason {
            TornReason::Unterminated => (
                "没有换行符，写入未完成",
                "it has no line break: its write never finished",
            ),
            TornReason::Unreadable => ("无法读取为事件", "it is not a readable entry"),
            TornReason::Unchained => ("与哈希链接不上", "it does not chain onto its log"),
        };
        let (aside_zh, aside_en) = match &self.set_aside {
            Some(p) => (
                format!("已移至 {}", p.display()),
                format!("moved to {}", p.display()),
            ),
            None => ("未移动".to_string(), "left in place".to_string()),
        };
        Message {
            zh: format!(
                "{file} 第 {} 行（偏移 {}，{} 字节）是残缺的末行：{why_zh}；{aside_zh}",
                self.line, self.offset, self.len
            ),
            en: format!(
                "{file} line {} (offset {}, {} bytes) is a torn last line: {why_en}; {aside_en}",
                self.line, self.offset, self.len
            ),
        }
    }
}

impl fmt::Display for TornTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display(&self.message()))
    }
}
