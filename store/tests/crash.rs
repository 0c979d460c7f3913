//! The crash test: a child process appends a planned stream of events
//! through a store and is killed (SIGKILL on Unix) at a random moment, 200
//! times a backend. After each kill the store is opened again and must
//! hold every event whose append returned (the child acknowledges each on
//! stdout, flushed, after the append returned), in order, chained, and
//! nothing else but at most the one append that was in flight (whole, or
//! as a reported torn tail that is a prefix of its line).
//!
//! A SIGKILL rarely lands inside the one `write` of a line, so for the JSON
//! Lines store one round in eight also starts from a file that a dead
//! writer left with half a line (the next planned line, cut at random):
//! the child's opening, or the check after it, must move exactly those
//! bytes to the side file. `contract.rs` cuts a line at every byte.
//!
//! The child is this test binary again, running the ignored test
//! `crash_child` with `MINQING_STORE_CRASH_CHILD=<backend>:<path>`.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use minqing::case::RequestLog;
use minqing::id::RequestId;
use minqing_store::{JsonlStore, LogStore, SqliteStore};

const CHILD_ENV: &str = "MINQING_STORE_CRASH_CHILD";
const KILLS: usize = 200;
/// A child appends at most this many events, then waits to be killed.
const MAX_PER_CHILD: u64 = 12;

#[test]
#[ignore = "the child process of the crash test, started by it"]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        panic!("run by the crash test only ({CHILD_ENV} is not set)");
    };
    let (backend, path) = spec.split_once(':').unwrap();
    let store = Backend::parse(backend).open(Path::new(path)).unwrap();
    let start: u64 = all_logs(&*store).iter().map(|l| l.len() as u64).sum();
    let mut out = std::io::stdout().lock();
    writeln!(out, "start {start}").unwrap();
    out.flush().unwrap();
    for g in start..start + MAX_PER_CHILD {
        let (id, at, event) = planned(g);
        let head = store.head(&id).unwrap();
        if g % 5 == 3 {
            // a refused event on the way: it must touch nothing
            let e = store
                .append(&id, head, at, minqing::case::RequestEvent::Closed)
                .unwrap_err();
            assert!(e.code().starts_with("request."), "{e}");
        }
        match store.append(&id, head, at, event) {
            Ok(_) => {
                writeln!(out, "ack {g}").unwrap();
                out.flush().unwrap();
            }
            Err(e) => {
                writeln!(out, "err {g} {}", e.code()).unwrap();
                out.flush().unwrap();
                std::process::exit(3);
            }
        }
    }
    drop(out);
    std::thread::sleep(Duration::from_secs(60));
}

/// The planned logs, extended as far as the store got.
struct Expected {
    logs: BTreeMap<RequestId, RequestLog>,
    events: u64,
}

impl Expected {
    fn extend_to(&mut self, n: u64) {
        while self.events < n {
            let (id, at, event) = planned(self.events);
            self.logs
                .entry(id.clone())
                .or_insert_with(|| RequestLog::new(id))
                .append(at, event)
                .unwrap();
            self.events += 1;
        }
    }

    /// The line the next planned append writes.
    fn next_line(&self) -> Vec<u8> {
        let (id, at, event) = planned(self.events);
        let mut log = self
            .logs
            .get(&id)
            .cloned()
            .unwrap_or_else(|| RequestLog::new(id));
        let entry = log.append(at, event).unwrap();
        let mut line = Vec::new();
        minqing::io::write_jsonl(&mut line, [entry]).unwrap();
        line
    }
}

fn crash_many_times(backend: Backend, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = backend.file(dir.path());
    let mut rng = Rng::new(seed);
    let mut expected = Expected {
        logs: BTreeMap::new(),
        events: 0,
    };
    let mut stored = 0u64;
    let (mut killed_early, mut torn_seen, mut in_flight_kept, mut injected_torn) = (0, 0, 0, 0);
    for round in 0..KILLS {
        // now and then, a writer that died half-way through a line before
        // this child starts: the child (or the check below) must set it aside
        let mut injected = None;
        if backend == Backend::Jsonl && rng.below(8) == 0 {
            let line = expected.next_line();
            let cut = 1 + rng.below(line.len() as u64 - 1) as usize;
            let offset = std::fs::metadata(&path).map_or(0, |m| m.len());
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap();
            f.write_all(&line[..cut]).unwrap();
            injected = Some((offset, line[..cut].to_vec()));
        }
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["crash_child", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_ENV, format!("{}:{}", backend.name(), path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut lines = Vec::new();
        if rng.below(4) == 0 {
            // while it starts or opens the store (and sets a tail aside)
            killed_early += 1;
            std::thread::sleep(Duration::from_micros(rng.below(8_000)));
        } else {
            loop {
                let line = rx
                    .recv_timeout(Duration::from_secs(30))
                    .expect("the child did not start");
                let started = line.starts_with("start ");
                lines.push(line);
                if started {
                    break;
                }
            }
            std::thread::sleep(Duration::from_micros(rng.below(25_000)));
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            // killed by us, not ended by a failure of its own
            assert_eq!(
                status.signal(),
                Some(9),
                "round {round}: the child ended: {status}"
            );
        }
        #[cfg(not(unix))]
        let _ = status;
        reader.join().unwrap();
        lines.extend(rx.try_iter());

        // what the child said
        let mut start = None;
        let mut next_ack = None;
        for line in &lines {
            if let Some(s) = line.strip_prefix("start ") {
                let s: u64 = s.parse().unwrap();
                assert_eq!(s, stored, "round {round}: the child found another count");
                start = Some(s);
                next_ack = Some(s);
            } else if let Some(a) = line.strip_prefix("ack ") {
                let a: u64 = a.parse().unwrap();
                assert_eq!(Some(a), next_ack, "round {round}: acks out of order");
                next_ack = Some(a + 1);
            } else {
                assert!(!line.starts_with("err "), "round {round}: {line}");
            }
        }
        let acked = next_ack.unwrap_or(stored).max(stored);
        let _ = start;

        // what the store holds (opening verifies every chain and sets a
        // torn tail aside)
        let (store, torn): (Box<dyn LogStore>, _) = match backend {
            Backend::Jsonl => {
                let s = JsonlStore::open(&path).unwrap();
                let torn = s.torn_tails();
                (Box::new(s), torn)
            }
            Backend::Sqlite => (Box::new(SqliteStore::open(&path).unwrap()), Vec::new()),
        };
        let logs = all_logs(&*store);
        let now: u64 = logs.iter().map(|l| l.len() as u64).sum();
        assert!(
            now == acked || now == acked + 1,
            "round {round}: {now} events stored, {acked} acknowledged"
        );
        if now > acked {
            in_flight_kept += 1;
        }
        expected.extend_to(now);
        let want: Vec<RequestLog> = expected.logs.values().cloned().collect();
        assert_eq!(logs, want, "round {round}: the stored logs differ");
        assert_eq!(store.verify().unwrap().events as u64, now);
        for t in &torn {
            torn_seen += 1;
            assert_eq!(
                now, acked,
                "round {round}: a torn tail after an acknowledged append"
            );
            let aside = std::fs::read(t.set_aside.as_ref().unwrap()).unwrap();
            assert!(
                expected.next_line().starts_with(&aside),
                "round {round}: the torn tail is not part of the append in flight"
            );
        }
        if let Some((offset, bytes)) = injected {
            let side = format!("{}.torn-{offset}", path.display());
            assert_eq!(std::fs::read(&side).unwrap(), bytes, "round {round}");
            injected_torn += 1;
        }
        drop(store);
        stored = now;
    }
    assert!(stored > KILLS as u64, "too few events appended: {stored}");
    eprintln!(
        "{}: {KILLS} kills ({killed_early} early), {stored} events, {in_flight_kept} unacknowledged appends found whole, {torn_seen} torn tails found on reopening, {injected_torn} torn lines of a dead writer set aside",
        backend.name()
    );
}

#[test]
fn sqlite_survives_200_kills() {
    crash_many_times(Backend::Sqlite, 0x5EED_0001);
}

#[test]
fn jsonl_survives_200_kills() {
    crash_many_times(Backend::Jsonl, 0x5EED_0002);
}
