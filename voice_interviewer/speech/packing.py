"""Packing speech stretches into shared Whisper windows, and their words back out (pure).

Whisper encodes 30 s whatever it is given, so decoding each stretch of a recording in its own
window pays for mostly silence. A finished recording has all its stretches at once: their padded
clips are laid end to end, in order, into windows of at most ``MAX_WINDOW_S``, decoded together,
and each decoded word goes back to the stretch whose clip holds its middle, in recording time.
Each clip keeps ``PAD_S`` of the recording around its speech, so each stretch opens after a short
real pause (``GAP_S`` of digital silence may be put between clips; none by default). A clip too
long for a window gets a window of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voice_interviewer.speech.timeline import Word

SAMPLE_RATE = 16000
# The recording kept on each side of a stretch's speech in its clip (context for the decode);
# stretches are >= 0.6 s apart, and clips never overlap (``recognize.AnswerListener``).
PAD_S = 0.2
# A little under Whisper's 30 s: the feature extractor drops the last frame, and a word cut by the
# window's edge would be lost.
MAX_WINDOW_S = 29.0
# Digital silence between two clips in a window: none. Each clip already keeps PAD_S of the
# recording on each side, so a junction sounds like a 0.4 s pause. 1 s had been chosen on espeak
# fixtures (a stretch's first word timed late without it), but on real speakers it cost words and
# filled pauses, and Whisper skipped the whole first stretch of a noisy window (fixture a05).
# Chosen on the shared real speakers, leave-one-speaker-out, from 0 / 0.3 / 0.6 / 1 s: five of six
# held-out speakers get 0 from the others (benchmarks/results/real_speakers.md); the espeak
# fixtures' timing and filler targets (tests/test_accuracy.py) still hold.
GAP_S = 0.0


@dataclass(frozen=True)
class Piece:
    """One stretch's clip inside a window."""

    stretch: int  # index of the stretch
    offset_s: float  # where the clip starts in the window
    clip_start_s: float  # where the clip starts in the recording
    duration_s: float

    def distance(self, t: float) -> float:
        """How far ``t`` (in the window) lies outside this clip; 0 inside it."""
        return max(self.offset_s - t, t - (self.offset_s + self.duration_s), 0.0)


@dataclass(frozen=True)
class Window:
    pieces: tuple[Piece, ...]

    @property
    def duration_s(self) -> float:
        last = self.pieces[-1]
        return last.offset_s + last.duration_s


def pack(
    clips: Sequence[np.ndarray],
    clip_starts: Sequence[float],
    max_s: float = MAX_WINDOW_S,
    gap_s: float = GAP_S,
) -> list[Window]:
    """Consecutive clips, in order, ``gap_s`` of silence apart, into as few windows as fit
    ``max_s`` each."""
    windows: list[Window] = []
    current: list[Piece] = []
    used = 0.0
    for i, (clip, start) in enumerate(zip(clips, clip_starts, strict=True)):
        d = len(clip) / SAMPLE_RATE
        offset = used + gap_s if current else 0.0
        if current and offset + d > max_s:
            windows.append(Window(tuple(current)))
            current, offset = [], 0.0
        current.append(Piece(i, offset, start, d))
        used = offset + d
    if current:
        windows.append(Window(tuple(current)))
    return windows


def window_audio(window: Window, clips: Sequence[np.ndarray]) -> np.ndarray:
    """The window's clips at their offsets, digital silence between them."""
    out = np.zeros(int(round(window.duration_s * SAMPLE_RATE)), np.float32)
    for p in window.pieces:
        a = int(round(p.offset_s * SAMPLE_RATE))
        clip = clips[p.stretch][: len(out) - a]
        out[a : a + len(clip)] = clip
    return out


def unpack_words(window: Window, words: Sequence[Word]) -> dict[int, list[Word]]:
    """Each word (times in the window) to the stretch whose clip holds its middle, in recording
    time and clipped to that clip. A word whose middle lies in the silence between two clips
    goes to the clip it starts in, else the one it ends in, else the nearer: Whisper stretches
    a clip's last word into the silence after it (an "uhm" said at the end of one stretch,
    timed 3.16-4.60 s across a gap from 3.22 to 4.22 s, was given to the next stretch, whose
    voice had room for one filler only, and lost: real/uhum.wav)."""
    out: dict[int, list[Word]] = {p.stretch: [] for p in window.pieces}
    for w in words:
        mid = (w.start + w.end) / 2
        piece = min(window.pieces, key=lambda p: p.distance(mid))
        if piece.distance(mid) > 0:
            piece = next(
                (p for t in (w.start, w.end) for p in window.pieces if p.distance(t) == 0),
                piece,
            )
        shift = piece.clip_start_s - piece.offset_s
        lo, hi = piece.clip_start_s, piece.clip_start_s + piece.duration_s
        start = min(max(w.start + shift, lo), hi)
        end = min(max(w.end + shift, start), hi)
        out[piece.stretch].append(Word(w.text, round(start, 3), round(end, 3), w.probability))
    return out
