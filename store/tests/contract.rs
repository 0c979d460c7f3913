//! Both backends decide exactly as `RequestLog` decides, refuse without
//! writing, detect conflicts, and report torn or broken files.

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use common::*;
use minqing::case::{
    BreakKind, CasePolicy, Category, Hash, Outcome, RequestEvent, RequestLog, Satisfaction,
};
use minqing::id::RequestId;
use minqing_store::{JsonlStore, LogStore, SqliteStore, StoreError, TornReason};

fn script() -> Vec<(RequestId, NaiveDateTime, RequestEvent)> {
    let t = t0();
    let h = |n| t + Duration::hours(n);
    let r1 = rid("R1");
    let r2 = rid("R2");
    let policy = CasePolicy::default();
    vec![
        // R2's first event is not `raised`: refused, and R2 must not appear
        (
            r2.clone(),
            t,
            policy.triage_default(Category::HouseholdRegistration, t),
        ),
        (r1.clone(), t, raised("H1", "road")),
        (r1.clone(), h(1), RequestEvent::Closed),
        (
            r1.clone(),
            h(1),
            policy.triage_default(Category::HouseholdRegistration, h(1)),
        ),
        (r2.clone(), h(1), raised("H2", "well")),
        // earlier than the event before
        (
            r1.clone(),
            t,
            RequestEvent::ProxyStarted {
                measures: String::new(),
            },
        ),
        (
            r1.clone(),
            h(2),
            RequestEvent::ProxyStarted {
                measures: "forms".into(),
            },
        ),
        (
            r1.clone(),
            h(3),
            RequestEvent::Resolved {
                outcome: Outcome::Full,
                measures: String::new(),
            },
        ),
        (
            r1.clone(),
            h(4),
            RequestEvent::FeedbackGiven {
                satisfaction: Satisfaction::Satisfied,
                rectify_by: None,
                note: String::new(),
            },
        ),
        (r1.clone(), h(5), RequestEvent::Closed),
        (
            r1.clone(),
            h(6),
            RequestEvent::Reopened {
                reason: " ".into(),
                deadline: None,
            },
        ),
        (r1.clone(), h(6), raised("H1", "again")),
        (r2.clone(), h(7), RequestEvent::Closed),
        (
            r2.clone(),
            h(7),
            RequestEvent::CarriedOver {
                period: "2024H2".into(),
            },
        ),
    ]
}

#[test]
fn both_backends_decide_exactly_as_the_request_log() {
    for backend in Backend::ALL {
        let dir = tempfile::tempdir().unwrap();
        let path = backend.file(dir.path());
        let store = backend.open(&path).unwrap();
        let mut reference: BTreeMap<RequestId, RequestLog> = BTreeMap::new();
        let mut accepted = Vec::new();
        let mut refused = 0;
        for (id, at, event) in script() {
            let log = reference
                .entry(id.clone())
                .or_insert_with(|| RequestLog::new(id.clone()));
            let head = log.head();
            let want = log.append(at, event.clone()).cloned();
            let got = store.append(&id, head, at, event);
            match (want, got) {
                (Ok(w), Ok(g)) => {
                    assert_eq!(w, g, "{}", backend.name());
                    accepted.push(g);
                }
                (Err(w), Err(StoreError::Case(g))) => {
                    refused += 1;
                    assert_eq!(w, g, "{}", backend.name());
                    let e = StoreError::Case(g);
                    assert_eq!(e.code(), w.code().as_str());
                    assert_eq!(e.message().en, w.message_en());
                    assert_eq!(e.message().zh, w.message_zh());
                }
                (w, g) => panic!("{}: expected {w:?}, got {g:?}", backend.name()),
            }
        }
        assert_eq!(refused, 6);
        reference.retain(|_, log| !log.is_empty());
        let want: Vec<RequestLog> = reference.into_values().collect();
        assert_eq!(all_logs(&*store), want, "{}", backend.name());
        for log in &want {
            assert_eq!(store.state(log.request_id()).unwrap(), log.state().unwrap());
        }
        let verified = store.verify().unwrap();
        assert_eq!((verified.requests, verified.events), (2, accepted.len()));
        drop(store);
        // read back from disk by a new store
        let again = backend.open(&path).unwrap();
        assert_eq!(all_logs(&*again), want, "{} reopened", backend.name());
        if backend == Backend::Jsonl {
            // the file holds exactly the accepted entries, in the core's format
            let mut lines = Vec::new();
            minqing::io::write_jsonl(&mut lines, &accepted).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), lines);
            let (read, report) = minqing::case::read_jsonl(&String::from_utf8(lines).unwrap(), "x");
            assert!(report.problems.is_empty());
            assert_eq!(read.len(), 2);
        }
        // a request never stored
        let none = again.state(&rid("R9")).unwrap_err();
        assert_eq!(none.code(), "request.not_raised");
        assert!(again.load(&rid("R9")).unwrap().is_empty());
    }
}

#[test]
fn a_stale_writer_gets_a_conflict_and_writes_nothing() {
    for backend in Backend::ALL {
        let dir = tempfile::tempdir().unwrap();
        let path = backend.file(dir.path());
        let a = backend.open(&path).unwrap();
        let b = backend.open(&path).unwrap();
        let r = rid("R1");
        let first = a
            .append(&r, Hash::GENESIS, t0(), raised("H1", "x"))
            .unwrap();
        // b never saw `first`
        let stale = b
            .append(&r, Hash::GENESIS, t0(), raised("H1", "y"))
            .unwrap_err();
        assert_eq!(stale.code(), "store.conflict", "{}", backend.name());
        match &stale {
            StoreError::Conflict {
                expected, found, ..
            } => {
                assert_eq!(*expected, Hash::GENESIS);
                assert_eq!(*found, first.hash);
            }
            other => panic!("{other:?}"),
        }
        assert!(stale.message().zh.contains("R1"));
        // a stale writer's refused event is a conflict too: its view is old
        let also_stale = b.append(&r, Hash::GENESIS, t0(), RequestEvent::Closed);
        assert_eq!(also_stale.unwrap_err().code(), "store.conflict");
        // b sees a's entry, and retrying decides again on the fresh log
        assert_eq!(b.load(&r).unwrap().entries(), std::slice::from_ref(&first));
        let mut calls = 0;
        let e = b
            .append_retrying(&r, 3, &mut |log| {
                calls += 1;
                next_tagged(log, "z")
            })
            .unwrap();
        assert_eq!((e.seq, calls), (1, 1));
        assert_eq!(a.load(&r).unwrap().len(), 2);
        assert_eq!(a.verify().unwrap().events, 2);
    }
}

#[test]
fn retrying_gives_up_after_its_tries() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("s.sqlite")).unwrap();
    let other = SqliteStore::open(dir.path().join("s.sqlite")).unwrap();
    let r = rid("R1");
    let mut n = 0;
    // every decision is overtaken by another writer before it is written
    let err = store
        .append_retrying(&r, 3, &mut |log| {
            n += 1;
            other
                .append(&r, log.head(), t0(), next_tagged(log, &format!("o{n}")).1)
                .unwrap();
            next_tagged(log, "mine")
        })
        .unwrap_err();
    assert!(err.is_conflict());
    assert_eq!(n, 3);
    assert_eq!(store.load(&r).unwrap().len(), 3);
}

/// A JSON Lines store with a few events, its bytes, and where its last
/// line starts.
fn jsonl_with_events(
    dir: &std::path::Path,
) -> (std::path::PathBuf, Vec<u8>, usize, Vec<RequestLog>) {
    let path = dir.join("base.jsonl");
    let store = JsonlStore::open(&path).unwrap();
    for g in 0..(PLANNED_REQUESTS + 3) {
        let (id, at, event) = planned(g);
        let head = store.head(&id).unwrap();
        store.append(&id, head, at, event).unwrap();
    }
    let before_last = all_logs(&store);
    let (id, at, event) = planned(PLANNED_REQUESTS + 3);
    store
        .append(&id, store.head(&id).unwrap(), at, event)
        .unwrap();
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    let last_start = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    (path, bytes, last_start, before_last)
}

#[test]
fn a_torn_last_line_is_set_aside_and_reported_at_every_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bytes, last_start, before_last) = jsonl_with_events(dir.path());
    for cut in last_start + 1..bytes.len() {
        let sub = dir.path().join(format!("cut{cut}"));
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("requests.jsonl");
        std::fs::write(&path, &bytes[..cut]).unwrap();

        // strict opening refuses and moves nothing
        let strict = JsonlStore::open_strict(&path).unwrap_err();
        assert_eq!(strict.code(), "store.torn_tail");
        assert_eq!(std::fs::read(&path).unwrap(), &bytes[..cut]);

        let store = JsonlStore::open(&path).unwrap();
        let torn = store.torn_tails();
        assert_eq!(torn.len(), 1, "cut {cut}");
        let t = &torn[0];
        assert_eq!(t.code(), "store.torn_tail");
        assert_eq!(t.reason, TornReason::Unterminated);
        assert_eq!(
            (t.offset, t.len),
            (last_start as u64, (cut - last_start) as u64)
        );
        assert_eq!(t.line, PLANNED_REQUESTS + 4);
        let side = t.set_aside.clone().unwrap();
        assert_eq!(std::fs::read(&side).unwrap(), &bytes[last_start..cut]);
        assert!(t.message().en.contains("torn"));
        // the file ends at the last whole entry, and the logs with it
        assert_eq!(std::fs::read(&path).unwrap(), &bytes[..last_start]);
        assert_eq!(all_logs(&store), before_last);
        // and the store goes on: the lost append can be made again
        let (id, at, event) = planned(PLANNED_REQUESTS + 3);
        store
            .append(&id, store.head(&id).unwrap(), at, event)
            .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        drop(store);
        let again = JsonlStore::open(&path).unwrap();
        assert!(again.torn_tails().is_empty());
        assert_eq!(again.verify().unwrap().events as u64, PLANNED_REQUESTS + 4);
    }
}

#[test]
fn a_torn_tail_left_by_another_writer_is_found_before_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes, last_start, _) = jsonl_with_events(dir.path());
    let store = JsonlStore::open(&path).unwrap();
    let (id, at, event) = planned(PLANNED_REQUESTS + 4);
    let head = store.head(&id).unwrap();
    assert_ne!(head, Hash::GENESIS);
    // another writer dies half-way through a line
    let mut torn = bytes[last_start..bytes.len() - 7].to_vec();
    let f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut &f, &torn).unwrap();
    drop(f);
    let e = store.append(&id, head, at, event).unwrap();
    assert_eq!(e.prev_hash, head);
    let t = store.torn_tails();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].offset, bytes.len() as u64);
    torn.truncate(t[0].len as usize);
    assert_eq!(
        std::fs::read(t[0].set_aside.as_ref().unwrap()).unwrap(),
        torn
    );
    assert_eq!(store.verify().unwrap().events as u64, PLANNED_REQUESTS + 5);
}

#[test]
fn an_unreadable_or_unchained_last_line_is_torn_but_a_bad_middle_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes, last_start, before_last) = jsonl_with_events(dir.path());
    let whole = bytes[..last_start].to_vec();
    let last_line = bytes[last_start..].to_vec();

    // a whole line of garbage at the end
    let p = dir.path().join("garbage.jsonl");
    std::fs::write(&p, [&whole[..], b"{\"request_id\":\n"].concat()).unwrap();
    let store = JsonlStore::open(&p).unwrap();
    assert_eq!(store.torn_tails()[0].reason, TornReason::Unreadable);
    assert_eq!(all_logs(&store), before_last);
    assert_eq!(std::fs::read(&p).unwrap(), whole);

    // the last entry written twice: the copy does not chain
    let p = dir.path().join("twice.jsonl");
    std::fs::write(&p, [&bytes[..], &last_line[..]].concat()).unwrap();
    let store = JsonlStore::open(&p).unwrap();
    assert_eq!(store.torn_tails()[0].reason, TornReason::Unchained);
    assert_eq!(std::fs::read(&p).unwrap(), bytes);
    assert_eq!(store.verify().unwrap().events as u64, PLANNED_REQUESTS + 4);

    // garbage in the middle: refused with its line, the file untouched
    let p = dir.path().join("middle.jsonl");
    let mut bad = bytes.clone();
    bad.splice(last_start..last_start, b"not json\n".iter().copied());
    std::fs::write(&p, &bad).unwrap();
    let err = JsonlStore::open(&p).unwrap_err();
    assert_eq!(err.code(), "store.corrupt");
    match &err {
        StoreError::Corrupt(problem) => {
            assert_eq!(problem.location.line, Some(PLANNED_REQUESTS + 4));
            assert_eq!(problem.code.as_str(), "json.syntax");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&p).unwrap(), bad);
    let _ = path;
}

#[test]
fn an_edited_entry_breaks_the_chain_in_both_backends() {
    // JSON Lines: change the summary of the first event, keep its hash
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes, _, _) = jsonl_with_events(dir.path());
    let text = String::from_utf8(bytes)
        .unwrap()
        .replacen("\"g0\"", "\"gX\"", 1);
    std::fs::write(&path, &text).unwrap();
    let err = JsonlStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "store.chain_broken");
    match err {
        StoreError::ChainBroken {
            request,
            chain_break,
        } => {
            assert_eq!(request, rid("R00"));
            assert_eq!(
                (chain_break.index, chain_break.kind),
                (0, BreakKind::Edited)
            );
        }
        other => panic!("{other:?}"),
    }

    // SQLite: the same edit in the entry column
    let db = dir.path().join("s.sqlite");
    let store = SqliteStore::open(&db).unwrap();
    for g in 0..(PLANNED_REQUESTS * 2) {
        let (id, at, event) = planned(g);
        store
            .append(&id, store.head(&id).unwrap(), at, event)
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n = conn
        .execute(
            "UPDATE request_events SET entry = replace(entry, '\"g3\"', '\"gX\"') WHERE request_id = 'R03' AND seq = 0",
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(store.verify().unwrap_err().code(), "store.chain_broken");
    // this store keeps the log it wrote (its head did not move); a store
    // that reads it finds the break
    assert_eq!(store.load(&rid("R03")).unwrap().len(), 2);
    let reader = SqliteStore::open_unverified(&db).unwrap();
    assert_eq!(
        reader.load(&rid("R03")).unwrap_err().code(),
        "store.chain_broken"
    );
    let head = reader.head(&rid("R03"));
    assert_eq!(head.unwrap_err().code(), "store.chain_broken");
    drop(reader);
    let head = store.head(&rid("R04")).unwrap();
    // other requests still work
    store
        .append(
            &rid("R04"),
            head,
            t0() + Duration::days(1),
            RequestEvent::CarriedOver { period: "p".into() },
        )
        .unwrap();
    drop(store);
    assert_eq!(
        SqliteStore::open(&db).unwrap_err().code(),
        "store.chain_broken"
    );
    assert!(SqliteStore::open_unverified(&db).is_ok());

    // a row whose columns disagree with its entry
    conn.execute(
        "UPDATE request_events SET seq = 7 WHERE request_id = 'R05' AND seq = 1",
        [],
    )
    .unwrap();
    let err = SqliteStore::open_unverified(&db)
        .unwrap()
        .load(&rid("R05"))
        .unwrap_err();
    assert_eq!(err.code(), "store.corrupt");
    assert!(err.message().en.contains("R05"));
}

#[test]
fn a_bad_line_is_reported_without_quoting_it() {
    let dir = tempfile::tempdir().unwrap();
    let (path, bytes, last_start, _) = jsonl_with_events(dir.path());
    // a line of the right syntax whose event type is a phone number
    let text = String::from_utf8(bytes[last_start..].to_vec()).unwrap();
    let bad = text.replacen("\"triaged\"", "\"13800138000\"", 1);
    assert_ne!(bad, text);
    let mut file = bytes[..last_start].to_vec();
    file.extend_from_slice(bad.as_bytes());
    file.extend_from_slice(&bytes[last_start..]);
    std::fs::write(&path, &file).unwrap();
    let err = JsonlStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "store.corrupt");
    let m = err.message();
    assert!(
        !m.en.contains("13800138000") && !m.zh.contains("13800138000"),
        "{m:?}"
    );
    assert!(!err.to_string().contains("13800138000"));
    match &err {
        StoreError::Corrupt(p) => {
            assert_eq!(p.code.as_str(), "json.shape");
            assert_eq!(p.location.line, Some(PLANNED_REQUESTS + 4));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sqlite_store_is_in_wal_mode_and_checks_its_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.sqlite");
    let store = SqliteStore::open(&db).unwrap();
    store
        .append(&rid("R1"), Hash::GENESIS, t0(), raised("H1", "x"))
        .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM request_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    drop(store);
    conn.execute(
        "UPDATE minqing_meta SET value = '2' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    assert_eq!(SqliteStore::open(&db).unwrap_err().code(), "store.corrupt");
}

#[test]
fn every_store_error_has_a_code_and_both_languages() {
    let io = StoreError::Io {
        op: "append",
        source: std::io::Error::other("disk full"),
    };
    let conflict = StoreError::Conflict {
        request: rid("R1"),
        expected: Hash::GENESIS,
        found: Hash([1; 32]),
    };
    let case = StoreError::from(minqing::case::CaseError::Closed { event: "closed" });
    let mut codes = Vec::new();
    for e in [io, conflict, case] {
        let m = e.message();
        assert!(!m.en.is_empty() && !m.zh.is_empty());
        assert!(e.to_string().contains(&m.en) && e.to_string().contains(&m.zh));
        codes.push(e.code());
    }
    assert_eq!(codes, ["store.io", "store.conflict", "request.closed"]);
}
