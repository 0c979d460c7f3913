#!/usr/bin/env python3
"""A township analyst's first look, with minqing and matplotlib.

    python examples/python/analysis.py DIR [--year 2024] [--end 2024-06-30] [--out charts/] [--top 5]

Loads a township exported as CSV (``units.csv``, ``households.csv``,
``cadres.csv``, ``assignments.csv``, ``visits.csv``; for instance the
synthetic township of ``cargo run --release --example township --
--write-csv DIR``) and, when present, its request histories
``DIR/requests.jsonl`` (one event a line, as ``RequestLog.to_jsonl`` writes).
Prints the villages and cadres with the worst visit compliance ("four fixed,
three arrivals", seed 001) over the year and the request figures, and saves
two PNG charts: compliance by village, and requests by track and status.

Every figure comes from minqing; this script only sorts, prints and draws.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pyarrow as pa  # noqa: E402

import minqing  # noqa: E402


def pct(rate: float | None) -> str:
    return "   n/a" if rate is None else f"{100 * rate:5.1f}%"


def worst(rows: list[dict], key: str, top: int) -> list[dict]:
    """The `top` rows with the lowest rate (nothing required last), then by ID."""
    return sorted(rows, key=lambda r: (r["rate"] is None, r["rate"] or 0.0, r[key]))[:top]


def load_requests(path: pathlib.Path) -> list[minqing.RequestLog]:
    if not path.exists():
        return []
    return minqing.RequestLog.from_jsonl(path.read_text(encoding="utf-8"), file=path.name)


def chart_villages(rows: list[dict], out: pathlib.Path) -> None:
    rows = sorted(rows, key=lambda r: r["village_id"])
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(rows)), 4.0))
    rates = [100 * (r["rate"] or 0.0) for r in rows]
    ax.bar([r["village_id"] for r in rows], rates, color="#b03a2e")
    ax.set_ylim(0, 100)
    ax.set_ylabel("periods met (%)")
    ax.set_title("Visit compliance by village (four fixed, three arrivals)")
    ax.tick_params(axis="x", labelrotation=60)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def chart_requests(states: list[dict], out: pathlib.Path) -> None:
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for s in states:
        counts[s["track"] or "untriaged"][s["stage"]] += 1
    tracks = sorted(counts)
    stages = sorted({st for c in counts.values() for st in c})
    fig, ax = plt.subplots(figsize=(7.0, 4.0))
    bottom = [0] * len(tracks)
    for st in stages:
        heights = [counts[t][st] for t in tracks]
        ax.bar(tracks, heights, bottom=bottom, label=st)
        bottom = [b + h for b, h in zip(bottom, heights)]
    if not states:
        ax.text(0.5, 0.5, "no requests", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(title="status", fontsize="small")
    ax.set_ylabel("requests")
    ax.set_title("Requests by track and status")
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=pathlib.Path)
    ap.add_argument("--year", type=int, default=2024,
                    help="the calendar year measured (default 2024)")
    ap.add_argument("--end", type=datetime.date.fromisoformat,
                    help="measure up to this day instead of 31 December (e.g. the export's date)")
    ap.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."))
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--encoding", default="utf8")
    a = ap.parse_args(argv)

    ds, problems = minqing.read_csv_dir(a.dir, encoding=a.encoding)
    print(ds)
    for p in problems[:10]:
        print(f"  {p.severity}: {p.code} at {p.location.file}:{p.location.line}: {p.message_en}")
    start = datetime.date(a.year, 1, 1)
    end = a.end or datetime.date(a.year, 12, 31)
    c = ds.compliance("four_fixed_three_arrivals", start=start, end=end)
    print(f"\n{start} to {end}: {c.met} of {c.required} required periods met ({pct(c.rate).strip()})")

    villages = pa.table(c.villages).to_pylist()
    print(f"\nWorst {a.top} villages:")
    for v in worst(villages, "village_id", a.top):
        print(f"  {v['village_id']:<12} {pct(v['rate'])}  ({v['met']} of {v['required']})")
    cadres = [r for r in pa.table(c.by_cadre()).to_pylist() if r["cadre_id"]]
    print(f"\nWorst {a.top} cadres (periods charged to the cadre assigned on their last day):")
    for r in worst(cadres, "cadre_id", a.top):
        print(f"  {r['cadre_id']:<12} {pct(r['rate'])}  ({r['met']} of {r['required']})")

    logs = load_requests(a.dir / "requests.jsonl")
    states = [log.state for log in logs]
    if logs:
        now = datetime.datetime.combine(end, datetime.time(23, 59, 59))
        m = minqing.request_metrics(logs, now)
        res = m["resolution"]
        print(f"\nRequests: {m['collected']} collected, {res['numerator']} resolved, "
              f"{m['open']} open, {m['overdue']} overdue, {m['escalated']} escalated")
    else:
        print("\nRequests: none (no requests.jsonl)")

    a.out.mkdir(parents=True, exist_ok=True)
    chart_villages(villages, a.out / "compliance_by_village.png")
    chart_requests(states, a.out / "requests_by_track_and_status.png")
    print(f"\ncharts: {a.out / 'compliance_by_village.png'}, "
          f"{a.out / 'requests_by_track_and_status.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
