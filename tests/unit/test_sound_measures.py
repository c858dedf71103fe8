"""sound_measures: voicing and steadiness tracks, and the held, voiced runs inside speech."""

from __future__ import annotations

import numpy as np

from voice_interviewer.speech.sound_measures import (
    spectral_stationarity,
    steadiness_track,
    steady_voiced_runs,
    voicing,
    voicing_track,
)
from voice_interviewer.speech.timeline import Span

SR = 16000
RNG = np.random.default_rng(7)


def hum(seconds: float, f0: float = 120.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return 0.3 * sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))


def sweep(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return 0.3 * np.sin(2 * np.pi * (200 + 1500 * t) * t)


def noise(seconds: float) -> np.ndarray:
    return 0.1 * RNG.standard_normal(int(seconds * SR))


def test_the_tracks_are_10_ms_frames_and_their_summaries_are_median_and_mean():
    x = np.concatenate([hum(0.5), noise(0.5)]).astype(np.float32)
    v, s = voicing_track(x), steadiness_track(x)
    assert len(v) == (len(x) - 640) // 160 + 1
    assert abs(len(s) - len(v)) <= 2
    assert v[:20].min() > 0.9 and np.median(v[-20:]) < 0.3  # the hum, then the noise
    assert voicing(x) == float(np.median(v))
    assert spectral_stationarity(x) == float(np.mean(s))
    assert voicing(np.zeros(100, np.float32)) == 0.0  # too short for one window


def test_voicing_of_chosen_windows_is_the_full_tracks_value_there():
    x = np.concatenate([noise(0.3), hum(0.4), sweep(0.3)]).astype(np.float32)
    full = voicing_track(x)
    frames = np.array([0, 5, 31, 40, len(full) - 1, len(full) + 3])  # the last is past the end
    assert np.allclose(voicing_track(x, frames), full[frames[:-1]])


def test_a_hum_inside_changing_sound_is_a_steady_voiced_run():
    x = np.concatenate([sweep(1.0), hum(0.4), sweep(1.0)]).astype(np.float32)
    runs = steady_voiced_runs(x, [Span(0.0, 2.4)], min_s=0.2)
    assert len(runs) == 1
    assert abs(runs[0].start - 1.0) < 0.06 and abs(runs[0].end - 1.4) < 0.06


def test_runs_must_lie_in_speech_and_last_min_s():
    x = np.concatenate([sweep(1.0), hum(0.4), sweep(1.0)]).astype(np.float32)
    assert steady_voiced_runs(x, [Span(0.0, 0.9), Span(1.5, 2.4)], min_s=0.2) == []
    assert steady_voiced_runs(x, [Span(0.0, 2.4)], min_s=0.5) == []


def test_noise_and_sweeps_have_no_steady_voiced_run():
    x = np.concatenate([sweep(1.0), noise(1.0), sweep(1.0)]).astype(np.float32)
    assert steady_voiced_runs(x, [Span(0.0, 3.0)], min_s=0.15) == []
