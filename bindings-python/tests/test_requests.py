"""Request logs from Python: append and refusal, state, hash chain, JSON
Lines, due lists and metrics (conversion only: the rules are the core's)."""

import datetime
import json

import pytest

import minqing

AT = datetime.datetime(2024, 1, 31, 15, 0)
RAISED = {"type": "raised", "household_id": "H1", "cadre_id": "C1",
          "category": "insurance", "channel": "phone", "summary": "pension insurance payment"}


def proxy_log() -> minqing.RequestLog:
    log = minqing.RequestLog("R1")
    log.append(AT, RAISED)
    log.append(AT, {"type": "triaged", "track": "proxy", "deadline": AT + datetime.timedelta(hours=24)})
    return log


def test_append_returns_the_entry_and_state_folds():
    log = minqing.RequestLog("R1")
    entry = log.append("2024-01-31T15:00", RAISED)
    assert (entry["seq"], entry["at"], entry["event"]["type"]) == (0, "2024-01-31T15:00:00", "raised")
    assert log.head == entry["hash"] and len(log.head) == 64
    log.append(AT, '{"type": "triaged", "track": "proxy", "deadline": "2024-02-01T15:00:00"}')
    assert log.state["stage"] == "open" and log.state["track"] == "proxy"
    assert log.state_at(AT - datetime.timedelta(days=1)) is None
    assert repr(log) == 'RequestLog(request_id="R1", events=2, stage=open)'


def test_refused_event_raises_transition_error_and_changes_nothing():
    log = proxy_log()
    before = log.to_jsonl()
    with pytest.raises(minqing.TransitionError) as e:
        log.append(AT, {"type": "closed"})
    assert isinstance(e.value, minqing.Error)
    assert e.value.code == "request.bad_transition"
    [p] = e.value.problems
    assert p.location.path == "events[2]" and p.message_zh and p.message_en
    with pytest.raises(minqing.TransitionError) as e:
        log.append(AT - datetime.timedelta(minutes=1), {"type": "resolved", "outcome": "full"})
    assert e.value.code == "request.out_of_order"
    assert log.to_jsonl() == before and len(log) == 2
    with pytest.raises(minqing.TransitionError) as e:
        _ = minqing.RequestLog("R2").state
    assert e.value.code == "request.not_raised"


def test_bad_event_shape_and_bad_ids_are_parse_errors():
    log = minqing.RequestLog("R1")
    with pytest.raises(minqing.ParseError) as e:
        log.append(AT, {"type": "no_such_event"})
    assert e.value.code == "json.shape"
    with pytest.raises(minqing.ParseError) as e:
        log.append("yesterday", RAISED)
    assert e.value.code == "field.bad_date"
    with pytest.raises(minqing.ParseError) as e:
        minqing.RequestLog("")
    assert e.value.code == "field.bad_id"


def test_jsonl_round_trip_and_tamper_detection():
    log = proxy_log()
    [back] = minqing.RequestLog.from_jsonl(log.to_jsonl())
    assert back == log and back.verify()
    tampered = log.to_jsonl().replace("pension", "PENSION")
    [bad] = minqing.RequestLog.from_jsonl(tampered)
    assert bad.verify() is False
    with pytest.raises(minqing.ValidationError) as e:
        bad.verify(raise_on_error=True)
    assert e.value.code == "request.chain_broken"
    with pytest.raises(minqing.ParseError) as e:
        minqing.RequestLog.from_jsonl(log.to_jsonl() + "not json\n", file="cases.jsonl")
    assert (e.value.code, e.value.problems[0].location.line) == ("json.syntax", 3)
    assert e.value.problems[0].location.file == "cases.jsonl"


def test_escalations_due_can_be_appended():
    log = proxy_log()
    assert minqing.escalations_due(log, AT + datetime.timedelta(hours=24)) == []
    due = minqing.escalations_due(log, AT + datetime.timedelta(hours=24, minutes=1))
    assert due[0]["event"]["type"] == "escalated" and due[0]["because"]
    log.append(due[0]["at"], due[0]["event"])
    assert log.state["stage"] == "escalated"
    # a policy is the seeds' default with the fields given changed
    with pytest.raises(minqing.ParseError) as e:
        minqing.escalations_due(log, AT, {"proxy_hours": "many"})
    assert e.value.code == "json.shape"


def test_meetings_due_and_metrics():
    log = proxy_log()
    m = minqing.meetings_due([log], datetime.date(2024, 2, 29), {"cycle": {"joint_meeting_day": 6}})
    assert m["joint_meeting"] == "2024-03-06"
    assert m["overdue"] == ["R1"]
    now = datetime.datetime(2024, 2, 29, 12, 0)
    metrics = minqing.request_metrics([log], now)
    assert metrics["collected"] == 1 and metrics["overdue"] == 1
    assert metrics["resolution"] == {"numerator": 0, "denominator": 1}
    assert minqing.request_metrics([log], now, start="2024-02-01")["collected"] == 0
    assert minqing.request_metrics([log], now, category="insurance", cadre_id="C1")["collected"] == 1
    with pytest.raises(minqing.ParseError):
        minqing.request_metrics([log], now, category="no_such_category")


def test_ledgers_are_arrow_tables(township):
    pa = pytest.importorskip("pyarrow")
    log = proxy_log()
    ledgers = minqing.intake_ledgers([log], AT + datetime.timedelta(days=2))
    proxy = pa.table(ledgers["proxy"]).to_pylist()
    assert [(r["request_id"], r["stage"], r["responsible"], r["overdue"]) for r in proxy] == [
        ("R1", "open", "C1", True)]
    assert proxy[0]["deadline"] == AT + datetime.timedelta(hours=24)
    assert ledgers["escalated"].num_rows == 0
    mine = pa.table(minqing.open_requests_for_cadre([log], "C1", AT)).to_pylist()
    assert [r["request_id"] for r in mine] == ["R1"]
    lists = minqing.ledger_and_lists(township, [log], start="2024-01-01", end="2024-03-31")
    visits = pa.table(lists["visits"]).to_pylist()
    assert [(v["household_id"], v["mode"], v["requests"]) for v in visits] == [
        ("H1", "in_person", []), ("H2", "phone", [])]
    assert visits[0]["at"] == datetime.datetime(2024, 3, 1, 9, 30)
    assert [r["request_id"] for r in pa.table(lists["requests"]).to_pylist()] == ["R1"]


RAISED = ('{"type": "raised", "household_id": "H1", "cadre_id": "C1", "category": "insurance", '
          '"channel": "visit", "summary": "pension"}')


def test_requests_from_arrow_appends_and_checks_each_event():
    pa = pytest.importorskip("pyarrow")
    t = pa.table({
        "request_id": ["R1", "R2", "R1"],
        "at": pa.array([datetime.datetime(2024, 5, 6, 10), datetime.datetime(2024, 5, 6, 11),
                        datetime.datetime(2024, 5, 6, 12)], pa.timestamp("s")),
        "event": [RAISED, RAISED.replace("H1", "H2"), '{"type": "triaged", "track": "on_the_spot"}'],
    })
    logs = minqing.requests_from_arrow(t)
    assert [(log.request_id, len(log)) for log in logs] == [("R1", 2), ("R2", 1)]
    # The saved entries come back as they were, hash chain and all.
    entries = [e for log in logs for e in log.entries]
    saved = pa.table({
        "request_id": [e["request_id"] for e in entries],
        "seq": [e["seq"] for e in entries],
        "at": [e["at"] for e in entries],
        "event": [json.dumps(e["event"]) for e in entries],
        "prev_hash": [e["prev_hash"] for e in entries],
        "hash": [e["hash"] for e in entries],
    })
    again = minqing.requests_from_arrow(saved)
    assert again == logs and all(log.verify() for log in again)


def test_requests_from_arrow_reports_every_bad_row():
    pa = pytest.importorskip("pyarrow")
    t = pa.table({
        "request_id": ["R1", "R1", None, "R2", "R3"],
        "at": ["2024-05-06T10:00", "2024-05-06T10:05", "2024-05-06T10:00", "2024-05-32T10:00",
               "2024-05-06T10:00"],
        "event": [RAISED, '{"type": "closed"}', RAISED, RAISED, "{not json"],
    })
    with pytest.raises(minqing.ParseError) as e:
        minqing.requests_from_arrow(t)
    found = sorted((p.location.path, p.location.field, p.code) for p in e.value.problems)
    assert found == [
        ("requests[1]", "event", "request.bad_transition"),
        ("requests[2]", "request_id", "field.empty"),
        ("requests[3]", "at", "field.bad_datetime"),
        ("requests[4]", "event", "json.syntax"),
    ]
    with pytest.raises(minqing.ParseError) as e:
        minqing.requests_from_arrow(pa.table({"request_id": ["R1"], "event": [RAISED]}))
    assert e.value.problems[0].location.field == "at"


def test_request_metrics_table_has_one_row_per_group():
    pa = pytest.importorskip("pyarrow")
    logs = minqing.requests_from_arrow(pa.table({
        "request_id": ["R1", "R2", "R1", "R3"],
        "at": ["2024-05-06T10:00", "2024-05-06T11:00", "2024-05-06T10:05", "2024-05-07T09:00"],
        "event": [RAISED, RAISED.replace("C1", "C2"), '{"type": "triaged", "track": "on_the_spot"}',
                  RAISED.replace("insurance", "dispute")],
    }))
    now = datetime.datetime(2024, 6, 30, 23, 59)
    rows = minqing.request_metrics_table(logs, now).to_pyarrow().to_pylist()
    assert [(r["cadre_id"], r["collected"]) for r in rows] == [("C1", 2), ("C2", 1)]
    for r in rows:
        m = minqing.request_metrics(logs, now, cadre_id=r["cadre_id"])
        assert (r["resolution"], r["resolution_of"]) == (
            m["resolution"]["numerator"], m["resolution"]["denominator"])
        assert r["open"] == m["open"]
    by_category = minqing.request_metrics_table(logs, now, by="category").to_pyarrow()
    assert by_category.column("category").to_pylist() == ["dispute", "insurance"]
    total = minqing.request_metrics_table(logs, now, by=None).to_pyarrow().to_pylist()
    assert total[0]["collected"] == 3
    with pytest.raises(ValueError):
        minqing.request_metrics_table(logs, now, by="village")
