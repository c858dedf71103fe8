"""Outputs (issue 15 item 12, issue 14 item 6): reports are new private files written atomically
that never follow a symlink, unwritable places and odd session ids are one line, Markdown shows
bank text as text, and `report --open` without a browser says where the report is."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voice_interviewer import cli
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).resolve().parents[1] / "data"
EVIL_TITLE = "<script>alert(1)</script> *bold* [link](http://x)"
EVIL_POINT = "<img src=x onerror=alert(1)> | `code` # not a heading"


@pytest.fixture
def home(tmp_path) -> Path:
    root = tmp_path / "home"
    analysis = json.loads((DATA / "analysis_overfitting.json").read_text())
    analysis["rubric"]["points"][0]["text"] = EVIL_POINT
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", EVIL_TITLE, "tiny.en", {})
    q = analysis["question"]
    aid, wav = store.begin_answer(sid, 1, q["id"], q["text"], q["category"], q["text"])
    sf.write(wav, np.zeros(8000, dtype=np.float32), 16000)
    store.complete_answer(
        aid, status="answered", end_reason="silence", analysis=Analysis.from_dict(analysis)
    )
    store.end_session(sid, interrupted=False)
    store.close()
    return root


def run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def one_error(code, err, *fragments):
    assert code != 0 and len(err) == 1 and err[0].startswith("Error: "), err
    for f in fragments:
        assert f in err[0], err[0]


@pytest.mark.parametrize("option", ["--html", "--markdown"])
def test_report_over_an_existing_file_is_a_new_private_file(capsys, home, tmp_path, option):
    out = tmp_path / "report.out"
    out.write_text("old")
    out.chmod(0o644)
    code, _, err = run(capsys, ["report", "1", option, str(out), "--data-dir", str(home)])
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text() != "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


@pytest.mark.parametrize("option", ["--html", "--markdown"])
def test_report_onto_a_symlink_never_writes_its_target(capsys, home, tmp_path, option):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "report.out"
    link.symlink_to(target)
    code, _, err = run(capsys, ["report", "1", option, str(link), "--data-dir", str(home)])
    assert code == 0, err
    assert target.read_text() == "keep me"
    assert not link.is_symlink() and stat.S_IMODE(link.stat().st_mode) == 0o600


def test_report_into_an_impossible_place_is_one_line(capsys, home, tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    code, out, err = run(
        capsys, ["report", "1", "--html", str(blocker / "r.html"), "--data-dir", str(home)]
    )
    one_error(code, err, "cannot write the report")
    code, out, err = run(
        capsys, ["report", "1", "--markdown", str(tmp_path), "--data-dir", str(home)]
    )
    one_error(code, err, "is a folder")


@pytest.mark.parametrize("where", ["notes.txt/out.zip", "/proc/voice-interviewer-test.zip"])
def test_export_to_an_unwritable_place_is_one_line(capsys, home, tmp_path, where):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    path = where if where.startswith("/") else str(tmp_path / where)
    code, out, err = run(capsys, ["export", "1", "-o", path, "--data-dir", str(home)])
    one_error(code, err, "cannot write the archive")
    assert out == ""


@pytest.mark.parametrize("ref", ["²", "99999999999999999999999", "-1", "1.5", "٣"])
@pytest.mark.parametrize("command", ["review", "report", "export", "delete"])
def test_odd_session_ids_are_one_line(capsys, home, command, ref):
    code, out, err = run(capsys, [command, ref, "--data-dir", str(home)])
    one_error(code, err)
    assert "session" in err[0] and out == ""


def test_markdown_report_shows_bank_and_point_text_as_text(capsys, home):
    code, out, err = run(capsys, ["report", "1", "--markdown", "-", "--data-dir", str(home)])
    assert code == 0, err
    assert not re.search(r"(?<!\\)<", out.replace("(<", "")), (
        "raw HTML in the Markdown"
    )  # links are (<...>)
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](http://x)" in out
    assert "\\<img src=x onerror=alert(1)\\> \\| \\`code\\` \\# not a heading" in out


def test_report_open_without_a_browser_says_where_the_file_is(capsys, home, monkeypatch):
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    code, out, err = run(capsys, ["report", "1", "--open", "--data-dir", str(home)])
    assert code == 0
    path = out.strip()
    assert os.path.isfile(path)
    assert err == [
        f"No web browser found to open it: open {Path(path).resolve()} in a browser yourself."
    ]
