"""One scoring policy: the verdicts, the spoken feedback, the report's things to work on and the
history's good bands all judge by the same ScoringPolicy, at the same boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_interviewer.live.feedback import feedback_lines
from voice_interviewer.reports.history import metric_specs
from voice_interviewer.reports.summary import measurement_rows, things_to_work_on
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord
from voice_interviewer.scoring.analyze import analyze, answer_verdicts
from voice_interviewer.scoring.policy import DEFAULT_POLICY, ScoringPolicy
from voice_interviewer.scoring.rubric import PointResult, RubricResult
from voice_interviewer.sessions.store import AnswerRecord
from voice_interviewer.speech.timeline import Filler, Span

from .test_analysis import ACOUSTIC, SPEECH, WORDS, make_question


def test_default_thresholds():
    p = DEFAULT_POLICY
    assert p.pace_band_wpm == (130.0, 160.0)
    # Judged on the whole number shown: 129.6 reads "130", so it is good.
    assert (p.pace(129.4), p.pace(129.6), p.pace(160.4), p.pace(160.6)) == (
        "slow",
        "good",
        "good",
        "fast",
    )
    assert (p.fillers(3.0), p.fillers(3.1), p.fillers(5.0), p.fillers(5.1)) == (
        "few",
        "some",
        "some",
        "frequent",
    )
    assert (p.is_long_pause(1.99), p.is_long_pause(2.0)) == (False, True)
    assert (p.latency(3.0), p.latency(3.1), p.latency(8.0), p.latency(8.1)) == (
        "quick",
        "slow",
        "slow",
        "long wait",
    )
    assert (p.length(29.4, (30, 60)), p.length(29.6, (30, 60)), p.length(60.6, (30, 60))) == (
        "short",
        "on target",
        "long",
    )
    assert p.long_pause_text == "2 s or more" and p.pace_band_text == "130-160"


def test_length_tolerance():
    p = ScoringPolicy(length_tolerance_s=5.0)
    assert p.length(25.0, (30, 60)) == "on target" and p.length(24.4, (30, 60)) == "short"
    assert p.within_target(65.4, (30, 60)) and not p.within_target(65.6, (30, 60))


def test_a_policy_changes_what_analyze_measures_and_says():
    strict = ScoringPolicy(pause_min_s=0.25, long_pause_s=3.0, pace_band_wpm=(30.0, 50.0))
    a = analyze(make_question(), 10.0, WORDS, SPEECH, ACOUSTIC, strict)
    d = analyze(make_question(), 10.0, WORDS, SPEECH, ACOUSTIC)
    assert len(a.pauses) == len(d.pauses) + 1  # the 0.3 s gap is a pause now
    assert a.long_pauses == [] and d.long_pauses == [Span(5.0, 7.5)]
    assert a.verdicts.pauses == "no long pauses"
    assert a.verdicts.pace == "good: 40 words a minute"
    assert d.verdicts.pace == "slow: 40 words a minute (aim for 130-160)"
    assert a.policy is strict
    assert ("pauses (≥ 0.25 s)", "3 (0 long)", "no long pauses") in measurement_rows(a)


def spoken(wpm: float, n_fillers: int, answer_s: float = 60.0, policy=DEFAULT_POLICY) -> Analysis:
    """A one-minute answer with ``n_fillers`` fillers (so that many a minute) at ``wpm``."""
    return Analysis(
        question=make_question(target=(30.0, 90.0)),
        duration_s=answer_s + 1,
        words=[AnalyzedWord("word", 1.0, 1.4, False)],
        response_latency_s=1.0,
        answer_s=answer_s,
        words_per_minute=wpm,
        articulation_wpm=wpm,
        pauses=[],
        long_pauses=[],
        fillers=[Filler("um", 2.0 + i, 2.3 + i, "filled_pause") for i in range(n_fillers)],
        repetitions=[],
        rubric=RubricResult(1.0, [PointResult("p", "P", True, ["word"])], None),
        policy=policy,
    )


def record(a: Analysis) -> AnswerRecord:
    return AnswerRecord(
        id=1,
        seq=1,
        question_id="reg",
        question_text="Q?",
        category="technical",
        prompt_text="Q?",
        follow_up_of=None,
        status="answered",
        end_reason="silence",
        wav_path=Path("/nowhere/01.wav"),
        wav_exists=True,
        analysis=Analysis.from_dict(a.to_dict()),  # as the store reads it back
    )


@pytest.mark.parametrize(
    "n_fillers,verdict,to_work_on",
    [(3, "few fillers (3)", False), (4, "some fillers: 4.0 a minute", True)],
)
def test_fillers_judged_alike_by_verdict_and_report(n_fillers, verdict, to_work_on):
    """At 3 a minute the verdict says "few" and the report does not ask to cut them; above it,
    both call it out (they disagreed before: 2 in the verdicts, 3 in the report)."""
    a = spoken(145.0, n_fillers)
    a.verdicts = answer_verdicts(a, a.policy)
    assert a.fillers_per_minute == n_fillers
    assert a.verdicts.fillers == verdict
    todo = things_to_work_on([record(a)])
    assert any(t.startswith("Cut the fillers") for t in todo) is to_work_on


@pytest.mark.parametrize("wpm,slow", [(130.0, False), (129.0, True)])
def test_pace_judged_alike_by_verdict_feedback_and_report(wpm, slow):
    a = spoken(wpm, 0)
    a.verdicts = answer_verdicts(a, a.policy)
    assert a.verdicts.pace.startswith("slow") is slow
    assert feedback_lines(a)[1].endswith("slow.") is slow
    assert (
        any(t.startswith("Speak a little faster") for t in things_to_work_on([record(a)])) is slow
    )


def test_report_judges_by_the_policy_saved_with_the_answers():
    lenient = ScoringPolicy(pace_band_wpm=(100.0, 200.0), fillers_few_per_minute=10.0)
    a = spoken(110.0, 8, policy=lenient)
    assert things_to_work_on([record(a)]) == []  # fine by its own policy
    b = spoken(110.0, 8)
    todo = things_to_work_on([record(b)])
    assert todo[0].startswith("Cut the fillers: 8.0 a minute")  # (8 - 3) / 6 = 0.83: worst
    assert todo[1] == "Speak a little faster: you averaged 110 words a minute; aim for 130-160."


def test_history_bands_come_from_the_policy():
    bands = {m.name: m.good for m in metric_specs()}
    assert bands["wpm"] == DEFAULT_POLICY.pace_band_wpm
    assert bands["fillers_per_minute"] == (0.0, DEFAULT_POLICY.fillers_few_per_minute)
    custom = {m.name: m.good for m in metric_specs(ScoringPolicy(pace_band_wpm=(120.0, 150.0)))}
    assert custom["wpm"] == (120.0, 150.0)
