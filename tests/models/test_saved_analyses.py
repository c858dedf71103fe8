"""Saved analyses read back typed: every analysis the store holds (made by the real pipeline, or
written by earlier versions) comes back as an ``Analysis``; one this version saved comes back
exactly, down to the bytes; a session saved by an earlier version and that version's
``score --json`` file of the same answer load to the same ``Analysis`` and write the same dict;
a damaged one is left out with one line naming the answer and the field."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import pytest

from tests.sessions_fixture import RealHome, add_session, known_analysis, real_home
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.serialization import SCHEMA_VERSION
from voice_interviewer.scoring.text_answer import score_text
from voice_interviewer.sessions.history import scored_answers
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).parents[1] / "data"
# Saved by earlier versions: the first format (no hesitation, per-point scores or policy), and
# schema 1 spoken and typed answers (hesitation, no schema_version, policy, voice or unclear).
EARLIER = (
    "analysis_overfitting.json",
    "analysis_prioritization.json",
    "analysis_v1_spoken.json",
    "analysis_v1_typed.json",
)


@pytest.fixture
def home(tmp_path_factory, tmp_path) -> RealHome:
    return real_home(tmp_path_factory, tmp_path / "home")


def stored_texts(store: SessionStore) -> dict[int, str]:
    """Answer id -> the analysis JSON exactly as the store wrote it."""
    with sqlite3.connect(store.db_path) as db:
        rows = db.execute("SELECT id, analysis FROM answers WHERE analysis IS NOT NULL")
        return dict(rows.fetchall())


def save_as_an_earlier_version(store: SessionStore, saved: dict) -> int:
    """A session whose one answer row holds ``saved`` as an earlier version wrote it: its JSON
    text verbatim (this version's ``complete_answer`` would write its own form)."""
    q = saved["question"]
    sid = store.create_session("amazon-mle", "Amazon MLE", saved["model"] or "tiny.en", {})
    aid, _ = store.begin_answer(sid, 1, q["id"], q["text"], q["category"], q["text"])
    store.complete_answer(aid, status="answered", end_reason="silence", analysis=None)
    with sqlite3.connect(store.db_path) as db:
        text = json.dumps(saved, ensure_ascii=False, indent=1)
        db.execute("UPDATE answers SET analysis = ? WHERE id = ?", (text, aid))
    store.end_session(sid, interrupted=False)
    return sid


def keeps(new: object, old: object, path: str) -> bool:
    """``new`` holds every key of ``old`` with the same value, at every depth (keys only added)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), path
        for k, v in old.items():
            assert k in new, f"{path}.{k} dropped"
            keeps(new[k], v, f"{path}.{k}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), path
        for i, (n, o) in enumerate(zip(new, old, strict=True)):
            keeps(n, o, f"{path}[{i}]")
    else:
        assert new == old, f"{path}: {old!r} became {new!r}"
    return True


def test_every_saved_analysis_round_trips(home):
    store = SessionStore(home.root)
    try:
        answers = [a for s in store.list_sessions() for a in store.load_session(s.id).answers]
        saved = [a for a in answers if a.analysis is not None]
        assert len(saved) >= 4  # three clips in the complete session, more in the crashed one
        texts = stored_texts(store)
        for a in saved:
            assert isinstance(a.analysis, Analysis)
            written = json.loads(texts[a.id])
            assert written["schema_version"] == SCHEMA_VERSION
            assert a.analysis.to_dict() == written  # exactly as saved: nothing lost or changed
            assert json.dumps(a.analysis.to_dict(), ensure_ascii=False) == texts[a.id]  # bytes
            assert a.analysis.question.id == a.question_id
        scored = scored_answers(answers)
        assert [s.record.id for s in scored] == [a.id for a in answers if a.scored]
        assert all(s.analysis is s.record.analysis for s in scored)
    finally:
        store.close()


@pytest.mark.parametrize("name", EARLIER)
def test_an_earlier_session_and_its_score_json_load_the_same(tmp_path, name):
    """The same answer saved by an earlier version twice, in a session and as a ``score --json``
    file (which adds 'audio'), loads to the same Analysis and writes the same dict, keeping every
    key and value the earlier version wrote (keys are added, never renamed or dropped)."""
    saved = json.loads((DATA / name).read_text())
    score_json = {**saved, "audio": "answer.flac"}
    store = SessionStore(tmp_path / "home")
    try:
        sid = save_as_an_earlier_version(store, saved)
        (record,) = store.load_session(sid).answers
    finally:
        store.close()
    from_file = Analysis.from_dict(json.loads(json.dumps(score_json)))
    assert record.analysis == from_file
    assert record.analysis.to_dict() == from_file.to_dict()
    again = record.analysis.to_dict()
    assert keeps(again, saved, "analysis")  # what it had, unchanged (nested keys too)
    assert record.analysis.typed == (saved["duration_s"] is None)
    # Written back by this version and read again: still the same answer.
    assert Analysis.from_dict(json.loads(json.dumps(again))).to_dict() == again


def test_earlier_numbers_are_kept_as_saved(tmp_path):
    """An analysis of the first format keeps the rates it reported (not recomputed), and its
    missing hesitation stays unknown until written back."""
    store = SessionStore(tmp_path / "home")
    try:
        sid = save_as_an_earlier_version(store, known_analysis("a", wpm=120, fpm=4))
        (a,) = store.load_session(sid).answers
        typed = a.analysis
        assert (typed.words_per_minute, typed.fillers_per_minute) == (120, 4)  # as saved
        assert typed.hesitation is None
        assert "schema_version" not in json.loads(stored_texts(store)[a.id])
    finally:
        store.close()


def test_a_typed_answer_is_stored_with_null_timing(tmp_path):
    """A typed answer (no audio) is saved and listed: its timing columns are null, as in its
    ``score --json``, so the session's averages leave it out of the pace."""
    from voice_interviewer.bank import resolve_bank

    q = resolve_bank(None).question("overfitting")
    typed = score_text(q, "Overfitting: the model memorises noise; dropout helps.", None)
    store = SessionStore(tmp_path / "home")
    try:
        sid = store.create_session("amazon-mle", "Amazon MLE", "", {})
        aid, _ = store.begin_answer(sid, 1, q.id, q.text, q.category, q.text)
        store.complete_answer(aid, status="answered", end_reason="eof", analysis=typed)
        store.end_session(sid, interrupted=False)
        (a,) = store.load_session(sid).answers
        assert a.analysis.typed and a.analysis.to_dict() == typed.to_dict()
        [summary] = store.list_sessions()
        assert summary.avg_wpm is None and summary.avg_coverage == typed.rubric.coverage
    finally:
        store.close()


def test_a_damaged_analysis_is_left_out_with_one_line_naming_the_answer(tmp_path, caplog):
    """The store reads every analysis typed, so a damaged one never reaches the reports: the
    answer is shown without its report, and the warning names the answer and the field."""
    bad = known_analysis("a")
    bad["rubric"]["points"][0]["hit"] = "yes"
    store = SessionStore(tmp_path / "home")
    caplog.set_level(logging.WARNING)
    try:
        good = add_session(store, "2025-01-10T09:00:00+00:00", [known_analysis("b")])
        sid = save_as_an_earlier_version(store, bad)
        (record,) = store.load_session(sid).answers
        assert record.analysis is None and not record.scored
        assert store.load_session(good).answers[0].analysis is not None
    finally:
        store.close()
    [line] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"session {sid}, answer 1 is damaged" in line
    assert "analysis.rubric.points[0].hit: must be true or false, not 'yes'" in line
