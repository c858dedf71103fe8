"""Probes and example answers in a saved session (issue 25): `review` labels a probe and, with
--examples, shows the question's example answer; the HTML report has it collapsed."""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.cli import review, sessions
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def home(tmp_path) -> Path:
    """A session on the shipped bank: an answer that missed 'bias-variance', and a probe on it."""
    root = tmp_path / "home"
    saved = json.loads((DATA / "analysis_overfitting.json").read_text())
    missed = next(p for p in saved["rubric"]["points"] if p["id"] == "bias-variance")
    assert not missed["hit"]
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {"probes": 1})
    q = saved["question"]
    a1, _ = store.begin_answer(sid, 1, q["id"], q["text"], q["category"], q["text"])
    store.complete_answer(
        a1, status="answered", end_reason="silence", analysis=Analysis.from_dict(saved)
    )
    point = next(p for p in resolve_bank(None).question(q["id"]).points if p.id == missed["id"])
    probe = json.loads(json.dumps(saved))
    probe["rubric"]["points"] = [missed]
    a2, _ = store.begin_answer(
        sid, 2, q["id"], q["text"], q["category"], point.probe_question(), follow_up_of=1
    )
    store.complete_answer(
        a2, status="answered", end_reason="silence", analysis=Analysis.from_dict(probe)
    )
    store.end_session(sid, interrupted=False)
    store.close()
    return root


def run(module, argv: list[str], capsys) -> str:
    p = argparse.ArgumentParser(prog="voice-interviewer")
    module.register(p.add_subparsers())
    args = p.parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_review_labels_the_probe_and_shows_the_example_answer(home, capsys):
    model_answer = resolve_bank(None).question("overfitting").model_answer
    out = run(sessions, ["review", "last", "--examples", "--data-dir", str(home)], capsys)
    assert "Answer 2 (probe)" in out and "Answer 2 (follow-up)" not in out
    assert "at most 1 probe a question" in out  # the session's settings, in words
    flat = " ".join(out.split())
    assert "An example answer (overfitting)" in flat
    assert " ".join(model_answer.split()) in flat
    assert flat.index("Answer 2 (probe)") < flat.index("An example answer")  # after the probe
    plain = run(sessions, ["review", "last", "--data-dir", str(home)], capsys)
    assert "example answer" not in plain  # only when asked for


def test_the_html_report_has_the_example_answer_collapsed(home, tmp_path, capsys):
    model_answer = resolve_bank(None).question("overfitting").model_answer
    out = tmp_path / "r.html"
    run(review, ["report", "last", "--html", str(out), "--data-dir", str(home)], capsys)
    page = out.read_text()
    assert "<details><summary>Show an example answer</summary>" in page
    assert html.escape(model_answer) in page
    assert "Answer 2 (probe)" in page and "Probe on a missed point:" in page


def test_the_markdown_report_has_the_example_answer(home, capsys):
    model_answer = resolve_bank(None).question("overfitting").model_answer
    out = run(review, ["report", "last", "--markdown", "-", "--data-dir", str(home)], capsys)
    assert "## Answer 2 (probe)" in out and "\nExample answer:\n" in out
    assert " ".join(model_answer.split())[:60] in " ".join(out.split()).replace("\\", "")


def test_the_served_report_has_the_example_answer_collapsed(home):
    pytest.importorskip("starlette", reason="the [web] extra is not installed")
    import http.client

    from tests.fakes import FakeWhisper
    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.web.server import BackgroundServer, prepare

    model_answer = resolve_bank(None).question("overfitting").model_answer
    s = prepare("127.0.0.1", 0, home, Scorer(FakeWhisper(refuse="no transcription here")))
    with BackgroundServer(s) as served:
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        headers = {"Host": f"127.0.0.1:{served.port}", "Cookie": f"vi_token={served.token}"}
        conn.request("GET", "/sessions/1/", headers=headers)
        r = conn.getresponse()
        page = r.read().decode()
        conn.close()
    assert r.status == 200
    assert "<summary>Show an example answer</summary>" in page
    assert html.escape(model_answer) in page and "Answer 2 (probe)" in page
