#!/usr/bin/env python3
"""Visit compliance with DuckDB.

Usage: python3 duckdb_job.py IN_DIR OUT_DIR

The job of shared/spec/benchmark-workload.md in SQL: visits joined to their
household, the distinct (household, period start) pairs that were met, the
required periods anti-joined against them for the missed list, and COPY ... TO
for the three outputs. DuckDB runs it on all cores.
"""
import os
import sys

import duckdb

WINDOW_FIRST = "2024-01-01"
WINDOW_END = "2025-01-01"  # exclusive: the window is all of 2024
IN_PERSON = "in_person"


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: duckdb_job.py IN_DIR OUT_DIR")
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    households = sql_str(os.path.join(in_dir, "households.csv"))
    visits = sql_str(os.path.join(in_dir, "visits.csv"))
    out = {name: sql_str(os.path.join(out_dir, name + ".csv"))
           for name in ("summary", "villages", "missed")}

    con = duckdb.connect()
    con.execute(f"""
        CREATE TEMP TABLE hh AS
        SELECT household_id, village_id, residency
        FROM read_csv({households}, header = true, all_varchar = true)""")
    bad = con.execute("""
        SELECT household_id, residency FROM hh
        WHERE residency IS NULL OR residency NOT IN ('resident', 'away') LIMIT 1""").fetchone()
    if bad:
        sys.exit(f"households.csv: {bad[0]}: unknown residency {bad[1]!r}")

    # Required periods: half-months for residents, months for away households.
    con.execute(f"""
        CREATE TEMP TABLE periods AS
        WITH months AS (
            SELECT m::DATE AS m
            FROM range(DATE '{WINDOW_FIRST}', DATE '{WINDOW_END}', INTERVAL 1 MONTH) t(m))
        SELECT 'resident' AS residency, m AS period_start FROM months
        UNION ALL SELECT 'resident', (m + INTERVAL 15 DAY)::DATE FROM months
        UNION ALL SELECT 'away', m FROM months""")

    # Every visit with its household's residency (NULL: unknown household)
    # and its time `ts` (NULL: not a date-time).
    con.execute(f"""
        CREATE TEMP TABLE v AS
        SELECT hh.residency, v.household_id, v.mode, TRY_CAST(v."at" AS TIMESTAMP) AS ts
        FROM read_csv({visits}, header = true, all_varchar = true) v
        LEFT JOIN hh USING (household_id)""")
    rows, unknown, bad_time, outside = con.execute(f"""
        SELECT count(*),
               count(*) FILTER (WHERE residency IS NULL),
               count(*) FILTER (WHERE residency IS NOT NULL AND ts IS NULL),
               count(*) FILTER (WHERE residency IS NOT NULL AND ts IS NOT NULL
                                AND NOT (ts >= TIMESTAMP '{WINDOW_FIRST}' AND ts < TIMESTAMP '{WINDOW_END}'))
        FROM v""").fetchone()

    con.execute(f"""
        CREATE TEMP TABLE met AS
        SELECT DISTINCT household_id,
               make_date(year(ts), month(ts),
                         CASE WHEN residency = 'resident' AND day(ts) >= 16 THEN 16 ELSE 1 END) AS period_start
        FROM v
        WHERE residency IS NOT NULL
          AND ts >= TIMESTAMP '{WINDOW_FIRST}' AND ts < TIMESTAMP '{WINDOW_END}'
          AND (residency = 'away' OR mode = '{IN_PERSON}')""")
    con.execute("DROP TABLE v")

    con.execute("""
        CREATE TEMP TABLE villages AS
        SELECT hh.village_id,
               sum(req.n)::BIGINT AS required,
               coalesce(sum(mc.n), 0)::BIGINT AS met
        FROM hh
        JOIN (SELECT residency, count(*) AS n FROM periods GROUP BY residency) req USING (residency)
        LEFT JOIN (SELECT household_id, count(*) AS n FROM met GROUP BY household_id) mc USING (household_id)
        GROUP BY hh.village_id""")
    # printf('%.6f') is correctly rounded (ties to even), as the spec asks.
    con.execute(f"""
        COPY (SELECT sum(required) AS required, sum(met) AS met,
                     printf('%.6f', sum(met)::DOUBLE / sum(required)) AS rate
              FROM villages)
        TO {out['summary']} (HEADER, DELIMITER ',')""")
    con.execute(f"""
        COPY (SELECT village_id, required, met, printf('%.6f', met::DOUBLE / required) AS rate
              FROM villages ORDER BY village_id)
        TO {out['villages']} (HEADER, DELIMITER ',')""")
    con.execute(f"""
        COPY (SELECT household_id, period_start
              FROM hh JOIN periods USING (residency)
              ANTI JOIN met USING (household_id, period_start)
              ORDER BY household_id, period_start)
        TO {out['missed']} (HEADER, DELIMITER ',')""")

    skipped = unknown + bad_time + outside
    print(f"duckdb: skipped {skipped} of {rows} visit rows "
          f"(unknown household {unknown}, bad time {bad_time}, outside window {outside})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
