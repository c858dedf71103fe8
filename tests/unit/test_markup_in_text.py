"""Rich markup in user text (issue 15 item 5): bank texts, bank ids, paths and data folders holding
``[/]`` or ``[draft]`` are printed as written by every command, never crash and never vanish."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import voice_interviewer.cli.score as score_command
from voice_interviewer import cli
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.sessions.store import SessionStore

from ._words import words_from
from .test_bank_hardening import BANK

DATA = Path(__file__).resolve().parents[1] / "data"
MARKUP_TEXT = "What is [draft] overfitting [/] really?"
MARKUP_POINT = "Memorises the [bold]training[/] data [/]"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")  # long tmp paths stay on one line


def run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def markup_bank(tmp_path) -> Path:
    folder = tmp_path / "banks [draft]"
    folder.mkdir()
    path = folder / "mine [b].toml"
    text = BANK.replace('title = "Mine"', 'title = "Mine [draft] [/]"')
    text = text.replace('text = "What is overfitting?"', f'text = "{MARKUP_TEXT}"')
    text = text.replace('text = "Memorises the training data"', f'text = "{MARKUP_POINT}"')
    path.write_text(text)
    return path


def test_questions_and_banks_print_markup_as_text(capsys, markup_bank, tmp_path):
    code, out, err = run(capsys, ["questions", "--bank", str(markup_bank)])
    assert code == 0, err
    assert "Mine [draft] [/]" in out and "[draft] overfitting [/]" in out
    code, out, err = run(capsys, ["banks", "validate", str(markup_bank)])
    assert code == 0 and str(markup_bank) in out
    home = tmp_path / "home [draft]"
    assert run(capsys, ["banks", "add", str(markup_bank), "--data-dir", str(home)])[0] == 0
    code, out, err = run(capsys, ["banks", "--data-dir", str(home)])
    assert code == 0, err
    assert "Mine [draft] [/]" in out


class _FixedScorer:
    """Scores any recording as a fixed spoken answer (no model in a unit test)."""

    def __init__(self, *a, **k):
        pass

    def score_recording(self, audio, question, name, progress=None):
        words = words_from("Overfitting is when the model memorises the training data.", 1.0)
        return analyze(question, 6.0, words, [])


def test_score_recording_with_markup_in_path_and_bank(capsys, monkeypatch, markup_bank, tmp_path):
    import voice_interviewer.scoring.scorer as scorer_module

    folder = tmp_path / "takes [draft]"
    folder.mkdir()
    wav = folder / "answer [b].wav"
    sf.write(wav, np.zeros(16000, dtype=np.float32), 16000)
    monkeypatch.setattr(score_command, "load_transcriber", lambda model, console: object())
    monkeypatch.setattr(scorer_module, "Scorer", _FixedScorer)
    code, out, err = run(capsys, ["score", str(wav), "-q", "q1", "--bank", str(markup_bank)])
    assert code == 0, err
    assert "answer [b].wav" in out and "takes [draft]" in out
    assert MARKUP_TEXT in out and "[bold]training[/]" in out


def test_score_text_with_markup(capsys, markup_bank, tmp_path):
    answer = tmp_path / "typed [draft].txt"
    answer.write_text("Overfitting [/] memorises the training data and fails on new data.")
    code, out, err = run(
        capsys, ["score", "--text", str(answer), "-q", "q1", "--bank", str(markup_bank)]
    )
    assert code == 0, err
    assert "typed [draft].txt" in out and "Overfitting [/]" in out and MARKUP_TEXT in out


@pytest.fixture
def markup_home(tmp_path) -> Path:
    """A data folder named with markup, holding a session of bank 'evil[/]' (as an import can
    leave) whose question and point texts hold markup."""
    root = tmp_path / "data [draft]"
    analysis = json.loads((DATA / "analysis_overfitting.json").read_text())
    analysis["question"]["text"] = MARKUP_TEXT
    analysis["question"]["category"] = "tech [/]"
    analysis["rubric"]["points"][0]["text"] = MARKUP_POINT
    analysis["rubric"]["points"][0]["hit"] = False
    store = SessionStore(root)
    sid = store.create_session("evil[/]", "Evil [draft] [/]", "tiny.en", {"note": "[/]"})
    q = analysis["question"]
    aid, wav = store.begin_answer(sid, 1, q["id"], q["text"], q["category"], q["text"])
    sf.write(wav, np.zeros(8000, dtype=np.float32), 16000)
    store.complete_answer(
        aid, status="answered", end_reason="silence", analysis=Analysis.from_dict(analysis)
    )
    store.end_session(sid, interrupted=False)
    store.close()
    return root


@pytest.mark.parametrize(
    "argv,shown",
    [
        (["sessions"], ["evil[/]", "data [draft]"]),
        (["history"], ["evil[/]", MARKUP_TEXT, MARKUP_POINT, "tech [/]"]),
        (
            ["review", "last"],
            ["Evil [draft] [/]", "evil[/]", MARKUP_TEXT, MARKUP_POINT, "data [draft]"],
        ),
    ],
)
def test_session_commands_print_markup_as_text(capsys, markup_home, argv, shown):
    code, out, err = run(capsys, [*argv, "--data-dir", str(markup_home)])
    assert code == 0, err
    flat = " ".join(out.split())
    for text in shown:
        assert " ".join(text.split()) in flat, text
