"""Replays every shared vector in tests/vectors/ and checks the output is the
one the Rust runner (tests/vectors.rs) checks: the same problems in the same
order, each with the same code, severity and location."""

import datetime
import json

import pytest

import minqing
from conftest import VECTORS

# Operations this binding replays today.
SUPPORTED_OPERATIONS = {
    "validate",
    "status_at",
    "coverage",
    "request_fold",
    "escalations_due",
    "meetings_due",
    "compliance",
    "station_presence",
    "due_list",
    "request_signals",
}

# Operations that shared vectors use (or will use as other branches land)
# but the Python binding cannot run yet, because the core function behind
# them is not in the core this binding builds against. A vector with one of
# these is SKIPPED, visibly, instead of failing CI; any other unknown
# operation FAILS. Remove an entry in the commit that binds it.
PENDING_OPERATIONS: set = set()

# The fields of a request's state that the vectors check.
STATE_FIELDS = ("stage", "track", "level", "deadline", "handler", "outcome",
                "explained", "feedback", "closed_at")

VECTOR_FILES = sorted(VECTORS.glob("*.json"))


def problems_json(problems) -> list:
    """Problems as the vectors hold them: code, severity and location."""
    for p in problems:
        assert p.message_zh and p.message_en, repr(p)
    return [{"code": p.code, "severity": p.severity, "location": p.location.to_dict()}
            for p in problems]


def request_log(inp: dict):
    """Appends ``inp["events"]`` to a log named ``inp["request_id"]``; one
    result per event: "ok" or the refusal's code. A refused event must leave
    the log unchanged."""
    log = minqing.RequestLog(inp["request_id"])
    results = []
    for e in inp["events"]:
        before = log.to_jsonl()
        try:
            log.append(datetime.datetime.fromisoformat(e["at"]), e["event"])
            results.append("ok")
        except minqing.TransitionError as err:
            assert log.to_jsonl() == before, "a refused event changes nothing"
            assert [p.code for p in err.problems] == [err.code]
            results.append(err.code)
    return log, results


def run_requests(op: str, inp: dict) -> dict:
    if op == "request_fold":
        log, results = request_log(inp)
        state = log.state
        return {
            "results": results,
            "state": {k: state[k] for k in STATE_FIELDS},
            "verifies": log.verify(),
        }
    policy = {"cycle": inp["cycle"]} if "cycle" in inp else None
    if op == "escalations_due":
        log, results = request_log(inp)
        assert all(r == "ok" for r in results), results
        due = minqing.escalations_due(log, datetime.datetime.fromisoformat(inp["now"]), policy)
        for d in due:
            assert datetime.datetime.fromisoformat(d["at"]) == datetime.datetime.fromisoformat(inp["now"])
        return {"due": [d["event"] for d in due]}
    if op == "meetings_due":
        logs = []
        for entry in inp["logs"]:
            log, results = request_log(entry)
            assert all(r == "ok" for r in results), results
            logs.append(log)
        return minqing.meetings_due(logs, datetime.date.fromisoformat(inp["today"]), policy)
    raise AssertionError(f"the Python binding does not know operation {op!r}")


def iso(value):
    """A cell of a result table as the vectors write it: dates as ISO text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def rows(table, columns) -> list:
    """The rows of a ``minqing.Table`` as dicts of ``columns``, dates as ISO text."""
    return [{c: iso(r[c]) for c in columns} for r in table.to_pyarrow().to_pylist()]


def vector_policy(p: dict):
    """``{"preset", "overrides"}`` or a whole ``Policy`` as JSON."""
    if "preset" in p:
        return minqing.Policy.preset(p["preset"], **p.get("overrides", {}))
    return minqing.Policy.from_json(json.dumps(p))


def compliance_args(inp: dict) -> dict:
    window = inp["window"]
    return {"policy": vector_policy(inp["policy"]),
            "start": datetime.date.fromisoformat(window["start"]),
            "end": datetime.date.fromisoformat(window["end"])}


def run_compliance(ds, inp: dict) -> dict:
    c = ds.compliance(**compliance_args(inp),
                      accountability=inp.get("accountability", "last_day"))
    return compliance_json(c, inp)


def fast_compliance(ds, inp: dict, tmp_path) -> dict:
    """The same vector through both fast paths: the data set written as CSV
    and read by ``compliance_csv``, and the same files read by pyarrow (its
    own column types: dates, booleans, nulls) into ``compliance_arrow``.
    Both must give the vector's output; the results are checked equal."""
    import pyarrow.csv as pacsv
    ds.write_csv(tmp_path)
    by_csv = compliance_json(minqing.compliance_csv(tmp_path, **compliance_args(inp)), inp)
    table = lambda name: pacsv.read_csv(tmp_path / f"{name}.csv")
    c = minqing.compliance_arrow(table("households"), table("visits"), **compliance_args(inp),
                                 events=table("events"), assignments=table("assignments"))
    assert [p.code for p in c.problems if p.severity == "error"] == []
    assert compliance_json(c, inp) == by_csv, "compliance_csv and compliance_arrow agree"
    return by_csv


def compliance_json(c, inp: dict) -> dict:
    rounds = rows(c.rounds, ("rule", "round", "selected", "visited"))
    round_villages = rows(c.round_villages, ("rule", "round", "village_id", "required", "met"))
    for r in rounds:
        r["villages"] = [{k: v[k] for k in ("village_id", "required", "met")}
                         for v in round_villages
                         if (v["rule"], v["round"]) == (r["rule"], r["round"])]
    # One figure, two views: the totals are the sums of the rule rows.
    assert c.required == sum(r["required"] for r in c.rules)
    cadres = c.by_cadre(charge_on=inp.get("accountability", "last_day"))
    return {
        "required": c.required,
        "met": c.met,
        "rules": [{k: r[k] for k in ("name", "required", "met")} for r in c.rules],
        "villages": rows(c.villages, ("village_id", "required", "met")),
        "periods": rows(c.periods, ("household_id", "rule", "start", "end", "met")),
        "missed": [{"household_id": m["household_id"], "rule": m["rule"], "start": m["period_start"]}
                   for m in rows(c.missed, ("household_id", "rule", "period_start"))],
        "triggered": rows(c.triggered, ("household_id", "rule", "kind", "event_date", "due",
                                        "met", "met_on")),
        "round_visits": rows(c.round_visits, ("household_id", "rule", "round", "met", "met_on")),
        "rounds": rounds,
        "cadres": rows(cadres, ("cadre_id", "required", "met")),
    }


def run_presence(ds, inp: dict) -> dict:
    window = inp["window"]
    p = minqing.station_presence(ds, inp["team_id"],
                                 start=datetime.date.fromisoformat(window["start"]),
                                 end=datetime.date.fromisoformat(window["end"]),
                                 **inp.get("overrides", {}))
    periods = ("start", "end", "days", "met")
    return {
        "days": [d.isoformat() for d in p.days],
        "weeks": rows(p.weeks, periods),
        "years": rows(p.years, periods),
        "station_days": rows(p.station_days, ("date", "held")),
    }


def run_due_list(ds, inp: dict) -> dict:
    options = inp.get("options", {})
    kwargs = {k: options[k] for k in ("yellow_days", "event_lookback_days") if k in options}
    if "policy" in options:
        p = options["policy"]
        kwargs["policy"] = p if isinstance(p, str) else vector_policy(p)
    presence = options.get("presence")
    if presence is True:
        kwargs["presence"] = minqing.PresenceRule.work_station()
    elif isinstance(presence, dict):
        kwargs["presence"] = minqing.PresenceRule.from_json(
            dict(minqing.PresenceRule.work_station().to_dict(), **presence))
    d = minqing.due_list(ds, inp["cadre_id"], datetime.date.fromisoformat(inp["today"]), **kwargs)
    reasons = d.reasons.to_pyarrow().to_pylist()
    assert all(r["message_zh"] and r["message_en"] for r in reasons)
    items = []
    for i in rows(d.items, ("household_id", "rule", "rule_index", "source", "period_start",
                            "deadline", "contacts_needed", "contacts_made", "last_contact",
                            "light", "event_kind", "event_date", "round")):
        # rule_index indexes the policy's list that source names.
        rules = {"period": d.rules, "event": d.event_rules, "round": d.round_rules}[i["source"]]
        assert rules[i.pop("rule_index")]["name"] == i["rule"]
        # Event and round columns are null on the other items; the vectors leave them out.
        items.append({k: v for k, v in i.items()
                      if v is not None or k not in ("event_kind", "event_date", "round")})
    out = {
        "items": items,
        "households": rows(d.households, ("household_id", "light", "deadline", "reasons")),
    }
    if d.presence.num_rows:
        out["presence"] = rows(d.presence, ("team_id", "week_start", "week_end", "days_this_week",
                                            "days_last_week", "min_days_per_week", "year_start",
                                            "days_this_year", "min_days_per_year",
                                            "next_station_day", "light"))
    return out


def run(op: str, inp: dict) -> dict:
    if "dataset" not in inp:
        return run_requests(op, inp)
    ds = minqing.Dataset.from_json(json.dumps(inp["dataset"]))
    if op == "compliance":
        return run_compliance(ds, inp)
    if op == "request_signals":
        signals = minqing.request_signals(ds, inp["cadre_id"],
                                          datetime.datetime.fromisoformat(inp["now"]))
        for sig in signals:
            assert all(r["message"]["zh"] and r["message"]["en"] for r in sig["reasons"])
        return {"signals": [{"household_id": sig["household_id"], "light": sig["light"],
                             "reasons": [r["kind"] for r in sig["reasons"]]}
                            for sig in signals]}
    if op == "station_presence":
        return run_presence(ds, inp)
    if op == "due_list":
        return run_due_list(ds, inp)
    if op == "coverage":
        options = inp.get("options", {})
        kwargs = {k: options[k] for k in ("load_min", "load_max") if k in options}
        c = ds.coverage(datetime.date.fromisoformat(inp["on"]), **kwargs)
        out = c.to_dict()
        out["problems"] = problems_json(c.problems)
        # The Arrow tables hold the same rows as the lists.
        villages = c.villages.to_pyarrow().to_pylist()
        assert [v["village"] for v in villages] == [v["village"] for v in out["villages"]]
        assert [v["uncovered"] for v in villages] == [v["uncovered"] for v in out["villages"]]
        cadres = c.cadres.to_pyarrow().to_pylist()
        assert [(x["cadre"], x["households"], x["load_min"], x["within"]) for x in cadres] == [
            (x["cadre"], x["households"], x["bounds"]["min"], x["within"]) for x in out["cadres"]]
        assert c.uncovered == out["uncovered"]
        return out
    if op == "validate":
        today = datetime.date.fromisoformat(inp["today"])
        options = inp.get("options", {})
        kwargs = {}
        if "min_station_members" in options:
            kwargs["min_station_members"] = options["min_station_members"]
        return {"problems": problems_json(ds.validate(today, **kwargs))}
    if op == "status_at":
        at = datetime.datetime.fromisoformat(inp["at"])
        return {"status": ds.status_at(inp["cadre_id"], at)}
    raise AssertionError(f"the Python binding does not know operation {op!r}")


def test_the_shared_vectors_are_there():
    assert len(VECTOR_FILES) >= 5, f"no shared vectors in {VECTORS}"


def test_pending_is_only_what_is_not_supported():
    assert PENDING_OPERATIONS.isdisjoint(SUPPORTED_OPERATIONS)


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: p.stem)
def test_vector(path):
    v = json.loads(path.read_text(encoding="utf-8"))
    assert v["name"] == path.stem, "name matches file"
    assert v["description"], "describe the case"
    op = v["operation"]
    if op in PENDING_OPERATIONS:
        pytest.skip(f"operation {op!r} is pending in the Python binding")
    assert op in SUPPORTED_OPERATIONS, (
        f"{path.name}: operation {op!r} is unknown to the Python binding; "
        "bind it, or list it in PENDING_OPERATIONS with a reason"
    )
    assert run(op, v["input"]) == v["expected"]


COMPLIANCE_VECTORS = [p for p in VECTOR_FILES
                      if json.loads(p.read_text(encoding="utf-8"))["operation"] == "compliance"]


@pytest.mark.parametrize("path", COMPLIANCE_VECTORS, ids=lambda p: p.stem)
def test_compliance_vector_through_the_fast_paths(path, tmp_path):
    """compliance_csv and compliance_arrow, given events and assignments,
    give the report Dataset.compliance gives (the vector's)."""
    pytest.importorskip("pyarrow")
    v = json.loads(path.read_text(encoding="utf-8"))
    ds = minqing.Dataset.from_json(json.dumps(v["input"]["dataset"]))
    assert fast_compliance(ds, v["input"], tmp_path) == v["expected"]


def test_validate_table_matches_validate_on_every_vector():
    for path in VECTOR_FILES:
        v = json.loads(path.read_text(encoding="utf-8"))
        if v["operation"] != "validate":
            continue
        pa = pytest.importorskip("pyarrow")
        ds = minqing.Dataset.from_json(json.dumps(v["input"]["dataset"]))
        today = datetime.date.fromisoformat(v["input"]["today"])
        options = v["input"].get("options", {})
        rows = pa.table(ds.validate_table(today, **options)).to_pylist()
        problems = ds.validate(today, **options)
        assert [r["code"] for r in rows] == [p.code for p in problems]
        for r, p in zip(rows, problems):
            loc = {k: r[k] for k in ("file", "line", "column", "field", "path", "record")
                   if r[k] is not None}
            assert loc == p.location.to_dict()
            assert (r["severity"], r["message_zh"], r["message_en"]) == (
                p.severity, p.message_zh, p.message_en)
