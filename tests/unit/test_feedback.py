"""feedback: spoken-style summary lines and the choice of follow-up."""

from __future__ import annotations

import random

from voice_interviewer.bank import FollowUp, Point, Question
from voice_interviewer.live.feedback import STAR_PROBES, choose_follow_up, feedback_lines
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord
from voice_interviewer.scoring.policy import ScoringPolicy
from voice_interviewer.scoring.rubric import PointResult, RubricResult, StarResult
from voice_interviewer.speech.timeline import Filler, Span

FOLLOW_UPS = ("What would you do differently?", "How did your manager react?")


def make_question(star: bool, follow_ups=FOLLOW_UPS) -> Question:
    points = (Point("a", "A point", ("a",)),)
    follow_ups = tuple(FollowUp(text) for text in follow_ups)
    return Question("q", "behavioral", "Tell me.", (30.0, 60.0), star, (), (), follow_ups, points)


def ask(q: Question, analysis, rng) -> str | None:
    """The text of the follow-up chosen (a FollowUp), or None."""
    chosen = choose_follow_up(q, analysis, rng)
    return None if chosen is None else chosen.text


def analysis(
    *,
    target=(30.0, 60.0),
    answer_s=45.0,
    wpm: float | None = 150.0,
    long_pauses=(),
    fillers=(),
    points=(("a", "A point", True),),
    star: StarResult | None = None,
    policy: ScoringPolicy = ScoringPolicy(),
) -> Analysis:
    """A typed analysis holding exactly the given measurements."""
    q = make_question(star is not None)
    q = Question(q.id, q.category, q.text, target, q.star, (), (), q.follow_ups, q.points)
    return Analysis(
        question=q,
        duration_s=answer_s + 2.0,
        words=[AnalyzedWord("answer", 1.0, 1.5, False)],
        response_latency_s=1.0,
        answer_s=answer_s,
        words_per_minute=wpm,
        articulation_wpm=wpm,
        pauses=[Span(*p) for p in long_pauses],
        long_pauses=[Span(*p) for p in long_pauses],
        fillers=[Filler(t, 2.0, 2.2, "lexical") for t in fillers],
        repetitions=[],
        rubric=RubricResult(
            coverage=0.0, points=[PointResult(i, t, hit, []) for i, t, hit in points], star=star
        ),
        policy=policy,
    )


def star(situation=True, task=True, action=True, result=True) -> Analysis:
    return analysis(star=StarResult(situation, task, action, result))


def test_feedback_lines_full():
    a = analysis(
        long_pauses=[(5.0, 7.5)],
        fillers=["um", "like", "um"],
        points=[("a", "A point", True), ("b", "B point", False)],
        star=StarResult(situation=True, task=False, action=True, result=False),
    )
    assert feedback_lines(a) == [
        "You spoke for 45 seconds (on target; aim for 30 to 60).",
        "Your pace was 150 words a minute: a good pace.",
        "1 long pause of two seconds or more.",
        '3 fillers: "um" x2, "like" x1.',
        "You covered 1 of 2 points.",
        "Missed: B point.",
        "STAR: the task and result did not come through.",
    ]
    assert feedback_lines(Analysis.from_dict(a.to_dict())) == feedback_lines(
        a
    )  # a saved analysis reads the same


def test_feedback_lines_short_slow_clean():
    a = analysis(
        target=(60, 120),
        answer_s=20.0,
        wpm=100.0,
        long_pauses=[(1, 3), (5, 8)],
        points=[("a", "A", True)],
    )
    assert feedback_lines(a) == [
        "You spoke for 20 seconds (a little short; aim for 60 to 120).",
        "Your pace was 100 words a minute: slow.",
        "2 long pauses of two seconds or more.",
        "No fillers.",
        "You covered every point.",
    ]


def test_feedback_lines_long_fast_without_pace():
    a = analysis(
        answer_s=90.0,
        wpm=None,
        fillers=["so"],
        points=[("x", "x", False)],
        star=StarResult(True, True, True, True),
    )
    assert feedback_lines(a) == [
        "You spoke for 90 seconds (a little long; aim for 30 to 60).",
        '1 filler: "so" x1.',
        "You missed its point.",
        "Missed: x.",
    ]
    a.words_per_minute = 170.0
    assert feedback_lines(a)[1] == "Your pace was 170 words a minute: fast."


def test_filler_line_names_every_kind_when_there_are_few():
    # Four kinds were "and 1 other" (issue 25, defect 5): up to five are all named.
    texts = ["um", "um", "uh", "so", "like"]
    a = analysis(answer_s=40.0, wpm=None, fillers=texts, points=[])
    assert feedback_lines(a)[1] == '5 fillers: "um" x2, "uh" x1, "so" x1, "like" x1.'


def test_filler_line_adds_up_when_more_kinds_than_it_names():
    texts = ["um", "um", "uh", "uh", "so", "like", "i mean", "you know", "basically"]
    a = analysis(answer_s=40.0, wpm=None, fillers=texts, points=[])
    assert feedback_lines(a)[1] == (
        '9 fillers: "um" x2, "uh" x2, "so" x1, "like" x1, "i mean" x1 and 2 more.'
    )


def test_feedback_follows_the_policy_the_answer_was_judged_by():
    policy = ScoringPolicy(pace_band_wpm=(100.0, 140.0), long_pause_s=3.0, length_tolerance_s=5.0)
    a = analysis(target=(30, 60), answer_s=63.0, wpm=150.0, long_pauses=[(1, 5)], policy=policy)
    lines = feedback_lines(a)
    assert lines[0] == "You spoke for 63 seconds (on target; aim for 30 to 60)."  # within 5 s
    assert lines[1] == "Your pace was 150 words a minute: fast."  # above 140
    assert lines[2] == "1 long pause of three seconds or more."
    assert feedback_lines(Analysis.from_dict(a.to_dict())) == lines  # saved with its policy


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
