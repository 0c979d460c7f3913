from minqing._minqing import Dataset as Dataset
from minqing._minqing import Error as Error
from minqing._minqing import Location as Location
from minqing._minqing import ParseError as ParseError
from minqing._minqing import Problem as Problem
from minqing._minqing import Table as Table
from minqing._minqing import TransitionError as TransitionError
from minqing._minqing import ValidationError as ValidationError
from minqing._minqing import __version__ as __version__

__all__ = [
    "Dataset",
    "Error",
    "Location",
    "ParseError",
    "Problem",
    "Table",
    "TransitionError",
    "ValidationError",
    "__version__",
]
