"""Issue 15 item 9: after the database is moved aside (as an error message may advise), new sessions
never write into or delete a folder the new database does not own."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from evaluation import hostile
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.sessions.schema import _V1
from voice_interviewer.sessions.store import SCHEMA_VERSION, SessionStore


def recordings(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (root / "sessions").rglob("*") if p.is_file()}


def move_db_aside(root: Path) -> None:
    for name in ("sessions.db", "sessions.db-wal", "sessions.db-shm"):
        if (root / name).exists():
            os.rename(root / name, root / f"{name}.aside")


def test_new_sessions_never_write_into_or_delete_old_recordings(tmp_path, capsys):
    root = tmp_path / "data"
    for _ in range(2):
        hostile.make_session(root, seconds=3.0)
    old = recordings(root)
    assert sorted(p.parent.name for p in old) == ["1", "2"]
    move_db_aside(root)

    # a practice-like session and an import: ids 1 and 2 again, in folders of their own
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    _, wav = store.begin_answer(sid, 1, "overfitting", "Q?", "technical", "Q?")
    wav.write_bytes(b"new recording")
    store.close()
    archive = hostile.make_archive(tmp_path / "a.zip", seconds=1.0)
    assert run(["import", str(archive), "--data-dir", str(root)]) == 0
    store = SessionStore(root)
    new = {s.id: store.load_session(s.id) for s in store.list_sessions()}
    store.close()
    assert sorted(new) == [1, 2]
    for d in new.values():
        folder = d.answers[0].wav_path.parent
        assert folder.parent == root / "sessions" and folder.name.startswith(f"{d.id}-")
    assert recordings(root).items() >= old.items()  # every old recording intact

    for sid in (1, 2):
        assert run(["delete", str(sid), "--yes", "--data-dir", str(root)]) == 0
    assert recordings(root) == old  # the new sessions' files gone, the old ones all there
    assert sorted(p.name for p in (root / "sessions").iterdir()) == ["1", "2"]


def test_delete_leaves_files_the_session_did_not_record(tmp_path):
    root = tmp_path / "data"
    sid = hostile.make_session(root)
    folder = root / "sessions" / str(sid)
    (folder / "notes.txt").write_text("mine, not the session's")
    (folder / "99-other.wav").write_bytes(b"RIFF")
    store = SessionStore(root)
    store.delete_session(sid)
    store.close()
    assert sorted(p.name for p in folder.iterdir()) == ["99-other.wav", "notes.txt"]
    assert not (folder / "01-overfitting.wav").exists()


def test_a_session_of_an_older_database_keeps_its_folder(tmp_path):
    """Schema 2 named folders by id: the migration records that, so they stay the session's."""
    root = tmp_path / "data"
    (root / "sessions" / "1").mkdir(parents=True)
    (root / "sessions" / "1" / "01-overfitting.wav").write_bytes(b"RIFF old")
    db = sqlite3.connect(root / "sessions.db")
    db.executescript(
        _V1 + "ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'practice';"
        "PRAGMA user_version = 2;"
    )
    db.execute(
        "INSERT INTO sessions (started_at, ended_at, bank_id, bank_title, model, settings) "
        "VALUES ('2025-01-01T09:00:00+00:00', '2025-01-01T09:05:00+00:00', "
        "'amazon-mle', 'A', 'tiny.en', '{}')"
    )
    db.execute(
        "INSERT INTO answers (session_id, seq, question_id, question_text, category, "
        "prompt_text, status, end_reason, wav_path, started_at) VALUES (1, 1, 'overfitting', "
        "'Q', 'technical', 'Q', 'unanswered', 'no_answer', 'sessions/1/01-overfitting.wav', "
        "'2025-01-01T09:00:00+00:00')"
    )
    db.commit()
    db.close()
    store = SessionStore(root)
    try:
        [a] = store.load_session(1).answers
        assert a.wav_exists and a.wav_path == root / "sessions" / "1" / "01-overfitting.wav"
        assert a.attempt == 1  # answers saved before attempts were first attempts
        assert store.session_dir(1) == root / "sessions" / "1"
        assert store.create_session("amazon-mle", "A", "tiny.en", {}) == 2
        assert store.session_dir(2) == root / "sessions" / "2"  # free: the plain id
        store.delete_session(1)
        assert not (root / "sessions" / "1").exists()
    finally:
        store.close()
    with sqlite3.connect(root / "sessions.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


@pytest.mark.parametrize("taken", ["file", "folder"])
def test_a_taken_name_is_never_used(tmp_path, taken):
    root = tmp_path / "data"
    (root / "sessions").mkdir(parents=True)
    if taken == "file":
        (root / "sessions" / "1").write_text("a file where the folder would go")
    else:
        (root / "sessions" / "1").mkdir()
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "A", "tiny.en", {})
    folder = store.session_dir(sid)
    store.close()
    assert sid == 1 and folder.name.startswith("1-") and len(folder.name) == 10


def test_delete_removes_the_report_page_written_for_the_session(tmp_path, capsys):
    root = tmp_path / "data"
    sid = hostile.make_session(root)
    assert run(["report", str(sid), "--data-dir", str(root)]) == 0
    folder = root / "sessions" / str(sid)
    assert (folder / "report.html").is_file()  # the transcript is in it: personal
    assert run(["delete", str(sid), "--yes", "--data-dir", str(root)]) == 0
    assert not folder.exists()
