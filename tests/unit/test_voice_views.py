"""The voice measures where the other measures appear: measurement rows, the report's pitch chart,
printed and spoken feedback, things to work on, and history's trend (pure renderers)."""

from __future__ import annotations

import numpy as np

from voice_interviewer.live.feedback import feedback_lines
from voice_interviewer.live.spoken import spoken_summary
from voice_interviewer.reports.summary import measurement_rows
from voice_interviewer.reports.voice_view import pitch_html, pitch_svg, voice_work_on
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.scoring.policy import DEFAULT_POLICY
from voice_interviewer.scoring.voice import measure_voice
from voice_interviewer.speech.timeline import Span

from ._words import words_from
from .test_analysis import make_question
from .test_voice import gliding, tracks

TEXT = "I would add dropout and more data. Then I would check the validation loss."


def answer(pitch: np.ndarray, level: float = -25.0, clipped: float = 0.0) -> Analysis:
    words = words_from(TEXT, start=0.5)
    a = analyze(make_question(), 6.0, words, [Span(0.5, words[-1].end)])
    a.voice = measure_voice(tracks(pitch, level, clipped), a.words)
    return a


def test_rows_show_pitch_loudness_and_microphone():
    a = answer(gliding(600))
    rows = {m: (v, x) for m, v, x in measurement_rows(a)}
    assert rows["pitch variation"][1].startswith("varied")
    assert "Hz" in rows["pitch (median)"][0]
    assert "dBFS" in rows["loudness"][0]
    assert rows["microphone level"][1].startswith("good level")
    a.voice = None  # saved before voice measures: no voice rows, nothing breaks
    assert not any(m.startswith("pitch") for m, _, _ in measurement_rows(a))
    assert pitch_html(a) == [] and pitch_svg(a) == ""


def test_the_pitch_chart_draws_the_contour_with_the_words_underneath():
    a = answer(gliding(600))
    svg = pitch_svg(a)
    assert svg.startswith("<svg") and svg.count("<polyline") >= 1
    assert ">dropout<" in svg and ">loss.<" in svg
    flat = answer(np.full(600, 120.0))
    assert "(monotone)" in pitch_svg(flat)
    assert any("monotone" in part for part in pitch_html(flat))


def test_feedback_says_monotone_and_the_microphone_level():
    flat = answer(np.full(600, 120.0))
    assert any("monotone" in line for line in feedback_lines(flat))
    assert "monotone" in spoken_summary(flat)
    quiet = answer(gliding(600), level=-50.0)
    assert any("too quiet" in line for line in feedback_lines(quiet))
    assert "closer to the microphone" in spoken_summary(quiet)
    clipping = answer(gliding(600), clipped=0.02)
    assert "clipping" in spoken_summary(clipping)
    fine = answer(gliding(600))
    assert any("varied naturally" in line for line in feedback_lines(fine))
    assert "monotone" not in spoken_summary(fine) and "microphone" not in spoken_summary(fine)
    # the same words from the saved form
    assert feedback_lines(Analysis.from_dict(flat.to_dict())) == feedback_lines(flat)


def test_things_to_work_on_put_the_microphone_before_the_voice():
    answers = [answer(np.full(600, 120.0), level=-50.0)] * 2  # quiet and monotone, both
    found = sorted(voice_work_on(answers, DEFAULT_POLICY), reverse=True)
    assert found[0][1].startswith("Fix the microphone level")
    assert any(text.startswith("Vary your pitch: 2 of 2") for _, text in found)
    assert voice_work_on([answer(gliding(600))], DEFAULT_POLICY) == []
