"""The `sessions` and `review` subcommands, through a parser built here with register()."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from voice_interviewer.cli.sessions import register
from voice_interviewer.errors import SessionError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).parents[1] / "data"


def load_analysis(question_id: str) -> dict:
    """A saved analysis (tests/data) as this version writes it: what `sessions show --json`
    prints."""
    saved = json.loads((DATA / f"analysis_{question_id}.json").read_text())
    return Analysis.from_dict(saved).to_dict()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="voice-interviewer")
    sub = p.add_subparsers()
    register(sub)
    return p


def run(argv: list[str], capsys) -> str:
    args = parser().parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Rich wraps at 80 columns when not on a terminal; long tmp paths must stay on one line."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def home(tmp_path) -> dict:
    """Two sessions: #1 complete (an answer and an unanswered follow-up); #2 crashed mid-answer."""
    root = tmp_path / "home"
    overfitting, prioritization = load_analysis("overfitting"), load_analysis("prioritization")
    store = SessionStore(root)
    s1 = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {"max_answer_s": 120})
    q = overfitting["question"]
    a1, wav1 = store.begin_answer(s1, 1, q["id"], q["text"], q["category"], q["text"])
    wav1.write_bytes(b"RIFF")
    store.complete_answer(
        a1, status="answered", end_reason="silence", analysis=Analysis.from_dict(overfitting)
    )
    a2, wav2 = store.begin_answer(
        s1, 2, q["id"], q["text"], q["category"], "Which regularizer first?", follow_up_of=1
    )
    store.complete_answer(a2, status="unanswered", end_reason="no_answer", analysis=None)
    store.end_session(s1, interrupted=False)

    s2 = store.create_session("amazon-mle", "Amazon MLE", "base", {})
    q = prioritization["question"]
    a3, _ = store.begin_answer(s2, 1, q["id"], q["text"], q["category"], q["text"])
    store.complete_answer(
        a3, status="answered", end_reason="enter", analysis=Analysis.from_dict(prioritization)
    )
    other = load_analysis("overfitting")["question"]
    _, wav4 = store.begin_answer(
        s2, 2, other["id"], other["text"], other["category"], other["text"]
    )
    store.close()
    return {
        "root": root,
        "ids": (s1, s2),
        "wavs": (wav1, wav2, wav4),
        "overfitting": overfitting,
        "prioritization": prioritization,
    }


def test_every_option_has_help():
    p = parser()
    subparsers = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subparsers.choices) == {"sessions", "review"}
    for name, sp in subparsers.choices.items():
        for action in sp._actions:
            assert action.help, f"{name} {action.dest} has no help"
        assert "--data-dir" in sp.format_help()


def test_sessions_json(home, capsys):
    s1, s2 = home["ids"]
    out = json.loads(run(["sessions", "--data-dir", str(home["root"]), "--json"], capsys))
    assert [s["id"] for s in out] == [s2, s1]  # newest first
    newest, oldest = out
    assert (newest["status"], newest["answered"], newest["asked"]) == ("incomplete", 1, 2)
    assert newest["model"] == "base" and newest["ended_at"] is None
    assert (oldest["status"], oldest["answered"], oldest["asked"]) == ("complete", 1, 2)
    assert oldest["avg_wpm"] == pytest.approx(home["overfitting"]["words_per_minute"])
    assert oldest["avg_coverage"] == pytest.approx(home["overfitting"]["rubric"]["coverage"])


def test_sessions_table(home, capsys):
    s1, s2 = home["ids"]
    out = run(["sessions", "--data-dir", str(home["root"])], capsys)
    rows = [line.split() for line in out.splitlines()]
    by_id = {r[0]: r for r in rows if r and r[0].isdigit()}
    assert set(by_id) == {str(s1), str(s2)}
    assert by_id[str(s1)][-1] == "complete" and by_id[str(s2)][-1] == "incomplete"
    assert "amazon-mle" in by_id[str(s1)] and "1/2" in by_id[str(s1)]
    wpm = f"{home['overfitting']['words_per_minute']:.0f}"
    assert wpm in by_id[str(s1)]
    assert "review" in out


def test_sessions_when_there_are_none(tmp_path, capsys):
    root = tmp_path / "nothing-here"
    out = run(["sessions", "--data-dir", str(root)], capsys)
    assert "No saved sessions" in out and "voice-interviewer practice" in out
    assert json.loads(run(["sessions", "--data-dir", str(root), "--json"], capsys)) == []
    assert not root.exists()  # listing does not create a data folder


def test_sessions_uses_env_home(home, capsys, monkeypatch):
    monkeypatch.setenv("VOICE_INTERVIEWER_HOME", str(home["root"]))
    out = json.loads(run(["sessions", "--json"], capsys))
    assert sorted(s["id"] for s in out) == sorted(home["ids"])


def test_review_json(home, capsys):
    s1, _ = home["ids"]
    wav1, wav2, _ = home["wavs"]
    out = json.loads(run(["review", str(s1), "--data-dir", str(home["root"]), "--json"], capsys))
    assert out["id"] == s1 and out["status"] == "complete" and out["bank_id"] == "amazon-mle"
    assert out["settings"] == {"max_answer_s": 120}
    first, follow_up = out["answers"]
    assert first["analysis"] == home["overfitting"]
    assert (first["status"], first["wav_path"], first["wav_exists"]) == (
        "answered",
        str(wav1),
        True,
    )
    assert follow_up["follow_up_of"] == first["seq"] == 1
    assert follow_up["prompt_text"] == "Which regularizer first?"
    assert (follow_up["status"], follow_up["analysis"], follow_up["wav_path"]) == (
        "unanswered",
        None,
        str(wav2),
    )


def test_review_last_shows_an_incomplete_session(home, capsys):
    _, s2 = home["ids"]
    _, _, wav4 = home["wavs"]
    out = run(["review", "last", "--data-dir", str(home["root"])], capsys)
    assert f"Session {s2}" in out
    assert "incomplete" in out and "model:   base" in out
    # the answered question's full report
    assert home["prioritization"]["question"]["text"] in out
    assert "rubric coverage" in out
    assert f"{home['prioritization']['rubric']['coverage']:.0%}" in out
    assert home["prioritization"]["words"][0]["text"] in out
    # the answer the crash cut off: shown, with its recording path
    assert "recording never finished" in out
    assert f"{wav4} (never written)" in out


def test_review_shows_follow_up_and_unanswered(home, capsys):
    s1, _ = home["ids"]
    wav1, wav2, _ = home["wavs"]
    out = run(["review", str(s1), "--data-dir", str(home["root"])], capsys)
    assert "follow-up: Which regularizer first?" in out
    assert "unanswered (no answer was heard)" in out
    assert "answered (you stopped speaking)" in out
    assert f"recording: {wav1}\n" in out  # exists: no "(missing)"
    # not answered: no recording was expected, so none is "missing" (issue 25, defect 7)
    assert "recording: none (the question was not answered)" in out and "missing" not in out
    assert out.count("rubric coverage") == 1  # only the answered one has a report


def test_review_unknown_session(home):
    args = parser().parse_args(["review", "999", "--data-dir", str(home["root"])])
    with pytest.raises(SessionError, match="`voice-interviewer sessions`"):
        args.func(args)


def test_review_without_any_sessions(tmp_path):
    args = parser().parse_args(["review", "last", "--data-dir", str(tmp_path / "empty")])
    with pytest.raises(SessionError, match="voice-interviewer practice"):
        args.func(args)


def test_review_of_a_corrupt_db(tmp_path):
    (tmp_path / "sessions.db").write_bytes(b"garbage" * 500)
    args = parser().parse_args(["review", "last", "--data-dir", str(tmp_path)])
    with pytest.raises(SessionError, match="move it aside"):
        args.func(args)
