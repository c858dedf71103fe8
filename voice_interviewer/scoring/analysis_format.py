"""Left for the live front end only: ``as_analysis`` while live/feedback.py and live/spoken.py still
accept the ``score --json`` dict beside an ``Analysis``.

Everything else carries ``Analysis`` (the store, the reports, the CLI); the format itself is stated
in ``serialization``, and each type reads and writes its own part. Delete this module once the
live package passes ``Analysis`` end to end (issue 27).
"""

from __future__ import annotations

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.serialization import AnalysisDict

__all__ = ["as_analysis"]


def as_analysis(a: Analysis | AnalysisDict) -> Analysis:
    """``a`` itself, or the analysis the ``to_dict`` object ``a`` describes."""
    return a if isinstance(a, Analysis) else Analysis.from_dict(a)
