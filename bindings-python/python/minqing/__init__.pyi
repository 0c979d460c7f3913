from minqing._minqing import Compliance as Compliance
from minqing._minqing import Coverage as Coverage
from minqing._minqing import Dataset as Dataset
from minqing._minqing import DueList as DueList
from minqing._minqing import Error as Error
from minqing._minqing import InputError as InputError
from minqing._minqing import Location as Location
from minqing._minqing import Policy as Policy
from minqing._minqing import Presence as Presence
from minqing._minqing import PresenceRule as PresenceRule
from minqing._minqing import ParseError as ParseError
from minqing._minqing import Problem as Problem
from minqing._minqing import RequestLog as RequestLog
from minqing._minqing import Table as Table
from minqing._minqing import TransitionError as TransitionError
from minqing._minqing import ValidationError as ValidationError
from minqing._minqing import __version__ as __version__
from minqing._minqing import compliance_arrow as compliance_arrow
from minqing._minqing import compliance_csv as compliance_csv
from minqing._minqing import due_list as due_list
from minqing._minqing import escalations_due as escalations_due
from minqing._minqing import ical as ical
from minqing._minqing import intake_ledgers as intake_ledgers
from minqing._minqing import ledger_and_lists as ledger_and_lists
from minqing._minqing import meetings_due as meetings_due
from minqing._minqing import open_requests_for_cadre as open_requests_for_cadre
from minqing._minqing import read_csv_dir as read_csv_dir
from minqing._minqing import request_metrics as request_metrics
from minqing._minqing import request_metrics_table as request_metrics_table
from minqing._minqing import request_signal as request_signal
from minqing._minqing import request_signals as request_signals
from minqing._minqing import requests_from_arrow as requests_from_arrow
from minqing._minqing import station_presence as station_presence

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
