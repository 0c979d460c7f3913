//! The JSON Lines backend: one entry a line in one file, every request's
//! log interleaved, writers serialised by an exclusive file lock.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDateTime;
use minqing::case::{Entry, Hash, RequestEvent, RequestLog};
use minqing::id::RequestId;
use minqing::problem::Problem;

use crate::{LogStore, StoreError, TornReason, TornTail, Verified};

/// Request logs in one JSON Lines file: the format of
/// [`minqing::case::write_jsonl`], one [`Entry`] a line, the logs of all
/// requests interleaved in the order they were appended.
///
/// Every operation takes an exclusive lock on the file (`flock` on Unix)
/// and first reads what other writers appended since, so several stores
/// (threads or processes) may share one file. An append writes its line
/// and syncs it (`fdatasync`) before it returns.
///
/// A torn last line (a crash in the middle of a write: no line break, or a
/// last line that does not read or does not chain) is found when the file
/// is read, moved to a side file next to it (`<file>.torn-<offset>`, synced
/// before the file is cut) and reported by [`JsonlStore::torn_tails`]; the
/// logs then end at the last whole entry. Any other unreadable or broken
/// line is an error ([`StoreError::Corrupt`], [`StoreError::ChainBroken`]):
/// the store does not guess.
#[derive(Debug)]
pub struct JsonlStore {
    path: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    SetAside,
    Refuse,
}

#[derive(Debug)]
struct Inner {
    file: File,
    /// The bytes of the file read into `logs`.
    offset: u64,
    /// The lines in those bytes.
    lines: u64,
    logs: BTreeMap<RequestId, RequestLog>,
    /// Logs read with new entries whose chains are not verified yet.
    unverified: BTreeSet<RequestId>,
    torn: Vec<TornTail>,
}

/// The exclusive file lock, released when dropped.
struct Locked<'a>(&'a File);

impl<'a> Locked<'a> {
    fn take(file: &'a File) -> Result<Self, StoreError> {
        file.lock().map_err(StoreError::io("lock"))?;
        Ok(Locked(file))
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        // closing the file would release it too
        let _ = self.0.unlock();
    }
}

impl JsonlStore {
    /// Opens (or creates) the file at `path`, reads and verifies every log,
    /// and sets aside a torn last line ([`JsonlStore::torn_tails`]).
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] for an unreadable line that is not the last,
    /// [`StoreError::ChainBroken`] for a broken chain, [`StoreError::Io`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path.as_ref(), Policy::SetAside)
    }

    /// As [`JsonlStore::open`], but a torn last line is refused
    /// ([`StoreError::TornTail`]) and left where it is: for tools that
    /// inspect a file without changing it.
    ///
    /// # Errors
    /// As [`JsonlStore::open`], and [`StoreError::TornTail`].
    pub fn open_strict(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path.as_ref(), Policy::Refuse)
    }

    fn open_with(path: &Path, policy: Policy) -> Result<Self, StoreError> {
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(StoreError::io("open"))?;
        if !existed {
            sync_dir(path)?;
        }
        let mut inner = Inner {
            file,
            offset: 0,
            lines: 0,
            logs: BTreeMap::new(),
            unverified: BTreeSet::new(),
            torn: Vec::new(),
        };
        inner.locked_refresh(path, policy)?;
        inner.verify_all()?;
        Ok(JsonlStore {
            path: path.to_path_buf(),
            inner: Mutex::new(inner),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The torn tails this store found and set aside, oldest first (on
    /// opening, or left by another writer that crashed since).
    pub fn torn_tails(&self) -> Vec<TornTail> {
        self.inner().torn.clone()
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        // every error path below resets the cache, so a panic cannot leave
        // it half updated in a way the next refresh would trust
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn reset(&mut self) {
        self.offset = 0;
        self.lines = 0;
        self.logs.clear();
        self.unverified.clear();
    }

    /// The log of `id` (`None` when not stored), its chain verified.
    fn verified(&mut self, id: &RequestId) -> Result<Option<&RequestLog>, StoreError> {
        if self.unverified.contains(id) {
            if let Some(log) = self.logs.get(id)
                && let Err(chain_break) = log.verify()
            {
                self.reset();
                return Err(StoreError::ChainBroken {
                    request: id.clone(),
                    chain_break,
                });
            }
            self.unverified.remove(id);
        }
        Ok(self.logs.get(id))
    }

    fn verify_all(&mut self) -> Result<(), StoreError> {
        let ids: Vec<RequestId> = self.unverified.iter().cloned().collect();
        for id in &ids {
            self.verified(id)?;
        }
        Ok(())
    }

    fn locked_refresh(&mut self, path: &Path, policy: Policy) -> Result<(), StoreError> {
        let file = self.file.try_clone().map_err(StoreError::io("open"))?;
        let _lock = Locked::take(&file)?;
        self.refresh(path, policy)
    }

    /// Reads what was appended since the last read; the file lock is held.
    fn refresh(&mut self, path: &Path, policy: Policy) -> Result<(), StoreError> {
        let r = self.try_refresh(path, policy);
        if r.is_err() {
            self.reset();
        }
        r
    }

    fn try_refresh(&mut self, path: &Path, policy: Policy) -> Result<(), StoreError> {
        let len = self.file.metadata().map_err(StoreError::io("read"))?.len();
        if len < self.offset {
            // cut short by someone else: read it all again
            self.reset();
        }
        if len == self.offset {
            return Ok(());
        }
        let mut bytes = Vec::new();
        self.file
            .seek(SeekFrom::Start(self.offset))
            .map_err(StoreError::io("read"))?;
        (&self.file)
            .take(len - self.offset)
            .read_to_end(&mut bytes)
            .map_err(StoreError::io("read"))?;
        let len = self.offset + bytes.len() as u64;

        // the whole lines, and what follows the last line break
        let cut = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let (complete, rest) = bytes.split_at(cut);
        let n_lines = complete.iter().filter(|&&b| b == b'\n').count() as u64;
        let last_start = complete[..cut.saturating_sub(1)]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // (line in `bytes`, byte offset in `bytes`, why)
        let mut torn: Option<(u64, usize, TornReason)> = None;
        if !rest.is_empty() {
            torn = Some((n_lines + 1, cut, TornReason::Unterminated));
        }

        let name = path.display().to_string();
        let parsed = minqing::io::read_jsonl::<Entry, _>(complete, &name);
        for p in parsed.report.problems {
            let line = p.location.line.unwrap_or(0);
            if torn.is_none() && line == n_lines {
                torn = Some((n_lines, last_start, TornReason::Unreadable));
            } else {
                return Err(StoreError::Corrupt(Box::new(
                    self.masked(p, complete, &name),
                )));
            }
        }

        let mut new: BTreeMap<RequestId, Vec<Entry>> = BTreeMap::new();
        let mut last_line_entry: Option<RequestId> = None;
        for (entry, source) in parsed.records.into_iter().zip(parsed.sources) {
            if source.line == Some(n_lines) {
                last_line_entry = Some(entry.request_id.clone());
            }
            new.entry(entry.request_id.clone()).or_default().push(entry);
        }
        for (id, added) in &mut new {
            let mut entries = self
                .logs
                .remove(id)
                .map(|log| log.entries().to_vec())
                .unwrap_or_default();
            entries.append(added);
            self.logs
                .insert(id.clone(), RequestLog::from_entries(id.clone(), entries));
        }
        for id in new.keys() {
            if last_line_entry.as_ref() != Some(id) {
                // verified when it is next used: a refresh that reads other
                // writers' lines need not hash every log they touched
                self.unverified.insert(id.clone());
                continue;
            }
            let log = &self.logs[id];
            let Err(chain_break) = log.verify() else {
                self.unverified.remove(id);
                continue;
            };
            // the file's last line may be a torn write that happens to read
            let without_last = (torn.is_none() && last_line_entry.as_ref() == Some(id))
                .then(|| {
                    let e = log.entries();
                    RequestLog::from_entries(id.clone(), e[..e.len() - 1].to_vec())
                })
                .filter(|shorter| shorter.verify().is_ok());
            match without_last {
                Some(shorter) => {
                    torn = Some((n_lines, last_start, TornReason::Unchained));
                    if shorter.is_empty() {
                        self.logs.remove(id);
                    } else {
                        self.logs.insert(id.clone(), shorter);
                    }
                }
                None => {
                    return Err(StoreError::ChainBroken {
                        request: id.clone(),
                        chain_break,
                    });
                }
            }
        }

        let Some((line, at, reason)) = torn else {
            self.offset = len;
            self.lines += n_lines;
            return Ok(());
        };
        let offset = self.offset + at as u64;
        let mut report = TornTail {
            file: path.to_path_buf(),
            line: self.lines + line,
            offset,
            len: len - offset,
            reason,
            set_aside: None,
        };
        if policy == Policy::Refuse {
            return Err(StoreError::TornTail(report));
        }
        let side = side_file(path, offset);
        write_synced(&side, &bytes[at..])?;
        sync_dir(&side)?;
        self.file
            .set_len(offset)
            .map_err(StoreError::io("set aside"))?;
        self.file.sync_all().map_err(StoreError::io("set aside"))?;
        report.set_aside = Some(side);
        self.torn.push(report);
        self.offset = offset;
        self.lines += line - 1;
        Ok(())
    }
}

impl Inner {
    /// `problem` at its line in the file, with the message of the request
    /// log reader, which never quotes the line (serde's message may, and a
    /// line may hold personal data).
    fn masked(&self, mut problem: Problem, chunk: &[u8], name: &str) -> Problem {
        let line = problem.location.line.unwrap_or(1);
        let text = chunk
            .split(|&b| b == b'\n')
            .nth(usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX))
            .and_then(|l| std::str::from_utf8(l).ok());
        if let Some(text) = text {
            let (_, report) = minqing::case::read_jsonl(text, name);
            if let Some(p) = report.problems.into_iter().next() {
                problem = p;
            }
        }
        problem.location.line = Some(self.lines + line);
        problem
    }
}

fn side_file(path: &Path, offset: u64) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".torn-{offset}"));
    path.with_file_name(name)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut f = File::create(path).map_err(StoreError::io("set aside"))?;
    f.write_all(bytes).map_err(StoreError::io("set aside"))?;
    f.sync_all().map_err(StoreError::io("set aside"))
}

/// Syncs the folder holding `path`, so that a new file's name is durable.
fn sync_dir(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(parent)
            .and_then(|d| d.sync_all())
            .map_err(StoreError::io("sync folder"))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl LogStore for JsonlStore {
    fn append(
        &self,
        request: &RequestId,
        expected_head: Hash,
        at: NaiveDateTime,
        event: RequestEvent,
    ) -> Result<Entry, StoreError> {
        let mut inner = self.inner();
        let file = inner.file.try_clone().map_err(StoreError::io("append"))?;
        let _lock = Locked::take(&file)?;
        inner.refresh(&self.path, Policy::SetAside)?;
        let found = inner
            .verified(request)?
            .map_or(Hash::GENESIS, RequestLog::head);
        StoreError::check_head(request, expected_head, found)?;
        let mut log = inner
            .logs
            .remove(request)
            .unwrap_or_else(|| RequestLog::new(request.clone()));
        let appended = log.append(at, event).cloned();
        let entry = match appended {
            Ok(entry) => entry,
            Err(e) => {
                // refused: the log is unchanged and nothing is written
                if !log.is_empty() {
                    inner.logs.insert(request.clone(), log);
                }
                return Err(e.into());
            }
        };
        let mut line = Vec::new();
        let written = minqing::io::write_jsonl(&mut line, [&entry])
            .and_then(|()| (&file).write_all(&line))
            .and_then(|()| file.sync_data());
        if let Err(e) = written {
            // take back whatever part of the line reached the file, and
            // read the file again next time
            let _ = file.set_len(inner.offset);
            let _ = file.sync_all();
            inner.reset();
            return Err(StoreError::Io {
                op: "append",
                source: e,
            });
        }
        inner.offset += line.len() as u64;
        inner.lines += 1;
        inner.logs.insert(request.clone(), log);
        Ok(entry)
    }

    fn load(&self, request: &RequestId) -> Result<RequestLog, StoreError> {
        let mut inner = self.inner();
        inner.locked_refresh(&self.path, Policy::SetAside)?;
        Ok(inner
            .verified(request)?
            .cloned()
            .unwrap_or_else(|| RequestLog::new(request.clone())))
    }

    fn head(&self, request: &RequestId) -> Result<Hash, StoreError> {
        let mut inner = self.inner();
        inner.locked_refresh(&self.path, Policy::SetAside)?;
        Ok(inner
            .verified(request)?
            .map_or(Hash::GENESIS, RequestLog::head))
    }

    fn requests(&self) -> Result<Vec<RequestId>, StoreError> {
        let mut inner = self.inner();
        inner.locked_refresh(&self.path, Policy::SetAside)?;
        Ok(inner.logs.keys().cloned().collect())
    }

    fn verify(&self) -> Result<Verified, StoreError> {
        let mut inner = self.inner();
        inner.reset();
        inner.locked_refresh(&self.path, Policy::SetAside)?;
        inner.verify_all()?;
        Ok(Verified {
            requests: inner.logs.len(),
            events: inner.logs.values().map(RequestLog::len).sum(),
        })
    }
}
