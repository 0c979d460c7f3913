"""Arrow in and out: the same township from pyarrow, Polars and pandas gives
the same data set as its JSON document; result tables are read by all three."""

import datetime
import json
import threading

import pytest

import minqing

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")

TODAY = datetime.date(2024, 6, 30)
D = datetime.date
T = datetime.datetime

# The township of conftest.township_doc, column by column.
COLUMNS = {
    "units": {
        "unit_id": ["T", "V1"],
        "kind": ["township", "village"],
        "parent_id": [None, "T"],
        "population": [None, 480],
    },
    "households": {
        "household_id": ["H1", "H2"],
        "village_id": ["V1", "V1"],
        "residency": ["resident", "away"],
        "tags": [["elderly_alone", "hardship"], []],
        "members": [2, None],
        "registered_on": [D(2024, 1, 5), None],
    },
    "cadres": {"cadre_id": ["A"], "name": ["李某某"], "max_households": [70]},
    "assignments": {
        "household_id": ["H1", "H2"],
        "cadre_id": ["A", "A"],
        "from": [D(2024, 1, 5), D(2024, 1, 1)],
        "to": [None, D(2024, 12, 31)],
    },
    "visits": {
        "household_id": ["H1", "H2"],
        "cadre_id": ["A", "A"],
        "at": [T(2024, 3, 1, 9, 30), T(2024, 3, 2, 20, 0)],
        "mode": ["in_person", "phone"],
        "signed": [True, False],
        "note": [None, "在外务工"],
    },
}


def test_pyarrow_tables(township):
    tables = {k: pa.table(v) for k, v in COLUMNS.items()}
    assert minqing.Dataset.from_arrow(**tables) == township


def test_pyarrow_record_batches_and_chunked_tables(township):
    batches = {k: pa.RecordBatch.from_pydict(v) for k, v in COLUMNS.items()}
    assert minqing.Dataset.from_arrow(**batches) == township
    # two chunks: rows are numbered across chunks
    visits = pa.concat_tables([pa.table(COLUMNS["visits"])] * 2)
    assert visits.column("at").num_chunks == 2
    bad = visits.set_column(3, "mode", pa.array(["phone", "phone", "phone", "fax"]))
    with pytest.raises(minqing.ParseError) as info:
        minqing.Dataset.from_arrow(visits=bad)
    assert [p.location.path for p in info.value.problems] == ["visits[3]"]


def test_polars_dataframes(township):
    frames = {k: pl.DataFrame(v) for k, v in COLUMNS.items()}
    assert minqing.Dataset.from_arrow(**frames) == township


def test_pandas_dataframes(township):
    frames = {k: pd.DataFrame(v) for k, v in COLUMNS.items()}
    # pandas turns dates into objects and the nullable ints into floats
    # with NaN; both are read.
    frames["visits"]["at"] = pd.to_datetime(frames["visits"]["at"])
    assert frames["units"]["population"].dtype == "float64"
    assert minqing.Dataset.from_arrow(**frames) == township


def test_text_only_tables_as_from_a_csv_export(township):
    text = {
        "units": {"unit_id": ["T", "V1"], "kind": ["township", "village"],
                  "parent_id": ["", "T"], "population": ["", "480"]},
        "households": {"household_id": ["H1", "H2"], "village_id": ["V1", "V1"],
                       "residency": ["resident", "away"],
                       "tags": ["elderly_alone|hardship", ""], "members": ["2", ""],
                       "registered_on": ["2024-01-05", ""]},
        "cadres": {"cadre_id": ["A"], "name": ["李某某"], "max_households": ["70"]},
        "assignments": {"household_id": ["H1", "H2"], "cadre_id": ["A", "A"],
                        "from": ["2024-01-05", "2024-01-01"], "to": ["", "2024-12-31"]},
        "visits": {"household_id": ["H1", "H2"], "cadre_id": ["A", "A"],
                   "at": ["2024-03-01T09:30", "2024-03-02 20:00:00"],
                   "mode": ["in_person", "phone"], "signed": ["true", "false"],
                   "note": ["", "在外务工"]},
    }
    frames = {k: pd.DataFrame(v, dtype=str) for k, v in text.items()}
    assert minqing.Dataset.from_arrow(**frames) == township


def test_timestamps_with_a_zone_are_read_in_china_standard_time():
    visits = pa.table({
        "household_id": ["H1", "H1"],
        "cadre_id": ["A", "A"],
        "at": pa.array([T(2024, 3, 1, 1, 30), T(2024, 3, 1, 1, 30)],
                       pa.timestamp("ms", tz="UTC")),
        "mode": ["phone", "video"],
    })
    ds = minqing.Dataset.from_arrow(visits=visits)
    doc = json.loads(ds.to_json())
    assert [v["at"] for v in doc["visits"]] == ["2024-03-01T09:30:00"] * 2


def test_unknown_columns_are_ignored_and_teams_and_duty_are_read():
    teams = pl.DataFrame({
        "team_id": ["WS1"], "kind": ["work_station"], "unit_id": ["V1"],
        "leader": ["A"], "members": [["A", "B", "C"]], "comment": ["x"],
    })
    duty = pd.DataFrame({
        "cadre_id": ["A", "A"],
        "status": ["on_duty", "in_field"],
        "from": pd.to_datetime(["2024-05-06 08:00", "2024-05-06 12:00"]),
        "to": pd.to_datetime(["2024-05-06 12:00", None]),
    })
    ds = minqing.Dataset.from_arrow(teams=teams, duty=duty)
    assert ds.counts["teams"] == 1 and ds.counts["duty"] == 2
    assert ds.status_at("A", T(2024, 5, 6, 11, 59)) == "on_duty"
    assert ds.status_at("A", T(2024, 5, 6, 12, 0)) == "in_field"
    doc = json.loads(ds.to_json())
    assert doc["teams"][0]["members"] == ["A", "B", "C"]


def test_problems_table_is_read_by_pyarrow_polars_and_pandas(township_doc):
    township_doc["visits"].append({"household_id": "H9", "cadre_id": "A",
                                   "at": "2024-07-01T08:00:00", "mode": "phone"})
    ds = minqing.Dataset.from_json(json.dumps(township_doc))
    problems = ds.validate(TODAY)
    table = ds.validate_table(TODAY)
    assert len(table) == table.num_rows == len(problems) == 2
    codes = [p.code for p in problems]

    at = pa.table(table)
    assert at.column("code").to_pylist() == codes
    assert at.schema.field("line").type == pa.uint64()
    assert table.to_pyarrow().equals(at)

    df = pl.DataFrame(table)
    assert df["code"].to_list() == codes
    assert df["path"].to_list() == ["visits[2]", "visits[2]"]
    # polars.from_arrow reads a PyCapsule stream as a Series of structs
    assert pl.from_arrow(table).struct.unnest().equals(df)
    assert table.to_polars().equals(df)

    pdf = table.to_pandas()
    assert list(pdf["code"]) == codes
    assert list(pdf.columns) == table.column_names
    # a table can be read more than once
    assert pa.table(table).num_rows == 2


def test_empty_problems_table_keeps_its_schema(township):
    t = pa.table(township.validate_table(TODAY))
    assert t.num_rows == 0
    assert t.column_names[:2] == ["code", "severity"]


def test_heavy_calls_release_the_gil_and_agree_across_threads(township_doc):
    # a bigger township: 20,000 households, one bad in every hundred
    n = 20_000
    households = pa.table({
        "household_id": [f"H{i}" for i in range(n)],
        "village_id": ["V1" if i % 100 else "V9" for i in range(n)],
        "residency": ["resident"] * n,
    })
    units = pa.table({"unit_id": ["V1"], "kind": ["village"]})
    ds = minqing.Dataset.from_arrow(units=units, households=households)
    expected = ds.validate(TODAY)
    assert len(expected) == n // 100
    results = [None] * 4

    def work(i):
        results[i] = ds.validate(TODAY)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_duties_none_and_long_text_mean_the_same_through_arrow_json_and_csv(tmp_path):
    """One cell grammar: `duties = none` is no duty, an empty cell all five
    (left out of the JSON), and text over the limit is `field.too_long`
    whatever the source."""
    long_name = "字" * 5000
    cadres = pa.table({
        "cadre_id": ["A", "B", "C"],
        "name": ["李某某", "王某某", long_name],
        "duties": ["none", "", "liaison|mediator"],
    })
    ds = minqing.Dataset.from_arrow(cadres=cadres)
    doc = json.loads(ds.to_json())
    assert doc["cadres"][0]["duties"] == []
    assert "duties" not in doc["cadres"][1]
    assert sorted(doc["cadres"][2]["duties"]) == ["liaison", "mediator"]
    assert [p.code for p in ds.validate(TODAY)] == ["field.too_long"]
    # the same document through JSON gives the same verdict
    again = minqing.Dataset.from_json(ds.to_json())
    assert [p.code for p in again.validate(TODAY)] == ["field.too_long"]
    # the CSV reader reads the same duties, and refuses the over-long cell
    (tmp_path / "cadres.csv").write_text(
        "cadre_id,name,duties\nA,李某某,none\nB,王某某,\nC," + long_name + ",liaison|mediator\n",
        encoding="utf-8")
    from_csv, problems = minqing.read_csv_dir(str(tmp_path))
    csv_doc = json.loads(from_csv.to_json())
    assert csv_doc["cadres"][:2] == doc["cadres"][:2]
    assert "field.too_long" in [p.code for p in problems]
