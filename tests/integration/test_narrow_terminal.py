"""On an 80-column terminal the ids a user must type (`practice -q ID`) are printed whole by
`questions` and `history`: the other columns wrap to make room (issue 25, defect 6)."""

from __future__ import annotations

import pytest

from tests.sessions_fixture import add_session, known_analysis
from voice_interviewer.bank import resolve_bank
from voice_interviewer.cli.app import main
from voice_interviewer.sessions.store import SessionStore

LONG_IDS = ("supervised-vs-unsupervised", "classification-algorithms")


@pytest.mark.parametrize("columns", [80, 60])
def test_questions_prints_every_id_whole(columns, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["questions"]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert max(map(len, out.splitlines())) <= columns
    words = set(out.replace("│", " ").split())
    for q in resolve_bank(None).questions:
        assert q.id in words, q.id


def test_history_prints_every_id_whole(tmp_path, monkeypatch, capsys):
    store = SessionStore(tmp_path)
    answers = [known_analysis(i, hits=(True, False, False)) for i in LONG_IDS]
    add_session(store, "2025-01-01T10:00:00+00:00", answers)
    add_session(store, "2025-01-02T10:00:00+00:00", answers)
    store.close()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["history", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert max(map(len, out.splitlines())) <= 80
    weakest = out[out.index("Weakest questions") : out.index("Rubric points missed")]
    missed = out[out.index("Rubric points missed") :]
    for i in LONG_IDS:
        assert f"{i}:" in weakest and i in missed.replace("│", " ").split(), i
