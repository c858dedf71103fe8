"""Filled pauses Whisper leaves out ("um", "uh"): found from voice activity, confirmed by a short decode.

Whisper's transcripts drop filled pauses, but the speaker's voice is still there: voice activity says
someone is speaking and no transcribed word covers the time. Each such uncovered stretch is a
candidate; it is decoded on its own with a disfluent prompt (which makes Whisper write "Um," for a
filled pause), and kept as a filled pause only when the decode starts with one. Breaths, noise and
words whose timestamps Whisper misplaced decode as nothing or as ordinary words and are dropped.
The main transcript is never re-decoded, so its word error rate is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .fillers import FILLED_PAUSES
from .timeline import Filler, Span, Word, normalize_token

SAMPLE_RATE = 16000
MIN_CANDIDATE_S = 0.2  # shorter leftovers are word edges, not a filled pause
MAX_CANDIDATE_S = 2.5  # longer ones are lost words or noise
CLIP_PAD_S = 0.1
DISFLUENT_PROMPT = (
    "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, er, um."
)


class Labeler(Protocol):
    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str: ...


def uncovered_speech(
    speech: Sequence[Span], words: Sequence[Word], min_s: float = MIN_CANDIDATE_S
) -> list[Span]:
    """Parts of speech spans that no word covers, at least ``min_s`` long (pure)."""
    out: list[Span] = []
    ordered = sorted(words, key=lambda w: w.start)
    for s in speech:
        cursor = s.start
        for w in ordered:
            if w.end <= cursor or w.start >= s.end:
                continue
            if w.start - cursor >= min_s:
                out.append(Span(round(cursor, 3), round(w.start, 3)))
            cursor = max(cursor, w.end)
        if s.end - cursor >= min_s:
            out.append(Span(round(cursor, 3), round(s.end, 3)))
    return out


def first_filled_pause(text: str) -> str | None:
    """The filler token that opens a decode ("Um, so" -> "um"), or None."""
    tokens = [normalize_token(t) for t in text.split()]
    tokens = [t for t in tokens if t]
    if tokens and tokens[0] in FILLED_PAUSES:
        return tokens[0]
    return None


def detect_filled_pauses(
    audio: np.ndarray, speech: Sequence[Span], words: Sequence[Word], labeler: Labeler
) -> list[Filler]:
    found: list[Filler] = []
    for c in uncovered_speech(speech, words):
        if c.duration > MAX_CANDIDATE_S:
            continue
        a = max(0, int((c.start - CLIP_PAD_S) * SAMPLE_RATE))
        b = min(len(audio), int((c.end + CLIP_PAD_S) * SAMPLE_RATE))
        token = first_filled_pause(labeler.label(audio[a:b], prompt=DISFLUENT_PROMPT))
        if token:
            found.append(Filler(token, c.start, c.end, "filled_pause"))
    return found
