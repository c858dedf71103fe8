"""Analysis.from_dict: every saved analysis loads back typed; anything malformed is one clear
error."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from voice_interviewer.errors import AnalysisFormatError, VoiceInterviewerError
from voice_interviewer.scoring.analysis import Analysis, Hesitation
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.scoring.policy import ScoringPolicy
from voice_interviewer.scoring.serialization import SCHEMA_VERSION
from voice_interviewer.scoring.text_answer import score_text
from voice_interviewer.speech.timeline import Filler, Span

from .test_analysis import ACOUSTIC, SPEECH, WORDS, make_question

DATA = Path(__file__).parents[1] / "data"
ADDED = {
    "schema_version",
    "policy",
    "voice",
    "unclear",
}  # keys this version writes that older analyses lack


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def through_json(d: dict) -> dict:
    return json.loads(json.dumps(d))


def spoken() -> Analysis:
    return analyze(make_question(star=True), 10.0, WORDS, SPEECH, ACOUSTIC, model="tiny.en")


@pytest.mark.parametrize(
    "make",
    [
        spoken,
        lambda: analyze(make_question(), 5.0, [], [Span(1.0, 2.0)]),  # no speech
        lambda: score_text(make_question(star=True), "I led it. As a result it worked.", None),
        lambda: score_text(make_question(), "", None),  # an empty typed answer
    ],
    ids=["spoken", "no-speech", "typed", "typed-empty"],
)
def test_round_trip_is_exact(make):
    d = through_json(make().to_dict())
    again = Analysis.from_dict(d)
    assert through_json(again.to_dict()) == d


def test_round_trip_keeps_typed_values():
    a = spoken()
    b = Analysis.from_dict(through_json(a.to_dict()))
    assert b.words == a.words
    assert b.fillers == a.fillers and b.fillers[0] == Filler("um", 1.05, 1.3, "filled_pause")
    assert b.pauses == a.pauses and b.long_pauses == a.long_pauses
    assert b.rubric.points == a.rubric.points and b.rubric.star == a.rubric.star
    assert b.verdicts == a.verdicts
    assert b.hesitation == a.hesitation == Hesitation(2, 1, 0, 3, 2, 1)
    assert b.policy == a.policy == ScoringPolicy()
    assert b.question.target_seconds == (30.0, 60.0) and b.question.star
    assert (b.fillers_per_minute, b.word_count, b.within_target) == (24.0, 5, False)


def test_policy_is_read_back():
    policy = ScoringPolicy(pace_band_wpm=(120.0, 150.0), long_pause_s=3.0)
    a = analyze(make_question(), 10.0, WORDS, SPEECH, ACOUSTIC, policy)
    assert a.long_pauses == []  # the 2.5 s pause is not long under this policy
    b = Analysis.from_dict(through_json(a.to_dict()))
    assert b.policy == policy
    assert b.policy.rubric == policy.rubric


@pytest.mark.parametrize("name", ["analysis_v1_spoken.json", "analysis_v1_typed.json"])
def test_sessions_saved_by_schema_1_load_unchanged(name):
    """Made by the version before schema_version existed (``score --json``): every key comes back
    with the same value; only the new keys are added."""
    d = load(name)
    assert "schema_version" not in d
    out = through_json(Analysis.from_dict(d).to_dict())
    assert set(out) == set(d) | ADDED
    # Added inside the rubric since: the answer's topic and each point's status (from its hit).
    assert out["rubric"].pop("about") is None
    for p in out["rubric"]["points"]:
        assert p.pop("status") == ("made" if p["hit"] else "missed")
    assert {k: out[k] for k in d} == d
    assert out["schema_version"] == SCHEMA_VERSION


@pytest.mark.parametrize("name", ["analysis_overfitting.json", "analysis_prioritization.json"])
def test_older_analyses_without_later_keys_load(name):
    """The first saved format: no hesitation, no per-point score/keywords/evidence sentences."""
    d = load(name)
    a = Analysis.from_dict(d)
    out = through_json(a.to_dict())
    for key in d:
        if key != "rubric":
            assert out[key] == d[key], key
    assert [p["hit"] for p in out["rubric"]["points"]] == [p["hit"] for p in d["rubric"]["points"]]
    assert a.hesitation is None  # not saved, and not recomputable without the keyword times


def broken(change) -> dict:
    d = copy.deepcopy(load("analysis_v1_spoken.json"))
    change(d)
    return d


def _set(path: str, value):
    def change(d):
        *head, last = path.split(".")
        for k in head:
            d = d[int(k)] if isinstance(d, list) else d[k]
        if value is KeyError:
            del d[last]
        elif isinstance(d, list):
            d[int(last)] = value
        else:
            d[last] = value

    return change


@pytest.mark.parametrize(
    "change,message",
    [
        (_set("answer_s", "35"), "analysis.answer_s: must be a number, not '35'"),
        (_set("answer_s", True), "analysis.answer_s: must be a number, not true"),
        (_set("rubric", []), "analysis.rubric: must be an object, not a list"),
        (
            _set("rubric.points.1.hit", "yes"),
            "analysis.rubric.points[1].hit: must be true or false, not 'yes'",
        ),
        (_set("rubric.points", {}), "analysis.rubric.points: must be a list, not an object"),
        (_set("rubric.coverage", KeyError), "analysis.rubric: missing key 'coverage'"),
        (_set("question", KeyError), "analysis: missing key 'question'"),
        (_set("question.id", 7), "analysis.question.id: must be a string, not 7"),
        (_set("words.0.start", None), "analysis.words[0].start: must be a number, not null"),
        (_set("words.0", "um"), "analysis.words[0]: must be an object, not 'um'"),
        (
            _set("fillers.0.kind", "cough"),
            "analysis.fillers[0].kind: must be 'filled_pause' or 'lexical', not 'cough'",
        ),
        (
            _set("target_seconds", [90]),
            "analysis.target_seconds: must be a list of two numbers, not a list",
        ),
        (_set("pauses.0.end", "2.5"), "analysis.pauses[0].end: must be a number, not '2.5'"),
        (_set("rubric.star", {"situation": True}), "analysis.rubric.star: missing key 'task'"),
        (_set("verdicts.pace", 3), "analysis.verdicts.pace: must be a string, not 3"),
        (
            _set("hesitation.in_first_10s", 1.5),
            "analysis.hesitation.in_first_10s: must be a whole number, not 1.5",
        ),
        (
            _set("rubric.points.0.evidence", "it"),
            "analysis.rubric.points[0].evidence: must be a list of strings, not 'it'",
        ),
        (
            _set("schema_version", 99),
            "analysis.schema_version: 99 is not a format this version reads",
        ),
        (_set("schema_version", "2"), "analysis.schema_version: must be a whole number, not '2'"),
        (
            _set("policy", {"pace_band_wpm": "fast"}),
            "analysis.policy.pace_band_wpm: must be a list of two numbers",
        ),
    ],
)
def test_malformed_is_one_line_naming_the_field(change, message):
    with pytest.raises(AnalysisFormatError) as e:
        Analysis.from_dict(broken(change))
    text = str(e.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert isinstance(e.value, ValueError) and isinstance(e.value, VoiceInterviewerError)


@pytest.mark.parametrize("value", [None, [], "analysis", 3])
def test_not_an_object(value):
    with pytest.raises(AnalysisFormatError, match="^analysis: must be an object"):
        Analysis.from_dict(value)


def test_unknown_keys_are_ignored():
    """A later version may add keys (the contract only ever adds)."""
    d = load("analysis_v1_spoken.json")
    d["something_new"] = {"x": 1}
    d["rubric"]["points"][0]["new_field"] = 3
    assert Analysis.from_dict(d).answer_s == d["answer_s"]


def test_the_typed_dicts_state_exactly_what_is_written():
    """serialization's TypedDicts are the contract the README links: every object written has
    exactly their keys, in their order (a key added to one without the other fails here)."""
    from voice_interviewer.scoring import serialization as s

    def keys(t: type) -> list[str]:
        return list(t.__annotations__)

    for a in (
        spoken(),
        score_text(make_question(star=True), "I led it. As a result we won.", None),
    ):
        d = a.to_dict()
        assert list(d) == keys(s.AnalysisDict)
        assert list(d["question"]) == keys(s.QuestionDict)
        assert all(list(w) == keys(s.WordDict) for w in d["words"])
        assert list(d["rubric"]) == keys(s.RubricDict)
        assert d["rubric"]["points"] and all(
            list(p) == keys(s.PointDict) for p in d["rubric"]["points"]
        )
        assert list(d["rubric"]["star"]) == keys(s.StarDict)
        assert set(d["verdicts"]) <= set(keys(s.VerdictsDict))
        assert list(d["verdicts"]) == [k for k in keys(s.VerdictsDict) if k in d["verdicts"]]
    d = spoken().to_dict()
    assert list(d["hesitation"]) == keys(s.HesitationDict)
    assert d["fillers"] and all(list(f) == keys(s.FillerDict) for f in d["fillers"])
    assert d["pauses"] and all(list(p) == keys(s.SpanDict) for p in d["pauses"])
    assert all(list(r) == keys(s.RepetitionDict) for r in d["repetitions"])
