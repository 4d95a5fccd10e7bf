"""libconf: C++20 SDK for telephone/VoIP audio conferencing, from Python.

Audio is mono 16-bit PCM as 1-D ``numpy.int16`` arrays throughout; levels are
dBFS (RMS relative to a full-scale square wave), gains dB, times as named
(``_ms``, ``_us``, ``_s``), rates Hz.

Errors raise :class:`LibconfError` subclasses named after the C++ error codes
(``UnknownCodec``, ``UnsupportedSampleRate``, ``ParseError``, ...); ``.code``
holds the :class:`Errc` value.

Threading: like the C++ objects, none is thread-safe; use each object from
one Python thread at a time. Heavy calls (``Mixer.mix``, ``Engine.tick``,
``Codec.encode_frames``/``decode_frames``, ``run_scenario``...) release the GIL
so other Python threads can run meanwhile.
"""

from . import _libconf
from ._libconf import *  # noqa: F401,F403  (the native API, listed in __all__ below)

__version__ = "0.1.0"

#: Exception classes by error code name, e.g. ERRORS["unknown_codec"] is UnknownCodec.
ERRORS = {name: _libconf.error_class(code) for name, code in _libconf.Errc.__members__.items() if name != "ok"}

__all__ = sorted(name for name in dir(_libconf) if not name.startswith("_")) + ["ERRORS"]


def db_between(a, b):
    """Level difference in dB between two int16 signals: rms_dbfs(a) - rms_dbfs(b)."""
    return _libconf.rms_dbfs(a) - _libconf.rms_dbfs(b)


__all__.append("db_between")
