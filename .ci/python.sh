#!/usr/bin/env bash
# The Python binding's CI step: builds the package `minqing` from
# bindings-python/ into a virtual environment, runs its pytest suite (which
# replays the shared vectors) and checks the .pyi stubs against the built
# module with mypy's stubtest. Works on a fresh machine with Rust and
# Python 3.9+; installs only what is missing. Run from anywhere.
#
#   MINQING_VENV=path      the virtual environment (default: target/ci-venv)
#   PYTHON=python3         the interpreter that creates it
#   MINQING_PY_RELEASE=1   build with --release (default: the dev profile,
#                          which shares compiled crates with `cargo test`)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$SECONDS

venv=${MINQING_VENV:-target/ci-venv}
python=${PYTHON:-python3}
requirements=(
  "maturin>=1.16,<2"
  "pytest>=7"
  "mypy>=1.10"
  "pyarrow>=14"
  "polars>=1"
  "pandas<3"
  "numpy"
  # The scale-out example and its test (tests/test_spark.py). pip builds
  # pyspark from a 456 MB source archive, about 2 minutes, once; PySpark 4
  # needs pandas<3 (shared/TOOLCHAIN.md). Skipped when already installed.
  "pyspark>=3.5"
  # examples/python/analysis.py
  "matplotlib>=3.5"
)

step "Python environment ($venv)"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
venv=$(cd "$venv" && pwd)
py="$venv/bin/python"
"$py" --version
missing=$("$py" - "${requirements[@]}" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
from pip._vendor.packaging.requirements import Requirement

for spec in sys.argv[1:]:
    req = Requirement(spec)
    try:
        if req.specifier.contains(version(req.name), prereleases=True):
            continue
    except PackageNotFoundError:
        pass
    print(spec)
PY
)
if [ -n "$missing" ]; then
  mapfile -t missing_list <<<"$missing"
  echo "installing: ${missing_list[*]}"
  "$py" -m pip install --no-cache-dir -q "${missing_list[@]}"
else
  echo "all requirements already satisfied"
fi

step "build and install the binding (maturin develop)"
profile=()
if [ "${MINQING_PY_RELEASE:-0}" = 1 ]; then
  profile=(--release)
fi
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop -q "${profile[@]}" \
  -m bindings-python/Cargo.toml
"$py" -c 'import minqing; print("minqing", minqing.__version__, "from", minqing.__file__)'

step "pytest"
# tests/test_spark.py and tests/test_compliance.py compare with the Rust
# benchmark job (examples/compliance.rs), built here in release once.
if [ -z "${MINQING_COMPLIANCE_BIN:-}" ]; then
  cargo build -q --release --example compliance
  export MINQING_COMPLIANCE_BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/examples/compliance"
fi
"$py" -m pytest -q -p no:cacheprovider -rs bindings-python/tests

step "type stubs (mypy stubtest, mypy --strict)"
"$py" -m mypy.stubtest minqing
"$py" -m mypy --strict --no-incremental bindings-python/python/minqing

printf '\nPython binding checks passed in %ss\n' "$((SECONDS - started))"
