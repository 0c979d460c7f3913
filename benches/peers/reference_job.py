#!/usr/bin/env python3
"""Visit compliance, written literally with the standard library only.

Usage: python3 reference_job.py IN_DIR OUT_DIR

The yardstick for the peer jobs (pandas, Polars, DuckDB) and for minqing's
`examples/compliance.rs` at small sizes: one visit at a time, one household at
a time, sets of dates, no cleverness. Slow (about 1 s per 100k visits); use it
up to a few hundred thousand households. The job is the one of
`shared/spec/benchmark-workload.md`:

- window 2024-01-01 to 2024-12-31 inclusive, visit times compared as written;
- a `resident` household needs at least one `in_person` visit in every
  half-month period (days 1-15, day 16 to month end);
- an `away` household needs at least one contact of any mode in every
  calendar month;
- a visit naming a household not in households.csv, with a time that is not a
  valid date-time, or outside the window is skipped (counted, reported on
  stderr) and counts for nothing.

Outputs in OUT_DIR: summary.csv, villages.csv, missed.csv (see the spec).
"""
import csv
import datetime as dt
import os
import re
import sys

WINDOW_FIRST = dt.date(2024, 1, 1)
WINDOW_LAST = dt.date(2024, 12, 31)
IN_PERSON = "in_person"

# The date-time forms of shared/spec/formats.md: ISO with `T` or a space,
# optional seconds, and Excel's `YYYY/M/D H:MM`. Anything else is a bad row.
ISO_AT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")
EXCEL_AT = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_at(text):
    """The visit's local date-time, or None when `text` is not one."""
    m = ISO_AT.fullmatch(text) or EXCEL_AT.fullmatch(text)
    if m is None:
        return None
    y, mo, d, h, mi, s = m.groups()
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        return None


def month_starts(first, last):
    d = first.replace(day=1)
    while d <= last:
        yield d
        d = d.replace(year=d.year + 1, month=1) if d.month == 12 else d.replace(month=d.month + 1)


def required_periods(residency):
    """Start dates of the periods a household of this residency must meet."""
    periods = []
    for m in month_starts(WINDOW_FIRST, WINDOW_LAST):
        periods.append(m)
        if residency == "resident":
            periods.append(m.replace(day=16))
    return [p for p in periods if WINDOW_FIRST <= p <= WINDOW_LAST]


def period_of(residency, day):
    """Start date of the period of this residency that `day` falls in."""
    if residency == "resident" and day.day >= 16:
        return day.replace(day=16)
    return day.replace(day=1)


def rate(met, required):
    return f"{met / required:.6f}"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: reference_job.py IN_DIR OUT_DIR")
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)

    households = {}  # household_id -> (village_id, residency)
    with open(os.path.join(in_dir, "households.csv"), newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            if row["residency"] not in ("resident", "away"):
                sys.exit(f"households.csv: {row['household_id']}: unknown residency {row['residency']!r}")
            households[row["household_id"]] = (row["village_id"], row["residency"])

    met = {h: set() for h in households}
    rows = unknown = bad_time = outside = 0
    with open(os.path.join(in_dir, "visits.csv"), newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            rows += 1
            h = row["household_id"]
            if h not in households:
                unknown += 1
                continue
            at = parse_at(row["at"])
            if at is None:
                bad_time += 1
                continue
            day = at.date()
            if not WINDOW_FIRST <= day <= WINDOW_LAST:
                outside += 1
                continue
            residency = households[h][1]
            if residency == "resident" and row["mode"] != IN_PERSON:
                continue
            met[h].add(period_of(residency, day))

    villages = {}  # village_id -> [required, met]
    missed = []
    for h in sorted(households):
        village, residency = households[h]
        counts = villages.setdefault(village, [0, 0])
        for p in required_periods(residency):
            counts[0] += 1
            if p in met[h]:
                counts[1] += 1
            else:
                missed.append((h, p))

    required = sum(c[0] for c in villages.values())
    met_total = sum(c[1] for c in villages.values())
    with open(os.path.join(out_dir, "summary.csv"), "w", newline="") as f:
        f.write("required,met,rate\n")
        f.write(f"{required},{met_total},{rate(met_total, required)}\n")
    with open(os.path.join(out_dir, "villages.csv"), "w", newline="") as f:
        f.write("village_id,required,met,rate\n")
        for v in sorted(villages):
            r, m = villages[v]
            f.write(f"{v},{r},{m},{rate(m, r)}\n")
    with open(os.path.join(out_dir, "missed.csv"), "w", newline="") as f:
        f.write("household_id,period_start\n")
        f.writelines(f"{h},{p.isoformat()}\n" for h, p in missed)

    skipped = unknown + bad_time + outside
    print(f"reference: skipped {skipped} of {rows} visit rows "
          f"(unknown household {unknown}, bad time {bad_time}, outside window {outside})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
