"""A user's correction teaches the rubric (issue 24): saved with the session's folder, read back
from the data folder, and it changes the verdict on a later answer that says the same thing in
other words (the packaged sentence model, no fakes)."""

from __future__ import annotations

import json

import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.errors import SessionError
from voice_interviewer.scoring.taught import LearnedExamples
from voice_interviewer.scoring.text_answer import rubric_of_text, score_text
from voice_interviewer.sessions.corrections import (
    learned_examples,
    load_corrections,
    make_correction,
    save_correction,
)

OWNED = "Looking back, the slip was mine to carry."
OWNED_AGAIN = "In hindsight the slip was mine to carry."
LATE = "We shipped the report a week late to the finance team."
LATE_AGAIN = "We sent the finance team their report a week after the deadline."


@pytest.fixture(scope="module")
def embedder():
    from voice_interviewer.scoring.semantic_model import shared_embedder

    return shared_embedder()


@pytest.fixture(scope="module")
def failure():
    return resolve_bank(None).question("failure")


def status(result, point_id: str) -> str:
    return next(p.status for p in result.points if p.id == point_id)


def teach(tmp_path, embedder, question, text, point_id, made) -> LearnedExamples:
    """Score ``text`` as answer 1 of a session, correct it, and read the data folder back."""
    folder = tmp_path / "sessions" / "1"
    folder.mkdir(parents=True)
    analysis = score_text(question, text, embedder)
    save_correction(folder, make_correction(analysis, 1, point_id, made, embedder))
    return learned_examples(tmp_path)


def test_a_point_marked_made_is_made_on_a_later_answer_that_says_it_alike(
    tmp_path, embedder, failure
):
    assert status(rubric_of_text(failure, OWNED_AGAIN, embedder), "ownership") == "missed"
    learned = teach(tmp_path, embedder, failure, OWNED, "ownership", True)
    later = rubric_of_text(failure, OWNED_AGAIN, embedder, learned=learned)
    assert status(later, "ownership") == "made"
    # an answer about something else is not touched by it
    other = rubric_of_text(failure, LATE_AGAIN, embedder, learned=learned)
    assert status(other, "ownership") == "missed"


def test_a_point_marked_missed_is_missed_on_a_later_answer_that_says_it_alike(
    tmp_path, embedder, failure
):
    assert status(rubric_of_text(failure, LATE_AGAIN, embedder), "real-failure") == "made"
    learned = teach(tmp_path, embedder, failure, LATE, "real-failure", False)
    later = rubric_of_text(failure, LATE_AGAIN, embedder, learned=learned)
    assert status(later, "real-failure") == "missed"


def test_a_correction_is_saved_once_per_answer_and_point(tmp_path, embedder, failure):
    folder = tmp_path / "s"
    folder.mkdir()
    analysis = score_text(failure, OWNED, embedder)
    save_correction(folder, make_correction(analysis, 3, "ownership", True, embedder))
    save_correction(folder, make_correction(analysis, 3, "ownership", False, embedder))
    saved = load_corrections(folder)
    assert [(c.seq, c.point_id, c.made) for c in saved] == [(3, "ownership", False)]
    assert json.loads((folder / "corrections.json").read_text())[0]["sentence"]


def test_a_damaged_corrections_file_is_one_line_naming_it(tmp_path):
    (tmp_path / "corrections.json").write_text('[{"seq": 1}]')
    with pytest.raises(SessionError, match=r"corrections\.json: correction 1: not a correction"):
        load_corrections(tmp_path)
