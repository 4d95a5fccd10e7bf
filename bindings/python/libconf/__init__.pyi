"""libconf: C++20 SDK for telephone/VoIP audio conferencing, from Python (see docs/python.md)."""

from typing import Dict, Type

from ._libconf import *  # noqa: F401,F403
from ._libconf import LibconfError, Samples

__version__: str
#: Exception classes by error code name, e.g. ERRORS["unknown_codec"] is UnknownCodec.
ERRORS: Dict[str, Type[LibconfError]]

def db_between(a: Samples, b: Samples) -> float:
    """Level difference in dB between two int16 signals: rms_dbfs(a) - rms_dbfs(b)."""
