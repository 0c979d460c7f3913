#!/usr/bin/env python3
"""The benchmark job of ``shared/spec/benchmark-workload.md`` from Python, on
one machine: the twin of ``cargo run --release --example compliance``.

    python examples/python/compliance.py IN_DIR OUT_DIR

Reads ``IN_DIR/households.csv`` and ``IN_DIR/visits.csv`` with
``minqing.compliance_csv`` (the core's columnar loader, every core, the GIL
released), and writes ``summary.csv``, ``villages.csv`` and ``missed.csv``
exactly as the spec says, through pyarrow. Prints the skipped rows and the
time of each phase on stderr. Its outputs are byte-identical to the Rust
job's (bindings-python/tests/test_compliance.py checks it at 10k
households).
"""

from __future__ import annotations

import datetime
import pathlib
import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv

import minqing


def rate_text(met: int, required: int) -> str:
    return f"{met / required:.6f}" if required else ""


def write_outputs(out: pathlib.Path, c: minqing.Compliance) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "summary.csv", "w", encoding="utf-8", newline="") as f:
        f.write(f"required,met,rate\n{c.required},{c.met},{rate_text(c.met, c.required)}\n")
    villages = pa.table(c.villages)
    with open(out / "villages.csv", "w", encoding="utf-8", newline="") as f:
        f.write("village_id,required,met,rate\n")
        for v, r, m in zip(villages.column("village_id").to_pylist(),
                           villages.column("required").to_pylist(),
                           villages.column("met").to_pylist()):
            f.write(f"{v},{r},{m},{rate_text(m, r)}\n")
    missed = pa.table(c.missed).select(["household_id", "period_start"])
    # pyarrow's CSV writer, unquoted: IDs hold no commas or quotes (they are
    # validated), dates are written as ISO dates.
    with open(out / "missed.csv", "wb") as f:
        f.write(b"household_id,period_start\n")
        pacsv.write_csv(missed, f, write_options=pacsv.WriteOptions(
            include_header=False, quoting_style="none"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: compliance.py IN_DIR OUT_DIR", file=sys.stderr)
        return 2
    in_dir, out = pathlib.Path(argv[0]), pathlib.Path(argv[1])
    t0 = time.perf_counter()
    c = minqing.compliance_csv(in_dir, start=datetime.date(2024, 1, 1),
                               end=datetime.date(2024, 12, 31))
    t1 = time.perf_counter()
    for name, counts in c.skipped.items():
        print(f"{name}.csv: {counts}", file=sys.stderr)
    for p in c.problems[:10]:
        print(f"  {p.code} at {p.location.file}:{p.location.line}", file=sys.stderr)
    write_outputs(out, c)
    t2 = time.perf_counter()
    print(f"required {c.required}, met {c.met}, rate {rate_text(c.met, c.required)}", file=sys.stderr)
    print(f"times: read and compute {t1 - t0:.3f} s, write {t2 - t1:.3f} s, "
          f"total {t2 - t0:.3f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
