#!/usr/bin/env python3
"""Reference implementation of the benchmark job (benchmark-workload.md),
standard library only, written to follow the spec literally and slowly.

Usage: reference_compliance.py IN_DIR OUT_DIR

Policy "four fixed, three arrivals" (seed 001), window 2024-01-01..2024-12-31:
a resident household needs an in_person visit in every half month (days
1-15, 16-end), an away household a contact of any mode in every month.
Writes summary.csv, villages.csv and missed.csv like examples/compliance.rs.
"""
import csv
import datetime
import os
import sys

START = datetime.date(2024, 1, 1)
END = datetime.date(2024, 12, 31)


def half_month_starts():
    out = []
    for m in range(1, 13):
        out.append(datetime.date(2024, m, 1))
        out.append(datetime.date(2024, m, 16))
    return out


def month_starts():
    return [datetime.date(2024, m, 1) for m in range(1, 13)]


def period_start(residency, d):
    if residency == "resident":
        return datetime.date(d.year, d.month, 1 if d.day <= 15 else 16)
    return datetime.date(d.year, d.month, 1)


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    households = {}
    with open(os.path.join(in_dir, "households.csv"), newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            households[row["household_id"]] = (row["village_id"], row["residency"])

    met = set()  # (household_id, period_start)
    skipped = {"outside_window": 0, "unknown_household": 0, "bad_row": 0}
    with open(os.path.join(in_dir, "visits.csv"), newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            try:
                at = datetime.datetime.strptime(row["at"], "%Y-%m-%dT%H:%M")
            except (ValueError, TypeError):
                skipped["bad_row"] += 1
                continue
            d = at.date()
            if d < START or d > END:
                skipped["outside_window"] += 1
                continue
            h = households.get(row["household_id"])
            if h is None:
                skipped["unknown_household"] += 1
                continue
            _, residency = h
            if residency == "resident" and row["mode"] != "in_person":
                continue
            met.add((row["household_id"], period_start(residency, d)))

    required_total = met_total = 0
    villages = {}
    missed = []
    for hid in sorted(households):
        village, residency = households[hid]
        starts = half_month_starts() if residency == "resident" else month_starts()
        v = villages.setdefault(village, [0, 0])
        for s in starts:
            required_total += 1
            v[0] += 1
            if (hid, s) in met:
                met_total += 1
                v[1] += 1
            else:
                missed.append((hid, s.isoformat()))

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "summary.csv"), "w") as f:
        f.write("required,met,rate\n")
        f.write(f"{required_total},{met_total},{met_total / required_total:.6f}\n")
    with open(os.path.join(out_dir, "villages.csv"), "w") as f:
        f.write("village_id,required,met,rate\n")
        for vid in sorted(villages):
            r, m = villages[vid]
            f.write(f"{vid},{r},{m},{m / r:.6f}\n")
    with open(os.path.join(out_dir, "missed.csv"), "w") as f:
        f.write("household_id,period_start\n")
        for hid, s in missed:
            f.write(f"{hid},{s}\n")
    print(f"skipped: {skipped}", file=sys.stderr)


if __name__ == "__main__":
    main()
