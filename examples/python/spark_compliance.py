#!/usr/bin/env python3
"""The benchmark job of ``shared/spec/benchmark-workload.md`` on Apache Spark:
visit compliance with "four fixed, three arrivals" (四定三到, seed 001) over
2024, computed village by village by minqing inside Spark's Python workers.

    python examples/python/spark_compliance.py IN_DIR OUT_DIR [--master local[2]]

Reads ``IN_DIR/households.csv`` and ``IN_DIR/visits.csv``, gives every visit
its household's village (an inner join: a visit of an unknown household
counts for nothing), groups households and visits by ``village_id`` and
calls ``minqing.compliance_arrow`` on each group's Arrow data
(``groupBy("village_id").applyInArrow``). Each village is self-contained
(a household belongs to one village), so the per-village figures and missed
periods are exactly those of the single-process job. The driver then writes
``summary.csv``, ``villages.csv`` and ``missed.csv`` as the spec says (global
sort; rates printed as ``f"{x:.6f}"``), byte-identical to
``cargo run --release --example compliance``.

By default it runs in local mode, offline (``--master local[2]``, driver bound
to 127.0.0.1, UI off); give ``--master`` (or run it with ``spark-submit``) to
use a cluster: see bindings-python/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

WINDOW = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))

# One row of the union of households and visits: `kind` says which.
UNION_COLUMNS = ["kind", "village_id", "household_id", "residency", "tags",
                 "cadre_id", "at", "mode"]
# What each village's call returns: its figures (kind "village") and its
# missed periods (kind "missed").
OUT_SCHEMA = ("kind string, village_id string, required long, met long, "
              "household_id string, period_start string")


def village_compliance(table: pa.Table, start: datetime.date, end: datetime.date) -> pa.Table:
    """One village's households and visits (the union rows) to its figures
    and missed periods, through minqing. Runs in a Spark Python worker."""
    import minqing

    kind = table.column("kind")
    households = table.filter(pc.equal(kind, "h")).select(
        ["household_id", "village_id", "residency", "tags"])
    visits = table.filter(pc.equal(kind, "v")).select(
        ["household_id", "cadre_id", "at", "mode"])
    c = minqing.compliance_arrow(households, visits, start=start, end=end)
    villages = pa.table(c.villages)
    missed = pa.table(c.missed)
    nv, nm = villages.num_rows, missed.num_rows
    null_text = pa.nulls(nv, pa.string())
    out_villages = pa.table({
        "kind": pa.array(["village"] * nv, pa.string()),
        "village_id": villages.column("village_id"),
        "required": villages.column("required").cast(pa.int64()),
        "met": villages.column("met").cast(pa.int64()),
        "household_id": null_text,
        "period_start": null_text,
    })
    out_missed = pa.table({
        "kind": pa.array(["missed"] * nm, pa.string()),
        "village_id": pa.nulls(nm, pa.string()),
        "required": pa.nulls(nm, pa.int64()),
        "met": pa.nulls(nm, pa.int64()),
        "household_id": missed.column("household_id"),
        "period_start": missed.column("period_start").cast(pa.string()),
    })
    return pa.concat_tables([out_villages, out_missed])


def rate_text(met: int, required: int) -> str:
    """The spec's rate: the double met / required with six decimals; empty
    when nothing is required."""
    return f"{met / required:.6f}" if required else ""


def session(master: str | None, partitions: int):
    from pyspark.sql import SparkSession

    # The workers must import the minqing of this interpreter.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = SparkSession.builder.appName("minqing-compliance")
    if master:
        b = b.master(master)
    if master is None or master.startswith("local"):
        # Local mode, offline: nothing listens beyond the loopback.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        b = (b.config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false"))
    b = b.config("spark.sql.shuffle.partitions", str(partitions))
    return b.getOrCreate()


def run(in_dir: str, out_dir: str, master: str | None, partitions: int) -> None:
    from pyspark.sql import functions as F

    t0 = time.perf_counter()
    spark = session(master, partitions)
    spark.sparkContext.setLogLevel("ERROR")
    start, end = WINDOW
    text = lambda names: ", ".join(f"{n} string" for n in names)  # noqa: E731
    households = spark.read.csv(
        os.path.join(in_dir, "households.csv"), header=True,
        schema=text(["household_id", "village_id", "residency", "tags"]))
    visits = spark.read.csv(
        os.path.join(in_dir, "visits.csv"), header=True,
        schema=text(["household_id", "cadre_id", "at", "mode"]))

    village_of = households.select("household_id", "village_id")
    union = households.select(
        F.lit("h").alias("kind"), "village_id", "household_id", "residency", "tags",
        F.lit(None).cast("string").alias("cadre_id"),
        F.lit(None).cast("string").alias("at"),
        F.lit(None).cast("string").alias("mode"),
    ).unionByName(
        visits.join(village_of, "household_id", "inner").select(
            F.lit("v").alias("kind"), "village_id", "household_id",
            F.lit(None).cast("string").alias("residency"),
            F.lit(None).cast("string").alias("tags"),
            "cadre_id", "at", "mode",
        )
    )

    def per_village(t: pa.Table) -> pa.Table:
        return village_compliance(t, start, end)

    result = union.groupBy("village_id").applyInArrow(per_village, OUT_SCHEMA).persist()

    os.makedirs(out_dir, exist_ok=True)
    villages = (result.filter(F.col("kind") == "village")
                .select("village_id", "required", "met").orderBy("village_id").collect())
    required = sum(r["required"] for r in villages)
    met = sum(r["met"] for r in villages)
    with open(os.path.join(out_dir, "summary.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("required,met,rate\n")
        f.write(f"{required},{met},{rate_text(met, required)}\n")
    with open(os.path.join(out_dir, "villages.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("village_id,required,met,rate\n")
        for r in villages:
            f.write(f"{r['village_id']},{r['required']},{r['met']},"
                    f"{rate_text(r['met'], r['required'])}\n")
    missed = (result.filter(F.col("kind") == "missed")
              .select("household_id", "period_start")
              .orderBy("household_id", "period_start"))
    n = 0
    with open(os.path.join(out_dir, "missed.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("household_id,period_start\n")
        buf = []
        for r in missed.toLocalIterator(prefetchPartitions=True):
            buf.append(f"{r[0]},{r[1]}\n")
            if len(buf) >= 65536:
                f.write("".join(buf))
                n += len(buf)
                buf.clear()
        f.write("".join(buf))
        n += len(buf)
    result.unpersist()
    spark.stop()
    rate = rate_text(met, required)
    print(f"required {required}, met {met}, rate {rate}, missed {n}; "
          f"{len(villages)} villages in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if n != required - met:
        raise SystemExit(f"missed list has {n} rows, expected {required - met}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("in_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--master", default="local[2]",
                    help='Spark master URL (default local[2]); "" to take it from spark-submit')
    ap.add_argument("--partitions", type=int, default=8,
                    help="shuffle partitions for the group-by (default 8)")
    a = ap.parse_args(argv)
    run(a.in_dir, a.out_dir, a.master or None, a.partitions)


if __name__ == "__main__":
    main()
