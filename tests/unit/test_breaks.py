"""breaks: short silences inside speech that voice activity and Whisper's timestamps smooth over."""

from __future__ import annotations

import numpy as np

from voice_interviewer.speech.breaks import level_dips, quiet_breaks
from voice_interviewer.speech.timeline import Span

SR = 16000


def clip(*parts: tuple[str, float], seed: int = 0) -> np.ndarray:
    """Concatenated ("voice"|"silence", seconds) parts over a noise floor 30 dB below the voice."""
    rng = np.random.default_rng(seed)
    out = []
    for kind, seconds in parts:
        n = int(seconds * SR)
        t = np.arange(n) / SR
        x = 0.1 * np.sin(2 * np.pi * 150 * t) if kind == "voice" else np.zeros(n)
        out.append(x + 0.0022 * rng.standard_normal(n))
    return np.concatenate(out).astype(np.float32)


def test_a_tenth_of_a_second_inside_speech_is_a_break():
    audio = clip(
        ("silence", 0.5), ("voice", 0.6), ("silence", 0.1), ("voice", 0.6), ("silence", 0.5)
    )
    speech = [Span(0.5, 1.8)]  # voice activity bridged the 0.1 s
    (b,) = quiet_breaks(audio, speech)[1:-1]  # first and last: the silence around the speech
    assert abs(b.start - 1.1) <= 0.02 and abs(b.end - 1.2) <= 0.02


def test_shorter_silences_and_steady_voice_are_no_break():
    audio = clip(
        ("silence", 0.5), ("voice", 0.6), ("silence", 0.05), ("voice", 0.6), ("silence", 0.5)
    )
    assert quiet_breaks(audio, [Span(0.5, 1.75)])[1:-1] == []


def test_times_follow_the_offset_and_need_silence_to_measure_the_floor():
    audio = clip(
        ("silence", 0.5), ("voice", 0.6), ("silence", 0.12), ("voice", 0.6), ("silence", 0.5)
    )
    inner = quiet_breaks(audio, [Span(10.5, 11.82)], offset_s=10.0)[1:-1]
    assert len(inner) == 1 and abs(inner[0].start - 11.1) <= 0.02
    all_speech = clip(("voice", 1.0))
    assert quiet_breaks(all_speech, [Span(0.0, 1.0)]) == []  # no silence: no floor, no breaks
    assert quiet_breaks(audio, []) == []


def _tone(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (amplitude * np.sin(2 * np.pi * 150 * t)).astype(np.float32)


def test_a_dip_between_two_sounds_said_in_one_breath_is_found():
    # "uh" then "um" with 60 ms at 20 dB below them between: not silence, but a new sound
    audio = np.concatenate([_tone(0.4, 0.1), _tone(0.06, 0.01), _tone(0.5, 0.05)])
    (dip,) = level_dips(audio, [Span(2.0, 2.96)], offset_s=2.0)
    assert abs(dip.start - 2.4) <= 0.011 and abs(dip.end - 2.46) <= 0.011


def test_a_falling_level_a_flutter_and_speech_outside_the_spans_are_no_dip():
    fading = np.concatenate([_tone(0.3, 0.1), _tone(0.3, 0.02)])  # the "m" of "um": it only falls
    assert level_dips(fading, [Span(0.0, 0.6)]) == []
    flutter = np.concatenate([_tone(0.3, 0.1), _tone(0.01, 0.001), _tone(0.3, 0.1)])  # one frame
    assert level_dips(flutter, [Span(0.0, 0.61)]) == []
    two = np.concatenate([_tone(0.4, 0.1), _tone(0.06, 0.01), _tone(0.5, 0.05)])
    assert level_dips(two, [Span(0.5, 0.96)]) == []  # the dip lies outside the speech span
