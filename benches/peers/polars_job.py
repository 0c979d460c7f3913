#!/usr/bin/env python3
"""Visit compliance with Polars.

Usage: python3 polars_job.py IN_DIR OUT_DIR

The job of shared/spec/benchmark-workload.md as Polars expressions: a lazy
scan of visits.csv, a join to the households, the distinct (household, period
start) pairs that were met, and an anti-join of the required periods against
them for the missed list. Polars runs it on all cores.
"""
import datetime as dt
import os
import sys

import polars as pl

WINDOW_FIRST = dt.datetime(2024, 1, 1)
WINDOW_END = dt.datetime(2025, 1, 1)  # exclusive: the window is all of 2024
YEAR = 2024
IN_PERSON = "in_person"


def required_periods():
    """One row per (residency, period_start) a household must meet."""
    months = [dt.date(YEAR, m, 1) for m in range(1, 13)]
    halves = sorted(months + [d.replace(day=16) for d in months])
    return pl.DataFrame({
        "residency": ["resident"] * len(halves) + ["away"] * len(months),
        "period_start": halves + months,
    })


def parse_at(at):
    """`at` as a datetime, null where it is not one. The generator's
    `YYYY-MM-DDTHH:MM` with a fixed format (fast); only the rows that fail it
    go through Polars' format inference (seconds, a space, `YYYY/M/D H:MM`)."""
    fast = at.str.to_datetime("%Y-%m-%dT%H:%M", strict=False, time_unit="us")
    return pl.coalesce(fast, pl.when(fast.is_null()).then(at).str.to_datetime(strict=False, time_unit="us"))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: polars_job.py IN_DIR OUT_DIR")
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)

    hh = pl.read_csv(os.path.join(in_dir, "households.csv"), infer_schema=False,
                     columns=["household_id", "village_id", "residency"])
    bad = hh.filter(~pl.col("residency").is_in(["resident", "away"]))
    if bad.height:
        sys.exit(f"households.csv: {bad['household_id'][0]}: unknown residency {bad['residency'][0]!r}")

    visits = (
        pl.scan_csv(os.path.join(in_dir, "visits.csv"), infer_schema=False)
        .select("household_id", "at", "mode")
        .join(hh.lazy().select("household_id", "residency"), on="household_id", how="left")
        .with_columns(at=parse_at(pl.col("at")))
    )
    known = pl.col("residency").is_not_null()
    good_time = pl.col("at").is_not_null()
    in_window = (pl.col("at") >= WINDOW_FIRST) & (pl.col("at") < WINDOW_END)
    skips = visits.select(
        rows=pl.len(),
        unknown=(~known).sum(),
        bad_time=(known & ~good_time).sum(),
        outside=(known & good_time & ~in_window).sum(),
    )
    resident = pl.col("residency") == "resident"
    met = (
        visits
        .filter(known & in_window & (~resident | (pl.col("mode") == IN_PERSON)))
        .select(
            "household_id",
            period_start=pl.date(
                pl.col("at").dt.year(), pl.col("at").dt.month(),
                pl.when(resident & (pl.col("at").dt.day() >= 16)).then(16).otherwise(1)),
        )
        .unique()
    )
    skips, met = pl.collect_all([skips, met])

    periods = required_periods()
    required = hh.join(periods, on="residency")
    missed = (required.lazy().select("household_id", "period_start")
              .join(met.lazy(), on=["household_id", "period_start"], how="anti")
              .sort("household_id", "period_start"))
    met_per_household = met.group_by("household_id").agg(met=pl.len())
    villages = (
        hh.join(periods.group_by("residency").agg(required=pl.len()), on="residency")
        .join(met_per_household, on="household_id", how="left")
        .group_by("village_id")
        .agg(pl.col("required").sum().cast(pl.Int64), pl.col("met").sum().fill_null(0).cast(pl.Int64))
        .sort("village_id")
        .with_columns(rate=pl.col("met") / pl.col("required"))
    )
    summary = villages.select(pl.col("required").sum(), pl.col("met").sum()).with_columns(
        rate=pl.col("met") / pl.col("required"))

    # Float formatting: Rust's `{:.6}`, correctly rounded like Python's f"{x:.6f}".
    summary.write_csv(os.path.join(out_dir, "summary.csv"), float_precision=6)
    villages.write_csv(os.path.join(out_dir, "villages.csv"), float_precision=6)
    missed.collect().write_csv(os.path.join(out_dir, "missed.csv"))

    s = skips.row(0, named=True)
    skipped = s["unknown"] + s["bad_time"] + s["outside"]
    print(f"polars: skipped {skipped} of {s['rows']} visit rows "
          f"(unknown household {s['unknown']}, bad time {s['bad_time']}, outside window {s['outside']})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
