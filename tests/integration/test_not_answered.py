"""A question asked but not answered is "not answered", not a lost recording; a scored answer
whose WAV is gone is the real loss; an answer ended with the page's Done button reads "you
pressed Done" (issue 25, defect 7)."""

from __future__ import annotations

import re

import pytest

from tests.sessions_fixture import known_analysis, write_wav
from voice_interviewer.cli.app import main
from voice_interviewer.reports.html import render_session_html
from voice_interviewer.reports.summary import report_markdown
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.history import collect_history
from voice_interviewer.sessions.store import SessionStore


def web_session(root, lose_recording: bool = False) -> int:
    """A page session: question 1 answered and ended with Done; question 2 asked, then the
    session stopped before it was answered (no recording was ever made)."""
    import numpy as np

    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "Amazon", "tiny.en", {"front_end": "web"})
    a = known_analysis("overfitting")
    aid, wav = store.begin_answer(sid, 1, "overfitting", "Q1?", "technical", "Q1?")
    write_wav(wav, np.zeros(8000, dtype=np.float32))
    analysis = Analysis.from_dict(a)
    store.complete_answer(aid, status="answered", end_reason="enter", analysis=analysis)
    if lose_recording:
        wav.unlink()
    aid, _ = store.begin_answer(sid, 2, "failure", "Q2?", "behavioral", "Q2?")
    store.complete_answer(aid, status="interrupted", end_reason="interrupted", analysis=None)
    store.end_session(sid, interrupted=True)
    store.close()
    return sid


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_a_question_not_answered_is_not_a_missing_recording(tmp_path, capsys):
    sid = web_session(tmp_path)
    assert main(["review", str(sid), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "missing" not in out
    assert "recording: none (the question was not answered)" in out
    assert "answered (you pressed Done)" in out and "Enter" not in out
    assert main(["history", "--data-dir", str(tmp_path)]) == 0
    assert "missing" not in capsys.readouterr().out
    store = SessionStore(tmp_path)
    (trend,) = collect_history(store).sessions
    detail = store.load_session(sid)
    store.close()
    assert trend.problems == ["interrupted"]
    md = report_markdown(detail)
    assert "missing" not in md and "Recording: the question was not answered" in md
    html = render_session_html(detail, tmp_path / "r.html")
    assert "missing" not in re.sub(r"\.badge\.missing", "", html)
    assert "No recording: the question was not answered." in html


def test_a_scored_answer_whose_recording_is_gone_is_a_loss(tmp_path, capsys):
    sid = web_session(tmp_path, lose_recording=True)
    assert main(["review", str(sid), "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("missing") == 1 and "(missing: gone from disk)" in out
    store = SessionStore(tmp_path)
    (trend,) = collect_history(store).sessions
    detail = store.load_session(sid)
    store.close()
    assert trend.problems == ["interrupted", "1 recording missing"]
    assert "1 recording is missing from disk" in render_session_html(detail, tmp_path / "r.html")


def test_a_terminal_answer_ended_with_enter_says_enter(tmp_path, capsys):
    store = SessionStore(tmp_path)
    sid = store.create_session("amazon-mle", "Amazon", "tiny.en", {})
    aid, _ = store.begin_answer(sid, 1, "overfitting", "Q1?", "technical", "Q1?")
    analysis = Analysis.from_dict(known_analysis("overfitting"))
    store.complete_answer(aid, status="answered", end_reason="enter", analysis=analysis)
    store.end_session(sid, interrupted=False)
    store.close()
    assert main(["review", str(sid), "--data-dir", str(tmp_path)]) == 0
    assert "answered (you pressed Enter)" in capsys.readouterr().out
