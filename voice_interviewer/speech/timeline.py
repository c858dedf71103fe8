"""Typed values that flow between the pipeline stages.

Times are seconds from the start of the recording. Stages never mutate these; they return new ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# The one sample rate of the whole pipeline: every recording is decoded, captured, written and
# scored as 16 kHz mono (what Whisper and the Silero VAD take), so sample indexes and seconds
# convert with this one number everywhere.
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Span:
    """A stretch of time, e.g. detected speech or a silent pause."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def overlap(self, other: Span) -> float:
        return max(0.0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Word:
    """One transcribed word as Whisper wrote it (with punctuation), with refined timing."""

    text: str
    start: float
    end: float
    probability: float = 1.0

    @property
    def norm(self) -> str:
        """Lower-case, without surrounding punctuation: what matching and counting use."""
        return normalize_token(self.text)


FillerKind = Literal["filled_pause", "lexical"]


@dataclass(frozen=True)
class Filler:
    """A filler: a filled pause (um, uh, er, ah, hmm) or a lexical filler used as one (like,
    so...)."""

    text: str
    start: float
    end: float
    kind: FillerKind


@dataclass(frozen=True)
class Repetition:
    """A repeated word or restart, e.g. "I I think" or "it was, it was"."""

    text: str
    start: float
    end: float


_STRIP = " \t\n\"'“”‘’.,!?;:()[]{}…-–—"


def normalize_token(text: str) -> str:
    """Lower-case a token and drop surrounding punctuation; keeps inner apostrophes and hyphens."""
    return text.strip(_STRIP).lower().replace("’", "'")


# Whisper splits a hyphenated word into "Cross" + "-validation" and may give punctuation its own
# word: those join the word before them without a space.
_ATTACHES = re.compile(r"[-\u2010\u2011\u2013\u2014]\w|[,.;:!?%)\]}\u2026]+$")


def attaches_to_previous(text: str) -> bool:
    """Whether a word is written against the one before it ("-validation", ",", "%")."""
    return _ATTACHES.match(text) is not None


def join_words(texts: Iterable[str]) -> str:
    """The words as text: "Cross" "-validation" -> "Cross-validation", "trade-" "off" ->
    "trade-off", otherwise one space between words."""
    out, prev = "", ""
    for text in texts:
        hyphen_before = len(prev) > 1 and prev.endswith(("-", "\u2010"))
        glue = not out or attaches_to_previous(text) or hyphen_before
        out += text if glue else " " + text
        prev = text
    return out


# Filled pauses in any spelling Whisper uses for them, however drawn out: um, umm, uhm, uh, uhh,
# er, err, erm, eh, ah, ahh, hm, hmm, mm, mmm.
_FILLED_PAUSE = re.compile(r"u+h+|u+h*m+|e+r+m*|e+h+|a+h+|h+m+|m{2,}")


def is_filled_pause_token(norm: str) -> bool:
    """Whether a normalized token ("umm", "err") is a filled pause."""
    return _FILLED_PAUSE.fullmatch(norm) is not None
