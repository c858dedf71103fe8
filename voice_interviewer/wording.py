"""Small rules of English every message shares, so each lives in one place."""

from __future__ import annotations

import os
import re

TOOL = "voice-interviewer"
# Set by ./run.sh to how it was called: after `./run.sh`, `voice-interviewer` is not on PATH.
LAUNCHER_ENV = "VOICE_INTERVIEWER_LAUNCHER"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 session``, ``2 sessions``, ``0 sessions``; ``many`` for irregular plurals."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def whole(x: float) -> int:
    """The whole number a message shows for ``x``. A verdict judges on this same number, so 129.7
    words a minute is shown as 130 and judged as 130 (within 130-160), never "130: slow"."""
    return round(x)


def coverage_sentence(hit: int, total: int) -> str:
    """How many rubric points an answer made, as feedback says it (no full stop): "You covered 2 of
    3 points", "You covered every point", and for a question with a single point that was missed
    "You missed its point", never "0 of 1 points"."""
    if hit == total:
        return "You covered every point"
    if total == 1:
        return "You missed its point"
    return f"You covered {hit} of {total} points"


def clock(seconds: float) -> str:
    """m:ss, as a player shows a time ("unclear speech at 1:05")."""
    s = int(max(0.0, seconds))
    return f"{s // 60}:{s % 60:02d}"


def tool_name() -> str:
    """How hints name the tool: ``voice-interviewer`` (installed, on PATH), or the ``./run.sh``
    that started it from a clone."""
    return os.environ.get(LAUNCHER_ENV, "").strip() or TOOL


def as_launched(text: str) -> str:
    """``text`` with its hints (`voice-interviewer review 3`) naming the tool as it was started
    (`./run.sh review 3`). Messages are written naming ``voice-interviewer``; this is the one
    place that renames them. An option hint (`voice-interviewer --help`) is left alone: run.sh
    gives options to ``practice``."""
    name = tool_name()
    return text if name == TOOL else re.sub(rf"`{TOOL} (?=[a-z])", f"`{name} ", text)
