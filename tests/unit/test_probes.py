"""Probes on what an answer missed (issue 25): which point is probed, when a probe may follow, and
what its feedback says. Pure: a saved analysis with its points' statuses edited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_interviewer.bank import FOLLOW_UP_TARGET_SECONDS, Example, resolve_bank
from voice_interviewer.live.probes import (
    choose_probe_point,
    probe_follow_up,
    probe_verdict,
    wants_probe,
)
from voice_interviewer.scoring.analysis import Analysis

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def question():
    return resolve_bank(None).question("overfitting")


def analysis(statuses: dict[str, str]) -> Analysis:
    """The saved overfitting analysis with each point's status (made/missed/unclear) set."""
    d = json.loads((DATA / "analysis_overfitting.json").read_text())
    for p in d["rubric"]["points"]:
        status = statuses.get(p["id"], "made")
        p["status"], p["hit"] = status, status == "made"
    return Analysis.from_dict(d)


def test_the_first_missed_point_in_bank_order_is_probed(question):
    ids = [p.id for p in question.points]
    a = analysis({ids[4]: "missed", ids[2]: "missed"})
    assert choose_probe_point(question, a).id == ids[2]


def test_unclear_and_made_points_are_never_probed(question):
    ids = [p.id for p in question.points]
    a = analysis({ids[1]: "unclear", ids[3]: "missed"})
    assert choose_probe_point(question, a).id == ids[3]
    assert choose_probe_point(question, analysis({ids[1]: "unclear"})) is None
    assert choose_probe_point(question, analysis({})) is None  # every point made
    assert choose_probe_point(question, None) is None


@pytest.mark.parametrize(
    "cap,asked,status,follow_up,expected",
    [
        (1, 0, "answered", False, True),
        (0, 0, "answered", False, False),  # --probes 0
        (1, 1, "answered", False, False),  # this question's probe is used up
        (2, 1, "answered", False, True),
        (1, 0, "unanswered", False, False),  # nothing was heard
        (1, 0, "interrupted", False, False),
        (1, 0, "answered", True, False),  # a follow-up was already asked about it
    ],
)
def test_when_a_probe_may_follow(cap, asked, status, follow_up, expected):
    a = analysis({"bias-variance": "missed"})
    kw = dict(cap=cap, asked=asked, status=status, follow_up_asked=follow_up)
    assert wants_probe(**kw, analysis=a) is expected
    assert wants_probe(**kw, analysis=None) is False


def test_the_probe_is_judged_on_its_point_alone_with_a_short_target(question):
    point = question.points[0]
    probe = probe_follow_up(point).as_question(question)
    assert probe.text == point.probe_question() and probe.points == (point,)
    assert probe.target_seconds == FOLLOW_UP_TARGET_SECONDS and probe.id == question.id
    assert not probe.star and probe.model_answer is None  # no example answer after a probe


def test_the_probe_feedback_says_whether_the_point_was_made_now(question):
    point = next(p for p in question.points if p.id == "bias-variance")
    made = probe_verdict(point, analysis({}))
    missed = probe_verdict(point, analysis({"bias-variance": "missed"}))
    assert made.startswith("You made the point this time") and point.text in made
    assert missed.startswith("The point still did not come through") and point.text in missed
    assert "near call" in probe_verdict(point, analysis({"bias-variance": "unclear"}))
    assert missed == probe_verdict(point, None)


def test_the_example_answer_is_the_model_answer_else_the_first_example(question):
    from dataclasses import replace

    assert question.example_answer() == question.model_answer and question.model_answer
    examples = (Example("First.", ()), Example("Second.", ()))
    assert replace(question, model_answer=None, examples=examples).example_answer() == "First."
    assert replace(question, model_answer=None, examples=()).example_answer() is None


def test_the_terminal_prints_the_example_answer_as_text_and_jsonl_leaves_it_out():
    import io

    from rich.console import Console

    from voice_interviewer.live import events as ev
    from voice_interviewer.live.display import RichDisplay

    buf = io.StringIO()
    RichDisplay(Console(file=buf, width=200, color_system=None)).handle(
        ev.ExampleAnswer("q", "I would use [bold]L2[/bold] first.")
    )
    assert "An example answer" in buf.getvalue()
    assert "I would use [bold]L2[/bold] first." in buf.getvalue()
    assert ev.ExampleAnswer("q", "x").jsonl() is None  # the --jsonl contract is unchanged


def test_a_probe_is_shown_as_a_probe_on_its_point_not_a_follow_up(question):
    """The question event of a probe names the missed point; the terminal says it is a probe on
    that point (a bank follow-up reads as before), and the --jsonl line is unchanged."""
    import io

    from rich.console import Console

    from voice_interviewer.bank import FollowUp
    from voice_interviewer.live import events as ev
    from voice_interviewer.live.display import RichDisplay
    from voice_interviewer.live.probes import probed_point

    point = question.points[1]
    probe = probe_follow_up(point)
    assert probed_point(probe) == point.text
    assert probed_point(FollowUp("How?", points=(point,))) is None and probed_point(None) is None
    asked = ev.QuestionAsked(
        question.id, probe.text, True, 2, 3, "technical", probe_point=probed_point(probe)
    )
    buf = io.StringIO()
    display = RichDisplay(Console(file=buf, width=200, color_system=None))
    display.handle(asked)
    shown = buf.getvalue()
    assert f"Probe on question 2, a point you missed: {point.text}" in shown
    assert f"Probe: {probe.text}" in shown and "Follow-up" not in shown
    buf.seek(0)
    buf.truncate()
    display.handle(ev.QuestionAsked(question.id, "How?", True, 2, 3, "technical"))
    assert "Follow-up: How?" in buf.getvalue() and "Probe" not in buf.getvalue()
    assert set(asked.jsonl()) == {"event", "id", "text", "follow_up"}


def test_the_session_summary_labels_a_probe_as_one(question):
    from voice_interviewer.live.attempts import AnswerRow, summary_row

    probe = probe_follow_up(question.points[2])
    rows = [
        AnswerRow(question, probe.text, "unanswered", None, follow_up=True),
        AnswerRow(question, "What was the result?", "unanswered", None, follow_up=True),
    ]
    assert [summary_row(r).label for r in rows] == ["  ↳ probe", "  ↳ follow-up"]
