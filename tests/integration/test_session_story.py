"""Issue 14 item 5: sessions tell the right story. A session being recorded is 'running' (not
'incomplete') while its process lives; `import` keeps the archive's times; demo sessions are
marked and kept out of history and --weakest; an interrupted session counts the answer it has."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sessions_fixture import add_session
from voice_interviewer import cli
from voice_interviewer.reports.history import collect_history, weakest_question_ids
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.archive import export_session, import_archive
from voice_interviewer.sessions.store import SCHEMA_VERSION, SessionStore

DATA = Path(__file__).parents[1] / "data"
RECORDER = """
import sys
from voice_interviewer.sessions.store import SessionStore
store = SessionStore(sys.argv[1])
sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {"questions": ["overfitting"]})
store.begin_answer(
    sid, 1, "overfitting", "What is overfitting?", "technical", "What is overfitting?"
)
print(sid, flush=True)
sys.stdin.read()  # records until told to stop, or killed
"""


def analysis(question_id: str) -> dict:
    return json.loads((DATA / f"analysis_{question_id}.json").read_text())


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_session_is_running_while_its_process_lives_and_incomplete_after(tmp_path, capsys):
    home = tmp_path / "home"
    proc = subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        sid = int(proc.stdout.readline())
        store = SessionStore(home)
        [summary] = store.list_sessions()
        assert summary.status == "running"
        assert store.load_session(sid).answers[0].status == "recording"
        code, out, _ = run(capsys, "review", str(sid), "--data-dir", str(home))
        assert code == 0 and "running (in progress: a voice-interviewer is recording it now)" in out
        assert "being recorded now" in out and "incomplete" not in out
        code, out, _ = run(capsys, "sessions", "--data-dir", str(home))
        assert "running" in out and "incomplete" not in out
        code, _, err = run(capsys, "delete", str(sid), "--yes", "--data-dir", str(home))
        assert code == 1 and f"session {sid} is still running" in err
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no end_session, no close
        proc.wait(timeout=30)
    [summary] = store.list_sessions()
    assert summary.status == "incomplete"
    assert store.load_session(sid).answers[0].status == "incomplete"
    code, out, _ = run(capsys, "review", str(sid), "--data-dir", str(home))
    assert "the program stopped before the session finished" in " ".join(out.split())
    store.close()


def test_an_ended_session_drops_its_running_mark(tmp_path):
    store = SessionStore(tmp_path)
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    other = SessionStore(tmp_path)  # another reader: sees the lock this store holds
    assert other.list_sessions()[0].status == "running"
    store.end_session(sid, interrupted=False)
    assert other.list_sessions()[0].status == "complete"
    assert not (tmp_path / "sessions" / str(sid) / ".running").exists()
    store.close(), other.close()


def test_import_keeps_the_archives_times_and_kind(tmp_path):
    src = SessionStore(tmp_path / "a")
    old = add_session(src, "2025-01-05T09:00:00+01:00", [analysis("overfitting")])
    with sqlite3.connect(src.db_path) as db:
        db.execute(
            "UPDATE sessions SET ended_at = ?, kind = 'demo' WHERE id = ?",
            ("2025-01-05T09:04:30+01:00", old),
        )
    zip_path = export_session(src, old, tmp_path / "s.zip")
    dst = SessionStore(tmp_path / "b")
    newer = add_session(dst, "2025-03-01T10:00:00+00:00", [analysis("overfitting")])
    sid = import_archive(dst, zip_path)
    d = dst.load_session(sid)
    assert (d.started_at, d.ended_at) == ("2025-01-05T09:00:00+01:00", "2025-01-05T09:04:30+01:00")
    assert d.kind == "demo" and d.status == "complete"
    # listed by when it was practised, not when it was imported
    assert [s.id for s in dst.list_sessions()] == [newer, sid]
    src.close(), dst.close()


def test_demo_sessions_are_listed_marked_and_left_out_of_history(tmp_path, capsys):
    store = SessionStore(tmp_path)
    low = dict(analysis("overfitting"))
    low["rubric"] = {
        **low["rubric"],
        "coverage": 0.0,
        "points": [{**p, "hit": False} for p in low["rubric"]["points"]],
    }
    practice = add_session(store, "2025-01-01T09:00:00+00:00", [analysis("prioritization")])
    demo = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {}, kind="demo")
    aid, _ = store.begin_answer(demo, 1, "overfitting", "Q?", "technical", "Q?")
    store.complete_answer(
        aid, status="answered", end_reason="eof", analysis=Analysis.from_dict(low)
    )
    store.end_session(demo, interrupted=False)
    assert {s.id: s.kind for s in store.list_sessions()} == {demo: "demo", practice: "practice"}
    h = collect_history(store)
    assert [s.id for s in h.sessions] == [practice]
    assert [q.question_id for q in h.weakest] == ["prioritization"]
    assert weakest_question_ids(store, "amazon-mle", 3) == ["prioritization"]
    store.close()
    code, out, _ = run(capsys, "sessions", "--data-dir", str(tmp_path))
    row = out.split(f"\n {demo} ")[1].split(f"\n {practice} ")[0]  # the demo's row, folded
    assert code == 0 and "(demo)" in row and "(demo)" not in out.split(f"\n {practice} ")[1]
    code, out, _ = run(capsys, "review", str(demo), "--data-dir", str(tmp_path))
    assert f"Session {demo} (demo)" in out and "left out of history" in out
    code, out, _ = run(capsys, "history", "--data-dir", str(tmp_path))
    assert "History: 1 session\n" in out


def test_old_database_gets_the_kind_column(tmp_path):
    from voice_interviewer.sessions.store import _SCHEMA_V1

    db = sqlite3.connect(tmp_path / "sessions.db")
    db.executescript(_SCHEMA_V1 + "PRAGMA user_version = 1;")
    db.execute(
        "INSERT INTO sessions (started_at, ended_at, bank_id, bank_title, model, settings) "
        "VALUES ('2025-01-01T09:00:00+00:00', '2025-01-01T09:05:00+00:00', "
        "'amazon-mle', 'A', 'tiny.en', '{}')"
    )
    db.commit()
    db.close()
    store = SessionStore(tmp_path)
    [s] = store.list_sessions()
    assert (s.kind, s.status) == ("practice", "complete")
    store.close()
    with sqlite3.connect(tmp_path / "sessions.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_interrupted_three_question_session_counts_what_it_has(tmp_path, capsys):
    store = SessionStore(tmp_path)
    a = analysis("overfitting")
    sid = store.create_session(
        "amazon-mle",
        "Amazon MLE",
        "tiny.en",
        {"questions": ["overfitting", "failure", "bias-variance"]},
    )
    aid, _ = store.begin_answer(sid, 1, "overfitting", "Q?", "technical", "Q?")
    # Ctrl-C during the first answer: the partial answer is analysed and kept
    store.complete_answer(
        aid, status="interrupted", end_reason="interrupted", analysis=Analysis.from_dict(a)
    )
    store.end_session(sid, interrupted=True)
    [s] = store.list_sessions()
    assert (s.answered, s.asked, s.planned) == (1, 1, 3)
    assert s.avg_wpm == pytest.approx(a["words_per_minute"])
    assert s.avg_coverage == pytest.approx(a["rubric"]["coverage"])
    store.close()
    code, out, _ = run(capsys, "sessions", "--data-dir", str(tmp_path))
    row = next(line for line in out.splitlines() if line.strip().startswith(str(sid)))
    assert " 1/1 " in row and f"{a['words_per_minute']:.0f}" in row and "interrupted" in row
    code, out, _ = run(capsys, "review", str(sid), "--data-dir", str(tmp_path))
    assert "answers: 1 of 1 question asked answered (3 planned); avg " in out
