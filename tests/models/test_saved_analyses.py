"""Saved sessions read back typed: every analysis the store holds (made by the real pipeline, or the
older hand-made format) loads with Analysis.from_dict, and one this version saved comes back
exactly; a damaged one is one line naming the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sessions_fixture import RealHome, add_session, known_analysis, real_home
from voice_interviewer.errors import AnalysisFormatError
from voice_interviewer.scoring.analysis_format import SCHEMA_VERSION
from voice_interviewer.sessions.history import analysis_of, scored_answers
from voice_interviewer.sessions.store import AnswerRecord, SessionStore


@pytest.fixture
def home(tmp_path_factory, tmp_path) -> RealHome:
    return real_home(tmp_path_factory, tmp_path / "home")


def test_every_saved_analysis_round_trips(home):
    store = SessionStore(home.root)
    try:
        answers = [a for s in store.list_sessions() for a in store.load_session(s.id).answers]
        saved = [a for a in answers if a.analysis is not None]
        assert len(saved) >= 4  # three clips in the complete session, more in the crashed one
        for a in saved:
            assert a.analysis["schema_version"] == SCHEMA_VERSION
            typed = analysis_of(a)
            assert typed.to_dict() == a.analysis  # exactly as saved: nothing lost or changed
            assert typed.question.id == a.question_id
        scored = scored_answers(answers)
        assert [s.record.id for s in scored] == [a.id for a in answers if a.scored]
    finally:
        store.close()


def test_older_hand_made_analyses_load(tmp_path):
    """tests/data holds the first saved format (no hesitation, no per-point scores, no policy)."""
    store = SessionStore(tmp_path / "home")
    try:
        add_session(store, "2025-01-10T09:00:00+00:00", [known_analysis("a", wpm=120, fpm=4)])
        (a,) = store.load_session(store.list_sessions()[0].id).answers
        typed = analysis_of(a)
        assert (typed.words_per_minute, typed.fillers_per_minute) == (120, 4)  # as saved
        assert typed.hesitation is None and "schema_version" not in a.analysis
    finally:
        store.close()


def test_a_damaged_analysis_is_one_line_naming_the_answer():
    """The store already leaves out reports damaged on disk (sessions/records); a record built
    any other way still cannot reach the reports malformed."""
    bad = known_analysis("a")
    bad["rubric"]["points"][0]["hit"] = "yes"
    record = AnswerRecord(
        id=1,
        seq=1,
        question_id="a",
        question_text="Q?",
        category="technical",
        prompt_text="Q?",
        follow_up_of=None,
        status="answered",
        end_reason="silence",
        wav_path=Path("/nowhere/01.wav"),
        wav_exists=True,
        analysis=bad,
    )
    with pytest.raises(AnalysisFormatError) as e:
        scored_answers([record])
    assert str(e.value) == (
        "answer 1 (a): saved analysis.rubric.points[0].hit: must be true or false, not 'yes'"
    )
