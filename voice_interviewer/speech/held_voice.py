"""Filled pauses voice activity does not call speech: a held "hmm", "mm", or a long "umm" alone.

Silero VAD is trained to find speech, and a closed-mouth hum is not speech to it: on real
recordings a "hm" 30-40 dB above the background gets speech probabilities of 0.01-0.3, so it lies
outside every speech span, no stretch holds it, and the stretch-by-stretch recognizer never sees
it. This pass looks at the whole recording instead: a *held sound* is a run of frames that are not
quiet (``breaks.quiet_frames``: the same rule that finds silences inside speech) lying wholly
outside the speech spans, that starts with an onset of its own (a dip of ``breaks.DIP_DB`` from the
speech before it; without one it is the tail of that speech, e.g. the "mmm" of an "umm" whose
vowel was speech). It is a filled pause when it is

- voiced: the median autocorrelation peak at a pitch lag is at least ``VOICING`` (breaths, noise
  and most laughter are not; a filled pause is a vowel or a hum);
- steady: ``sound_measures.spectral_stationarity`` at least ``MIN_STATIONARITY`` (one sound held,
  not the changing sounds of words or of "ha-ha-ha");
- and the disfluent decode of it opens with a filled pause ("Mm.", "Um,").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voice_interviewer.speech.breaks import DIP_DB, FRAME, frame_levels, quiet_frames
from voice_interviewer.speech.filled_pauses import (
    DISFLUENT_PROMPT,
    MAX_CANDIDATE_S,
    MIN_CANDIDATE_S,
    MIN_STATIONARITY,
    Labeler,
    clip_of,
    first_filled_pause,
)
from voice_interviewer.speech.sound_measures import VOICING, spectral_stationarity, voicing
from voice_interviewer.speech.timeline import SAMPLE_RATE, Filler, Span


def held_sounds(samples: np.ndarray, speech: Sequence[Span]) -> list[Span]:
    """Sounds outside the speech spans, ``MIN_CANDIDATE_S``-``MAX_CANDIDATE_S`` long, that start
    with an onset of their own (pure; times from the start of ``samples``)."""
    quiet, times = quiet_frames(samples, speech)
    n = len(quiet)
    if n == 0:
        return []
    level = frame_levels(samples)
    step = FRAME / SAMPLE_RATE
    outside = np.ones(n, dtype=bool)
    for s in speech:
        outside &= ~((times + step > s.start) & (times < s.end))
    out: list[Span] = []
    i = 0
    while i < n:
        if quiet[i] or not outside[i]:
            i += 1
            continue
        j = i
        while j < n and outside[j] and not quiet[j]:
            j += 1
        span = Span(round(float(times[i]), 3), round(float(times[i]) + (j - i) * step, 3))
        if MIN_CANDIDATE_S <= span.duration <= MAX_CANDIDATE_S and _has_onset(level, quiet, i, j):
            out.append(span)
        i = j
    return out


def _has_onset(level: np.ndarray, quiet: np.ndarray, i: int, j: int) -> bool:
    """Whether the run [i, j) starts after silence, or after a dip well below its own level."""
    if i == 0 or quiet[i - 1]:
        return True
    own = float(np.median(level[i:j]))
    before = level[max(0, i - 15) : i + 5]  # the 0.2 s around the run's start
    return float(before.min()) <= own - DIP_DB


def detect_held_fillers(
    audio: np.ndarray, speech: Sequence[Span], covered: Sequence[Span], labeler: Labeler
) -> list[Filler]:
    """Filled pauses among the held sounds that no word or filler already covers."""
    heard: list[Span] = []
    for c in held_sounds(audio, speech):
        if any(x.start < c.end and c.start < x.end for x in covered):
            continue
        sound = clip_of(audio, c, 0.0)
        if voicing(sound) < VOICING or spectral_stationarity(sound) < MIN_STATIONARITY:
            continue
        heard.append(c)
    decodes = labeler.label_many([clip_of(audio, c) for c in heard], prompt=DISFLUENT_PROMPT)
    return [
        Filler(token, c.start, c.end, "filled_pause")
        for c, decode in zip(heard, decodes, strict=True)
        if (token := first_filled_pause(decode))
    ]
