"""examples/python/analysis.py runs on a small township folder and saves its
two charts."""

import datetime
import runpy
import sys

import pytest

import minqing
from conftest import REPO

SCRIPT = REPO / "examples" / "python" / "analysis.py"


def small_township(d):
    (d / "units.csv").write_text(
        "unit_id,kind,parent_id\nT,township,\nV1,village,T\nV2,village,T\n", encoding="utf-8")
    (d / "households.csv").write_text(
        "household_id,village_id,residency\nH1,V1,resident\nH2,V1,away\nH3,V2,resident\n",
        encoding="utf-8")
    (d / "cadres.csv").write_text("cadre_id,name\nA,李某某\nB,王某某\n", encoding="utf-8")
    (d / "assignments.csv").write_text(
        "household_id,cadre_id,from\nH1,A,2024-01-01\nH2,A,2024-01-01\nH3,B,2024-01-01\n",
        encoding="utf-8")
    (d / "visits.csv").write_text(
        "household_id,cadre_id,at,mode\nH1,A,2024-01-03T09:00,in_person\n"
        "H2,A,2024-02-03T20:00,phone\nH3,B,2024-03-01T10:00,in_person\n", encoding="utf-8")
    log = minqing.RequestLog("R1")
    at = datetime.datetime(2024, 3, 1, 10, 0)
    log.append(at, {"type": "raised", "household_id": "H3", "cadre_id": "B",
                    "category": "insurance", "channel": "visit", "summary": "pension"})
    log.append(at, {"type": "triaged", "track": "on_the_spot"})
    log.append(at, {"type": "handled_on_spot"})
    (d / "requests.jsonl").write_text(log.to_jsonl(), encoding="utf-8")


def test_analysis_prints_the_worst_and_saves_charts(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    data, out = tmp_path / "township", tmp_path / "charts"
    data.mkdir()
    small_township(data)
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), str(data), "--out", str(out), "--top", "2"])
    with pytest.raises(SystemExit) as e:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    assert e.value.code == 0
    text = capsys.readouterr().out
    assert "Worst 2 villages:" in text and "Worst 2 cadres" in text
    assert "Requests: 1 collected, 1 resolved" in text
    # V2 (one resident household, one visit) is worse than V1
    villages = text.split("Worst 2 villages:")[1].split("Worst")[0].split()
    assert villages[0] == "V2"
    for name in ("compliance_by_village.png", "requests_by_track_and_status.png"):
        png = (out / name).read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 1000
