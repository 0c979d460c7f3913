#!/usr/bin/env python3
"""Visit compliance with pandas (and the numpy under it).

Usage: python3 pandas_job.py IN_DIR OUT_DIR

The job of shared/spec/benchmark-workload.md, written the way a pandas user
who cares about speed would: the pyarrow CSV reader with Arrow-backed columns
(`at` parsed by Arrow, or by one vectorised `to_datetime` when some rows are
not ISO date-times), household ids looked up once per distinct id through a
categorical, and the met periods kept as a dense household x period grid of
booleans (24 half-months or 12 months per household), so that the missed list
comes out already in order. Output through `to_csv`, pandas' own writer.
"""
import os
import sys

import numpy as np
import pandas as pd

WINDOW_FIRST = pd.Timestamp("2024-01-01")
WINDOW_END = pd.Timestamp("2025-01-01")  # exclusive: the window is all of 2024
YEAR = 2024
IN_PERSON = "in_person"
RESIDENT_PERIODS = 24  # half-months
AWAY_PERIODS = 12  # months


def period_starts():
    """Start date (ISO string) of period p: half-months for residents; months are p // 2 of those."""
    starts = []
    for month in range(1, 13):
        starts += [f"{YEAR}-{month:02d}-01", f"{YEAR}-{month:02d}-16"]
    return np.array(starts, dtype=object)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: pandas_job.py IN_DIR OUT_DIR")
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)

    hh = pd.read_csv(os.path.join(in_dir, "households.csv"), engine="pyarrow",
                     usecols=["household_id", "village_id", "residency"], dtype=str)
    unknown_res = ~hh["residency"].isin(["resident", "away"])
    if unknown_res.any():
        row = hh[unknown_res].iloc[0]
        sys.exit(f"households.csv: {row.household_id}: unknown residency {row.residency!r}")
    n = len(hh)
    resident = (hh["residency"] == "resident").to_numpy()

    # dtype_backend="pyarrow" keeps the strings in Arrow (no Python objects);
    # the Arrow reader parses `at` as a timestamp when every row is one.
    visits = pd.read_csv(os.path.join(in_dir, "visits.csv"), engine="pyarrow",
                         usecols=["household_id", "at", "mode"], dtype_backend="pyarrow")
    rows = len(visits)

    # Household of each visit as a row number of hh, -1 when unknown: look up
    # each distinct id once, then map the categorical codes.
    ids = visits["household_id"].astype("category").cat
    code_to_row = pd.Index(hh["household_id"]).get_indexer(ids.categories)
    codes = ids.codes.to_numpy()
    h = np.where(codes >= 0, code_to_row[np.maximum(codes, 0)], -1)
    known = h >= 0

    at = visits["at"]
    if not pd.api.types.is_datetime64_any_dtype(at.dtype):
        # Some rows are not ISO date-times: parse row by row, bad ones to NaT.
        at = pd.to_datetime(at.astype(str), format="ISO8601", errors="coerce")
    good_time = at.notna().to_numpy(dtype=bool)
    in_window = ((at >= WINDOW_FIRST) & (at < WINDOW_END)).fillna(False).to_numpy(dtype=bool)
    unknown = int((~known).sum())
    bad_time = int((known & ~good_time).sum())
    outside = int((known & good_time & ~in_window).sum())

    ok = known & in_window
    h = h[ok]
    at = at[ok]
    res = resident[h]
    qualifies = ~res | (visits["mode"] == IN_PERSON).fillna(False).to_numpy(dtype=bool)[ok]
    month0 = at.dt.month.to_numpy(dtype=np.int64) - 1
    second_half = at.dt.day.to_numpy(dtype=np.int64) >= 16
    period = np.where(res, 2 * month0 + second_half, month0)

    # met[h, p]: household h met period p (away households use p < 12 only).
    met = np.zeros((n, RESIDENT_PERIODS), dtype=bool)
    met[h[qualifies], period[qualifies]] = True
    n_periods = np.where(resident, RESIDENT_PERIODS, AWAY_PERIODS)
    hh["required"] = n_periods
    hh["met"] = met.sum(axis=1)

    villages = (hh.groupby("village_id", sort=True)[["required", "met"]].sum()
                .reset_index())
    villages["rate"] = villages["met"] / villages["required"]
    required, met_total = int(villages["required"].sum()), int(villages["met"].sum())
    summary = pd.DataFrame({"required": [required], "met": [met_total],
                            "rate": [met_total / required]})
    csv = dict(index=False, lineterminator="\n", float_format="%.6f")
    summary.to_csv(os.path.join(out_dir, "summary.csv"), **csv)
    villages.to_csv(os.path.join(out_dir, "villages.csv"), **csv)

    # Missed list: households in id order, periods in date order.
    order = np.argsort(hh["household_id"].to_numpy(), kind="stable")
    need = np.arange(RESIDENT_PERIODS)[None, :] < n_periods[order][:, None]
    miss_row, miss_p = np.nonzero(need & ~met[order])
    hid = order[miss_row]
    starts = period_starts()
    start = np.where(resident[hid], starts[miss_p], starts[2 * np.minimum(miss_p, AWAY_PERIODS - 1)])
    missed = pd.DataFrame({"household_id": hh["household_id"].to_numpy()[hid],
                           "period_start": start})
    missed.to_csv(os.path.join(out_dir, "missed.csv"), **csv)

    skipped = unknown + bad_time + outside
    print(f"pandas: skipped {skipped} of {rows} visit rows "
          f"(unknown household {unknown}, bad time {bad_time}, outside window {outside})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
