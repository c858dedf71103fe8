"""The shipped bank's probes and model answers (issue 25): every point has a probe that does not
give its answer away, every question a model answer of a length its target allows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from voice_interviewer.bank import Point, Question, resolve_bank
from voice_interviewer.scoring.rubric import keyword_said

BANK = resolve_bank(None)
QUESTIONS = {q.id: q for q in BANK.questions}
# A model answer is read aloud at about this pace (words a minute): its length must fit the
# question's target_seconds, or the tool's own timing feedback would call it too short or too long.
SPOKEN_WORDS_PER_MINUTE = 150
MOST_PROBE_WORDS = 20

# Probes that say one of their own point's keywords, each with the reason it is unavoidable.
# (question id, point id) -> the keyword said.
KEYWORD_IN_PROBE: dict[tuple[str, str], str] = {}


def _points(q: Question) -> Iterator[Point]:
    yield from q.points
    for follow_up in q.follow_ups:
        yield from follow_up.points


ALL_POINTS = [(q.id, p) for q in BANK.questions for p in _points(q)]


# The rubric's own keyword matching (stems, spellings, words apart or together).
says = keyword_said


def test_says_matches_as_the_rubric_does() -> None:
    assert says("Which labels does it need?", "label")
    assert says("It was regularised.", "regularize")
    assert says("a data set of prices", "dataset")
    assert says("we used a dataset", "data set")
    assert not says("What does it need to learn?", "label")
    assert not says("could not just wait", "could not wait")


def test_the_shipped_bank_has_the_points_it_had() -> None:
    # 109 points in the 20 questions, and 3 in the one follow-up with points.
    assert len(QUESTIONS) == 20 and len(ALL_POINTS) == 112


@pytest.mark.parametrize(("question_id", "point"), ALL_POINTS, ids=lambda v: getattr(v, "id", v))
def test_every_shipped_point_has_a_short_spoken_probe(question_id: str, point: Point) -> None:
    assert point.probe, f"{question_id}/{point.id} has no probe"
    assert point.probe_question() == point.probe
    assert point.probe.endswith("?") and point.probe[0].isupper()
    assert len(point.probe.split()) <= MOST_PROBE_WORDS, point.probe


@pytest.mark.parametrize(("question_id", "point"), ALL_POINTS, ids=lambda v: getattr(v, "id", v))
def test_no_probe_gives_its_point_away(question_id: str, point: Point) -> None:
    """A probe that says one of its point's keywords would let a reply that only repeats it
    make the point."""
    said = [k for k in point.keywords if point.probe and says(point.probe, k)]
    allowed = KEYWORD_IN_PROBE.get((question_id, point.id))
    assert said == ([allowed] if allowed else []), f"{question_id}/{point.id}: {point.probe!r}"


@pytest.mark.parametrize("question", BANK.questions, ids=lambda q: q.id)
def test_every_shipped_question_has_a_model_answer_its_target_allows(question: Question) -> None:
    assert question.model_answer, f"{question.id} has no model answer"
    words = len(question.model_answer.split())
    spoken = words / SPOKEN_WORDS_PER_MINUTE * 60
    least, most = question.target_seconds
    assert least <= spoken <= most, f"{question.id}: {words} words, {spoken:.0f} s"


@pytest.mark.parametrize("question", [q for q in BANK.questions if q.star], ids=lambda q: q.id)
def test_star_model_answers_tell_a_story_in_order(question: Question) -> None:
    """A behavioural model answer is one story, told in the first person: its situation (or the
    example it sets up) comes before its result."""
    text = question.model_answer.lower() if question.model_answer else ""
    assert " i " in f" {text} ", question.id
    starts = [i for i in (text.find("situation"), text.find("example")) if i >= 0]
    assert starts and min(starts) < text.rfind("result"), question.id


def test_probes_of_a_question_differ() -> None:
    for q in BANK.questions:
        probes = [p.probe for p in _points(q)]
        assert len(set(probes)) == len(probes), q.id
