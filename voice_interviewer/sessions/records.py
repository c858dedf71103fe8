"""What a saved session may hold: the checks an imported archive must pass and stored rows are
read by.

One set of rules for both doors a session comes in by: ``import`` refuses an archive that breaks
any of them (one line naming the field), and the store, reading rows that were damaged anyway (by
hand, by an older bug), skips what breaks them with a warning instead of letting one bad row take
every command down. Each check raises :class:`RecordError` with the path of the offending field
(``answers[2].analysis.words[5].start``) and what is wrong with it.

The analysis of an answer is stored as its ``score --json`` object (``scoring/serialization.py``
states it): ``check_analysis`` reads it back with ``Analysis.from_dict``, the one reader of that
format, and hands out the typed ``Analysis``, so whatever the store hands out, every renderer can
read. ``check_foreign_json`` adds what only a file from
elsewhere needs checking for (NaN, NUL, sizes without end).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

# Bank and question ids: the bank's own rule (lowercase letters, digits, single hyphens).
from voice_interviewer.bank.model import ID_RE

# Both live in errors.py with the rest of the tree; DamagedSessionError is re-exported here for
# store.py and older imports.
from voice_interviewer.errors import DamagedSessionError, RecordError  # noqa: F401

if TYPE_CHECKING:  # imported when an analysis is read: listing sessions needs no numpy
    from voice_interviewer.scoring.analysis import Analysis

# Demo sessions are listed, labelled, but left out of history, its averages and --weakest.
SESSION_KINDS = ("practice", "demo")
ANSWER_STATUSES = ("answered", "unanswered", "interrupted")
# endpointing.EndReason, spelled out so listing sessions does not import numpy (a test checks)
END_REASONS = ("silence", "enter", "max", "no_answer", "eof", "interrupted")
# A session's recordings folder under <data dir>/sessions: its id, or its id and a random token.
FOLDER_RE = re.compile(r"[0-9]{1,19}(?:-[0-9a-f]{8})?")
MAX_SEQ = 10_000  # answers in one session; far beyond any practice session
MAX_TEXT = 20_000  # characters in one question, prompt or title
SETTINGS_NUMBERS = ("end_silence_s", "max_answer_s", "wait_s", "grace_s")
SETTINGS_FLAGS = ("follow_ups", "speak")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fail(where: str, expected: str, value: Any) -> RecordError:
    return RecordError(where, f"expected {expected}, got {_show(value)}")


# ------------------------------------------------------------------ scalars


def is_number(value: Any) -> bool:
    """An int or a finite float; not a bool (JSON's true is not 1 here), not NaN or Infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def number(where: str, value: Any, *, optional: bool = False, minimum: float | None = None) -> None:
    if value is None and optional:
        return
    if not is_number(value) or (minimum is not None and value < minimum):
        low = "" if minimum is None else f" >= {minimum:g}"
        raise _fail(where, f"a number{low}" + (" or null" if optional else ""), value)


def integer(where: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _fail(where, f"a whole number from {lo} to {hi}", value)


def flag(where: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise _fail(where, "true or false", value)


def text(where: str, value: Any, *, optional: bool = False, limit: int = MAX_TEXT) -> None:
    """A string without NUL (it ends C strings: SQLite and file names cut there)."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise _fail(where, "a string" + (" or null" if optional else ""), value)
    if "\x00" in value:
        raise RecordError(where, "contains a NUL character")
    if len(value) > limit:
        raise RecordError(where, f"is {len(value)} characters long (at most {limit})")


def ident(where: str, value: Any) -> None:
    """A bank or question id: also part of a recording's file name, so nothing else gets in."""
    if not isinstance(value, str) or len(value) > 100 or not ID_RE.fullmatch(value):
        raise _fail(where, "an id of lowercase letters, digits and single hyphens", value)


def instant(iso: Any) -> float:
    """Seconds since the epoch of a stored timestamp (offsets differ between machines); 0 when
    it is not one."""
    try:
        return datetime.fromisoformat(iso).timestamp()
    except (ValueError, TypeError):
        return 0.0


def timestamp(where: str, value: Any, *, optional: bool = False) -> None:
    """An ISO 8601 date and time, as the store writes them (2025-11-27T09:40:12+01:00)."""
    if value is None and optional:
        return
    if isinstance(value, str) and len(value) <= 64:
        try:
            datetime.fromisoformat(value)
            return
        except ValueError:
            pass
    raise _fail(where, "an ISO date and time such as 2025-11-27T09:40:12+01:00", value)


def listing(where: str, value: Any) -> list:
    if not isinstance(value, list):
        raise _fail(where, "a list", value)
    return value


def mapping(where: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise _fail(where, "an object", value)
    return value


# ------------------------------------------------------------------ settings


def check_settings(where: str, value: Any) -> None:
    """The settings a session was recorded with: known keys typed; others any JSON value (a newer
    version may add some), shown as they are."""
    s = mapping(where, value)
    for key, v in s.items():
        at = f"{where}.{key}"
        text(at, key, limit=100)
        if key == "questions":
            for i, q in enumerate(listing(at, v)):
                text(f"{at}[{i}]", q, limit=100)
        elif key in SETTINGS_FLAGS:
            flag(at, v)
        elif key in SETTINGS_NUMBERS:
            number(at, v, optional=True, minimum=0)
        elif key == "imported_from":
            check_origin(at, v)


def check_origin(where: str, value: Any) -> None:
    """``settings.imported_from``: where an imported session came from (history dates by it)."""
    o = mapping(where, value)
    if o.get("session_id") is not None:
        integer(f"{where}.session_id", o["session_id"], 1, 2**62)
    timestamp(f"{where}.started_at", o.get("started_at"))
    timestamp(f"{where}.ended_at", o.get("ended_at"), optional=True)
    ended_after_start(where, o["started_at"], o.get("ended_at"))
    text(f"{where}.archive", o.get("archive"), optional=True, limit=1000)


# ------------------------------------------------------------------ analysis


def check_analysis(where: str, value: Any) -> Analysis:
    """The ``Analysis`` a saved ``score --json`` object describes, which every report, review and
    history can render: ``Analysis.from_dict`` reads it (the one reader of that format: types,
    required keys, what older versions may leave out)."""
    from voice_interviewer.errors import AnalysisFormatError
    from voice_interviewer.scoring.analysis import Analysis

    try:
        analysis = Analysis.from_dict(value)
    except AnalysisFormatError as exc:
        field, _, problem = str(exc).partition(": ")
        raise RecordError(where + field.removeprefix("analysis"), problem) from None
    # Beyond its type, a value every listing averages: a fraction (1e308 would show as inf%).
    coverage = analysis.rubric.coverage
    if not 0 <= coverage <= 1:
        raise _fail(f"{where}.rubric.coverage", "a fraction from 0 to 1", coverage)
    return analysis


def ended_after_start(where: str, started_at: str, ended_at: str | None) -> None:
    """A session cannot end before it started (checked timestamps, compared as instants)."""
    if ended_at is not None and instant(ended_at) < instant(started_at):
        raise RecordError(f"{where}.ended_at", f"{ended_at} is before started_at {started_at}")


MAX_DEPTH = 12  # an analysis nests objects in lists in objects, five deep at most


def check_foreign_json(where: str, value: Any, depth: int = 0) -> None:
    """Beyond types, what a file from elsewhere must not smuggle in: NaN or infinite numbers,
    NUL characters, strings or lists without end, nesting without end."""
    if depth > MAX_DEPTH:
        raise RecordError(where, "is nested too deeply")
    if isinstance(value, str):
        text(where, value, limit=10**6)
    elif isinstance(value, float) and not math.isfinite(value):
        raise _fail(where, "a finite number", value)
    elif isinstance(value, dict):
        for k, v in value.items():
            check_foreign_json(f"{where}.{k}", v, depth + 1)
    elif isinstance(value, list):
        if len(value) > 10**6:
            raise RecordError(where, f"has {len(value)} items")
        for i, v in enumerate(value):
            check_foreign_json(f"{where}[{i}]", v, depth + 1)


# ------------------------------------------------------------------ stored rows


def read_session_row(row: Mapping[str, Any]) -> dict:
    """Checks a ``sessions`` row as SQLite gives it back; returns its settings."""
    for key in ("bank_id", "bank_title", "model"):
        text(key, row[key])
    timestamp("started_at", row["started_at"])
    timestamp("ended_at", row["ended_at"], optional=True)
    if row["kind"] not in SESSION_KINDS:
        raise _fail("kind", " or ".join(SESSION_KINDS), row["kind"])
    if not isinstance(row["folder"], str) or not FOLDER_RE.fullmatch(row["folder"]):
        raise _fail("folder", "a folder name such as 12 or 12-0af3c9e1", row["folder"])
    settings = _json("settings", row["settings"])
    check_settings("settings", settings)
    return settings


def read_answer_row(row: Mapping[str, Any]) -> None:
    """Checks an ``answers`` row (all but its analysis: see ``read_analysis``)."""
    integer("seq", row["seq"], 0, 2**62)
    for key in ("question_id", "question_text", "category", "prompt_text", "wav_path"):
        text(key, row[key])
    if row["follow_up_of"] is not None:
        integer("follow_up_of", row["follow_up_of"], 0, 2**62)
    integer("attempt", row["attempt"], 1, 2**62)
    if row["status"] not in (*ANSWER_STATUSES, "recording"):
        raise _fail("status", " or ".join(ANSWER_STATUSES), row["status"])
    if row["end_reason"] is not None and row["end_reason"] not in END_REASONS:
        raise _fail("end_reason", " or ".join(END_REASONS), row["end_reason"])


def read_analysis(stored: Any) -> Analysis | None:
    """The analysis of a stored answer (JSON text or NULL), read back typed."""
    if stored is None or stored == "":
        return None
    return check_analysis("analysis", _json("analysis", stored))


def _json(where: str, stored: Any) -> Any:
    if not isinstance(stored, str):
        raise _fail(where, "JSON text", stored)
    try:
        return json.loads(stored)
    except (ValueError, RecursionError) as exc:
        raise RecordError(where, f"is not valid JSON ({type(exc).__name__})") from None
