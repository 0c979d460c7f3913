"""Policies, event and round compliance, station presence, due lists, the
request signal and the iCalendar export from Python: the binding passes
figures through and gives the core's answers back as Arrow tables."""

import datetime
import json

import pytest

import minqing

D = datetime.date


def test_policy_presets_take_keyword_overrides():
    p = minqing.Policy.four_fixed_three_arrivals(resident_period="iso_week",
                                                 resident_modes={"in_person", "at_station"})
    rule = p.to_dict()["rules"][0]
    assert rule["period"] == "iso_week"
    assert sorted(rule["modes"]) == ["at_station", "in_person"]
    assert minqing.Policy.preset("contact_households") == minqing.Policy.contact_households()
    assert minqing.Policy.grid_one_plus_x().event_rule_names == ["hospitalisation",
                                                                "wedding_or_funeral"]
    with pytest.raises(TypeError, match="resident_perod"):
        minqing.Policy.four_fixed_three_arrivals(resident_perod="month")
    with pytest.raises(minqing.ParseError) as e:
        minqing.Policy.four_fixed_three_arrivals(resident_period="fortnight")
    assert e.value.code == "json.shape"
    with pytest.raises(ValueError, match="no preset policy") as e:
        minqing.Policy.preset("weekly")
    # a minqing error with the code WebAssembly gives for the same call
    assert isinstance(e.value, minqing.InputError) and e.value.code == "field.bad_value"
    assert "没有名为" in e.value.problems[0].message_zh


def test_every_refusal_of_an_argument_is_a_minqing_error_with_a_code(township):
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    with pytest.raises(minqing.InputError) as e:
        township.compliance(start=end, end=start)
    assert e.value.code == "window.reversed" and isinstance(e.value, ValueError)
    with pytest.raises(minqing.InputError) as e:
        township.compliance("no_such_policy", start=start, end=end)
    assert e.value.code == "field.bad_value"
    with pytest.raises(minqing.InputError) as e:
        minqing.request_signals(township, "NOBODY", datetime.datetime(2024, 3, 1, 9, 0))
    assert e.value.code == "field.bad_id"
    # a due list of a cadre the data set does not have: refused, as in
    # WebAssembly, not an empty list
    with pytest.raises(minqing.InputError) as e:
        minqing.due_list(township, "NOBODY", datetime.date(2024, 3, 1))
    assert e.value.code == "field.bad_id"
    # a negative count: a minqing error with a code, not OverflowError
    with pytest.raises(minqing.InputError) as e:
        minqing.due_list(township, "A", datetime.date(2024, 3, 1), yellow_days=-1)
    assert (e.value.code, e.value.problems[0].location.field) == ("field.bad_number", "yellow_days")
    with pytest.raises(minqing.InputError) as e:
        township.validate(datetime.date(2024, 3, 1), min_station_members=-3)
    assert e.value.code == "field.bad_number"
    with pytest.raises(minqing.InputError):
        minqing.compliance_arrow(_households_table(), _visits_table(), start=start, end=end,
                                 max_problems=-1)
    with pytest.raises(minqing.InputError):
        minqing.ical(minqing.due_list(township, "A", datetime.date(2024, 3, 1)), days=-7)


def test_policy_json_round_trip_and_policy_arguments(township):
    p = minqing.Policy.contact_households(min_visits=2)
    assert minqing.Policy.from_json(p.to_json()) == p
    assert minqing.Policy.from_json(p.to_dict()) == p
    assert "contact_households" in repr(p)
    start, end = D(2024, 3, 1), D(2024, 3, 31)
    by_object = township.compliance(minqing.Policy.four_fixed_three_arrivals(), start=start, end=end)
    by_name = township.compliance("four_fixed_three_arrivals", start=start, end=end)
    by_json = township.compliance(minqing.Policy.four_fixed_three_arrivals().to_json(),
                                  start=start, end=end)
    assert (by_object.required, by_object.met) == (by_name.required, by_name.met) == (
        by_json.required, by_json.met)


def test_compliance_tables_periods_and_accountability(township):
    c = township.compliance(start=D(2024, 3, 1), end=D(2024, 3, 31), accountability="first_day")
    assert c.accountability == "first_day"
    periods = c.periods.to_pyarrow().to_pylist()
    assert len(periods) == c.required
    assert sum(p["met"] for p in periods) == c.met
    assert periods[0]["start"] == D(2024, 3, 1) and periods[0]["end"] == D(2024, 3, 15)
    assert c.cadres.to_pyarrow().equals(c.by_cadre(charge_on="first_day").to_pyarrow())
    assert [r["kind"] for r in c.rules] == ["period", "period"]
    assert c.triggered.num_rows == 0 and c.rounds.num_rows == 0
    with pytest.raises(minqing.ParseError):
        township.compliance(start=D(2024, 3, 1), end=D(2024, 3, 31), accountability="middle")


def test_compliance_rounds_and_events(township_doc):
    doc = dict(township_doc, events=[
        {"household_id": "H1", "date": "2024-03-01", "kind": "hospitalisation"}])
    ds = minqing.Dataset.from_json(json.dumps(doc))
    c = ds.compliance(minqing.Policy.grid_one_plus_x(), start=D(2024, 3, 1), end=D(2024, 3, 31))
    t = c.triggered.to_pyarrow().to_pylist()
    assert [(x["household_id"], x["kind"], x["due"], x["met"], x["met_on"]) for x in t] == [
        ("H1", "hospitalisation", D(2024, 3, 8), True, D(2024, 3, 1))]
    rounds = minqing.Policy.visit_all_rounds(rounds=[
        {"name": "第一轮", "window": {"start": D(2024, 3, 1), "end": D(2024, 3, 31)}}])
    c = ds.compliance(rounds, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert [(r["rule"], r["selected"], r["visited"], r["rate"])
            for r in c.rounds.to_pyarrow().to_pylist()] == [
        ("resident", 1, 1, 1.0), ("away", 1, 1, 1.0)]
    assert c.round_villages.num_rows == 2
    assert {v["met_on"] for v in c.round_visits.to_pyarrow().to_pylist()} == {
        D(2024, 3, 1), D(2024, 3, 2)}


def test_station_presence(township_doc):
    doc = dict(township_doc, teams=[{"team_id": "WS1", "kind": "work_station", "unit_id": "V1",
                                     "leader": "A"}])
    ds = minqing.Dataset.from_json(json.dumps(doc))
    p = minqing.station_presence(ds, "WS1", start=D(2024, 3, 1), end=D(2024, 3, 31))
    assert p.days == [D(2024, 3, 1)]  # the phone call of 03-02 puts nobody in the village
    assert p.years.num_rows == 0
    assert [r["held"] for r in p.station_days.to_pyarrow().to_pylist()] == [False] * 3
    rule = minqing.PresenceRule.work_station(modes=["in_person", "phone"], station_days=[2])
    p = minqing.station_presence(ds, "WS1", start=D(2024, 3, 1), end=D(2024, 3, 31), rule=rule)
    assert p.days == [D(2024, 3, 1), D(2024, 3, 2)]
    assert p.station_days.to_pyarrow().to_pylist() == [{"date": D(2024, 3, 2), "held": True}]
    with pytest.raises(KeyError):
        minqing.station_presence(ds, "WS9", start=D(2024, 3, 1), end=D(2024, 3, 31))


def test_due_list_tables(township):
    d = minqing.due_list(township, "A", D(2024, 3, 28), yellow_days=3)
    assert d.cadre_id == "A" and d.today == D(2024, 3, 28) and len(d) == 2
    items = d.items.to_pyarrow().to_pylist()
    assert [(i["household_id"], i["rule"], i["deadline"], i["light"]) for i in items] == [
        ("H1", "resident", D(2024, 3, 31), "yellow"), ("H2", "away", D(2024, 4, 30), "green")]
    hs = d.households.to_pyarrow().to_pylist()
    assert [(h["household_id"], h["light"], h["reasons"]) for h in hs] == [
        ("H1", "yellow", ["due_soon"]), ("H2", "green", [])]
    reasons = d.reasons.to_pyarrow().to_pylist()
    assert [(r["household_id"], r["kind"]) for r in reasons] == [("H1", "due_soon")]
    assert reasons[0]["message_zh"] and reasons[0]["message_en"]
    assert d.counts == {"red": 0, "yellow": 1, "green": 1}
    weekly = minqing.due_list(township, "A", "2024-03-28", policy="contact_households")
    assert weekly.policy == "contact_households"


def test_due_list_event_round_items_and_presence(township_doc):
    doc = dict(township_doc,
               events=[{"household_id": "H1", "date": "2024-03-10", "kind": "hospitalisation"}],
               teams=[{"team_id": "WS1", "kind": "work_station", "unit_id": "V1", "leader": "A"}])
    ds = minqing.Dataset.from_json(json.dumps(doc))
    assert ds.counts["events"] == 1 and "events=1" in repr(ds)
    d = minqing.due_list(ds, "A", D(2024, 3, 28), policy="grid_one_plus_x")
    [e] = [i for i in d.items.to_pyarrow().to_pylist() if i["source"] == "event"]
    assert (e["household_id"], e["rule"], e["event_kind"], e["event_date"], e["round"]) == (
        "H1", "hospitalisation", "hospitalisation", D(2024, 3, 10), None)
    assert (e["period_kind"], e["period_start"], e["period_end"], e["deadline"]) == (
        "span", D(2024, 3, 10), D(2024, 3, 17), D(2024, 3, 17))
    assert (e["light"], e["missed_period_start"]) == ("red", D(2024, 3, 10))
    assert d.event_rules[e["rule_index"]]["name"] == "hospitalisation"
    assert d.round_rules == [] and d.presence.num_rows == 0
    assert {r["source"] for r in d.reasons.to_pyarrow().to_pylist()
            if r["kind"] == "overdue"} >= {"event"}
    # Past its deadline by more than the look-back, the unmet event leaves the list.
    short = minqing.due_list(ds, "A", D(2024, 3, 28), policy="grid_one_plus_x",
                             event_lookback_days=5)
    assert "event" not in short.items.to_pyarrow().column("source").to_pylist()
    # A round running today gives round items.
    rounds = minqing.Policy.visit_all_rounds(rounds=[
        {"name": "第一轮", "window": {"start": D(2024, 3, 20), "end": D(2024, 4, 10)}}])
    r = minqing.due_list(ds, "A", D(2024, 3, 28), policy=rounds)
    assert [(i["household_id"], i["source"], i["rule"], i["round"], i["period_start"],
             i["deadline"], i["event_kind"], i["light"])
            for i in r.items.to_pyarrow().to_pylist()] == [
        ("H1", "round", "resident", "第一轮", D(2024, 3, 20), D(2024, 4, 10), None, "green"),
        ("H2", "round", "away", "第一轮", D(2024, 3, 20), D(2024, 4, 10), None, "green")]
    assert [x["name"] for x in r.round_rules] == ["resident", "away"] and r.event_rules == []
    # Station presence of the cadre's work team.
    p = minqing.due_list(ds, "A", D(2024, 3, 28), presence=minqing.PresenceRule.work_station())
    [row] = p.presence.to_pyarrow().to_pylist()
    assert (row["team_id"], row["week_start"], row["week_end"], row["days_this_week"]) == (
        "WS1", D(2024, 3, 25), D(2024, 3, 31), 0)
    assert (row["year_start"], row["year_end"], row["days_this_year"]) == (
        D(2024, 1, 1), D(2024, 12, 31), 1)
    # Nobody in the village last week nor this week: red.
    assert row["next_station_day"] == D(2024, 4, 5) and row["light"] == "red"
    assert p.to_dict()["presence"][0]["team_id"] == "WS1"


def test_due_list_merges_requests_and_signal():
    ds = minqing.Dataset.from_json(json.dumps({
        "schema": "minqing/1",
        "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"}],
        "cadres": [{"cadre_id": "C1", "name": "甲"}],
        "assignments": [{"household_id": "H1", "cadre_id": "C1", "from": "2024-01-01"}]}))
    log = minqing.RequestLog("R1")
    at = datetime.datetime(2024, 5, 6, 10, 0)
    log.append(at, {"type": "raised", "household_id": "H1", "cadre_id": "C1",
                    "category": "insurance", "channel": "visit", "summary": "pension"})
    log.append(at, {"type": "triaged", "track": "proxy",
                    "deadline": datetime.datetime(2024, 5, 7, 10, 0)})
    d = minqing.due_list(ds, "C1", D(2024, 5, 20), requests=[log])
    assert d.households.to_pyarrow().to_pylist()[0]["light"] == "red"
    assert "request_overdue" in d.households.to_pyarrow().to_pylist()[0]["reasons"]
    s = minqing.request_signal([log], "H1", datetime.datetime(2024, 5, 6, 12, 0))
    assert s["light"] == "yellow"
    assert minqing.request_signal([log], "H1", "2024-05-20T00:00")["light"] == "red"


def test_ical_export_keeps_personal_data_out_unless_asked(township_doc):
    township_doc["households"][0]["name"] = "王某某"
    ds = minqing.Dataset.from_json(json.dumps(township_doc))
    d = minqing.due_list(ds, "A", D(2024, 3, 28))
    ics = minqing.ical(d, days=30, name="走访日程")
    assert ics.startswith("BEGIN:VCALENDAR") and "\r\n" in ics
    assert "DTSTART;VALUE=DATE:20240331" in ics
    assert "王某某" not in ics
    assert "王某某" in minqing.ical(d, datetime.datetime(2024, 3, 28, 8, 0), days=30, contacts=ds)


def test_overrides_merge_one_way_and_refuse_misspelt_keys():
    """One override semantics with the core (cadence::with_overrides):
    nested objects merge, a key the policy does not read is refused, at any
    depth, instead of being ignored."""
    today = datetime.date(2024, 3, 4)
    base = minqing.meetings_due([], today)
    moved = minqing.meetings_due([], today, {"cycle": {"joint_meeting_day": 4}})
    # the joint meeting moves from the 5th to the 4th; the rest is kept
    assert (base["joint_meeting"], moved["joint_meeting"]) == ("2024-03-05", "2024-03-04")
    assert moved["card_summary_due"] == base["card_summary_due"]
    with pytest.raises(minqing.InputError) as e:
        minqing.meetings_due([], today, {"cycle": {"joint_meting_day": 4}})
    assert e.value.code == "json.shape"
    assert "cycle.joint_meting_day" in str(e.value)
    with pytest.raises(minqing.InputError):
        minqing.meetings_due([], today, {"min_station_members": 3})


def test_a_policy_reads_one_way_in_every_form(township):
    """The core's one policy reader (cadence::policy_from_value): a preset
    name, {"preset", "overrides"} (as WebAssembly takes it) or a whole
    policy give the same policy."""
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)
    by_keywords = minqing.Policy.preset("grid_one_plus_x", hospitalisation_within_days=5)
    forms = [by_keywords,
             {"preset": "grid_one_plus_x", "overrides": {"hospitalisation_within_days": 5}},
             json.dumps({"preset": "grid_one_plus_x", "overrides": {"hospitalisation_within_days": 5}}),
             by_keywords.to_dict()]
    results = [township.compliance(f, start=start, end=end) for f in forms]
    assert len({(c.required, c.met, c.policy) for c in results}) == 1
    with pytest.raises(minqing.InputError) as e:
        township.compliance({"preset": "grid_one_plus_x", "overide": {}}, start=start, end=end)
    assert e.value.code == "json.shape"


def _households_table():
    import pyarrow as pa
    return pa.table({"household_id": ["H1"], "village_id": ["V1"], "residency": ["away"]})


def _visits_table():
    import pyarrow as pa
    return pa.table({"household_id": ["H1"], "cadre_id": ["C1"], "at": ["2024-01-09T10:00"],
                     "mode": ["phone"]})
