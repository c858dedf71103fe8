"""compare_attempts: each measure judged better or worse by the rule written once in
scoring.compare (pure: two analyses in, a typed comparison out)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.compare import compare_attempts

DATA = Path(__file__).resolve().parents[1] / "data"


def _saved() -> Analysis:
    return Analysis.from_dict(json.loads((DATA / "analysis_overfitting.json").read_text()))


def _changes(a: Analysis, b: Analysis) -> dict[str, str]:
    return {m.measure: m.change for m in compare_attempts(a, b).measures}


def test_the_same_answer_twice_is_the_same_on_every_measure():
    a = _saved()
    assert set(_changes(a, a).values()) == {"same"}


def test_pace_is_better_closer_to_the_band_from_either_side():
    a = _saved()
    lo, hi = a.policy.pace_band_wpm
    slow = dataclasses.replace(a, words_per_minute=lo - 30)
    nearer = dataclasses.replace(a, words_per_minute=lo - 5)
    too_fast = dataclasses.replace(a, words_per_minute=hi + 40)
    inside = dataclasses.replace(a, words_per_minute=(lo + hi) / 2)
    assert _changes(slow, nearer)["pace"] == "better"
    assert _changes(nearer, too_fast)["pace"] == "worse"
    assert _changes(too_fast, inside)["pace"] == "better"
    # Anywhere inside the band is as good as the band gets.
    assert _changes(inside, dataclasses.replace(a, words_per_minute=lo))["pace"] == "same"


def test_fewer_fillers_and_long_pauses_are_better():
    a = _saved()
    assert a.fillers and a.long_pauses  # the fixture has some of each
    cleaner = dataclasses.replace(a, fillers=a.fillers[:-1], long_pauses=[])
    assert _changes(a, cleaner)["fillers"] == "better"
    assert _changes(a, cleaner)["pauses"] == "better"
    assert _changes(cleaner, a)["fillers"] == "worse"
    assert _changes(cleaner, a)["pauses"] == "worse"


def test_coverage_higher_is_better_and_length_closer_to_the_target():
    a = _saved()
    lo, hi = a.question.target_seconds
    less = dataclasses.replace(a.rubric, coverage=a.rubric.coverage / 2)
    short = dataclasses.replace(a, answer_s=lo / 3, rubric=less)
    on_target = dataclasses.replace(a, answer_s=(lo + hi) / 2)
    c = compare_attempts(short, on_target, before=1, after=2)
    changes = {m.measure: m.change for m in c.measures}
    assert changes["coverage"] == "better" and changes["length"] == "better"
    assert (c.before, c.after) == (1, 2)
    assert any(line.startswith("coverage: ") and "(better)" in line for line in c.lines())
    assert c.to_dict()["measures"][0]["measure"] == "length"


def test_a_typed_answer_has_no_timing_to_compare():
    a = _saved()
    typed = dataclasses.replace(a, typed=True)
    changes = _changes(a, typed)
    assert changes["pace"] == changes["length"] == changes["pauses"] == "n/a"
    assert changes["coverage"] == "same"
