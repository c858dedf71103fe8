"""SessionStore against a real SQLite file in tmp_path, with real analyses (tests/data)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from typing import get_args

import pytest

from voice_interviewer.errors import SessionError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import END_REASONS, SCHEMA_VERSION, SessionStore

DATA = Path(__file__).parents[1] / "data"


def load_analysis(question_id: str) -> dict:
    """A saved analysis (tests/data) as this version writes it: the dict a store hands back."""
    return typed(json.loads((DATA / f"analysis_{question_id}.json").read_text())).to_dict()


def typed(d: dict) -> Analysis:
    return Analysis.from_dict(d)


@pytest.fixture
def overfitting() -> dict:
    return load_analysis("overfitting")


@pytest.fixture
def prioritization() -> dict:
    return load_analysis("prioritization")


@pytest.fixture
def store(tmp_path):
    s = SessionStore(tmp_path / "home")
    yield s
    s.close()


def ask(store: SessionStore, sid: int, seq: int, analysis: dict, **kw) -> tuple[int, Path]:
    q = analysis["question"]
    prompt = kw.pop("prompt_text", q["text"])
    return store.begin_answer(sid, seq, q["id"], q["text"], q["category"], prompt, **kw)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip(store, overfitting, prioritization):
    settings = {"max_answer_s": 120, "follow_ups": True, "questions": ["a", "b"]}
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", settings)
    a1, wav1 = ask(store, sid, 1, overfitting)
    wav1.write_bytes(b"RIFF....WAVE")
    store.complete_answer(a1, status="answered", end_reason="silence", analysis=typed(overfitting))
    a2, wav2 = ask(store, sid, 2, prioritization)
    store.complete_answer(a2, status="answered", end_reason="enter", analysis=typed(prioritization))
    store.end_session(sid, interrupted=False)

    assert wav1 == store.root / "sessions" / str(sid) / "01-overfitting.wav"
    assert wav2.name == "02-prioritization.wav"

    [summary] = store.list_sessions()
    assert (summary.id, summary.bank_id, summary.bank_title, summary.model) == (
        sid,
        "amazon-mle",
        "Amazon MLE",
        "tiny.en",
    )
    assert summary.status == "complete" and summary.interrupted is False
    assert (summary.answered, summary.asked) == (2, 2)
    both = (overfitting, prioritization)
    assert summary.avg_wpm == pytest.approx(sum(a["words_per_minute"] for a in both) / 2)
    assert summary.avg_coverage == pytest.approx(sum(a["rubric"]["coverage"] for a in both) / 2)
    assert summary.avg_fillers_per_minute == pytest.approx(
        sum(a["fillers_per_minute"] for a in both) / 2
    )
    started = datetime.fromisoformat(summary.started_at)
    assert started.tzinfo is not None  # local time with its offset
    assert datetime.fromisoformat(summary.ended_at) >= started

    detail = store.load_session(sid)
    assert detail.settings == settings
    assert [a.question_id for a in detail.answers] == ["overfitting", "prioritization"]
    first, second = detail.answers
    assert first.analysis.to_dict() == overfitting and second.analysis.to_dict() == prioritization
    assert (first.status, first.end_reason, second.end_reason) == ("answered", "silence", "enter")
    assert first.wav_path == wav1 and first.wav_exists
    assert second.wav_path == wav2 and not second.wav_exists
    assert first.prompt_text == overfitting["question"]["text"]
    # the same session by its string id and as 'last'
    assert store.load_session(str(sid)).to_dict() == detail.to_dict()
    assert store.load_session("last").id == sid
    # JSON-ready, with the analysis intact
    round_tripped = json.loads(json.dumps(detail.to_dict()))
    assert round_tripped["answers"][0]["analysis"] == overfitting
    assert round_tripped["answers"][0]["wav_path"] == str(wav1)


def test_listing_columns_hold_key_numbers(store, overfitting):
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    aid, _ = ask(store, sid, 1, overfitting)
    store.complete_answer(aid, status="answered", end_reason="silence", analysis=typed(overfitting))
    with sqlite3.connect(store.db_path) as db:
        row = db.execute(
            "SELECT transcript, answer_s, words_per_minute, fillers_per_minute, coverage, "
            "long_pauses FROM answers WHERE id = ?",
            (aid,),
        ).fetchone()
    assert row == (
        overfitting["transcript"],
        overfitting["answer_s"],
        overfitting["words_per_minute"],
        overfitting["fillers_per_minute"],
        overfitting["rubric"]["coverage"],
        len(overfitting["long_pauses"]),
    )


def test_newest_first_and_last(store, overfitting):
    ids = [store.create_session(f"bank{i}", "B", "tiny.en", {}) for i in range(3)]
    assert [s.id for s in store.list_sessions()] == ids[::-1]
    assert store.load_session("last").id == ids[-1]
    assert store.load_session("latest").id == ids[-1]


def test_unanswered_and_interrupted_answers(store, overfitting, prioritization):
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    a1, _ = ask(store, sid, 1, overfitting)
    store.complete_answer(a1, status="answered", end_reason="max", analysis=typed(overfitting))
    a2, wav2 = ask(store, sid, 2, overfitting, prompt_text="Which would you try first?")
    store.complete_answer(a2, status="unanswered", end_reason="no_answer", analysis=None)
    a3, _ = ask(store, sid, 3, prioritization)
    store.complete_answer(
        a3, status="interrupted", end_reason="interrupted", analysis=typed(prioritization)
    )
    store.end_session(sid, interrupted=True)

    [summary] = store.list_sessions()
    assert summary.status == "interrupted" and summary.interrupted is True
    # an answer cut short by Ctrl-C counts for what it holds; the one without speech does not
    assert (summary.answered, summary.asked) == (2, 3)
    both = (overfitting, prioritization)
    assert summary.avg_wpm == pytest.approx(sum(x["words_per_minute"] for x in both) / 2)
    assert summary.avg_coverage == pytest.approx(sum(x["rubric"]["coverage"] for x in both) / 2)

    answers = store.load_session(sid).answers
    assert [(a.status, a.end_reason) for a in answers] == [
        ("answered", "max"),
        ("unanswered", "no_answer"),
        ("interrupted", "interrupted"),
    ]
    assert answers[1].analysis is None and answers[1].prompt_text == "Which would you try first?"
    assert answers[1].wav_path == wav2
    assert answers[2].analysis.to_dict() == prioritization


def test_session_without_answered_answers_has_no_averages(store, overfitting):
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    aid, _ = ask(store, sid, 1, overfitting)
    store.complete_answer(aid, status="unanswered", end_reason="no_answer", analysis=None)
    store.end_session(sid, interrupted=False)
    [s] = store.list_sessions()
    assert (s.answered, s.asked) == (0, 1)
    assert (s.avg_wpm, s.avg_coverage, s.avg_fillers_per_minute) == (None, None, None)


def test_follow_up_gets_its_own_wav(store, overfitting):
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    ask(store, sid, 1, overfitting)
    child, wav = ask(store, sid, 2, overfitting, prompt_text="Why dropout?", follow_up_of=1)
    assert wav.name == "02-overfitting-followup.wav"
    rec = store.load_session(sid).answers[1]
    assert (rec.id, rec.follow_up_of, rec.prompt_text) == (child, 1, "Why dropout?")
    assert rec.question_text == overfitting["question"]["text"]


def test_crash_mid_answer_leaves_an_incomplete_session(tmp_path, overfitting, prioritization):
    root = tmp_path / "home"
    first = SessionStore(root)
    sid = first.create_session("amazon-mle", "Amazon MLE", "tiny.en", {"max_answer_s": 90})
    a1, _ = ask(first, sid, 1, overfitting)
    first.complete_answer(a1, status="answered", end_reason="silence", analysis=typed(overfitting))
    _, wav = ask(first, sid, 2, prioritization)
    wav.write_bytes(b"RIFF partial")
    # no complete_answer, no end_session: a crash. A second store (a new process) sees every write.
    first.close()  # the process is gone, and its running lock with it (see test_running_session)
    second = SessionStore(root)
    [summary] = second.list_sessions()
    assert summary.status == "incomplete" and summary.ended_at is None
    assert (summary.answered, summary.asked) == (1, 2)
    detail = second.load_session("last")
    assert [a.status for a in detail.answers] == ["answered", "incomplete"]
    assert detail.answers[0].analysis.to_dict() == overfitting
    assert detail.answers[1].wav_path == wav and detail.answers[1].wav_exists
    assert detail.answers[1].analysis is None and detail.answers[1].end_reason is None
    second.close()


def test_file_modes(tmp_path, overfitting):
    root = tmp_path / "home"
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    aid, wav = ask(store, sid, 1, overfitting)
    # a recorder that ignores privacy: world-readable file
    os.close(os.open(wav, os.O_CREAT | os.O_WRONLY, 0o644))
    os.chmod(wav, 0o644)
    store.complete_answer(aid, status="answered", end_reason="silence", analysis=typed(overfitting))

    assert mode(root) == 0o700
    assert mode(root / "sessions") == 0o700
    assert mode(wav.parent) == 0o700
    assert mode(wav) == 0o600
    assert mode(store.db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        sidecar = store.db_path.with_name(store.db_path.name + suffix)
        assert sidecar.exists() and mode(sidecar) == 0o600
    store.close()


def test_existing_db_with_loose_mode_is_tightened(tmp_path):
    root = tmp_path / "home"
    SessionStore(root).close()
    os.chmod(root / "sessions.db", 0o644)
    SessionStore(root).close()
    assert mode(root / "sessions.db") == 0o600


def test_schema_version_recorded_and_reopen_keeps_data(tmp_path):
    root = tmp_path / "home"
    s = SessionStore(root)
    sid = s.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    s.close()
    with sqlite3.connect(root / "sessions.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again = SessionStore(root)
    assert [x.id for x in again.list_sessions()] == [sid]
    again.close()


def test_corrupt_db_is_a_one_line_session_error(tmp_path):
    root = tmp_path / "home"
    root.mkdir()
    db = root / "sessions.db"
    db.write_bytes(b"this is not an SQLite database\n" * 200)
    with pytest.raises(SessionError) as err:
        SessionStore(root)
    msg = str(err.value)
    assert "\n" not in msg
    assert str(db) in msg and "move it aside" in msg
    assert db.read_bytes().startswith(b"this is not")  # left as it was


def test_newer_schema_is_refused(tmp_path):
    root = tmp_path / "home"
    SessionStore(root).close()
    with sqlite3.connect(root / "sessions.db") as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(SessionError, match="newer voice-interviewer"):
        SessionStore(root)


def test_unknown_session_says_how_to_list(store):
    with pytest.raises(SessionError, match="start one with `voice-interviewer practice`"):
        store.load_session("last")
    store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    for bad in (42, "42", "yesterday"):
        with pytest.raises(SessionError, match="`voice-interviewer sessions`"):
            store.load_session(bad)


def test_end_reasons_match_the_endpointer(store, overfitting):
    from voice_interviewer.speech.endpointing import EndReason

    assert set(END_REASONS) == set(get_args(EndReason))
    sid = store.create_session("demo", "Demo", "tiny.en", {})
    aid, _ = ask(store, sid, 1, overfitting)
    store.complete_answer(aid, status="answered", end_reason="eof", analysis=typed(overfitting))
    assert store.load_session(sid).answers[0].end_reason == "eof"


def test_complete_answer_rejects_unknown_status(store, overfitting):
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    aid, _ = ask(store, sid, 1, overfitting)
    with pytest.raises(ValueError):
        store.complete_answer(aid, status="great", end_reason="silence", analysis=None)
    with pytest.raises(ValueError):
        store.complete_answer(aid, status="answered", end_reason="bored", analysis=None)
    assert store.load_session(sid).answers[0].status == "recording"  # its session is running here


def test_delete_removes_rows_and_folder(store, overfitting, prioritization):
    keep = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    k_id, keep_wav = ask(store, keep, 1, prioritization)
    keep_wav.write_bytes(b"RIFF")
    store.complete_answer(
        k_id, status="answered", end_reason="silence", analysis=typed(prioritization)
    )
    gone = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    _, wav = ask(store, gone, 1, overfitting)
    wav.write_bytes(b"RIFF")
    ask(store, gone, 2, overfitting, follow_up_of=1)
    folder = store.session_dir(gone)

    store.delete_session(gone)

    assert not folder.exists()
    assert [s.id for s in store.list_sessions()] == [keep]
    with pytest.raises(SessionError):
        store.load_session(gone)
    with sqlite3.connect(store.db_path) as db:
        left = db.execute("SELECT COUNT(*) FROM answers WHERE session_id = ?", (gone,)).fetchone()
    assert left == (0,)
    kept = store.load_session(keep)
    assert kept.answers[0].analysis.to_dict() == prioritization and keep_wav.exists()
    # ids are not reused after a delete
    assert store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {}) > gone


@pytest.mark.parametrize("reading", ["list", "load"])
def test_a_session_ending_while_it_is_read_is_not_taken_for_a_crash(tmp_path, monkeypatch, reading):
    """A reader reads the row (not ended), then tests the running lock; the session's process
    writes its end and drops the lock in between (the web tests hit this while polling): the
    reader must see it ended, never 'incomplete'."""
    import voice_interviewer.sessions.store as store_module

    writer = SessionStore(tmp_path / "home")
    sid = writer.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    reader = SessionStore(tmp_path / "home")
    real_is_locked = store_module.is_locked

    def ends_in_between(folder):
        writer.end_session(sid, interrupted=True)  # ended_at written, then the lock dropped
        return real_is_locked(folder)

    monkeypatch.setattr(store_module, "is_locked", ends_in_between)
    summary = reader.list_sessions()[0] if reading == "list" else reader.load_session(sid)
    assert (summary.status, summary.interrupted) == ("interrupted", True)
    assert summary.ended_at is not None
    reader.close()
    writer.close()
