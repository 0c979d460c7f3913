"""Compliance from Python: the CSV, Arrow and Dataset entries agree with each
other and with the Rust benchmark job, byte for byte once written out."""

import datetime
import json

import pytest

import minqing
from conftest import write_outputs

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
FILES = ("summary.csv", "villages.csv", "missed.csv")


def test_compliance_csv_matches_the_rust_job(workload_10k, rust_outputs, tmp_path):
    c = minqing.compliance_csv(workload_10k, start=START, end=END)
    assert c.policy == "four_fixed_three_arrivals"
    assert c.skipped["households"]["kept"] == 10_000
    assert c.skipped["visits"]["rows"] == c.skipped["visits"]["kept"] + c.skipped["visits"]["skipped"]
    write_outputs(tmp_path, c)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (rust_outputs / name).read_bytes(), name


def test_python_benchmark_job_matches_the_rust_job(workload_10k, rust_outputs, tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    subprocess.run([sys.executable, str(REPO / "examples" / "python" / "compliance.py"),
                    str(workload_10k), str(tmp_path)], check=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (rust_outputs / name).read_bytes(), name


def test_arrow_and_dataset_entries_agree_with_csv(workload_10k):
    pa = pytest.importorskip("pyarrow.csv")
    text = lambda names: {n: __import__("pyarrow").string() for n in names}  # noqa: E731
    hs = pa.read_csv(workload_10k / "households.csv", convert_options=pa.ConvertOptions(
        column_types=text(["household_id", "village_id", "residency", "tags"])))
    vs = pa.read_csv(workload_10k / "visits.csv", convert_options=pa.ConvertOptions(
        column_types=text(["household_id", "cadre_id", "at", "mode"])))
    c_csv = minqing.compliance_csv(workload_10k, start=START, end=END)
    c_arrow = minqing.compliance_arrow(hs, vs, start=START, end=END)
    ds = minqing.Dataset.from_arrow(households=hs, visits=vs)
    c_ds = ds.compliance("four_fixed_three_arrivals", start=START, end=END)
    for c in (c_arrow, c_ds):
        assert (c.required, c.met) == (c_csv.required, c_csv.met)
        assert c.villages.to_pyarrow().equals(c_csv.villages.to_pyarrow())
        assert c.missed.to_pyarrow().equals(c_csv.missed.to_pyarrow())
    assert c_csv.summary.to_pyarrow().column("required").to_pylist() == [c_csv.required]


def test_small_township_by_cadre_and_households(township):
    c = township.compliance(start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31))
    # H1 resident (2 half-months, 1 met), H2 away (1 month, met by phone)
    assert (c.required, c.met) == (3, 2)
    assert c.by_cadre().to_pyarrow().to_pylist() == [
        {"cadre_id": "A", "required": 3, "met": 2, "rate": 2 / 3}]
    rows = c.households.to_pyarrow().to_pylist()
    assert [(r["household_id"], r["rule"], r["required"], r["met"]) for r in rows] == [
        ("H1", "resident", 2, 1), ("H2", "away", 1, 1)]
    assert c.missed.to_pyarrow().to_pylist() == [
        {"household_id": "H1", "period_start": datetime.date(2024, 3, 16), "rule": "resident"}]
    assert [r["name"] for r in c.rules] == ["resident", "away"]
    assert "rate=0.666667" in repr(c)


def test_policy_as_dict_and_bad_arguments(township):
    contact = township.compliance("contact_households", start=START, end=END)
    assert contact.required == 0 and contact.rate is None
    with pytest.raises(ValueError):
        township.compliance("no_such_policy", start=START, end=END)
    with pytest.raises(ValueError):
        township.compliance(start=END, end=START)
    with pytest.raises(minqing.ParseError) as e:
        township.compliance({"name": 3}, start=START, end=END)
    assert e.value.code == "json.shape"


def test_compliance_csv_missing_file(tmp_path):
    with pytest.raises(minqing.ParseError) as e:
        minqing.compliance_csv(tmp_path, start=START, end=END)
    assert e.value.code == "input.missing_file"
    assert e.value.problems[0].location.file.endswith("households.csv")


def test_read_csv_dir_round_trip_and_problems(tmp_path, township_doc):
    (tmp_path / "households.csv").write_text(
        "household_id,village_id,residency\nH1,V1,resident\nH2,V1,elsewhere\n", encoding="utf-8")
    ds, problems = minqing.read_csv_dir(tmp_path)
    assert ds.counts["households"] == 1
    [p] = problems
    assert (p.code, p.location.line) == ("field.bad_value", 3)
    assert p.location.file.endswith("households.csv") and p.location.column is not None
    with pytest.raises(minqing.ParseError) as e:
        minqing.read_csv_dir(tmp_path, raise_on_error=True)
    assert e.value.problems == problems
    with pytest.raises(minqing.ParseError) as e:
        minqing.read_csv_dir(tmp_path / "nowhere")
    assert e.value.code == "input.io"
    with pytest.raises(minqing.InputError) as e:
        minqing.read_csv_dir(tmp_path, encoding="latin-1")
    assert isinstance(e.value, ValueError) and e.value.code == "field.bad_value"
    assert "未知的编码" in e.value.problems[0].message_zh


def test_read_csv_dir_gb18030(tmp_path):
    (tmp_path / "households.csv").write_bytes(
        "household_id,village_id,residency,name\nH1,V1,resident,李某某\n".encode("gb18030"))
    ds, problems = minqing.read_csv_dir(tmp_path, encoding="gb18030")
    assert problems == []
    assert json.loads(ds.to_json())["households"][0]["name"] == "李某某"


def test_read_csv_dir_reads_events_csv(tmp_path):
    (tmp_path / "households.csv").write_text(
        "household_id,village_id,residency\nH1,V1,resident\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "household_id,date,kind\nH1,2024-06-08,hospitalisation\nH1,2024-06-31,wedding\n"
        "H1,2024-06-10,new_baby\n", encoding="utf-8")
    ds, problems = minqing.read_csv_dir(tmp_path)
    assert ds.counts["events"] == 2 and "events=2" in repr(ds)
    assert [(e["date"], e["kind"]) for e in json.loads(ds.to_json())["events"]] == [
        ("2024-06-08", "hospitalisation"), ("2024-06-10", "new_baby")]
    # The bad date is left out and located by file and line.
    [p] = problems
    assert p.severity == "error" and p.location.line == 3
    assert p.location.file.endswith("events.csv")
    with pytest.raises(minqing.ParseError) as e:
        minqing.read_csv_dir(tmp_path, raise_on_error=True)
    assert e.value.problems == problems


@pytest.mark.parametrize("library", ["pyarrow", "polars", "pandas"])
def test_compliance_arrow_takes_any_arrow_table(library):
    lib = pytest.importorskip(library)
    hs = {"household_id": ["H1", "H2"], "village_id": ["V1", "V2"], "residency": ["resident", "away"]}
    vs = {"household_id": ["H1", "H2", "H9"], "cadre_id": ["C1", "C1", "C1"],
          "at": ["2024-01-03T09:00", "2024-01-20T20:00", "2024-01-03T09:00"],
          "mode": ["in_person", "phone", "phone"]}
    make = {"pyarrow": lambda d: lib.table(d), "polars": lambda d: lib.DataFrame(d),
            "pandas": lambda d: lib.DataFrame(d)}[library]
    c = minqing.compliance_arrow(make(hs), make(vs), start=datetime.date(2024, 1, 1),
                                 end=datetime.date(2024, 1, 31))
    assert (c.required, c.met) == (3, 2)
    summary = c.summary.to_pyarrow().to_pylist()[0]
    assert summary["visits_unknown_household"] == 1
    assert c.villages.to_pyarrow().column("village_id").to_pylist() == ["V1", "V2"]


def test_compliance_arrow_skips_and_reports_bad_rows_as_the_csv_loader_does(tmp_path):
    pa = pytest.importorskip("pyarrow")
    hs = {"household_id": ["H1", "H2", "H1", None, "H4"],
          "village_id": ["V1", "V1", "V2", "V1", "V1"],
          "residency": ["resident", "away", "away", "away", "nomad"],
          "tags": ["", "", "", "", ""]}
    vs = {"household_id": ["H1", "H2", "H9", "H2", "H1"],
          "cadre_id": ["C1", "C1", "C1", "C1", "C1"],
          "at": ["2024-01-03T09:00", "2024-01-20T20:00", "2024-01-03T09:00", "2023-12-31T09:00",
                 "2024-01-32T09:00"],
          "mode": ["in_person", "phone", "phone", "phone", "phone"]}
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 1, 31)
    c = minqing.compliance_arrow(pa.table(hs), pa.table(vs), start=start, end=end)
    # The same rows written as CSV files give the same figures and counts.
    def csv(d):
        cols = list(d)
        return ",".join(cols) + "\n" + "".join(
            ",".join("" if d[k][i] is None else d[k][i] for k in cols) + "\n"
            for i in range(len(d[cols[0]])))
    (tmp_path / "households.csv").write_text(csv(hs), encoding="utf-8")
    (tmp_path / "visits.csv").write_text(csv(vs), encoding="utf-8")
    c_csv = minqing.compliance_csv(tmp_path, start=start, end=end)
    assert (c.required, c.met) == (c_csv.required, c_csv.met) == (3, 2)
    assert c.skipped == c_csv.skipped
    assert c.skipped["households"] == {"rows": 5, "kept": 2, "skipped": 3, "outside_window": 0,
                                       "unknown_household": 0, "duplicate": 1, "bad": 2}
    # The same problems, row for row (an empty ID is `field.empty` here, a
    # bad ID to the CSV reader, which does not tell the two apart).
    assert [p.code for p in c.problems] == [
        "household.duplicate_id", "field.empty", "field.bad_value",
        "visit.unknown_household", "field.bad_datetime"]
    assert len(c.problems) == len(c_csv.problems)
    # Each problem names its table, row and field (the CSV: file, line, column).
    assert [(p.location.path, p.location.field) for p in c.problems] == [
        ("households[2]", "household_id"), ("households[3]", "household_id"),
        ("households[4]", "residency"), ("visits[2]", "household_id"), ("visits[4]", "at")]
    assert c.summary.to_pyarrow().to_pylist()[0]["visits_unknown_household"] == 1


def test_compliance_arrow_missing_column_is_an_error():
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(minqing.ParseError) as e:
        minqing.compliance_arrow(pa.table({"household_id": ["H1"], "village_id": ["V1"]}),
                                 pa.table({"household_id": ["H1"], "cadre_id": ["C1"],
                                           "at": ["2024-01-03T09:00"], "mode": ["phone"]}),
                                 start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31))
    assert e.value.code == "csv.missing_column"
    assert e.value.problems[0].location.field == "residency"


# ----- one contract: the fast paths read events and assignments -----

GRID_FILES = {
    "households.csv": "household_id,village_id,residency,tags\nH1,V1,away,\nH2,V1,away,\n",
    "visits.csv": "household_id,cadre_id,at,mode\nH1,A,2024-03-02T10:00,in_person\n",
    # H1 is admitted on 02-27: a visit in person is due within 7 days
    # (grid 1+X); H9 is not in the household table
    "events.csv": "household_id,date,kind\nH1,2024-02-27,hospitalisation\nH9,2024-02-27,funeral\n",
    # H1 passes from A to B on 03-01
    "assignments.csv": "household_id,cadre_id,from,to\nH1,A,2024-01-01,2024-02-29\nH1,B,2024-03-01,\n"
                       "H2,A,2024-01-01,\n",
}
MARCH = dict(start=datetime.date(2024, 2, 1), end=datetime.date(2024, 3, 31), policy="grid_one_plus_x")


def write_files(d, files):
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")


def test_fast_paths_judge_event_rules_and_charge_cadres_as_the_dataset_does(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv as pacsv
    write_files(tmp_path, GRID_FILES)
    by_csv = minqing.compliance_csv(tmp_path, **MARCH)
    table = lambda n: pacsv.read_csv(tmp_path / f"{n}.csv")
    by_arrow = minqing.compliance_arrow(table("households"), table("visits"), **MARCH,
                                        events=table("events"), assignments=table("assignments"))
    ds, problems = minqing.read_csv_dir(tmp_path)
    whole = ds.compliance(**MARCH)
    # the hospitalisation is judged on every path (it vanished on the fast ones)
    for c in (by_csv, by_arrow, whole):
        t = c.triggered.to_pyarrow().to_pylist()
        assert [(r["household_id"], r["kind"], r["met"]) for r in t] == [("H1", "hospitalisation", True)]
        assert (c.required, c.met) == (whole.required, whole.met)
        assert c.cadres.to_pyarrow().to_pylist() == whole.cadres.to_pyarrow().to_pylist()
    # the event of an unknown household is counted, not dropped silently
    assert by_csv.skipped["events"] == {"unknown_household": 1}
    assert by_arrow.skipped["events"] == {"unknown_household": 1}
    # the event visit is charged to B, assigned on its due day
    assert [r["cadre_id"] for r in whole.cadres.to_pyarrow().to_pylist() if r["required"]][-1] == "B"


def test_per_cadre_figures_without_assignments_are_an_input_error(tmp_path):
    pa = pytest.importorskip("pyarrow")
    files = {k: v for k, v in GRID_FILES.items() if k != "assignments.csv"}
    write_files(tmp_path, files)
    c = minqing.compliance_csv(tmp_path, **MARCH)
    with pytest.raises(minqing.InputError) as e:
        c.by_cadre()
    assert e.value.code == "compliance.no_assignments"
    assert isinstance(e.value, ValueError) and isinstance(e.value, minqing.Error)
    h = pa.table({"household_id": ["H1"], "village_id": ["V1"], "residency": ["away"]})
    v = pa.table({"household_id": ["H1"], "cadre_id": ["A"], "at": ["2024-03-02T10:00"],
                  "mode": ["in_person"]})
    with pytest.raises(minqing.InputError):
        minqing.compliance_arrow(h, v, **MARCH).cadres


def test_dataset_from_arrow_takes_household_events():
    pa = pytest.importorskip("pyarrow")
    doc = {"schema": "minqing/1",
           "households": [{"household_id": "H1", "village_id": "V1", "residency": "away"}],
           "events": [{"household_id": "H1", "date": "2024-02-27", "kind": "hospitalisation"},
                      {"household_id": "H1", "date": "2024-03-05", "kind": "new_baby"}]}
    ds = minqing.Dataset.from_arrow(
        households=pa.table({"household_id": ["H1"], "village_id": ["V1"], "residency": ["away"]}),
        events=pa.table({"household_id": ["H1", "H1"],
                         "date": [datetime.date(2024, 2, 27), datetime.date(2024, 3, 5)],
                         "kind": ["hospitalisation", "new_baby"]}))
    assert ds == minqing.Dataset.from_json(json.dumps(doc))
    with pytest.raises(minqing.ParseError) as e:
        minqing.Dataset.from_arrow(events=pa.table({"household_id": ["H1"], "date": ["2024-02-30"],
                                                    "kind": ["funeral"]}))
    assert (e.value.code, e.value.problems[0].location.field) == ("field.bad_date", "date")

