"""Issue 15 item 2, the reading side: a row damaged anyway (edited by hand, left by a bug) does not
take the other sessions down in sessions, history, report, review, --weakest or the web's lists;
it is skipped with a warning that names it."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation import hostile
from voice_interviewer import cli
from voice_interviewer.reports.history import collect_history, weakest_question_ids
from voice_interviewer.sessions.store import SessionStore

GOOD = (1, 2)


def damage(db: Path, sql: str, *params) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(sql, params)


def _no_rubric() -> str:
    a = hostile.analysis()
    del a["rubric"]
    return json.dumps(a)


def _word_time_text() -> str:
    a = hostile.analysis()
    a["words"][0]["start"] = "1.0"
    return json.dumps(a)


# (label, SQL on session 3 or its answer, is the whole session unreadable)
DAMAGE = [
    ("started_at yesterday", "UPDATE sessions SET started_at = 'yesterday' WHERE id = 3", True),
    ("settings not JSON", "UPDATE sessions SET settings = '{oops' WHERE id = 3", True),
    ("settings a list", "UPDATE sessions SET settings = '[1]' WHERE id = 3", True),
    (
        "imported_from date",
        (
            """UPDATE sessions SET settings = '{"imported_from": {"started_at": "soon"}}' """
            "WHERE id = 3"
        ),
        True,
    ),
    ("bank_id a blob", "UPDATE sessions SET bank_id = x'00ff' WHERE id = 3", True),
    ("folder traversal", "UPDATE sessions SET folder = '../..' WHERE id = 3", True),
    ("folder absolute", "UPDATE sessions SET folder = '/tmp' WHERE id = 3", True),
    ("analysis {}", "UPDATE answers SET analysis = '{}' WHERE session_id = 3", False),
    ("analysis no rubric", "UPDATE answers SET analysis = ? WHERE session_id = 3", False),
    ("word time text", "UPDATE answers SET analysis = ? WHERE session_id = 3", False),
    ("analysis not JSON", "UPDATE answers SET analysis = 'nope' WHERE session_id = 3", False),
    ("seq text", "UPDATE answers SET seq = 'first' WHERE session_id = 3", False),
    ("status unknown", "UPDATE answers SET status = 'exploded' WHERE session_id = 3", False),
]
PARAMS = {"analysis no rubric": _no_rubric, "word time text": _word_time_text}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "data"
    for _ in range(3):
        hostile.make_session(root)
    return root


@pytest.fixture
def home(pristine, tmp_path) -> Path:
    import shutil

    root = tmp_path / "data"
    shutil.copytree(pristine, root)
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("label, sql, whole", DAMAGE, ids=[d[0] for d in DAMAGE])
def test_one_damaged_row_does_not_take_the_others_down(home, capsys, caplog, label, sql, whole):
    params = (PARAMS[label](),) if label in PARAMS else ()
    damage(home / "sessions.db", sql, *params)
    d = str(home)
    caplog.set_level(logging.WARNING)

    code, out, _ = run(capsys, "sessions", "--json", "--data-dir", d)
    listed = [s["id"] for s in json.loads(out)]
    assert code == 0 and listed == ([2, 1] if whole else [3, 2, 1])

    code, out, _ = run(capsys, "history", "--json", "--data-dir", d)
    assert code == 0
    assert [s["id"] for s in json.loads(out)["sessions"]] == ([1, 2] if whole else [1, 2, 3])

    for sid in GOOD:
        assert run(capsys, "review", str(sid), "--data-dir", d)[0] == 0
        assert run(capsys, "report", str(sid), "--data-dir", d)[0] == 0

    code, out, err = run(capsys, "review", "3", "--data-dir", d)
    if whole:  # one line saying what is wrong and what to do
        assert code == 1 and out == ""
        [line] = err.strip().splitlines()
        assert "session 3 is damaged" in line and "voice-interviewer delete 3" in line
    else:  # shown, with the damaged part left out
        assert code == 0 and "Session 3" in out

    store = SessionStore(home)
    try:
        assert weakest_question_ids(store, "amazon-mle", 3) == ["overfitting"]
        assert len(collect_history(store).sessions) == (2 if whole else 3)
    finally:
        store.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and all("session 3" in w and "is damaged" in w for w in warnings), warnings
    # A damaged session can still be deleted, and that touches nothing outside its own folder.
    sentinels = [home.parent / ".running", home / ".running", Path("/tmp") / ".running"]
    made = [p for p in sentinels if not p.exists()]
    for p in made:
        p.write_text("not the session's")
    try:
        assert run(capsys, "delete", "3", "--yes", "--data-dir", d)[0] == 0
        assert all(p.exists() for p in sentinels)
    finally:
        for p in made:
            p.unlink(missing_ok=True)
    assert [s["id"] for s in json.loads(run(capsys, "sessions", "--json", "--data-dir", d)[1])] == [
        2,
        1,
    ]
    for sid in GOOD:
        assert (home / "sessions" / str(sid) / "01-overfitting.wav").is_file()


def test_the_warning_reaches_stderr_without_any_logging_set_up(home):
    damage(home / "sessions.db", "UPDATE sessions SET started_at = 'yesterday' WHERE id = 3")
    p = subprocess.run(
        [sys.executable, "-m", "voice_interviewer", "sessions", "--json", "--data-dir", str(home)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0 and [s["id"] for s in json.loads(p.stdout)] == [2, 1]
    [line] = p.stderr.strip().splitlines()
    assert "session 3 is damaged (started_at: expected an ISO date" in line and "left out" in line


@pytest.mark.parametrize("name", ["analysis_overfitting.json", "analysis_v1_spoken.json"])
def test_a_row_saved_by_an_earlier_version_is_whole_not_damaged(home, capsys, caplog, name):
    """Not damage: a report an earlier version saved (tests/data) is read typed like any other,
    with no warning, and `review --json` shows the same analysis as that version's `score --json`
    file of it, read and written back by this version (every key it had, kept)."""
    from voice_interviewer.scoring.analysis import Analysis

    saved = json.loads((Path(__file__).parents[1] / "data" / name).read_text())
    damage(
        home / "sessions.db",
        "UPDATE answers SET analysis = ? WHERE session_id = 3",
        json.dumps(saved, indent=1),
    )
    caplog.set_level(logging.WARNING)
    code, out, _ = run(capsys, "review", "3", "--json", "--data-dir", str(home))
    assert code == 0
    shown = json.loads(out)["answers"][0]["analysis"]
    from_score_json = Analysis.from_dict({**saved, "audio": "answer.flac"}).to_dict()
    assert shown == from_score_json
    assert {k: shown[k] for k in saved if k not in ("rubric",)} == {
        k: v for k, v in saved.items() if k != "rubric"
    }
    assert run(capsys, "review", "3", "--data-dir", str(home))[0] == 0
    assert run(capsys, "report", "3", "--data-dir", str(home))[0] == 0
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]
