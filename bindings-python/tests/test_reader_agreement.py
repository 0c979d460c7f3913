"""One contract for the readers, from Python: the same generated rows of
households.csv and visits.csv, good and bad, through the CSV readers
(``read_csv_dir``, ``compliance_csv``) and as pyarrow, pandas and Polars
tables of text (``Dataset.from_arrow``, ``compliance_arrow``), are taken or
refused alike, with the same problem codes row by row."""

import datetime
import json
import random

import pytest

import minqing

pa = pytest.importorskip("pyarrow")

WINDOW = dict(start=datetime.date(2020, 1, 1), end=datetime.date(2027, 12, 31))

IDS = ["H{}", "", " H{}", "X" * 70, "户\u0001"]
RESIDENCY = ["resident", "away", "Resident", "nomad", ""]
TAGS = ["", "hardship", "elderly_alone|beekeeper", "low_income|party_member"]
MODES = ["in_person", "phone", "video", "at_station", "visit", ""]
SIGNED = ["", "true", "false", "yes"]


def date_text(d: datetime.date, form: int) -> str:
    return [d.isoformat(), f"{d.year}/{d.month}/{d.day}", "2023-02-29", "2024-13-01", ""][form]


def datetime_text(t: datetime.datetime, form: int) -> str:
    d = t.date()
    return [
        t.strftime("%Y-%m-%dT%H:%M"),
        t.strftime("%Y-%m-%dT%H:%M:%S"),
        t.strftime("%Y-%m-%d %H:%M"),
        t.strftime("%Y-%m-%d %H:%M:%S"),
        f"{d.year}/{d.month}/{d.day} {t.hour}:{t.minute:02}",
        # near misses
        f"{d.isoformat()} {t.hour}:{t.minute:02}" if t.hour < 10 else "2024-03-05 8:07",
        f"{d.year}-{d.month}-{d.day} {t.hour:02}:{t.minute:02}" if d.month < 10 else "2024-3-5 08:07",
        "2024-02-30T10:00",
        t.strftime("%Y-%m-%dT%H:%M+08:00"),
        "",
    ][form]


def rows(seed: int, n: int):
    rnd = random.Random(seed)
    base = datetime.datetime(2021, 1, 1)
    households, visits = [], []
    for i in range(n):
        hid = rnd.choice(IDS).format(i) if rnd.random() < 0.3 else f"H{i}"
        households.append([hid, rnd.choice(["V1", "V2", ""]) if rnd.random() < 0.2 else "V1",
                           rnd.choice(RESIDENCY), rnd.choice(TAGS),
                           date_text((base + datetime.timedelta(days=rnd.randrange(2000))).date(),
                                     rnd.randrange(5))])
    for i in range(n):
        t = base + datetime.timedelta(minutes=rnd.randrange(2_000_000))
        cadre = rnd.choice(IDS).format(i) if rnd.random() < 0.2 else "C1"
        visits.append([f"H{rnd.randrange(n)}", cadre, datetime_text(t, rnd.randrange(10)),
                       rnd.choice(MODES), rnd.choice(SIGNED)])
    return households, visits


H_COLS = ["household_id", "village_id", "residency", "tags", "registered_on"]
V_COLS = ["household_id", "cadre_id", "at", "mode", "signed"]


def csv_text(cols, data) -> str:
    import csv
    import io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    w.writerows(data)
    return out.getvalue()


def by_row(problems, file_or_table):
    """{row (0-based): set of error codes} of the problems of one file or
    table: lines of a CSV file (the header is line 1), rows of a table."""
    out = {}
    for p in problems:
        if p.severity != "error":
            continue
        loc = p.location
        if loc.file and loc.file.endswith(f"{file_or_table}.csv") and loc.line:
            out.setdefault(loc.line - 2, set()).add(p.code)
        elif loc.path and loc.path.startswith(f"{file_or_table}["):
            out.setdefault(int(loc.path.split("[")[1].rstrip("]")), set()).add(p.code)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_csv_and_arrow_readers_take_and_refuse_the_same_rows(seed, tmp_path):
    households, visits = rows(seed, 150)
    (tmp_path / "households.csv").write_text(csv_text(H_COLS, households), encoding="utf-8")
    (tmp_path / "visits.csv").write_text(csv_text(V_COLS, visits), encoding="utf-8")
    ds, problems = minqing.read_csv_dir(tmp_path)
    text = lambda cols, data: pa.table({c: [r[k] for r in data] for k, c in enumerate(cols)})
    h_table, v_table = text(H_COLS, households), text(V_COLS, visits)

    # the general readers: CSV row by row, Arrow the same cells
    csv_bad = {"households": by_row(problems, "households"), "visits": by_row(problems, "visits")}
    for name, table in (("households", h_table), ("visits", v_table)):
        try:
            one = minqing.Dataset.from_arrow(**{name: table})
            arrow_bad = {}
            assert json.loads(one.to_json())[name] == json.loads(ds.to_json())[name]
        except minqing.ParseError as e:
            arrow_bad = by_row(e.problems, name)
        assert arrow_bad == csv_bad[name], name

    # the fast paths: compliance_csv and compliance_arrow (pyarrow, pandas,
    # Polars) skip the same rows for the same reasons
    fast_csv = minqing.compliance_csv(tmp_path, **WINDOW, max_problems=10_000)
    frames = [(h_table, v_table)]
    pd = pytest.importorskip("pandas")
    frames.append((h_table.to_pandas(), v_table.to_pandas()))
    pl = pytest.importorskip("polars")
    frames.append((pl.from_arrow(h_table), pl.from_arrow(v_table)))
    for h, v in frames:
        fast = minqing.compliance_arrow(h, v, **WINDOW, max_problems=10_000)
        assert fast.skipped == fast_csv.skipped, type(h)
        assert (fast.required, fast.met) == (fast_csv.required, fast_csv.met)
        for name in ("households", "visits"):
            assert by_row(fast.problems, name) == by_row(fast_csv.problems, name), (type(h), name)
    # and the fast CSV path refuses the rows the general reader refuses
    for name in ("households", "visits"):
        # unknown and repeated households are the fast path's own counts
        # (validate says them of the general reader's data set)
        own = {"visit.unknown_household", "household.duplicate_id"}
        fast_rows = {r: c - own for r, c in by_row(fast_csv.problems, name).items()}
        assert {r: c for r, c in fast_rows.items() if c} == csv_bad[name], name
