"""held_voice: hums outside voice activity, found by level, voicing, steadiness and a decode."""

from __future__ import annotations

import numpy as np

from tests.fakes import FakeWhisper
from voice_interviewer.speech.held_voice import detect_held_fillers, held_sounds
from voice_interviewer.speech.sound_measures import voicing
from voice_interviewer.speech.timeline import Filler, Span

SR = 16000
RNG = np.random.default_rng(7)


def tone(seconds: float, level: float, f0: float = 120.0) -> np.ndarray:
    """A held voiced sound: a harmonic series on ``f0``."""
    t = np.arange(int(seconds * SR)) / SR
    wave = sum(np.sin(2 * np.pi * k * f0 * t) / k for k in range(1, 6))
    return (level * wave / np.max(np.abs(wave))).astype(np.float32)


def noise(seconds: float, level: float) -> np.ndarray:
    return (level * RNG.standard_normal(int(seconds * SR))).astype(np.float32)


def recording(*parts: np.ndarray) -> np.ndarray:
    """Parts laid end to end over a faint background hiss."""
    audio = np.concatenate(parts)
    return audio + noise(len(audio) / SR, 1e-4)


def test_voicing_is_high_for_a_held_tone_and_low_for_noise():
    assert voicing(tone(0.5, 0.1)) > 0.9
    assert voicing(noise(0.5, 0.1)) < 0.3


def test_a_hum_after_a_silence_is_a_held_sound_and_speech_is_not():
    # 1 s quiet, 1 s "speech" (a loud tone the VAD called speech), 0.3 s quiet, a 0.6 s hum
    audio = recording(
        noise(1.0, 0), tone(1.0, 0.3), noise(0.3, 0), tone(0.6, 0.05, 100), noise(1, 0)
    )
    (hum,) = held_sounds(audio, [Span(1.0, 2.0)])
    assert abs(hum.start - 2.3) < 0.02 and abs(hum.end - 2.9) < 0.02


def test_the_tail_of_speech_running_on_past_voice_activity_is_not_a_new_sound():
    # an "umm" whose vowel is speech and whose "mmm" goes on after the span ends, at the same level
    audio = recording(noise(1.0, 0), tone(1.0, 0.05, 100), noise(1.0, 0))
    assert held_sounds(audio, [Span(1.0, 1.5)]) == []


def test_a_hum_the_decode_names_is_a_filled_pause():
    audio = recording(
        noise(1.0, 0), tone(1.0, 0.3), noise(0.3, 0), tone(0.6, 0.05, 100), noise(1, 0)
    )
    found = detect_held_fillers(audio, [Span(1.0, 2.0)], [Span(1.0, 2.0)], FakeWhisper("Mm."))
    assert len(found) == 1 and found[0].text == "mm" and found[0].kind == "filled_pause"


def test_a_hum_the_decode_reads_as_a_word_is_not():
    audio = recording(
        noise(1.0, 0), tone(1.0, 0.3), noise(0.3, 0), tone(0.6, 0.05, 100), noise(1, 0)
    )
    assert detect_held_fillers(audio, [Span(1.0, 2.0)], [], FakeWhisper("Okay,")) == []


def test_breath_is_never_decoded_and_covered_sounds_are_skipped():
    # a breath: loud unvoiced noise outside speech
    audio = recording(noise(1.0, 0), tone(1.0, 0.3), noise(0.3, 0), noise(0.6, 0.03), noise(1, 0))
    labeler = FakeWhisper()
    assert detect_held_fillers(audio, [Span(1.0, 2.0)], [], labeler) == []
    assert labeler.label_calls == []
    hum = recording(noise(1.0, 0), tone(1.0, 0.3), noise(0.3, 0), tone(0.6, 0.05, 100), noise(1, 0))
    covered = [Filler("um", 2.2, 2.5, "filled_pause")]
    assert detect_held_fillers(hum, [Span(1.0, 2.0)], covered, labeler) == []
