"""feedback: spoken-style summary lines and the choice of follow-up."""

from __future__ import annotations

import random

from voice_interviewer.bank import FollowUp, Point, Question
from voice_interviewer.live.feedback import STAR_PROBES, choose_follow_up, feedback_lines

FOLLOW_UPS = ("What would you do differently?", "How did your manager react?")


def make_question(star: bool, follow_ups=FOLLOW_UPS) -> Question:
    points = (Point("a", "A point", ("a",)),)
    follow_ups = tuple(FollowUp(text) for text in follow_ups)
    return Question("q", "behavioral", "Tell me.", (30.0, 60.0), star, (), (), follow_ups, points)


def ask(q: Question, analysis, rng) -> str | None:
    """The text of the follow-up chosen (a FollowUp), or None."""
    chosen = choose_follow_up(q, analysis, rng)
    return None if chosen is None else chosen.text


def star(situation=True, task=True, action=True, result=True) -> dict:
    return {"rubric": {"star": dict(situation=situation, task=task, action=action, result=result)}}


def test_feedback_lines_full():
    a = {
        "target_seconds": [30, 60],
        "answer_s": 45.0,
        "words_per_minute": 150.0,
        "long_pauses": [{"start": 5.0, "end": 7.5}],
        "fillers": [{"text": "um"}, {"text": "like"}, {"text": "um"}],
        "rubric": {
            "points": [
                {"id": "a", "text": "A point", "hit": True},
                {"id": "b", "text": "B point", "hit": False},
            ],
            "star": {"situation": True, "task": False, "action": True, "result": False},
        },
    }
    assert feedback_lines(a) == [
        "You spoke for 45 seconds (on target; aim for 30 to 60).",
        "Your pace was 150 words a minute: a good pace.",
        "1 long pause of two seconds or more.",
        '3 fillers: "um" x2, "like" x1.',
        "You covered 1 of 2 points.",
        "Missed: B point.",
        "STAR: the task and result did not come through.",
    ]


def test_feedback_lines_short_slow_clean():
    a = {
        "target_seconds": [60, 120],
        "answer_s": 20.0,
        "words_per_minute": 100.0,
        "long_pauses": [{"start": 1, "end": 3}, {"start": 5, "end": 8}],
        "fillers": [],
        "rubric": {"points": [{"id": "a", "text": "A", "hit": True}], "star": None},
    }
    assert feedback_lines(a) == [
        "You spoke for 20 seconds (a little short; aim for 60 to 120).",
        "Your pace was 100 words a minute: slow.",
        "2 long pauses of two seconds or more.",
        "No fillers.",
        "You covered 1 of 1 points.",
    ]


def test_feedback_lines_long_fast_without_pace():
    a = {
        "target_seconds": [30, 60],
        "answer_s": 90.0,
        "words_per_minute": None,
        "fillers": [{"text": "so"}],
        "rubric": {"points": [{"id": "x", "hit": False}], "star": {
            "situation": True, "task": True, "action": True, "result": True}},
    }  # fmt: skip
    assert feedback_lines(a) == [
        "You spoke for 90 seconds (a little long; aim for 30 to 60).",
        '1 filler: "so" x1.',
        "You covered 0 of 1 points.",
        "Missed: x.",  # no text: the id stands in
    ]
    a["words_per_minute"] = 170.0
    assert feedback_lines(a)[1] == "Your pace was 170 words a minute: fast."


def test_filler_line_adds_up_when_more_kinds_than_it_names():
    texts = ["um", "um", "uh", "uh", "so", "like", "i mean"]
    a = {
        "target_seconds": [30, 60],
        "answer_s": 40.0,
        "words_per_minute": None,
        "fillers": [{"text": t} for t in texts],
        "rubric": {"points": [], "star": None},
    }
    assert feedback_lines(a)[1] == '7 fillers: "um" x2, "uh" x2, "so" x1 and 2 others.'


def test_star_probe_for_the_missing_part_first():
    q = make_question(star=True)
    rng = random.Random(0)
    assert ask(q, star(task=False, result=False), rng) == STAR_PROBES["result"]
    assert ask(q, star(task=False, action=False), rng) == STAR_PROBES["action"]
    assert ask(q, star(situation=False, task=False), rng) == STAR_PROBES["situation"]
    assert ask(q, star(task=False), rng) == STAR_PROBES["task"]
    assert STAR_PROBES["result"] == "What was the result?"


def test_complete_star_gets_a_follow_up():
    q = make_question(star=True)
    assert ask(q, star(), random.Random(0)) in FOLLOW_UPS


def test_non_star_question_ignores_star_and_asks_a_follow_up():
    q = make_question(star=False)
    assert ask(q, star(result=False), random.Random(0)) in FOLLOW_UPS
    assert ask(q, None, random.Random(0)) in FOLLOW_UPS


def test_follow_up_is_deterministic_per_seed_and_uses_the_rng():
    q = make_question(star=False)
    picks = [ask(q, None, random.Random(seed)) for seed in range(20)]
    again = [ask(q, None, random.Random(seed)) for seed in range(20)]
    assert picks == again
    assert set(picks) == set(FOLLOW_UPS)  # both get chosen across seeds


def test_nothing_to_ask():
    q = make_question(star=True, follow_ups=())
    assert ask(q, star(), random.Random(0)) is None
    assert ask(q, None, random.Random(0)) is None
    assert ask(make_question(False, ()), None, random.Random(0)) is None
