"""Shared fixtures of the minqing Python test suite."""

import json
from pathlib import Path

import pytest

import minqing

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"


@pytest.fixture
def township_doc() -> dict:
    """A small, valid township as a ``minqing/1`` document."""
    return {
        "schema": "minqing/1",
        "units": [
            {"unit_id": "T", "kind": "township"},
            {"unit_id": "V1", "kind": "village", "parent_id": "T", "population": 480},
        ],
        "households": [
            {"household_id": "H1", "village_id": "V1", "residency": "resident",
             "tags": ["elderly_alone", "hardship"], "members": 2,
             "registered_on": "2024-01-05"},
            {"household_id": "H2", "village_id": "V1", "residency": "away"},
        ],
        "cadres": [{"cadre_id": "A", "name": "李某某", "max_households": 70}],
        "assignments": [
            {"household_id": "H1", "cadre_id": "A", "from": "2024-01-05"},
            {"household_id": "H2", "cadre_id": "A", "from": "2024-01-01", "to": "2024-12-31"},
        ],
        "visits": [
            {"household_id": "H1", "cadre_id": "A", "at": "2024-03-01T09:30:00",
             "mode": "in_person", "signed": True},
            {"household_id": "H2", "cadre_id": "A", "at": "2024-03-02T20:00:00",
             "mode": "phone", "note": "在外务工"},
        ],
    }


@pytest.fixture
def township(township_doc: dict) -> minqing.Dataset:
    return minqing.Dataset.from_json(json.dumps(township_doc))


GEN_WORKLOAD = REPO.parent / "shared" / "spec" / "gen_workload.py"


def write_outputs(out_dir: Path, c: "minqing.Compliance") -> None:
    """The benchmark job's three files (shared/spec/benchmark-workload.md)
    from a ``Compliance``: what examples/compliance.rs writes."""
    import pyarrow as pa

    def rate(met: int, required: int) -> str:
        return f"{met / required:.6f}" if required else ""

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.csv").write_text(
        f"required,met,rate\n{c.required},{c.met},{rate(c.met, c.required)}\n", encoding="utf-8")
    lines = ["village_id,required,met,rate\n"]
    for v in pa.table(c.villages).to_pylist():
        lines.append(f"{v['village_id']},{v['required']},{v['met']},{rate(v['met'], v['required'])}\n")
    (out_dir / "villages.csv").write_text("".join(lines), encoding="utf-8")
    missed = pa.table(c.missed)
    ids = missed.column("household_id").to_pylist()
    starts = missed.column("period_start").cast(pa.string()).to_pylist()
    (out_dir / "missed.csv").write_text(
        "household_id,period_start\n" + "".join(f"{h},{s}\n" for h, s in zip(ids, starts)),
        encoding="utf-8")


@pytest.fixture(scope="session")
def workload_10k(tmp_path_factory) -> Path:
    """The benchmark workload at 10,000 households (seed 7), generated with
    shared/spec/gen_workload.py (numpy)."""
    import subprocess
    import sys

    pytest.importorskip("numpy")
    if not GEN_WORKLOAD.exists():
        pytest.skip(f"the workload generator is not at {GEN_WORKLOAD}")
    out = tmp_path_factory.mktemp("workload-10k")
    subprocess.run([sys.executable, str(GEN_WORKLOAD), "--households", "10000", "--seed", "7",
                    "--out", str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def rust_outputs(workload_10k: Path, tmp_path_factory) -> Path:
    """The three outputs of the single-process Rust job (examples/compliance.rs)
    on the 10k workload: `MINQING_COMPLIANCE_BIN` if set, else
    `cargo run --release --example compliance`."""
    import os
    import shutil
    import subprocess

    out = tmp_path_factory.mktemp("rust-out")
    binary = os.environ.get("MINQING_COMPLIANCE_BIN")
    if binary:
        cmd = [binary]
    elif shutil.which("cargo"):
        cmd = ["cargo", "run", "--quiet", "--release", "--example", "compliance", "--"]
    else:
        pytest.skip("no cargo and no MINQING_COMPLIANCE_BIN: cannot run the Rust job")
    subprocess.run(cmd + [str(workload_10k), str(out)], check=True, cwd=REPO)
    return out
