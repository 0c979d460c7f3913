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
