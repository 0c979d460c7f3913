#!/usr/bin/env python3
"""Peer comparison: minqing's compliance job against pandas, Polars and DuckDB.

    python3 benches/peers/compare.py --households 1000000 [--runs 3] [--work DIR]
        [--tools minqing,pandas,polars,duckdb] [--markdown FILE] [--keep]
        [--require-all] [--generator PATH] [--seed 7]

1. Generates the workload of shared/spec/benchmark-workload.md with
   `<repo root>/../shared/spec/gen_workload.py` (override: --generator) into
   `--work` (default: <system temp>/minqing-peers), never inside the
   repository. A workload generated before for the same size, seed and
   generator is reused.
2. Builds `cargo build --release --example compliance` once (tool `minqing`).
3. Runs every tool K times (--runs, default 3), the tools side by side in each
   round, each run a fresh child process timed for wall time and peak memory
   (GNU time's maximum resident set size, or getrusage in a fresh wrapper
   process where GNU time is missing).
4. Checks that summary.csv, villages.csv and missed.csv of every run of every
   tool are byte for byte those of the first tool listed (the baseline); on a
   difference it names the file and the first differing line, and exits 1.
5. Prints a Markdown table (best and median wall time, peak memory, speed-up
   against the baseline) and writes it to --markdown FILE if given.

A tool that is not installed (a Python package missing, no cargo, no
examples/compliance.rs on this branch) is reported and skipped; with
--require-all that is an error. Tools: minqing, pandas, polars, duckdb, and
reference (the slow standard-library job, for small sizes).

Exit status: 0 when every tool that ran agrees byte for byte with the
baseline; 1 when outputs differ or a job (or the cargo build) failed; 2 for a
setup problem (bad arguments, no generator, --work inside the repository, a
tool missing under --require-all).
"""
import argparse
import datetime
import filecmp
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_GENERATOR = os.path.normpath(os.path.join(REPO, "..", "shared", "spec", "gen_workload.py"))
OUTPUTS = ("summary.csv", "villages.csv", "missed.csv")
DEFAULT_TOOLS = "minqing,pandas,polars,duckdb"

# Python jobs: script, and the modules it needs (the first one's version is shown).
PY_JOBS = {
    "pandas": ("pandas_job.py", ["pandas", "numpy", "pyarrow"]),
    "polars": ("polars_job.py", ["polars"]),
    "duckdb": ("duckdb_job.py", ["duckdb"]),
    "reference": ("reference_job.py", []),
}
KNOWN_TOOLS = ["minqing", *PY_JOBS]

# Used where GNU time is missing: run the command in this fresh process, so
# that RUSAGE_CHILDREN covers exactly that one child.
RUSAGE_WRAPPER = """
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    peak //= 1024  # bytes there, KiB on Linux
with open(sys.argv[1], "w") as f:
    f.write(f"0 {peak}\\n")
sys.exit(rc)
"""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg, code=2):
    """Stop before any comparison: exit 2 (a setup problem), 1 where a job failed."""
    log(f"compare: {msg}")
    sys.exit(code)


def inside(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([path, root]) == root


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- workload

# --edge-cases: a hand-made workload of corners of the spec and of formats.md (unknown
# households, empty cells, impossible dates, window edges, day 15/16, other
# date-time forms, other modes, a household with no visits, IDs that sort
# differently as strings and as numbers). reference_job.py gives required 96,
# met 11, and skips 7 of 21 rows (unknown household 2, bad time 3, outside window 2).
EDGE_HOUSEHOLDS = """\
household_id,village_id,residency,tags
H3,V2,resident,
H1,V1,resident,elderly_alone|hardship
H2,V1,away,
H10,V10,away,
H4,V2,resident,
"""
EDGE_VISITS = """\
household_id,cadre_id,at,mode
H1,C1,2024-01-15T23:59,in_person
H1,C1,2024-01-16T00:00,in_person
H1,C1,2024-02-29T12:00,in_person
H1,C1,2024-03-10T12:00,phone
H1,C1,2023-12-31T23:59,in_person
H1,C1,2025-01-01T00:00,in_person
H1,C1,2024-12-31T23:59:59,in_person
H1,C1,2024-02-30T10:00,in_person
H1,C1,2024-04-05 09:30,in_person
H1,C1,2024/5/20 8:00,in_person
H1,C1,2024-06-01T25:00,in_person
H1,C1,,in_person
H2,C1,2024-03-31T08:00,phone
H2,C1,2024-03-01T08:00,video
H2,C1,2024-04-30T08:00,at_station
H2,C1,2024-12-31T08:00,in_person
H9,C1,2024-05-05T08:00,in_person
,C1,2024-05-05T08:00,in_person
H3,C1,2024-07-16T08:00,in_person
H3,C1,2024-07-31T08:00,in_person
H10,C1,2024-01-01T00:00,phone
"""


def edge_workload(work):
    path = os.path.join(work, "workload-edge-cases")
    os.makedirs(path, exist_ok=True)
    for name, text in (("households.csv", EDGE_HOUSEHOLDS), ("visits.csv", EDGE_VISITS)):
        with open(os.path.join(path, name), "w", newline="") as f:
            f.write(text)
    return path, EDGE_VISITS.count("\n") - 1


def workload(work, generator, households, seed, python):
    """Directory holding households.csv and visits.csv, and the visit count."""
    digest = sha256(generator)
    final = os.path.join(work, f"workload-n{households}-s{seed}")
    marker = os.path.join(final, "COMPLETE.json")
    want = {"households": households, "seed": seed, "generator_sha256": digest}
    if os.path.exists(marker):
        with open(marker) as f:
            have = json.load(f)
        if {k: have.get(k) for k in want} == want:
            log(f"workload: reusing {final} ({have['visits']:,} visits)")
            return final, have["visits"]
        log(f"workload: {final} was made by another generator; regenerating")
    tmp = f"{final}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"workload: generating {households:,} households, seed {seed} (this takes a while at 1M)")
    t0 = time.perf_counter()
    done = subprocess.run([python, generator, "--households", str(households), "--seed", str(seed),
                           "--out", tmp], stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        die(f"the generator failed (exit {done.returncode})")
    with open(os.path.join(tmp, "visits.csv"), "rb") as f:
        visits = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b"")) - 1
    with open(os.path.join(tmp, "COMPLETE.json"), "w") as f:
        json.dump({**want, "visits": visits, "generator": generator}, f, indent=1)
    shutil.rmtree(final, ignore_errors=True)
    os.rename(tmp, final)
    log(f"workload: {visits:,} visits in {time.perf_counter() - t0:.0f} s -> {final}")
    return final, visits


# ---------------------------------------------------------------- tools

def python_tool(name, python):
    """(command prefix, version) of a Python job, or (None, why not)."""
    script, modules = PY_JOBS[name]
    if modules:
        probe = ("import importlib, sys\n"
                 f"mods = {modules!r}\n"
                 "vs = [importlib.import_module(m).__version__ for m in mods]\n"
                 "print(' '.join(f'{m} {v}' for m, v in zip(mods, vs)))")
        done = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        if done.returncode != 0:
            missing = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "import failed"
            return None, f"not installed ({missing}); pip install -r benches/peers/requirements.txt"
        version = done.stdout.strip()
    else:
        version = f"CPython {platform.python_version()}, standard library"
    return [python, os.path.join(HERE, script)], version


def minqing_tool():
    """(command prefix, version) of the Rust example, built once, or (None, why not)."""
    if not os.path.exists(os.path.join(REPO, "examples", "compliance.rs")):
        return None, "examples/compliance.rs is not on this branch yet"
    cargo = shutil.which("cargo")
    if cargo is None:
        return None, "cargo not found on PATH"
    log("minqing: cargo build --release --example compliance")
    done = subprocess.run([cargo, "build", "--release", "--example", "compliance",
                           "--message-format=json-render-diagnostics"],
                          cwd=REPO, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        die("cargo build --release --example compliance failed", 1)
    exe = None
    for line in done.stdout.splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "compliance" \
                and msg.get("executable"):
            exe = msg["executable"]
    if exe is None:
        exe = os.path.join(REPO, "target", "release", "examples", "compliance")
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                         capture_output=True, text=True).stdout.strip() or "?"
    return [exe], f"minqing {rev} (release)"


def gnu_time():
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    done = subprocess.run([path, "--version"], capture_output=True, text=True)
    return path if "GNU" in done.stdout + done.stderr else None


# ---------------------------------------------------------------- running

def run_once(prefix, in_dir, out_dir, python, timer):
    """One run: (return code, wall seconds, peak RSS KiB, stderr text)."""
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    stats = out_dir + ".time"
    cmd = [*prefix, in_dir, out_dir]
    if timer:
        cmd = [timer, "-f", "%e %M", "-o", stats, *cmd]
    else:
        cmd = [python, "-c", RUSAGE_WRAPPER, stats, *cmd]
    with open(out_dir + ".stderr", "w+") as err:
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=err)
        wall = time.perf_counter() - t0
        err.seek(0)
        stderr = err.read()
    peak = None
    if os.path.exists(stats):
        with open(stats) as f:
            lines = [x for x in f.read().splitlines() if x.strip()]
        if lines:
            try:
                peak = int(lines[-1].split()[1])
            except (IndexError, ValueError):
                pass
        os.remove(stats)
    return rc, wall, peak, stderr


def first_difference(a, b):
    """Where files a and b first differ: (line number, line of a, line of b)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        number = 0
        while True:
            la, lb = fa.readline(), fb.readline()
            number += 1
            if la != lb:
                return number, la or b"<end of file>", lb or b"<end of file>"
            if not la:
                return None, b"", b""


def check(baseline_dir, out_dir, base_name, name):
    """Problems (strings) found comparing out_dir's outputs with the baseline's."""
    problems = []
    for f in OUTPUTS:
        a, b = os.path.join(baseline_dir, f), os.path.join(out_dir, f)
        if not os.path.exists(b):
            problems.append(f"{name} wrote no {f}")
            continue
        if filecmp.cmp(a, b, shallow=False):
            continue
        line, la, lb = first_difference(a, b)
        if line is not None:
            problems.append(f"{f} differs from {base_name}'s at line {line}: "
                            f"{base_name} {la[:120]!r}, {name} {lb[:120]!r}")
    return problems


# ---------------------------------------------------------------- report

def mib(kib):
    return "?" if kib is None else f"{kib / 1024:,.0f} MiB"


def table(results, baseline):
    base_best = min(results[baseline]["walls"]) if results.get(baseline, {}).get("walls") else None
    rows = ["| tool | wall best | wall median | peak memory | speed-up vs " + baseline + " | outputs |",
            "|---|---:|---:|---:|---:|---|"]
    for name, r in results.items():
        if not r["walls"]:
            rows.append(f"| {name} | - | - | - | - | {r['verdict']} |")
            continue
        best, median = min(r["walls"]), statistics.median(r["walls"])
        peaks = [p for p in r["peaks"] if p is not None]
        speed = f"{base_best / best:.2f}x" if base_best else "-"
        rows.append(f"| {name} | {best:.2f} s | {median:.2f} s | {mib(max(peaks) if peaks else None)} "
                    f"| {speed} | {r['verdict']} |")
    return "\n".join(rows)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--households", type=int, help="workload size (100000, 1000000, ...)")
    size.add_argument("--edge-cases", action="store_true",
                      help="run on a small hand-made workload of corner cases instead (exact agreement only)")
    ap.add_argument("--seed", type=int, default=7, help="generator seed (default 7, the spec's)")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool; the table shows best and median (default 3)")
    ap.add_argument("--tools", default=DEFAULT_TOOLS,
                    help=f"comma-separated, the first is the baseline (default {DEFAULT_TOOLS}; "
                         f"known: {','.join(KNOWN_TOOLS)})")
    ap.add_argument("--work", help="folder for the cached workload and the outputs, outside the repository "
                                   "(default: <system temp>/minqing-peers)")
    ap.add_argument("--keep", action="store_true", help="keep every tool's outputs of its first run in --work")
    ap.add_argument("--generator", default=DEFAULT_GENERATOR,
                    help="gen_workload.py to use (default: <repo root>/../shared/spec/gen_workload.py)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for the Python jobs and the generator")
    ap.add_argument("--markdown", help="also write the table (with its heading) to this file")
    ap.add_argument("--require-all", action="store_true", help="a tool that is not installed is an error")
    a = ap.parse_args()

    tools = []
    for t in a.tools.split(","):
        t = t.strip()
        if t and t not in tools:
            if t not in KNOWN_TOOLS:
                ap.error(f"unknown tool {t!r}; known: {', '.join(KNOWN_TOOLS)}")
            tools.append(t)
    if not tools or a.runs < 1 or (a.households is not None and a.households < 1):
        ap.error("need at least one tool, one run and one household")
    generator = os.path.abspath(a.generator)
    if not os.path.exists(generator):
        die(f"generator not found: {generator} (give --generator PATH)")
    work = os.path.abspath(a.work or os.path.join(tempfile.gettempdir(), "minqing-peers"))
    if inside(work, REPO):
        die(f"--work {work} is inside the repository; generated data stays outside it")
    os.makedirs(work, exist_ok=True)

    # Which tools can run here.
    prefixes, versions, missing = {}, {}, {}
    for t in tools:
        prefix, what = minqing_tool() if t == "minqing" else python_tool(t, a.python)
        if prefix is None:
            missing[t] = what
            log(f"{t}: SKIPPED: {what}")
        else:
            prefixes[t], versions[t] = prefix, what
    if missing and a.require_all:
        die(f"--require-all and not available: {', '.join(missing)}")
    runnable = [t for t in tools if t in prefixes]
    if not runnable:
        die("no tool to run")
    baseline = runnable[0]
    if baseline != tools[0]:
        log(f"baseline: {tools[0]} is not available, comparing against {baseline} instead")

    if a.edge_cases:
        in_dir, visits = edge_workload(work)
    else:
        in_dir, visits = workload(work, generator, a.households, a.seed, a.python)
    timer = gnu_time()
    if timer is None:
        log("peak memory: GNU time (/usr/bin/time) not found, using getrusage in a wrapper process "
            "(apt-get install time for the usual way)")
    runs_dir = os.path.join(work, f"runs-{os.getpid()}")
    os.makedirs(runs_dir)

    results = {t: {"walls": [], "peaks": [], "verdict": "not run"} for t in runnable}
    for t, why in missing.items():
        results[t] = {"walls": [], "peaks": [], "verdict": f"skipped: {why}"}
    failed = set()
    mismatch = False
    base_out = os.path.join(runs_dir, baseline, "run1")
    for r in range(1, a.runs + 1):
        for t in runnable:
            if t in failed:
                continue
            out = os.path.join(runs_dir, t, f"run{r}")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            rc, wall, peak, stderr = run_once(prefixes[t], in_dir, out, a.python, timer)
            note = stderr.strip().splitlines()[-1] if stderr.strip() else ""
            if rc != 0:
                failed.add(t)
                results[t]["verdict"] = f"FAILED (exit {rc})"
                log(f"{t} run {r}: FAILED, exit {rc}; its stderr ends:\n" + "\n".join(stderr.splitlines()[-15:]))
                if t == baseline:
                    die(f"the baseline {baseline} failed; nothing to compare against", 1)
                continue
            results[t]["walls"].append(wall)
            results[t]["peaks"].append(peak)
            log(f"{t} run {r}: {wall:.2f} s, {mib(peak)}" + (f"  [{note}]" if r == 1 and note else ""))
            if t != baseline:
                problems = check(base_out, out, baseline, t)
                if problems:
                    mismatch = True
                    results[t]["verdict"] = "DIFFERS: " + "; ".join(p.split(":")[0] for p in problems)
                    for p in problems:
                        log(f"{t} run {r}: MISMATCH: {p}")
                elif results[t]["verdict"] == "not run":
                    results[t]["verdict"] = f"identical to {baseline}"
            else:
                results[t]["verdict"] = "baseline"
            if r > 1:  # keep the first run of each tool, the baseline's for comparing
                shutil.rmtree(out, ignore_errors=True)

    with open(os.path.join(base_out, "summary.csv")) as f:
        summary = f.read().splitlines()[1]
    required, met, rate = summary.split(",")
    size = "the edge-case workload" if a.edge_cases else f"{a.households:,} households"
    heading = (f"Visit compliance, {size}, {visits:,} visits"
               + ("" if a.edge_cases else f" (seed {a.seed})") + "; "
               f"whole job (read CSV, compute, write 3 files), best and median of {a.runs} "
               f"run{'s' if a.runs > 1 else ''}, peak RSS the largest of the runs.\n"
               f"Result: required {int(required):,}, met {int(met):,}, rate {rate}.\n"
               f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()}, "
               f"load average {os.getloadavg()[0]:.1f} at the end; "
               f"{datetime.datetime.now().astimezone().isoformat(timespec='minutes')}.\n"
               "Versions: " + "; ".join(f"{t}: {v}" for t, v in versions.items()) + ".")
    text = heading + "\n\n" + table(results, baseline) + "\n"
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)

    if a.keep:
        log(f"outputs kept in {runs_dir} (first run of each tool); workload in {in_dir}")
    else:
        shutil.rmtree(runs_dir, ignore_errors=True)
    if mismatch or failed:
        log("compare: FAILED: " + ", ".join(
            [f"{t} differs from {baseline}" for t in runnable if results[t]["verdict"].startswith("DIFFERS")]
            + [f"{t} failed" for t in failed]))
        return 1
    log(f"compare: all outputs of {', '.join(runnable)} agree byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
