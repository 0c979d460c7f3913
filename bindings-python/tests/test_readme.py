"""The Python snippet of bindings-python/README.md runs as written."""

from pathlib import Path
import re

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_snippet_runs():
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has a Python snippet"
    for code in blocks:
        exec(compile(code, str(README), "exec"), {"__name__": "readme"})
