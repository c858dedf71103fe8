"""Issue 25: a session keeps every attempt at a question (Try again), numbered, and `review`, the
Markdown and the HTML report show a later attempt beside the one before it (the comparison is
computed on reading, from the two stored analyses)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import pytest

from voice_interviewer.cli.sessions import register
from voice_interviewer.reports.attempts import comparisons_by_seq
from voice_interviewer.reports.html import render_session_html
from voice_interviewer.reports.summary import report_markdown
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def saved(tmp_path):
    """Session 1: the same question twice (the second attempt with no fillers), then another."""
    first = Analysis.from_dict(json.loads((DATA / "analysis_overfitting.json").read_text()))
    second = dataclasses.replace(first, fillers=[])
    other = Analysis.from_dict(json.loads((DATA / "analysis_prioritization.json").read_text()))
    root = tmp_path / "home"
    store = SessionStore(root)
    try:
        sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
        for seq, (a, attempt) in enumerate([(first, 1), (second, 2), (other, 1)], 1):
            q = a.question
            answer_id, _ = store.begin_answer(
                sid, seq, q.id, q.text, q.category, q.text, attempt=attempt
            )
            store.complete_answer(answer_id, status="answered", end_reason="enter", analysis=a)
        store.end_session(sid, interrupted=False)
        detail = store.load_session(sid)
    finally:
        store.close()
    return root, detail


def test_the_store_keeps_both_attempts_numbered(saved):
    _, detail = saved
    assert [(a.question_id, a.attempt) for a in detail.answers] == [
        ("overfitting", 1),
        ("overfitting", 2),
        ("prioritization", 1),
    ]
    assert detail.to_dict()["answers"][1]["attempt"] == 2
    [(seq, c)] = comparisons_by_seq(detail.answers).items()
    assert seq == 2 and (c.before, c.after) == (1, 2)
    assert {m.measure: m.change for m in c.measures}["fillers"] == "better"


def test_review_shows_the_attempts_side_by_side(saved, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root, _ = saved
    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    args = p.parse_args(["review", "1", "--data-dir", str(root)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "Answer 2 (attempt 2)" in out
    assert out.count("Attempt 1 and attempt 2") == 1
    fillers_row = next(line for line in out.splitlines() if "fillers" in line and "better" in line)
    assert "0" in fillers_row


def test_the_reports_show_the_comparison_after_the_later_attempt(saved, tmp_path):
    _, detail = saved
    html = render_session_html(detail, tmp_path / "report.html")
    at = html.index("Attempt 1 and attempt 2")
    assert html.index('id="answer-2"') < at < html.index('id="answer-3"')
    assert "<td class='change better'>better</td>" in html
    md = report_markdown(detail)
    assert "## Answer 2 (attempt 2)" in md and "| fillers | 4 | 0 | better |" in md


def test_an_exported_session_keeps_its_attempts(saved, tmp_path):
    from voice_interviewer.sessions.archive import export_session, import_archive

    root, _ = saved
    src, dst = SessionStore(root), SessionStore(tmp_path / "other")
    try:
        sid = import_archive(dst, export_session(src, 1, tmp_path / "s.zip"))
        assert [a.attempt for a in dst.load_session(sid).answers] == [1, 2, 1]
    finally:
        src.close(), dst.close()
