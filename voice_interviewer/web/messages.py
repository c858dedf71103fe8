"""What the practice page may send over the WebSocket, checked before any of it is used.

Every text message is a JSON object with a known ``type`` and fields of the right type and range;
anything else is a :class:`MessageError`, which the app answers with a refusal (an error message
and a policy close), never a traceback. ``start`` opens the session; ``played``, ``done``,
``next``, ``retry`` and ``stop`` steer it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from typing import Any

# In errors.py with the rest of the tree; the app imports it from here.
from voice_interviewer.errors import MessageError
from voice_interviewer.speech.endpointing import EndpointParams

MAX_LIST = 200  # questions or categories named in a start message
MAX_NAME = 100  # a bank, question or category id
MAX_COUNT = 1000  # questions asked, or weakest picked
MAX_PROBES = 10  # probes on a missed point, per question
MAX_SECONDS = 3600.0  # end silence, longest answer, wait for an answer
MAX_AT_SAMPLE = 16_000 * 3600 * 24  # a day of audio at 16 kHz: the page's clock never gets there
SECONDS_FIELDS = {"end_silence": "end silence", "max_answer": "max answer", "wait": "wait"}


@dataclass(frozen=True)
class StartRequest:
    """The ``start`` message: which bank and questions, and the page's settings."""

    bank: str | None = None
    questions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    count: int | None = None
    weakest: int | None = None
    speak: bool = True
    follow_ups: bool = False
    probes: int = 1  # probes on a missed point per question (``live.probes``); 0: none
    # Go straight on after feedback; the page sends false and shows Next / Try again.
    auto_next: bool = True
    seconds: tuple[tuple[str, float], ...] = ()  # (end_silence | max_answer | wait, seconds)

    def endpoint(self, base: EndpointParams) -> EndpointParams:
        """``base`` with the end silence, longest answer and wait the page set (``<key>_s``)."""
        return replace(base, **{f"{key}_s": value for key, value in self.seconds})


@dataclass(frozen=True)
class Control:
    """``played`` (with the page's sample count where the question ended), ``done``, ``next``,
    ``retry`` or ``stop``."""

    type: str
    at_sample: float = 0.0


def _object(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "")
    except (ValueError, RecursionError):  # RecursionError: '[[[[...' nested past Python's stack
        raise MessageError("a message must be JSON") from None
    if not isinstance(data, dict):
        raise MessageError("a message must be a JSON object with a 'type'")
    return data


def _names(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value in (None, ""):
        return ()
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise MessageError(f"'{key}' must be a list of at most {MAX_LIST} names")
    if not all(isinstance(v, str) and 0 < len(v) <= MAX_NAME for v in value):
        raise MessageError(f"'{key}' must hold names of 1 to {MAX_NAME} characters")
    return tuple(value)


def _whole(data: dict, key: str) -> int | None:
    value = data.get(key)
    if value in (None, "", 0, False):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_COUNT:
        raise MessageError(f"'{key}' must be a whole number from 1 to {MAX_COUNT}")
    return value


def _probes(data: dict) -> int:
    """``probes``: absent means the default (1); else a whole number from 0 to ``MAX_PROBES``."""
    value = data.get("probes")
    if value in (None, ""):
        return StartRequest.probes
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PROBES:
        raise MessageError(f"'probes' must be a whole number from 0 to {MAX_PROBES}")
    return value


def _flag(data: dict, key: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool | int) or isinstance(value, int) and value not in (0, 1):
        raise MessageError(f"'{key}' must be true or false")
    return bool(value)


def _number(value: Any) -> float | None:
    """A finite number from a JSON number or numeric text; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and len(value) <= 32:
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int) and abs(value) > 2**53:  # float() of 10**400 would overflow
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def parse_start(text: str | None) -> StartRequest:
    data = _object(text)
    if data.get("type") != "start":
        raise MessageError("the first message must be 'start'")
    bank = data.get("bank")
    if bank in (None, ""):
        bank = None
    elif not isinstance(bank, str) or len(bank) > MAX_NAME:
        raise MessageError(f"'bank' must be a bank id of at most {MAX_NAME} characters")
    seconds = []
    for key, label in SECONDS_FIELDS.items():
        if data.get(key) in (None, ""):
            continue
        v = _number(data[key])
        if v is None or not 0 < v <= MAX_SECONDS:
            raise MessageError(f"{label} must be between 0 and {MAX_SECONDS:g} seconds")
        seconds.append((key, v))
    return StartRequest(
        bank=bank,
        questions=_names(data, "questions"),
        categories=_names(data, "categories"),
        count=_whole(data, "count"),
        weakest=_whole(data, "weakest"),
        speak=_flag(data, "speak", True),
        follow_ups=_flag(data, "follow_ups", False),
        probes=_probes(data),
        auto_next=_flag(data, "auto_next", True),
        seconds=tuple(seconds),
    )


def parse_control(text: str | None) -> Control:
    data = _object(text)
    kind = data.get("type")
    if kind in ("done", "next", "retry", "stop"):
        return Control(kind)
    if kind == "played":
        at = _number(data.get("at_sample"))
        if at is None or not 0 <= at <= MAX_AT_SAMPLE:
            raise MessageError(f"'at_sample' must be a sample count from 0 to {MAX_AT_SAMPLE}")
        return Control(kind, at)
    shown = kind if isinstance(kind, str) and len(kind) <= 40 else type(kind).__name__
    raise MessageError(f"unknown message {shown!r}")
