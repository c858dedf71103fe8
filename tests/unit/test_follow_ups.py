"""Issue 14 item 3: follow-ups are judged on their own: [[questions.follow_up]] tables with their
own optional points and target; plain `follow_ups` strings still work and get coverage not
scored."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from voice_interviewer.bank import FOLLOW_UP_TARGET_SECONDS, FollowUp, read_bank_file
from voice_interviewer.errors import BankError
from voice_interviewer.live.feedback import choose_follow_up, feedback_lines
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.text_answer import score_text

POINTS = "\n".join(
    f'[[questions.points]]\nid = "p{i}"\ntext = "Point {i}"\nkeywords = ["parentword{i}"]\n'
    for i in range(3)
)
BANK = f"""
id = "fu"
title = "Follow-ups"

[[questions]]
id = "overfitting"
category = "technical"
text = "What is overfitting?"
target_seconds = [60, 120]
star = false
follow_ups = ["Any other ideas?"]
{POINTS}
[[questions.follow_up]]
text = "How does dropout reduce overfitting?"
target_seconds = [15, 45]

[[questions.follow_up.points]]
id = "random-units"
text = "Randomly drops units during training"
keywords = ["randomly drop", "drops units", "zeroes out"]

[[questions.follow_up.points]]
id = "ensemble"
text = "Acts like an ensemble of thinner networks"
keywords = ["ensemble"]

[[questions.follow_up]]
text = "Which one would you try first?"
"""


@pytest.fixture
def bank_path(tmp_path: Path) -> Path:
    path = tmp_path / "fu.toml"
    path.write_text(BANK)
    return path


def test_both_follow_up_forms_load_in_order(bank_path):
    q = read_bank_file(bank_path).question("overfitting")
    assert [f.text for f in q.follow_ups] == [
        "Any other ideas?",
        "How does dropout reduce overfitting?",
        "Which one would you try first?",
    ]
    simple, dropout, bare = q.follow_ups
    assert (
        simple == FollowUp("Any other ideas?") and bare.points == () and bare.target_seconds is None
    )
    assert [p.id for p in dropout.points] == ["random-units", "ensemble"]
    assert dropout.target_seconds == (15.0, 45.0)


def test_a_follow_up_is_scored_against_its_own_points_and_target(bank_path):
    q = read_bank_file(bank_path).question("overfitting")
    dropout = q.follow_ups[1].as_question(q)
    assert dropout.id == q.id and dropout.text == "How does dropout reduce overfitting?"
    assert dropout.target_seconds == (15.0, 45.0) and not dropout.star
    answer = "During training it will randomly drop units, so the net acts like an ensemble."
    a = score_text(dropout, answer, None).to_dict()
    assert [p["id"] for p in a["rubric"]["points"]] == ["random-units", "ensemble"]
    assert a["rubric"]["coverage"] == 1.0
    assert a["target_seconds"] == [15.0, 45.0]
    # Against the parent the same answer would have covered nothing.
    assert score_text(q, answer, None).to_dict()["rubric"]["coverage"] == 0.0


def test_a_follow_up_without_points_gets_coverage_not_scored(bank_path):
    q = read_bank_file(bank_path).question("overfitting")
    bare = q.follow_ups[0].as_question(q)
    assert bare.target_seconds == FOLLOW_UP_TARGET_SECONDS
    a = score_text(bare, "I would try early stopping first because it is cheap.", None)
    d = a.to_dict()
    assert d["rubric"]["points"] == []
    assert d["verdicts"]["coverage"].startswith("not scored")
    d.update(answer_s=25.0, words_per_minute=140.0, long_pauses=[], fillers=[])  # as spoken
    lines = feedback_lines(Analysis.from_dict(d))
    assert "Coverage is not scored for this follow-up." in lines
    assert not any("covered" in line for line in lines)


def test_star_probes_are_follow_ups_without_points():
    from tests.unit.test_feedback import make_question, star

    probe = choose_follow_up(make_question(True), star(result=False), random.Random(0))
    assert probe == FollowUp("What was the result?")
    assert probe.as_question(make_question(True)).points == ()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            "[[questions.follow_up]]\ntarget_seconds = [10, 20]\n",
            "field 'text': missing required field",
        ),
        ('[[questions.follow_up]]\ntext = "Why?"\ntarget = [1, 2]\n', "unknown field 'target'"),
        (
            '[[questions.follow_up]]\ntext = "Why?"\ntarget_seconds = [30, 10]\n',
            "field 'target_seconds'",
        ),
        ('[[questions.follow_up]]\ntext = "Why?"\npoints = []\n', "expected 1 to 6"),
    ],
)
def test_bad_follow_up_tables_are_one_line_errors(tmp_path, table, message):
    path = tmp_path / "bad.toml"
    path.write_text(BANK.split("[[questions.follow_up]]")[0] + table)
    with pytest.raises(BankError) as err:
        read_bank_file(path)
    text = str(err.value)
    assert "\n" not in text and str(path) in text and "follow-up #1" in text
    assert message in text, text
