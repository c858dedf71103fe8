"""A point's ``probe`` and a question's ``model_answer`` (issue 25): how the loader reads and
rejects them, and the probe built for a point whose bank has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_interviewer.bank import Point, read_bank_file
from voice_interviewer.bank.model import MAX_MODEL_ANSWER_CHARS, MAX_PROBE_CHARS
from voice_interviewer.errors import BankError

BANK = """
id = "tiny"
title = "Tiny bank"

[[questions]]
id = "overfitting"
category = "technical"
text = "What is overfitting?"
target_seconds = [60, 120]
star = false
{question_extra}

[[questions.points]]
id = "p1"
text = "Point one"
keywords = ["alpha"]
{point_extra}

[[questions.points]]
id = "p2"
text = "Point two"
keywords = ["beta"]

[[questions.points]]
id = "p3"
text = "Point three"
keywords = ["gamma"]
"""


def write(tmp_path: Path, *, question_extra: str = "", point_extra: str = "") -> Path:
    path = tmp_path / "bank.toml"
    text = BANK.format(question_extra=question_extra, point_extra=point_extra)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(BankError) as info:
        read_bank_file(path)
    msg = str(info.value)
    assert "\n" not in msg, msg
    return msg


# --- loading ----------------------------------------------------------------------------------


def test_probe_and_model_answer_are_read_with_whitespace_collapsed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        question_extra='model_answer = """I would say\n   this,   aloud."""',
        point_extra='probe = "  What about\\tthe first thing? "',
    )
    q = read_bank_file(path).question("overfitting")
    assert q.model_answer == "I would say this, aloud."
    assert q.points[0].probe == "What about the first thing?"
    assert q.points[1].probe is None


def test_both_keys_are_optional(tmp_path: Path) -> None:
    q = read_bank_file(write(tmp_path)).question("overfitting")
    assert q.model_answer is None and all(p.probe is None for p in q.points)


def test_a_follow_up_point_may_have_a_probe(tmp_path: Path) -> None:
    follow_up = """
[[questions.follow_up]]
text = "Why?"
[[questions.follow_up.points]]
id = "why"
text = "Says why"
keywords = ["because"]
probe = "What is the reason behind it?"
"""
    path = tmp_path / "bank.toml"
    path.write_text(BANK.format(question_extra="", point_extra="") + follow_up, encoding="utf-8")
    q = read_bank_file(path).question("overfitting")
    assert q.follow_ups[0].points[0].probe == "What is the reason behind it?"


def test_longest_allowed_texts_load(tmp_path: Path) -> None:
    probe, answer = "p" * MAX_PROBE_CHARS, "a" * MAX_MODEL_ANSWER_CHARS
    path = write(
        tmp_path, question_extra=f'model_answer = "{answer}"', point_extra=f'probe = "{probe}"'
    )
    q = read_bank_file(path).question("overfitting")
    assert q.points[0].probe == probe and q.model_answer == answer


# --- bad values: one line naming the file, the question, the point and the field --------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("3", "expected a non-empty string, got 3"),
        ('""', "expected a non-empty string, got ''"),
        ('"   "', "expected a non-empty string, got '   '"),
        (f'"{"x" * (MAX_PROBE_CHARS + 1)}"', f"expected at most {MAX_PROBE_CHARS} characters, got"),
        ('["What?"]', "expected a non-empty string, got ['What?']"),
    ],
)
def test_bad_probe(tmp_path: Path, value: str, problem: str) -> None:
    path = write(tmp_path, point_extra=f"probe = {value}")
    msg = error_for(path)
    assert msg.startswith(f"{path}: question 'overfitting': point 'p1': field 'probe': {problem}")


def test_too_long_probe_message_is_exact(tmp_path: Path) -> None:
    path = write(tmp_path, point_extra=f'probe = "{"x" * 301}"')
    assert error_for(path) == (
        f"{path}: question 'overfitting': point 'p1': field 'probe': "
        "expected at most 300 characters, got 301"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("42", "expected a non-empty string, got 42"),
        ('""""""', "expected a non-empty string, got ''"),
        ("true", "expected a non-empty string, got True"),
        (
            f'"{"w " * MAX_MODEL_ANSWER_CHARS}"',
            f"expected at most {MAX_MODEL_ANSWER_CHARS} characters, got {2 * 4000 - 1}",
        ),
    ],
)
def test_bad_model_answer(tmp_path: Path, value: str, problem: str) -> None:
    path = write(tmp_path, question_extra=f"model_answer = {value}")
    assert error_for(path) == f"{path}: question 'overfitting': field 'model_answer': {problem}"


def test_misspelt_keys_are_named_with_a_suggestion(tmp_path: Path) -> None:
    msg = error_for(write(tmp_path, point_extra='probes = "What?"'))
    assert "point #1" in msg and "unknown field 'probes'" in msg and "'probe'" in msg
    msg = error_for(write(tmp_path, question_extra='model_anwser = "I would."'))
    assert "question 'overfitting'" in msg and "did you mean 'model_answer'?" in msg


# --- the probe to ask -------------------------------------------------------------------------


def test_the_banks_probe_is_asked_as_written() -> None:
    point = Point("labels", "Trains on labeled data", ("labeled",), probe="What does it need?")
    assert point.probe_question() == "What does it need?"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        (
            "Names regularization (L1/L2, dropout).",
            "You did not mention: names regularization (L1/L2, dropout). "
            "Can you say something about that?",
        ),
        (
            "Model-based imputation",
            "You did not mention: model-based imputation. Can you say something about that?",
        ),
        # Acronyms, "A/B" and "I" keep their capitals.
        (
            "PCA for dimensionality reduction",
            "You did not mention: PCA for dimensionality reduction. "
            "Can you say something about that?",
        ),
        (
            "A/B tests after launch",
            "You did not mention: A/B tests after launch. Can you say something about that?",
        ),
        (
            "I owned the fix",
            "You did not mention: I owned the fix. Can you say something about that?",
        ),
    ],
)
def test_a_probe_is_built_from_the_points_text_when_the_bank_has_none(
    text: str, asked: str
) -> None:
    assert Point("p", text, ("k",)).probe_question() == asked
