"""The scale-out path: examples/python/spark_compliance.py runs the benchmark
workload on PySpark (local mode, grouped by village with applyInArrow,
minqing on each group) and must write the single-process job's three files
byte for byte."""

import shutil
import subprocess
import sys

import pytest

from conftest import REPO

SCRIPT = REPO / "examples" / "python" / "spark_compliance.py"


def test_spark_job_matches_the_single_process_job(workload_10k, rust_outputs, tmp_path):
    pytest.importorskip("pyspark", reason="pyspark is not installed (.ci/python.sh installs it)")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: Spark needs one (Java 17)")
    out = tmp_path / "spark-out"
    subprocess.run([sys.executable, str(SCRIPT), str(workload_10k), str(out),
                    "--master", "local[2]", "--partitions", "4"], check=True, timeout=600)
    for name in ("summary.csv", "villages.csv", "missed.csv"):
        assert (out / name).read_bytes() == (rust_outputs / name).read_bytes(), name
