"""minqing 民情: household contact work in rural China.

Which cadre covers which household, how often each household must be
visited, what residents raise at the door, and how well a township is
doing. The rules live in a Rust core; this package is a thin binding over
it, so that the same inputs give the same outputs in Rust, Python and the
browser.

>>> import datetime, minqing
>>> ds = minqing.Dataset.from_json('{"schema": "minqing/1", "households": '
...     '[{"household_id": "H1", "village_id": "V9", "residency": "resident"}]}')
>>> [p.code for p in ds.validate(datetime.date(2024, 6, 30))]
['household.unknown_village']
"""

from minqing._minqing import (
    Compliance,
    Coverage,
    Dataset,
    DueList,
    Error,
    InputError,
    Location,
    Policy,
    Presence,
    PresenceRule,
    ParseError,
    Problem,
    RequestLog,
    Table,
    TransitionError,
    ValidationError,
    __version__,
    compliance_arrow,
    compliance_csv,
    due_list,
    escalations_due,
    ical,
    intake_ledgers,
    ledger_and_lists,
    meetings_due,
    open_requests_for_cadre,
    read_csv_dir,
    request_metrics,
    request_metrics_table,
    request_signal,
    request_signals,
    requests_from_arrow,
    station_presence,
)

__all__ = [
    "Compliance",
    "Coverage",
    "Dataset",
    "DueList",
    "Error",
    "InputError",
    "Location",
    "Policy",
    "Presence",
    "PresenceRule",
    "ParseError",
    "Problem",
    "RequestLog",
    "Table",
    "TransitionError",
    "ValidationError",
    "__version__",
    "compliance_arrow",
    "compliance_csv",
    "due_list",
    "escalations_due",
    "ical",
    "intake_ledgers",
    "ledger_and_lists",
    "meetings_due",
    "open_requests_for_cadre",
    "read_csv_dir",
    "request_metrics",
    "request_metrics_table",
    "request_signal",
    "request_signals",
    "requests_from_arrow",
    "station_presence",
]
