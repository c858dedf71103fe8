"""The voice measures (pure): pitch statistics, the monotone verdict, trailing off, the microphone
level and the saved form, on hand-made tracks (``VoiceTracks`` as Praat's adapter returns them)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from voice_interviewer.errors import AnalysisFormatError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.scoring.policy import DEFAULT_POLICY
from voice_interviewer.scoring.voice import measure_voice, pitch_contour, voice_from_dict
from voice_interviewer.speech.timeline import Span
from voice_interviewer.speech.voice_tracks import VoiceTracks

from ._words import words_from
from .test_analysis import make_question

STEP = 0.01


def tracks(
    pitch: np.ndarray,
    level: np.ndarray | float = -25.0,
    clipped: float = 0.0,
    peak: float = -3.0,
) -> VoiceTracks:
    n = len(pitch)
    db = np.full(n, level, float) if np.isscalar(level) else np.asarray(level, float)
    times = STEP * np.arange(n)
    return VoiceTracks(STEP, times, np.asarray(pitch, float), times, db, peak, clipped, n * STEP)


def gliding(n: int = 500, lo: float = 100.0, hi: float = 160.0) -> np.ndarray:
    """A voice rising and falling between ``lo`` and ``hi`` Hz, voiced throughout."""
    return lo + (hi - lo) * (0.5 + 0.5 * np.sin(np.linspace(0, 6 * np.pi, n)))


def test_a_varied_voice_is_not_monotone_and_a_flat_one_is():
    varied = measure_voice(tracks(gliding()))
    flat = measure_voice(tracks(np.full(500, 120.0)))
    assert varied.monotone is False and varied.pitch_variation_st > DEFAULT_POLICY.monotone_below_st
    assert flat.monotone is True and flat.pitch_variation_st == 0.0
    assert flat.pitch_median_hz == 120.0 and flat.pitch_range_st == 0.0
    assert flat.verdicts.pitch.startswith("monotone") and flat.verdicts.pitch in flat.advice
    assert varied.verdicts.pitch.startswith("varied")


def test_octave_errors_barely_move_the_variation():
    flat = np.full(500, 120.0)
    flat[::25] = 240.0  # 4 % of the frames an octave up: a tracker's octave jumps
    assert measure_voice(tracks(flat)).monotone is True


def test_unvoiced_frames_are_left_out_and_too_little_voice_is_not_judged():
    pitch = np.zeros(500)
    pitch[:20] = 120.0  # 0.2 s voiced, under the policy's min_voiced_s
    m = measure_voice(tracks(pitch))
    assert m.voiced_s == pytest.approx(0.2)
    assert m.monotone is None and "pitch" not in m.advice
    silent = measure_voice(tracks(np.zeros(500)))
    assert silent.pitch_median_hz is None and silent.verdicts.pitch.startswith("not measured")
    assert silent.microphone == "unknown"


def test_loudness_is_the_median_of_the_voiced_frames():
    pitch = gliding(400)
    pitch[200:] = 0  # the second half unvoiced (and loud: noise must not count)
    level = np.where(np.arange(400) < 200, -30.0, -5.0)
    m = measure_voice(tracks(pitch, level))
    assert m.loudness_dbfs == -30.0 and m.microphone == "good"


def test_microphone_level_advice():
    quiet = measure_voice(tracks(gliding(), -50.0))
    assert quiet.microphone == "too quiet" and "move closer" in quiet.verdicts.microphone
    clipping = measure_voice(tracks(gliding(), -10.0, clipped=0.01, peak=0.0))
    assert clipping.microphone == "clipping"
    assert "turn the input level down" in clipping.verdicts.microphone
    assert clipping.verdicts.microphone in clipping.advice
    assert measure_voice(tracks(gliding(), -25.0)).advice == []


def test_a_sentence_whose_last_word_fades_trails_off():
    words = words_from("I led the migration to the new cluster. We shipped it on time.")
    level = np.full(600, -25.0)
    cluster = next(w for w in words if w.text == "cluster.")
    level[int(cluster.start / STEP) : int(cluster.end / STEP) + 2] = -45.0  # 20 dB down
    m = measure_voice(tracks(gliding(600), level), words)
    assert m.sentences == 2
    assert [t.text for t in m.trailing_off] == ["cluster."]
    assert m.trailing_off[0].drop_db >= DEFAULT_POLICY.trailing_off_db
    assert "1 of 2 sentences trailed off" in m.verdicts.trailing_off
    steady = measure_voice(tracks(gliding(600)), words)
    assert steady.trailing_off == [] and steady.verdicts.trailing_off.startswith("no sentence")


def test_the_contour_is_one_value_per_step_none_where_unvoiced():
    pitch = np.concatenate([np.full(50, 110.0), np.zeros(50), np.full(50, 130.0)])
    contour = pitch_contour(tracks(pitch))
    assert contour == [110.0] * 5 + [None] * 5 + [130.0] * 5


def test_saved_voice_reads_back_equal_through_json():
    words = words_from("I led the migration to the new cluster.")
    m = measure_voice(tracks(gliding(), -40.0, clipped=0.0), words)
    back = voice_from_dict(json.loads(json.dumps(m.to_dict())))
    assert back == m
    assert voice_from_dict(None) is None  # saved before the voice was measured


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        ({"monotone": "yes"}, "analysis.voice.monotone"),
        ({"pitch_median_hz": "120"}, "analysis.voice.pitch_median_hz"),
        ({"verdicts": ["monotone"]}, "analysis.voice.verdicts"),
        (
            {"trailing_off": [{"start": 1, "end": 2, "text": "x."}]},
            "analysis.voice.trailing_off[0].drop_db",
        ),
        ({"pitch_contour_hz": {"a": 1}}, "analysis.voice.pitch_contour_hz"),
        ({"microphone": "loud"}, "analysis.voice.microphone"),
    ],
)
def test_a_damaged_voice_is_one_error_naming_the_field(damage, field):
    words = words_from("I led the migration to the new cluster.")
    d = {**measure_voice(tracks(gliding()), words).to_dict(), **damage}
    with pytest.raises(AnalysisFormatError, match=re.escape(field) + ": must be"):
        voice_from_dict(d)
    with pytest.raises(AnalysisFormatError, match="analysis.voice: must be an object"):
        voice_from_dict("damaged")


def test_the_analysis_carries_the_voice_through_score_json():
    words = words_from("I led the migration to the new cluster.", start=1.0)
    a = analyze(make_question(), 5.0, words, [Span(1.0, 4.0)])
    d = a.to_dict()
    assert d["voice"] is None  # scored without audio
    a.voice = measure_voice(tracks(gliding()), a.words)
    d = json.loads(json.dumps(a.to_dict()))
    assert d["voice"]["monotone"] is False and "pitch_contour_hz" in d["voice"]
    assert Analysis.from_dict(d).voice == a.voice


def test_an_ending_too_faint_to_be_voiced_still_trails_off():
    """A fading last word can fall under Praat's voicing threshold: its level still counts (the
    silence after it does not)."""
    words = words_from("We shipped the whole migration on time.")
    pitch, level = gliding(400), np.full(400, -25.0)
    last = words[-1]
    fade = slice(int(last.start / STEP), int(last.end / STEP) + 1)
    pitch[fade], level[fade] = 0.0, -40.0  # 15 dB down, unvoiced to the tracker
    level[int(last.end / STEP) + 1 :] = -80.0  # silence after the sentence
    m = measure_voice(tracks(pitch, level), words)
    assert [t.text for t in m.trailing_off] == ["time."]
