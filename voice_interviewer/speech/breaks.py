"""Short breaks between words that voice activity smooths over (pure).

Silero's speech spans bridge silences of a tenth of a second, and Whisper's word timestamps absorb
them, yet a listener hears "So ... I rushed the validation" as set off. A break is a run of 10 ms
frames, at least ``min_s`` long, whose level is close to the background: below the floor plus a
fifth of the way (in dB) up to the speech level. The floor is the median level of the frames voice
activity calls silence, the speech level the 95th percentile of the frames it calls speech.

Measured on the benchmark fixtures (joins of 0.08-0.35 s between phrases, known by construction):
176 of 180 joins hold such a break, and about one word boundary in 25 inside a phrase does too
(stop closures), so a break is evidence for a lexical filler's set-off, never a pause.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voice_interviewer.speech.timeline import SAMPLE_RATE, Span

FRAME = 160  # 10 ms
MIN_BREAK_S = 0.08
LEVEL_FRACTION = 0.2


def quiet_frames(
    samples: np.ndarray,
    speech: Sequence[Span],
    offset_s: float = 0.0,
    level_fraction: float = LEVEL_FRACTION,
) -> tuple[np.ndarray, np.ndarray]:
    """(whether each 10 ms frame is quiet, its start time); both empty when there is no speech or
    no silence to measure the floor and the speech level against."""
    n = len(samples) // FRAME
    if n == 0 or not speech:
        return np.zeros(0, dtype=bool), np.zeros(0)
    level = frame_levels(samples)
    times = offset_s + np.arange(n) * FRAME / SAMPLE_RATE
    inside = frames_inside(times, FRAME / SAMPLE_RATE, speech)
    if inside.all() or not inside.any():
        return np.zeros(0, dtype=bool), np.zeros(0)
    floor = float(np.median(level[~inside]))
    loud = float(np.percentile(level[inside], 95))
    return level < floor + level_fraction * (loud - floor), times


def frames_inside(times: np.ndarray, step: float, speech: Sequence[Span]) -> np.ndarray:
    """Whether each frame (starting at ``times``, ``step`` long) lies wholly inside a speech
    span."""
    inside = np.zeros(len(times), dtype=bool)
    for s in speech:
        inside |= (times >= s.start) & (times + step <= s.end)
    return inside


def frame_levels(samples: np.ndarray) -> np.ndarray:
    """Level in dB of each whole 10 ms frame."""
    n = len(samples) // FRAME
    frames = np.asarray(samples[: n * FRAME], dtype=np.float64).reshape(n, FRAME)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def quiet_breaks(
    samples: np.ndarray,
    speech: Sequence[Span],
    offset_s: float = 0.0,
    min_s: float = MIN_BREAK_S,
    level_fraction: float = LEVEL_FRACTION,
) -> list[Span]:
    """Breaks in ``samples`` (which start at ``offset_s`` in the time base of the ``speech`` spans),
    in that time base: the silences voice activity smooths over and the ones it keeps."""
    quiet, times = quiet_frames(samples, speech, offset_s, level_fraction)
    n = len(quiet)
    if n == 0:
        return []
    return frame_runs(quiet, times, FRAME / SAMPLE_RATE, int(round(min_s * SAMPLE_RATE / FRAME)))


def frame_runs(mask: np.ndarray, times: np.ndarray, step: float, min_frames: int) -> list[Span]:
    """The runs of at least ``min_frames`` true frames in ``mask``, as spans (frame k starts at
    ``times[k]`` and lasts ``step`` seconds)."""
    out: list[Span] = []
    n = len(mask)
    i = 0
    while i < n:
        if not mask[i]:
            i += 1
            continue
        j = i
        while j < n and mask[j]:
            j += 1
        if j - i >= min_frames:
            out.append(Span(round(float(times[i]), 3), round(float(times[i]) + (j - i) * step, 3)))
        i = j
    return out


# A new sound starts this far below its own level: the dip between two filled pauses said in one
# breath ("um-uh"), or before a hum that follows speech.
DIP_DB = 10.0
DIP_REACH_S = 0.15  # how far either side a dip's louder neighbours are looked for
MIN_DIP_S = 0.03  # a single low 10 ms frame is the flutter of a fading voice, not a new sound


def level_dips(
    samples: np.ndarray, speech: Sequence[Span], offset_s: float = 0.0, dip_db: float = DIP_DB
) -> list[Span]:
    """Dips in ``samples`` inside the ``speech`` spans (times as in ``quiet_breaks``): runs of at
    least ``MIN_DIP_S`` of frames ``dip_db`` below the loudest frame within ``DIP_REACH_S`` on
    *both* sides, where one sound ends and another starts. A level that only falls (the "m" of
    "um", a sound's fade) is no dip."""
    level = frame_levels(samples)
    n = len(level)
    if n == 0:
        return []
    reach = int(round(DIP_REACH_S * SAMPLE_RATE / FRAME))
    padded = np.concatenate([np.full(reach, -np.inf), level, np.full(reach, -np.inf)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, reach)
    before = windows[:n].max(axis=1)  # frames k-reach .. k-1
    after = windows[reach + 1 : reach + 1 + n].max(axis=1)  # frames k+1 .. k+reach
    dip = level <= np.minimum(before, after) - dip_db
    times = offset_s + np.arange(n) * FRAME / SAMPLE_RATE
    inside = frames_inside(times, FRAME / SAMPLE_RATE, speech)
    min_frames = int(round(MIN_DIP_S * SAMPLE_RATE / FRAME))
    return frame_runs(dip & inside, times, FRAME / SAMPLE_RATE, min_frames)
