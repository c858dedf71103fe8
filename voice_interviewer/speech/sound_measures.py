"""What a stretch of sound is like, frame by frame: voiced or not, held or changing (pure).

A filled pause is one vowel or hum, voiced and held; breath and noise are not voiced, words keep
changing. These measures are the acoustic half of every filled-pause decision (``filled_pauses``,
``held_voice``): each is a track of 10 ms frames, and a clip's value is the track's median
(voicing) or mean (steadiness). ``steady_voiced_runs`` finds the held, voiced sounds inside
speech whatever the transcript says is there: Whisper often gives a filled pause's time to the
word after it ("which" lasting 0.6 s because it starts at the "um").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voice_interviewer.speech.breaks import frame_runs, frames_inside
from voice_interviewer.speech.timeline import SAMPLE_RATE, Span

HOP = 160  # 10 ms between frames
SPECTRUM_WINDOW = 400  # 25 ms
# Praat's default voicing threshold for its autocorrelation pitch tracker: a textbook value, not
# tuned here. Measured for information: the espeak fixtures' filled pauses (noisy ones too) have a
# median peak of 0.51-0.67; breaths and laughter in the real clips 0.13-0.42.
VOICING = 0.45
PITCH_LAGS = (SAMPLE_RATE // 400, SAMPLE_RATE // 70)  # 70-400 Hz
VOICING_WINDOW = 640  # 40 ms: two periods of a low 70 Hz voice
_OVERLAP = 1.0 - np.arange(VOICING_WINDOW) / VOICING_WINDOW


def voicing_track(samples: np.ndarray, frames: np.ndarray | None = None) -> np.ndarray:
    """Per 40 ms window, 10 ms apart: the normalized autocorrelation peak at a pitch lag, near 1
    for a held vowel or hum, low for breath and noise. ``frames``: only these windows (indices)."""
    x = np.asarray(samples, dtype=np.float64)
    count = (len(x) - VOICING_WINDOW) // HOP + 1 if len(x) >= VOICING_WINDOW else 0
    starts = np.arange(count) * HOP if frames is None else frames[frames < count] * HOP
    if len(starts) == 0:
        return np.zeros(0)
    windows = np.stack([x[i : i + VOICING_WINDOW] for i in starts])
    windows -= windows.mean(axis=1, keepdims=True)
    energy = np.sum(windows * windows, axis=1)
    spectra = np.fft.rfft(windows, 2 * VOICING_WINDOW, axis=1)
    ac = np.fft.irfft(np.abs(spectra) ** 2, axis=1)[:, :VOICING_WINDOW]
    lo, hi = PITCH_LAGS
    # Unbiased: lag k overlaps the window on only N - k samples.
    peaks = np.max(ac[:, lo:hi] / _OVERLAP[lo:hi], axis=1) / np.maximum(energy, 1e-300)
    return np.where(energy < 1e-10, 0.0, peaks)


def voicing(samples: np.ndarray) -> float:
    """The median of ``voicing_track``: near 1 for a held vowel or hum, low for breath and noise."""
    track = voicing_track(samples)
    return float(np.median(track)) if len(track) else 0.0


def steadiness_track(samples: np.ndarray) -> np.ndarray:
    """Per 25 ms frame, 10 ms apart, from the second on: the cosine similarity of its magnitude
    spectrum (0-8 kHz) with the frame before, near 1 while one sound is held."""
    x = np.asarray(samples)
    n = SPECTRUM_WINDOW
    if len(x) < n + 2 * HOP:
        return np.zeros(0)
    frames = np.stack([x[i : i + n] for i in range(0, len(x) - n, HOP)]) * np.hanning(n)
    spectra = np.abs(np.fft.rfft(frames, axis=1))[:, :200] + 1e-9
    spectra /= np.linalg.norm(spectra, axis=1, keepdims=True)
    return np.sum(spectra[1:] * spectra[:-1], axis=1)


def spectral_stationarity(samples: np.ndarray) -> float:
    """The mean of ``steadiness_track``: near 1 for a held vowel or hum, lower for the changing
    sounds of words (0 for a clip too short to judge)."""
    track = steadiness_track(samples)
    return float(np.mean(track)) if len(track) else 0.0


# A held sound inside speech: every 50 ms around a frame voiced (Praat's threshold) and about as
# steady as a filled pause's median (0.93-0.95 on the fixtures; words 0.90 and below), for at
# least the caller's ``min_s``. Set on the espeak benchmark set and the Piper tuning set, over whole
# recordings: with runs of 0.15 s or more, all 134 filled pauses have one (and there are 24 other
# runs a minute); with 0.2 s (the filler pass's candidate minimum), 126 of 134 (11 others a minute,
# most of them long vowels of words, which the decode then reads as words).
STEADY_SMOOTH_FRAMES = 5
STEADY_MIN = 0.93


def steady_voiced_runs(samples: np.ndarray, speech: Sequence[Span], min_s: float) -> list[Span]:
    """Runs inside ``speech`` where the sound is voiced and held for ``min_s`` or more (times from
    the start of ``samples``)."""
    steady = steadiness_track(samples)
    n = len(steady)
    if n < STEADY_SMOOTH_FRAMES:
        return []
    kernel = np.ones(STEADY_SMOOTH_FRAMES) / STEADY_SMOOTH_FRAMES
    # steadiness_track starts one frame in: frame k compares frames k and k + 1.
    step = HOP / SAMPLE_RATE
    times = (np.arange(n) + 1) * step
    held = frames_inside(times, step, speech) & (
        np.convolve(steady, kernel, mode="same") >= STEADY_MIN
    )
    # Voicing costs four times what steadiness does: measured only near held frames.
    near = np.flatnonzero(np.convolve(held, np.ones(STEADY_SMOOTH_FRAMES), mode="same") > 0)
    voiced = np.zeros(n)
    track = voicing_track(samples, near)  # the windows that fit: the first ``len(track)``
    voiced[near[: len(track)]] = track
    held &= np.convolve(voiced, kernel, mode="same") >= VOICING
    return frame_runs(held, times, step, int(round(min_s / step)))
