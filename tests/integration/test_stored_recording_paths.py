"""Issue 28 items 6 and 8: an answer's stored ``wav_path`` is used only when it names a regular
.wav file inside the session's own folder (an edited row naming /etc/passwd, ../x or a link out is
never exported, linked or served); an imported coverage is a fraction and a session cannot end
before it starts."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from evaluation import hostile
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.errors import SessionError
from voice_interviewer.reports.html import render_session_html
from voice_interviewer.sessions.archive import export_session
from voice_interviewer.sessions.store import SessionStore

SECRET = b"root:x:0:0:secret line\n"


def _with_wav_path(tmp_path: Path, how: str) -> tuple[Path, Path]:
    """A saved session whose answer row is edited to name ``secret`` (a file outside its
    folder) in one of the ways a hand or a bug could; returns (data folder, secret file)."""
    data = tmp_path / "data"
    hostile.make_session(data)
    secret = tmp_path / "passwd.wav"
    secret.write_bytes(SECRET)
    folder = data / "sessions" / "1"
    if how == "absolute":
        stored = str(secret)
    elif how == "dotdot":
        stored = "sessions/1/../../../passwd.wav"
    else:  # a symlink inside the folder, pointing out of it
        (folder / "01-link.wav").symlink_to(secret)
        stored = "sessions/1/01-link.wav"
    db = sqlite3.connect(data / "sessions.db")
    db.execute("UPDATE answers SET wav_path = ?", (stored,))
    db.commit()
    db.close()
    return data, secret


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_a_wav_path_outside_the_session_folder_is_never_exported_or_linked(tmp_path, how):
    data, secret = _with_wav_path(tmp_path, how)
    store = SessionStore(data)
    try:
        detail = store.load_session(1)
        assert [a.wav_exists for a in detail.answers] == [False]
        archive = export_session(store, 1, tmp_path / "out.zip")
        html = render_session_html(detail, tmp_path / "report.html")
    finally:
        store.close()
    with zipfile.ZipFile(archive) as zf:
        assert not [n for n in zf.namelist() if n.startswith("audio/")]
        assert all(SECRET not in zf.read(n) for n in zf.namelist())
    assert "<audio" not in html and "recording missing" in html


def test_the_recording_in_its_folder_is_still_used(tmp_path):
    data = tmp_path / "data"
    hostile.make_session(data)
    store = SessionStore(data)
    try:
        [answer] = store.load_session(1).answers
    finally:
        store.close()
    assert answer.wav_exists and answer.wav_path.parent == data / "sessions" / "1"


@pytest.mark.parametrize(
    "edit, field",
    [
        (hostile.edit_analysis(lambda a: a["rubric"].update(coverage=1e308)), "rubric.coverage"),
        (hostile.edit_analysis(lambda a: a["rubric"].update(coverage=-0.5)), "rubric.coverage"),
        (
            hostile.edit_session(
                started_at="2025-11-27T10:00:00+00:00", ended_at="2025-11-27T09:00:00+00:00"
            ),
            "session.ended_at",
        ),
    ],
    ids=["coverage-1e308", "coverage-negative", "ended-before-started"],
)
def test_import_refuses_out_of_range_values(tmp_path, edit, field):
    base = hostile.make_archive(tmp_path / "base.zip")
    bad = hostile.rewrite(base, tmp_path / "bad.zip", edit=edit)
    with pytest.raises(SessionError) as exc:
        run(["import", str(bad), "--data-dir", str(tmp_path / "data")])
    assert str(exc.value).startswith(f"{bad}: ") and field in str(exc.value), exc.value
    assert not (tmp_path / "data").exists()
